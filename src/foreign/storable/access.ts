/**
 * The one check every byte access of the Haskell face goes through: the pointer is an address,
 * not `nullPtr` when bytes are touched, the bytes lie inside the memory (renewing the views
 * after growth), and the memory's protection allows the access (`Memory.protect`). Haskell
 * leaves a null or out-of-bounds access undefined; here each is an error that names the call,
 * and nothing is read or written.
 *
 * @since 0.1.0
 */
import type { Memory, Views } from '../../memory/index.js';
import { checkPtr } from '../ptr.js';

/**
 * A read or write through `nullPtr`: address 0 is NULL, the start of a heap's control block,
 * never a value. Nothing is read or written.
 *
 * @category errors
 * @since 0.1.0
 */
export class NullPointerError extends RangeError {
  override readonly name = 'NullPointerError';
  constructor(
    /** The function that was called. */
    readonly call: string,
  ) {
    super(`${call}: access through nullPtr`);
  }
}

/**
 * The views that reach the `size` bytes at `p`, the address accessed (callers add any offset
 * first, so that an access reaching address 0 through an offset is caught too). Throws a
 * `RangeError` when `p` is not an address (a `TypeError` for a bigint), {@link NullPointerError}
 * when it is `nullPtr` and `size > 0`, and `MemoryBoundsError` when the bytes run past the end
 * of memory. `size` is a number the caller has checked.
 *
 * @category utils
 * @since 0.1.0
 */
export const bytesAt = (memory: Memory, call: string, p: number, size: number): Views => {
  const views = memory.views;
  if (typeof p === 'number' && p > 0 && p + size <= views.u8.length && Number.isSafeInteger(p))
    return views;
  checkPtr(call, p);
  if (p === 0 && size > 0) throw new NullPointerError(call);
  return memory.ensure(p, size, call);
};

/**
 * The views through which to write the `size` bytes at `p`: {@link bytesAt} for writers. It also
 * throws `MemoryProtectionError` when the memory is not writable (an area pool without
 * `B_WRITE_AREA`, a deleted pool's memory); it costs a writable memory nothing more.
 *
 * @category utils
 * @since 0.1.0
 */
export const writableBytesAt = (memory: Memory, call: string, p: number, size: number): Views => {
  const views = memory.writeViews;
  if (typeof p === 'number' && p > 0 && p + size <= views.u8.length && Number.isSafeInteger(p))
    return views;
  checkPtr(call, p);
  if (p === 0 && size > 0) throw new NullPointerError(call);
  return memory.ensureWritable(p, size, call);
};
