/**
 * Whether a program's result is a promise (any thenable): what `oomTest` awaits and what
 * `withDefaultContext` restores the default context after.
 *
 * @since 0.1.0
 */

/** Whether `x` is a thenable (an object or function with a `then` method). */
export const isThenable = (x: unknown): x is PromiseLike<unknown> =>
  (typeof x === 'object' || typeof x === 'function') &&
  x !== null &&
  typeof (x as { then?: unknown }).then === 'function';
