/**
 * A heap as an Allegro memory interface: the default allocator of the `al_*` functions, made
 * explicit, to put under a counting or failure-injecting interface.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import { Heap } from '../heap/index.js';
import type { BackedInterface } from './backed-interface.js';

/**
 * The memory interface over `heap`: `mi_malloc`, `mi_calloc`, `mi_realloc` and `mi_free` are
 * the heap's (`mi_free(0)` does nothing, `mi_realloc(p, 0)` frees `p` and returns 0), and it
 * ignores call sites (`callSites: false`, so none is captured for it). The heap's errors name
 * its own functions (`free`, …); through `al_free` and `al_realloc` they name those. Its
 * `memory` is the heap's and its `check()` the heap's. Throws a
 * `TypeError` naming `heapInterface` when `heap` is not a `Heap`.
 *
 * @category ready interfaces
 * @since 0.1.0
 */
export const heapInterface = (heap: Heap): BackedInterface => {
  if (!(heap instanceof Heap)) {
    throw new TypeError(`heapInterface: ${showValue(heap)} is not a Heap`);
  }
  return {
    mi_malloc: (n) => heap.malloc(n),
    mi_free: (ptr) => heap.free(ptr),
    mi_realloc: (ptr, n) => heap.realloc(ptr, n),
    mi_calloc: (count, n) => heap.calloc(count, n),
    callSites: false,
    memory: heap.memory,
    check: () => heap.check(),
  };
};
