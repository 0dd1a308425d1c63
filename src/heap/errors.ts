/**
 * A pointer given to `free`, `realloc` or `usableSize` that is not a live block of the heap:
 * already freed, never allocated, out of the heap's range, inside another block, or handed
 * out by `alloca`. Nothing has been changed when it is thrown.
 *
 * @category errors
 * @since 0.1.0
 */
export class InvalidPointerError extends Error {
  override readonly name: string = 'InvalidPointerError';
  constructor(
    /** The function that was called. */
    readonly call: string,
    /** The pointer it was given. */
    readonly pointer: number,
    /** What is wrong with it. */
    readonly reason: string,
  ) {
    super(`${call}: ${pointer} is not a live block: ${reason}`);
  }
}

/**
 * The heap's bytes break one of its invariants. Thrown by `Heap.check()` (and by
 * `Heap.attach` when there is no heap at the address), naming the address and what is wrong.
 * A corrupt heap is usually the work of a write outside a block.
 *
 * @category errors
 * @since 0.1.0
 */
export class HeapCorruptionError extends Error {
  override readonly name = 'HeapCorruptionError';
  constructor(
    /** Where the broken invariant was found. */
    readonly address: number,
    /** What is wrong there. */
    readonly problem: string,
    /** The function that found it, when it is not `check` (`Heap.attach`). */
    readonly call?: string,
  ) {
    super(`${call === undefined ? '' : `${call}: `}heap corrupt at address ${address}: ${problem}`);
  }
}

/**
 * An alloca stack used out of order: a mark released while a later one is still open, a mark
 * released twice, or an allocation with no open mark. Nothing has been changed when it is
 * thrown.
 *
 * @category errors
 * @since 0.1.0
 */
export class StackOrderError extends Error {
  override readonly name = 'StackOrderError';
  constructor(
    /** The function that was called. */
    readonly call: string,
    /** What was out of order. */
    readonly reason: string,
  ) {
    super(`${call}: ${reason}`);
  }
}
