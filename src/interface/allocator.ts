/**
 * The door: the memory interface through which the Haskell face allocates.
 *
 * @since 0.1.0
 */

/**
 * The one door through which the Haskell face allocates: C's four functions over the context's
 * memory, addresses as numbers, `0` for NULL. A `Heap` is one. Every allocating function of
 * `foreign/` goes through it, the alloca stack's region and spills included, so that an
 * interface put here (tracking, counting, failure-injecting, a kernel malloc type, an area pool:
 * later layers) sees every allocation.
 *
 * The contract is the heap's: `malloc` and `calloc` return 8-aligned addresses or 0;
 * `realloc(0, n)` is `malloc(n)`; `realloc(p, 0)` frees `p` and returns 0; a failed `realloc`
 * returns 0 and leaves `p` as it was; `free(0)` does nothing.
 *
 * @category model
 * @since 0.1.0
 */
export interface Allocator {
  /** At least `size` bytes, 8-aligned, or 0. */
  malloc(size: number): number;
  /** `count * size` zeroed bytes, or 0. */
  calloc(count: number, size: number): number;
  /** The block at `ptr` resized to `size` bytes (moved if need be), or 0 with `ptr` unchanged. */
  realloc(ptr: number, size: number): number;
  /** Gives back the block at `ptr`; does nothing for 0. */
  free(ptr: number): void;
  /**
   * Optional: an address aligned to `align` (a power of two above 8). Without it, allocating a
   * type whose alignment is above 8 bytes is a `RangeError`, and the alloca stack, which takes
   * its region 16-aligned, spills every allocation (8-aligned ones through `malloc`).
   */
  alignedAlloc?(align: number, size: number): number;
}
