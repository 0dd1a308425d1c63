/**
 * What kind of bytes a value is: an `ArrayBuffer`, a `SharedArrayBuffer`, a WebAssembly memory,
 * or none of them; and whether an `ArrayBuffer` has been detached. The checks read the
 * built-in tag (`Object.prototype.toString`), so they hold for buffers of another realm and
 * where the global `SharedArrayBuffer` is hidden (a page that is not cross-origin isolated).
 * None of them runs on a path that touches the bytes: only where views are made.
 *
 * @internal
 */
import type { WasmMemory } from './memory.js';

const tagOf = (value: unknown): string => Object.prototype.toString.call(value);

/** Whether `value` is an `ArrayBuffer` (resizable or not, detached or not). */
export const isArrayBuffer = (value: unknown): value is ArrayBuffer =>
  tagOf(value) === '[object ArrayBuffer]';

/** Whether `value` is a `SharedArrayBuffer` (growable or not). */
export const isSharedBuffer = (value: unknown): value is SharedArrayBuffer =>
  tagOf(value) === '[object SharedArrayBuffer]';

/** Whether `value` is either kind of buffer. */
export const isBuffer = (value: unknown): value is ArrayBuffer | SharedArrayBuffer =>
  isArrayBuffer(value) || isSharedBuffer(value);

/**
 * Whether `value` is a WebAssembly memory: a `WebAssembly.Memory`, or any object of the
 * {@link WasmMemory} shape (a `grow` method and a `buffer` that is a buffer).
 */
export const isWasmMemory = (value: unknown): value is WasmMemory => {
  if (typeof WebAssembly !== 'undefined' && value instanceof WebAssembly.Memory) return true;
  if (typeof value !== 'object' || value === null || isBuffer(value)) return false;
  const candidate = value as { buffer?: unknown; grow?: unknown };
  return typeof candidate.grow === 'function' && isBuffer(candidate.buffer);
};

/**
 * Whether the `ArrayBuffer` `buffer`, which has no bytes now, has been detached (transferred
 * away). `ArrayBuffer.prototype.detached` says so where it exists (not on Node 20); elsewhere a
 * view of no bytes tells: making one throws on a detached buffer only. A buffer that is empty
 * or was resized to 0 bytes is not detached.
 */
export const isDetached = (buffer: ArrayBuffer): boolean => {
  const detached = (buffer as { detached?: unknown }).detached;
  if (typeof detached === 'boolean') return detached;
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
};

/** A value as it should appear in a message: strings quoted, bigints with their `n`, and what a typed array is. */
export const describeValue = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} (pass its .buffer)`;
  if (typeof value === 'object' && value !== null) return `an object (${tagOf(value)})`;
  return String(value);
};
