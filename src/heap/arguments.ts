/**
 * Checks of the numbers callers pass in: sizes, counts and alignments. Each throws a
 * `RangeError` that names the call, the argument and the value.
 */

/**
 * Returns `value` when it is a non-negative safe integer; throws a `RangeError` otherwise
 * (negative, fractional, NaN, infinite, beyond 2^53 − 1, or not a number at all).
 *
 * @since 0.1.0
 */
export const checkSize = (call: string, name: string, value: number): number => {
  if (Number.isSafeInteger(value) && value >= 0) return value;
  throw new RangeError(
    `${call}: ${name} must be a non-negative safe integer, got ${describe(value)}`,
  );
};

/**
 * Returns `value` when it is a power of two (1, 2, 4, …, 2^30); throws a `RangeError` otherwise,
 * including for 0, which GHC's `allocaBytesAligned` lets through.
 *
 * @since 0.1.0
 */
export const checkAlignment = (call: string, value: number): number => {
  if (Number.isInteger(value) && value > 0 && value <= 2 ** 30 && (value & (value - 1)) === 0) {
    return value;
  }
  throw new RangeError(
    `${call}: alignment must be a power of two up to 2^30, got ${describe(value)}`,
  );
};

/**
 * Returns `count * size` when both are non-negative safe integers and the product is one too;
 * throws a `RangeError` otherwise (C's `calloc` and `mallocarray` overflow check).
 *
 * @since 0.1.0
 */
export const checkProduct = (call: string, count: number, size: number): number => {
  checkSize(call, 'count', count);
  checkSize(call, 'size', size);
  const total = count * size;
  if (Number.isSafeInteger(total)) return total;
  throw new RangeError(`${call}: count × size overflows (${count} × ${size})`);
};

/** A value as it should appear in a message: strings quoted, bigints with their `n`. */
export const describe = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
};
