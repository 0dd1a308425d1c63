import { expect } from 'vitest';
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_FULL_LOCK,
  B_READ_AREA,
  B_WRITE_AREA,
  get_module,
  type AreaPool,
  type area_malloc_module_info,
} from 'foreign-ts/area';
import { Memory } from 'foreign-ts/memory';
import { thrown } from '../support/thrown.js';

export const RW = B_READ_AREA | B_WRITE_AREA;

/** The module, held for the caller: put it away with `put_module` (or `using`). */
export const area = (): area_malloc_module_info => get_module(B_AREA_MALLOC_MODULE_NAME)!;

/** A shared, locked pool of `size` bytes of its own. */
export const newPool = (
  a: area_malloc_module_info,
  size = 1 << 20,
  lockSpec = B_FULL_LOCK,
  protection = RW,
): AreaPool => {
  const pool = a.create_pool(B_ANY_ADDRESS, size, lockSpec, protection);
  if (pool === null) throw new Error('create_pool failed');
  return pool;
};

/** Unprotected views over the pool's bytes (whatever its protection). */
export const raw = (pool: AreaPool) => Memory.from(pool.memory.source);

/** A copy of every byte of the pool's region. */
export const snapshot = (pool: AreaPool): Uint8Array => {
  const { committedBytes } = pool.stats();
  return raw(pool).views.u8.slice(pool.base, pool.base + committedBytes);
};

/**
 * Runs `f`, which must throw an error of class `kind`, and checks that the pool is exactly as it
 * was, byte for byte and figure for figure, and still passes check().
 */
export const expectRefused = (
  pool: AreaPool,
  kind: new (...args: never[]) => Error,
  f: () => unknown,
  call?: string,
): Error => {
  const before = snapshot(pool);
  const stats = pool.stats();
  const caught = thrown(f);
  expect(caught).toBeInstanceOf(kind);
  if (call !== undefined) expect((caught as Error).message.startsWith(`${call}: `)).toBe(true);
  const after = snapshot(pool);
  const differs = after.findIndex((byte, i) => byte !== before[i]);
  expect(differs === -1 ? 'unchanged' : `byte ${pool.base + differs} changed`).toBe('unchanged');
  expect(pool.stats()).toEqual(stats);
  pool.check();
  return caught as Error;
};

/** Fills `size` bytes at `p` with a pattern derived from `seed`. */
export const fill = (pool: AreaPool, p: number, size: number, seed: number): void => {
  const u8 = raw(pool).ensure(p, size).u8;
  for (let i = 0; i < size; i++) u8[p + i] = (seed * 31 + i * 7) & 0xff;
};

/** Whether the `size` bytes at `p` still hold the pattern of `seed`. */
export const holds = (pool: AreaPool, p: number, size: number, seed: number): boolean => {
  const u8 = raw(pool).ensure(p, size).u8;
  for (let i = 0; i < size; i++) if (u8[p + i] !== ((seed * 31 + i * 7) & 0xff)) return false;
  return true;
};
