/**
 * Fixed-length C arrays: `array(Int16, 4)` is `int16_t[4]`.
 *
 * @since 0.1.0
 */
import { describe, safeNumber } from '../../arguments/index.js';
import { checkName, checkStorable, type Storable, type ArrayLayout } from '../storable/index.js';
import { compiledOnFirstUse } from './compile.js';
import { arrayErrors } from './validate.js';

/**
 * A fixed-length array instance.
 *
 * @category model
 * @since 0.1.0
 */
export interface FixedArray<A> extends Storable<A[]> {
  readonly element: Storable<A>;
  readonly length: number;
  readonly layout: ArrayLayout;
}

interface ArrayParts<A> {
  name: string;
  sizeOf: number;
  alignment: number;
  layout: ArrayLayout;
  element: Storable<A>;
  length: number;
}

/**
 * `n` elements of `S` in a row (C's `T[n]`): size `n * sizeOf(S)`, alignment `S`'s. The value
 * is a JavaScript array of exactly `n` elements; any other length is a `MarshalError` on poke
 * (C truncates or overruns silently). Peek returns a new array.
 *
 * Throws a `TypeError` when `S` is not an instance or `name` not a string, and a `RangeError` when `n` is not a
 * non-negative safe integer or the size would not be one.
 *
 * @category combinators
 * @since 0.1.0
 */
export const array = <A>(S: Storable<A>, length: number | bigint, name?: string): FixedArray<A> => {
  checkStorable('array', 'the element', S);
  if (name !== undefined) checkName('array', name);
  const n = typeof length === 'bigint' ? safeNumber(length) : length;
  if (n === undefined || !Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(n * S.sizeOf)) {
    throw new RangeError(
      `array: length ${describe(length)} is not a non-negative safe integer (or the size is too large)`,
    );
  }
  const layout: ArrayLayout = { tag: 'array', element: S, length: n };
  return compiledOnFirstUse<A[], ArrayParts<A>>(
    {
      name: name ?? `${S.name}[${n}]`,
      sizeOf: n * S.sizeOf,
      alignment: S.alignment,
      layout,
      element: S,
      length: n,
    },
    'FixedArrayType',
    (u, c) => arrayErrors(layout, u, c),
  );
};
