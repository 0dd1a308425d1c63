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
 * An access to a memory whose `ArrayBuffer` has been detached: transferred away to a worker or
 * a window by `postMessage` (or `structuredClone`) with a transfer list, or by
 * `ArrayBuffer.prototype.transfer`. The bytes now belong to whoever received the buffer, so
 * nothing can be read or written here any more; nothing was read or written when it is thrown.
 * (JavaScript throws a bare `TypeError` from whichever typed array touches the buffer first.)
 * To share a heap with workers, put it in a `SharedArrayBuffer` (`Heap.create({ shared: true })`)
 * and send that, untransferred.
 *
 * @category errors
 * @since 0.1.0
 */
export class DetachedMemoryError extends TypeError {
  override readonly name = 'DetachedMemoryError';
  constructor(
    /** The function that was called. */
    readonly call: string,
  ) {
    super(
      `${call}: the memory's ArrayBuffer has been transferred away (by postMessage or ` +
        'structuredClone with a transfer list, or by ArrayBuffer.prototype.transfer) and is ' +
        'detached: its bytes are no longer here, so nothing was read or written',
    );
  }
}

/**
 * A shared memory was asked for where `SharedArrayBuffer` does not exist. Browsers provide it
 * only to cross-origin isolated pages: served with the headers
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`
 * (or `credentialless`), where `globalThis.crossOriginIsolated` is `true`. Nothing was made.
 * Memories and heaps that are not shared work everywhere.
 *
 * @category errors
 * @since 0.1.0
 */
export class SharedMemoryUnavailableError extends Error {
  override readonly name = 'SharedMemoryUnavailableError';
  constructor(
    /** The function that was called. */
    readonly call: string,
  ) {
    super(
      `${call}: a shared memory needs SharedArrayBuffer, which this page does not have. ` +
        'Browsers provide it only to cross-origin isolated pages (globalThis.crossOriginIsolated), ' +
        'served with the headers Cross-Origin-Opener-Policy: same-origin and ' +
        'Cross-Origin-Embedder-Policy: require-corp. Without them, leave out shared: true.',
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
