/**
 * pokeArray and pokeArray0 write in one pass that checks each element as it writes it, over a
 * snapshot of the destination: these tests hold them to their promise. On any array with one
 * bad element anywhere (any layout, either compiler, any address), the error is the one the
 * check-first passes give (the same message, path and type) and the destination's bytes are
 * unchanged, as after an element's getter that throws; heap.check() passes after each. And
 * peekArray(pokeArray(xs)) is xs, byte for byte what poke writes element by element.
 */
import fc from 'fast-check';
import * as t from 'io-ts';
import { afterEach, describe, expect, it } from 'vitest';
import { thrown } from '../../support/thrown.js';
import { contextOf } from '../../../src/interface/index.js';
import {
  CInt,
  Double,
  Int32,
  MarshalError,
  Word64,
  Word8,
  array,
  setLayoutCompiler,
  storable,
  struct,
  type LayoutCompiler,
  type Ptr,
  type Storable,
} from '../../../src/foreign/index.js';
import { marshalAlloc } from '../../../src/foreign/marshal/alloc.js';
import { marshalArray } from '../../../src/foreign/marshal/array.js';
import { peekPoke } from '../../../src/foreign/storable/peek-poke.js';
import { lp64, wasm32 } from '../../../src/foreign/c/types.js';
import { Heap } from '../../../src/heap/index.js';
import { withCompiler } from '../helpers/laws.js';
import { JUNK, layoutArb, mutate, runs, sameUpToUnions, valueOf } from '../helpers/arbitrary.js';

const worldOf = (heap: Heap) => {
  const ctx = contextOf(heap);
  const alloc = marshalAlloc(ctx);
  return { heap, ctx, alloc, arr: marshalArray(ctx, alloc), pp: peekPoke(ctx.memory) };
};

const world = worldOf(Heap.create({ checked: true, maxBytes: 1 << 24 }));
const { heap, ctx, alloc, arr, pp } = world;

const bytes = (p: number, n: number, w = world): number[] =>
  Array.from(w.ctx.memory.ensure(p, n).u8.subarray(p, p + n));

/** Fills `[p, p + n)` with the bytes of `seed`, so that a restore shows. */
const scribble = (p: number, n: number, seed: number, w = world): void => {
  const u8 = w.ctx.memory.ensureWritable(p, n, 'test').u8;
  for (let i = 0; i < n; i++) u8[p + i] = (seed + i * 151) & 255;
};

/** The error of `f`, which must throw one; the heap passes check() and holds what it held. */
const refusedBy = (f: () => unknown, w = world): unknown => {
  const live = w.heap.stats().liveBlocks;
  const e = thrown(f);
  w.heap.check();
  expect(w.heap.stats().liveBlocks).toBe(live);
  return e;
};

const layouts = fc.oneof(layoutArb(wasm32, 3, 512), layoutArb(lp64, 3, 512));
const compilers = fc.constantFrom<LayoutCompiler>('codegen', 'interpreter');

/** A layout, values of it, the index of the bad one and what replaces it (a part or the whole). */
const badArrays = layouts.chain((S) =>
  fc.record({
    S: fc.constant(S),
    how: compilers,
    xs: fc.array(valueOf(S), { minLength: 1, maxLength: 12 }),
    at: fc.nat(),
    junk: fc.constantFrom(...JUNK),
    part: fc.nat(),
    whole: fc.boolean(),
    remove: fc.boolean(),
    offset: fc.integer({ min: 0, max: 7 }),
    seed: fc.nat(255),
  }),
);

afterEach(() => setLayoutCompiler('auto'));

describe('pokeArray: one bad element anywhere changes no byte', () => {
  it('any layout, either compiler, any address: the check-first error, the bytes unchanged', () => {
    fc.assert(
      fc.property(badArrays, (c) => {
        setLayoutCompiler(c.how);
        const S = withCompiler(c.S, c.how);
        const k = c.at % c.xs.length;
        const bad = c.whole ? c.junk : mutate(c.xs[k], c.part, c.junk, c.remove);
        fc.pre(!S.codec.is(bad));
        const xs = c.xs.slice();
        xs[k] = bad;
        // The reference: newArray checks every element before it allocates anything.
        const expected = refusedBy(() => arr.newArray(S, xs)()) as MarshalError;
        const n = xs.length * S.sizeOf;
        const block = alloc.mallocBytes(n + 16)();
        const p = (block + c.offset) as Ptr<any>;
        scribble(block, n + 16, c.seed);
        const image = bytes(block, n + 16);
        const e = refusedBy(() => arr.pokeArray(S, p, xs)());
        expect(e).toBeInstanceOf(MarshalError);
        expect((e as MarshalError).path).toBe(expected.path);
        expect((e as MarshalError).message).toBe(
          expected.message.replace(/^newArray/, 'pokeArray'),
        );
        expect(bytes(block, n + 16)).toEqual(image);
        // pokeArray0 with a good marker fails the same way (also when the marker's slot runs
        // past the block: the element is reported first).
        const e0 = refusedBy(() => arr.pokeArray0(S, c.xs[k], p, xs)());
        expect((e0 as MarshalError).path).toBe(expected.path);
        expect(bytes(block, n + 16)).toEqual(image);
        alloc.free(block)();
      }),
      { numRuns: runs(200) },
    );
  });

  it('peekArray(pokeArray(xs)) is xs, in the bytes poke writes, for any layout and compiler', () => {
    fc.assert(
      fc.property(
        layouts.chain((S) =>
          fc.tuple(fc.constant(S), compilers, fc.array(valueOf(S), { maxLength: 12 })),
        ),
        ([S0, how, xs]) => {
          setLayoutCompiler(how);
          const S = withCompiler(S0, how);
          const n = xs.length * S.sizeOf;
          const p = arr.mallocArray(S, xs.length + 1)();
          const q = arr.mallocArray(S, xs.length + 1)();
          arr.pokeArray(S, p, xs)();
          xs.forEach((x, i) => pp.pokeElemOff(S, q, i, x)());
          expect(bytes(p, n)).toEqual(bytes(q, n));
          const ys = arr.peekArray(S, xs.length, p)();
          expect(ys.every((y, i) => sameUpToUnions(S, y, xs[i]))).toBe(true);
          alloc.free(p)();
          alloc.free(q)();
        },
      ),
      { numRuns: runs(200) },
    );
    heap.check();
  });
});

const Particle = struct({
  kind: Word8,
  x: Double,
  flags: Word64,
  tag: array(Int32, 2),
});
const particle = (i: number) => ({
  kind: i & 255,
  x: i / 3,
  flags: BigInt(i) << 40n,
  tag: [i, -(i + 1)],
});

describe('pokeArray: Word64 members and the ways an element can fail', () => {
  const p = arr.mallocArray(Particle, 64)();
  const size = 64 * Particle.sizeOf;

  const refusedUnchanged = (xs: unknown[], at: number): MarshalError => {
    scribble(p, size, at);
    const image = bytes(p, size);
    const e = refusedBy(() => arr.pokeArray(Particle, p, xs as any)());
    expect(bytes(p, size)).toEqual(image);
    return e as MarshalError;
  };

  it('a Word64 out of range, or a number in its place, is the MarshalError at [i].flags', () => {
    for (const [flags, shown] of [
      [2n ** 64n, '18446744073709551616n'],
      [-1n, '-1n'],
      [1, '1'],
      ['1', '"1"'],
    ] as const) {
      const xs: unknown[] = Array.from({ length: 64 }, (_, i) => particle(i));
      xs[37] = { ...particle(37), flags };
      const e = refusedUnchanged(xs, 37);
      expect(e).toBeInstanceOf(MarshalError);
      expect(e.path).toBe('[37].flags');
      expect(e.message).toBe(`pokeArray: value ${shown} at [37].flags does not fit Word64`);
    }
    const edge = [
      particle(1),
      { ...particle(2), flags: 2n ** 64n - 1n },
      { ...particle(3), flags: 0n },
    ];
    arr.pokeArray(Particle, p, edge)();
    expect(arr.peekArray(Particle, 3, p)()).toEqual(edge);
  });

  it('an element whose getter throws: its error, with the bytes unchanged', () => {
    const xs: unknown[] = Array.from({ length: 64 }, (_, i) => particle(i));
    const boom = new Error('boom');
    xs[50] = {
      ...particle(50),
      get x(): number {
        throw boom;
      },
    };
    expect(refusedUnchanged(xs, 50)).toBe(boom);
  });

  it('a getter that pokes another array meanwhile: both arrays are written', () => {
    const q = arr.mallocArray(Particle, 4)();
    const inner = [particle(7), particle(8), particle(9), particle(10)];
    const xs: unknown[] = Array.from({ length: 64 }, (_, i) => particle(i));
    let pokes = 0;
    xs[20] = {
      ...particle(20),
      get kind(): number {
        pokes++;
        arr.pokeArray(Particle, q, inner)();
        return 20;
      },
    };
    arr.pokeArray(Particle, p, xs as any)();
    expect(pokes).toBeGreaterThan(0);
    expect(arr.peekArray(Particle, 64, p)()).toEqual(xs.map((_, i) => particle(i)));
    expect(arr.peekArray(Particle, 4, q)()).toEqual(inner);
    alloc.free(q)();
    heap.check();
  });

  it('a bad element and a bad address: the element is reported, as before', () => {
    const xs = [particle(1), { ...particle(2), x: 'two' }];
    const e = refusedBy(() => arr.pokeArray(Particle, 0 as Ptr<any>, xs as any)());
    expect((e as MarshalError).path).toBe('[1].x');
    const m = refusedBy(() => arr.pokeArray0(Particle, { bad: 1 } as any, p, xs as any)());
    expect((m as MarshalError).path).toBe('[1].x');
    const marker = refusedBy(() => arr.pokeArray0(Particle, { bad: 1 } as any, p, [particle(1)])());
    expect((marker as MarshalError).path).toBe('marker.kind');
  });
});

describe('pokeArray: the paths without a snapshot keep the promise too', () => {
  it('an array above the snapshot limit (1 MiB) with its last element bad', () => {
    const n = (1 << 20) / 4 + 10;
    const xs = Array.from({ length: n }, (_, i) => i);
    const p = arr.mallocArray(Int32, n)();
    scribble(p, 64, 9);
    const head = bytes(p, 64);
    xs[n - 1] = 0.5;
    const e = refusedBy(() => arr.pokeArray(Int32, p, xs)());
    expect((e as MarshalError).path).toBe(`[${n - 1}]`);
    expect(bytes(p, 64)).toEqual(head);
    xs[n - 1] = 1;
    arr.pokeArray(Int32, p, xs)();
    expect(arr.peekArray(Int32, 3, (p + 4 * (n - 3)) as Ptr<number>)()).toEqual([n - 3, n - 2, 1]);
    alloc.free(p)();
  });

  it('a shared heap', () => {
    const shared = worldOf(Heap.create({ checked: true, shared: true }));
    const p = shared.arr.mallocArray(Particle, 8)();
    scribble(p, 8 * Particle.sizeOf, 3, shared);
    const image = bytes(p, 8 * Particle.sizeOf, shared);
    const xs: unknown[] = Array.from({ length: 8 }, (_, i) => particle(i));
    xs[7] = { ...particle(7), flags: -5n };
    const e = refusedBy(() => shared.arr.pokeArray(Particle, p, xs as any)(), shared);
    expect((e as MarshalError).path).toBe('[7].flags');
    expect(bytes(p, 8 * Particle.sizeOf, shared)).toEqual(image);
    xs[7] = particle(7);
    shared.arr.pokeArray(Particle, p, xs as any)();
    expect(shared.arr.peekArray(Particle, 8, p)()).toEqual(xs);
  });

  it('a hand-written instance (no layout: the generic loop over its is and write)', () => {
    type Pair = { a: number; b: number };
    const int = t.refinement(t.number, (n) => (n | 0) === n);
    const Pair = storable<Pair>({
      name: 'Pair',
      sizeOf: 8,
      alignment: 4,
      codec: t.type({ a: int, b: int }) as unknown as t.Type<Pair, Pair, unknown>,
      peek: (q, m) => () => ({ a: m.peekByteOff(CInt, q, 0)(), b: m.peekByteOff(CInt, q, 4)() }),
      poke: (q, v, m) => () => {
        m.pokeByteOff(CInt, q, 0, v.a)();
        m.pokeByteOff(CInt, q, 4, v.b)();
      },
    }) as Storable<Pair>;
    const p = arr.mallocArray(Pair, 4)();
    const xs = [
      { a: 1, b: 2 },
      { a: 3, b: 4 },
      { a: 5, b: 6 },
      { a: 7, b: 8 },
    ];
    arr.pokeArray(Pair, p, xs)();
    expect(arr.peekArray(Pair, 4, p)()).toEqual(xs);
    const image = bytes(p, 32);
    const e = refusedBy(() => arr.pokeArray(Pair, p, [xs[3]!, xs[2]!, { a: 1.5, b: 0 }])());
    expect(e).toBeInstanceOf(MarshalError);
    expect((e as MarshalError).message).toMatch(/^pokeArray: /);
    expect(bytes(p, 32)).toEqual(image);
    alloc.free(p)();
  });
});

void ctx;
