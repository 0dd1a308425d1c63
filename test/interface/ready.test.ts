/**
 * The ready interfaces (the heap, counting, failure-injecting) and a memory interface as a
 * context's door: the Haskell face's allocations, the alloca stack included, go through it.
 */
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AllocationError,
  CInt,
  Heap,
  InvalidPointerError,
  contextOf,
  foreign,
  pooledMallocBytes,
} from 'foreign-ts';
import {
  InterfaceMismatchError,
  contextWithInterface,
  countingInterface,
  failingInterface,
  heapInterface,
  type ALLEGRO_MEMORY_INTERFACE,
  type AllocationRequest,
} from 'foreign-ts/interface';
import { refusal } from '../support/thrown.js';

const mallocs = (iface: ALLEGRO_MEMORY_INTERFACE, k: number): number[] =>
  Array.from({ length: k }, () => iface.mi_malloc(8, 0, '', ''));

describe('heapInterface', () => {
  it('is the heap, asks for no call site, and refuses what is not a heap', () => {
    const heap = Heap.create();
    const h = heapInterface(heap);
    expect(h.callSites).toBe(false);
    const p = h.mi_calloc(2, 4, 0, '', '');
    const q = h.mi_realloc(p, 100, 0, '', '');
    h.mi_free(q, 0, '', '');
    h.mi_free(0, 0, '', '');
    expect(heap.stats().liveBlocks).toBe(0);
    for (const bad of [null, {}, 5, heap.memory]) {
      refusal(() => heapInterface(bad as never), TypeError, 'heapInterface');
    }
  });
});

describe('countingInterface', () => {
  it('refuses a base without its hooks, and resets', () => {
    refusal(() => countingInterface(null as never), TypeError, 'countingInterface');
    const msg = refusal(
      () => countingInterface({ mi_malloc: () => 0 } as never),
      TypeError,
      'countingInterface',
    );
    expect(msg).toContain('mi_free, mi_realloc, mi_calloc');
    const c = countingInterface(heapInterface(Heap.create()));
    c.mi_free(c.mi_malloc(4, 0, '', ''), 0, '', '');
    expect(c.counts()).toMatchObject({ mi_malloc: 1, mi_free: 1, live: 0 });
    c.reset();
    expect(c.counts()).toEqual({
      mi_malloc: 0,
      mi_calloc: 0,
      mi_realloc: 0,
      mi_free: 0,
      failed: 0,
      live: 0,
    });
  });

  it('counts failures, and asks for call sites when its base does', () => {
    const c = countingInterface(failingInterface(heapInterface(Heap.create()), { from: 1 }));
    expect(c.mi_malloc(4, 0, '', '')).toBe(0);
    expect(c.mi_realloc(0, 4, 0, '', '')).toBe(0);
    expect(c.counts()).toMatchObject({ failed: 2, live: 0 });
    expect(c.callSites).toBe(false);
    const asking = { ...heapInterface(Heap.create()), callSites: true };
    expect(countingInterface(asking).callSites).toBe(true);
  });
});

describe('failingInterface', () => {
  it('{ nth } fails that allocation only; { from } it and every one after', () => {
    const heap = Heap.create();
    const nth = failingInterface(heapInterface(heap), { nth: 3 });
    expect(mallocs(nth, 5).map((p) => p !== 0)).toEqual([true, true, false, true, true]);
    expect([nth.allocations, nth.failures]).toEqual([5, 1]);
    const from = failingInterface(heapInterface(heap), { from: 3n });
    expect(mallocs(from, 5).map((p) => p !== 0)).toEqual([true, true, false, false, false]);
    expect([from.allocations, from.failures]).toEqual([5, 3]);
  });

  it('{ when } sees each request; realloc(p, 0) and free are never failed', () => {
    const heap = Heap.create();
    const seen: AllocationRequest[] = [];
    const f = failingInterface(heapInterface(heap), {
      when: (r) => (seen.push(r), r.hook === 'mi_calloc'),
    });
    expect(f.callSites).toBe(true);
    const p = f.mi_malloc(8, 3, 'a.ts', 'main');
    expect(f.mi_calloc(2, 8, 4, 'a.ts', 'main')).toBe(0);
    expect(f.mi_realloc(p, 0, 5, 'a.ts', 'main')).toBe(0); // frees p
    f.mi_free(0, 6, 'a.ts', 'main');
    expect(seen).toEqual([
      {
        hook: 'mi_malloc',
        ordinal: 1,
        n: 8,
        count: 1,
        ptr: 0,
        line: 3,
        file: 'a.ts',
        func: 'main',
      },
      {
        hook: 'mi_calloc',
        ordinal: 2,
        n: 8,
        count: 2,
        ptr: 0,
        line: 4,
        file: 'a.ts',
        func: 'main',
      },
    ]);
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('a failed realloc leaves the block as it was', () => {
    const heap = Heap.create();
    const f = failingInterface(heapInterface(heap), { nth: 2 });
    const p = f.mi_malloc(8, 0, '', '');
    heap.memory.views.u8[p] = 42;
    expect(f.mi_realloc(p, 1000, 0, '', '')).toBe(0);
    expect(heap.memory.views.u8[p]).toBe(42);
    f.mi_free(p, 0, '', '');
    heap.check();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('refuses bad rules naming failingInterface', () => {
    const base = heapInterface(Heap.create());
    for (const rule of [null, 5, {}, { nth: 1, from: 2 }, { when: 5 }]) {
      refusal(() => failingInterface(base, rule as never), TypeError, 'failingInterface');
    }
    for (const rule of [{ nth: 0 }, { nth: -1 }, { from: 1.5 }, { nth: 2n ** 64n }]) {
      refusal(() => failingInterface(base, rule as never), RangeError, 'failingInterface');
    }
    refusal(() => failingInterface({} as never, { nth: 1 }), TypeError, 'failingInterface');
  });

  it('fails exactly the allocations { nth } and { from } pick (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 12 }), (n, k) => {
        const heap = Heap.create();
        const a = mallocs(failingInterface(heapInterface(heap), { nth: n }), k);
        const b = mallocs(failingInterface(heapInterface(heap), { from: n }), k);
        expect(a.map((p, i) => (p === 0) === (i + 1 === n)).every(Boolean)).toBe(true);
        expect(b.map((p, i) => (p === 0) === i + 1 >= n).every(Boolean)).toBe(true);
      }),
    );
  });
});

describe('contextWithInterface: the interface as a context’s door', () => {
  it('routes malloc, new, arrays, strings, pools and the alloca stack through the hooks', () => {
    const heap = Heap.create();
    const counting = countingInterface(heapInterface(heap));
    const ctx = contextWithInterface(contextOf(heap), counting);
    const api = foreign(ctx);
    const p = api.new(CInt, 5)();
    api.free(p)();
    api.withCString('hi', () => () => undefined)();
    api.alloca(CInt, () => () => undefined)();
    api.withPool((pool) => () => pooledMallocBytes(pool, 8)())();
    api.free(api.newArray(CInt, [1, 2, 3])())();
    expect(counting.counts().live).toBe(1); // the alloca region, kept by the stack
    ctx.stack.dispose();
    const counts = counting.counts();
    // new, the alloca region (taken by withCString; alloca's CInt lies in it too), the pool's
    // block and the array: each through mi_malloc or mi_calloc, and each given back.
    expect(counts.mi_malloc + counts.mi_calloc).toBe(4);
    expect(counts.mi_free).toBe(4);
    expect(counts.live).toBe(0);
    heap.check();
  });

  it('lets a failure surface as each function’s contract says', () => {
    const heap = Heap.create();
    const api = foreign(
      contextWithInterface(contextOf(heap), failingInterface(heapInterface(heap), { from: 1 })),
    );
    expect(api.malloc(CInt)()).toBe(0); // Haskell 2010: nullPtr
    expect(E.isLeft(api.either.mallocBytes(8)())).toBe(true);
    expect(api.alloca(CInt, (p) => () => p)()).toBe(0); // alloca's body gets nullPtr
    expect(() => api.with(CInt, 5, () => () => 1)()).toThrow(AllocationError); // with* throws
    heap.check();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('refuses a block its interface did not give, naming the user’s call', () => {
    const heap = Heap.create();
    const plain = foreign(heap);
    const door = foreign(contextWithInterface(contextOf(heap), heapInterface(heap)));
    const p = plain.mallocBytes(8)();
    const before = heap.stats();
    const msg = refusal(() => door.free(p)(), InvalidPointerError, 'free');
    expect(msg).toContain("not this context's memory interface");
    refusal(() => door.reallocBytes(p, 16)(), InvalidPointerError, 'reallocBytes');
    expect(heap.stats()).toEqual(before);
    plain.free(p)();
    const q = door.mallocBytes(8)();
    door.free(q)();
    heap.check();
    expect(InterfaceMismatchError.prototype).toBeInstanceOf(InvalidPointerError);
  });

  it('refuses a bad context or interface naming contextWithInterface', () => {
    const ctx = contextOf(Heap.create());
    refusal(
      () => contextWithInterface({} as never, heapInterface(Heap.create())),
      TypeError,
      'contextWithInterface',
    );
    refusal(() => contextWithInterface(ctx, {} as never), TypeError, 'contextWithInterface');
    refusal(() => contextWithInterface(ctx, null as never), TypeError, 'contextWithInterface');
  });
});

describe('contextWithInterface: alignment above 8 through mi_malloc', () => {
  it('aligns inside a larger block, gives back that block, and keeps the offset on realloc', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 32, 64, 4096), fc.nat(200), fc.nat(300), (align, n, m) => {
        const heap = Heap.create();
        const counting = countingInterface(heapInterface(heap));
        const ctx = contextWithInterface(contextOf(heap), counting, { size: 0 });
        const api = foreign(ctx);
        const seen = api.allocaBytesAligned(n, align, (p) => () => p % align)();
        expect(seen).toBe(0);
        const p = ctx.allocator.alignedAlloc!(align, n);
        expect(p % align).toBe(0);
        heap.memory.views.u8.fill(7, p, p + n);
        const q = ctx.allocator.realloc(p, n + m + 1);
        expect(q % 8).toBe(0);
        expect(heap.memory.views.u8.subarray(q, q + n).every((b) => b === 7)).toBe(true);
        ctx.allocator.free(q);
        expect(counting.counts().live).toBe(0);
        heap.check();
        expect(heap.stats().liveBlocks).toBe(0);
      }),
    );
  });
});
