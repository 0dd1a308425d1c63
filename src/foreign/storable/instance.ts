import type * as t from 'io-ts';
import { checkAlignment, showValue } from '../../arguments/index.js';
import type { Views } from '../../memory/index.js';
import type { Layout } from './layout-description.js';

/**
 * A `Storable` instance: how values of type `A` are laid out in memory, as a dictionary passed
 * by value (`peek(CInt, p)`), the way fp-ts and io-ts pass instances.
 *
 * `read` and `write` are the raw accessors that the IO functions (`peek`, `poke`, …) and the
 * generated struct code call. They do no bounds check (the caller has made sure, through
 * `Memory.ensure`, that `p + sizeOf` is inside `v`) and `write` does no validation (the caller
 * has checked `codec.is(a)` unless it asked for the unchecked flavour).
 *
 * Laws (checked as properties for every instance): poke then peek returns the value; peek then
 * poke changes no byte; poke twice keeps the last; the ElemOff and ByteOff forms agree.
 *
 * @category model
 * @since 0.1.0
 */
export interface Storable<A> {
  /** A C-like name for messages, such as `CInt` or `struct { x: CDouble; y: CDouble }`. */
  readonly name: string;
  /** Size in bytes, a multiple of `alignment` (trailing padding included, as C's `sizeof`). */
  readonly sizeOf: number;
  /** Alignment in bytes, a power of two. */
  readonly alignment: number;
  /** The io-ts codec of the values this instance accepts; `poke` validates with `codec.is`. */
  readonly codec: t.Type<A, A, unknown>;
  /**
   * Reads the value at address `p`. Throws `MarshalError` only for bytes that encode no value
   * of `A` (an enum tag with no name, a code point above U+10FFFF, a 64-bit integer beyond
   * 2^53 in a `number` flavour).
   */
  readonly read: (v: Views, p: number) => A;
  /** Writes `a` at address `p`, padding bytes as zero. `a` must satisfy `codec.is`. */
  readonly write: (v: Views, p: number, a: A) => void;
  /**
   * What the bytes are, for the layout compilers (optional; added by this library). Instances
   * made by this library's constructors and combinators carry it, and struct code is compiled
   * from it into straight-line reads and writes. An instance without it (a hand-written one) is
   * still usable everywhere: compiled code calls its `read` and `write`.
   */
  readonly layout?: Layout;
}

/**
 * The type of the values of a Storable instance, as io-ts's `TypeOf`:
 * `StorableOf<typeof Particle>`.
 *
 * @category model
 * @since 0.1.0
 */
export type StorableOf<S> = S extends Storable<infer A> ? A : never;

/**
 * The size in bytes of the values of an instance (Haskell's `sizeOf`, which ignores its
 * argument; here the instance is the argument). Throws a `TypeError` naming `sizeOf` when `S` is
 * not an instance.
 *
 * @category utils
 * @since 0.1.0
 */
export const sizeOf = <A>(S: Storable<A>): number => storableArg('sizeOf', S).sizeOf;

/**
 * The alignment in bytes of an instance (Haskell's `alignment`): a power of two. Throws a
 * `TypeError` naming `alignment` when `S` is not an instance.
 *
 * @category utils
 * @since 0.1.0
 */
export const alignment = <A>(S: Storable<A>): number => storableArg('alignment', S).alignment;

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
    typeof s.codec !== 'object' ||
    s.codec === null ||
    typeof s.codec.is !== 'function'
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
 * `S` when it has the shape of a Storable instance (its accessors, size, alignment and codec); the
 * `TypeError` or `RangeError` of {@link checkStorable} otherwise, naming `call` and showing the
 * value: `peek: "CInt" is not a Storable instance`. The contract (a power-of-two alignment, a size
 * that is a multiple of it) is checked only on that path: combinators check it when they build.
 *
 * @category utils
 * @since 0.1.0
 */
export const storableArg = <A>(call: string, S: Storable<A>): Storable<A> => {
  // The common case first, cheap (it runs in every alloca): the message is made only for a bad S.
  const s = S as Partial<Storable<A>> | null;
  if (
    typeof s === 'object' &&
    s !== null &&
    typeof s.read === 'function' &&
    typeof s.write === 'function' &&
    typeof s.sizeOf === 'number' &&
    typeof s.alignment === 'number' &&
    typeof s.codec === 'object'
  ) {
    return S;
  }
  return checkStorable(call, showValue(S), S) as Storable<A>;
};
