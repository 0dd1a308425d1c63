import { checkAlignment, checkSize, describe } from '../arguments/index.js';
import { StackOrderError } from './errors.js';
import { MAX_HEAP_ALIGNMENT } from './layout.js';

/**
 * What a {@link Stack} takes its region and its spills from: a `Heap` is one.
 *
 * @since 0.1.0
 */
export interface StackAllocator {
  /** An address aligned to `align` with `size` bytes, or 0. */
  alignedAlloc(align: number, size: number): number;
  /** Gives back what `alignedAlloc` returned. */
  free(ptr: number): void;
}

/**
 * Options of a {@link Stack}.
 *
 * @since 0.1.0
 */
export interface StackOptions {
  /** Bytes of the stack's region, taken from the heap at the first allocation. Default 64 KiB. */
  readonly size?: number | bigint;
}

/**
 * A mark on a {@link Stack}: what {@link Stack.mark} returns and {@link Stack.release} takes.
 * Marks are numbers that are never reused, so a stale one is recognised.
 *
 * @since 0.1.0
 */
export type StackMark = number & { readonly StackMark: unique symbol };

const DEFAULT_STACK_BYTES = 65536;
const REGION_ALIGN = 16;

/**
 * A LIFO region for `alloca`: take a {@link Stack.mark}, allocate, then {@link Stack.release}
 * the mark to give back everything allocated since, all in O(1) (plus one `free` per block
 * that spilled).
 *
 * The region is one block of the heap, taken at the first allocation. An allocation that does
 * not fit spills to the heap (an aligned `malloc`) and is freed when its mark is released, so a
 * full stack is slower, never wrong. The stack's state (the top, the open marks) lives in this
 * object, not in the heap's memory: like a C stack, a stack belongs to one thread, and each
 * worker sharing a heap makes its own.
 *
 * Releasing marks out of order, releasing one twice, or allocating with no open mark is a
 * {@link StackOrderError} that changes nothing.
 *
 * @category heap
 * @since 0.1.0
 */
export class Stack {
  private region = 0;
  private regionEnd = 0;
  private top = 0;
  private serial = 0;
  private readonly marks: number[] = [];
  private readonly markTops: number[] = [];
  private readonly markSpills: number[] = [];
  private readonly spills: number[] = [];
  private readonly regionBytes: number;

  /**
   * A stack over `heap`, taking its region at the first allocation. Throws a `TypeError` when
   * `heap` has no `alignedAlloc` and `free`, or `options` is not an object, and a `RangeError`
   * when `size` is not a size.
   */
  constructor(
    /** The allocator (a heap) the region and any spills come from. */
    readonly heap: StackAllocator,
    options: StackOptions = {},
  ) {
    const h = heap as Partial<StackAllocator> | null | undefined;
    if (typeof h?.alignedAlloc !== 'function' || typeof h.free !== 'function') {
      throw new TypeError(
        `Stack: ${describe(heap)} is not an allocator (with alignedAlloc and free)`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`Stack: options must be an object, got ${describe(options)}`);
    }
    this.regionBytes =
      options.size === undefined ? DEFAULT_STACK_BYTES : checkSize('Stack', 'size', options.size);
  }

  /** How many marks are open. */
  get depth(): number {
    return this.marks.length;
  }

  /** Bytes in use in the region (spilled blocks not counted). */
  get used(): number {
    return this.top - this.region;
  }

  /** Opens a mark: everything allocated from now on is given back by `release` of it. */
  mark(): StackMark {
    this.serial += 1;
    this.marks.push(this.serial);
    this.markTops.push(this.top);
    this.markSpills.push(this.spills.length);
    return this.serial as StackMark;
  }

  /**
   * Allocates `size` bytes aligned to `align` (a power of two) and returns the address: from
   * the region when it fits, else from the heap. A size of 0 still gives a distinct address.
   * Returns `0` when neither the region nor the heap can meet the request.
   *
   * `size` and `align` may be `bigint`s whose values are safe integers. Throws a `RangeError`
   * for a bad size or alignment, and {@link StackOrderError} when no
   * mark is open; the errors name `call` (default `Stack.alloc`: the brackets built on the
   * stack, such as `alloca`, pass their own name).
   */
  alloc(size: number | bigint, align: number | bigint, call = 'Stack.alloc'): number {
    size = checkSize(call, 'size', size);
    align = checkAlignment(call, align, MAX_HEAP_ALIGNMENT);
    if (this.marks.length === 0)
      throw new StackOrderError(call, 'no mark is open; take a mark first');
    if (this.region === 0 && !this.takeRegion()) return this.spill(size, align);
    const p = Math.ceil(this.top / align) * align;
    const end = p + Math.max(size, 1);
    if (end > this.regionEnd) return this.spill(size, align);
    this.top = end;
    return p;
  }

  /**
   * Gives back everything allocated since `mark` was taken (spilled blocks are freed, latest
   * first) and closes the mark.
   *
   * Throws {@link StackOrderError}, changing nothing, when `mark` is not the latest open mark:
   * a later mark is still open, or it was already released, or it is not a mark of this stack.
   */
  release(mark: StackMark): void {
    const depth = this.marks.length;
    if (depth > 0 && this.marks[depth - 1] === mark) {
      this.marks.pop();
      this.top = Math.max(this.markTops.pop()!, this.region);
      const keep = this.markSpills.pop()!;
      while (this.spills.length > keep) this.heap.free(this.spills.pop()!);
      return;
    }
    const at = this.marks.lastIndexOf(mark);
    const reason =
      at >= 0
        ? `mark ${mark} released while ${depth - 1 - at} later mark(s) are still open (release is LIFO)`
        : `mark ${describe(mark)} is not open on this stack (released twice, or never taken here)`;
    throw new StackOrderError('Stack.release', reason);
  }

  /** Whether `p` lies in the stack's region or in a block it spilled (an `alloca` address). */
  owns(p: number): boolean {
    return (p >= this.region && p < this.regionEnd) || this.spills.includes(p);
  }

  /**
   * Gives the region back to the heap. The stack can be used again afterwards (it takes a new
   * region). Throws {@link StackOrderError} while marks are open.
   */
  dispose(): void {
    if (this.marks.length > 0)
      throw new StackOrderError('Stack.dispose', `${this.marks.length} mark(s) still open`);
    if (this.region !== 0) this.heap.free(this.region);
    this.region = this.regionEnd = this.top = 0;
  }

  private takeRegion(): boolean {
    if (this.regionBytes === 0) return false;
    const region = this.heap.alignedAlloc(REGION_ALIGN, this.regionBytes);
    if (region === 0) return false;
    this.region = this.top = region;
    this.regionEnd = region + this.regionBytes;
    return true;
  }

  private spill(size: number, align: number): number {
    const p = this.heap.alignedAlloc(align, size);
    if (p !== 0) this.spills.push(p);
    return p;
  }
}
