/**
 * BeOS's `area_malloc` module: pools of memory of their own, each with its own lock and
 * protection, shared with workers and allocated from by all of them at once, under BeOS's names.
 *
 * ```ts
 * const area = get_module(B_AREA_MALLOC_MODULE_NAME)!
 * const pool = area.create_pool(B_ANY_ADDRESS, 1 << 20, B_FULL_LOCK, B_READ_AREA | B_WRITE_AREA)!
 * const p = area.malloc(pool, 100)
 * area.free(pool, p)
 * put_module(B_AREA_MALLOC_MODULE_NAME) // the last user's put deletes the remaining pools
 * ```
 *
 * @packageDocumentation
 */
export * from './constants.js';
export { get_module, put_module, create_pool_etc } from './module.js';
export type { area_malloc_module_info, module_info } from './module.js';
export { attach_pool } from './attach.js';
export { AreaPool } from './pool.js';
export type { SharedPool, ShareOptions } from './pool.js';
export type { CreatePoolOptions, CreatePoolResult } from './create.js';
export type { PoolStats } from './stats.js';
export { DeletedPoolError, PoolBusyError, PoolProtectionError } from './errors.js';
