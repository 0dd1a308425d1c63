/**
 * Checks shared by the composite combinators: member keys, member instances, the Storable
 * contract, and the unwrapping of `aligned(n, S)` members.
 *
 * @since 0.1.0
 */
import { checkAlignment } from '../../arguments/index.js';
import type { Storable } from '../storable/index.js';

const INDEX_KEY = /^(0|[1-9]\d*)$/;

/**
 * Throws a `RangeError` for keys that cannot name a member in a given order: `__proto__` (an
 * object literal would set the prototype) and array indices (JavaScript lists them first,
 * whatever order they were written in).
 *
 * @category utils
 * @since 0.1.0
 */
export const checkKey = (call: string, key: string): void => {
  if (key === '__proto__' || INDEX_KEY.test(key)) {
    throw new RangeError(`${call}: ${JSON.stringify(key)} cannot be a member name`);
  }
};

/**
 * Throws a `TypeError` when `S` is not a Storable instance, and a `RangeError` when it breaks
 * the contract: size a non-negative safe integer, alignment a power of two, size a multiple of
 * the alignment.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkStorable = (call: string, what: string, S: unknown): Storable<any> => {
  const s = S as Partial<Storable<any>> | null | undefined;
  if (
    typeof s !== 'object' ||
    s === null ||
    typeof s.read !== 'function' ||
    typeof s.write !== 'function' ||
    typeof s.codec !== 'object'
  ) {
    throw new TypeError(`${call}: ${what} is not a Storable instance`);
  }
  const { sizeOf, alignment } = s as Storable<any>;
  checkAlignment(`${call}: ${what}`, alignment);
  if (!Number.isSafeInteger(sizeOf) || sizeOf < 0 || sizeOf % alignment !== 0) {
    throw new RangeError(
      `${call}: ${what} has size ${String(sizeOf)}, not a non-negative multiple of its alignment ${alignment}`,
    );
  }
  return s as Storable<any>;
};

/**
 * A member as stored: `aligned(n, S)` unwrapped to `S`, with the explicit alignment `n`
 * (the largest, for nested ones), or `undefined` when there is none.
 *
 * @category utils
 * @since 0.1.0
 */
export const unwrapAligned = (
  S: Storable<any>,
): { stored: Storable<any>; explicit: number | undefined } => {
  let stored = S;
  let explicit: number | undefined;
  while (stored.layout?.tag === 'aligned') {
    explicit = Math.max(explicit ?? 1, stored.layout.align);
    stored = stored.layout.inner;
  }
  return { stored, explicit };
};

/**
 * The alignment of a member in a struct or union: its own (raised by `aligned`), or in a packed
 * one 1 (or the explicit `aligned` value).
 *
 * @category utils
 * @since 0.1.0
 */
export const memberAlignment = (S: Storable<any>, packed: boolean): number => {
  const { stored, explicit } = unwrapAligned(S);
  const natural = packed ? 1 : stored.alignment;
  return Math.max(natural, explicit ?? 1);
};
