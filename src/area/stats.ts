/**
 * Figures about a pool, from `pool.stats()`.
 *
 * @since 0.1.0
 */

/**
 * Figures about a pool, exact at the moment they are read: `stats()` holds the pool's lock and,
 * one after the other, each worker cache's guard, so blocks waiting in any worker's cache are
 * counted as cached, not as live, in every worker. Byte counts are block sizes (headers and
 * rounding included), so `committedBytes = controlBytes + liveBytes + cachedBytes + freeBytes`.
 *
 * @category pools
 * @since 0.1.0
 */
export interface PoolStats {
  /** The pool's size: the most bytes it may ever take (what `create_pool` was given). */
  readonly poolBytes: number;
  /** Bytes the pool's heap spans now (less than `poolBytes` while a lazy pool is growing). */
  readonly committedBytes: number;
  /** Bytes the heap keeps for itself: control block, live-block bitmap, sentinel. */
  readonly controlBytes: number;
  /** Bytes of the blocks the program holds. */
  readonly liveBytes: number;
  /** Number of blocks the program holds: `mallocs − frees`. */
  readonly liveBlocks: number;
  /** Bytes of the free blocks waiting in the workers' caches. */
  readonly cachedBytes: number;
  /** Number of free blocks waiting in the workers' caches. */
  readonly cachedBlocks: number;
  /** Bytes of the heap's free blocks. */
  readonly freeBytes: number;
  /**
   * Number of the heap's free blocks: its holes (free neighbours are merged), plus the blocks
   * waiting in the heap's own cache of recently freed blocks, one by one (`HeapStats.freeBlocks`).
   */
  readonly freeBlocks: number;
  /** Usable bytes of the heap's largest free block (0 when there is none). */
  readonly largestFree: number;
  /** The high-water mark: bytes from the first block to the highest block end ever reached. */
  readonly highWater: number;
  /** Blocks handed out: by malloc, calloc, alignedAlloc, and realloc of a null pointer. */
  readonly mallocs: number;
  /** Blocks given back: by free, and realloc to size 0. */
  readonly frees: number;
  /** Live blocks resized by realloc. */
  readonly reallocs: number;
  /** Requests that returned NULL because the pool could not meet them. */
  readonly failures: number;
  /** Worker caches in use: handles (one per worker, usually) holding a cache slot. */
  readonly workers: number;
}
