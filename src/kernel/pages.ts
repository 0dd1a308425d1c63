/**
 * Each domain's page cache: runs of whole pages that kegs and large frees gave back, kept for a
 * request of the same size before the domain's heap is asked (FreeBSD keeps freed pages on
 * vm_phys's free lists the same way).
 *
 * Why: a slab or large allocation is a heap block whose payload starts at a page boundary. The
 * heap can only place such a block in a free block with room for the alignment slack (a page
 * more than the block), so the hole a freed slab leaves behind — exactly its own size — could
 * never hold that slab again until its neighbours are freed too. The cache hands the very same
 * block back, in O(1). When the heap cannot meet a request, the cache is flushed into the heap
 * (where the runs merge with their free neighbours) and the heap is asked again.
 *
 * Lists: one per kind (slab runs are asked of the heap as `pages·4096 − 8` bytes, large ones as
 * `pages·4096`, so they cannot stand in for each other) and per page count up to
 * `CACHE_PAGES`; longer runs go straight back to the heap. A cached run's first word links it to
 * the next run of its list; its first page's page-table entry says it is cached. Domain lock held
 * throughout.
 */
import { PAGE_SIZE } from './constants.js';
import type { Kernel } from './kernel.js';
import {
  DH_CACHE,
  DH_CACHED_PAGES,
  DH_CACHED_RUNS,
  PT_CACHED,
  PT_KIND,
  PT_PAGES_SHIFT,
} from './layout.js';

/** The longest run the cache keeps, in pages. */
export const CACHE_PAGES = 64;
/** Run kinds. */
export const RUN_SLAB = 0;
export const RUN_LARGE = 1;
/** Bytes of a domain's list heads. */
export const CACHE_TABLE_BYTES = 2 * (CACHE_PAGES + 1) * 4;

/** The heap request of a run of `pages` pages of `kind`. */
const runBytes = (pages: number, kind: number): number =>
  pages * PAGE_SIZE - (kind === RUN_SLAB ? 8 : 0);

const headOf = (k: Kernel, d: number, pages: number, kind: number): number =>
  (k.u32[(k.dh[d]! + DH_CACHE) >>> 2]! >>> 2) + kind * (CACHE_PAGES + 1) + pages;

/** Takes a run of `pages` pages of `kind` from domain `d`: the cache's, or a new heap block; 0 when neither has one. */
export const takeRun = (k: Kernel, d: number, pages: number, kind: number): number => {
  const u32 = k.u32;
  if (pages <= CACHE_PAGES) {
    const head = headOf(k, d, pages, kind);
    const va = u32[head]!;
    if (va !== 0) {
      u32[head] = u32[va >>> 2]!;
      u32[k.pt + (va >>> 12)] = 0;
      const dh = k.dh[d]! >>> 2;
      u32[dh + DH_CACHED_PAGES / 4]! -= pages;
      u32[dh + DH_CACHED_RUNS / 4]! -= 1;
      return va;
    }
  }
  const heap = k.heaps[d]!;
  let va = heap.alignedAlloc(PAGE_SIZE, runBytes(pages, kind));
  if (va === 0 && flushRuns(k, d) > 0) va = heap.alignedAlloc(PAGE_SIZE, runBytes(pages, kind));
  return va;
};

/** Gives the run at `va` back: to the cache when it is short enough, else to the heap. */
export const putRun = (k: Kernel, d: number, va: number, pages: number, kind: number): void => {
  if (pages > CACHE_PAGES) {
    k.heaps[d]!.free(va);
    return;
  }
  const u32 = k.u32;
  const head = headOf(k, d, pages, kind);
  u32[va >>> 2] = u32[head]!;
  u32[head] = va;
  u32[k.pt + (va >>> 12)] = ((pages << PT_PAGES_SHIFT) | (kind << 3) | PT_CACHED) >>> 0;
  const dh = k.dh[d]! >>> 2;
  u32[dh + DH_CACHED_PAGES / 4]! += pages;
  u32[dh + DH_CACHED_RUNS / 4]! += 1;
};

/** Gives every cached run of domain `d` back to its heap; returns how many. */
export const flushRuns = (k: Kernel, d: number): number => {
  const u32 = k.u32;
  const dh = k.dh[d]! >>> 2;
  let n = 0;
  for (let kind = RUN_SLAB; kind <= RUN_LARGE; kind++) {
    for (let pages = 1; pages <= CACHE_PAGES; pages++) {
      const head = headOf(k, d, pages, kind);
      for (let va = u32[head]!; va !== 0;) {
        const next = u32[va >>> 2]!;
        u32[k.pt + (va >>> 12)] = 0;
        k.heaps[d]!.free(va);
        n++;
        va = next;
      }
      u32[head] = 0;
    }
  }
  u32[dh + DH_CACHED_PAGES / 4] = 0;
  u32[dh + DH_CACHED_RUNS / 4] = 0;
  return n;
};

/** Whether a page-table entry is the first page of a cached run; its pages and kind. */
export const cachedRun = (entry: number): { pages: number; kind: number } | null =>
  (entry & PT_KIND) === PT_CACHED
    ? { pages: entry >>> PT_PAGES_SHIFT, kind: (entry >>> 3) & 1 }
    : null;

/** The bytes a cached run of `pages` pages of `kind` holds (its heap block's payload at least). */
export const cachedBytes = runBytes;
