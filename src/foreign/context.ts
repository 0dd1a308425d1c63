/**
 * The context the Haskell-named functions are bound to: a memory, the allocator they allocate
 * through, and an alloca stack. `foreign(ctx)` returns the whole API bound to one; the package
 * root exports it bound to a default context (a growable heap made on first use). Nothing else
 * is global.
 *
 * @since 0.1.0
 */
import { checkSize } from '../heap/arguments.js';
import { Heap } from '../heap/heap.js';
import { Stack, type StackOptions } from '../heap/stack.js';
import type { Memory } from '../memory/memory.js';

/**
 * The one door through which the Haskell face allocates: C's four functions over the context's
 * memory, addresses as numbers, `0` for NULL. A `Heap` is one; a later layer puts memory
 * interfaces (tracking, failure-injecting, kernel-typed) here.
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
   * type whose alignment is above 8 bytes is a `RangeError`.
   */
  alignedAlloc?(align: number, size: number): number;
}

/**
 * A memory, the allocator that manages it, and the alloca stack.
 *
 * @category model
 * @since 0.1.0
 */
export interface Context {
  /** The bytes pointers point into. */
  readonly memory: Memory;
  /** Where `malloc`, `new`, `newArray`, `newCString`, … allocate. */
  readonly allocator: Allocator;
  /** Where `alloca` and the `with*` family allocate, LIFO. */
  readonly stack: Stack;
}

/**
 * The context of a heap: its memory, the heap as the allocator, and a new alloca stack taking
 * its region from the heap (`options.size` bytes, default 64 KiB). Throws a `TypeError` when
 * `heap` is not a `Heap`, and a `RangeError` naming `contextOf` for a bad size.
 *
 * @category constructors
 * @since 0.1.0
 */
export const contextOf = (heap: Heap, options: StackOptions = {}): Context => {
  if (!(heap instanceof Heap)) throw new TypeError(`contextOf: ${String(heap)} is not a Heap`);
  const size =
    options.size === undefined ? {} : { size: checkSize('contextOf', 'size', options.size) };
  return { memory: heap.memory, allocator: heap, stack: new Stack(heap, size) };
};

/**
 * A context over a new growable heap of its own (`Heap.create`), for a program that wants its
 * own rather than the default.
 *
 * @category constructors
 * @since 0.1.0
 */
export const newContext = (options: Parameters<typeof Heap.create>[0] = {}): Context =>
  contextOf(Heap.create(options));
