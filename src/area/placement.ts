/**
 * Where placed pools lie (`B_EXACT_ADDRESS`, `B_BASE_ADDRESS`, `B_RANDOMIZED_BASE_ADDRESS`):
 * the regions of the live pools placed in each memory, so that a new one does not overlap them.
 * One record per realm (the main thread, each worker), keyed by the memory's source object: pools
 * placed in one shared memory from two workers at once are not coordinated (place them from one
 * worker and hand them out).
 *
 * @internal
 */
import { B_PAGE_SIZE } from './constants.js';
import { LIVE, W_STATE } from './control.js';

/** A placed pool's region, and its control block's words (the pool is live while it says so). */
export interface Region {
  readonly base: number;
  readonly size: number;
  readonly state: Int32Array;
}

const placed = new WeakMap<object, Region[]>();

/** The live regions placed in the memory whose source is `source`, in address order. */
const liveRegions = (source: object): Region[] => {
  const regions = (placed.get(source) ?? []).filter((r) => r.state[W_STATE] === LIVE);
  placed.set(source, regions);
  return regions.sort((a, b) => a.base - b.base);
};

/** Records a new placed pool. */
export const recordRegion = (source: object, region: Region): void => {
  placed.set(source, [...liveRegions(source), region]);
};

/** The live region `[base, base + size)` overlaps, if any. */
export const overlapping = (source: object, base: number, size: number): Region | undefined =>
  liveRegions(source).find((r) => r.base < base + size && base < r.base + r.size);

/**
 * The page-aligned addresses `a ≥ from` with `[a, a + size)` inside `[0, limit)` and clear of
 * every live region, as runs `[first, count]` of consecutive pages.
 */
const fits = (source: object, from: number, size: number, limit: number): [number, number][] => {
  const runs: [number, number][] = [];
  let start = from;
  const take = (end: number): void => {
    const first = Math.ceil(start / B_PAGE_SIZE) * B_PAGE_SIZE;
    if (first + size <= end) runs.push([first, Math.floor((end - size - first) / B_PAGE_SIZE) + 1]);
  };
  for (const r of liveRegions(source)) {
    if (r.base + r.size <= start) continue;
    take(Math.min(r.base, limit));
    start = Math.max(start, r.base + r.size);
  }
  take(limit);
  return runs;
};

/** The lowest fitting address (`B_BASE_ADDRESS`), or -1. */
export const lowestFit = (source: object, from: number, size: number, limit: number): number =>
  fits(source, from, size, limit)[0]?.[0] ?? -1;

/** A fitting address chosen at random among all of them (`B_RANDOMIZED_BASE_ADDRESS`), or -1. */
export const randomFit = (source: object, from: number, size: number, limit: number): number => {
  const runs = fits(source, from, size, limit);
  let pick = Math.floor(Math.random() * runs.reduce((n, [, count]) => n + count, 0));
  for (const [first, count] of runs) {
    if (pick < count) return first + pick * B_PAGE_SIZE;
    pick -= count;
  }
  return -1;
};
