/**
 * The context the Haskell-named functions are bound to: a memory, the door they allocate
 * through, and an alloca stack that takes its region and spills through the same door.
 * `foreign(ctx)` returns the whole API bound to one; the package root exports it bound to a
 * default context (a growable heap made on first use). Nothing else is global.
 *
 * @since 0.1.0
 */
import { checkSize } from '../arguments/index.js';
import { Heap, Stack, type StackOptions } from '../heap/index.js';
import type { Memory } from '../memory/index.js';
import type { Allocator } from './allocator.js';
import { ownershipOf } from './ownership.js';
import { stackDoor } from './stack-door.js';

/**
 * A memory, the allocator that manages it, and the alloca stack.
 *
 * @category model
 * @since 0.1.0
 */
export interface Context {
  /** The bytes pointers point into. */
  readonly memory: Memory;
  /** The door: where `malloc`, `new`, `newArray`, `newCString`, … allocate. */
  readonly allocator: Allocator;
  /**
   * Where `alloca` and the `with*` family allocate, LIFO. A context made by {@link contextOf}
   * has one that takes its region and spills through `allocator`.
   */
  readonly stack: Stack;
}

/**
 * A context over `memory` whose door is `allocator`, with a new alloca stack that takes its
 * region (`options.size` bytes, default 64 KiB) and its spills through that door, recorded in
 * the memory's ownership record.
 *
 * @internal
 */
export const contextOver = (
  memory: Memory,
  allocator: Allocator,
  options: StackOptions = {},
): Context => ({
  memory,
  allocator,
  stack: new Stack(stackDoor(allocator, ownershipOf(memory)), options),
});

/**
 * The context of a heap: its memory, the heap as the allocator, and a new alloca stack taking
 * its region through it (`options.size` bytes, default 64 KiB). Throws a `TypeError` when
 * `heap` is not a `Heap`, and a `RangeError` naming `contextOf` for a bad size.
 *
 * @category constructors
 * @since 0.1.0
 */
export const contextOf = (heap: Heap, options: StackOptions = {}): Context => {
  if (!(heap instanceof Heap)) throw new TypeError(`contextOf: ${String(heap)} is not a Heap`);
  const size =
    options.size === undefined ? {} : { size: checkSize('contextOf', 'size', options.size) };
  return contextOver(heap.memory, heap, size);
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
