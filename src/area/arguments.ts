/**
 * Checks of what callers pass to the pool functions, under the library-wide rule: sizes, counts,
 * alignments and addresses of a region are a `number` or a `bigint` whose value is a safe
 * integer (a `RangeError` naming the call otherwise); pointers are numbers (a `TypeError` for a
 * bigint). The hot paths test `typeof x === 'number'` first and come here only otherwise.
 *
 * @internal
 */
import { safeNumber } from '../arguments/index.js';

/** A value as it should appear in a message: strings quoted, bigints with their `n`. */
export const describe = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'object' && value !== null) return Object.prototype.toString.call(value);
  return String(value);
};

/** The value of a safe, non-negative integer given as a number or a bigint, else `undefined`. */
export const safeIndex = (value: unknown): number | undefined => {
  const n = typeof value === 'bigint' ? safeNumber(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/** `value` as a number when it is a non-negative safe integer; a `RangeError` otherwise. */
export const toSize = (call: string, name: string, value: unknown): number => {
  const n = safeIndex(value);
  if (n !== undefined) return n;
  throw new RangeError(
    `${call}: ${name} must be a non-negative safe integer (a number or a bigint), got ${describe(value)}`,
  );
};

/** `value` as a number when it is a power of two up to 2^30; a `RangeError` otherwise. */
export const toAlignment = (call: string, value: unknown): number => {
  const n = safeIndex(value);
  if (n !== undefined && n > 0 && n <= 2 ** 30 && (n & (n - 1)) === 0) return n;
  throw new RangeError(
    `${call}: alignment must be a power of two up to 2^30, got ${describe(value)}`,
  );
};

/** The error for a pointer that is not a number: a bigint (with the way out), or anything else. */
export const notAPointer = (call: string, ptr: unknown): TypeError =>
  typeof ptr === 'bigint'
    ? new TypeError(
        `${call}: pointer ${ptr}n is a bigint; addresses are numbers (wordPtrToPtr(Number(x)))`,
      )
    : new TypeError(`${call}: pointer must be a number, got ${describe(ptr)}`);
