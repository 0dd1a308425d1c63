import { describe, expect, it } from 'vitest';
import {
  Heap,
  HeapCorruptionError,
  InvalidPointerError,
  Memory,
  PAGE_BYTES,
} from '../../src/index.js';
import { refusal } from '../support/thrown.js';
import { expectEachRefused } from '../support/refusal.js';
import { expectRefused, fill, holds, snapshot } from './helpers.js';

const both = [false, true] as const;

describe('Heap.create', () => {
  it('starts as one free block after the control block', () => {
    const heap = Heap.create();
    const s = heap.stats();
    expect(s.heapBytes).toBe(PAGE_BYTES);
    expect(s.liveBlocks).toBe(0);
    expect(s.freeBlocks).toBe(1);
    expect(s.heapBytes).toBe(s.controlBytes + s.liveBytes + s.freeBytes);
    expect(s.highWater).toBe(0);
    heap.check();
  });

  it('rejects sizes that are not byte counts', () => {
    expect(() => Heap.create({ initialBytes: -1 })).toThrow(RangeError);
    expect(() => Heap.create({ maxBytes: 1.5 })).toThrow(RangeError);
  });
});

describe.each(both)('malloc (checked: %s)', (checked) => {
  it('returns 8-aligned, distinct, non-overlapping blocks', () => {
    const heap = Heap.create({ checked });
    const blocks = [0, 1, 7, 8, 9, 100, 255, 256, 1000, 5000].map((n) => ({
      p: heap.malloc(n),
      n,
    }));
    for (const { p, n } of blocks) {
      expect(p % 8).toBe(0);
      expect(heap.usableSize(p)).toBeGreaterThanOrEqual(n);
    }
    const sorted = [...blocks].sort((a, b) => a.p - b.p);
    for (let i = 1; i < sorted.length; i++) {
      expect(sorted[i]!.p).toBeGreaterThanOrEqual(
        sorted[i - 1]!.p + heap.usableSize(sorted[i - 1]!.p),
      );
    }
    heap.check();
  });

  it('malloc(0) returns a unique minimal block that must be freed', () => {
    const heap = Heap.create({ checked });
    const a = heap.malloc(0);
    const b = heap.malloc(0);
    expect(a).not.toBe(0);
    expect(b).not.toBe(a);
    expect(heap.usableSize(a)).toBe(12);
    expect(heap.stats().liveBlocks).toBe(2);
    heap.free(a);
    heap.free(b);
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('free(0) does nothing', () => {
    const heap = Heap.create({ checked });
    const before = snapshot(heap);
    heap.free(0);
    expect(snapshot(heap)).toEqual(before);
  });

  it('calloc returns zeroed memory, also when the block was used before', () => {
    const heap = Heap.create({ checked });
    const p = heap.malloc(256);
    fill(heap, p, 256, 9);
    heap.free(p);
    const q = heap.calloc(16, 16);
    expect(q).toBe(p);
    expect([...heap.memory.views.u8.subarray(q, q + 256)].every((x) => x === 0)).toBe(true);
  });

  it.each([
    -1,
    1.5,
    Number.NaN,
    Infinity,
    2 ** 53,
    '8' as unknown as number,
    undefined as unknown as number,
  ])('malloc(%s) is a RangeError and changes nothing', (size) => {
    const heap = Heap.create({ checked });
    heap.malloc(24);
    expectRefused(heap, RangeError, () => heap.malloc(size));
    expectRefused(heap, RangeError, () => heap.realloc(0, size));
    expectRefused(heap, RangeError, () => heap.alignedAlloc(16, size));
  });

  it('calloc rejects bad counts and an overflowing product', () => {
    const heap = Heap.create({ checked });
    expectRefused(heap, RangeError, () => heap.calloc(-1, 8));
    expectRefused(heap, RangeError, () => heap.calloc(8, 0.5));
    const error = expectRefused(heap, RangeError, () => heap.calloc(2 ** 30, 2 ** 30));
    expect(error.message).toContain('overflows');
  });
});

describe.each(both)('bad pointers (checked: %s)', (checked) => {
  const setup = () => {
    const heap = Heap.create({ checked });
    const a = heap.malloc(64);
    const b = heap.malloc(64);
    const c = heap.malloc(64);
    heap.free(b);
    return { heap, a, b, c };
  };

  it('double free is an InvalidPointerError that changes nothing', () => {
    const { heap, b } = setup();
    const error = expectRefused(heap, InvalidPointerError, () => heap.free(b));
    expect(error.message).toBe(`free: ${b} is not a live block: already freed (double free)`);
    expectRefused(heap, InvalidPointerError, () => heap.realloc(b, 10));
    expectRefused(heap, InvalidPointerError, () => heap.usableSize(b));
  });

  it('double free after the block merged with its neighbours is still caught', () => {
    const { heap, a, c } = setup();
    heap.free(a);
    heap.free(c);
    expect(heap.stats().freeBlocks).toBe(1);
    expectRefused(heap, InvalidPointerError, () => heap.free(a));
    expectRefused(heap, InvalidPointerError, () => heap.free(c));
  });

  it.each([-8, 8, 1 << 30, Number.NaN, 2.5])(
    'an address outside the heap (%s) is always caught',
    (p) => {
      const { heap } = setup();
      expectRefused(heap, InvalidPointerError, () => heap.free(p));
      expectRefused(heap, InvalidPointerError, () => heap.realloc(p, 8));
      expectRefused(heap, InvalidPointerError, () => heap.usableSize(p));
    },
  );

  it('an address inside a live block is caught when it is not 8-aligned', () => {
    const { heap, a } = setup();
    expectRefused(heap, InvalidPointerError, () => heap.free(a + 4));
  });

  it('usableSize(0) is an InvalidPointerError', () => {
    const { heap } = setup();
    expectRefused(heap, InvalidPointerError, () => heap.usableSize(0));
  });
});

describe('bad pointers that only a checked heap always catches', () => {
  it('an 8-aligned address inside a live block whose bytes mimic a block header', () => {
    const heap = Heap.create({ checked: true });
    const a = heap.malloc(256);
    const v = heap.memory.views;
    // Forge a plausible used block of 16 bytes at a + 64: header at a + 60, and leave the
    // word after it without LEFT_FREE.
    v.u32[(a + 60) >>> 2] = 16;
    v.u32[(a + 76) >>> 2] = 16;
    expectRefused(heap, InvalidPointerError, () => heap.free(a + 64));
    expectRefused(heap, InvalidPointerError, () => heap.realloc(a + 64, 4));
  });

  it('a pointer that was never allocated, inside a free block', () => {
    const heap = Heap.create({ checked: true });
    const a = heap.malloc(4096);
    heap.free(a);
    heap.memory.views.u32[(a + 1020) >>> 2] = 16;
    heap.memory.views.u32[(a + 1036) >>> 2] = 16;
    expectRefused(heap, InvalidPointerError, () => heap.free(a + 1024));
  });
});

describe.each(both)('realloc (checked: %s)', (checked) => {
  it('realloc(0, n) is malloc(n); realloc(p, 0) frees p and returns 0; realloc(0, 0) is 0', () => {
    const heap = Heap.create({ checked });
    const p = heap.realloc(0, 40);
    expect(p).not.toBe(0);
    expect(heap.usableSize(p)).toBeGreaterThanOrEqual(40);
    expect(heap.realloc(p, 0)).toBe(0);
    expect(heap.stats().liveBlocks).toBe(0);
    expectRefused(heap, InvalidPointerError, () => heap.free(p));
    expect(heap.realloc(0, 0)).toBe(0);
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('shrinks in place and gives the tail back', () => {
    const heap = Heap.create({ checked });
    const p = heap.malloc(1000);
    fill(heap, p, 100, 3);
    const free0 = heap.stats().freeBytes;
    expect(heap.realloc(p, 100)).toBe(p);
    expect(holds(heap, p, 100, 3)).toBe(true);
    expect(heap.usableSize(p)).toBeLessThan(200);
    expect(heap.stats().freeBytes).toBeGreaterThan(free0);
    heap.check();
  });

  it('grows in place into a free right neighbour', () => {
    const heap = Heap.create({ checked });
    const p = heap.malloc(100);
    const q = heap.malloc(500);
    heap.malloc(16); // keeps q's space from merging with the top
    fill(heap, p, 100, 5);
    heap.free(q);
    expect(heap.realloc(p, 400)).toBe(p);
    expect(holds(heap, p, 100, 5)).toBe(true);
    heap.check();
  });

  it('grows in place at the end of the heap, growing the memory', () => {
    const heap = Heap.create({ checked });
    heap.malloc(100);
    const p = heap.malloc(1000);
    fill(heap, p, 1000, 7);
    const bytes = heap.stats().heapBytes;
    expect(heap.realloc(p, 200_000)).toBe(p);
    expect(heap.stats().heapBytes).toBeGreaterThan(bytes);
    expect(holds(heap, p, 1000, 7)).toBe(true);
    heap.check();
  });

  it('moves when it must, keeps the contents and releases the old block (no leak)', () => {
    const heap = Heap.create({ checked });
    const a = heap.malloc(16);
    const b = heap.malloc(16);
    fill(heap, a, 16, 11);
    const live = heap.stats().liveBytes;
    const moved = heap.realloc(a, 100);
    expect(moved).not.toBe(a);
    expect(holds(heap, moved, 16, 11)).toBe(true);
    const s = heap.stats();
    expect(s.liveBlocks).toBe(2);
    expect(s.liveBytes).toBe(live - 24 + heap.usableSize(moved) + 4);
    expectRefused(heap, InvalidPointerError, () => heap.free(a));
    heap.free(moved);
    heap.free(b);
    expect(heap.stats().liveBytes).toBe(0);
    expect(heap.stats().freeBlocks).toBe(1);
  });

  it('keeps usableSize when resized to a size it already holds', () => {
    const heap = Heap.create({ checked });
    const p = heap.malloc(100);
    const usable = heap.usableSize(p);
    expect(heap.realloc(p, usable)).toBe(p);
    expect(heap.usableSize(p)).toBe(usable);
  });
});

describe.each(both)('alignedAlloc (checked: %s)', (checked) => {
  it('honours every power of two up to 1 MiB', () => {
    const heap = Heap.create({ checked, maxBytes: 64 << 20 });
    const blocks: number[] = [];
    for (let shift = 0; shift <= 20; shift++) {
      const align = 2 ** shift;
      const p = heap.alignedAlloc(align, 24 + shift);
      expect(p % align).toBe(0);
      expect(heap.usableSize(p)).toBeGreaterThanOrEqual(24 + shift);
      fill(heap, p, 24 + shift, shift);
      blocks.push(p);
      heap.check();
    }
    blocks.forEach((p, shift) => expect(holds(heap, p, 24 + shift, shift)).toBe(true));
    for (const p of blocks) heap.free(p);
    expect(heap.stats().liveBlocks).toBe(0);
    expect(heap.stats().freeBlocks).toBe(1);
    heap.check();
  });

  it.each([0, 3, 12, -8, 1.5, 2 ** 31])('rejects alignment %s with a RangeError', (align) => {
    const heap = Heap.create({ checked });
    expectRefused(heap, RangeError, () => heap.alignedAlloc(align, 8));
  });
});

describe.each(both)('running out of memory (checked: %s)', (checked) => {
  it('a fixed region: returns 0 and leaves the heap unchanged', () => {
    const heap = Heap.over(new ArrayBuffer(32768), { base: 0, checked });
    const p = heap.malloc(10_000);
    fill(heap, p, 10_000, 1);
    const before = { ...heap.stats(), failures: 0 };
    const bytes = snapshot(heap);
    expect(heap.malloc(30_000)).toBe(0);
    expect(heap.realloc(p, 30_000)).toBe(0);
    expect(heap.calloc(1000, 1000)).toBe(0);
    expect(heap.alignedAlloc(4096, 25_000)).toBe(0);
    const after = heap.stats();
    expect(after.failures).toBe(4);
    expect({ ...after, failures: 0 }).toEqual(before);
    expect(holds(heap, p, 10_000, 1)).toBe(true);
    heap.check();
    expect(snapshot(heap).subarray(200)).toEqual(bytes.subarray(200));
  });

  it('a growable heap: grows up to maxBytes, then returns 0 without growing', () => {
    const heap = Heap.create({ checked, maxBytes: 4 * PAGE_BYTES });
    const big = heap.malloc(3 * PAGE_BYTES);
    expect(big).not.toBe(0);
    const grown = heap.stats().heapBytes;
    expect(grown).toBeLessThanOrEqual(4 * PAGE_BYTES);
    expect(heap.malloc(2 * PAGE_BYTES)).toBe(0);
    expect(heap.stats().heapBytes).toBe(grown);
    expect(heap.memory.byteLength).toBe(grown);
    expect(heap.realloc(big, 5 * PAGE_BYTES)).toBe(0);
    expect(heap.usableSize(big)).toBeGreaterThanOrEqual(3 * PAGE_BYTES);
    heap.check();
  });

  it('a request beyond any memory returns 0', () => {
    const heap = Heap.create({ checked });
    expect(heap.malloc(2 ** 40)).toBe(0);
    expect(heap.alignedAlloc(2 ** 30, 2 ** 33)).toBe(0);
    heap.check();
  });
});

describe('Heap.over and Heap.attach', () => {
  it('manages a region of an existing memory and leaves the rest alone', () => {
    const buffer = new ArrayBuffer(65536);
    const bytes = new Uint8Array(buffer);
    bytes.fill(0xee);
    const heap = Heap.over(buffer, { base: 8192, size: 16384 });
    const p = heap.malloc(1000);
    expect(p).toBeGreaterThanOrEqual(8192);
    expect(p + 1000).toBeLessThanOrEqual(8192 + 16384);
    expect(bytes[8191]).toBe(0xee);
    expect(bytes[8192 + 16384]).toBe(0xee);
    expect(heap.malloc(20_000)).toBe(0);
    heap.check();
  });

  it('without a size, owns the memory from base to its end and grows a WebAssembly memory', () => {
    const wasm = new WebAssembly.Memory({ initial: 1, maximum: 8 });
    const heap = Heap.over(wasm, { base: 1024 });
    const p = heap.malloc(100_000);
    expect(p).not.toBe(0);
    expect(wasm.buffer.byteLength).toBeGreaterThanOrEqual(1024 + 100_000);
    heap.check();
  });

  it('keeps working after the memory is grown by someone else (a module calling memory.grow)', () => {
    const wasm = new WebAssembly.Memory({ initial: 2, maximum: 8 });
    const heap = Heap.over(wasm, { base: 0, size: 65536 });
    const p = heap.malloc(100);
    fill(heap, p, 100, 4);
    wasm.grow(1); // detaches the buffer the heap's views were made over
    heap.free(heap.malloc(50));
    expect(holds(heap, p, 100, 4)).toBe(true);
    heap.check();
    expect(heap.stats().liveBlocks).toBe(1);
  });

  it.each([
    [{ base: 3 }, 'base must be 8-aligned'],
    [{ base: 0, size: 1000 }, 'too few'],
    [{ base: 0, size: 1 << 20 }, 'outside the memory'],
    [{ base: -8 }, 'non-negative'],
  ])('Heap.over refuses %j', (options, message) => {
    expect(() => Heap.over(new ArrayBuffer(65536), options)).toThrow(message);
  });

  it('attach sees the same heap', () => {
    const heap = Heap.create({ shared: true, checked: true });
    const p = heap.malloc(100);
    const other = Heap.attach(heap.memory.source);
    expect(other.checked).toBe(true);
    expect(other.usableSize(p)).toBe(heap.usableSize(p));
    other.free(p);
    expect(heap.stats().liveBlocks).toBe(0);
    expect(() => heap.free(p)).toThrow(InvalidPointerError);
  });

  it('attach refuses an address with no heap', () => {
    expect(() => Heap.attach(new ArrayBuffer(65536))).toThrow(HeapCorruptionError);
    expect(() => Heap.attach(new ArrayBuffer(65536), { base: 12 })).toThrow(HeapCorruptionError);
    const heap = Heap.create();
    expect(() => Heap.attach(heap.memory, { base: 8 })).toThrow('wrong magic number');
  });

  it('accepts a Memory as well as a raw source', () => {
    const memory = Memory.from(new ArrayBuffer(65536));
    const heap = Heap.over(memory, { base: 0 });
    expect(heap.memory).toBe(memory);
  });
});

describe.each(both)('check() finds corruption (checked: %s)', (checked) => {
  const corrupt = (damage: (u32: Uint32Array, p: number, q: number) => void, message: RegExp) => {
    const heap = Heap.create({ checked });
    const p = heap.malloc(100);
    // Above the cache's sizes, so that q goes to the free lists.
    const q = heap.malloc(300);
    heap.malloc(50);
    heap.free(q);
    damage(heap.memory.views.u32, p, q);
    expect(() => heap.check()).toThrow(HeapCorruptionError);
    expect(() => heap.check()).toThrow(message);
  };

  it('a header overwritten by a write past the end of the block before it', () => {
    corrupt((u32, _p, q) => (u32[(q - 4) >>> 2] = 0x41414141), /heap corrupt at address \d+/);
  });
  it('a size that runs past the heap', () =>
    corrupt((u32, p) => (u32[(p - 4) >>> 2] = 1 << 30), /runs past the end/));
  it('a broken back word of a free block', () =>
    corrupt((u32, _p, q) => {
      const size = u32[(q - 4) >>> 2]! & ~7;
      u32[(q - 4 + size - 4) >>> 2] = 0;
    }, /back word/));
  it('a broken list link', () => corrupt((u32, _p, q) => (u32[q >>> 2] = 12345), /previous link/));
  it('a LEFT_FREE tag that lies', () =>
    corrupt((u32, p) => (u32[(p - 4) >>> 2]! |= 2), /LEFT_FREE tag/));
});

describe('arguments that are not what they should be', () => {
  it('Heap.create checks its options under its own name', () => {
    for (const o of [null, 5, 'big'])
      refusal(() => Heap.create(o as never), TypeError, 'Heap.create');
    for (const o of [
      { initialBytes: -1 },
      { maxBytes: NaN },
      { initialBytes: null },
      { maxBytes: null },
      { maxBytes: 2 ** 33 },
    ]) {
      refusal(() => Heap.create(o as never), RangeError, 'Heap.create');
    }
    refusal(
      () => Heap.create({ initialBytes: 2 * PAGE_BYTES, maxBytes: PAGE_BYTES }),
      RangeError,
      'Heap.create',
    );
    for (const o of [{ shared: 'yes' }, { checked: 1 }, { shared: null }]) {
      refusal(() => Heap.create(o as never), TypeError, 'Heap.create');
    }
  });

  it('Heap.over and Heap.attach check their source and options under their own names', () => {
    for (const source of [null, undefined, 'buffer', {}, new Uint8Array(65536)]) {
      refusal(() => Heap.over(source as never, { base: 0 }), TypeError, 'Heap.over');
      refusal(() => Heap.attach(source as never), TypeError, 'Heap.attach');
    }
    for (const o of [null, undefined, 5]) {
      refusal(() => Heap.over(new ArrayBuffer(65536), o as never), TypeError, 'Heap.over');
    }
    refusal(
      () => Heap.over(new ArrayBuffer(65536), { base: 0, checked: 'no' } as never),
      TypeError,
      'Heap.over',
    );
    refusal(
      () => Heap.over(new ArrayBuffer(65536), { base: 0, size: 64 }),
      RangeError,
      'Heap.over',
    );
    refusal(() => Heap.attach(new ArrayBuffer(65536), 5 as never), TypeError, 'Heap.attach');
    refusal(
      () => Heap.attach(new ArrayBuffer(65536), { base: null } as never),
      RangeError,
      'Heap.attach',
    );
    const message = refusal(
      () => Heap.attach(new ArrayBuffer(65536)),
      HeapCorruptionError,
      'Heap.attach',
    );
    expect(message).toMatch(/heap corrupt at address 0: wrong magic number .*: no heap here/);
  });
});

describe('bigint arguments (the library-wide rule)', () => {
  const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

  it('sizes, counts and alignments may be bigints whose values are safe integers', () => {
    const heap = Heap.create({ initialBytes: 65536n, maxBytes: 262144n });
    const p = heap.malloc(8n);
    expect(p % 8).toBe(0);
    expect(heap.usableSize(p)).toBeGreaterThanOrEqual(8);
    const q = heap.calloc(3n, 4n);
    expect([...heap.memory.views.u8.subarray(q, q + 12)].every((b) => b === 0)).toBe(true);
    const r = heap.realloc(p, 100n);
    expect(heap.usableSize(r)).toBeGreaterThanOrEqual(100);
    const a = heap.alignedAlloc(64n, 24n);
    expect(a % 64).toBe(0);
    expect(heap.alignedAlloc(8n, 8)).not.toBe(0);
    for (const x of [r, q, a]) heap.free(x);
    heap.check();
    const over = Heap.over(new ArrayBuffer(65536), { base: 0, size: 16384n });
    expect(over.stats().heapBytes).toBe(16384);
  });

  it('bigints beyond 2^53 − 1, negative or not powers of two are RangeErrors naming the call', () => {
    const heap = Heap.create();
    const before = snapshot(heap);
    const cases: Array<[string, () => unknown]> = [
      ['malloc', () => heap.malloc(SAFE + 1n)],
      ['malloc', () => heap.malloc(-1n)],
      ['calloc', () => heap.calloc(2n ** 64n, 1n)],
      ['calloc', () => heap.calloc(SAFE, 2n)],
      ['realloc', () => heap.realloc(0, -8n)],
      ['alignedAlloc', () => heap.alignedAlloc(3n, 8n)],
      ['alignedAlloc', () => heap.alignedAlloc(2n ** 40n, 8n)],
      ['Memory.create', () => Memory.create({ initialBytes: 2n ** 60n })],
      ['Heap.over', () => Heap.over(new ArrayBuffer(8192), { base: 0, size: -1n })],
    ];
    expectEachRefused(RangeError, cases);
    expect(snapshot(heap)).toEqual(before);
    heap.check();
  });

  it('a bigint pointer or base is a TypeError naming the call, and changes nothing', () => {
    const heap = Heap.create();
    const p = heap.malloc(16);
    const before = snapshot(heap);
    const cases: Array<[string, () => unknown]> = [
      ['free', () => heap.free(BigInt(p) as never)],
      ['realloc', () => heap.realloc(BigInt(p) as never, 32)],
      ['usableSize', () => heap.usableSize(BigInt(p) as never)],
      ['Heap.over', () => Heap.over(new ArrayBuffer(8192), { base: 0n as never })],
      ['Heap.attach', () => Heap.attach(heap.memory, { base: 0n as never })],
    ];
    expectEachRefused(TypeError, cases);
    for (const [, run] of cases) expect(run).toThrow(/n is a bigint; addresses are numbers/);
    expect(snapshot(heap)).toEqual(before);
    heap.free(p);
    heap.check();
  });
});
