/**
 * How a value appears in an error message of the library's argument checks.
 *
 * @since 0.1.0
 */

/**
 * A value as it should appear in a message: strings quoted, bigints with their `n`.
 *
 * @category utils
 * @since 0.1.0
 */
export const describe = (value: unknown): string => {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  return String(value);
};
