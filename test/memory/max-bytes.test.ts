/**
 * `maxBytes` is kept: a memory or heap never holds more than `maxBytes`, and a `maxBytes` that
 * growth in whole 64 KiB pages cannot keep is refused (issue 7, defect 10).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, Memory, PAGE_BYTES } from '../../src/index.js';
import { thrown } from '../support/thrown.js';

const startsWith = (f: () => unknown, call: string): Error => {
  const error = thrown(f);
  expect(error).toBeInstanceOf(RangeError);
  expect((error as Error).message.startsWith(`${call}: `)).toBe(true);
  return error as Error;
};

describe.each([false, true])(
  'maxBytes that is not a whole number of pages (shared: %s)',
  (shared) => {
    it('Memory.create refuses it, naming the pages that would do', () => {
      const error = startsWith(() => Memory.create({ maxBytes: 100_000, shared }), 'Memory.create');
      expect(error.message).toBe(
        'Memory.create: maxBytes 100000 is not a whole number of 64 KiB pages ' +
          '(memory grows by pages): use 65536 (1 page) or 131072 (2 pages)',
      );
    });

    it('Heap.create refuses it, under its own name', () => {
      const error = startsWith(() => Heap.create({ maxBytes: 100_000, shared }), 'Heap.create');
      expect(error.message).toMatch(/maxBytes 100000 is not a whole number of 64 KiB pages/);
    });

    it('for any size that is not a multiple of 64 KiB', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 64 * PAGE_BYTES }).filter((n) => n % PAGE_BYTES !== 0),
          (maxBytes) => {
            startsWith(() => Memory.create({ maxBytes, shared }), 'Memory.create');
            startsWith(() => Heap.create({ maxBytes, shared }), 'Heap.create');
          },
        ),
        { numRuns: 50 },
      );
    });
  },
);

describe.each([false, true])('maxBytes is never exceeded (shared: %s)', (shared) => {
  it('a memory never grows past it, and grows to all of it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 6 * PAGE_BYTES }),
        fc.array(fc.integer({ min: 0, max: 8 * PAGE_BYTES }), { maxLength: 8 }),
        (maxPages, initial, requests) => {
          const maxBytes = maxPages * PAGE_BYTES;
          const initialBytes = Math.min(initial, maxBytes);
          const memory = Memory.create({ initialBytes, maxBytes, shared });
          expect(memory.maxByteLength).toBe(maxBytes);
          for (const request of requests) {
            expect(memory.grow(request)).toBe(request <= maxBytes);
            expect(memory.byteLength).toBeLessThanOrEqual(maxBytes);
          }
          expect(memory.grow(maxBytes)).toBe(true);
          expect(memory.byteLength).toBe(maxBytes);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a heap never manages or grows its memory past it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 3 * PAGE_BYTES }), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (maxPages, sizes, checked) => {
          const maxBytes = maxPages * PAGE_BYTES;
          const heap = Heap.create({ maxBytes, shared, checked });
          for (const size of sizes) {
            heap.malloc(size);
            expect(heap.memory.byteLength).toBeLessThanOrEqual(maxBytes);
            expect(heap.stats().heapBytes).toBeLessThanOrEqual(maxBytes);
          }
          heap.check();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('malloc of more than maxBytes allows fails, and the heap can still use all of it', () => {
    const maxBytes = 2 * PAGE_BYTES;
    const heap = Heap.create({ maxBytes, shared });
    expect(heap.malloc(maxBytes - 3000)).toBe(0); // the control block takes 3380 bytes
    const p = heap.malloc(maxBytes - 4096);
    expect(p).not.toBe(0);
    expect(heap.memory.byteLength).toBe(maxBytes);
    heap.check();
  });

  it('the issue case: maxBytes 2 pages keeps malloc(90000) within 131072 bytes', () => {
    const heap = Heap.create({ maxBytes: 2 * PAGE_BYTES, shared });
    expect(heap.malloc(90_000)).not.toBe(0);
    expect(heap.memory.byteLength).toBe(2 * PAGE_BYTES);
    expect(heap.malloc(90_000)).toBe(0);
  });
});

describe('sizes of the memory of a heap', () => {
  it('maxBytes 0 makes a memory of no bytes, which cannot grow', () => {
    const memory = Memory.create({ maxBytes: 0 });
    expect(memory.byteLength).toBe(0);
    expect(memory.maxByteLength).toBe(0);
    expect(memory.grow(1)).toBe(false);
    expect(memory.ensure(0, 0).u8.length).toBe(0);
  });

  it('initialBytes is rounded up to whole pages, never above maxBytes', () => {
    expect(Memory.create({ initialBytes: 1000, maxBytes: PAGE_BYTES }).byteLength).toBe(PAGE_BYTES);
    startsWith(
      () => Memory.create({ initialBytes: PAGE_BYTES + 1, maxBytes: PAGE_BYTES }),
      'Memory.create',
    );
  });

  it('Heap.create names itself in every error about its sizes', () => {
    startsWith(() => Heap.create({ initialBytes: -1 }), 'Heap.create');
    startsWith(() => Heap.create({ maxBytes: 1.5 }), 'Heap.create');
    startsWith(
      () => Heap.create({ initialBytes: 2 * PAGE_BYTES, maxBytes: PAGE_BYTES }),
      'Heap.create',
    );
    startsWith(() => Heap.create({ maxBytes: 0 }), 'Heap.create'); // too few for a heap
  });
});
