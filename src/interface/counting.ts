/**
 * A counting memory interface: how many times each hook was called, how many allocations
 * failed, and how many blocks it handed out are live, passing every call on to another one.
 *
 * @since 0.1.0
 */
import { checkBase } from './base.js';
import { hookOf } from './checks.js';
import type { ALLEGRO_MEMORY_INTERFACE } from './memory-interface.js';

/**
 * The figures of a {@link countingInterface}.
 *
 * @category model
 * @since 0.1.0
 */
export interface Counts {
  /** Calls of each hook. */
  mi_malloc: number;
  mi_calloc: number;
  mi_realloc: number;
  mi_free: number;
  /** Allocations that returned 0 (`mi_malloc`, `mi_calloc`, and `mi_realloc` with `n > 0`). */
  failed: number;
  /**
   * Blocks it handed out and has not seen given back: +1 for a non-zero `mi_malloc` or
   * `mi_calloc` and for a non-zero `mi_realloc(0, n)`, −1 for `mi_free` of a non-zero pointer
   * and for `mi_realloc(p, 0)` (which frees `p` under this library's contract).
   */
  live: number;
}

/**
 * A counting interface: {@link ALLEGRO_MEMORY_INTERFACE} plus its figures.
 *
 * @category model
 * @since 0.1.0
 */
export interface CountingInterface extends ALLEGRO_MEMORY_INTERFACE {
  /** The figures so far (a copy). */
  counts(): Counts;
  /** Sets every figure back to 0. */
  reset(): void;
}

const zero = (): Counts => ({
  mi_malloc: 0,
  mi_calloc: 0,
  mi_realloc: 0,
  mi_free: 0,
  failed: 0,
  live: 0,
});

/**
 * An interface that counts the calls of each hook, the failed allocations and the live blocks,
 * and passes every call, call site included, to `base` (whose hooks it looks up at each call).
 * It asks for call sites only when `base` does. Throws a `TypeError` naming `countingInterface`
 * when `base` is not an object with the four hooks.
 *
 * @category ready interfaces
 * @since 0.1.0
 */
export const countingInterface = (base: ALLEGRO_MEMORY_INTERFACE): CountingInterface => {
  const b = checkBase('countingInterface', base);
  let c = zero();
  const call = 'countingInterface';
  /** What a `mi_malloc` or `mi_calloc` returned, counted: a failure, or one more live block. */
  const allocated = (p: number): number => {
    if (p === 0) c.failed += 1;
    else c.live += 1;
    return p;
  };
  return {
    callSites: b.callSites !== false,
    mi_malloc(n, line, file, func) {
      c.mi_malloc += 1;
      return allocated(
        hookOf(call, 'mi_malloc', b.mi_malloc).call(b, n, line, file, func) as number,
      );
    },
    mi_calloc(count, n, line, file, func) {
      c.mi_calloc += 1;
      return allocated(
        hookOf(call, 'mi_calloc', b.mi_calloc).call(b, count, n, line, file, func) as number,
      );
    },
    mi_realloc(ptr, n, line, file, func) {
      c.mi_realloc += 1;
      const q = hookOf(call, 'mi_realloc', b.mi_realloc).call(
        b,
        ptr,
        n,
        line,
        file,
        func,
      ) as number;
      if (n === 0) {
        if (ptr !== 0) c.live -= 1;
      } else if (q === 0) c.failed += 1;
      else if (ptr === 0) c.live += 1;
      return q;
    },
    mi_free(ptr, line, file, func) {
      c.mi_free += 1;
      hookOf(call, 'mi_free', b.mi_free).call(b, ptr, line, file, func);
      if (ptr !== 0) c.live -= 1;
    },
    counts: () => ({ ...c }),
    reset: () => {
      c = zero();
    },
  };
};
