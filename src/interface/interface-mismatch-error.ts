/**
 * A block freed or resized through another memory interface than the one that gave it.
 *
 * @since 0.1.0
 */
import { InvalidPointerError } from '../heap/index.js';

/**
 * A block given back (`al_free`, `al_realloc`, or `free` through a context whose door is a
 * memory interface) through another allocator than the one that gave it: Allegro's warning
 * ("a memory block allocated by one DLL must be freed from the same DLL"), caught instead of
 * freed into the wrong allocator. Nothing has been freed or changed when it is thrown. It is an
 * `InvalidPointerError` (the block is no live block of the allocator it was handed to), so code
 * that catches those catches it too.
 *
 * @category errors
 * @since 0.1.0
 */
export class InterfaceMismatchError extends InvalidPointerError {
  override readonly name = 'InterfaceMismatchError';
  constructor(
    call: string,
    pointer: number,
    /** Which allocator gave the block. */
    readonly allocatedBy: string,
    /** Which allocator it was handed to. */
    readonly freedThrough: string,
  ) {
    super(
      call,
      pointer,
      `it was allocated through ${allocatedBy}, not ${freedThrough} (give it back through that one)`,
    );
  }
}
