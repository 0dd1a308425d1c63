/**
 * The area_malloc module (§4.2 test cases 1, 7, 8): its info struct, reference counting, and the
 * final put_module deleting the remaining pools.
 */
import { describe, expect, it } from 'vitest';
import {
  B_ANY_ADDRESS,
  B_ANY_KERNEL_ADDRESS,
  B_ANY_KERNEL_BLOCK_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_ERROR,
  B_FULL_LOCK,
  B_MODULE_INIT,
  B_MODULE_UNINIT,
  B_OK,
  DeletedPoolError,
  create_pool_etc,
  get_module,
  put_module,
} from 'foreign-ts/area';
import { RW, area } from './helpers.js';

describe('get_module and put_module', () => {
  it('returns the info struct: minfo, then the six hooks in declaration order', () => {
    const a = area();
    expect(Object.keys(a)).toEqual([
      'minfo',
      'create_pool',
      'delete_pool',
      'malloc',
      'calloc',
      'realloc',
      'free',
    ]);
    expect(a.minfo.name).toBe('generic/area_malloc/v1');
    expect(B_AREA_MALLOC_MODULE_NAME).toBe('generic/area_malloc/v1');
    expect(a.minfo.flags).toBe(0);
    expect(a.minfo.std_ops(B_MODULE_INIT)).toBe(B_OK);
    expect(a.minfo.std_ops(B_MODULE_UNINIT)).toBe(B_OK);
    expect(a.minfo.std_ops(99)).toBe(B_ERROR);
    for (const hook of Object.values(a).slice(1)) expect(typeof hook).toBe('function');
    expect(Object.isFrozen(a)).toBe(true);
    expect(get_module(B_AREA_MALLOC_MODULE_NAME)).toBe(a); // one module per realm
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(B_OK);
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(B_OK);
  });

  it('returns null for another name, and put_module refuses a name nobody holds', () => {
    expect(get_module('generic/area_malloc/v2')).toBeNull();
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(B_ERROR);
    expect(put_module('bus_managers/pci/v1')).toBe(B_ERROR);
  });

  it('keeps pools alive while a user holds the module; the final put deletes them', () => {
    const a = area();
    area();
    const pool = a.create_pool(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW)!;
    const p = a.malloc(pool, 100);
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(B_OK);
    expect(pool.state).toBe('live');
    a.free(pool, p);
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(B_OK);
    expect(pool.state).toBe('deleted');
    expect(a.delete_pool(pool)).toBe(B_ERROR);
    expect(() => a.malloc(pool, 1)).toThrow(DeletedPoolError);
  });

  it('does not delete kernel pools at the final put', () => {
    const a = area();
    const kernel = a.create_pool(B_ANY_KERNEL_ADDRESS, 65536, B_FULL_LOCK, RW)!;
    const block = a.create_pool(B_ANY_KERNEL_BLOCK_ADDRESS, 65536, B_FULL_LOCK, RW)!;
    const user = a.create_pool(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW)!;
    put_module(B_AREA_MALLOC_MODULE_NAME);
    expect([kernel.state, block.state, user.state]).toEqual(['live', 'live', 'deleted']);
    expect(kernel.malloc(10)).not.toBe(0);
    expect(a.delete_pool(kernel)).toBe(B_OK);
    expect(a.delete_pool(block)).toBe(B_OK);
  });

  it('refuses create_pool while nobody holds the module (B_ERROR)', () => {
    const a = area();
    put_module(B_AREA_MALLOC_MODULE_NAME);
    expect(a.create_pool(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW)).toBeNull();
    const result = create_pool_etc(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW);
    expect(result.status).toBe(B_ERROR);
    expect(result.reason).toMatch(/^create_pool: nobody holds the module/);
  });

  it('puts the module away at the end of a using block', () => {
    let pool;
    {
      using a = area();
      pool = a.create_pool(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW)!;
      expect(pool.state).toBe('live');
    }
    expect(pool.state).toBe('deleted');
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(B_ERROR);
  });

  it('delete_pool returns B_OK once, then B_ERROR; B_ERROR for anything that is not a pool', () => {
    const a = area();
    const pool = a.create_pool(B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW)!;
    expect(a.delete_pool(pool)).toBe(B_OK);
    expect(a.delete_pool(pool)).toBe(B_ERROR);
    for (const bogus of [null, undefined, 0, 42, 'pool', {}, { id: 1 }])
      expect(a.delete_pool(bogus as never)).toBe(B_ERROR);
    put_module(B_AREA_MALLOC_MODULE_NAME);
  });

  it('refuses a hook call with something that is not a pool id, with a TypeError naming the call', () => {
    const a = area();
    for (const [call, f] of [
      ['malloc', () => a.malloc(null as never, 1)],
      ['calloc', () => a.calloc({} as never, 1, 1)],
      ['realloc', () => a.realloc(7 as never, 0, 1)],
      ['free', () => a.free('pool' as never, 0)],
    ] as const) {
      expect(f).toThrow(TypeError);
      expect(f).toThrow(new RegExp(`^${call}: .* is not a pool id`));
    }
    put_module(B_AREA_MALLOC_MODULE_NAME);
  });
});
