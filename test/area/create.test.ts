/**
 * create_pool (§4.2 test cases 2, 3, 4, 11): every address spec, lock spec and protection, and
 * every bad argument, which gives null and the status code its constant stands for, never an
 * exception.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  B_32_BIT_CONTIGUOUS,
  B_32_BIT_FULL_LOCK,
  B_ANY_ADDRESS,
  B_ANY_KERNEL_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_BAD_VALUE,
  B_BASE_ADDRESS,
  B_CLONE_ADDRESS,
  B_CLONEABLE_AREA,
  B_CONTIGUOUS,
  B_ERROR,
  B_EXACT_ADDRESS,
  B_EXECUTE_AREA,
  B_FULL_LOCK,
  B_KERNEL_READ_AREA,
  B_KERNEL_WRITE_AREA,
  B_LAZY_LOCK,
  B_LOMEM,
  B_NO_LOCK,
  B_NO_MEMORY,
  B_OK,
  B_PAGE_SIZE,
  B_RANDOMIZED_ANY_ADDRESS,
  B_RANDOMIZED_BASE_ADDRESS,
  B_READ_AREA,
  B_STACK_AREA,
  B_USER_CLONEABLE_AREA,
  B_WRITE_AREA,
  create_pool_etc,
  put_module,
  type area_malloc_module_info,
} from 'foreign-ts/area';
import { Memory } from 'foreign-ts/memory';
import { RW, area } from './helpers.js';

let a: area_malloc_module_info;
beforeAll(() => {
  a = area();
});
afterAll(() => {
  put_module(B_AREA_MALLOC_MODULE_NAME);
});

describe('the constants', () => {
  it('have the values of the BeOS and Haiku headers', () => {
    expect([B_ANY_ADDRESS, B_EXACT_ADDRESS, B_BASE_ADDRESS, B_CLONE_ADDRESS]).toEqual([0, 1, 2, 3]);
    expect([B_ANY_KERNEL_ADDRESS, B_RANDOMIZED_ANY_ADDRESS, B_RANDOMIZED_BASE_ADDRESS]).toEqual([
      4, 6, 7,
    ]);
    expect([B_NO_LOCK, B_LAZY_LOCK, B_FULL_LOCK, B_CONTIGUOUS, B_LOMEM]).toEqual([0, 1, 2, 3, 4]);
    expect([B_32_BIT_FULL_LOCK, B_32_BIT_CONTIGUOUS]).toEqual([5, 6]);
    expect([B_READ_AREA, B_WRITE_AREA, B_EXECUTE_AREA, B_STACK_AREA]).toEqual([1, 2, 4, 8]);
    expect([B_KERNEL_READ_AREA, B_KERNEL_WRITE_AREA, B_CLONEABLE_AREA]).toEqual([16, 32, 256]);
    expect(B_USER_CLONEABLE_AREA).toBe(B_CLONEABLE_AREA);
    expect([B_OK, B_ERROR, B_NO_MEMORY, B_BAD_VALUE]).toEqual([0, -1, -(2 ** 31), -(2 ** 31) + 5]);
    expect(B_PAGE_SIZE).toBe(4096);
  });
});

describe('create_pool', () => {
  it('returns an opaque pool for B_ANY_ADDRESS, 65536, B_NO_LOCK, B_READ_AREA | B_WRITE_AREA', () => {
    const pool = a.create_pool(B_ANY_ADDRESS, 65536, B_NO_LOCK, RW);
    expect(pool).not.toBeNull();
    expect(pool!.size).toBe(65536);
    expect(pool!.base).toBe(0);
    expect(pool!.memory.shared).toBe(false);
    expect(a.delete_pool(pool!)).toBe(B_OK);
  });

  it.each([
    ['size 1000, not a page multiple', B_ANY_ADDRESS, 1000, B_FULL_LOCK, RW],
    ['size 0', B_ANY_ADDRESS, 0, B_FULL_LOCK, RW],
    ['a negative size', B_ANY_ADDRESS, -4096, B_FULL_LOCK, RW],
    ['a fractional size', B_ANY_ADDRESS, 4096.5, B_FULL_LOCK, RW],
    ['a size that is not a number', B_ANY_ADDRESS, '65536', B_FULL_LOCK, RW],
    ['an unsafe size', B_ANY_ADDRESS, 2 ** 60, B_FULL_LOCK, RW],
    ['a bigint size beyond 2^53', B_ANY_ADDRESS, 2n ** 60n, B_FULL_LOCK, RW],
    ['address spec 99', 99, 65536, B_FULL_LOCK, RW],
    ['address spec -1', -1, 65536, B_FULL_LOCK, RW],
    ['address spec 1.5', 1.5, 65536, B_FULL_LOCK, RW],
    ['B_CLONE_ADDRESS', B_CLONE_ADDRESS, 65536, B_FULL_LOCK, RW],
    ['lock 99', B_ANY_ADDRESS, 65536, 99, RW],
    ['lock "2"', B_ANY_ADDRESS, 65536, '2', RW],
    ['B_STACK_AREA', B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW | B_STACK_AREA],
    ['an unknown protection bit', B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW | 64],
    ['a negative protection', B_ANY_ADDRESS, 65536, B_FULL_LOCK, -1],
  ])('refuses %s with null (B_BAD_VALUE)', (_, spec, size, lock, protection) => {
    const result = create_pool_etc(
      spec as number,
      size as number,
      lock as number,
      protection as number,
    );
    expect(result.status).toBe(B_BAD_VALUE);
    expect(result.pool).toBeNull();
    expect(result.reason).toMatch(/^create_pool: /);
    expect(
      a.create_pool(spec as number, size as number, lock as number, protection as number),
    ).toBeNull();
  });

  it('refuses options that are not an object and a bad cacheSlots', () => {
    expect(create_pool_etc(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, 5 as never).status).toBe(
      B_BAD_VALUE,
    );
    expect(create_pool_etc(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, { cacheSlots: 256 }).status).toBe(
      B_BAD_VALUE,
    );
    expect(create_pool_etc(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, { cacheSlots: -1 }).status).toBe(
      B_BAD_VALUE,
    );
  });

  it('makes a pool of one page: the heap control block and a few hundred bytes of blocks', () => {
    const pool = a.create_pool(B_ANY_ADDRESS, B_PAGE_SIZE, B_FULL_LOCK, RW)!;
    expect(pool.malloc(100)).not.toBe(0);
    expect(pool.malloc(1000)).toBe(0);
    pool.check();
    a.delete_pool(pool);
  });

  it('rounds a size up to a page with roundUp, and takes bigints', () => {
    const pool = a.create_pool(B_ANY_ADDRESS, 10000, B_FULL_LOCK, RW, { roundUp: true })!;
    expect(pool.size).toBe(3 * B_PAGE_SIZE);
    const big = a.create_pool(B_ANY_ADDRESS, 65536n, B_FULL_LOCK, RW)!;
    expect(big.size).toBe(65536);
    a.delete_pool(pool);
    a.delete_pool(big);
  });

  it('is B_NO_MEMORY above the largest memory, and for B_LOMEM above 16 MiB', () => {
    expect(create_pool_etc(B_ANY_ADDRESS, 2 ** 32, B_FULL_LOCK, RW).status).toBe(B_NO_MEMORY);
    expect(create_pool_etc(B_ANY_ADDRESS, 17 << 20, B_LOMEM, RW).status).toBe(B_NO_MEMORY);
    const low = a.create_pool(B_ANY_ADDRESS, 16 << 20, B_LOMEM, RW)!;
    expect(low.base + low.size).toBeLessThanOrEqual(16 << 20);
    a.delete_pool(low);
  });

  it('accepts B_EXECUTE_AREA, the kernel bits and B_CLONEABLE_AREA, and keeps them', () => {
    const all = RW | B_EXECUTE_AREA | B_KERNEL_READ_AREA | B_KERNEL_WRITE_AREA | B_CLONEABLE_AREA;
    const pool = a.create_pool(B_ANY_ADDRESS, 65536, B_FULL_LOCK, all)!;
    expect(pool.protection).toBe(all);
    expect(pool.malloc(8)).not.toBe(0);
    a.delete_pool(pool);
  });
});

describe('lock specs', () => {
  it('B_NO_LOCK: a fixed private buffer, no lock, no cache, not shareable', () => {
    const pool = a.create_pool(B_ANY_ADDRESS, 65536, B_NO_LOCK, RW)!;
    expect(pool.memory.source).toBeInstanceOf(ArrayBuffer);
    expect(pool.stats().workers).toBe(0);
    expect(() => pool.share()).toThrow(/^share: pool \d+ has B_NO_LOCK/);
    a.delete_pool(pool);
  });

  it('B_LAZY_LOCK: commits 64 KiB, then grows on demand up to the size and no further', () => {
    const pool = a.create_pool(B_ANY_ADDRESS, 1 << 20, B_LAZY_LOCK, RW)!;
    expect(pool.memory.shared).toBe(true);
    expect(pool.memory.byteLength).toBe(65536);
    expect(pool.stats().committedBytes).toBe(65536);
    const big = pool.malloc(300_000);
    expect(big).not.toBe(0);
    expect(pool.memory.byteLength).toBeGreaterThan(300_000);
    expect(pool.malloc(1 << 20)).toBe(0); // the pool does not grow past its size
    expect(pool.memory.byteLength).toBeLessThanOrEqual(1 << 20);
    pool.check();
    a.delete_pool(pool);
  });

  it.each([B_FULL_LOCK, B_CONTIGUOUS, B_LOMEM, B_32_BIT_FULL_LOCK, B_32_BIT_CONTIGUOUS])(
    'lock %i: shared, the whole size committed at creation',
    (lock) => {
      const pool = a.create_pool(B_ANY_ADDRESS, 256 << 10, lock, RW)!;
      expect(pool.memory.source).toBeInstanceOf(SharedArrayBuffer);
      expect(pool.memory.byteLength).toBe(256 << 10);
      expect(pool.stats().committedBytes).toBe(256 << 10);
      expect(pool.lockSpec).toBe(lock);
      a.delete_pool(pool);
    },
  );
});

describe('address specs inside a given memory', () => {
  const shared = () => Memory.create({ shared: true, initialBytes: 1 << 20, maxBytes: 1 << 20 });

  it('B_EXACT_ADDRESS places the pool at the address; its blocks are addresses of that memory', () => {
    const memory = shared();
    const pool = a.create_pool(B_EXACT_ADDRESS, 65536, B_FULL_LOCK, RW, {
      memory,
      address: 8 * B_PAGE_SIZE,
    })!;
    expect(pool.base).toBe(8 * B_PAGE_SIZE);
    const p = pool.malloc(16);
    expect(p).toBeGreaterThan(8 * B_PAGE_SIZE);
    expect(p + 16).toBeLessThanOrEqual(8 * B_PAGE_SIZE + 65536);
    pool.memory.ensureWritable(p, 1).u8[p] = 0x5a;
    expect(memory.views.u8[p]).toBe(0x5a); // the same bytes
    a.delete_pool(pool);
  });

  it('B_EXACT_ADDRESS refuses an occupied, unaligned or outside region (B_BAD_VALUE)', () => {
    const memory = shared();
    const first = a.create_pool(B_EXACT_ADDRESS, 65536, B_FULL_LOCK, RW, {
      memory,
      address: 65536,
    })!;
    for (const address of [65536 + 4096, 65536 - 4096, 100, 1 << 20, (1 << 20) - 4096]) {
      const result = create_pool_etc(B_EXACT_ADDRESS, 65536, B_FULL_LOCK, RW, { memory, address });
      expect([address, result.status]).toEqual([address, B_BAD_VALUE]);
    }
    expect(create_pool_etc(B_EXACT_ADDRESS, 65536, B_FULL_LOCK, RW, { address: 0 }).status).toBe(
      B_BAD_VALUE,
    ); // no memory given
    // Deleted, its region is free again.
    a.delete_pool(first);
    const again = a.create_pool(B_EXACT_ADDRESS, 65536, B_FULL_LOCK, RW, {
      memory,
      address: 65536,
    });
    expect(again).not.toBeNull();
    a.delete_pool(again!);
  });

  it('B_BASE_ADDRESS takes the lowest page-aligned address at or above the one given', () => {
    const memory = shared();
    const one = a.create_pool(B_BASE_ADDRESS, 65536, B_FULL_LOCK, RW, { memory, address: 4096 })!;
    const two = a.create_pool(B_BASE_ADDRESS, 65536, B_FULL_LOCK, RW, { memory, address: 4096 })!;
    const three = a.create_pool(B_BASE_ADDRESS, 8192, B_FULL_LOCK, RW, { memory, address: 0 })!;
    expect([one.base, two.base, three.base]).toEqual([4096, 4096 + 65536, 4096 + 2 * 65536]);
    expect(create_pool_etc(B_BASE_ADDRESS, 1 << 20, B_FULL_LOCK, RW, { memory }).status).toBe(
      B_NO_MEMORY,
    );
    for (const pool of [one, two, three]) a.delete_pool(pool);
  });

  it('B_RANDOMIZED_BASE_ADDRESS takes a random fitting address; B_RANDOMIZED_ANY_ADDRESS a memory of its own', () => {
    const memory = shared();
    const bases = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const pool = a.create_pool(B_RANDOMIZED_BASE_ADDRESS, 65536, B_FULL_LOCK, RW, {
        memory,
        address: 65536,
      })!;
      expect(pool.base % B_PAGE_SIZE).toBe(0);
      expect(pool.base).toBeGreaterThanOrEqual(65536);
      bases.add(pool.base);
    }
    expect(bases.size).toBe(8); // no overlap: 8 distinct regions
    const own = a.create_pool(B_RANDOMIZED_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, { memory })!;
    expect(own.base).toBe(0);
    expect(own.memory.source).not.toBe(memory.source);
  });

  it('a shared lock spec needs a shared memory; B_NO_LOCK takes any', () => {
    const memory = Memory.create({ initialBytes: 1 << 20 });
    expect(
      create_pool_etc(B_EXACT_ADDRESS, 65536, B_FULL_LOCK, RW, { memory, address: 0 }).status,
    ).toBe(B_BAD_VALUE);
    const pool = a.create_pool(B_EXACT_ADDRESS, 65536, B_NO_LOCK, RW, { memory, address: 65536 })!;
    expect(pool.malloc(10)).toBeGreaterThan(65536);
    a.delete_pool(pool);
    const wasm = new WebAssembly.Memory({ initial: 4, maximum: 4 });
    const inWasm = a.create_pool(B_BASE_ADDRESS, 65536, B_NO_LOCK, RW, {
      memory: wasm,
      address: 65536,
    });
    expect(inWasm?.base).toBe(65536);
    expect(
      create_pool_etc(B_BASE_ADDRESS, 65536, B_NO_LOCK, RW, { memory: 'x' as never }).status,
    ).toBe(B_BAD_VALUE);
  });

  it('B_LOMEM keeps a placed pool below 16 MiB', () => {
    const memory = Memory.create({ shared: true, initialBytes: 32 << 20, maxBytes: 32 << 20 });
    expect(
      create_pool_etc(B_EXACT_ADDRESS, 65536, B_LOMEM, RW, { memory, address: 16 << 20 }).status,
    ).toBe(B_NO_MEMORY);
    expect(
      create_pool_etc(B_BASE_ADDRESS, 65536, B_LOMEM, RW, { memory, address: (16 << 20) - 4096 })
        .status,
    ).toBe(B_NO_MEMORY);
    const low = a.create_pool(B_BASE_ADDRESS, 65536, B_LOMEM, RW, {
      memory,
      address: (16 << 20) - 65536,
    })!;
    expect(low.base + low.size).toBe(16 << 20);
  });
});
