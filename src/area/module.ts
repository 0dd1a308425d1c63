/**
 * The `area_malloc` module: `get_module(B_AREA_MALLOC_MODULE_NAME)` returns its info, the six
 * hooks of `area_malloc_module_info` in their declaration order after `minfo`; `put_module`
 * puts it away, and the last `put_module` deletes every pool still alive that was made through
 * it. The module, like a JavaScript module, is one per realm (the main thread, each worker):
 * its users are the `get_module` calls of that realm, and its pools the pools made there.
 *
 * @since 0.1.0
 */
import { disposeKey, type Releasable } from '../dispose/index.js';
import { describe } from './arguments.js';
import {
  B_ANY_KERNEL_ADDRESS,
  B_ANY_KERNEL_BLOCK_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_ERROR,
  B_MODULE_INIT,
  B_MODULE_UNINIT,
  B_OK,
  type status_t,
} from './constants.js';
import { createPool, type CreatePoolOptions, type CreatePoolResult } from './create.js';
import { AreaPool } from './pool.js';

// -------------------------------------------------------------------------------------------
// model

/**
 * A module's `module_info`: its name, flags and standard operations.
 *
 * @category module
 * @since 0.1.0
 */
export interface module_info {
  readonly name: string;
  readonly flags: number;
  /** `B_MODULE_INIT` and `B_MODULE_UNINIT` return `B_OK`, anything else `B_ERROR`. */
  readonly std_ops: (op: number) => status_t;
}

/**
 * `area_malloc_module_info`: what `get_module(B_AREA_MALLOC_MODULE_NAME)` returns. Its hooks
 * do not use `this`; `using area = get_module(…)` puts the module away at the end of the block.
 *
 * @category module
 * @since 0.1.0
 */
export interface area_malloc_module_info extends Releasable {
  readonly minfo: module_info;
  /**
   * A new pool (see `create_pool_etc` for what each argument means here), or `null` when an
   * argument is bad (`B_BAD_VALUE`), there are no bytes for it (`B_NO_MEMORY`), or nobody holds
   * the module (`B_ERROR`). Never throws.
   */
  readonly create_pool: (
    addressSpec: number,
    size: number | bigint,
    lockSpec: number,
    protection: number,
    options?: CreatePoolOptions,
  ) => AreaPool | null;
  /**
   * Deletes the pool for every worker: `B_OK`, or `B_ERROR` for anything that is not a live pool
   * (deleted already, never a pool). Every pointer from it is invalid at once, and every later
   * use of its id, in any worker, is a `DeletedPoolError`. Never throws.
   */
  readonly delete_pool: (pool: AreaPool) => status_t;
  /** `pool.malloc(size)`: `size` bytes, or 0 (NULL). */
  readonly malloc: (pool: AreaPool, size: number | bigint) => number;
  /** `pool.calloc(count, size)`: `count * size` zeroed bytes, or 0 (also on overflow). */
  readonly calloc: (pool: AreaPool, count: number | bigint, size: number | bigint) => number;
  /** `pool.realloc(ptr, size)`: the block resized, or 0 with `ptr` unchanged. */
  readonly realloc: (pool: AreaPool, ptr: number, size: number | bigint) => number;
  /** `pool.free(ptr)`: gives the block back; `free(pool, 0)` does nothing. */
  readonly free: (pool: AreaPool, ptr: number) => void;
}

// -------------------------------------------------------------------------------------------
// implementation

let users = 0;
/** The live pools made through the module, but for kernel-address ones. */
const pools = new Set<AreaPool>();

const std_ops = (op: number): status_t =>
  op === B_MODULE_INIT || op === B_MODULE_UNINIT ? B_OK : B_ERROR;

const asPool = (call: string, pool: unknown): AreaPool => {
  if (pool instanceof AreaPool) return pool;
  throw new TypeError(
    `${call}: ${describe(pool)} is not a pool id (create_pool and attach_pool return one)`,
  );
};

/**
 * `create_pool` with the reason of a failure: `{ status, pool, reason }`. The arguments are
 * `create_area()`'s (without the name), and `options` stands for its `*addr` and for this
 * library's choices:
 *
 * - `addressSpec` — where the pool's bytes live: a memory of its own (`B_ANY_ADDRESS`, the
 *   kernel and randomized "any" specs), or inside `options.memory` at `options.address`
 *   (`B_EXACT_ADDRESS`), at the lowest (`B_BASE_ADDRESS`) or a random (`B_RANDOMIZED_BASE_ADDRESS`)
 *   page-aligned address at or above it;
 * - `size` — bytes, a multiple of `B_PAGE_SIZE` (4096), or rounded up to one with
 *   `options.roundUp`. The pool never grows past it;
 * - `lockSpec` — `B_NO_LOCK`: no lock, one worker; the others: shared and locked, committed
 *   on demand (`B_LAZY_LOCK`) or at creation (`B_FULL_LOCK` and the rest);
 * - `protection` — `B_READ_AREA` and `B_WRITE_AREA` govern this library's peeks, pokes and
 *   allocations through the pool.
 *
 * Returns `B_BAD_VALUE` for a bad argument, `B_NO_MEMORY` when there are no bytes for the pool,
 * `B_ERROR` when nobody holds the module. Never throws. docs/area.md has the whole table.
 *
 * @category module
 * @since 0.1.0
 */
export const create_pool_etc = (
  addressSpec: number,
  size: number | bigint,
  lockSpec: number,
  protection: number,
  options?: CreatePoolOptions,
): CreatePoolResult => {
  if (users === 0) {
    return {
      status: B_ERROR,
      pool: null,
      reason: `create_pool: nobody holds the module (get_module("${B_AREA_MALLOC_MODULE_NAME}") first)`,
    };
  }
  const result = createPool(addressSpec, size, lockSpec, protection, options);
  const pool = result.pool;
  if (
    pool !== null &&
    pool.addressSpec !== B_ANY_KERNEL_ADDRESS &&
    pool.addressSpec !== B_ANY_KERNEL_BLOCK_ADDRESS
  )
    pools.add(pool);
  return result;
};

const info: area_malloc_module_info = {
  minfo: Object.freeze({ name: B_AREA_MALLOC_MODULE_NAME, flags: 0, std_ops }),
  create_pool: (addressSpec, size, lockSpec, protection, options) =>
    create_pool_etc(addressSpec, size, lockSpec, protection, options).pool,
  delete_pool: (pool) => {
    if (!(pool instanceof AreaPool)) return B_ERROR;
    pools.delete(pool);
    return pool.deletePool();
  },
  malloc: (pool, size) => asPool('malloc', pool).malloc(size as number),
  calloc: (pool, count, size) => asPool('calloc', pool).calloc(count as number, size as number),
  realloc: (pool, ptr, size) => asPool('realloc', pool).realloc(ptr, size as number),
  free: (pool, ptr) => asPool('free', pool).free(ptr),
  [disposeKey]: () => {
    put_module(B_AREA_MALLOC_MODULE_NAME);
  },
};
Object.freeze(info);

/**
 * Opens a module: for `B_AREA_MALLOC_MODULE_NAME` ("generic/area_malloc/v1") the
 * `area_malloc_module_info`, one more user of it; `null` for any other name (BeOS's
 * `B_ENTRY_NOT_FOUND`). Each call must be matched by a `put_module` (or the end of a `using`
 * block).
 *
 * @category module
 * @since 0.1.0
 */
export const get_module = (name: string): area_malloc_module_info | null => {
  if (name !== B_AREA_MALLOC_MODULE_NAME) return null;
  if (users === 0) info.minfo.std_ops(B_MODULE_INIT);
  users += 1;
  return info;
};

/**
 * Puts a module away: `B_OK`, or `B_ERROR` when the name is not the module's or nobody holds it.
 * The last user's `put_module` deletes every pool made through the module that is still alive
 * (but for `B_ANY_KERNEL_ADDRESS` pools), as "when the last user of the module puts it away, any
 * remaining pools are deleted"; pools attached from other workers are not this module's.
 *
 * @category module
 * @since 0.1.0
 */
export const put_module = (name: string): status_t => {
  if (name !== B_AREA_MALLOC_MODULE_NAME || users === 0) return B_ERROR;
  users -= 1;
  if (users === 0) {
    for (const pool of pools) pool.deletePool();
    pools.clear();
    info.minfo.std_ops(B_MODULE_UNINIT);
  }
  return B_OK;
};
