/**
 * Allocation and release through a context's door, for the functions of the Haskell face: an
 * aligned allocation (`malloc`/`calloc` up to 8 bytes of alignment, `alignedAlloc` above), the
 * check that a block the caller frees is the caller's (the memory's ownership record, and the
 * context's alloca stack), and `free`/`realloc` whose errors name the user's call.
 *
 * @since 0.1.0
 */
import {
  MALLOC_ALIGNMENT,
  MAX_ALLOCATION_ALIGNMENT,
  bigintAddress,
  checkAlignment,
  checkSize,
} from '../arguments/index.js';
import { InvalidPointerError } from '../heap/index.js';
import type { Allocator } from './allocator.js';
import type { Context } from './context.js';
import { ALLOCA, ownershipOf } from './ownership.js';

/**
 * `size` bytes aligned to `align` (a power of two) from the context's door, zeroed when `zero`,
 * or 0 when the door cannot give them: `malloc`/`calloc` up to 8 bytes of alignment,
 * `alignedAlloc` above. Throws a `RangeError` naming `call` for a bad size, an alignment above
 * 2^30 (`MAX_ALLOCATION_ALIGNMENT`), and an alignment above 8 when the door has no
 * `alignedAlloc`. The allocation of
 * `Foreign.Marshal.Alloc` and `.Array`, pools, brackets, scoped values and `ForeignPtr`s.
 *
 * @category utils
 * @since 0.1.0
 */
export const allocateAligned = (
  ctx: Context,
  call: string,
  size: number | bigint,
  align: number,
  zero: boolean,
): number => {
  const { allocator } = ctx;
  size = checkSize(call, 'size', size);
  if (align <= MALLOC_ALIGNMENT) return zero ? allocator.calloc(1, size) : allocator.malloc(size);
  checkAlignment(call, align, MAX_ALLOCATION_ALIGNMENT);
  if (allocator.alignedAlloc === undefined) {
    throw new RangeError(
      `${call}: alignment ${align} is above what the context's allocator gives (8)`,
    );
  }
  const p = allocator.alignedAlloc(align, size);
  if (p !== 0 && zero) ctx.memory.ensureWritable(p, size, call).u8.fill(0, p, p + size);
  return p;
};

/**
 * {@link allocateAligned} (not zeroed), then `fill` writes the block's contents: the block, or
 * 0 when the door cannot give it. When `fill` throws, the block is freed before the error goes
 * on, so nothing is leaked (a memory that refuses the write: an area pool handle without
 * `B_WRITE_AREA`). The allocation of `new`, `newArray`, `newCString` and their pooled forms.
 *
 * @category utils
 * @since 0.1.0
 */
export const allocateFilled = (
  ctx: Context,
  call: string,
  size: number,
  align: number,
  fill: (p: number) => void,
): number => {
  const p = allocateAligned(ctx, call, size, align, false);
  if (p === 0) return p;
  try {
    fill(p);
  } catch (e) {
    ctx.allocator.free(p);
    throw e;
  }
  return p;
};

/**
 * Refuses, with an {@link InvalidPointerError} naming `call`, a block the caller must not free:
 * one the memory's ownership record gives to something else (an alloca stack, a pool, an
 * asynchronous bracket, a `ForeignPtr`, a `using` scope), whichever context claimed it, and an
 * address of the context's own alloca stack (also a stack made by hand, not through the door).
 * A bigint is a `TypeError`. The check of `free`, `reallocBytes` and `reallocArray` before they
 * hand `p` to the door.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkReleasable = (ctx: Context, call: string, p: number): void => {
  if (typeof p === 'bigint') throw bigintAddress(call, 'pointer', p);
  ownershipOf(ctx.memory).refuse(call, p);
  if (p !== 0 && ctx.stack.owns(p)) throw new InvalidPointerError(call, p, ALLOCA.reason);
};

/**
 * `e` as thrown by `call`: an allocator's (or a hook's) {@link InvalidPointerError}, which names
 * its own `free` or `realloc`, names the user's call.
 *
 * @internal
 */
export const thrownFor = (call: string, e: unknown): unknown =>
  e instanceof InvalidPointerError && e.call !== call
    ? new InvalidPointerError(call, e.pointer, e.reason)
    : e;

/**
 * `allocator.free(p)` for `call`: an {@link InvalidPointerError} of the allocator (which names
 * its own `free`) names `call`.
 *
 * @category utils
 * @since 0.1.0
 */
export const freeFor = (allocator: Allocator, call: string, p: number): void => {
  try {
    allocator.free(p);
  } catch (e) {
    throw thrownFor(call, e);
  }
};

/**
 * `allocator.realloc(p, size)` for `call`, as {@link freeFor}.
 *
 * @category utils
 * @since 0.1.0
 */
export const reallocFor = (allocator: Allocator, call: string, p: number, size: number): number => {
  try {
    return allocator.realloc(p, size);
  } catch (e) {
    throw thrownFor(call, e);
  }
};

/**
 * An owner gives back a block it claimed: the block returns to the caller in the memory's
 * record, then it is freed through the door for `call`.
 *
 * @category utils
 * @since 0.1.0
 */
export const releaseOwned = (ctx: Context, call: string, p: number): void => {
  ownershipOf(ctx.memory).disown(p);
  freeFor(ctx.allocator, call, p);
};
