/**
 * A BeOS area pool as a memory interface.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import { AreaPool } from '../area/index.js';
import type { BackedInterface } from './backed-interface.js';

/**
 * The memory interface over the area pool `pool`: its four hooks are the pool's `malloc`,
 * `calloc`, `realloc` and `free` (BeOS's `area_malloc` module functions), so a program run
 * through it allocates only from the pool. `mi_realloc(p, 0)` frees `p` and returns 0 and
 * `mi_free(0)` does nothing (the pool's contract); the pool's errors (`DeletedPoolError` after
 * `delete_pool`, `PoolProtectionError` for a handle without `B_WRITE_AREA`, an
 * `InvalidPointerError` for a block that is not the pool's) go through as they are. It asks for
 * no call site. Its `memory` is the pool's, its `check()` the pool's. Throws a `TypeError`
 * naming `areaInterface` when `pool` is not an `AreaPool`.
 *
 * @category ready interfaces
 * @since 0.1.0
 */
export const areaInterface = (pool: AreaPool): BackedInterface => {
  if (!(pool instanceof AreaPool)) {
    throw new TypeError(`areaInterface: ${showValue(pool)} is not an AreaPool`);
  }
  return {
    callSites: false,
    memory: pool.memory,
    check: () => pool.check(),
    mi_malloc: (n) => pool.malloc(n),
    mi_calloc: (count, n) => pool.calloc(count, n),
    mi_realloc: (ptr, n) => pool.realloc(ptr, n),
    mi_free: (ptr) => pool.free(ptr),
  };
};
