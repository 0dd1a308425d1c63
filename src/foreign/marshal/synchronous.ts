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
import { showValue } from '../../arguments/index.js';

/**
 * Returns `result` when it is not a promise. For a promise, throws a `TypeError` that starts
 * with `call` (the bracket the user called: `withCString`, `either.alloca`) and names the
 * asynchronous forms to use (`task.withCString`, `taskEither.alloca`); the promise's own
 * rejection, a consequence of the misuse, is not reported again.
 *
 * @category utils
 * @since 0.1.0
 */
export const synchronous = <B>(call: string, result: B): B => {
  if (!(result instanceof Promise)) return result;
  result.catch(() => undefined);
  const base = call.startsWith('either.') ? call.slice('either.'.length) : call;
  const forms = call === base ? `task.${base} or taskEither.${base}` : `taskEither.${base}`;
  throw new TypeError(
    `${call}: the body returned a promise, but ${call} releases its memory when the body ` +
      `returns, before the promise settles; use ${forms}`,
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

/** The `TypeError` of a body or function `what` of `call` that returned `result`, no program. */
const noProgram = (call: string, what: string, result: unknown): TypeError =>
  new TypeError(`${call}: ${what} must return a program (a function), got ${showValue(result)}`);

/**
 * The program `f(a)` returns (an `IO`, a `Task`: a function), checked: a `TypeError` naming
 * `call` when `f` is not a function or returns something else than a function. Fixed arity, no
 * rest parameter: it runs in every `alloca`, and V8 inlines it.
 *
 * @category utils
 * @since 0.1.0
 */
export const programOf = <A, P>(call: string, what: string, f: (a: A) => P, a: A): P => {
  if (typeof f !== 'function') checkFunction(call, what, f); // throws
  const program = f(a);
  if (typeof program !== 'function') throw noProgram(call, what, program);
  return program;
};

/**
 * As {@link programOf}, for a function of two arguments (`withArrayLen`'s body, `maybeWith`'s
 * `f`).
 *
 * @category utils
 * @since 0.1.0
 */
export const programOf2 = <A, B, P>(
  call: string,
  what: string,
  f: (a: A, b: B) => P,
  a: A,
  b: B,
): P => {
  if (typeof f !== 'function') checkFunction(call, what, f); // throws
  const program = f(a, b);
  if (typeof program !== 'function') throw noProgram(call, what, program);
  return program;
};
