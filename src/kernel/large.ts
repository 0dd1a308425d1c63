/**
 * Allocations larger than `kmem_zmax` (and every `malloc_exec`): whole pages from a domain's
 * heap (`malloc_large` / `kmem_malloc_domainset`), page-aligned, recorded in the page table by
 * their first page with their size in pages — as FreeBSD records the size in the slab pointer of
 * the first page (`vsetzoneslab(va, NULL, (sz << 1) | 1)`).
 */
import { M_NOWAIT, M_USE_RESERVE, M_ZERO, PAGE_SIZE } from './constants.js';
import type { Kernel } from './kernel.js';
import { RUN_LARGE, putRun, takeRun } from './pages.js';
import {
  DH_CAP_PAGES,
  DH_LARGE_COUNT,
  DH_LARGE_PAGES,
  DH_RESERVE_PAGES,
  DH_USED_PAGES,
  PT_EXEC,
  PT_KIND,
  PT_LARGE,
  PT_NODUMP,
  PT_PAGES_SHIFT,
} from './layout.js';

/** The page-table entry of a large allocation's first page: its pages, domain and flags. */
export const largeEntry = (pages: number, d: number, nodump: boolean, exec: boolean): number =>
  ((pages << PT_PAGES_SHIFT) |
    (d << 3) |
    (nodump ? PT_NODUMP : 0) |
    (exec ? PT_EXEC : 0) |
    PT_LARGE) >>>
  0;

/** Pages of a large allocation from its page-table entry. */
export const largePages = (entry: number): number => entry >>> PT_PAGES_SHIFT;

/** Domain of a large allocation from its page-table entry. */
export const largeDomain = (entry: number): number => (entry >>> 3) & 31;

/** Whether a page-table entry is the first page of a large allocation. */
export const isLarge = (entry: number): boolean => (entry & PT_KIND) === PT_LARGE;

/** Whether domain `d` could ever hold `pages` pages (its capacity less its reserve). */
export const largeFits = (k: Kernel, d: number, pages: number): boolean => {
  const dh = k.dh[d]! >>> 2;
  return pages <= k.u32[dh + DH_CAP_PAGES / 4]! - k.u32[dh + DH_RESERVE_PAGES / 4]!;
};

/**
 * Takes `pages` pages from domain `d` and records them; returns the address or 0. M_ZERO zeroes
 * them (the heap may hand out memory that held something).
 */
export const largeAlloc = (
  k: Kernel,
  d: number,
  pages: number,
  flags: number,
  nodump: boolean,
  exec: boolean,
): number => {
  const u32 = k.u32;
  const dh = k.dh[d]! >>> 2;
  const reserveOk = (flags & (M_USE_RESERVE | M_NOWAIT)) === (M_USE_RESERVE | M_NOWAIT);
  let va = 0;
  k.lockDomain(d);
  try {
    const limit = u32[dh + DH_CAP_PAGES / 4]! - (reserveOk ? 0 : u32[dh + DH_RESERVE_PAGES / 4]!);
    if (u32[dh + DH_USED_PAGES / 4]! + pages <= limit) {
      va = takeRun(k, d, pages, RUN_LARGE);
      if (va !== 0) {
        u32[k.pt + (va >>> 12)] = largeEntry(pages, d, nodump, exec);
        u32[dh + DH_USED_PAGES / 4]! += pages;
        u32[dh + DH_LARGE_PAGES / 4]! += pages;
        u32[dh + DH_LARGE_COUNT / 4]! += 1;
      }
    }
  } finally {
    k.unlockDomain(d);
  }
  if (va !== 0 && (flags & M_ZERO) !== 0) k.u8.fill(0, va, va + pages * PAGE_SIZE);
  return va;
};

/** Gives the large allocation at `va` (page-table entry `entry`) back to its domain's heap. */
export const largeFree = (k: Kernel, va: number, entry: number): void => {
  const u32 = k.u32;
  const d = largeDomain(entry);
  const pages = largePages(entry);
  const dh = k.dh[d]! >>> 2;
  k.lockDomain(d);
  try {
    u32[k.pt + (va >>> 12)] = 0;
    putRun(k, d, va, pages, RUN_LARGE);
    u32[dh + DH_USED_PAGES / 4]! -= pages;
    u32[dh + DH_LARGE_PAGES / 4]! -= pages;
    u32[dh + DH_LARGE_COUNT / 4]! -= 1;
  } finally {
    k.unlockDomain(d);
  }
};
