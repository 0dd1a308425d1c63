/**
 * Fixed-length C arrays: `array(Int16, 4)` is `int16_t[4]`.
 *
 * @since 0.1.0
 */
import { describe, safeNumber } from '../../arguments/index.js';
import {
  checkName,
  checkStorable,
  type Storable,
  type StorableOf,
  type ArrayLayout,
} from '../storable/index.js';
import { compiledOnFirstUse } from './compile.js';
import { arrayErrors } from './validate.js';

/**
 * A fixed-length array instance. `E` is the element's instance, kept with its own type (a
 * `Struct`, a `Union`, …) so that field paths can go through the array (`['tag', 2]`).
 *
 * @category model
 * @since 0.1.0
 */
export interface FixedArray<A, E extends Storable<A> = Storable<A>> extends Storable<A[]> {
  readonly element: E;
  readonly length: number;
  readonly layout: ArrayLayout;
}

interface ArrayParts<E> {
  name: string;
  sizeOf: number;
  alignment: number;
  layout: ArrayLayout;
  element: E;
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
export const array = <E extends Storable<any>>(
  S: E,
  length: number | bigint,
  name?: string,
): FixedArray<StorableOf<E>, E> => {
  checkStorable('array', 'the element', S);
  if (name !== undefined) checkName('array', name);
  const n = typeof length === 'bigint' ? safeNumber(length) : length;
  if (n === undefined || !Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(n * S.sizeOf)) {
    throw new RangeError(
      `array: length ${describe(length)} is not a non-negative safe integer (or the size is too large)`,
    );
  }
  const layout: ArrayLayout = { tag: 'array', element: S, length: n };
  return compiledOnFirstUse<StorableOf<E>[], ArrayParts<E>>(
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
