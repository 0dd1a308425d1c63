/**
 * How values appear in messages (src/arguments/describe.ts): `describe` for the argument checks
 * of the lower layers, `showValue` for every check that may meet any value at all.
 */
import { describe, expect, it } from 'vitest';
import { describe as describeValue, showValue } from '../../src/arguments/index.js';

describe('describe', () => {
  it.each([
    ['abc', '"abc"'],
    [5n, '5n'],
    [-1, '-1'],
    [null, 'null'],
    [undefined, 'undefined'],
  ])('shows %s as %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });
});

describe('showValue', () => {
  it.each([
    ['abc', '"abc"'],
    ['x'.repeat(100), `"${'x'.repeat(37)}…"`],
    [5n, '5n'],
    [-0, '-0'],
    [NaN, 'NaN'],
    [null, 'null'],
    [undefined, 'undefined'],
    [[1, 2], 'array(2)'],
    [{ a: 1 }, '{…}'],
    [Symbol('s'), 'Symbol(s)'],
    [() => 1, 'function'],
    [new Uint8Array(3), 'Uint8Array(3 bytes)'],
  ])('shows %s as %s', (value, shown) => {
    expect(showValue(value)).toBe(shown);
  });
});
