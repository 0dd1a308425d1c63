/**
 * Foreign.Marshal.Array: list round trips (the quickcheck-classes "List Conversion Roundtrips"
 * law and its kin) for several instances, advancePtr, copy and move against a JS model,
 * reallocArray, the marker forms, and bad input that must leave the heap and the stack as they
 * were.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import { describe, expect, it } from 'vitest';
import { expectEachRefused } from '../../support/refusal.js';
import { refusal, thrown } from '../../support/thrown.js';
import { NullPointerError } from '../../../src/foreign/storable/access.js';
import { contextOf, type Context } from '../../../src/interface/index.js';
import {
  CBool,
  Double,
  Float,
  Int16,
  Int32,
  Int64,
  MarshalError,
  Word8,
  advancePtr as advancePtrFromIndex,
  aligned,
  array,
  enumeration,
  marshalArray as marshalArrayFromIndex,
  nullPtr,
  plusPtr,
  sizeOf,
  struct,
  union,
  type Ptr,
  type Storable,
  foreign,
} from '../../../src/foreign/index.js';
import { marshalAlloc } from '../../../src/foreign/marshal/alloc.js';
import { advancePtr, marshalArray } from '../../../src/foreign/marshal/array.js';
import { AllocationError, OverlapError } from '../../../src/foreign/index.js';
import { peekPoke } from '../../../src/foreign/storable/peek-poke.js';
import { Heap, InvalidPointerError } from '../../../src/heap/index.js';
import { MemoryBoundsError, makeViews } from '../../../src/memory/index.js';
import { runs, sameValue, valueOf } from '../helpers/arbitrary.js';

const Point = struct({ x: Double, y: Int32 });

interface World {
  readonly heap: Heap;
  readonly ctx: Context;
  readonly pp: ReturnType<typeof peekPoke>;
  readonly alloc: ReturnType<typeof marshalAlloc>;
  readonly arr: ReturnType<typeof marshalArray>;
}

const worldOf = (heap: Heap, stackBytes?: number): World => {
  const ctx = contextOf(heap, stackBytes === undefined ? {} : { size: stackBytes });
  const pp = peekPoke(ctx.memory);
  const alloc = marshalAlloc(ctx);
  return { heap, ctx, pp, alloc, arr: marshalArray(ctx, alloc) };
};

const world = worldOf(Heap.create({ checked: true }));
const { heap, ctx, pp, alloc, arr } = world;

/** The instances the round trips run over, with values of each. */
const instances: ReadonlyArray<readonly [string, Storable<any>]> = [
  ['Int32', Int32],
  ['Word8', Word8],
  ['Double', Double],
  ['Int64', Int64],
  ['struct { x: Double; y: Int32 }', Point],
];

const listOf = (S: Storable<any>, maxLength = 40) => fc.array(valueOf(S), { maxLength });

/** The live blocks, the failures and the stack, which every test leaves as it found them. */
const gauges = (w: World = world) => {
  const s = w.heap.stats();
  return { liveBlocks: s.liveBlocks, liveBytes: s.liveBytes, depth: w.ctx.stack.depth };
};

/** Runs `f`, which must throw a `kind`; the heap passes check() and holds what it held. */
const refused = <T extends Error>(
  kind: abstract new (...args: any[]) => T,
  f: () => unknown,
  w: World = world,
): T => {
  const before = gauges(w);
  const caught = thrown(f);
  expect(caught).toBeInstanceOf(kind);
  w.heap.check();
  expect(gauges(w)).toEqual(before);
  return caught as T;
};

/** Whether `a` and `b` are stored as the same bytes by `S` (the model of the marker test). */
const storedAlike = <A>(S: Storable<A>, a: A, b: A): boolean => {
  const at = (x: A, q: number): number[] => {
    const v = makeViews(new ArrayBuffer(2 * S.sizeOf + 16), 2 * S.sizeOf + 16);
    S.write(v, q, x);
    return [...v.u8.subarray(q, q + S.sizeOf)];
  };
  return sameValue(at(a, 0), at(b, 0));
};

const bytes = (p: number, n: number, w: World = world): number[] =>
  Array.from(w.ctx.memory.ensure(p, n).u8.subarray(p, p + n));

describe('Foreign.Marshal.Array: list round trips', () => {
  for (const [name, S] of instances) {
    it(`newArray then peekArray gives the list back (${name})`, () => {
      const before = gauges();
      fc.assert(
        fc.property(listOf(S), (xs) => {
          const p = arr.newArray(S, xs)();
          expect(p).not.toBe(nullPtr);
          expect(p % S.alignment).toBe(0);
          const ys = arr.peekArray(S, xs.length, p)();
          alloc.free(p)();
          return sameValue(ys, xs);
        }),
        { numRuns: runs(100) },
      );
      heap.check();
      expect(gauges()).toEqual(before);
    });

    it(`pokeArray then peekElemOff agree, element by element (${name})`, () => {
      fc.assert(
        fc.property(listOf(S), (xs) => {
          const p = arr.mallocArray(S, xs.length)();
          arr.pokeArray(S, p, xs)();
          const ok = xs.every((x, i) => sameValue(pp.peekElemOff(S, p, i)(), x));
          alloc.free(p)();
          return ok;
        }),
        { numRuns: runs(100) },
      );
    });

    it(`withArray, withArrayLen: the body sees the list and its length (${name})`, () => {
      fc.assert(
        fc.property(listOf(S), (xs) => {
          const seen = arr.withArray(S, xs, (p) => arr.peekArray(S, xs.length, p))();
          const [n, again] = arr.withArrayLen(
            S,
            xs,
            (n, p) => () => [n, arr.peekArray(S, n, p)()] as const,
          )();
          return sameValue(seen, xs) && n === xs.length && sameValue(again, xs);
        }),
        { numRuns: runs(60) },
      );
      expect(ctx.stack.depth).toBe(0);
    });

    it(`newArray0 / withArray0 / withArrayLen0 with lengthArray0 and peekArray0 (${name})`, () => {
      const before = gauges();
      fc.assert(
        fc.property(valueOf(S), listOf(S, 20), (marker, list) => {
          // Elements stored as the marker is would end the array early: keep the others.
          const xs = list.filter((x) => !storedAlike(S, x, marker));
          const p = arr.newArray0(S, marker, xs)();
          const n = arr.lengthArray0(S, marker, p)();
          const ys = arr.peekArray0(S, marker, p)();
          const stored = pp.peekElemOff(S, p, xs.length)();
          alloc.free(p)();
          const inWith = arr.withArray0(S, marker, xs, (q) => arr.peekArray0(S, marker, q))();
          const [m, len] = arr.withArrayLen0(
            S,
            marker,
            xs,
            (m, q) => () => [m, arr.lengthArray0(S, marker, q)()] as const,
          )();
          return (
            n === xs.length &&
            sameValue(ys, xs) &&
            sameValue(stored, marker) &&
            sameValue(inWith, xs) &&
            m === xs.length &&
            len === xs.length
          );
        }),
        { numRuns: runs(60) },
      );
      heap.check();
      expect(gauges()).toEqual(before);
    });
  }

  it('the GHC example: newArray0 0 [5,6,7], then lengthArray0 and peekArray0 give (3,[5,6,7])', () => {
    const p = arr.newArray0(Int32, 0, [5, 6, 7])();
    expect([arr.lengthArray0(Int32, 0, p)(), arr.peekArray0(Int32, 0, p)()]).toEqual([
      3,
      [5, 6, 7],
    ]);
    expect(arr.peekArray(Int32, 4, p)()).toEqual([5, 6, 7, 0]);
    alloc.free(p)();
  });

  it('withArrayLen0 0 [1,2,3] passes n = 3 (without the terminator) and memory [1,2,3,0]', () => {
    const [n, mem] = arr.withArrayLen0(
      Int32,
      0,
      [1, 2, 3],
      (n, p) => () => [n, arr.peekArray(Int32, n + 1, p)()] as const,
    )();
    expect(n).toBe(3);
    expect(mem).toEqual([1, 2, 3, 0]);
  });

  it('newArray([]) is a valid, distinct pointer that must be freed (mallocBytes 0)', () => {
    const before = gauges();
    const p = arr.newArray(Int32, [])();
    const q = arr.newArray(Int32, [])();
    expect(p).not.toBe(nullPtr);
    expect(q).not.toBe(p);
    expect(heap.stats().liveBlocks).toBe(before.liveBlocks + 2);
    expect(arr.peekArray(Int32, 0, p)()).toEqual([]);
    alloc.free(p)();
    alloc.free(q)();
    expect(gauges()).toEqual(before);
  });

  it('peekArray with n <= 0 gives [] without touching memory, also at nullPtr', () => {
    expect(arr.peekArray(Int32, 0, nullPtr)()).toEqual([]);
    expect(arr.peekArray(Int32, -3, nullPtr)()).toEqual([]);
  });

  it('lengthArray0 agrees with indexOf, at aligned and unaligned addresses', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: -3, max: 3 }),
        (list, offset, marker) => {
          const xs = [...list, marker];
          const raw = new Uint8Array(new Int16Array(xs).buffer);
          return arr.withArray(Word8, [0, 0, 0, ...raw], (p) => () => {
            const q = (p + offset) as Ptr<number>;
            arr.moveArray(Word8, q, (p + 3) as Ptr<number>, raw.length)();
            return arr.lengthArray0(Int16, marker, q)() === xs.indexOf(marker);
          })();
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('markers compare as stored, byte for byte: what newArray0 writes, lengthArray0 finds', () => {
    // A Float marker is stored as Math.fround(0.1); a struct marker's extra property is not
    // stored; a NaN marker is stored as NaN's bytes; -0 and 0 are different bytes.
    const f = arr.newArray0(Float, 0.1, [1.5, 2.5, 0.25])();
    expect(arr.lengthArray0(Float, 0.1, f)()).toBe(3);
    expect(arr.peekArray0(Float, 0.1, f)()).toEqual([1.5, 2.5, 0.25]);
    alloc.free(f)();
    const marker = { x: 0, y: 0, note: 'end' };
    const s = arr.newArray0(Point, marker, [{ x: 1, y: 2 }])();
    expect(arr.lengthArray0(Point, marker, s)()).toBe(1);
    expect(arr.peekArray0(Point, marker, s)()).toEqual([{ x: 1, y: 2 }]);
    alloc.free(s)();
    const n = arr.newArray0(Double, NaN, [1, -0, 3])();
    expect(arr.lengthArray0(Double, NaN, n)()).toBe(3);
    expect(arr.lengthArray0(Double, -0, n)()).toBe(1);
    alloc.free(n)();
    const U = union({ i: Int32, d: Double });
    const u = arr.newArray0(U, { d: 2.5 }, [{ i: 1 }, { d: 1.5 }])();
    expect(arr.lengthArray0(U, { d: 2.5 }, u)()).toBe(2);
    alloc.free(u)();
    // At an unaligned address too (no typed-array search there).
    const block = alloc.mallocBytes(64)();
    const odd = (block + 1) as Ptr<number>;
    arr.pokeArray0(Float, 0.1, odd, [1, 2])();
    expect(arr.lengthArray0(Float, 0.1, odd)()).toBe(2);
    alloc.free(block)();
  });

  it('markers compare structurally by their bytes: a struct marker, a fixed-array marker', () => {
    const zero = { x: 0, y: 0 };
    const p = arr.newArray0(Point, zero, [
      { x: 1, y: 2 },
      { x: 0, y: 1 },
    ])();
    expect(arr.lengthArray0(Point, { y: 0, x: 0 }, p)()).toBe(2);
    expect(arr.peekArray0(Point, zero, p)()).toEqual([
      { x: 1, y: 2 },
      { x: 0, y: 1 },
    ]);
    alloc.free(p)();
    const Pair = array(Int32, 2);
    const q = arr.newArray0(
      Pair,
      [0, 0],
      [
        [1, 0],
        [0, 1],
        [2, 2],
      ],
    )();
    expect(arr.lengthArray0(Pair, [0, 0], q)()).toBe(3);
    alloc.free(q)();
    const d = arr.newArray0(Double, 0, [1.5, 2.5])();
    expect(arr.lengthArray0(Double, 0, d)()).toBe(2);
    alloc.free(d)();
  });

  it('the advancePtr law: advancePtr(S, p, i) === plusPtr(p, i * sizeOf(S))', () => {
    expect(advancePtrFromIndex).toBe(advancePtr);
    expect(marshalArrayFromIndex).toBe(marshalArray);
    fc.assert(
      fc.property(
        fc.constantFrom(...instances.map(([, S]) => S)),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.integer({ min: -100_000, max: 100_000 }),
        (S, p, i) => {
          fc.pre(p + i * sizeOf(S) >= 0);
          const ptr = p as Ptr<any>;
          return advancePtr(S, ptr, i) === plusPtr(ptr, i * sizeOf(S));
        },
      ),
      { numRuns: runs(200) },
    );
    expect(() => advancePtr(Int32, 8 as Ptr<number>, -3)).toThrow(RangeError);
    expect(() => advancePtr(Int32, 8 as Ptr<number>, 1.5)).toThrow(RangeError);
    expect(() => advancePtr(Int32, -8 as Ptr<number>, 1)).toThrow(RangeError);
    expect(() => advancePtr(Double, 0 as Ptr<number>, 2 ** 52)).toThrow(RangeError);
  });
});

describe('Foreign.Marshal.Array: allocation', () => {
  it('callocArray and callocArray0 are zeroed; mallocArray0 has room for n + 1', () => {
    const dirty = arr.newArray(Word8, new Array<number>(64).fill(0xab))();
    alloc.free(dirty)();
    const p = arr.callocArray(Int64, 8)();
    expect(arr.peekArray(Int64, 8, p)()).toEqual(new Array(8).fill(0n));
    const q = arr.callocArray0(Int32, 3)();
    expect(arr.peekArray(Int32, 4, q)()).toEqual([0, 0, 0, 0]);
    const r = arr.mallocArray0(Int32, 3)();
    arr.pokeArray0(Int32, -1, r, [1, 2, 3])();
    expect(arr.peekArray0(Int32, -1, r)()).toEqual([1, 2, 3]);
    for (const x of [p, q, r]) alloc.free(x)();
    heap.check();
  });

  it('arrays of a type aligned above 16 bytes are aligned (malloc, calloc, alloca, with)', () => {
    const Wide = aligned(64, Int32);
    for (let n = 0; n < 5; n++) {
      const p = arr.mallocArray(Wide, n)();
      const q = arr.callocArray(Wide, n)();
      const r = arr.newArray(Wide, new Array<number>(n).fill(7))();
      expect([p % 64, q % 64, r % 64]).toEqual([0, 0, 0]);
      expect(arr.peekArray(Wide, n, q)()).toEqual(new Array(n).fill(0));
      expect(arr.peekArray(Wide, n, r)()).toEqual(new Array(n).fill(7));
      expect(arr.allocaArray(Wide, n, (a) => () => a % 64)()).toBe(0);
      expect(arr.withArray(Wide, [1, 2], (a) => () => a % 64)()).toBe(0);
      for (const x of [p, q, r]) alloc.free(x)();
    }
    heap.check();
    // nullPtr in: as mallocArray, aligned. A moved block would keep only 8: refused.
    const s = arr.reallocArray(Wide, nullPtr, 3)();
    expect(s % 64).toBe(0);
    refused(RangeError, () => arr.reallocArray(Wide, s, 4)());
    expect(arr.reallocArray(Wide, s, 0)()).toBe(nullPtr);
  });

  it('reallocArray keeps the first min(old, new) elements', () => {
    const before = gauges();
    fc.assert(
      fc.property(
        fc.constantFrom<Storable<any>>(Int32, Word8, Int64, Point),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 200 }),
        fc.boolean(),
        (S, old, m, zero) => {
          const xs = fc.sample(valueOf(S), { numRuns: old, seed: old });
          const p = arr.newArray(S, xs)();
          const q = (zero ? arr.reallocArray0 : arr.reallocArray)(S, p, m)();
          expect(q).not.toBe(nullPtr);
          const keep = Math.min(old, m);
          const ok = sameValue(arr.peekArray(S, keep, q)(), xs.slice(0, keep));
          alloc.free(q)();
          return ok;
        },
      ),
      { numRuns: runs(60) },
    );
    heap.check();
    expect(gauges()).toEqual(before);
  });

  it('reallocArray(S, p, 0) frees and returns nullPtr; from nullPtr it allocates', () => {
    const before = gauges();
    const p = arr.reallocArray(Int32, nullPtr, 4)();
    expect(p).not.toBe(nullPtr);
    expect(heap.stats().liveBlocks).toBe(before.liveBlocks + 1);
    expect(arr.reallocArray(Int32, p, 0)()).toBe(nullPtr);
    expect(gauges()).toEqual(before);
    // reallocArray0 never frees: one slot for the terminator.
    const q = arr.reallocArray0(Int32, nullPtr, 0)();
    expect(q).not.toBe(nullPtr);
    expect(E.isRight(arr.either.reallocArray(Int32, q, 0)())).toBe(true);
    expect(gauges()).toEqual(before);
    heap.check();
  });

  it('reallocArray of an alloca or withArray pointer is an InvalidPointerError', () => {
    arr.allocaArray(Int32, 4, (p) => () => {
      const e = refused(InvalidPointerError, () => arr.reallocArray(Int32, p, 8)());
      expect(e.message).toMatch(/^reallocArray/);
    })();
    arr.withArray(Int32, [1, 2, 3], (p) => () => {
      refused(InvalidPointerError, () => arr.reallocArray0(Int32, p, 8)());
      expect(arr.peekArray(Int32, 3, p)()).toEqual([1, 2, 3]);
    })();
    expect(ctx.stack.depth).toBe(0);
  });

  it('the either flavours give Right pointers that work', () => {
    const before = gauges();
    const results = [
      arr.either.mallocArray(Int32, 3)(),
      arr.either.mallocArray0(Int32, 3)(),
      arr.either.callocArray(Int32, 3)(),
      arr.either.callocArray0(Int32, 3)(),
      arr.either.newArray(Int32, [1, 2, 3])(),
      arr.either.newArray0(Int32, 0, [1, 2, 3])(),
    ];
    for (const r of results) {
      expect(E.isRight(r)).toBe(true);
      if (E.isRight(r)) {
        const q = arr.either.reallocArray(Int32, r.right, 5)();
        if (E.isRight(q)) alloc.free(q.right)();
      }
    }
    expect(gauges()).toEqual(before);
  });
});

describe('Foreign.Marshal.Array: copyArray and moveArray', () => {
  const L = 32;

  it('moveArray agrees with a JS model (copyWithin), overlapping or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), {
          minLength: L,
          maxLength: L,
        }),
        fc.integer({ min: 0, max: L }),
        fc.integer({ min: 0, max: L }),
        fc.integer({ min: 0, max: L }),
        (xs, dest, src, n) => {
          fc.pre(dest + n <= L && src + n <= L);
          return arr.withArray(Int32, xs, (p) => () => {
            arr.moveArray(Int32, advancePtr(Int32, p, dest), advancePtr(Int32, p, src), n)();
            const model = xs.slice();
            model.copyWithin(dest, src, src + n);
            return sameValue(arr.peekArray(Int32, L, p)(), model);
          })();
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('copyArray agrees with the model when the regions do not overlap, refuses otherwise', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: L, maxLength: L }),
        fc.integer({ min: 0, max: L }),
        fc.integer({ min: 0, max: L }),
        fc.integer({ min: 0, max: L }),
        (xs, dest, src, n) => {
          fc.pre(dest + n <= L && src + n <= L);
          return arr.withArray(Word8, xs, (p) => () => {
            const d = advancePtr(Word8, p, dest);
            const s = advancePtr(Word8, p, src);
            const overlap = n > 0 && src < dest + n && dest < src + n;
            const model = xs.slice();
            if (overlap) {
              const e = refused(OverlapError, () => arr.copyArray(Word8, d, s, n)());
              expect(e.message).toMatch(/moveArray/);
            } else {
              arr.copyArray(Word8, d, s, n)();
              model.copyWithin(dest, src, src + n);
            }
            return sameValue(arr.peekArray(Word8, L, p)(), model);
          })();
        },
      ),
      { numRuns: runs(200) },
    );
  });

  it('the GHC example: an overlapping moveArray gives [1,2,1,2,3,4,7,8]', () => {
    const out = arr.withArray(Int32, [1, 2, 3, 4, 5, 6, 7, 8], (p) => () => {
      arr.moveArray(Int32, advancePtr(Int32, p, 2), p, 4)();
      return arr.peekArray(Int32, 8, p)();
    })();
    expect(out).toEqual([1, 2, 1, 2, 3, 4, 7, 8]);
  });

  it('copies between arrays of structs, destination first', () => {
    const pts = [
      { x: 1.5, y: 1 },
      { x: -2, y: 2 },
    ];
    const src = arr.newArray(Point, pts)();
    const dest = arr.callocArray(Point, 2)();
    arr.copyArray(Point, dest, src, 2)();
    expect(arr.peekArray(Point, 2, dest)()).toEqual(pts);
    alloc.free(src)();
    alloc.free(dest)();
  });
});

describe('Foreign.Marshal.Array: bad input leaves everything as it was', () => {
  const badCounts = [-1, 1.5, NaN, Infinity, -Infinity, 2 ** 53];

  it('counts that are not non-negative safe integers are RangeErrors', () => {
    const p = arr.mallocArray(Int32, 4)();
    for (const n of badCounts) {
      refused(RangeError, () => arr.mallocArray(Int32, n)());
      refused(RangeError, () => arr.mallocArray0(Int32, n)());
      refused(RangeError, () => arr.callocArray(Int32, n)());
      refused(RangeError, () => arr.callocArray0(Int32, n)());
      refused(RangeError, () => arr.allocaArray(Int32, n, () => () => 0)());
      refused(RangeError, () => arr.allocaArray0(Int32, n, () => () => 0)());
      refused(RangeError, () => arr.reallocArray(Int32, p, n)());
      refused(RangeError, () => arr.reallocArray0(Int32, p, n)());
      refused(RangeError, () => arr.copyArray(Int32, p, p, n)());
      refused(RangeError, () => arr.moveArray(Int32, p, p, n)());
      refused(RangeError, () => arr.either.mallocArray(Int32, n)());
    }
    // peekArray: n <= 0 is [], a non-integer is still an error.
    for (const n of [1.5, NaN, Infinity, -Infinity, -0.5]) {
      refused(RangeError, () => arr.peekArray(Int32, n, p)());
    }
    expect(arr.reallocArray(Int32, p, 0)()).toBe(nullPtr);
    expect(ctx.stack.depth).toBe(0);
  });

  it('n × sizeOf that overflows is a RangeError (Haskell has no check)', () => {
    const e = refused(RangeError, () => arr.mallocArray(Double, 2 ** 50)());
    expect(e.message).toMatch(/overflows/);
    refused(RangeError, () => arr.callocArray(Int64, 2 ** 51)());
    refused(RangeError, () => arr.mallocArray0(Word8, Number.MAX_SAFE_INTEGER)());
    refused(RangeError, () => arr.allocaArray(Double, 2 ** 51, () => () => 0)());
    refused(RangeError, () => arr.peekArray(Double, 2 ** 51, 8 as Ptr<number>)());
  });

  it('a bad element is a MarshalError naming it; nothing is written, allocated or leaked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        fc.constantFrom<unknown>(256, -1, 1.5, '7', null, undefined, 3n),
        (xs, k, bad) => {
          const i = k % xs.length;
          const list: unknown[] = xs.slice();
          list[i] = bad;
          const p = arr.mallocArray(Word8, xs.length + 1)();
          const image = bytes(p, xs.length + 1);
          const calls: Array<[string, () => unknown]> = [
            ['pokeArray', () => arr.pokeArray(Word8, p, list as number[])()],
            ['pokeArray0', () => arr.pokeArray0(Word8, 0, p, list as number[])()],
            ['newArray', () => arr.newArray(Word8, list as number[])()],
            ['newArray0', () => arr.newArray0(Word8, 0, list as number[])()],
            ['withArray', () => arr.withArray(Word8, list as number[], () => () => 0)()],
            ['withArray0', () => arr.withArray0(Word8, 0, list as number[], () => () => 0)()],
            ['withArrayLen', () => arr.withArrayLen(Word8, list as number[], () => () => 0)()],
            ['withArrayLen0', () => arr.withArrayLen0(Word8, 0, list as number[], () => () => 0)()],
            ['either.newArray', () => arr.either.newArray(Word8, list as number[])()],
          ];
          const stats = heap.stats();
          for (const [call, f] of calls) {
            const e = refused(MarshalError, f);
            expect(e.call).toBe(call);
            expect(e.path).toBe(`[${i}]`);
            expect(e.value).toBe(bad);
            expect(bytes(p, xs.length + 1)).toEqual(image);
          }
          expect(heap.stats().mallocs).toBe(stats.mallocs);
          alloc.free(p)();
          return true;
        },
      ),
      { numRuns: runs(40) },
    );
  });

  it('a bad struct member is a MarshalError at [i].x', () => {
    const pts = [
      { x: 1, y: 1 },
      { x: 2, y: 2 },
      { x: 3, y: 3 },
      { x: 'four', y: 4 },
    ] as unknown as Array<{ x: number; y: number }>;
    const p = arr.callocArray(Point, 4)();
    const image = bytes(p, 4 * Point.sizeOf);
    const e = refused(MarshalError, () => arr.pokeArray(Point, p, pts)());
    expect(e.path).toBe('[3].x');
    expect(e.message).toBe('pokeArray: value "four" at [3].x does not fit Double');
    expect(bytes(p, 4 * Point.sizeOf)).toEqual(image);
    const f = refused(MarshalError, () => arr.newArray(Point, [{ x: 1 }] as any)());
    expect(f.path).toBe('[0].y');
    alloc.free(p)();
  });

  it('a bad marker is a MarshalError at marker, before anything happens', () => {
    const p = arr.callocArray(Word8, 4)();
    const image = bytes(p, 4);
    for (const f of [
      () => arr.pokeArray0(Word8, 300, p, [1, 2])(),
      () => arr.newArray0(Word8, 300, [1, 2])(),
      () => arr.withArray0(Word8, 300, [1, 2], () => () => 0)(),
      () => arr.withArrayLen0(Word8, 300, [1, 2], () => () => 0)(),
      () => arr.lengthArray0(Word8, 300, p)(),
      () => arr.peekArray0(Word8, 300, p)(),
      () => arr.either.newArray0(Word8, -1, [])(),
    ]) {
      const e = refused(MarshalError, f);
      expect(e.path).toBe('marker');
      expect(e.message).toMatch(/at marker does not fit Word8/);
    }
    expect(bytes(p, 4)).toEqual(image);
    alloc.free(p)();
  });

  it('a list that is not an array is a TypeError', () => {
    refused(TypeError, () => arr.newArray(Int32, 'abc' as unknown as number[])());
  });

  it('bytes that encode no value are a MarshalError at [i] (peekArray, peekArray0)', () => {
    const Color = enumeration(Word8, { RED: 0, GREEN: 1 }, 'Color');
    const p = arr.newArray(Word8, [1, 0, 1, 9, 0])();
    const q = arr.newArray(Word8, [1, 1, 1, 9, 0])();
    const e = refused(MarshalError, () => arr.peekArray(Color, 5, p as Ptr<any>)());
    expect(e.call).toBe('peekArray');
    expect(e.path).toBe('[3]');
    const f = refused(MarshalError, () => arr.peekArray0(CBool, 0, q as Ptr<any>)());
    expect(f.call).toBe('peekArray0');
    expect(f.path).toBe('[3]');
    expect(f.message).toMatch(/^peekArray0: value 9 at \[3\] does not fit CBool/);
    alloc.free(p)();
    alloc.free(q)();
  });

  it('overlapping copyArray is an OverlapError and nothing is copied', () => {
    arr.withArray(Int32, [1, 2, 3, 4, 5, 6], (p) => () => {
      const e = refused(OverlapError, () => arr.copyArray(Int32, advancePtr(Int32, p, 1), p, 4)());
      expect(e.size).toBe(16);
      expect(arr.peekArray(Int32, 6, p)()).toEqual([1, 2, 3, 4, 5, 6]);
      arr.copyArray(Int32, p, p, 0)();
    })();
  });

  it('nullPtr with n > 0 is a NullPointerError; with n = 0 nothing is touched', () => {
    const p = arr.mallocArray(Int32, 2)();
    const calls: Array<() => unknown> = [
      () => arr.peekArray(Int32, 1, nullPtr)(),
      () => arr.pokeArray(Int32, nullPtr, [1])(),
      () => arr.pokeArray0(Int32, 0, nullPtr, [])(),
      () => arr.copyArray(Int32, nullPtr, p, 1)(),
      () => arr.copyArray(Int32, p, nullPtr, 1)(),
      () => arr.moveArray(Int32, nullPtr, p, 2)(),
      () => arr.lengthArray0(Int32, 0, nullPtr)(),
      () => arr.peekArray0(Int32, 0, nullPtr)(),
    ];
    for (const f of calls) refused(NullPointerError, f);
    arr.pokeArray(Int32, nullPtr, [])();
    arr.copyArray(Int32, nullPtr, nullPtr, 0)();
    alloc.free(p)();
  });

  it('pointers that are not addresses are RangeErrors', () => {
    for (const p of [-8, 1.5, NaN]) {
      refused(RangeError, () => arr.peekArray(Int32, 1, p as Ptr<number>)());
      refused(RangeError, () => arr.pokeArray(Int32, p as Ptr<number>, [1])());
      refused(RangeError, () => arr.lengthArray0(Int32, 0, p as Ptr<number>)());
      refused(RangeError, () => arr.reallocArray(Int32, p as Ptr<number>, 1)());
    }
  });

  it('an array past the end of memory is a MemoryBoundsError, nothing written', () => {
    const end = ctx.memory.byteLength;
    const at = (end - 8) as Ptr<number>;
    const image = bytes(at, 8);
    const e = refused(MemoryBoundsError, () => arr.pokeArray(Int32, at, [1, 2, 3])());
    expect(e.message).toMatch(/^pokeArray/);
    expect(bytes(at, 8)).toEqual(image);
    refused(MemoryBoundsError, () => arr.peekArray(Int32, 3, at)());
    refused(MemoryBoundsError, () => arr.moveArray(Int32, at, 64 as Ptr<number>, 3)());
  });
});

describe('Foreign.Marshal.Array: no marker before the end of memory', () => {
  it('lengthArray0 and peekArray0 stop at the end of a fixed memory (MemoryBoundsError)', () => {
    const buffer = new ArrayBuffer(65536);
    const w = worldOf(Heap.over(buffer, { base: 0, size: 32768, checked: true }));
    // Beyond the heap's region, non-zero bytes up to the end of memory.
    new Uint8Array(buffer, 32768).fill(0x5a);
    const tail = 32768 as Ptr<number>;
    for (const [call, f] of [
      ['lengthArray0', () => w.arr.lengthArray0(Word8, 0, tail)()],
      ['peekArray0', () => w.arr.peekArray0(Word8, 0, tail)()],
      ['lengthArray0', () => w.arr.lengthArray0(Int32, 0, tail)()],
      ['lengthArray0', () => w.arr.lengthArray0(Point, { x: 0, y: 0 }, tail as Ptr<any>)()],
    ] as const) {
      const e = refused(MemoryBoundsError, f, w);
      expect(e.call).toBe(call);
      expect(e.address + e.size).toBeGreaterThan(65536);
      expect(e.address).toBeLessThanOrEqual(65536);
    }
    // A marker just before the end is found.
    new Uint8Array(buffer)[65535] = 0;
    expect(w.arr.lengthArray0(Word8, 0, tail)()).toBe(32767);
    expect(w.arr.peekArray0(Word8, 0, 65530 as Ptr<number>)()).toEqual([
      0x5a, 0x5a, 0x5a, 0x5a, 0x5a,
    ]);
  });

  it('a block of a heap over a whole fixed memory, filled with non-zero bytes, and a NaN marker', () => {
    const w = worldOf(Heap.over(new ArrayBuffer(65536), { base: 0, checked: true }));
    const n = 4096;
    const p = w.arr.mallocArray(Word8, n)();
    w.ctx.memory.ensure(p, n).u8.fill(0xff, p, p + n);
    // 0xff bytes read as Int8 are -1; the heap's own words follow the block, so pick a marker
    // whose bytes are found nowhere: none was written.
    const d = w.arr.newArray(Double, [1, 2, 3])();
    const never = -1.25e-300;
    const e = refused(MemoryBoundsError, () => w.arr.lengthArray0(Double, never, d)(), w);
    expect(e.call).toBe('lengthArray0');
    refused(MemoryBoundsError, () => w.arr.peekArray0(Double, never, d)(), w);
    w.alloc.free(d)();
    w.alloc.free(p)();
    w.heap.check();
  });
});

describe('Foreign.Marshal.Array: the stack is released', () => {
  class Boom extends Error {}

  it('on return, on throw and on Left, for every with* and allocaArray', () => {
    // Warm up: the stack takes its region at the first allocation.
    arr.withArray(Int32, [1], () => () => 0)();
    const before = gauges();
    const used = ctx.stack.used;
    type Body = (p: Ptr<number>) => IO<unknown>;
    const bodies: Body[] = [
      () => () => 1,
      () => () => {
        throw new Boom();
      },
      () => () => E.left('no'),
    ];
    const brackets: Array<(f: Body) => unknown> = [
      (f) => arr.withArray(Int32, [1, 2, 3], f)(),
      (f) => arr.withArray0(Int32, 0, [1, 2, 3], f)(),
      (f) => arr.withArrayLen(Int32, [1, 2, 3], (_n, p) => f(p))(),
      (f) => arr.withArrayLen0(Int32, 0, [1, 2, 3], (_n, p) => f(p))(),
      (f) => arr.allocaArray(Int32, 3, f)(),
      (f) => arr.allocaArray0(Int32, 3, f)(),
      // Big enough to spill out of the stack's region to the heap.
      (f) => arr.withArray(Word8, new Array<number>(100_000).fill(1), (p) => f(p as Ptr<any>))(),
      (f) => arr.allocaArray(Double, 20_000, (p) => f(p as Ptr<any>))(),
    ];
    for (const bracket of brackets) {
      for (const body of bodies) {
        let result: unknown;
        try {
          result = bracket((p) => {
            expect(ctx.stack.depth).toBe(before.depth + 1);
            expect(p).not.toBe(nullPtr);
            return body(p);
          });
        } catch (e) {
          expect(e).toBeInstanceOf(Boom);
        }
        if (result !== undefined) expect([1, E.left('no')]).toContainEqual(result);
        expect(gauges()).toEqual(before);
        expect(ctx.stack.used).toBe(used);
      }
    }
    heap.check();
  });

  it('nested withArrays are LIFO and each body sees its own array', () => {
    const out = arr.withArray(Int32, [1, 2], (p) =>
      arr.withArray(Int32, [3, 4, 5], (q) => () => [
        ...arr.peekArray(Int32, 2, p)(),
        ...arr.peekArray(Int32, 3, q)(),
      ]),
    )();
    expect(out).toEqual([1, 2, 3, 4, 5]);
    expect(ctx.stack.depth).toBe(0);
  });
});

describe('Foreign.Marshal.Array: out of memory', () => {
  const small = (): World =>
    worldOf(Heap.create({ initialBytes: 65536, maxBytes: 65536, checked: true }), 1024);

  it('gives nullPtr (Haskell 2010) with no leak; either gives Left AllocationError', () => {
    const w = small();
    const big = 1 << 20;
    const before = gauges(w);
    expect(w.arr.mallocArray(Int32, big)()).toBe(nullPtr);
    expect(w.arr.mallocArray0(Int32, big)()).toBe(nullPtr);
    expect(w.arr.callocArray(Int32, big)()).toBe(nullPtr);
    expect(w.arr.callocArray0(aligned(32, Int32), big)()).toBe(nullPtr);
    const xs = new Array<number>(big).fill(1);
    expect(w.arr.newArray(Word8, xs)()).toBe(nullPtr);
    expect(w.arr.newArray0(Word8, 0, xs)()).toBe(nullPtr);
    expect(gauges(w)).toEqual(before);
    for (const r of [
      w.arr.either.mallocArray(Int32, big)(),
      w.arr.either.mallocArray0(Int32, big)(),
      w.arr.either.callocArray(Int32, big)(),
      w.arr.either.callocArray0(Int32, big)(),
      w.arr.either.newArray(Word8, xs)(),
      w.arr.either.newArray0(Word8, 0, xs)(),
    ]) {
      expect(E.isLeft(r)).toBe(true);
      if (E.isLeft(r)) expect(r.left).toBeInstanceOf(AllocationError);
    }
    const left = w.arr.either.mallocArray(Int32, big)();
    expect(left).toEqual(E.left(new AllocationError('either.mallocArray', big * 4)));
    expect(gauges(w)).toEqual(before);
    w.heap.check();
  });

  it('a failed reallocArray gives nullPtr and leaves the array as it was', () => {
    const w = small();
    const p = w.arr.newArray(Int32, [1, 2, 3])();
    const before = gauges(w);
    expect(w.arr.reallocArray(Int32, p, 1 << 20)()).toBe(nullPtr);
    const r = w.arr.either.reallocArray0(Int32, p, 1 << 20)();
    expect(E.isLeft(r) && r.left.call).toBe('either.reallocArray0');
    expect(w.arr.peekArray(Int32, 3, p)()).toEqual([1, 2, 3]);
    expect(gauges(w)).toEqual(before);
    w.alloc.free(p)();
    w.heap.check();
  });

  it('withArray that cannot be had throws AllocationError without running the body; allocaArray passes nullPtr', () => {
    const w = small();
    w.arr.withArray(Int32, [1], () => () => 0)();
    const before = gauges(w);
    let ran = false;
    const e = refused(
      AllocationError,
      () =>
        w.arr.withArray(Word8, new Array<number>(1 << 20).fill(1), () => () => {
          ran = true;
        })(),
      w,
    );
    expect(e.call).toBe('withArray');
    expect(ran).toBe(false);
    expect(w.arr.allocaArray(Int32, 1 << 20, (p) => () => p)()).toBe(nullPtr);
    expect(gauges(w)).toEqual(before);
    w.heap.check();
  });
});

describe('arguments that are not what they should be', () => {
  const NOT_INSTANCES = [
    null,
    undefined,
    'Int32',
    {},
    { sizeOf: 4, alignment: 4 },
  ] as unknown as Array<Storable<number>>;

  it('an instance that is not one is a TypeError naming the call, before anything happens', () => {
    const before = heap.stats();
    const p = arr.mallocArray(Int32, 4)();
    for (const S of NOT_INSTANCES) {
      refusal(() => arr.mallocArray(S, 2)(), TypeError, 'mallocArray');
      refusal(() => arr.callocArray0(S, 2)(), TypeError, 'callocArray0');
      refusal(() => arr.allocaArray(S, 2, () => () => 0)(), TypeError, 'allocaArray');
      refusal(() => arr.reallocArray(S, p, 2)(), TypeError, 'reallocArray');
      refusal(() => arr.either.reallocArray(S, p, 2)(), TypeError, 'either.reallocArray');
      refusal(() => arr.peekArray(S, 2, p)(), TypeError, 'peekArray');
      refusal(() => arr.peekArray0(S, 0, p)(), TypeError, 'peekArray0');
      refusal(() => arr.pokeArray(S, p, [1])(), TypeError, 'pokeArray');
      refusal(() => arr.newArray0(S, 0, [1])(), TypeError, 'newArray0');
      refusal(() => arr.withArrayLen(S, [1], () => () => 0)(), TypeError, 'withArrayLen');
      refusal(() => arr.copyArray(S, p, plusPtr(p, 8), 1)(), TypeError, 'copyArray');
      refusal(() => arr.lengthArray0(S, 0, p)(), TypeError, 'lengthArray0');
      refusal(() => advancePtr(S, p, 1), TypeError, 'advancePtr');
    }
    alloc.free(p)();
    expect(heap.stats().liveBlocks).toBe(before.liveBlocks);
    heap.check();
  });

  it('a body that is not a function, or returns no program, is a TypeError naming the bracket', () => {
    for (const f of [7, null, () => 7] as unknown as Array<() => IO<number>>) {
      refusal(() => arr.allocaArray(Int32, 2, f)(), TypeError, 'allocaArray');
      refusal(() => arr.allocaArray0(Int32, 2, f)(), TypeError, 'allocaArray0');
      refusal(() => arr.withArray(Int32, [1], f)(), TypeError, 'withArray');
      refusal(() => arr.withArray0(Int32, 0, [1], f)(), TypeError, 'withArray0');
      refusal(() => arr.withArrayLen0(Int32, 0, [1], f)(), TypeError, 'withArrayLen0');
    }
    expect(ctx.stack.depth).toBe(0);
    heap.check();
  });

  it("reallocArray reports the heap's refusal under its own name", () => {
    const p = arr.mallocArray(Int32, 2)();
    alloc.free(p)();
    refusal(() => arr.reallocArray(Int32, p, 4)(), InvalidPointerError, 'reallocArray');
    refusal(() => arr.reallocArray0(Int32, p, 4)(), InvalidPointerError, 'reallocArray0');
    heap.check();
  });

  it('marshalArray checks its context and its allocation functions', () => {
    refusal(() => marshalArray(null as never, alloc), TypeError, 'marshalArray');
    refusal(() => marshalArray(ctx, {} as never), TypeError, 'marshalArray');
  });
});

describe('Foreign.Marshal.Array with bigint counts and pointers', () => {
  it('counts may be bigints that are safe integers', () => {
    const heap = Heap.create();
    const api = foreign(heap);
    const p = api.mallocArray(Int32, 4n)();
    api.pokeArray(Int32, p, [1, 2, 3, 4])();
    expect(api.peekArray(Int32, 4n, p)()).toEqual([1, 2, 3, 4]);
    expect(api.peekArray(Int32, -1n, p)()).toEqual([]);
    const q = api.reallocArray(Int32, p, 8n)();
    const r = api.callocArray0(Int32, 2n)();
    api.copyArray(Int32, r, q, 2n)();
    api.moveArray(Int32, r, q, 1n)();
    expect(api.peekArray(Int32, 3, r)()).toEqual([1, 2, 0]);
    expect(api.allocaArray(Int32, 3n, (s) => () => s % 4)()).toBe(0);
    expect(advancePtr(Int32, q, 2n)).toBe(q + 8);
    const e = api.either.mallocArray(Int32, 2n)();
    for (const x of [q, r, E.isRight(e) ? e.right : nullPtr]) api.free(x)();
    heap.check();
  });

  it('a failed allocation of a bigint count reports the size as a number', () => {
    const heap = Heap.over(new ArrayBuffer(16384), { base: 0 });
    const api = foreign(heap);
    const left = api.either.mallocArray(Int32, 100_000n)();
    expect(left).toEqual(E.left(new AllocationError('either.mallocArray', 400_000)));
    const realloc = api.either.reallocArray0(Int32, nullPtr, 100_000n)();
    expect(E.isLeft(realloc) && realloc.left.size).toBe(400_004);
  });

  it('out-of-range bigint counts are RangeErrors, bigint pointers TypeErrors, naming the call', () => {
    const heap = Heap.create();
    const api = foreign(heap);
    const p = api.mallocArray(Int32, 4)();
    const before = heap.stats();
    const big = 2n ** 53n;
    expectEachRefused(RangeError, [
      ['mallocArray', () => api.mallocArray(Int32, big)()],
      ['callocArray', () => api.callocArray(Int32, -1n)()],
      ['allocaArray0', () => api.allocaArray0(Int32, big, () => () => 0)()],
      ['reallocArray', () => api.reallocArray(Int32, p, big)()],
      ['peekArray', () => api.peekArray(Int32, big, p)()],
      ['copyArray', () => api.copyArray(Int32, p, p, big)()],
      ['advancePtr', () => advancePtr(Int32, p, big)],
      ['either.callocArray0', () => api.either.callocArray0(Int32, big)()],
    ]);
    const b = 8n as never;
    expectEachRefused(TypeError, [
      ['peekArray', () => api.peekArray(Int32, 1, b)()],
      ['peekArray0', () => api.peekArray0(Int32, 0, b)()],
      ['lengthArray0', () => api.lengthArray0(Int32, 0, b)()],
      ['pokeArray', () => api.pokeArray(Int32, b, [1])()],
      ['copyArray', () => api.copyArray(Int32, p, b, 1)()],
      ['reallocArray', () => api.reallocArray(Int32, b, 1)()],
    ]);
    expect(heap.stats()).toEqual(before);
    heap.check();
  });
});
