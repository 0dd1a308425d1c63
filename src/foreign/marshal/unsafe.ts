/**
 * `Foreign.Marshal.Unsafe`: run an `IO` program where a plain value is wanted.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import { checkFunction } from './synchronous.js';

/**
 * Runs `io` now and returns its result: Haskell's `unsafeLocalState :: IO a -> a`, for a pure
 * function whose body marshals through temporary memory (`strlen` of a string made with
 * `withCString`, a struct built on the alloca stack and read back).
 *
 * **The rule** (GHC's, and this library's): `io` may only allocate locally (`alloca`, the
 * `with*` brackets: memory released before it returns), read and write that local memory with
 * `peek`/`poke`, and call foreign functions whose only effect is on that memory. Its result must
 * depend on its arguments alone, so that running it twice, or not at all, changes nothing a
 * program can see. Anything else (a `malloc` that outlives it, a write to memory that is not its
 * own, reading `errno`, a `newStablePtr`) breaks the rule; GHC leaves that undefined (the
 * program may run the action more than once, or share its result). Here the program runs
 * exactly once per call, when the call is made: the library does not (cannot) check the rule,
 * so breaking it gives wrong results, not an error.
 *
 * What `io` throws is thrown as it is. An `io` that is not a function is a `TypeError` naming
 * `unsafeLocalState`.
 *
 * ```ts
 * const len = (s: string): number => unsafeLocalState(withCStringLen(s, ([, n]) => () => n));
 * ```
 *
 * @category utils
 * @since 0.1.0
 */
export const unsafeLocalState = <A>(io: IO<A>): A =>
  checkFunction('unsafeLocalState', 'the program', io)();
