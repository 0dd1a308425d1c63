/**
 * The allocation traces of the heap suite, generated exactly as allocators.md §3.2 defines them,
 * before any timing, and replayed identically by every allocator.
 */

/** mulberry32: a 32-bit PRNG; each call returns `uint32 / 2^32`, in [0, 1). */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

/** A log-uniform integer in [min, max], from one draw `u` in [0, 1). */
export const logu = (min: number, max: number, u: number): number =>
  Math.min(max, Math.floor(Math.exp(Math.log(min) + u * (Math.log(max + 1) - Math.log(min)))));

/**
 * A churn trace (W1, W2): `prefill` sizes allocated before the timed loop, then `ops`, where a
 * value ≥ 1 is a malloc of that many bytes and a value in [0, 1) is a free of the live block at
 * index `floor(value · n)` of the live array (n live blocks), swap-removed.
 */
export interface ChurnTrace {
  readonly prefill: Float64Array;
  readonly ops: Float64Array;
  readonly mallocs: number;
  readonly frees: number;
  readonly minLive: number;
  readonly maxLive: number;
  /** Mean requested size over all mallocs, prefill included. */
  readonly meanRequest: number;
}

/** Generates a churn trace (allocators.md §3.2 W1/W2) with sizes `logu(minSize, maxSize)`. */
export const churnTrace = (
  minSize: number,
  maxSize: number,
  live: number,
  ops: number,
  seed = 42,
): ChurnTrace => {
  const rng = mulberry32(seed);
  const prefill = new Float64Array(live);
  let sum = 0;
  for (let i = 0; i < live; i++) {
    prefill[i] = logu(minSize, maxSize, rng());
    sum += prefill[i] ?? 0;
  }
  const trace = new Float64Array(ops);
  let n = live;
  let mallocs = 0;
  let minLive = n;
  let maxLive = n;
  for (let i = 0; i < ops; i++) {
    const p = Math.min(0.95, Math.max(0.05, 0.5 + (live - n) / 200));
    if (n === 0 || rng() < p) {
      const size = logu(minSize, maxSize, rng());
      trace[i] = size;
      sum += size;
      mallocs++;
      n++;
    } else {
      trace[i] = rng();
      n--;
    }
    if (n < minLive) minLive = n;
    if (n > maxLive) maxLive = n;
  }
  return {
    prefill,
    ops: trace,
    mallocs,
    frees: ops - mallocs,
    minLive,
    maxLive,
    meanRequest: sum / (live + mallocs),
  };
};

/**
 * The peak of the sum of requested sizes of live blocks over the prefill and the first `ops`
 * ops of a churn trace, replaying its frees as the allocators do.
 */
export const peakLiveBytes = (trace: ChurnTrace, ops = trace.ops.length): number => {
  const sizes: number[] = [];
  let liveBytes = 0;
  for (const size of trace.prefill) {
    sizes.push(size);
    liveBytes += size;
  }
  let peak = liveBytes;
  for (let i = 0; i < ops; i++) {
    const x = trace.ops[i] ?? 0;
    if (x >= 1) {
      sizes.push(x);
      liveBytes += x;
      if (liveBytes > peak) peak = liveBytes;
    } else {
      const j = Math.floor(x * sizes.length);
      liveBytes -= sizes[j] ?? 0;
      sizes[j] = sizes[sizes.length - 1] ?? 0;
      sizes.pop();
    }
  }
  return peak;
};
