/**
 * The io-ts errors of composite values, with their paths: the slow path of validation, run only
 * after the compiled check has rejected a value, to say where and why.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts';
import { valueKeys } from './anonymous.js';
import type {
  ArrayLayout,
  StructLayout,
  UnionLayout,
  UnionMemberLayout,
} from '../storable/index.js';

const error = (value: unknown, context: t.Context, message: string): t.ValidationError => ({
  value,
  context,
  message,
});

const errorsOf = (
  codec: t.Decoder<unknown, unknown>,
  value: unknown,
  context: t.Context,
): t.Errors => {
  const result = codec.validate(value, context);
  return result._tag === 'Left' ? result.left : [];
};

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null;

/**
 * The errors of a struct value: not an object, missing fields, fields that do not fit.
 *
 * @category utils
 * @since 0.1.0
 */
export const structErrors = (layout: StructLayout, u: unknown, c: t.Context): t.Errors => {
  if (!isObject(u)) return [error(u, c, 'an object is expected')];
  return layout.members.flatMap((m) => {
    // An anonymous union's members are the struct's: its errors are at the struct's path.
    if (m.tag === 'spread') return errorsOf(m.storable.codec, u, c);
    const codec = m.tag === 'field' ? m.storable.codec : m.codec;
    const value = u[m.key];
    const context = t.appendContext(c, m.key, codec, value);
    return m.key in u ? errorsOf(codec, value, context) : [error(value, context, 'missing field')];
  });
};

/** A union member in messages: its key, or an anonymous struct's members in braces. */
const memberLabel = (m: UnionMemberLayout): string =>
  m.spread === true ? `{ ${valueKeys(m.storable).join(', ')} }` : m.key;

/**
 * The errors of a union value: not an object, no member or more than one, a member that does
 * not fit.
 *
 * @category utils
 * @since 0.1.0
 */
export const unionErrors = (layout: UnionLayout, u: unknown, c: t.Context): t.Errors => {
  if (!isObject(u)) return [error(u, c, 'an object is expected')];
  const holds = (m: UnionMemberLayout): boolean =>
    m.spread === true
      ? valueKeys(m.storable).some((k) => u[k] !== undefined)
      : u[m.key] !== undefined;
  const present = layout.members.filter(holds);
  const names = layout.members.map(memberLabel).join(', ');
  const [only] = present;
  if (only === undefined)
    return [error(u, c, `no member present; a union value has exactly one of ${names}`)];
  if (present.length > 1) {
    const keys = present.map(memberLabel).join(' and ');
    return [error(u, c, `${keys} are all present; a union value has exactly one member`)];
  }
  if (only.spread === true) return errorsOf(only.storable.codec, u, c);
  const value = u[only.key];
  return errorsOf(
    only.storable.codec,
    value,
    t.appendContext(c, only.key, only.storable.codec, value),
  );
};

/**
 * The errors of an array value: not an array, the wrong length, elements that do not fit.
 *
 * @category utils
 * @since 0.1.0
 */
export const arrayErrors = (layout: ArrayLayout, u: unknown, c: t.Context): t.Errors => {
  if (!Array.isArray(u)) return [error(u, c, 'an array is expected')];
  if (u.length !== layout.length)
    return [error(u, c, `length ${u.length}, expected ${layout.length}`)];
  const codec = layout.element.codec;
  const errors: t.ValidationError[] = [];
  for (let i = 0; i < u.length; i++) {
    const value: unknown = u[i];
    errors.push(...errorsOf(codec, value, t.appendContext(c, String(i), codec, value)));
  }
  return errors;
};
