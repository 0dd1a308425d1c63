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

const MAX_SHOWN = 40;

/**
 * A short, unambiguous rendering of a value for messages: strings quoted, bigints with `n`,
 * arrays and objects abbreviated.
 *
 * @category errors
 * @since 0.1.0
 */
export const showValue = (value: unknown): string => {
  switch (typeof value) {
    case 'string': {
      const s = JSON.stringify(value);
      return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN - 2)}…"` : s;
    }
    case 'bigint':
      return `${value}n`;
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `array(${value.length})`;
      if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
      return '{…}';
    case 'function':
      return 'function';
    case 'symbol':
      return value.toString();
    default:
      return String(value);
  }
};
