/**
 * The unlocked operations behind each public call of `Heap`: argument-checked by the facade,
 * run under the heap's lock when it is shared. Each takes two numbers so that the facade can
 * pass any of them to one locking function.
 *
 * @internal
 */
import { checkHeap } from './check.js';
import { readStats, type HeapStats } from './stats.js';
import {
  CACHED,
  CACHE_MAX_BLOCK,
  F_FAILURES,
  F_FREES,
  F_LIVE_BYTES,
  F_MALLOCS,
  F_REALLOCS,
  HEADER_BYTES,
  LEFT_FREE,
  MIN_BLOCK,
  TAGS,
  alignUp,
  blockSizeFor,
} from './layout.js';
import { type HeapState, count } from './state.js';
import { blockOf, setLiveBit } from './pointers.js';
import { endsAtTop, find, raiseHigh, retire, shrink, splitFront } from './blocks.js';
import { cache, evict, flushCache, uncache } from './cache.js';
import { grow, sync } from './growth.js';

/** `malloc`: the cache list of its block size, else the free lists; 0 when nothing fits. */
export const allocate = (s: HeapState, size: number, _: number): number => {
  sync(s, 'malloc');
  const want = blockSizeFor(size);
  if (want <= CACHE_MAX_BLOCK) {
    const b = uncache(s, want);
    if (b !== 0) {
      count(s, F_MALLOCS);
      return b + HEADER_BYTES;
    }
  }
  const b = take(s, want);
  if (b === 0) {
    count(s, F_FAILURES);
    return 0;
  }
  count(s, F_MALLOCS);
  raiseHigh(s, b);
  return b + HEADER_BYTES;
};

/** `calloc`: `allocate`, then the requested bytes zeroed. */
export const allocateZeroed = (s: HeapState, size: number, _: number): number => {
  sync(s, 'calloc');
  const p = allocate(s, size, 0);
  if (p !== 0) s.u8.fill(0, p, p + size);
  return p;
};

/** `free` of a non-null `ptr`, validated: to the cache or the free lists. */
export const release = (s: HeapState, ptr: number, _: number): void => {
  sync(s, 'free');
  const b = blockOf(s, 'free', ptr);
  count(s, F_FREES);
  discard(s, b);
};

/**
 * Gives the used block `b` (validated, counted as freed) to the cache or, when it does not
 * go there, to the free lists. When it was the last live block, empties the cache, so that an
 * empty heap is one free block as it would be without a cache.
 */
export const discard = (s: HeapState, b: number): void => {
  if (!cache(s, b)) retire(s, b);
  if (s.f64[s.freesAt] === s.f64[s.mallocsAt]) flushCache(s);
};

/** `usableSize`: the usable bytes of the live block at `ptr`. */
export const usable = (s: HeapState, ptr: number, _: number): number => {
  sync(s, 'usableSize');
  return s.tlsf.sizeOf(blockOf(s, 'usableSize', ptr)) - HEADER_BYTES;
};

/**
 * `realloc`: in place when it can (shrinking, into a free or cached right neighbour, or growing
 * the heap at its top), else moved.
 */
export const resize = (s: HeapState, ptr: number, size: number): number => {
  sync(s, 'realloc');
  if (ptr === 0) return size === 0 ? 0 : allocate(s, size, 0);
  const b = blockOf(s, 'realloc', ptr);
  if (size === 0) {
    count(s, F_FREES);
    discard(s, b);
    return 0;
  }
  const want = blockSizeFor(size);
  if (resizeInPlace(s, b, want)) {
    count(s, F_REALLOCS);
    raiseHigh(s, b);
    return ptr;
  }
  const moved = take(s, want);
  if (moved === 0) {
    count(s, F_FAILURES);
    return 0;
  }
  const keep = Math.min(s.tlsf.sizeOf(b), want) - HEADER_BYTES;
  s.u8.copyWithin(moved + HEADER_BYTES, ptr, ptr + keep);
  retire(s, b);
  count(s, F_REALLOCS);
  raiseHigh(s, moved);
  return moved + HEADER_BYTES;
};

/** `alignedAlloc` for alignments above 8: a larger block, its front given back. */
export const allocateAligned = (s: HeapState, align: number, size: number): number => {
  sync(s, 'alignedAlloc');
  const want = blockSizeFor(size);
  const b = take(s, want + align + MIN_BLOCK);
  if (b === 0) {
    count(s, F_FAILURES);
    return 0;
  }
  count(s, F_MALLOCS);
  let p = alignUp(b + HEADER_BYTES, align);
  if (p - HEADER_BYTES !== b && p - HEADER_BYTES - b < MIN_BLOCK) p += align;
  const aligned = p - HEADER_BYTES;
  if (aligned !== b) splitFront(s, b, aligned);
  shrink(s, aligned, want);
  raiseHigh(s, aligned);
  return p;
};

/** `check()`: the whole heap (check.ts). */
export const verify = (s: HeapState, _a: number, _b: number): void => {
  sync(s, 'check');
  checkHeap(s.u32, s.f64, s.base, s.tlsf, {
    checked: s.checked,
    shared: s.shared,
    sharedMemory: s.memory.shared,
  });
};

/** `stats()` (stats.ts). */
export const measure = (s: HeapState, _a: number, _b: number): HeapStats => {
  sync(s, 'stats');
  return readStats(s.u32, s.f64, s.base, s.tlsf);
};

/**
 * Takes a free block of at least `want` bytes (a block size), growing the heap if none fits,
 * marks it used and trims it to `want`. Returns its address, or 0 with nothing changed.
 */
export const take = (s: HeapState, want: number): number => {
  let b = find(s, want);
  if (b === 0 && flushCache(s)) b = find(s, want);
  if (b === 0 && grow(s, want)) b = find(s, want);
  if (b === 0) return 0;
  const u32 = s.u32;
  const header = u32[b >>> 2]!;
  const size = header & ~TAGS;
  u32[b >>> 2] = size | (header & LEFT_FREE);
  u32[(b + size) >>> 2]! &= ~LEFT_FREE;
  u32[(s.base + F_LIVE_BYTES) >>> 2]! += size;
  if (s.checked) setLiveBit(s, b + HEADER_BYTES, true);
  shrink(s, b, want);
  return b;
};

/**
 * Resizes the used block `b` to `want` bytes without moving it, if it can: shrinking, taking
 * in a free right neighbour, or growing the heap when `b` is at its top.
 */
export const resizeInPlace = (s: HeapState, b: number, want: number): boolean => {
  const tlsf = s.tlsf;
  const size = tlsf.sizeOf(b);
  if (want <= size) {
    shrink(s, b, want);
    return true;
  }
  const next = b + size;
  if ((tlsf.word(next) & CACHED) !== 0) evict(s, next);
  const room = size + (tlsf.isFree(next) ? tlsf.sizeOf(next) : 0);
  if (room < want && !(endsAtTop(s, b) && grow(s, want - size))) return false;
  const gained = tlsf.sizeOf(next);
  tlsf.remove(next);
  const u32 = s.u32;
  u32[b >>> 2]! += gained;
  u32[(next + gained) >>> 2]! &= ~LEFT_FREE;
  u32[(s.base + F_LIVE_BYTES) >>> 2]! += gained;
  shrink(s, b, want);
  return true;
};
