/**
 * Pools behind the Haskell face: a pool satisfies the allocator of a foreign() context and the
 * allocator of the alloca Stack, so `foreign({ memory: pool.memory, allocator: pool, stack: new
 * Stack(pool) })` allocates every block, array, string and alloca region from the pool. A
 * read-only handle gives a context that peeks and refuses every poke and allocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CDouble,
  CInt,
  Int32,
  MemoryProtectionError,
  Stack,
  foreign,
  struct,
  type Allocator,
  type Context,
  type StackAllocator,
} from 'foreign-ts';
import {
  B_AREA_MALLOC_MODULE_NAME,
  PoolProtectionError,
  attach_pool,
  put_module,
  type AreaPool,
  type area_malloc_module_info,
} from 'foreign-ts/area';
import { area, newPool } from './helpers.js';

const Point = struct({ x: CDouble, y: CDouble, tag: Int32 });

let a: area_malloc_module_info;
beforeAll(() => {
  a = area();
});
afterAll(() => {
  put_module(B_AREA_MALLOC_MODULE_NAME);
});

const contextOf = (pool: AreaPool): Context => ({
  memory: pool.memory,
  allocator: pool,
  stack: new Stack(pool, { size: 4096 }),
});

describe('a pool as the allocator of a foreign() context', () => {
  it('has the shape of Allocator and StackAllocator', () => {
    const pool = newPool(a, 65536);
    const allocator: Allocator = pool;
    const stackAllocator: StackAllocator = pool;
    expect(typeof allocator.alignedAlloc).toBe('function');
    expect(stackAllocator).toBe(pool);
  });

  it('allocates every block, array, string and alloca region from the pool', () => {
    const pool = newPool(a, 1 << 20);
    const f = foreign(contextOf(pool));
    const p = f.new(Point, { x: 1.5, y: -2, tag: 7 })();
    expect(f.peek(Point, p)()).toEqual({ x: 1.5, y: -2, tag: 7 });
    const xs = f.newArray(CInt, [1, 2, 3, 4])();
    const s = f.newCString('héllo')();
    expect(f.peekArray(CInt, 4, xs)()).toEqual([1, 2, 3, 4]);
    expect(f.peekCString(s)()).toBe('héllo');
    for (const q of [p, xs, s]) {
      expect(q).toBeGreaterThan(pool.base);
      expect(q).toBeLessThan(pool.base + pool.size);
    }
    expect(pool.stats().liveBlocks).toBe(3);
    const sum = f.withArray(CInt, [10, 20, 30], (q) => () => {
      expect(q).toBeLessThan(pool.base + pool.size);
      return f
        .peekArray(CInt, 3, q)()
        .reduce((m, n) => m + n, 0);
    })();
    expect(sum).toBe(60);
    expect(pool.stats().liveBlocks).toBe(4); // the alloca region, taken from the pool
    f.free(p)();
    f.free(xs)();
    f.free(s)();
    f.context.stack.dispose();
    pool.check();
    expect(pool.stats().liveBlocks).toBe(0);
  });

  it('gives nullPtr when the pool is full (malloc, and alloca as foreign/ defines it)', () => {
    const pool = newPool(a, 65536);
    const f = foreign(contextOf(pool));
    expect(f.mallocBytes(70000)()).toBe(0);
    expect(f.allocaBytes(70000, (p) => () => p)()).toBe(0);
    pool.check();
  });

  it('from a read-only handle: peeks work, pokes and allocations are refused', () => {
    const pool = newPool(a, 65536);
    const writer = foreign(contextOf(pool));
    const p = writer.new(CInt, 42)();
    const reader = foreign(contextOf(attach_pool(pool.share({ protection: 1 }))));
    expect(reader.peek(CInt, p)()).toBe(42);
    expect(() => reader.poke(CInt, p, 1)()).toThrow(MemoryProtectionError);
    expect(() => reader.poke(CInt, p, 1)()).toThrow(/^poke: .*pool \d+ has no B_WRITE_AREA/);
    expect(() => reader.fillBytes(p, 0, 4)()).toThrow(MemoryProtectionError);
    expect(() => reader.mallocBytes(8)()).toThrow(PoolProtectionError);
    expect(() => reader.new(CInt, 1)()).toThrow(PoolProtectionError);
    expect(() => reader.free(p)()).toThrow(PoolProtectionError);
    expect(() => reader.allocaBytes(8, () => () => 0)()).toThrow(PoolProtectionError);
    expect(writer.peek(CInt, p)()).toBe(42);
    pool.check();
  });

  it('refuses every access once the pool is deleted', () => {
    const pool = newPool(a, 65536);
    const f = foreign(contextOf(pool));
    const p = f.new(CInt, 1)();
    a.delete_pool(pool);
    expect(() => f.peek(CInt, p)()).toThrow(/^peek: .*pool \d+ was deleted/);
    expect(() => f.poke(CInt, p, 2)()).toThrow(/^poke: .*pool \d+ was deleted/);
    expect(() => f.mallocBytes(8)()).toThrow(/pool \d+ was deleted/);
  });
});
