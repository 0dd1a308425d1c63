/**
 * The cache of recently freed small blocks in front of the free lists: what goes in, what
 * comes out, and that stats(), check(), pointer validation and realloc see through it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, HeapCorruptionError, InvalidPointerError, Memory } from '../../src/index.js';
import { expectRefused, fill, holds } from './helpers.js';

const both = [false, true] as const;

/** A heap with three small blocks side by side and a fourth that keeps them from the top. */
const row = (checked: boolean, size = 40) => {
  const heap = Heap.create({ checked });
  const [a, b, c, d] = [0, 1, 2, 3].map(() => heap.malloc(size)) as [
    number,
    number,
    number,
    number,
  ];
  return { heap, a, b, c, d };
};

describe.each(both)('the cache (checked: %s)', (checked) => {
  it('a small block with used neighbours is cached and given back by the next malloc of its size', () => {
    const { heap, b } = row(checked);
    const before = heap.stats();
    heap.free(b);
    const s = heap.stats();
    expect(s.liveBlocks).toBe(before.liveBlocks - 1);
    expect(s.liveBytes).toBe(before.liveBytes - 48);
    expect(s.freeBytes).toBe(before.freeBytes + 48);
    expect(s.freeBlocks).toBe(before.freeBlocks + 1);
    expect(s.heapBytes).toBe(s.controlBytes + s.liveBytes + s.freeBytes);
    heap.check();
    expect(heap.malloc(37)).toBe(b);
    expect(heap.stats()).toEqual({ ...before, mallocs: before.mallocs + 1, frees: 1 });
    heap.check();
  });

  it('a cached block is refused as a double free by free, realloc and usableSize', () => {
    const { heap, b } = row(checked);
    heap.free(b);
    const error = expectRefused(heap, InvalidPointerError, () => heap.free(b));
    expect(error.message).toBe(`free: ${b} is not a live block: already freed (double free)`);
    expectRefused(heap, InvalidPointerError, () => heap.realloc(b, 10));
    expectRefused(heap, InvalidPointerError, () => heap.usableSize(b));
  });

  it('a block next to a free block goes to the free lists and merges', () => {
    const { heap, a, b, c } = row(checked, 300);
    heap.free(b); // too large for the cache: a free block
    const holes = heap.stats().freeBlocks;
    const small = row(checked);
    small.heap.free(small.b);
    small.heap.free(small.a); // its right neighbour is cached, not free: cached too
    expect(small.heap.stats().freeBlocks).toBe(3);
    heap.free(a);
    heap.free(c);
    expect(heap.stats().freeBlocks).toBe(holes);
    heap.check();
    small.heap.check();
  });

  it('a small block with a free neighbour on either side merges instead of being cached', () => {
    const heap = Heap.create({ checked });
    const [bigLeft, left, , right, bigRight] = [300, 40, 40, 40, 300].map((n) => heap.malloc(n));
    heap.malloc(40);
    heap.free(bigLeft!);
    heap.free(bigRight!);
    const holes = heap.stats().freeBlocks;
    heap.free(left!); // its left neighbour is free
    heap.free(right!); // its right neighbour is free
    expect(heap.stats().freeBlocks).toBe(holes);
    heap.check();
  });

  it('freeing the last live block empties the cache: the heap is one free block again', () => {
    const { heap, a, b, c, d } = row(checked);
    for (const p of [b, d, a, c]) heap.free(p);
    const s = heap.stats();
    expect(s.liveBlocks).toBe(0);
    expect(s.freeBlocks).toBe(1);
    expect(s.largestFree).toBe(s.freeBytes - 4);
    heap.check();
  });

  it('realloc grows in place into a cached right neighbour', () => {
    const { heap, a, b } = row(checked);
    fill(heap, a, 40, 9);
    heap.free(b);
    expect(heap.realloc(a, 80)).toBe(a);
    expect(holds(heap, a, 40, 9)).toBe(true);
    expect(heap.stats().liveBlocks).toBe(3);
    heap.check();
  });

  it('a heap that is full of cached blocks merges them when a larger request finds no room', () => {
    const heap = Heap.over(new ArrayBuffer(65536), { base: 0, size: 32768, checked });
    const blocks: number[] = [];
    for (let p = heap.malloc(20); p !== 0; p = heap.malloc(20)) blocks.push(p);
    const last = blocks.pop()!;
    // Every other block first: each has used neighbours, so it goes to the cache (or, past the
    // cache's depth, to the free lists); then the rest, which go to the free lists when a
    // neighbour is free, else to the cache.
    for (let i = 0; i < blocks.length; i += 2) heap.free(blocks[i]!);
    for (let i = 1; i < blocks.length; i += 2) heap.free(blocks[i]!);
    const s = heap.stats();
    expect(s.liveBlocks).toBe(1);
    expect(s.freeBlocks).toBeGreaterThan(2);
    heap.check();
    // Larger than any free block: only merging the cached blocks with their neighbours makes
    // room (the region cannot grow).
    const big = heap.malloc(s.largestFree + 8);
    expect(big).not.toBe(0);
    expect(heap.stats().freeBlocks).toBeLessThanOrEqual(2);
    heap.check();
    heap.free(big);
    heap.free(last);
    expect(heap.stats().freeBlocks).toBe(1);
    heap.check();
  });

  it('keeps working when the memory was grown by someone else between two calls', () => {
    const wasm = new WebAssembly.Memory({ initial: 2, maximum: 8 });
    const heap = Heap.over(wasm, { base: 0, size: 65536, checked });
    const [p, q, r] = [heap.malloc(24), heap.malloc(24), heap.malloc(24)];
    heap.free(q!);
    wasm.grow(1); // detaches the buffer the heap's views were made over
    expect(heap.malloc(24)).toBe(q);
    heap.free(q!);
    wasm.grow(1);
    heap.free(p!);
    heap.check();
    expect(heap.stats().liveBlocks).toBe(1);
    expect(heap.usableSize(r!)).toBe(28);
  });

  it('stats() and check() stay exact through any program of small mallocs and frees', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300 }), fc.nat()), {
          maxLength: 400,
        }),
        (program) => {
          const heap = Heap.create({ checked });
          const live: Array<[number, number]> = [];
          let bytes = 0;
          for (const [alloc, size, pick] of program) {
            if (alloc || live.length === 0) {
              const p = heap.malloc(size);
              live.push([p, heap.usableSize(p) + 4]);
              bytes += heap.usableSize(p) + 4;
            } else {
              const [p, n] = live.splice(pick % live.length, 1)[0]!;
              heap.free(p);
              bytes -= n;
            }
            const s = heap.stats();
            expect(s.liveBlocks).toBe(live.length);
            expect(s.liveBytes).toBe(bytes);
            expect(s.heapBytes).toBe(s.controlBytes + s.liveBytes + s.freeBytes);
          }
          heap.check();
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('check() finds a damaged cache', () => {
  const damaged = (damage: (u32: Uint32Array, cachedAt: number) => void, message: RegExp) => {
    const { heap, b } = row(false);
    heap.free(b);
    damage(heap.memory.views.u32, b - 4);
    expect(() => heap.check()).toThrow(HeapCorruptionError);
    expect(() => heap.check()).toThrow(message);
  };

  it('a cached block whose tag was lost', () =>
    damaged(
      (u32, at) => (u32[at >>> 2]! &= ~4),
      /cached block\(s\) are in no cache list|holds a block not cached/,
    ));
  it('a broken cache link', () =>
    damaged((u32, at) => (u32[(at + 4) >>> 2] = at + 48), /not cached|longer than its count/));
  it('a cached block that is also tagged free', () =>
    damaged((u32, at) => (u32[at >>> 2]! |= 1), /both free and cached/));
});

describe('a checked heap still refuses every pointer that is not a live block', () => {
  it('inside or at a cached block', () => {
    const { heap, b } = row(true);
    heap.free(b);
    for (const p of [b, b + 8, b + 16])
      expectRefused(heap, InvalidPointerError, () => heap.free(p));
    expect(heap.usableSize(b - 48)).toBe(44);
  });
});

describe('the cache in a memory attached by another heap object', () => {
  it('one heap object frees into the cache, the other allocates from it', () => {
    const memory = Memory.from(new ArrayBuffer(1 << 20));
    const one = Heap.over(memory, { base: 0 });
    const [, q] = [one.malloc(30), one.malloc(30), one.malloc(30)];
    const two = Heap.attach(memory);
    one.free(q!);
    expect(two.malloc(30)).toBe(q);
    two.check();
  });
});
