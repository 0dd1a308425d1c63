/**
 * `Foreign.Marshal.Error`: turn results that signal failure (a predicate, a negative number, a
 * `nullPtr`) into thrown {@link UserError}s, as Haskell's `throwIf` family throws `userError`s.
 * These need no context. Arguments of the wrong kind (a predicate, a message or a program that
 * is not a function) are a `TypeError` naming the call when the program is made.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import { nullPtr, type Ptr } from '../ptr.js';
import { showValue } from '../../arguments/index.js';
import { checkFunction } from './synchronous.js';

/**
 * An error raised by `Foreign.Marshal.Error`'s `throwIf` family: Haskell's `userError`,
 * shown there as `user error (message)`.
 *
 * @category errors
 * @since 0.1.0
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/**
 * Runs `io`; if `pred` holds for its result, throws a {@link UserError} with the message
 * `message(result)`, otherwise returns the result.
 *
 * @category combinators
 * @since 0.1.0
 */
export const throwIf = <A>(pred: (a: A) => boolean, message: (a: A) => string, io: IO<A>): IO<A> =>
  throwIfAs('throwIf', pred, message, io);

/** `throwIf`, its arguments checked for `call` when the program is made. */
const throwIfAs = <A>(
  call: string,
  pred: (a: A) => boolean,
  message: (a: A) => string,
  io: IO<A>,
): IO<A> => {
  checkFunction(call, 'the predicate', pred);
  checkFunction(call, 'the message', message);
  checkFunction(call, 'the program', io);
  return () => {
    const a = io();
    if (pred(a)) throw new UserError(message(a));
    return a;
  };
};

/**
 * As {@link throwIf}, discarding the result.
 *
 * @category combinators
 * @since 0.1.0
 */
export const throwIf_ = <A>(
  pred: (a: A) => boolean,
  message: (a: A) => string,
  io: IO<A>,
): IO<void> => discard(throwIfAs('throwIf_', pred, message, io));

/** `io` with its result dropped. */
const discard =
  <A>(io: IO<A>): IO<void> =>
  () => {
    io();
  };

const negative = (a: number | bigint): boolean => a < 0;

/**
 * Throws a {@link UserError} when `io`'s result is negative (a C function's `-1`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const throwIfNeg = <A extends number | bigint>(
  message: (a: A) => string,
  io: IO<A>,
): IO<A> => throwIfAs('throwIfNeg', negative, message, io);

/**
 * As {@link throwIfNeg}, discarding the result.
 *
 * @category combinators
 * @since 0.1.0
 */
export const throwIfNeg_ = <A extends number | bigint>(
  message: (a: A) => string,
  io: IO<A>,
): IO<void> => discard(throwIfAs('throwIfNeg_', negative, message, io));

/**
 * Throws a {@link UserError} with `message` when `io` returns `nullPtr`: how a program turns
 * the `nullPtr` of a failed allocation into an error (`throwIfNull('malloc', mallocBytes(n))`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const throwIfNull = <A>(message: string, io: IO<Ptr<A>>): IO<Ptr<A>> => {
  if (typeof message !== 'string') {
    throw new TypeError(`throwIfNull: the message must be a string, got ${showValue(message)}`);
  }
  return throwIfAs(
    'throwIfNull',
    (p) => p === nullPtr,
    () => message,
    io,
  );
};
