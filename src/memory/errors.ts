/**
 * An access to bytes that lie beyond the current end of a memory: a read or write past the
 * end, or through a memory that has shrunk. Nothing is read or written when it is thrown.
 *
 * @category errors
 * @since 0.1.0
 */
export class MemoryBoundsError extends RangeError {
  override readonly name = 'MemoryBoundsError';
  constructor(
    /** The function that was called. */
    readonly call: string,
    /** The first address of the access. */
    readonly address: number,
    /** How many bytes the access needed. */
    readonly size: number,
    /** The byte length of the memory when the access was refused. */
    readonly byteLength: number,
  ) {
    super(
      `${call}: ${size} byte(s) at address ${address} reach past the end of memory ` +
        `(${byteLength} bytes)`,
    );
  }
}
