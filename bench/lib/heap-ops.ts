/**
 * The timed loop of a churn replay (bench/lib/trace.ts) on a `Heap`: the heap suite's W1 and W2
 * cell, and bench/bundled-heap.ts, which measures that cell's loop on the heap as a program gets
 * it.
 *
 * A function of its own, called once per run with nothing after the loop but `return`, so that
 * V8 compiles it once, with the feedback of the warm-up (bench/README.md, "A timed loop of its
 * own"). It only ever sees `Heap`s: each of bundled-heap's variants loads a copy of its own. It
 * imports nothing but a type, so that bundled-heap can transpile this file into each variant's
 * replay module.
 */
import type { Heap } from 'foreign-ts/heap';

/**
 * Replays `trace[0..ops)` on `heap`, `live[0..count)` being the blocks live before it: a value
 * ≥ 1 is a malloc of that many bytes, appended to `live`; a value in [0, 1) frees the live block
 * at `floor(value · live count)`, swap-removed (a null handle, from a failed malloc, is dropped
 * without a free). Returns how many mallocs returned 0. Afterwards `live` holds the blocks still
 * live, `count + mallocs − frees` of them.
 */
export const heapOps = (
  heap: Heap,
  trace: Float64Array,
  ops: number,
  live: number[],
  count: number,
): number => {
  let failures = 0;
  for (let i = 0; i < ops; i++) {
    const x = trace[i]!;
    if (x >= 1) {
      const p = heap.malloc(x);
      if (p === 0) failures++;
      live[count++] = p;
    } else {
      const j = (x * count) | 0;
      const p = live[j]!;
      live[j] = live[--count]!;
      if (p !== 0) heap.free(p);
    }
  }
  return failures;
};
