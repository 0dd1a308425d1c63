/**
 * `check()` verifies the control block, field by field: every corruption that makes
 * `Heap.attach` refuse the heap makes `check()` fail too, and so do the corruptions of the
 * fields `attach` does not read (sentinel, bitmap, high-water mark, counters, bitmaps).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, HeapCorruptionError } from '../../src/index.js';
import {
  CONTROL_BYTES,
  F_BITMAP,
  F_FAILURES,
  F_FL_MAP,
  F_FLAGS,
  F_HIGH,
  F_LIMIT,
  F_LOCK,
  F_MAGIC,
  F_MALLOCS,
  F_REALLOCS,
  F_SENTINEL,
  F_SPARE,
  F_START,
  F_VERSION,
  VERSION,
  FLAG_CHECKED,
  FLAG_GROWABLE,
  FLAG_SHARED,
} from '../../src/heap/layout.js';
import { thrown } from '../support/thrown.js';

/** A heap with live and free blocks, and a free block above the highest live one. */
const busyHeap = (
  options: { checked?: boolean; shared?: boolean; base?: number | undefined } = {},
): Heap => {
  const heap =
    options.base === undefined
      ? Heap.create({ checked: options.checked ?? false, shared: options.shared ?? false })
      : Heap.over(new WebAssembly.Memory({ initial: 2, maximum: 8 }), {
          base: options.base,
          checked: options.checked ?? false,
        });
  const a = heap.malloc(100);
  heap.malloc(200);
  const c = heap.malloc(300);
  heap.malloc(40);
  heap.free(a);
  heap.free(heap.realloc(c, 500)); // the high-water mark now lies above the last live block
  heap.check();
  return heap;
};

const wordAt = (heap: Heap, field: number): number =>
  heap.memory.views.u32[(heap.base + field) >>> 2]!;
const setWordAt = (heap: Heap, field: number, value: number): void => {
  heap.memory.views.u32[(heap.base + field) >>> 2] = value;
};
const setCounter = (heap: Heap, field: number, value: number): void => {
  heap.memory.views.f64[(heap.base + field) >>> 3] = value;
};

const expectCorrupt = (heap: Heap, field: number, message: RegExp): void => {
  const error = thrown(() => heap.check());
  expect(error).toBeInstanceOf(HeapCorruptionError);
  expect((error as HeapCorruptionError).message).toMatch(message);
  expect((error as HeapCorruptionError).address).toBe(heap.base + field);
};

describe.each([
  { checked: false, base: undefined },
  { checked: true, base: undefined },
  { checked: false, base: 4096 },
  { checked: true, base: 4096 },
])('check() verifies every field of the control block (%j)', (options) => {
  const corrupt = (field: number, value: number, message: RegExp): void => {
    const heap = busyHeap(options);
    setWordAt(heap, field, value);
    expectCorrupt(heap, field, message);
  };

  it('the magic number, which Heap.attach also refuses', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_MAGIC, 0);
    expect(() => Heap.attach(heap.memory, { base: heap.base })).toThrow(HeapCorruptionError);
    expectCorrupt(heap, F_MAGIC, /wrong magic number 0x0, expected 0x46534c54/);
  });

  it('the layout version, which Heap.attach also refuses', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_VERSION, VERSION + 1);
    expect(() => Heap.attach(heap.memory, { base: heap.base })).toThrow(HeapCorruptionError);
    expectCorrupt(
      heap,
      F_VERSION,
      new RegExp(`layout version ${VERSION + 1}, expected ${VERSION}`),
    );
  });

  it('flags: a bit that means nothing', () => corrupt(F_FLAGS, 1 << 9, /unknown flag bits/));

  it('flags: the checked bit disagrees with the heap', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_FLAGS, wordAt(heap, F_FLAGS) ^ FLAG_CHECKED);
    expectCorrupt(heap, F_FLAGS, /checked/);
  });

  it('flags: the shared bit set on a heap that takes no lock', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_FLAGS, wordAt(heap, F_FLAGS) | FLAG_SHARED);
    expectCorrupt(heap, F_FLAGS, /shared/);
  });

  it('flags: a fixed heap whose limit lies above its end', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_FLAGS, wordAt(heap, F_FLAGS) & ~FLAG_GROWABLE);
    expectCorrupt(heap, F_LIMIT, /cannot grow but its limit/);
  });

  it('the lock word of a heap that is not shared', () => corrupt(F_LOCK, 1, /lock word is 1/));

  it('the address of the first block', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_START, wordAt(heap, F_START) + 8);
    expectCorrupt(heap, F_START, /first block at/);
  });

  it('the sentinel address', () => corrupt(F_SENTINEL, 12345, /sentinel address 12345/));

  it('the limit: below the end of the heap', () => corrupt(F_LIMIT, 8, /larger than its limit/));

  it('the limit: not a multiple of 8', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_LIMIT, wordAt(heap, F_LIMIT) - 1);
    expectCorrupt(heap, F_LIMIT, /limit \d+ is not a multiple of 8/);
  });

  it('the bitmap block address', () => {
    const heap = busyHeap(options);
    const bitmap = wordAt(heap, F_BITMAP);
    if (options.checked) {
      setWordAt(heap, F_BITMAP, bitmap - 8);
      expectCorrupt(heap, F_BITMAP, /bitmap block at \d+, expected \d+/);
      setWordAt(heap, F_BITMAP, bitmap + 1);
      expectCorrupt(heap, F_BITMAP, /bitmap block at \d+, expected \d+/);
    } else {
      expect(bitmap).toBe(0);
      setWordAt(heap, F_BITMAP, wordAt(heap, F_START));
      expectCorrupt(heap, F_BITMAP, /unchecked heap has a bitmap block/);
    }
  });

  it('the high-water mark: below the end of a live block', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_HIGH, wordAt(heap, F_START) + 16);
    expectCorrupt(heap, F_HIGH, /high-water mark \d+ is below the end of the live block/);
  });

  it('the high-water mark: not a block address', () => {
    const heap = busyHeap(options);
    setWordAt(heap, F_HIGH, wordAt(heap, F_HIGH) + 2);
    expectCorrupt(heap, F_HIGH, /high-water mark \d+ is not a block address/);
  });

  it('the first-level bitmap: a bit above the last level', () =>
    corrupt(F_FL_MAP, 1 << 30, /first-level bitmap has bits above level/));

  it('the spare word', () => corrupt(F_SPARE, 7, /spare word is 7, expected 0/));

  it.each([
    ['reallocs', F_REALLOCS, -1],
    ['reallocs', F_REALLOCS, 0.5],
    ['failures', F_FAILURES, Number.NaN],
    ['failures', F_FAILURES, 2 ** 53],
    ['mallocs', F_MALLOCS, Number.POSITIVE_INFINITY],
  ])('the %s counter: %s', (_name, field, value) => {
    const heap = busyHeap(options);
    setCounter(heap, field, value);
    expectCorrupt(heap, field, /counter is .*, not a count/);
  });
});

describe('check() on a shared heap', () => {
  it('verifies the flags against the heap', () => {
    const heap = busyHeap({ shared: true });
    setWordAt(heap, F_FLAGS, wordAt(heap, F_FLAGS) & ~FLAG_SHARED);
    expectCorrupt(heap, F_FLAGS, /shared/);
  });

  it('passes while it holds the lock, and the lock is free afterwards', () => {
    const heap = busyHeap({ shared: true });
    heap.check();
    expect(wordAt(heap, F_LOCK)).toBe(0);
  });
});

describe('check() fails wherever Heap.attach refuses the heap', () => {
  it('for any byte of the control block set to any value', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.integer({ min: 0, max: F_REALLOCS - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (checked, at, value) => {
          const heap = busyHeap({ checked });
          const u8 = heap.memory.views.u8;
          fc.pre(u8[at] !== value);
          u8[at] = value;
          const refused = thrown(() => Heap.attach(heap.memory)) !== undefined;
          const failed = thrown(() => heap.check());
          if (refused) expect(failed).toBeInstanceOf(HeapCorruptionError);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });

  it('and it fails for any change to a word that only one value can hold', () => {
    // Every word of the control block but the limit, the high-water mark, the flags (a fixed
    // heap marked growable is still a heap) and the reallocs and failures counters (any count
    // is possible): those are checked for values no heap can have, in the tests above.
    const partly = new Set([
      F_LIMIT,
      F_HIGH,
      F_FLAGS,
      F_REALLOCS,
      F_REALLOCS + 4,
      F_FAILURES,
      F_FAILURES + 4,
    ]);
    const words = Array.from({ length: CONTROL_BYTES / 4 }, (_, i) => 4 * i).filter(
      (field) => !partly.has(field),
    );
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.constantFrom(...words),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (checked, field, value) => {
          const heap = busyHeap({ checked });
          fc.pre(wordAt(heap, field) !== value);
          setWordAt(heap, field, value);
          expect(thrown(() => heap.check())).toBeInstanceOf(HeapCorruptionError);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('Heap.attach reads the fields that never change', () => {
  it.each([
    ['flags with a bit that means nothing', F_FLAGS, 1 << 9, /unknown flag bits/],
    ['a first block that is not after the control block', F_START, 8, /first block at 8/],
    ['a limit that is not a multiple of 8', F_LIMIT, 65537, /not a multiple of 8/],
    ['a spare word that is not 0', F_SPARE, 1, /spare word/],
  ])('refuses %s', (_what, field, value, message) => {
    const heap = busyHeap();
    setWordAt(heap, field, value);
    expect(() => Heap.attach(heap.memory)).toThrow(HeapCorruptionError);
    expect(() => Heap.attach(heap.memory)).toThrow(message);
  });
});
