/**
 * Memory released beyond a lexical scope: `Foreign.ForeignPtr` and `Foreign.Concurrent` (the
 * finalizers of a context, run when a `ForeignPtr` is collected, finalized or shut down), the
 * asynchronous brackets (`task.*`, `taskEither.*`), and the scoped allocations for `using`.
 *
 * @packageDocumentation
 */
export * from './finalizers.js';
export * from './foreign-ptr.js';
export * from './async-brackets.js';
export * from './scoped.js';
