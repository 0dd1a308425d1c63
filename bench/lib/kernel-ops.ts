/**
 * The timed loop of a churn replay (bench/lib/trace.ts) on the kernel's malloc(9), for the
 * kernel suite's W1 and W2 cells and its workers: a function of its own, as the heap's
 * (bench/lib/heap-ops.ts; bench/README.md, "A timed loop of its own").
 */
import { M_WAITOK, free, malloc, type MallocType } from 'foreign-ts/kernel';

/**
 * Replays `trace[0..ops)` with `malloc(n, type, M_WAITOK)` and `free(p, type)`,
 * `live[0..count)` being the blocks live before it: a value ≥ 1 is a malloc of that many bytes,
 * appended to `live`; a value in [0, 1) frees the live block at `floor(value · live count)`,
 * swap-removed. Returns how many blocks are live after it (`live[0..returned)`).
 */
export const kernelOps = (
  type: MallocType,
  trace: Float64Array,
  ops: number,
  live: number[],
  count: number,
): number => {
  for (let i = 0; i < ops; i++) {
    const x = trace[i]!;
    if (x >= 1) {
      live[count++] = malloc(x, type, M_WAITOK);
    } else {
      const j = (x * count) | 0;
      const p = live[j]!;
      live[j] = live[--count]!;
      free(p, type);
    }
  }
  return count;
};
