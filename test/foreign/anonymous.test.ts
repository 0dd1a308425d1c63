/**
 * C11 anonymous struct and union members (src/foreign/layout/anonymous.ts): layout as C gives it
 * (the figures are clang 14's for wasm32, `-Xclang -fdump-record-layouts`; the generated
 * bindings of c/bindings/corpus.h check more of them against clang and gcc), values spread into
 * the holder, both compilers, the Storable laws, and the errors.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Memory } from '../../src/memory/index.js';
import {
  CChar,
  CDouble,
  CFloat,
  CInt,
  CShort,
  CUInt,
  CLLong,
  Int32,
  MarshalError,
  Word32,
  Word8,
  aligned,
  anonymous,
  array,
  bits,
  compileLayout,
  offsetOf,
  packed,
  peekPoke,
  struct,
  union,
  wordPtrToPtr,
  type Storable,
  type StorableOf,
} from '../../src/foreign/index.js';
import { runs, valueOf } from './helpers/arbitrary.js';
import { assertStorableLaws, withCompiler } from './helpers/laws.js';

const memory = Memory.create();
const { peek, poke } = peekPoke(memory);
const P = wordPtrToPtr<any>(64);

// struct A { char c; unsigned a : 3, b : 7; union { int i; float f; };
//            struct { short x, y; } s; struct { int q; }; long long ll : 33; };
// clang, wasm32: size 24, align 8; a 1:0-2, b 1:3-9, i and f at 4, s at 8, q at 12, ll 16:0-32.
const A = struct(
  {
    c: CChar,
    a: bits(CUInt, 3),
    b: bits(CUInt, 7),
    _0: anonymous(union({ i: CInt, f: CFloat })),
    s: struct({ x: CShort, y: CShort }),
    _1: anonymous(struct({ q: CInt })),
    ll: bits(CLLong, 33),
  },
  'A',
);

// union Vec { struct { float x, y, z; }; float v[3]; };
const Vec = union(
  { _0: anonymous(struct({ x: CFloat, y: CFloat, z: CFloat })), v: array(CFloat, 3) },
  'Vec',
);

// struct Deep { char tag; union { struct { char k; int n; }; union { short h; double d; }; }; };
// clang, wasm32: size 16, align 8; k at 8, n at 12, h and d at 8.
const Deep = struct(
  {
    tag: CChar,
    _u: anonymous(
      union({
        _s: anonymous(struct({ k: CChar, n: CInt })),
        _v: anonymous(union({ h: CShort, d: CDouble })),
      }),
    ),
  },
  'Deep',
);

describe('anonymous members: the layout is C11 as clang has it', () => {
  it('places an anonymous union and struct as named members of their types would be', () => {
    expect([A.sizeOf, A.alignment]).toEqual([24, 8]);
    expect(['i', 'f', 's', 'q'].map((k) => offsetOf(A, k as never))).toEqual([4, 4, 8, 12]);
    const bitsOf = A.layout.members.flatMap((m) =>
      m.tag === 'bits' ? [[m.key, m.bitOffset, m.width]] : [],
    );
    expect(bitsOf).toEqual([
      ['a', 8, 3],
      ['b', 11, 7],
      ['ll', 128, 33],
    ]);
  });

  it('flattens an anonymous struct in a struct and an anonymous union in a union', () => {
    expect(A.layout.members.map((m) => [m.tag, m.key])).toEqual([
      ['field', 'c'],
      ['bits', 'a'],
      ['bits', 'b'],
      ['spread', '_0'],
      ['field', 's'],
      ['field', 'q'],
      ['bits', 'll'],
    ]);
    const U = union({ a: CInt, _0: anonymous(union({ b: CShort, c: CLLong })) });
    expect(U.layout.members.map((m) => m.key)).toEqual(['a', 'b', 'c']);
    expect([U.sizeOf, U.alignment]).toEqual([8, 8]);
  });

  it('nests: a union holding an anonymous struct and an anonymous union, in a struct', () => {
    expect([Deep.sizeOf, Deep.alignment]).toEqual([16, 8]);
    expect(['k', 'n', 'h', 'd'].map((k) => offsetOf(Deep, k as never))).toEqual([8, 12, 8, 8]);
  });

  it('keeps the anonymous member its own alignment and padding, also in a packed holder', () => {
    // struct { char c; struct __attribute__((aligned(8))) { char d; }; char e; }: d at 8, e at 16
    const S = struct({
      c: CChar,
      _0: anonymous(struct({ d: CChar }, { align: 8 })),
      e: CChar,
    });
    expect([offsetOf(S, 'd'), offsetOf(S, 'e'), S.sizeOf, S.alignment]).toEqual([8, 16, 24, 8]);
    // __attribute__((packed)) { char c; struct { char d; int n; }; char e; }: d 1, n 5, e 9
    const Q = packed({ c: CChar, _0: anonymous(struct({ d: CChar, n: CInt })), e: CChar });
    expect(['d', 'n', 'e'].map((k) => offsetOf(Q, k as never))).toEqual([1, 5, 9]);
    expect([Q.sizeOf, Q.alignment]).toEqual([10, 1]);
    // The gaps of the anonymous struct are the holder's: poke zeroes them.
    memory.views.u8.fill(0xee, 64, 64 + Q.sizeOf);
    poke(Q, P, { c: 1, d: 2, n: 3, e: 4 })();
    expect([...memory.views.u8.slice(64, 64 + Q.sizeOf)]).toEqual([1, 2, 0, 0, 0, 3, 0, 0, 0, 4]);
  });
});

describe('anonymous members: values', () => {
  it('spreads the members into the holder, and types them so', () => {
    type AV = StorableOf<typeof A>;
    expectTypeOf<AV>().toMatchTypeOf<{ c: number; a: number; q: number; ll: bigint }>();
    expectTypeOf<{ c: 1; a: 1; b: 1; i: 1; s: { x: 1; y: 1 }; q: 1; ll: 1n }>().toMatchTypeOf<AV>();
    expectTypeOf<{
      c: 1;
      a: 1;
      b: 1;
      i: 1;
      f: 2;
      s: { x: 1; y: 1 };
      q: 1;
      ll: 1n;
    }>().not.toMatchTypeOf<AV>();
    type VV = StorableOf<typeof Vec>;
    expectTypeOf<{ x: 1; y: 2; z: 3 }>().toMatchTypeOf<VV>();
    expectTypeOf<{ v: number[] }>().toMatchTypeOf<VV>();
    expectTypeOf<{ x: 1; y: 2; z: 3; v: number[] }>().not.toMatchTypeOf<VV>();
    const a: AV = { c: 1, a: 2, b: 3, f: 1.5, s: { x: 4, y: 5 }, q: 6, ll: -7n };
    for (const how of ['codegen', 'interpreter'] as const) {
      const S = withCompiler(A, how);
      poke(S, P, a)();
      expect(peek(S, P)(), how).toEqual({ ...a, i: 1069547520, f: undefined });
    }
  });

  it('reads an anonymous struct in a union back as its members', () => {
    for (const how of ['codegen', 'interpreter'] as const) {
      const V = withCompiler(Vec, how);
      poke(V, P, { x: 1, y: 2, z: 3 })();
      expect(peek(V, P)(), how).toEqual({ x: 1, y: 2, z: 3 });
      poke(V, P, { v: [4, 5, 6] })();
      expect(peek(V, P)(), how).toEqual({ x: 4, y: 5, z: 6 });
    }
  });

  it('writes the same bytes with both compilers, and the Storable laws hold', () => {
    for (const S of [A, Vec, Deep] as Array<Storable<any>>) {
      const value = valueOf(S, { noNaN: true });
      fc.assert(
        fc.property(value, (v) => {
          const out: string[] = [];
          for (const how of ['codegen', 'interpreter'] as const) {
            memory.views.u8.fill(0x5a, 64, 64 + S.sizeOf);
            compileLayout(S, how).write(memory.views, 64, v);
            out.push(Buffer.from(memory.views.u8.slice(64, 64 + S.sizeOf)).toString('hex'));
          }
          expect(out[1]).toBe(out[0]);
        }),
        { numRuns: runs(100) },
      );
      for (const how of ['codegen', 'interpreter'] as const) {
        assertStorableLaws(withCompiler(S, how), value, { numRuns: runs(50) });
      }
    }
  });
});

describe('anonymous members: bad input', () => {
  it('anonymous takes a struct or a union, nothing else', () => {
    for (const bad of [CInt, array(CInt, 2), aligned(8, struct({ a: CInt })), {}, null, 3]) {
      expect(() => anonymous(bad as never)).toThrow(TypeError);
      expect(() => anonymous(bad as never)).toThrow(/^anonymous: .* is not a struct or a union$/);
    }
  });

  it('refuses a member name used twice, through anonymous members too', () => {
    const inner = union({ i: CInt, f: CFloat });
    expect(() => struct({ i: CInt, _0: anonymous(inner) })).toThrow(
      'struct: member "i" is declared twice (also through an anonymous member)',
    );
    expect(() => struct({ _0: anonymous(inner), _1: anonymous(inner) })).toThrow(RangeError);
    expect(() => union({ f: CInt, _0: anonymous(struct({ f: CFloat })) })).toThrow(
      /^union: member "f" is declared twice/,
    );
    expect(() => struct({ i: anonymous(inner) })).toThrow(/^struct: member "i" is declared twice/);
  });

  it('refuses values with no member of an anonymous union, or two, and names the struct', () => {
    const base = { c: 1, a: 0, b: 0, s: { x: 0, y: 0 }, q: 0, ll: 0n };
    for (const how of ['codegen', 'interpreter'] as const) {
      const S = withCompiler(A, how);
      expect(() => poke(S, P, base as never)()).toThrow(MarshalError);
      expect(() => poke(S, P, base as never)()).toThrow(/no member present/);
      expect(() => poke(S, P, { ...base, i: 1, f: 2 } as never)()).toThrow(
        /i and f are all present/,
      );
      const V = withCompiler(Vec, how);
      expect(() => poke(V, P, { x: 1, y: 2 } as never)()).toThrow(/at Vec\.z/);
      expect(() => poke(V, P, { x: 1, y: 2, z: 3, v: [1, 2, 3] } as never)()).toThrow(
        /\{ x, y, z \} and v are all present/,
      );
    }
  });

  it('offsetOf finds members through anonymous members, and refuses their keys', () => {
    expect(offsetOf(Deep, 'n' as never)).toBe(12);
    expect(() => offsetOf(A, '_0' as never)).toThrow('offsetOf: _0 is not a member of A');
    expect(() => offsetOf(A, 'a' as never)).toThrow(/is a bit-field/);
    const S = struct({ w: Word32, _0: anonymous(struct({ t: bits(Word8, 3), u: Int32 })) });
    expect(() => offsetOf(S, 't' as never)).toThrow(/is a bit-field/);
    expect(offsetOf(S, 'u' as never)).toBe(8);
  });
});
