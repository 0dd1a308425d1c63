/**
 * The guard of the synchronous brackets (`alloca`, the `with*` family, `withPool`): they release
 * their memory when the body's program returns, so a body that returns a promise would go on
 * using released memory. That is refused; the asynchronous forms (`task.*`, `taskEither.*`)
 * release after the promise settles.
 *
 * @since 0.1.0
 */

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
