/**
 * Checks shared by the composite combinators: their options, member keys, and the unwrapping of
 * `aligned(n, S)` members (the Storable contract of members is `checkStorable`, in storable/).
 *
 * @since 0.1.0
 */
import { checkAlignment, showValue } from '../../arguments/index.js';
import { checkName, type Storable } from '../storable/index.js';

/**
 * The options of a struct or union (a name, or an object): the object, with `name` a string,
 * `packed` a boolean and `align` a positive power of two (a bigint converted to its number) when
 * they are given. Throws a `TypeError` (`RangeError` for `align`) naming `call` otherwise.
 *
 * @category utils
 * @since 0.1.0
 */
export const layoutOptions = <
  O extends { name?: string; packed?: boolean; align?: number | bigint },
>(
  call: string,
  options: string | O | undefined,
): O & { readonly align?: number } => {
  if (typeof options === 'string') return { name: options } as O & { readonly align?: number };
  if (options === undefined) return {} as O & { readonly align?: number };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${call}: options must be a name or an object, got ${showValue(options)}`);
  }
  if (options.name !== undefined) checkName(call, options.name);
  if (options.packed !== undefined && typeof options.packed !== 'boolean') {
    throw new TypeError(`${call}: packed must be a boolean, got ${showValue(options.packed)}`);
  }
  const { align } = options;
  if (align === undefined) return options as O & { readonly align?: undefined };
  return { ...options, align: checkAlignment(call, align) };
};

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

/**
 * The name of `S` in messages: its `name` when it has one (an instance), else the value shown.
 *
 * @category utils
 * @since 0.1.0
 */
export const nameOf = (S: unknown): string =>
  typeof S === 'object' && S !== null && typeof (S as { name?: unknown }).name === 'string'
    ? (S as { name: string }).name
    : showValue(S);
