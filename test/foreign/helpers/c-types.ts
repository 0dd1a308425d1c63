/**
 * The types of c/layouts/layouts.c, described with the library's combinators for one data
 * model, in the order of its ALL_TYPES list, and the values its fill_T functions store.
 */
import {
  Bool,
  Char,
  Int64,
  asNumber,
  Int16,
  Int32,
  Int8,
  Word16,
  Word32,
  Word64,
  Word8,
  aligned,
  array,
  bits,
  chars,
  enumeration,
  packed,
  struct,
  union,
  unnamedBits,
  type DataModel,
  type Storable,
} from '../../../src/foreign/index.js';

export const cTypes = (m: DataModel<any>) => {
  const Particle = struct(
    {
      kind: Word8,
      x: m.CDouble,
      y: m.CDouble,
      z: m.CDouble,
      mass: m.CFloat,
      id: Int32,
      flags: Word64,
      tag: array(Int16, 4),
    },
    'Particle',
  );
  const Vec3 = struct({ x: m.CFloat, y: m.CFloat, z: m.CFloat }, 'Vec3');
  const Body = struct(
    { name: chars(12), pos: Vec3, vel: Vec3, mass: m.CDouble, core: Particle, count: Word16 },
    'Body',
  );
  const Num = union({ i: Int32, f: m.CFloat, d: m.CDouble, bytes: array(Word8, 8) }, 'Num');
  const Tagged = struct({ tag: Word8, value: Num, after: Int8 }, 'Tagged');
  const Packed = packed({ a: Word8, b: Word32, c: Word16, d: m.CDouble, v: Vec3 }, 'Packed');
  const AlignedMember = struct({ c: m.CChar, x: aligned(16, Int32), d: m.CChar }, 'AlignedMember');
  const Aligned32 = struct({ a: Int32, b: m.CChar }, { name: 'Aligned32', align: 32 });
  const HoldsAligned = struct({ c: m.CChar, inner: Aligned32 }, 'HoldsAligned');
  const PackedAligned = packed({ c: m.CChar, x: aligned(4, Int32), d: m.CChar }, 'PackedAligned');
  const Bits = struct(
    {
      a: bits(m.CUInt, 3),
      b: bits(m.CInt, 5),
      c: bits(m.CUInt, 30),
      _z: unnamedBits(m.CUInt, 0),
      d: bits(m.CUChar, 4),
      _u: unnamedBits(m.CUChar, 2),
      e: bits(Word64, 40),
      f: bits(Int16, 9),
      g: bits(m.CBool, 1),
      h: bits(m.CLLong, 33),
      tail: m.CChar,
    },
    'Bits',
  );
  const PackedBits = packed(
    { a: bits(Word8, 3), b: bits(Word32, 30), c: bits(Word16, 12), d: bits(Word64, 60) },
    'PackedBits',
  );
  const ZeroWidth = struct(
    {
      before: m.CChar,
      _l: unnamedBits(m.CLong, 0),
      after: m.CChar,
      _i: unnamedBits(m.CInt, 0),
      s: bits(m.CShort, 4),
      _c: unnamedBits(m.CChar, 0),
      x: m.CChar,
    },
    'ZeroWidth',
  );
  const Strings = struct(
    { name: chars(8, { terminated: true }), code: chars(3), n: Int32, full: chars(4) },
    'Strings',
  );
  const Words = struct(
    {
      c: m.CChar,
      l: m.CLong,
      s: m.CSize,
      p: m.Ptr,
      d: m.CPtrdiff,
      ip: m.CIntPtr,
      up: m.CUIntPtr,
      ul: m.CULong,
      fn: m.FunPtr,
      ll: m.CLLong,
      last: m.CChar,
    },
    'Words',
  );
  const Color = enumeration(m.CInt, { RED: 0, GREEN: 5, BLUE: -1 }, 'Color');
  const WithEnum = struct({ color: Color, x: Word8, more: array(Color, 2) }, 'WithEnum');
  const Misc = struct(
    { b: m.CBool, i: Int32, w: m.CWchar, cp: Char, f: m.CFloat, truth: Bool },
    'Misc',
  );

  // ---- scalars, every C type
  const Ints8 = struct({ a: Int8, b: Word8, c: m.CChar, d: m.CSChar, e: m.CUChar }, 'Ints8');
  const Ints16 = struct({ c: m.CChar, a: Int16, b: Word16, s: m.CShort, us: m.CUShort }, 'Ints16');
  const Ints32 = struct({ c: m.CChar, a: Int32, b: Word32, i: m.CInt, u: m.CUInt }, 'Ints32');
  const Ints64 = struct(
    {
      c: m.CChar,
      a: Int64,
      b: Word64,
      ll: m.CLLong,
      ull: m.CULLong,
      im: m.CIntMax,
      um: m.CUIntMax,
      small: asNumber(Int64),
    },
    'Ints64',
  );
  const Tails = struct({ n: m.CSize, c: m.CChar }, 'Tails');
  const Floats = struct(
    { c: m.CChar, f: m.CFloat, d: m.CDouble, g: m.CFloat, sub: m.CFloat, tiny: m.CDouble },
    'Floats',
  );
  const Bools = struct({ a: m.CBool, b: m.CBool, truth: Bool, c: m.CBool }, 'Bools');
  const Chars32 = struct({ c: m.CChar, cp: Char, w: m.CWchar, ascii: Char }, 'Chars32');
  const Pointers = struct(
    { c: m.CChar, p: m.Ptr, fn: m.FunPtr, s: m.Ptr, cmp: m.FunPtr },
    'Pointers',
  );
  // ---- padding
  const CharDouble = struct({ c: m.CChar, d: m.CDouble, e: m.CChar }, 'CharDouble');
  const ShortChars = struct({ s: m.CShort, a: m.CChar, b: m.CChar, c: m.CChar }, 'ShortChars');
  const OneChar = struct({ c: m.CChar }, 'OneChar');
  const LongLongTail = struct({ v: m.CLLong, c: m.CChar }, 'LongLongTail');
  // ---- nested
  const Line = struct({ a: Vec3, b: Vec3 }, 'Line');
  const Triangle = struct({ v: array(Vec3, 3), color: Word32 }, 'Triangle');
  const Inner = struct({ c: m.CChar, s: m.CShort }, 'Inner');
  const Mid = struct({ in: Inner, x: Int32, more: array(Inner, 2) }, 'Mid');
  const Deep = struct({ c: m.CChar, m: Mid, d: m.CDouble }, 'Deep');
  const UnionOfStructs = union({ v: Vec3, p: Particle, raw: chars(7) }, 'UnionOfStructs');
  const ArrayOfUnions = struct({ n: array(Num, 3), c: m.CChar }, 'ArrayOfUnions');
  const Small = union({ s: Int16, c: chars(3) }, 'Small');
  const WithSmall = struct({ tag: m.CChar, u: Small, end: Int8 }, 'WithSmall');
  const HoldsPacked = struct({ c: m.CChar, p: Packed, x: Int32 }, 'HoldsPacked');
  // ---- arrays
  const Matrix = struct({ m: array(array(m.CFloat, 3), 3) }, 'Matrix');
  const Grid = struct({ c: m.CChar, g: array(array(Int16, 3), 2) }, 'Grid');
  const CharGrid = struct({ names: array(chars(4), 3) }, 'CharGrid');
  const EmptyArray = struct({ n: Word8, items: array(Int32, 0) }, 'EmptyArray');
  const BoolArray = struct({ flags: array(m.CBool, 5), n: Int32 }, 'BoolArray');
  const PtrArray = struct({ c: m.CChar, p: array(m.Ptr, 3) }, 'PtrArray');
  const FunPtrs = struct({ table: array(m.FunPtr, 2), n: Int32 }, 'FunPtrs');
  const FloatArrays = struct(
    { c: m.CChar, d: array(m.CDouble, 2), f: array(m.CFloat, 3) },
    'FloatArrays',
  );
  const U64Array = struct({ c: Word8, v: array(Word64, 2) }, 'U64Array');
  // ---- packed
  const PackedNested = packed({ c: m.CChar, v: Vec3, d: m.CDouble }, 'PackedNested');
  const PackedArray = packed({ n: Word8, v: array(Word32, 3), t: Word16 }, 'PackedArray');
  const PackedUnion = union(
    { b: Word8, w: Word32, d: m.CDouble },
    { name: 'PackedUnion', packed: true },
  );
  const PackedWords = packed({ c: m.CChar, l: m.CLong, n: m.CSize, p: m.Ptr }, 'PackedWords');
  const PackedAligned4 = packed({ c: m.CChar, x: Int32 }, { name: 'PackedAligned4', align: 4 });
  const HoldsPackedAligned4 = struct({ c: m.CChar, p: PackedAligned4 }, 'HoldsPackedAligned4');
  const EnumInPacked = packed({ c: m.CChar, col: Color }, 'EnumInPacked');
  // ---- _Alignas and aligned
  const Alignas8 = struct({ c: m.CChar, x: aligned(8, Int32), d: m.CChar }, 'Alignas8');
  const Alignas16Char = struct({ c: aligned(16, m.CChar) }, 'Alignas16Char');
  const AlignasArray = struct({ c: m.CChar, v: aligned(16, array(m.CFloat, 4)) }, 'AlignasArray');
  const AlignasType = struct(
    { c: m.CChar, d: aligned(m.CDouble.alignment, m.CChar) },
    'AlignasType',
  );
  const AlignedLow = struct({ c: m.CChar, x: aligned(2, Int32) }, 'AlignedLow');
  const Over16 = struct({ d: m.CDouble }, { name: 'Over16', align: 16 });
  const Over16Array = struct({ c: m.CChar, a: array(Over16, 2) }, 'Over16Array');
  const AlignedUnion = union({ i: Int32, c: chars(3) }, { name: 'AlignedUnion', align: 16 });
  // ---- bit-fields
  const Flags = struct(
    { a: bits(m.CUInt, 1), b: bits(m.CUInt, 1), c: bits(m.CUInt, 1), rest: bits(m.CUInt, 29) },
    'Flags',
  );
  const StraddleByte = struct(
    { a: bits(Word8, 5), b: bits(Word8, 5), c: bits(Word8, 6) },
    'StraddleByte',
  );
  const StraddleShort = struct(
    { a: bits(Word16, 10), b: bits(Word16, 10), c: bits(Word16, 12) },
    'StraddleShort',
  );
  const StraddleWide = struct(
    { a: bits(Word32, 20), b: bits(Word32, 20), c: bits(Word64, 30) },
    'StraddleWide',
  );
  const Unnamed = struct(
    {
      a: bits(m.CInt, 4),
      _4: unnamedBits(m.CInt, 4),
      b: bits(m.CInt, 4),
      _0: unnamedBits(m.CInt, 0),
      c: bits(m.CInt, 4),
      _3: unnamedBits(m.CUInt, 3),
      d: bits(m.CUInt, 5),
    },
    'Unnamed',
  );
  const ZeroWidthChar = struct(
    {
      a: bits(m.CChar, 3),
      _c: unnamedBits(m.CChar, 0),
      b: bits(m.CChar, 3),
      _s: unnamedBits(m.CShort, 0),
      c: m.CChar,
    },
    'ZeroWidthChar',
  );
  const UnnamedFirst = struct(
    { _3: unnamedBits(m.CInt, 3), a: bits(m.CInt, 5), c: m.CChar },
    'UnnamedFirst',
  );
  const ZeroFirst = struct({ _0: unnamedBits(m.CInt, 0), c: m.CChar }, 'ZeroFirst');
  const MixedBits = struct(
    { c: m.CChar, a: bits(m.CInt, 20), s: bits(m.CShort, 10), b: bits(m.CLLong, 40) },
    'MixedBits',
  );
  const SignedBits = struct(
    { a: bits(m.CSChar, 3), b: bits(m.CShort, 7), c: bits(m.CInt, 17), d: bits(m.CLLong, 63) },
    'SignedBits',
  );
  const BoolBits = struct(
    { a: bits(m.CBool, 1), b: bits(m.CBool, 1), c: bits(Word8, 6) },
    'BoolBits',
  );
  const LongBits = struct({ a: bits(m.CLong, 20), b: bits(m.CULong, 30), c: m.CChar }, 'LongBits');
  const PackedStraddle = packed(
    { a: bits(Word8, 7), b: bits(Word16, 12), c: bits(Word32, 25) },
    'PackedStraddle',
  );
  const UnionBits = union({ f: Flags, raw: Word32 }, 'UnionBits');
  const Bits64 = struct({ a: bits(Word64, 1), b: bits(Word64, 63) }, 'Bits64');
  const BitsAroundArray = struct(
    { a: bits(m.CUInt, 3), arr: array(Word8, 3), b: bits(m.CUInt, 9) },
    'BitsAroundArray',
  );
  // ---- enums
  const Small3 = enumeration(m.CUInt, { S0: 0, S1: 1, S2: 2 }, 'Small3');
  const WithSmallEnum = struct({ c: m.CChar, e: Small3, d: m.CChar }, 'WithSmallEnum');
  const Wide64 = enumeration(m.CULLong, { W_SMALL: 1n, W_BIG: 0x100000000n }, 'Wide64');
  const WithWideEnum = struct({ c: m.CChar, e: Wide64 }, 'WithWideEnum');
  const Extremes = enumeration(m.CInt, { E_MIN: -2147483648, E_MAX: 2147483647 }, 'Extremes');
  const WithExtremes = struct({ a: Extremes, b: Extremes }, 'WithExtremes');
  const Tiny = enumeration(Word8, { T0: 0, T1: 200 }, 'Tiny');
  const SignedTiny = enumeration(Int8, { NEG1: -1, POS1: 1 }, 'SignedTiny');
  const Mid16 = enumeration(Word16, { M0: 0, M1: 300 }, 'Mid16');
  const PackedEnums = struct(
    { t: Tiny, s: SignedTiny, m: Mid16, c: m.CChar, arr: array(Tiny, 3) },
    'PackedEnums',
  );
  // ---- unions and strings
  const UnionMixed = union({ c: m.CChar, d: m.CDouble, i: array(Int32, 3) }, 'UnionMixed');
  const UnionChars = union({ s: chars(5), w: Word16 }, 'UnionChars');
  const UnionOfUnions = union({ n: Num, s: Small }, 'UnionOfUnions');
  const Names = struct(
    { first: chars(6, { terminated: true }), last: chars(10), age: Word8 },
    'Names',
  );
  return {
    Particle,
    Vec3,
    Body,
    Num,
    Tagged,
    Packed,
    AlignedMember,
    Aligned32,
    HoldsAligned,
    PackedAligned,
    Bits,
    PackedBits,
    ZeroWidth,
    Strings,
    Words,
    WithEnum,
    Misc,
    Ints8,
    Ints16,
    Ints32,
    Ints64,
    Tails,
    Floats,
    Bools,
    Chars32,
    Pointers,
    CharDouble,
    ShortChars,
    OneChar,
    LongLongTail,
    Line,
    Triangle,
    Inner,
    Mid,
    Deep,
    UnionOfStructs,
    ArrayOfUnions,
    Small,
    WithSmall,
    HoldsPacked,
    Matrix,
    Grid,
    CharGrid,
    EmptyArray,
    BoolArray,
    PtrArray,
    FunPtrs,
    FloatArrays,
    U64Array,
    PackedNested,
    PackedArray,
    PackedUnion,
    PackedWords,
    PackedAligned4,
    HoldsPackedAligned4,
    EnumInPacked,
    Alignas8,
    Alignas16Char,
    AlignasArray,
    AlignasType,
    AlignedLow,
    Over16,
    Over16Array,
    AlignedUnion,
    Flags,
    StraddleByte,
    StraddleShort,
    StraddleWide,
    Unnamed,
    ZeroWidthChar,
    UnnamedFirst,
    ZeroFirst,
    MixedBits,
    SignedBits,
    BoolBits,
    LongBits,
    PackedStraddle,
    UnionBits,
    Bits64,
    BitsAroundArray,
    WithSmallEnum,
    WithWideEnum,
    WithExtremes,
    PackedEnums,
    UnionMixed,
    UnionChars,
    UnionOfUnions,
    Names,
  } satisfies Record<string, Storable<any>>;
};

/** The values fill_T stores, as this library reads them in model `m`. */
export const cFills = (m: DataModel<any>): Record<string, unknown> => {
  const word = (n: number): number | bigint => (m.wordSize === 8 ? BigInt(n) : n);
  const particle = {
    kind: 7,
    x: 1.5,
    y: -2.25,
    z: 1e100,
    mass: Math.fround(0.1),
    id: -123456,
    flags: 0xfedcba9876543210n,
    tag: [1, -2, 300, -32768],
  };
  const mid = {
    in: { c: 1, s: 2 },
    x: 3,
    more: [
      { c: 4, s: 5 },
      { c: 6, s: 7 },
    ],
  };
  const packedFill = { a: 255, b: 0xdeadbeef, c: 0xabcd, d: -0, v: { x: 0.25, y: 0.5, z: 0.75 } };
  return {
    Particle: particle,
    Vec3: { x: 1, y: -0.5, z: Math.fround(3e38) },
    Body: {
      name: 'Sirius été',
      pos: { x: 1, y: 2, z: 3 },
      vel: { x: -1, y: -2, z: -3 },
      mass: 2.02,
      core: particle,
      count: 65535,
    },
    Num: { i: 1069547520 },
    Tagged: { tag: 2, value: { i: -1 }, after: -128 },
    Packed: packedFill,
    AlignedMember: { c: 99, x: 0x01020304, d: 100 },
    Aligned32: { a: -5, b: 98 },
    HoldsAligned: { c: 1, inner: { a: 2, b: 3 } },
    PackedAligned: { c: -1, x: -2, d: -3 },
    Bits: {
      a: 5,
      b: -3,
      c: 0x2aaaaaaa,
      d: 9,
      e: 0xfedcba9876n,
      f: -200,
      g: 1,
      h: -4294967296n,
      tail: 122,
    },
    PackedBits: { a: 6, b: 0x3fffffff, c: 0x123, d: 0xfedcba987654321n },
    ZeroWidth: { before: 1, after: 2, s: -8, x: 4 },
    Strings: { name: 'naïve', code: 'EU', n: 42, full: 'full' },
    Words: {
      c: 119,
      l: word(-5),
      s: word(1000000),
      p: 4096,
      d: word(-16),
      ip: word(-1),
      up: word(65536),
      ul: word(3000000000),
      fn: 3,
      ll: -9007199254740993n,
      last: 76,
    },
    WithEnum: { color: 'BLUE', x: 9, more: ['GREEN', 'RED'] },
    Misc: { b: 1, i: 2147483647, w: 0xe9, cp: '😀', f: 16777216, truth: true },
    Ints8: { a: -128, b: 255, c: 65, d: -1, e: 128 },
    Ints16: { c: 1, a: -32768, b: 65535, s: -2, us: 40000 },
    Ints32: { c: 2, a: -2147483648, b: 4294967295, i: -7, u: 3000000000 },
    Ints64: {
      c: 3,
      a: -(2n ** 63n),
      b: 2n ** 64n - 1n,
      ll: -1n,
      ull: 2n ** 63n,
      im: -9007199254740991n,
      um: 12345678901234567890n,
      small: -9007199254740991,
    },
    Tails: { n: word(4000000000), c: 116 },
    Floats: {
      c: 4,
      f: 2 ** -126,
      d: -0,
      g: Math.fround(3.4028234663852886e38),
      sub: 2 ** -149,
      tiny: 2 ** -1074,
    },
    Bools: { a: 1, b: 0, truth: false, c: 1 },
    Chars32: { c: 120, cp: String.fromCodePoint(0x10ffff), w: -1, ascii: 'A' },
    Pointers: { c: 5, p: 8, fn: 1, s: 16, cmp: 2 },
    CharDouble: { c: -1, d: 0.5, e: 1 },
    ShortChars: { s: -300, a: 1, b: 2, c: 3 },
    OneChar: { c: -128 },
    LongLongTail: { v: -2n, c: 9 },
    Line: { a: { x: 1, y: 2, z: 3 }, b: { x: 4, y: 5, z: 6 } },
    Triangle: {
      v: [0, 1, 2].map((i) => ({ x: i, y: i + 0.5, z: -i + 0 })),
      color: 0xff00ff00,
    },
    Inner: { c: 5, s: -5 },
    Mid: mid,
    Deep: { c: 8, m: mid, d: 9.5 },
    UnionOfStructs: { v: { x: 1, y: -1, z: 0.5 } },
    ArrayOfUnions: { n: [{ i: 1 }, { i: -1 }, { i: 7 }], c: 3 },
    Small: { s: -2 },
    WithSmall: { tag: 117, u: { s: 1000 }, end: -9 },
    HoldsPacked: { c: 1, p: packedFill, x: -1 },
    Matrix: { m: [0, 1, 2].map((i) => [0, 1, 2].map((j) => i * 3 + j + 0.25)) },
    Grid: { c: 103, g: [0, 1].map((i) => [0, 1, 2].map((j) => i * 100 - j)) },
    CharGrid: { names: ['abcd', 'de', ''] },
    EmptyArray: { n: 200, items: [] },
    BoolArray: { flags: [1, 0, 1, 1, 0], n: 5 },
    PtrArray: { c: 1, p: [4, 8, 12] },
    FunPtrs: { table: [5, 6], n: 2 },
    FloatArrays: { c: 2, d: [1e-300, -1e300], f: [1, 2, 3] },
    U64Array: { c: 9, v: [1n, 2n ** 64n - 1n] },
    PackedNested: { c: 1, v: { x: 1, y: 2, z: 3 }, d: 4 },
    PackedArray: { n: 3, v: [1, 0x80000000, 0xffffffff], t: 0xbeef },
    PackedUnion: { b: 0x7f },
    PackedWords: { c: 1, l: word(-1), n: word(7), p: 32 },
    PackedAligned4: { c: 1, x: 0x11223344 },
    HoldsPackedAligned4: { c: 2, p: { c: 3, x: -4 } },
    EnumInPacked: { c: 6, col: 'GREEN' },
    Alignas8: { c: 1, x: 2, d: 3 },
    Alignas16Char: { c: 113 },
    AlignasArray: { c: 1, v: [1, 2, 3, 4] },
    AlignasType: { c: 1, d: 2 },
    AlignedLow: { c: 1, x: -1 },
    Over16: { d: 1.5 },
    Over16Array: { c: 3, a: [{ d: 1 }, { d: 2 }] },
    AlignedUnion: { i: 0x01020304 },
    Flags: { a: 1, b: 0, c: 1, rest: 0x1fffffff },
    StraddleByte: { a: 31, b: 17, c: 42 },
    StraddleShort: { a: 1023, b: 512, c: 4095 },
    StraddleWide: { a: 0xfffff, b: 1, c: 0x3fffffffn },
    Unnamed: { a: -8, b: 7, c: -1, d: 31 },
    ZeroWidthChar: { a: -4, b: 3, c: 5 },
    UnnamedFirst: { a: -16, c: 1 },
    ZeroFirst: { c: 7 },
    MixedBits: { c: 1, a: -524288, s: 511, b: -1n },
    SignedBits: { a: -4, b: 63, c: -65536, d: -(2n ** 62n) },
    BoolBits: { a: 1, b: 0, c: 63 },
    LongBits: { a: word(-1), b: word(0x3fffffff), c: 2 },
    PackedStraddle: { a: 127, b: 0xabc, c: 0x1ffffff },
    UnionBits: { f: { a: 1, b: 0, c: 1, rest: 5 } },
    Bits64: { a: 1n, b: 2n ** 63n - 1n },
    BitsAroundArray: { a: 5, arr: [1, 2, 3], b: 300 },
    WithSmallEnum: { c: 1, e: 'S2', d: 2 },
    WithWideEnum: { c: 1, e: 'W_BIG' },
    WithExtremes: { a: 'E_MIN', b: 'E_MAX' },
    PackedEnums: { t: 'T1', s: 'NEG1', m: 'M1', c: -1, arr: ['T0', 'T1', 'T0'] },
    UnionMixed: { c: 109 },
    UnionChars: { s: 'hey' },
    UnionOfUnions: { n: { i: 42 } },
    Names: { first: 'Zoë', last: 'Ångström', age: 99 },
  };
};
