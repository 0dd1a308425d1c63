/**
 * The types of test/foreign/c/layouts.c, described with the library's combinators for one data
 * model, and the values its fill_T functions store.
 */
import {
  Bool,
  Char,
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
    Packed: { a: 255, b: 0xdeadbeef, c: 0xabcd, d: -0, v: { x: 0.25, y: 0.5, z: 0.75 } },
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
  };
};
