/**
 * The guard of the synchronous brackets (`alloca`, the `with*` family, `withPool`): they release
 * their memory when the body's program returns, so a body that returns a promise would go on
 * using released memory. That is refused; the asynchronous forms (`task.*`, `taskEither.*`)
 * release after the promise settles. And the checks of every body and program a function is
 * given: a function, which returns a program (a `TypeError` naming the call otherwise, not the
 * engine's `f is not a function`).
 *
 * @since 0.1.0
 */
import { showValue } from './errors.js';

/**
 * Returns `result` when it is not a promise. For a promise, throws a `TypeError` naming `call`
 * and the asynchronous form to use; the promise's own rejection, a consequence of the misuse,
 * is not reported again.
 *
 * @category utils
 * @since 0.1.0
 */
export const synchronous = <B>(call: string, result: B): B => {
  if (!(result instanceof Promise)) return result;
  result.catch(() => undefined);
  throw new TypeError(
    `${call}: the body returned a promise, but ${call} releases its memory when the body ` +
      `returns, before the promise settles; use task.${call} or taskEither.${call}`,
  );
};

/**
 * Returns `f` when it is a function; throws a `TypeError` naming `call` and `what` (`the body`)
 * otherwise, before anything is allocated.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkFunction = <F>(call: string, what: string, f: F): F => {
  if (typeof f === 'function') return f;
  throw new TypeError(`${call}: ${what} must be a function, got ${showValue(f)}`);
};

/**
 * `f` checked to be a function now, and, each time it is called, to return a program: the body
 * of a bracket, as the function `call` reports it (`allocaBytes`, not the `alloca` it is built on).
 *
 * @category utils
 * @since 0.1.0
 */
export const bodyOf = <F extends (...args: any[]) => unknown>(call: string, f: F): F => {
  checkFunction(call, 'the body', f);
  return ((...args: unknown[]) => programOf(call, 'the body', f, ...args)) as F;
};

/**
 * The program `f(...args)` returns (an `IO`, a `Task`: a function), checked: a `TypeError`
 * naming `call` when `f` is not a function or returns something else than a function.
 *
 * @category utils
 * @since 0.1.0
 */
export const programOf = <P>(
  call: string,
  what: string,
  f: (...args: any[]) => P,
  ...args: unknown[]
): P => {
  const program = checkFunction(call, what, f)(...args);
  if (typeof program === 'function') return program;
  throw new TypeError(
    `${call}: ${what} must return a program (a function), got ${showValue(program)}`,
  );
};
