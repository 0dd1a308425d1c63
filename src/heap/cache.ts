/**
 * The cache of recently freed small blocks in front of the free lists (docs/heap.md, "The fast
 * path"): one singly linked list per block size below CACHE_LIMIT, at most CACHE_DEPTH blocks
 * each, threaded through the blocks' first payload word. A cached block is tagged CACHED: free
 * to its user, in use to the free lists. `Heap.malloc` and `Heap.free` have the same push and
 * pop written inline for their fast paths.
 *
 * @internal
 */
import {
  AL_SIZE,
  CACHED,
  CACHE_CLASSES,
  CACHE_DEPTH,
  CACHE_MAX_BLOCK,
  FREE,
  HEADER_BYTES,
  LEFT_FREE,
  MIN_BLOCK,
  TAGS,
} from './layout.js';
import { type HeapState } from './state.js';
import { setLiveBit } from './pointers.js';
import { retire } from './blocks.js';

/**
 * Puts the used block `b` (already validated and counted as freed) into the cache list of its
 * size, if it is small enough and that list is not full. Returns whether it did.
 */
export const cache = (s: HeapState, b: number): boolean => {
  const u32 = s.u32;
  const header = u32[b >>> 2]!;
  const size = header & ~TAGS;
  if (size > CACHE_MAX_BLOCK || (header & LEFT_FREE) !== 0) return false;
  if ((u32[(b + size) >>> 2]! & FREE) !== 0) return false;
  const at = s.cacheAt + (size >>> 3);
  const n = u32[at + CACHE_CLASSES]!;
  if (n >= CACHE_DEPTH) return false;
  u32[(b + HEADER_BYTES) >>> 2] = u32[at]!;
  u32[at] = b;
  u32[at + CACHE_CLASSES] = n + 1;
  u32[b >>> 2] = header | CACHED;
  if (s.checked) setLiveBit(s, b + HEADER_BYTES, false);
  return true;
};

/** Takes the first block out of the cache list of block size `size` and marks it used, or 0. */
export const uncache = (s: HeapState, size: number): number => {
  const u32 = s.u32;
  const at = s.cacheAt + (size >>> 3);
  const b = u32[at]!;
  if (b === 0) return 0;
  u32[at] = u32[(b + HEADER_BYTES) >>> 2]!;
  u32[at + CACHE_CLASSES]! -= 1;
  u32[b >>> 2]! ^= CACHED;
  if (s.checked) setLiveBit(s, b + HEADER_BYTES, true);
  return b;
};

/**
 * Takes the cached block `b` out of its list (a walk of at most CACHE_DEPTH links) and gives
 * it to the free lists, merged with its free neighbours.
 */
export const evict = (s: HeapState, b: number): void => {
  const u32 = s.u32;
  const size = u32[b >>> 2]! & ~TAGS;
  let link = s.cacheAt + (size >>> 3);
  while (u32[link] !== b) link = (u32[link]! + HEADER_BYTES) >>> 2;
  u32[link] = u32[(b + HEADER_BYTES) >>> 2]!;
  u32[s.cacheAt + (size >>> 3) + CACHE_CLASSES]! -= 1;
  u32[b >>> 2]! ^= CACHED;
  retire(s, b);
};

/**
 * Gives every cached block to the free lists, merged with its free neighbours: done when no
 * free block fits a request, before the heap grows or fails. Returns whether any was cached.
 */
export const flushCache = (s: HeapState): boolean => {
  let any = false;
  for (let size = MIN_BLOCK; size <= CACHE_MAX_BLOCK; size += AL_SIZE) {
    for (let b = uncache(s, size); b !== 0; b = uncache(s, size)) {
      any = true;
      retire(s, b);
    }
  }
  return any;
};
