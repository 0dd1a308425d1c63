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

/**
 * An access this memory's protection refuses: a write through a memory that is not writable,
 * or a read through one that is not readable (see `Memory.protect`). Nothing is read or written
 * when it is thrown.
 *
 * @category errors
 * @since 0.1.0
 */
export class MemoryProtectionError extends Error {
  override readonly name = 'MemoryProtectionError';
  constructor(
    /** The function that was called. */
    readonly call: string,
    /** The first address of the access. */
    readonly address: number,
    /** How many bytes the access needed. */
    readonly size: number,
    /** What the access would have done. */
    readonly access: 'read' | 'write',
    /** Why the memory refuses it, as its protection says (may be empty). */
    readonly reason: string,
  ) {
    super(
      `${call}: ${size} byte(s) at address ${address} cannot be ${access === 'read' ? 'read' : 'written'}: ` +
        `the memory is not ${access === 'read' ? 'readable' : 'writable'}${reason === '' ? '' : ` (${reason})`}`,
    );
  }
}
