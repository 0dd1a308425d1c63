/**
 * `Foreign.Marshal`: `.Alloc` (alloca and the `with*` bracket on the context's stack, malloc and
 * free through its door, `finalizerFree`), `.Array`, `.Utils`, `.Error` and `.Pool`, and the
 * guard that keeps synchronous brackets synchronous.
 *
 * @packageDocumentation
 */
export * from './alloc.js';
export * from './allocation-error.js';
export * from './overlap-error.js';
export * from './finalizer-ptr.js';
export * from './synchronous.js';
export * from './array.js';
export * from './utils.js';
export * from './error.js';
export * from './pool.js';
export * from './unsafe.js';
