/**
 * Checks of the integers callers pass in: sizes, counts, indices and offsets, and addresses
 * given as bigints (alignments are in `alignment.ts`). Each throws an error that names the call,
 * the argument and the value.
 *
 * The library-wide rule for `bigint`s: a size, count, length, index, offset or alignment may be
 * a `number` or a `bigint` whose value is a safe integer (C's `size_t` values, such as `lp64`'s
 * `CSize`, are bigints); it is converted with `Number()` at the boundary, on the slow path only
 * (`typeof x !== 'number'`), so the hot paths are unchanged. A bigint beyond 2^53 − 1 is a
 * `RangeError`. Addresses (pointers) must be numbers: a bigint address is a `TypeError` that
 * says how to convert it.
 */
import { describe } from './describe.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `value` as a number when it is a bigint whose value is a safe integer; `undefined` for
 * anything else (another bigint, or not a bigint at all).
 *
 * @since 0.1.0
 */
export const safeNumber = (value: unknown): number | undefined =>
  typeof value === 'bigint' && value >= -SAFE && value <= SAFE ? Number(value) : undefined;

/**
 * An integer argument (an index or an offset, which may be negative) as a number: a bigint
 * whose value is a safe integer is converted; a number is returned as it is, for the caller's
 * own check. Throws a `RangeError` naming `call` for a bigint beyond 2^53 − 1.
 *
 * @since 0.1.0
 */
export const integerArgument = (call: string, name: string, value: unknown): unknown => {
  if (typeof value !== 'bigint') return value;
  const n = safeNumber(value);
  if (n !== undefined) return n;
  throw new RangeError(`${call}: ${name} ${describe(value)} is not a safe integer`);
};

/**
 * The `TypeError` of a bigint given where an address is expected: addresses are numbers.
 * `convert` is how the caller turns it into one (default `wordPtrToPtr(Number(x))`).
 *
 * @since 0.1.0
 */
export const bigintAddress = (
  call: string,
  what: string,
  value: bigint,
  convert = 'wordPtrToPtr(Number(x))',
): TypeError =>
  new TypeError(
    `${call}: ${what} ${describe(value)} is a bigint; addresses are numbers (convert it with ${convert})`,
  );

/**
 * Returns `value` when it is a non-negative safe integer, or a bigint whose value is one
 * (converted to a number); throws a `RangeError` otherwise (negative, fractional, NaN,
 * infinite, beyond 2^53 − 1, or not a number at all).
 *
 * @since 0.1.0
 */
export const checkSize = (call: string, name: string, value: unknown): number => {
  if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
  const n = safeNumber(value);
  if (n !== undefined && n >= 0) return n;
  throw new RangeError(
    `${call}: ${name} must be a non-negative safe integer, got ${describe(value)}`,
  );
};

/**
 * Returns `count * size` when both are non-negative safe integers (numbers or bigints) and the
 * product is one too; throws a `RangeError` otherwise (C's `calloc` and `mallocarray` overflow
 * check).
 *
 * @since 0.1.0
 */
export const checkProduct = (call: string, count: unknown, size: unknown): number => {
  const c = checkSize(call, 'count', count);
  const s = checkSize(call, 'size', size);
  const total = c * s;
  if (Number.isSafeInteger(total)) return total;
  throw new RangeError(`${call}: count × size overflows (${c} × ${s})`);
};
