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
