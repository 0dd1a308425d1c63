/**
 * The checks of the arguments of Allegro's functions: addresses, call sites, interfaces.
 *
 * @since 0.1.0
 */
import { bigintAddress, describe, integerArgument, showValue } from '../arguments/index.js';
import type { HookName } from './memory-interface.js';

/**
 * `p` when it is an address (a non-negative safe integer); a bigint is a `TypeError` saying how
 * to convert it, another type a `TypeError`, a number that is no address a `RangeError`, each
 * naming `call`.
 *
 * @internal
 */
export const checkAddress = (call: string, p: unknown): number => {
  if (typeof p === 'number' && Number.isSafeInteger(p) && p >= 0) return p;
  if (typeof p === 'bigint') throw bigintAddress(call, 'ptr', p);
  if (typeof p !== 'number') throw new TypeError(`${call}: ptr ${showValue(p)} is not a number`);
  throw new RangeError(`${call}: ptr must be a non-negative safe integer, got ${describe(p)}`);
};

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * A call site's `line` (a C `int`: a safe-integer bigint is converted), `file` and `func`
 * (strings); a `RangeError` or `TypeError` naming `call` otherwise.
 *
 * @internal
 */
export const checkSite = (call: string, line: unknown, file: unknown, func: unknown): number => {
  const n = integerArgument(call, 'line', line);
  if (typeof n !== 'number') throw new TypeError(`${call}: line ${showValue(n)} is not a number`);
  if (!Number.isInteger(n) || n < INT_MIN || n > INT_MAX) {
    throw new RangeError(`${call}: line must be an integer that fits a C int, got ${describe(n)}`);
  }
  if (typeof file !== 'string')
    throw new TypeError(`${call}: file ${showValue(file)} is not a string`);
  if (typeof func !== 'string')
    throw new TypeError(`${call}: func ${showValue(func)} is not a string`);
  return n;
};

/**
 * `hook`, the hook `name` of an interface, when it is a function: a `TypeError` naming `call`
 * otherwise. The caller reads the hook at the call (Allegro keeps the interface by reference),
 * as a named property, so that the read is as fast as the interfaces it meets allow.
 *
 * @internal
 */
export const hookOf = <K extends HookName>(
  call: string,
  name: K,
  hook: unknown,
): ((...args: unknown[]) => unknown) => {
  if (typeof hook !== 'function') {
    throw new TypeError(
      `${call}: the memory interface has no ${name} function (${showValue(hook)})`,
    );
  }
  return hook as (...args: unknown[]) => unknown;
};

/**
 * What a hook returned, when it is an address (0 included); a `TypeError` naming `call` and the
 * hook otherwise.
 *
 * @internal
 */
export const checkReturned = (call: string, name: HookName, r: unknown): number => {
  if (typeof r === 'number' && Number.isSafeInteger(r) && r >= 0) return r;
  throw new TypeError(
    `${call}: the memory interface's ${name} returned ${showValue(r)}, not an address (0 for NULL)`,
  );
};
