/**
 * The pool functions (§4.2 test cases 4–7): malloc, calloc, realloc, free, alignedAlloc and
 * usableSize, their edge cases and every bad argument, the per-worker cache (with two handles in
 * one thread standing for two workers), and use after delete_pool.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  B_AREA_MALLOC_MODULE_NAME,
  B_FULL_LOCK,
  B_LAZY_LOCK,
  B_NO_LOCK,
  DeletedPoolError,
  PoolProtectionError,
  attach_pool,
  put_module,
  type area_malloc_module_info,
} from 'foreign-ts/area';
import { InvalidPointerError } from 'foreign-ts/heap';
import { MemoryProtectionError } from 'foreign-ts/memory';
import { thrown } from '../support/thrown.js';
import { area, expectRefused, fill, holds, newPool, raw } from './helpers.js';

let a: area_malloc_module_info;
beforeAll(() => {
  a = area();
});
afterAll(() => {
  put_module(B_AREA_MALLOC_MODULE_NAME);
});

describe('malloc', () => {
  it('returns distinct 8-aligned blocks inside the pool', () => {
    const pool = newPool(a, 65536);
    const blocks = [0, 1, 12, 13, 100, 260, 261, 1000].map((n) => [a.malloc(pool, n), n] as const);
    for (const [p, n] of blocks) {
      expect(p % 8).toBe(0);
      expect(p).toBeGreaterThan(0);
      expect(p + n).toBeLessThanOrEqual(pool.base + pool.size);
      expect(pool.usableSize(p)).toBeGreaterThanOrEqual(n);
    }
    const sorted = [...blocks].sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < sorted.length; i++)
      expect(sorted[i - 1]![0] + Math.max(1, sorted[i - 1]![1])).toBeLessThanOrEqual(sorted[i]![0]);
    pool.check();
  });

  it('returns NULL when the pool has no room, and the pool does not grow (70 000 bytes of 64 KiB)', () => {
    for (const lock of [B_NO_LOCK, B_LAZY_LOCK, B_FULL_LOCK]) {
      const pool = newPool(a, 65536, lock);
      const before = pool.stats();
      expect(a.malloc(pool, 70000)).toBe(0);
      const after = pool.stats();
      expect(after.failures).toBe(before.failures + 1);
      expect(after.committedBytes).toBe(before.committedBytes);
      expect(pool.memory.byteLength).toBeLessThanOrEqual(65536);
      pool.check();
    }
  });

  it('accepts sizes as bigints, and refuses bad sizes with a RangeError naming the call', () => {
    const pool = newPool(a, 65536);
    const p = a.malloc(pool, 24n);
    expect(pool.usableSize(p)).toBeGreaterThanOrEqual(24);
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53, -1n, 2n ** 53n, '8', null]) {
      expectRefused(pool, RangeError, () => a.malloc(pool, bad as number), 'malloc');
      expectRefused(pool, RangeError, () => pool.malloc(bad as number), 'malloc');
    }
  });

  it('takes a block freed earlier from the cache without the lock, and counts exactly', () => {
    const pool = newPool(a, 1 << 20);
    const p = pool.malloc(40);
    pool.free(p);
    const cached = pool.stats();
    expect(cached.cachedBlocks).toBeGreaterThan(0);
    expect(cached.liveBlocks).toBe(0);
    expect(pool.malloc(40)).toBe(p); // LIFO: the block just freed
    const stats = pool.stats();
    expect(stats.liveBlocks).toBe(1);
    expect(stats.mallocs).toBe(2);
    expect(stats.frees).toBe(1);
    expect(stats.committedBytes).toBe(
      stats.controlBytes + stats.liveBytes + stats.cachedBytes + stats.freeBytes,
    );
    pool.check();
  });

  it('empties every cache into the heap before it returns NULL', () => {
    const pool = newPool(a, 65536);
    const other = attach_pool(pool.share()); // another worker's handle, with its own cache
    const small: number[] = [];
    for (let i = 0; i < 40; i++) small.push(other.malloc(16));
    for (const p of small) other.free(p);
    expect(pool.stats().cachedBlocks).toBeGreaterThan(0);
    // Room only if the cached blocks go back to the heap and merge.
    const largest = pool.stats().largestFree;
    const big = pool.malloc(largest + 200);
    expect(big).not.toBe(0);
    const stats = pool.stats();
    expect(stats.cachedBlocks).toBe(0);
    expect(stats.failures).toBe(0); // the first, internal failure is not the caller's
    pool.check();
  });
});

describe('calloc', () => {
  it('returns count × size zeroed bytes, from the heap and from the cache', () => {
    const pool = newPool(a, 65536);
    const dirty = pool.malloc(32);
    fill(pool, dirty, 32, 9);
    pool.free(dirty);
    const p = a.calloc(pool, 4, 8);
    expect(p).toBe(dirty); // reused from the cache, and zeroed
    expect([...raw(pool).views.u8.subarray(p, p + 32)]).toEqual(new Array(32).fill(0));
    const big = a.calloc(pool, 100, 30);
    expect(
      raw(pool)
        .views.u8.subarray(big, big + 3000)
        .every((b) => b === 0),
    ).toBe(true);
    expect(a.calloc(pool, 0, 8)).not.toBe(0);
    pool.check();
  });

  it('returns NULL for a product no pool can hold (C: NULL on overflow)', () => {
    const pool = newPool(a, 65536);
    const before = pool.stats().failures;
    expect(a.calloc(pool, 2 ** 52, 8)).toBe(0);
    expect(a.calloc(pool, 2n ** 40n, 2n ** 20n)).toBe(0);
    expect(pool.stats().failures).toBe(before + 2);
    pool.check();
  });

  it('refuses counts and sizes that are not safe integers (2**62 is not one) with a RangeError', () => {
    const pool = newPool(a, 65536);
    expectRefused(pool, RangeError, () => a.calloc(pool, 2 ** 62, 8), 'calloc');
    expectRefused(pool, RangeError, () => a.calloc(pool, 2n ** 62n, 8), 'calloc');
    expectRefused(pool, RangeError, () => a.calloc(pool, 4, -8), 'calloc');
  });
});

describe('realloc', () => {
  it('realloc(NULL, n) is malloc; realloc(p, 0) frees and returns NULL', () => {
    const pool = newPool(a, 65536);
    const p = a.realloc(pool, 0, 10);
    expect(p).not.toBe(0);
    expect(pool.stats().liveBlocks).toBe(1);
    expect(a.realloc(pool, p, 0)).toBe(0);
    expect(pool.stats().liveBlocks).toBe(0);
    expect(a.realloc(pool, 0, 0)).not.toBe(0); // malloc(0): a unique minimal block
    pool.check();
  });

  it('a shrink keeps the pointer; a grow keeps the contents', () => {
    const pool = newPool(a, 1 << 20);
    const p = pool.malloc(200);
    fill(pool, p, 200, 3);
    expect(a.realloc(pool, p, 150)).toBe(p);
    expect(holds(pool, p, 150, 3)).toBe(true);
    const block = pool.malloc(4000);
    fill(pool, block, 4000, 5);
    const smaller = a.realloc(pool, block, 100);
    expect(smaller).toBe(block);
    const q = a.realloc(pool, p, 5000);
    expect(q).not.toBe(0);
    expect(holds(pool, q, 150, 3)).toBe(true);
    expect(pool.stats().reallocs).toBe(3);
    pool.check();
  });

  it('on failure returns NULL and leaves the block intact', () => {
    const pool = newPool(a, 65536);
    const p = pool.malloc(100);
    fill(pool, p, 100, 11);
    const liveBytes = pool.stats().liveBytes;
    expect(a.realloc(pool, p, 70000)).toBe(0);
    expect(holds(pool, p, 100, 11)).toBe(true);
    expect(pool.stats().liveBytes).toBe(liveBytes);
    expect(pool.usableSize(p)).toBeGreaterThanOrEqual(100);
    pool.check();
  });

  it('refuses a freed, foreign or bigint pointer, changing nothing', () => {
    const pool = newPool(a, 65536);
    const p = pool.malloc(40);
    pool.free(p); // now in the cache
    expectRefused(pool, InvalidPointerError, () => a.realloc(pool, p, 80), 'realloc');
    expectRefused(pool, InvalidPointerError, () => a.realloc(pool, 12345, 80), 'realloc');
    expectRefused(pool, TypeError, () => a.realloc(pool, 8n as never, 80), 'realloc');
    const q = pool.malloc(8);
    expectRefused(pool, RangeError, () => a.realloc(pool, q, -1), 'realloc');
  });
});

describe('free', () => {
  it('free(NULL) does nothing', () => {
    const pool = newPool(a, 65536);
    const stats = pool.stats();
    a.free(pool, 0);
    expect(pool.stats()).toEqual(stats);
  });

  it('catches a double free, whether the block waits in a cache or went back to the heap', () => {
    const pool = newPool(a, 65536);
    const small = pool.malloc(24);
    a.free(pool, small);
    const e = expectRefused(pool, InvalidPointerError, () => a.free(pool, small), 'free');
    expect(e.message).toMatch(/double free/);
    const large = pool.malloc(5000); // above the cached sizes
    a.free(pool, large);
    expectRefused(pool, InvalidPointerError, () => a.free(pool, large), 'free');
  });

  it("catches a double free across workers' caches", () => {
    const pool = newPool(a, 65536);
    const other = attach_pool(pool.share());
    const p = pool.malloc(24);
    other.free(p); // freed by the other worker: into its cache
    expectRefused(pool, InvalidPointerError, () => pool.free(p), 'free');
    expectRefused(pool, InvalidPointerError, () => other.free(p), 'free');
  });

  it('frees a block whose bytes look like a cache tag (the program wrote them)', () => {
    const pool = newPool(a, 65536);
    const other = attach_pool(pool.share());
    const p = pool.malloc(24);
    const q = pool.malloc(24);
    other.free(q);
    const words = raw(pool).views.u32;
    words[(p + 4) >>> 2] = words[(q + 4) >>> 2]!; // the very tag other's cache wrote into q
    pool.free(p);
    pool.check();
    expect(pool.stats().liveBlocks).toBe(0);
  });

  it('refuses addresses that are not live blocks, and bigints, changing nothing', () => {
    const pool = newPool(a, 65536);
    const p = pool.malloc(64);
    for (const bad of [p + 8, p + 1, 3, 2 ** 31, -8, 1.5, Number.NaN])
      expectRefused(pool, InvalidPointerError, () => a.free(pool, bad), 'free');
    const e = expectRefused(pool, TypeError, () => a.free(pool, BigInt(p) as never), 'free');
    expect(e.message).toMatch(/wordPtrToPtr/);
    expectRefused(pool, TypeError, () => a.free(pool, '8' as never), 'free');
  });

  it('gives half of a full class back to the heap at once, and keeps the cache in its budget', () => {
    const pool = newPool(a, 1 << 20);
    const blocks: number[] = [];
    for (let i = 0; i < 200; i++) blocks.push(pool.malloc(16));
    for (const p of blocks) pool.free(p);
    const stats = pool.stats();
    expect(stats.cachedBlocks).toBeGreaterThan(0);
    expect(stats.cachedBlocks).toBeLessThanOrEqual(32);
    expect(stats.liveBlocks).toBe(0);
    pool.check();
    const tiny = newPool(a, 65536); // budget 1 KiB per cache
    const many: number[] = [];
    for (let i = 0; i < 100; i++) many.push(tiny.malloc(250));
    for (const p of many) tiny.free(p);
    expect(tiny.stats().cachedBytes).toBeLessThanOrEqual(65536 / 64);
    tiny.check();
  });
});

describe('alignedAlloc and usableSize', () => {
  it('aligns to any power of two, and refuses others', () => {
    const pool = newPool(a, 1 << 20);
    for (const align of [1, 2, 8, 16, 64, 4096, 65536]) {
      const p = pool.alignedAlloc(align, 100);
      expect(p % align).toBe(0);
      pool.free(p);
    }
    expect(pool.alignedAlloc(16n as never, 8n as never) % 16).toBe(0);
    for (const bad of [0, 3, 12, 2 ** 31, -8, 1.5])
      expectRefused(pool, RangeError, () => pool.alignedAlloc(bad, 8), 'alignedAlloc');
    pool.check();
  });

  it('usableSize refuses a cached block and a bigint', () => {
    const pool = newPool(a, 65536);
    const p = pool.malloc(20);
    expect(pool.usableSize(p)).toBe(20);
    pool.free(p);
    expectRefused(pool, InvalidPointerError, () => pool.usableSize(p), 'usableSize');
    expectRefused(pool, TypeError, () => pool.usableSize(1n as never), 'usableSize');
  });
});

describe('delete_pool', () => {
  it('makes every use of the id a DeletedPoolError, in every handle, and every access refused', () => {
    const pool = newPool(a, 65536);
    const other = attach_pool(pool.share());
    const p = pool.malloc(8);
    const shared = pool.share();
    expect(a.delete_pool(pool)).toBe(0);
    expect(pool.state).toBe('deleted');
    expect(other.state).toBe('deleted');
    for (const [call, f] of [
      ['malloc', () => a.malloc(pool, 8)],
      ['calloc', () => a.calloc(other, 1, 8)],
      ['realloc', () => a.realloc(pool, p, 16)],
      ['free', () => a.free(other, p)],
      ['free', () => a.free(pool, 0)],
      ['alignedAlloc', () => other.alignedAlloc(64, 8)],
      ['usableSize', () => pool.usableSize(p)],
      ['check', () => other.check()],
      ['stats', () => pool.stats()],
      ['drain', () => other.drain()],
      ['share', () => pool.share()],
      ['attach_pool', () => attach_pool(shared)],
    ] as const) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(DeletedPoolError);
      expect((e as Error).message).toMatch(new RegExp(`^${call}: pool ${pool.id} was deleted`));
    }
    expect(() => pool.memory.ensure(p, 8)).toThrow(MemoryProtectionError);
    expect(() => other.memory.ensureWritable(p, 8)).toThrow(/pool \d+ was deleted/);
    expect(a.delete_pool(other)).toBe(-1);
  });

  it('detach puts one handle away: its cache goes back, the pool lives on', () => {
    const pool = newPool(a, 65536);
    const other = attach_pool(pool.share());
    other.free(other.malloc(16));
    expect(pool.stats().workers).toBe(2);
    other.detach();
    other.detach(); // nothing more
    expect(other.state).toBe('detached');
    const stats = pool.stats();
    expect(stats.workers).toBe(1);
    expect(stats.cachedBlocks).toBe(pool.stats().cachedBlocks);
    expect(thrown(() => other.malloc(8))).toBeInstanceOf(DeletedPoolError);
    expect(() => other.malloc(8)).toThrow(/^malloc: this handle of pool \d+ was detached/);
    expect(a.delete_pool(other)).toBe(-1);
    expect(pool.malloc(8)).not.toBe(0);
    pool.check();
  });

  it('a handle without a free cache slot works under the lock', () => {
    const pool = a.create_pool(0, 65536, B_FULL_LOCK, 3, { cacheSlots: 1 })!;
    const other = attach_pool(pool.share());
    const p = other.malloc(16);
    other.free(p);
    expect(pool.stats().cachedBlocks).toBe(0);
    expect(pool.stats().workers).toBe(1);
    pool.check();
  });
});

describe('protection', () => {
  it('a pool without B_WRITE_AREA refuses allocations, frees and pokes, and allows peeks', () => {
    const pool = newPool(a, 65536);
    const p = pool.malloc(16);
    raw(pool).views.u8[p] = 77;
    const reader = attach_pool(pool.share({ protection: 1 }));
    for (const [call, f] of [
      ['malloc', () => reader.malloc(8)],
      ['calloc', () => a.calloc(reader, 1, 8)],
      ['realloc', () => reader.realloc(p, 8)],
      ['realloc', () => reader.realloc(0, 8)],
      ['free', () => reader.free(p)],
      ['alignedAlloc', () => reader.alignedAlloc(64, 8)],
    ] as const)
      expectRefused(pool, PoolProtectionError, f, call);
    expect(reader.memory.ensure(p, 1).u8[p]).toBe(77);
    expectRefused(
      pool,
      MemoryProtectionError,
      () => reader.memory.ensureWritable(p, 1, 'poke'),
      'poke',
    );
    expect(reader.usableSize(p)).toBeGreaterThanOrEqual(16);
    expect(() => reader.share({ protection: 3 })).toThrow(RangeError);
    expect(() => pool.share({ protection: 1 | 64 })).toThrow(/^share: /);
    const own = a.create_pool(0, 65536, B_FULL_LOCK, 1)!;
    expect(() => own.malloc(1)).toThrow(/^malloc: pool \d+ is not writable/);
  });

  it('a pool without B_READ_AREA refuses peeks', () => {
    const pool = a.create_pool(0, 65536, B_FULL_LOCK, 2)!;
    const p = pool.malloc(8);
    pool.memory.ensureWritable(p, 8).u8[p] = 1;
    expect(() => pool.memory.ensure(p, 8, 'peek')).toThrow(
      /^peek: .* not readable \(pool \d+ has no B_READ_AREA\)/,
    );
    const none = a.create_pool(0, 65536, B_FULL_LOCK, 0)!;
    expect(() => none.memory.ensure(8, 1)).toThrow(/neither|nor/);
  });
});
