import {
  CACHE_CLASSES,
  CACHE_MAX_BLOCK,
  F_CACHE_HEADS,
  F_FAILURES,
  F_FL_MAP,
  F_FREES,
  F_HIGH,
  F_LIVE_BYTES,
  F_MALLOCS,
  F_REALLOCS,
  F_SENTINEL,
  F_BITMAP,
  FL_COUNT,
  SL_COUNT,
  TAGS,
  F_SL_MAP,
  F_START,
  HEADER_BYTES,
} from './layout.js';
import type { Tlsf } from './tlsf.js';

/**
 * Figures about a heap, from `Heap.stats()`. Byte counts are block sizes (headers and rounding
 * included), so `heapBytes = controlBytes + liveBytes + freeBytes` always holds.
 *
 * @category heap
 * @since 0.1.0
 */
export interface HeapStats {
  /** Bytes of the region the heap manages now, from its base to the end of its sentinel. */
  readonly heapBytes: number;
  /** Bytes the heap keeps for itself: control block, sentinel and, if checked, the bitmap. */
  readonly controlBytes: number;
  /** Bytes of live blocks (blocks in the cache are free, not live). */
  readonly liveBytes: number;
  /** Number of live blocks: `mallocs − frees`. */
  readonly liveBlocks: number;
  /** Bytes of free blocks. */
  readonly freeBytes: number;
  /**
   * Number of free blocks: the holes (free neighbours are merged), plus the blocks in the cache
   * of recently freed small blocks, one by one (they are merged when the cache is emptied).
   */
  readonly freeBlocks: number;
  /** Usable bytes of the largest free block (0 when there is none). */
  readonly largestFree: number;
  /** The high-water mark: bytes from the first block to the highest block end ever reached. */
  readonly highWater: number;
  /** Blocks handed out: by malloc, calloc, alignedAlloc, and realloc of a null pointer. */
  readonly mallocs: number;
  /** Blocks given back: by free, and realloc to size 0. */
  readonly frees: number;
  /** Live blocks resized by realloc (in place or moved). */
  readonly reallocs: number;
  /** Requests that returned 0 because the heap could not meet them. */
  readonly failures: number;
}

/** Number and bytes of the blocks in the cache of recently freed blocks (walks its lists). */
export const cachedBlocks = (u32: Uint32Array, base: number): { count: number; bytes: number } => {
  let count = 0;
  let bytes = 0;
  for (let size = 0; size <= CACHE_MAX_BLOCK; size += 8) {
    const head = (base + F_CACHE_HEADS) >>> 2;
    const n = u32[head + (size >>> 3) + CACHE_CLASSES]!;
    count += n;
    bytes += n * size;
  }
  return { count, bytes };
};

/** Number of blocks in the free lists (walks them all). */
const freeBlocks = (u32: Uint32Array, tlsf: Tlsf): number => {
  let count = 0;
  for (let fl = 0; fl < FL_COUNT; fl++) {
    for (let sl = 0; sl < SL_COUNT; sl++) {
      for (let b = tlsf.head(fl, sl); b !== 0; b = u32[(b + 8) >>> 2]!) count += 1;
    }
  }
  return count;
};

/** Usable bytes of the largest block in the highest non-empty list (walks that one list). */
const largestFree = (u32: Uint32Array, base: number, tlsf: Tlsf): number => {
  const flMap = u32[(base + F_FL_MAP) >>> 2]!;
  if (flMap === 0) return 0;
  const fl = 31 - Math.clz32(flMap);
  const sl = 31 - Math.clz32(u32[(base + F_SL_MAP + 4 * fl) >>> 2]!);
  let largest = 0;
  for (let b = tlsf.head(fl, sl); b !== 0; b = u32[(b + 8) >>> 2]!) {
    largest = Math.max(largest, tlsf.sizeOf(b));
  }
  return largest - HEADER_BYTES;
};

/** Usable bytes of the largest cached block (0 when the cache is empty). */
const largestCached = (u32: Uint32Array, base: number): number => {
  for (let size = CACHE_MAX_BLOCK; size > 0; size -= 8) {
    if (u32[((base + F_CACHE_HEADS) >>> 2) + (size >>> 3)] !== 0) return size - HEADER_BYTES;
  }
  return 0;
};

/**
 * Bytes of a heap that are not blocks: the control block, the sentinel and, in a checked heap,
 * the bitmap block.
 */
export const controlBytesOf = (u32: Uint32Array, base: number): number => {
  const bitmap = u32[(base + F_BITMAP) >>> 2]!;
  const bitmapBytes = bitmap === 0 ? 0 : u32[bitmap >>> 2]! & ~TAGS;
  return u32[(base + F_START) >>> 2]! - base + HEADER_BYTES + bitmapBytes;
};

/**
 * Reads the figures of a heap. O(1) but for `freeBlocks`, which walks the free lists, and
 * `largestFree`, which walks the list of the largest blocks (the cache's lists are read by
 * their counts and heads, at most 32 of each).
 */
export const readStats = (
  u32: Uint32Array,
  f64: Float64Array,
  base: number,
  tlsf: Tlsf,
): HeapStats => {
  const word = (field: number): number => u32[(base + field) >>> 2]!;
  const counter = (field: number): number => f64[(base + field) >>> 3]!;
  const heapBytes = word(F_SENTINEL) + HEADER_BYTES - base;
  const controlBytes = controlBytesOf(u32, base);
  const cached = cachedBlocks(u32, base);
  const liveBytes = word(F_LIVE_BYTES) - cached.bytes;
  return {
    heapBytes,
    controlBytes,
    liveBytes,
    liveBlocks: counter(F_MALLOCS) - counter(F_FREES),
    freeBytes: heapBytes - controlBytes - liveBytes,
    freeBlocks: freeBlocks(u32, tlsf) + cached.count,
    largestFree: Math.max(largestFree(u32, base, tlsf), largestCached(u32, base)),
    highWater: word(F_HIGH) - word(F_START),
    mallocs: counter(F_MALLOCS),
    frees: counter(F_FREES),
    reallocs: counter(F_REALLOCS),
    failures: counter(F_FAILURES),
  };
};
