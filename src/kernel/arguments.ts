/**
 * Checks of the values programs pass to the kernel's functions, on their slow paths: sizes and
 * counts (a `number` or a `bigint` that is a non-negative safe integer), flags (an integer) and
 * addresses (a `number`). Each throws a `RangeError` or `TypeError` that starts with the name of
 * the call.
 */
import { safeNumber } from '../arguments/index.js';

const show = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
};

/**
 * A size, count or alignment as a number: a number or bigint that is a non-negative safe
 * integer. Throws a `RangeError` naming `call` and `name` otherwise.
 *
 * @internal
 */
export const toSize = (call: string, name: string, value: unknown): number => {
  const n = typeof value === 'bigint' ? safeNumber(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0) return n;
  throw new RangeError(`${call}: ${name} must be a non-negative safe integer, got ${show(value)}`);
};

/**
 * Flags as a number: an integer from 0 to 2^31 − 1. Throws a `TypeError` naming `call` otherwise
 * (FreeBSD's flags are an `int`; bits it does not know are ignored, as there).
 *
 * @internal
 */
export const toFlags = (call: string, flags: unknown): number => {
  if (typeof flags === 'number' && (flags | 0) === flags && flags >= 0) return flags;
  throw new TypeError(
    `${call}: flags must be an integer made of M_* flags (M_WAITOK, M_NOWAIT, …), got ${show(flags)}`,
  );
};

/**
 * An address as a number: a non-negative integer. A bigint is a `TypeError` that suggests
 * `Number(x)`; anything else that is not an integer address too.
 *
 * @internal
 */
export const toAddress = (call: string, addr: unknown): number => {
  if (typeof addr === 'number' && Number.isSafeInteger(addr) && addr >= 0) return addr;
  if (typeof addr === 'bigint') {
    throw new TypeError(
      `${call}: an address must be a number, got the bigint ${addr}n (pass Number(x))`,
    );
  }
  throw new TypeError(`${call}: an address must be a non-negative integer, got ${show(addr)}`);
};

/**
 * A small non-negative integer option (a domain index, a CPU count, an item count).
 *
 * @internal
 */
export const toIndex = (call: string, name: string, value: unknown, limit: number): number => {
  const n = toSize(call, name, value);
  if (n < limit) return n;
  throw new RangeError(`${call}: ${name} must be below ${limit}, got ${n}`);
};

/**
 * What a value is, as a message shows it.
 *
 * @internal
 */
export const describeValue = show;
