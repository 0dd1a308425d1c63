/**
 * The two things the area pools take from the heap: `Heap.over`'s `locked` option (a heap in
 * shared memory whose caller serialises every operation itself) and `liveSizeUnlocked` (the
 * usable size of a live block, read without the lock; 0 for anything else).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, Memory } from '../../src/index.js';

const sharedMemory = (bytes = 1 << 20, max = bytes) =>
  Memory.create({ shared: true, initialBytes: bytes, maxBytes: max });

/** The heap's lock word (the control block's F_LOCK field, at byte 12). */
const lockWord = (heap: Heap) => heap.memory.views.i32[(heap.base + 12) >>> 2];

describe('Heap.over: locked', () => {
  it('defaults to whether the memory is shared', () => {
    expect(Heap.over(sharedMemory(), { base: 0 }).shared).toBe(true);
    expect(Heap.over(Memory.create(), { base: 0 }).shared).toBe(false);
  });

  it('locked: false takes no lock over shared memory, and an attached heap takes none either', () => {
    const memory = sharedMemory();
    const heap = Heap.over(memory, { base: 4096, size: 65536, locked: false, checked: true });
    expect(heap.shared).toBe(false);
    const other = Heap.attach(memory.source, { base: 4096 });
    expect(other.shared).toBe(false);
    const p = heap.malloc(100);
    other.free(heap.malloc(40));
    expect(lockWord(heap)).toBe(0);
    heap.free(p);
    heap.check();
    other.check();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('refuses locked: true over memory that is not shared, and a locked that is not a boolean', () => {
    expect(() => Heap.over(Memory.create(), { base: 0, locked: true })).toThrow(
      /^Heap\.over: locked: true needs shared memory/,
    );
    for (const bad of ['yes', 1, null]) {
      expect(() => Heap.over(sharedMemory(), { base: 0, locked: bad as never })).toThrow(
        new RegExp('^Heap\\.over: locked must be a boolean'),
      );
    }
  });
});

describe('Heap.liveSizeUnlocked', () => {
  it('is the usable size of a live block, and 0 for anything else, never throwing', () => {
    for (const checked of [false, true]) {
      const heap = Heap.create({ checked });
      const p = heap.malloc(100);
      const q = heap.malloc(24);
      const r = heap.malloc(24);
      heap.malloc(24); // keeps r's block from the top
      expect(heap.liveSizeUnlocked(p)).toBe(heap.usableSize(p));
      expect(heap.liveSizeUnlocked(q)).toBe(heap.usableSize(q));
      heap.free(r); // into the heap's cache of recently freed blocks
      heap.free(p); // to the free lists
      for (const bad of [r, p, 0, q + 8, q + 1, -8, 1.5, Number.NaN, 2 ** 32, 2 ** 40]) {
        expect(heap.liveSizeUnlocked(bad)).toBe(0);
      }
      for (const bad of [BigInt(q), String(q), null, undefined, {}])
        expect(heap.liveSizeUnlocked(bad as never)).toBe(0);
      heap.check();
    }
  });

  it('renews its views when another thread grew the heap', () => {
    const memory = sharedMemory(65536, 1 << 20);
    const heap = Heap.over(memory, { base: 0, locked: false, checked: true });
    // Another worker's view of the same heap (its own Memory object) grows it.
    const other = Heap.attach(Memory.from(memory.source));
    const far = other.malloc(300_000);
    expect(far + 300_000).toBeGreaterThan(heap.memory.views.u8.length);
    expect(heap.liveSizeUnlocked(far)).toBe(other.usableSize(far));
    heap.check();
  });

  it('agrees with the heap for every address it ever handed out (checked and not)', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 600 }), fc.nat()), {
          maxLength: 120,
        }),
        (checked, ops) => {
          const heap = Heap.create({ checked });
          const live: number[] = [];
          const seen = new Set<number>();
          for (const [allocate, size, pick] of ops) {
            if (allocate || live.length === 0) {
              const p = heap.malloc(size);
              live.push(p);
              seen.add(p);
            } else heap.free(live.splice(pick % live.length, 1)[0]!);
          }
          for (const p of seen) {
            const expected = live.includes(p) ? heap.usableSize(p) : 0;
            expect(heap.liveSizeUnlocked(p)).toBe(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
