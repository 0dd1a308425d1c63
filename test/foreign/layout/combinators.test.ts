import { describe, expect, expectTypeOf, it } from 'vitest';
import { Memory } from '../../../src/memory/index.js';
import {
  CBool,
  CChar,
  CDouble,
  CFloat,
  CInt,
  CUInt,
  Char,
  Word32,
  Int16,
  Int32,
  Int64,
  MarshalError,
  Word64,
  Word8,
  aligned,
  alignment,
  array,
  bits,
  chars,
  checkCodec,
  compileLayout,
  enumeration,
  offsetOf,
  packed,
  peekPoke,
  sizeOf,
  struct,
  union,
  unnamedBits,
  wasm32,
  wordPtrToPtr,
  type Ptr,
  type Storable,
  type StorableOf,
} from '../../../src/foreign/index.js';
import { runs, valueOf } from '../helpers/arbitrary.js';
import { assertStorableLaws, withCompiler } from '../helpers/laws.js';
import { refusal } from '../../support/thrown.js';

const memory = Memory.create();
const { peek, poke, either } = peekPoke(memory);
/** Scratch addresses start past NULL (address 0 is refused). */
const BASE = 64;
const at = <A>(n: number): Ptr<A> => wordPtrToPtr<A>(BASE + n);
const bytes = (p: number, n: number): number[] => [
  ...memory.views.u8.slice(BASE + p, BASE + p + n),
];

const Particle = struct(
  {
    kind: Word8,
    x: CDouble,
    y: CDouble,
    z: CDouble,
    mass: CFloat,
    id: Int32,
    flags: Word64,
    tag: array(Int16, 4),
  },
  'Particle',
);
type Particle = StorableOf<typeof Particle>;
const particle: Particle = {
  kind: 1,
  x: 1,
  y: 2,
  z: 3,
  mass: 0.5,
  id: 7,
  flags: 2n ** 63n,
  tag: [1, 2, 3, 4],
};

describe('struct', () => {
  it('lays out Particle as C does: 56 bytes, aligned to 8', () => {
    expect(sizeOf(Particle)).toBe(56);
    expect(alignment(Particle)).toBe(8);
    const keys = ['kind', 'x', 'y', 'z', 'mass', 'id', 'flags', 'tag'] as const;
    expect(keys.map((k) => offsetOf(Particle, k))).toEqual([0, 8, 16, 24, 32, 36, 40, 48]);
  });

  it('infers the value type, as io-ts does', () => {
    expectTypeOf<Particle>().toEqualTypeOf<{
      kind: number;
      x: number;
      y: number;
      z: number;
      mass: number;
      id: number;
      flags: bigint;
      tag: number[];
    }>();
    const S = struct({
      a: bits(CUInt, 3),
      _pad: unnamedBits(CUInt, 0),
      c: Char,
      e: enumeration(CInt, { A: 1, B: 2 }),
    });
    expectTypeOf<StorableOf<typeof S>>().toEqualTypeOf<{ a: number; c: string; e: 'A' | 'B' }>();
    const U = union({ i: CInt, f: CFloat });
    const u: StorableOf<typeof U> = { f: 1 };
    // @ts-expect-error a union value holds exactly one member
    const both: StorableOf<typeof U> = { i: 1, f: 1 };
    expect([u, both]).toHaveLength(2);
    expect([S.sizeOf, U.sizeOf]).toEqual([12, 4]);
  });

  it('writes padding bytes as zero', () => {
    memory.views.u8.fill(0xff, BASE, BASE + 64);
    poke(Particle, at(0), particle)();
    expect(bytes(1, 7)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const S = struct({ c: CChar, d: CDouble, e: CChar });
    memory.views.u8.fill(0xff, BASE, BASE + 64);
    poke(S, at(8), { c: 1, d: 2, e: 3 })();
    expect(bytes(8, 24)).toEqual([
      1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 3, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it('reads and writes at unaligned addresses', () => {
    poke(Particle, at(1001), particle)();
    expect(peek(Particle, at(1001))()).toEqual(particle);
  });

  it('refuses a value that does not fit, naming the path, and writes nothing', () => {
    memory.views.u8.fill(0xee, BASE, BASE + 64);
    const before = bytes(0, 64);
    const attempts: Array<[unknown, RegExp]> = [
      [{ ...particle, kind: 300 }, /poke: value 300 at Particle\.kind does not fit Word8/],
      [{ ...particle, id: '7' }, /value "7" at Particle\.id does not fit Int32/],
      [
        { ...particle, tag: [1, 2, 70000, 4] },
        /value 70000 at Particle\.tag\[2\] does not fit Int16/,
      ],
      [{ ...particle, tag: [1, 2] }, /Particle\.tag does not fit Int16\[4\]: length 2, expected 4/],
      [{ ...particle, flags: -1n }, /value -1n at Particle\.flags does not fit Word64/],
      [{ ...particle, flags: 1 }, /Particle\.flags/],
      [
        (({ x: _x, ...rest }) => rest)(particle),
        /value undefined at Particle\.x does not fit CDouble: missing field/,
      ],
      [null, /value null does not fit Particle: an object is expected/],
      ['particle', /does not fit Particle/],
    ];
    for (const [value, message] of attempts) {
      expect(() => poke(Particle, at(0), value as Particle)()).toThrow(message);
      expect(bytes(0, 64)).toEqual(before);
    }
  });

  it('ignores extra properties of the value', () => {
    poke(Particle, at(0), { ...particle, extra: 'x' } as Particle)();
    expect(peek(Particle, at(0))()).toEqual(particle);
  });

  it('nests structs and arrays of structs', () => {
    const Vec = struct({ x: CFloat, y: CFloat }, 'Vec');
    const Path = struct({ n: CChar, points: array(Vec, 3), last: Vec }, 'Path');
    expect([Path.sizeOf, Path.alignment, offsetOf(Path, 'points'), offsetOf(Path, 'last')]).toEqual(
      [36, 4, 4, 28],
    );
    const value = {
      n: 3,
      points: [
        { x: 1, y: 2 },
        { x: 3, y: 4 },
        { x: 5, y: 6 },
      ],
      last: { x: 7, y: 8 },
    };
    poke(Path, at(64), value)();
    expect(peek(Path, at(64))()).toEqual(value);
    expect(() =>
      poke(Path, at(64), {
        ...value,
        points: [value.last, value.last, { x: 1 }],
      } as typeof value)(),
    ).toThrow(/value undefined at Path\.points\[2\]\.y does not fit CFloat: missing field/);
  });

  it('packed: no padding, alignment 1', () => {
    const P = packed({ a: Word8, b: Int32, c: CDouble });
    expect([P.sizeOf, P.alignment, offsetOf(P, 'b'), offsetOf(P, 'c')]).toEqual([13, 1, 1, 5]);
    expect(P.name).toBe('packed struct { a: Word8; b: Int32; c: CDouble }');
    poke(P, at(3), { a: 1, b: -2, c: 0.5 })();
    expect(peek(P, at(3))()).toEqual({ a: 1, b: -2, c: 0.5 });
  });

  it('struct alignment option rounds the size up, like aligned on a struct type', () => {
    const S = struct({ a: CInt }, { align: 16 });
    expect([S.sizeOf, S.alignment]).toEqual([16, 16]);
  });

  it.each([
    [() => struct(null as never), TypeError, /struct: members must be an object/],
    [() => struct({ a: 5 } as never), TypeError, /struct: member a is not a Storable instance/],
    [() => struct({ a: {} } as never), TypeError, /member a/],
    [
      () => struct(JSON.parse('{"__proto__": 1}')),
      RangeError,
      /"__proto__" cannot be a member name/,
    ],
    [() => struct({ 0: CInt }), RangeError, /"0" cannot be a member name/],
    [
      () => struct({ a: CInt }, { align: 3 }),
      RangeError,
      /alignment 3 is not a positive power of two/,
    ],
    [
      () => struct({ a: { ...CInt, sizeOf: 3, alignment: 2 } }),
      RangeError,
      /member a has size 3, not a non-negative multiple of its alignment 2/,
    ],
    [() => struct({ a: { ...CInt, alignment: 3 } }), RangeError, /alignment 3/],
    [() => packed({ a: 'x' } as never), TypeError, /packed|struct/],
  ])('rejects bad definitions (%#)', (make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });
});

describe('offsetOf', () => {
  it('refuses bit-fields and unknown keys', () => {
    const S = struct({ a: bits(CUInt, 3), b: CInt });
    expect(() => offsetOf(S, 'a')).toThrow('offsetOf: a is a bit-field, it has no byte offset');
    expect(() => offsetOf(S, 'z' as never)).toThrow(RangeError);
    expect(offsetOf(S, 'b')).toBe(4);
  });

  it('gives every member of a union offset 0, as C does', () => {
    const U = union({ a: CInt, b: CDouble, c: struct({ x: Int16, y: Int16 }) }, 'U');
    expect(offsetOf(U, 'a')).toBe(0);
    expect(offsetOf(U, 'b')).toBe(0);
    expect(offsetOf(U, 'c')).toBe(0);
    expect(() => offsetOf(U, 'z' as never)).toThrow('offsetOf: z is not a member of U');
  });

  it('sees through aligned(n, S) to the struct or union it stores at offset 0', () => {
    const S = struct({ a: Word8, b: CDouble });
    expect(offsetOf(aligned(16, S), 'b')).toBe(8);
    expect(offsetOf(aligned(32, aligned(16, union({ u: CInt }))), 'u')).toBe(0);
    expect(() => offsetOf(aligned(16, S), 'z')).toThrow(RangeError);
  });

  it('is a TypeError naming offsetOf for anything without members', () => {
    for (const S of [
      array(CInt, 3),
      CInt,
      aligned(16, CInt),
      chars(4),
      enumeration(CInt, { A: 0 }),
      { name: 'hand', sizeOf: 4, alignment: 4 },
      null,
      undefined,
      42,
    ]) {
      expect(() => offsetOf(S as never, '0'), String(S)).toThrow(TypeError);
      expect(() => offsetOf(S as never, '0'), String(S)).toThrow(/^offsetOf: .* has no members/);
    }
  });
});

describe('union', () => {
  const U = union({ i: Int32, d: CDouble, c: array(Word8, 3) }, 'U');

  it('is as big as its largest member, aligned to the largest alignment', () => {
    expect([U.sizeOf, U.alignment]).toEqual([8, 8]);
    expect(union({ c: array(Word8, 5), s: Int16 }).sizeOf).toBe(6);
  });

  it('peek then poke changes no byte: the issue-7 example, union({ a: CInt, b: CDouble })', () => {
    const V = union({ a: CInt, b: CDouble });
    poke(V, at(0), { b: 2.5 })();
    const before = bytes(0, 8);
    const value = peek(V, at(0))();
    expect(value).toEqual({ b: 2.5 });
    poke(V, at(0), value)();
    expect(bytes(0, 8)).toEqual(before);
    expect(peek(V.fields.b, at(0))()).toBe(2.5);
    poke(V, at(0), { a: 5 })();
    expect(peek(V, at(0))()).toEqual({ a: 5 });
    poke(V, at(0), { b: 0 })(); // the bytes of { a: 0 } too: the first member that holds them
    expect(peek(V, at(0))()).toEqual({ a: 0 });
  });

  it('peek returns the first member whose value holds the bytes exactly, else the first that reads', () => {
    const W = union({ flag: CBool, c: Char, n: Int64 });
    poke(W, at(0), { n: 2n ** 40n })();
    expect(peek(W, at(0))()).toEqual({ n: 2n ** 40n }); // flag and c do not hold those bytes
    poke(W, at(0), { n: 2n })();
    expect(peek(W, at(0))()).toEqual({ c: '\u0002' }); // CBool 2 does not read; c holds them
    poke(W, at(0), { c: 'é' })();
    expect(peek(W, at(0))()).toEqual({ c: 'é' });
    poke(W, at(0), { flag: 1 })();
    expect(peek(W, at(0))()).toEqual({ flag: 1 });
    // Bytes no member holds exactly (C left a tail): the first member that reads them.
    const T = union({ flag: CBool, s: chars(3) });
    memory.views.u8.set([1, 0, 9], BASE);
    expect(peek(T, at(0))()).toEqual({ flag: 1 });
    // Bytes no member reads: the first member's MarshalError.
    memory.views.u8.fill(0xff, BASE, BASE + 8);
    expect(() => peek(union({ flag: CBool, c: Char }, 'BC'), at(0))()).toThrow(
      /^peek: value 255 at BC\.flag does not fit CBool/,
    );
  });

  it('structs and arrays holding unions keep their bytes on peek then poke, with both compilers', () => {
    const V = union({ i: Int32, d: CDouble, c: array(Word8, 3) }, 'V');
    const S = struct({ tag: Word8, v: V, vs: array(V, 3) }, 'S');
    const value = { tag: 1, v: { d: -0.5 }, vs: [{ c: [1, 2, 3] }, { d: 1e300 }, { i: -7 }] };
    for (const how of ['codegen', 'interpreter'] as const) {
      const C = compileLayout(S, how);
      memory.views.u8.fill(0xab, BASE, BASE + 64);
      C.write(memory.views, BASE, value as never);
      const before = bytes(0, S.sizeOf);
      const got = C.read(memory.views, BASE) as typeof value;
      expect(got.v).toEqual({ d: -0.5 });
      expect(got.vs[1]).toEqual({ d: 1e300 });
      C.write(memory.views, BASE, got as never);
      expect(bytes(0, S.sizeOf), how).toEqual(before);
    }
  });

  describe.each(['own', 'codegen', 'interpreter'] as const)('the Storable laws (%s)', (how) => {
    const Num = union({ bits: Word32, f: CFloat }, 'Num');
    const Mixed = union({ flag: CBool, c: Char, n: Int64, s: chars(5), d: CDouble }, 'Mixed');
    const Small = union({ b: Word8, pair: struct({ x: Int16, y: Int16 }) }, { packed: true });
    const Holder = struct({ tag: Word8, u: Mixed, list: array(Small, 3), n: Num }, 'Holder');
    const Nested = union({ h: Holder, raw: array(Word8, 4) }, 'Nested');
    it.each([
      ['a union of a word and a float', Num],
      ['a union of members that can fail to read', Mixed],
      ['a packed union with a struct member', Small],
      ['a struct holding unions and an array of them', Holder],
      ['a union holding such a struct', Nested],
      ['an array of unions', array(Mixed, 4)],
      ['an aligned union', aligned(32, Num)],
    ])('%s', (_name, S) => {
      assertStorableLaws(withCompiler(S as Storable<any>, how), valueOf(S as Storable<any>), {
        numRuns: runs(60),
      });
    });
  });

  it('pokes the one member present, zeroes the rest, and peeks the first member', () => {
    memory.views.u8.fill(0xff, BASE, BASE + 16);
    poke(U, at(0), { c: [1, 2, 3] })();
    expect(bytes(0, 8)).toEqual([1, 2, 3, 0, 0, 0, 0, 0]);
    expect(peek(U, at(0))()).toEqual({ i: 0x030201 });
    poke(U, at(0), { d: 1.5 })();
    expect(peek(U.fields.d, at(0))()).toBe(1.5);
    poke(U, at(0), { i: -1 })();
    expect(peek(U, at(0))()).toEqual({ i: -1 });
    expect(bytes(4, 4)).toEqual([0, 0, 0, 0]);
  });

  it('refuses values with no member or with several, writing nothing', () => {
    memory.views.u8.fill(0xee, BASE, BASE + 16);
    expect(() => poke(U, at(0), {} as never)()).toThrow(
      /no member present; a union value has exactly one of i, d, c/,
    );
    expect(() => poke(U, at(0), { i: 1, d: 2 } as never)()).toThrow(/i and d are all present/);
    expect(() => poke(U, at(0), { i: 1.5 })()).toThrow(/value 1\.5 at U\.i does not fit Int32/);
    expect(bytes(0, 16)).toEqual(Array(16).fill(0xee));
  });

  it.each([
    [() => union({}), RangeError, /union: there are no members/],
    [() => union({ a: bits(CUInt, 3) } as never), TypeError, /member a is not a Storable instance/],
    [() => union({ a: CInt }, { align: 0 }), RangeError, /alignment 0/],
    [() => union(7 as never), TypeError, /members must be an object/],
  ])('rejects bad definitions (%#)', (make, type, message) => {
    expect(make).toThrow(type);
    expect(make).toThrow(message);
  });
});

describe('array', () => {
  it('holds exactly n elements', () => {
    const A = array(Int16, 3);
    expect([A.sizeOf, A.alignment, A.name]).toEqual([6, 2, 'Int16[3]']);
    poke(A, at(2), [1, -1, 3])();
    expect(peek(A, at(2))()).toEqual([1, -1, 3]);
    expect(() => poke(A, at(2), [1, 2])()).toThrow(/length 2, expected 3/);
    expect(() => poke(A, at(2), [1, 2, 3, 4])()).toThrow(/length 4, expected 3/);
    // eslint-disable-next-line no-sparse-arrays
    expect(() => poke(A, at(2), [1, , 3] as number[])()).toThrow(
      /value undefined at value\[1\] does not fit Int16/,
    );
  });

  it('loops over long arrays, in both directions', () => {
    const A = array(CDouble, 100);
    const values = Array.from({ length: 100 }, (_, i) => i / 3);
    poke(A, at(8), values)();
    expect(peek(A, at(8))()).toEqual(values);
    poke(A, at(9), values)();
    expect(peek(A, at(9))()).toEqual(values);
  });

  it.each([
    [() => array(CInt, -1), RangeError],
    [() => array(CInt, 1.5), RangeError],
    [() => array(CInt, NaN), RangeError],
    [() => array(CInt, 2 ** 52), RangeError],
    [() => array(5 as never, 2), TypeError],
  ])('rejects bad definitions (%#)', (make, type) => {
    expect(make).toThrow(type);
  });
});

describe('bit-fields', () => {
  const Flags = struct(
    { a: bits(CUInt, 3), b: bits(CInt, 5), big: bits(Word64, 40), on: bits(CBool, 1) },
    'Flags',
  );

  it('pack into storage units and sign-extend signed ones', () => {
    // a, b: bits 0-7; big: bits 8-47 (fits the first 64-bit unit); on: bit 48
    expect([Flags.sizeOf, Flags.alignment]).toEqual([8, 8]);
    poke(Flags, at(0), { a: 5, b: -3, big: 2n ** 39n + 1n, on: 1 })();
    expect(peek(Flags, at(0))()).toEqual({ a: 5, b: -3, big: 2n ** 39n + 1n, on: 1 });
    expect(bytes(0, 1)).toEqual([5 | ((-3 & 31) << 3)]);
  });

  it('refuse values outside their width', () => {
    expect(() => poke(Flags, at(0), { a: 8, b: 0, big: 0n, on: 0 })()).toThrow(
      /value 8 at Flags\.a does not fit CUInt : 3: a 3-bit unsigned field holds integers in \[0, 7\]/,
    );
    expect(() => poke(Flags, at(0), { a: 0, b: -17, big: 0n, on: 0 })()).toThrow(/\[-16, 15\]/);
    expect(() => poke(Flags, at(0), { a: 0, b: 0, big: 2n ** 40n, on: 0 })()).toThrow(/bigints in/);
    expect(() => poke(Flags, at(0), { a: 0, b: 0, big: 0n, on: 2 })()).toThrow(MarshalError);
  });

  it.each([
    [() => bits(CFloat as never, 3), TypeError],
    [() => bits(Char as never, 3), TypeError],
    [() => bits(Particle as never, 3), TypeError],
    [() => bits(CUInt, 0), RangeError],
    [() => bits(CUInt, 33), RangeError],
    [() => bits(CUInt, 1.5), RangeError],
    [() => bits(CBool, 2), RangeError],
    [() => unnamedBits(CUInt, -1), RangeError],
    [() => unnamedBits(CUInt, 33), RangeError],
    [() => unnamedBits(CDouble as never, 1), TypeError],
  ])('rejects bad definitions (%#)', (make, type) => {
    expect(make).toThrow(type);
  });
});

describe('enumeration', () => {
  const Color = enumeration(CInt, { RED: 0, GREEN: 1, BLUE: 7, AZURE: 7 }, 'Color');

  it('stores the tag and peeks the (first) name', () => {
    poke(Color, at(0), 'BLUE')();
    expect(peek(Int32, at(0))()).toBe(7);
    expect(peek(Color, at(0))()).toBe('BLUE');
    poke(Color, at(0), 'AZURE')();
    expect(peek(Color, at(0))()).toBe('BLUE');
  });

  it('an unknown tag on peek, or an unknown name on poke, is a MarshalError', () => {
    poke(Int32, at(0), 3)();
    expect(() => peek(Color, at(0))()).toThrow(
      'peek: value 3 does not fit Color: no name of the enumeration has this tag',
    );
    expect(() => poke(Color, at(0), 'PINK' as never)()).toThrow(
      /value "PINK" does not fit Color: one of RED, GREEN, BLUE, AZURE/,
    );
    expect(() => poke(Color, at(0), 'toString' as never)()).toThrow(MarshalError);
  });

  it('works over 64-bit bases, with numbers or bigints as tags', () => {
    const E = enumeration(Int64, { A: 1, B: 2n ** 40n });
    poke(E, at(0), 'B')();
    expect(peek(Int64, at(0))()).toBe(2n ** 40n);
    expect(peek(E, at(0))()).toBe('B');
  });

  it.each([
    [() => enumeration(CFloat as never, { A: 0 }), TypeError],
    [() => enumeration(CBool as never, { A: 0 }), TypeError],
    [() => enumeration(Word8, { A: 300 }), RangeError],
    [() => enumeration(Word8, { A: -1 }), RangeError],
    [() => enumeration(Word8, { A: 'x' } as never), RangeError],
    [() => enumeration(Word8, {}), RangeError],
  ])('rejects bad definitions (%#)', (make, type) => {
    expect(make).toThrow(type);
  });
});

describe('chars', () => {
  it('writes UTF-8 padded with NULs, and reads up to the first NUL', () => {
    const Name = chars(8);
    memory.views.u8.fill(0xff, BASE, BASE + 8);
    poke(Name, at(0), 'hé')();
    expect(bytes(0, 8)).toEqual([0x68, 0xc3, 0xa9, 0, 0, 0, 0, 0]);
    expect(peek(Name, at(0))()).toBe('hé');
  });

  it('allows n bytes with no NUL by default; terminated requires the NUL', () => {
    poke(chars(4), at(0), 'abcd')();
    expect(peek(chars(4), at(0))()).toBe('abcd');
    expect(() => peek(chars(4, { terminated: true }), at(0))()).toThrow(/no NUL in the 4 bytes/);
    expect(() => poke(chars(4, { terminated: true }), at(0), 'abcd')()).toThrow(
      /4 UTF-8 bytes, at most 3 fit/,
    );
    poke(chars(4, { terminated: true }), at(0), 'abc')();
    expect(bytes(0, 4)).toEqual([0x61, 0x62, 0x63, 0]);
  });

  it('refuses strings that do not fit, never truncating', () => {
    const C = chars(3, { name: 'code' });
    memory.views.u8.fill(0xee, BASE, BASE + 4);
    expect(() => poke(C, at(0), 'abcd')()).toThrow(
      'poke: value "abcd" does not fit code: 4 UTF-8 bytes, at most 3 fit',
    );
    expect(() => poke(C, at(0), 'aé€')()).toThrow(/6 UTF-8 bytes/);
    expect(() => poke(C, at(0), 'a\0b')()).toThrow(/contains a NUL/);
    expect(() => poke(C, at(0), '\uD800')()).toThrow(/lone surrogate/);
    expect(() => poke(C, at(0), 3 as never)()).toThrow(/a string is expected/);
    expect(bytes(0, 4)).toEqual([0xee, 0xee, 0xee, 0xee]);
  });

  it('malformed UTF-8 on peek is a MarshalError', () => {
    memory.views.u8.set([0x61, 0xff, 0x62], BASE);
    expect(() => peek(chars(3), at(0))()).toThrow(/malformed UTF-8 at byte 1/);
    expect(either.peek(chars(3), at(0))()._tag).toBe('Left');
  });

  it.each([[-1], [1.5], [NaN]])('rejects length %s', (n) => {
    expect(() => chars(n)).toThrow(RangeError);
  });

  it('rejects a terminated chars(0)', () => {
    expect(() => chars(0, { terminated: true })).toThrow(/positive/);
    expect(chars(0).sizeOf).toBe(0);
  });
});

describe('aligned', () => {
  it('as a member, raises the offset and the struct alignment, not the size of the member', () => {
    const S = struct({ c: CChar, x: aligned(16, CInt), d: CChar });
    expect([offsetOf(S, 'x'), offsetOf(S, 'd'), S.sizeOf, S.alignment]).toEqual([16, 20, 32, 16]);
  });

  it('alone, pads to a multiple of the alignment with zeros', () => {
    const A = aligned(8, CInt);
    expect([A.sizeOf, A.alignment, A.name]).toEqual([8, 8, 'aligned(8, CInt)']);
    memory.views.u8.fill(0xff, BASE, BASE + 8);
    poke(A, at(0), -2)();
    expect(bytes(0, 8)).toEqual([0xfe, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
    expect(peek(array(A, 2), at(0))()).toEqual([-2, 0]);
  });

  it('never lowers an alignment', () => {
    expect(aligned(1, CDouble).alignment).toBe(8);
  });

  it.each([[0], [3], [-4], [1.5]])('rejects alignment %s', (n) => {
    expect(() => aligned(n, CInt)).toThrow(RangeError);
  });
});

describe('hand-written instances inside layouts', () => {
  it('are called through their read, write and codec', () => {
    const Fixed: Storable<number> = {
      name: 'Fixed16',
      sizeOf: 4,
      alignment: 4,
      codec: checkCodec('Fixed16', (x) => typeof x === 'number' && Math.abs(x) < 32768),
      read: (v, p) => Int32.read(v, p) / 65536,
      write: (v, p, a) => Int32.write(v, p, Math.round(a * 65536)),
    };
    const S = struct({ a: CChar, f: Fixed }, 'S');
    poke(S, at(0), { a: 1, f: 1.5 })();
    expect(peek(Int32, at(4))()).toBe(98304);
    expect(peek(S, at(0))()).toEqual({ a: 1, f: 1.5 });
    expect(() => poke(S, at(0), { a: 1, f: 40000 })()).toThrow(
      /value 40000 at S\.f does not fit Fixed16/,
    );
  });
});

describe('models', () => {
  it('wasm32 is the default', () => {
    expect(CInt).toBe(wasm32.CInt);
    expect(wasm32.ptrTo<number>()).toBe(wasm32.Ptr);
  });
});

describe('arguments that are not what they should be', () => {
  const NOT_INSTANCES = [null, undefined, 'CInt', {}, { sizeOf: 4, alignment: 4 }] as never[];

  it('the combinators refuse an instance that is not one, naming themselves', () => {
    for (const S of NOT_INSTANCES) {
      refusal(() => aligned(16, S), TypeError, 'aligned');
      refusal(() => bits(S, 3), TypeError, 'bits');
      refusal(() => unnamedBits(S, 0), TypeError, 'unnamedBits');
      refusal(() => enumeration(S, { A: 0 }), TypeError, 'enumeration');
      refusal(() => sizeOf(S), TypeError, 'sizeOf');
      refusal(() => alignment(S), TypeError, 'alignment');
      refusal(() => compileLayout(S), TypeError, 'compileLayout');
    }
  });

  it('options are a name or an object with a string name, boolean flags and a power-of-two align', () => {
    const members = { a: CInt };
    for (const [make, call] of [
      [(o: never) => struct(members, o), 'struct'],
      [(o: never) => packed(members, o), 'packed'],
      [(o: never) => union(members, o), 'union'],
    ] as const) {
      for (const o of [5, null, { name: 5 }, { packed: 'yes' }, { packed: 1 }]) {
        refusal(() => make(o as never), TypeError, call);
      }
      refusal(() => make({ align: 3 } as never), RangeError, call);
      expect(make('T' as never).name).toBe('T');
    }
    for (const o of [5, null, { terminated: 'yes' }, { name: 5 }]) {
      refusal(() => chars(4, o as never), TypeError, 'chars');
    }
    refusal(() => array(CInt, 2, 5 as never), TypeError, 'array');
    refusal(() => enumeration(CInt, { A: 0 }, 5 as never), TypeError, 'enumeration');
    for (const tags of [null, undefined, 'A']) {
      refusal(() => enumeration(CInt, tags as never), TypeError, 'enumeration');
    }
  });

  it('packed reports its own errors, not those of struct', () => {
    refusal(() => packed(null as never), TypeError, 'packed');
    refusal(() => packed({ a: 'CInt' } as never), TypeError, 'packed');
    refusal(() => packed({ 0: CInt }), RangeError, 'packed');
  });
});

describe('the errors of the layout combinators name the call the user made', () => {
  it('packed names itself, not struct', () => {
    expect(() => packed({ a: 7 } as never)).toThrow(/^packed: member a is not a Storable/);
    expect(() => packed(7 as never)).toThrow(/^packed: members must be an object/);
  });
});

describe('layout combinators with bigint lengths, widths and alignments', () => {
  it('take bigints whose values are safe integers, as numbers', () => {
    const A = array(CInt, 3n);
    expect([A.length, A.sizeOf]).toEqual([3, 12]);
    const Al = aligned(16n, CInt);
    expect([Al.alignment, Al.sizeOf]).toEqual([16, 16]);
    const S = struct({ a: CInt, b: bits(CUInt, 3n), c: unnamedBits(CUInt, 0n) }, { align: 8n });
    expect([S.alignment, S.declaredAlign, S.sizeOf]).toEqual([8, 8, 8]);
    const U = union({ a: CInt }, { align: 16n });
    expect([U.alignment, U.declaredAlign]).toEqual([16, 16]);
    const P = packed({ a: CInt, b: Word8 }, { align: 2n });
    expect(P.sizeOf).toBe(6);
    const C = chars(4n);
    expect(C.sizeOf).toBe(4);
    poke(S, at(0), { a: 1, b: 5 })();
    expect(peek(S, at(0))()).toEqual({ a: 1, b: 5 });
  });

  it('refuse bigints beyond 2^53 − 1 and bad values with a RangeError naming the call', () => {
    for (const [call, run] of [
      ['array', () => array(CInt, 2n ** 53n)],
      ['aligned', () => aligned(3n, CInt)],
      ['bits', () => bits(CUInt, 33n)],
      ['unnamedBits', () => unnamedBits(CUInt, -1n)],
      ['struct', () => struct({ a: CInt }, { align: 2n ** 64n })],
      ['union', () => union({ a: CInt }, { align: 6n })],
      ['chars', () => chars(-1n)],
    ] as const) {
      expect(run, call).toThrow(RangeError);
      expect(run, call).toThrow(new RegExp(`^${call}: `));
    }
  });
});
