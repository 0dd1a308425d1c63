/**
 * The `Storable` instances of Haskell's fixed-size types: `Int8` … `Int64`, `Word8` … `Word64`,
 * `Float`, `Double`, `Bool`, `Char`; and {@link asNumber}, the `number` flavour of the 64-bit
 * ones. All little-endian.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts';
import { showValue } from '../../arguments/index.js';
import { rootLabel } from './marshal-error.js';
import type { ScalarKind } from './layout-description.js';
import { scalarIs, scalarReader, scalarSize, scalarWriter } from './scalars.js';
import { storableArg, type Storable } from './instance.js';

/**
 * An io-ts codec that accepts exactly the values `is` accepts, and encodes as the identity.
 * Throws a `TypeError` when `name` is not a string or `is` not a function.
 *
 * @category constructors
 * @since 0.1.0
 */
export const checkCodec = <A>(name: string, is: (u: unknown) => boolean): t.Type<A, A, unknown> => {
  checkName('checkCodec', name);
  if (typeof is !== 'function') {
    throw new TypeError(`checkCodec: the check must be a function, got ${showValue(is)}`);
  }
  return new t.Type<A, A, unknown>(
    name,
    is as (u: unknown) => u is A,
    (u, c) => (is(u) ? t.success(u as A) : t.failure(u, c)),
    t.identity,
  );
};

/**
 * `name` when it is a string (the name of an instance, for messages); a `TypeError` naming
 * `call` otherwise.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkName = (call: string, name: unknown): string => {
  if (typeof name === 'string') return name;
  throw new TypeError(`${call}: the name must be a string, got ${showValue(name)}`);
};

/**
 * The instance of a scalar representation under a name. The building block of every primitive
 * and C type instance; its size and alignment are the kind's natural size. Throws a `TypeError`
 * when `name` is not a string and a `RangeError` when `kind` is not a scalar kind.
 *
 * @category constructors
 * @since 0.1.0
 */
export const scalar = <A>(name: string, kind: ScalarKind): Storable<A> => {
  checkName('scalar', name);
  if (typeof kind !== 'string' || !Object.hasOwn(scalarSize, kind)) {
    throw new RangeError(
      `scalar: ${showValue(kind)} is not a scalar kind (${Object.keys(scalarSize).join(', ')})`,
    );
  }
  return scalarOf(name, kind);
};

const scalarOf = <A>(name: string, kind: ScalarKind): Storable<A> => ({
  name,
  sizeOf: scalarSize[kind],
  alignment: scalarSize[kind],
  codec: checkCodec<A>(name, scalarIs[kind]),
  read: scalarReader(kind, { path: rootLabel(name), instance: name }),
  write: scalarWriter(kind),
  layout: { tag: 'scalar', kind },
});

/**
 * `Int8`: a signed byte; accepts integers in [−128, 127].
 *
 * @category instances
 * @since 0.1.0
 */
export const Int8: Storable<number> = /* @__PURE__ */ scalar('Int8', 'i8');

/**
 * `Int16`: accepts integers in [−32768, 32767].
 *
 * @category instances
 * @since 0.1.0
 */
export const Int16: Storable<number> = /* @__PURE__ */ scalar('Int16', 'i16');

/**
 * `Int32`: accepts integers in [−2^31, 2^31 − 1].
 *
 * @category instances
 * @since 0.1.0
 */
export const Int32: Storable<number> = /* @__PURE__ */ scalar('Int32', 'i32');

/**
 * `Int64`: a `bigint` in [−2^63, 2^63 − 1], exact. See {@link asNumber} for a `number` flavour.
 *
 * @category instances
 * @since 0.1.0
 */
export const Int64: Storable<bigint> = /* @__PURE__ */ scalar('Int64', 'i64');

/**
 * `Word8`: an unsigned byte; accepts integers in [0, 255] (300 is a `MarshalError`, not 44).
 *
 * @category instances
 * @since 0.1.0
 */
export const Word8: Storable<number> = /* @__PURE__ */ scalar('Word8', 'u8');

/**
 * `Word16`: accepts integers in [0, 65535].
 *
 * @category instances
 * @since 0.1.0
 */
export const Word16: Storable<number> = /* @__PURE__ */ scalar('Word16', 'u16');

/**
 * `Word32`: accepts integers in [0, 2^32 − 1].
 *
 * @category instances
 * @since 0.1.0
 */
export const Word32: Storable<number> = /* @__PURE__ */ scalar('Word32', 'u32');

/**
 * `Word64`: a `bigint` in [0, 2^64 − 1], exact. See {@link asNumber} for a `number` flavour.
 *
 * @category instances
 * @since 0.1.0
 */
export const Word64: Storable<bigint> = /* @__PURE__ */ scalar('Word64', 'u64');

/**
 * `Float`: an IEEE single. Accepts any number and stores it rounded to the nearest single
 * (`Math.fround`), so a peek after a poke returns `Math.fround(x)`, not `x`, when `x` is not a
 * single; NaN payloads are not preserved.
 *
 * @category instances
 * @since 0.1.0
 */
export const Float: Storable<number> = /* @__PURE__ */ scalar('Float', 'f32');

/**
 * `Double`: an IEEE double; accepts any number.
 *
 * @category instances
 * @since 0.1.0
 */
export const Double: Storable<number> = /* @__PURE__ */ scalar('Double', 'f64');

/**
 * Haskell's `Bool`, stored as a C `int` (4 bytes): poke writes 1 or 0, peek returns whether the
 * int is non-zero (so peek then poke rewrites an int 2 as 1). Accepts only booleans.
 *
 * @category instances
 * @since 0.1.0
 */
export const Bool: Storable<boolean> = /* @__PURE__ */ scalar('Bool', 'bool32');

/**
 * Haskell's `Char`: one code point in 4 bytes. Accepts strings of exactly one code point (a
 * surrogate pair counts as one; a lone surrogate is a code point too, as in Haskell). Peek of a
 * value above U+10FFFF is a `MarshalError`.
 *
 * @category instances
 * @since 0.1.0
 */
export const Char: Storable<string> = /* @__PURE__ */ scalar('Char', 'char32');

/**
 * The `number` flavour of a 64-bit integer instance (`Int64`, `Word64`, `CLLong`, `lp64.CSize`,
 * …): the same bytes, read and written as a `number`. Poke refuses values that are not safe
 * integers (beyond ±(2^53 − 1)) and peek of such a value is a `MarshalError`: it never rounds.
 *
 * Throws a `TypeError` when `S` is not a 64-bit integer instance made by this library (or not an
 * instance at all).
 *
 * @category combinators
 * @since 0.1.0
 */
export const asNumber = (S: Storable<bigint>): Storable<number> => {
  const layout = storableArg('asNumber', S).layout;
  if (layout?.tag !== 'scalar' || (layout.kind !== 'i64' && layout.kind !== 'u64')) {
    throw new TypeError(`asNumber: ${S.name} is not a 64-bit integer instance`);
  }
  return scalar(`${S.name} as number`, layout.kind === 'i64' ? 'i64n' : 'u64n');
};
