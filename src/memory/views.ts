import { describeValue, isArrayBuffer, isBuffer, isDetached } from './buffers.js';
import { DetachedMemoryError } from './errors.js';

/**
 * The typed views over one generation of a memory's bytes.
 *
 * A `Views` object is made once per buffer (and per length, for growable shared buffers) and
 * cached by its {@link Memory}. All views are fixed-length views of `byteLength` bytes from
 * offset 0: on Node 20 (V8 11), views over resizable or growable buffers that track the length
 * are 2–7x slower than fixed-length ones, so this library never makes length-tracking views and
 * renews the whole set instead (see `Memory.ensure`).
 *
 * Multi-byte typed arrays are indexed by address shifted right (`u32[p >>> 2]`), so they can
 * only reach naturally aligned addresses; `dv` reaches any address. All data is little-endian,
 * like every WebAssembly memory.
 *
 * How far the views reach is `u8.length`, read live: it is 0 once the buffer has been detached
 * (a WebAssembly memory that grew) or shrunk below the views, so a stale set never passes a
 * bounds check.
 *
 * @since 0.1.0
 */
export interface Views {
  /** The buffer these views cover (the buffer of the memory at the time they were made). */
  readonly buffer: ArrayBufferLike;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  readonly u64: BigUint64Array;
  readonly i64: BigInt64Array;
  readonly dv: DataView;
}

/**
 * Makes the views over the first `byteLength` bytes of `buffer` (a number, or a `bigint` whose
 * value is a safe integer). Every set of views of a
 * {@link Memory} is made here, so this is where a buffer that was transferred away is caught.
 *
 * Throws a `TypeError` when `buffer` is not an `ArrayBuffer` or `SharedArrayBuffer`,
 * {@link DetachedMemoryError} when it has been detached (transferred away), and a `RangeError`
 * when `byteLength` is not a safe integer from 0 to the buffer's length. Each names `call`.
 *
 * @since 0.1.0
 */
export const makeViews = (
  buffer: ArrayBufferLike,
  length: number | bigint,
  call = 'makeViews',
): Views => {
  const byteLength = typeof length === 'bigint' ? bigintLength(call, length) : length;
  if (!isBuffer(buffer)) {
    throw new TypeError(
      `${call}: expected an ArrayBuffer or a SharedArrayBuffer, got ${describeValue(buffer)}`,
    );
  }
  if (buffer.byteLength === 0 && isArrayBuffer(buffer) && isDetached(buffer))
    throw new DetachedMemoryError(call);
  if (!Number.isSafeInteger(byteLength) || byteLength < 0 || byteLength > buffer.byteLength) {
    throw new RangeError(
      `${call}: byteLength must be a safe integer from 0 to the buffer's ${buffer.byteLength} ` +
        `bytes, got ${describeValue(byteLength)}`,
    );
  }
  return {
    buffer,
    u8: new Uint8Array(buffer, 0, byteLength),
    i8: new Int8Array(buffer, 0, byteLength),
    u16: new Uint16Array(buffer, 0, byteLength >>> 1),
    i16: new Int16Array(buffer, 0, byteLength >>> 1),
    u32: new Uint32Array(buffer, 0, byteLength >>> 2),
    i32: new Int32Array(buffer, 0, byteLength >>> 2),
    f32: new Float32Array(buffer, 0, byteLength >>> 2),
    f64: new Float64Array(buffer, 0, Math.floor(byteLength / 8)),
    u64: new BigUint64Array(buffer, 0, Math.floor(byteLength / 8)),
    i64: new BigInt64Array(buffer, 0, Math.floor(byteLength / 8)),
    dv: new DataView(buffer, 0, byteLength),
  };
};

const bigintLength = (call: string, length: bigint): number => {
  if (length >= 0n && length <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(length);
  throw new RangeError(`${call}: byteLength ${length}n is not a non-negative safe integer`);
};
