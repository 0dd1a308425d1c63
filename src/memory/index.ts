/**
 * The bytes: one abstraction over an `ArrayBuffer`, a `SharedArrayBuffer` or a
 * `WebAssembly.Memory`, with growth and views that are renewed after growth.
 *
 * @packageDocumentation
 */
export { Memory, PAGE_BYTES, MAX_MEMORY_BYTES } from './memory.js';
export type { MemorySource, MemoryOptions, MemoryAccess, WasmMemory } from './memory.js';
export { makeViews } from './views.js';
export type { Views } from './views.js';
export {
  MemoryBoundsError,
  MemoryProtectionError,
  DetachedMemoryError,
  SharedMemoryUnavailableError,
} from './errors.js';
