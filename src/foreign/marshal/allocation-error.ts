/**
 * An allocation that could not be met, as an error value: what the `either` flavours of the
 * allocation functions return on the left, and what `throwIfNull` makes of a `nullPtr` (GHC
 * throws `ResourceExhausted` here; the Haskell 2010 report returns `nullPtr`).
 *
 * @category errors
 * @since 0.1.0
 */
export class AllocationError extends Error {
  override readonly name = 'AllocationError';
  constructor(
    /** The function that could not allocate. */
    readonly call: string,
    /** The bytes it asked for. */
    readonly size: number,
  ) {
    super(`${call}: cannot allocate ${size} bytes (out of memory)`);
  }
}

/**
 * An error raised by `Foreign.Marshal.Error`'s `throwIf` family: Haskell's `userError`,
 * shown there as `user error (message)`.
 *
 * @category errors
 * @since 0.1.0
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/**
 * A copy between regions that overlap where the function requires them not to (`copyBytes`,
 * `copyArray`; Haskell leaves the result undefined). Nothing is copied. `moveBytes` and
 * `moveArray` accept overlapping regions.
 *
 * @category errors
 * @since 0.1.0
 */
export class OverlapError extends RangeError {
  override readonly name = 'OverlapError';
  constructor(
    readonly call: string,
    readonly dest: number,
    readonly src: number,
    readonly size: number,
  ) {
    super(
      `${call}: [${src}, ${src + size}) and [${dest}, ${dest + size}) overlap; ` +
        `use ${call.replace('copy', 'move')} for overlapping regions`,
    );
  }
}
