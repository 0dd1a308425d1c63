/**
 * `Foreign.Marshal.Utils`: `with` and `new` (a value in temporary or allocated memory),
 * conversions between `Bool` and numbers, the `Maybe` helpers over fp-ts `Option`, `withMany`,
 * and `copyBytes`, `moveBytes`, `fillBytes` over the context's memory.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import type { Option } from 'fp-ts/lib/Option.js';
import * as O from '#fp-ts/Option.js';
import { checkSize, describe, showValue } from '../../arguments/index.js';
import {
  bytesAt,
  marshalErrorOf,
  storableArg,
  writableBytesAt,
  type PeekPoke,
  type Storable,
} from '../storable/index.js';
import { allocateFilled, checkContext, checkParts, type Context } from '../../interface/index.js';
import { checkPtr, nullPtr, type Ptr } from '../ptr.js';
import { allocaFilled, type MarshalAlloc } from './alloc.js';
import { OverlapError } from './overlap-error.js';
import { checkFunction, programOf, programOf2 } from './synchronous.js';

/**
 * `1` for `true`, `0` for `false` (Haskell's `fromBool`). Anything else than a boolean is a
 * `TypeError` (JavaScript's truthiness would turn `'false'` into 1).
 *
 * @category utils
 * @since 0.1.0
 */
export const fromBool = (b: boolean): number => {
  if (typeof b !== 'boolean') throw new TypeError(`fromBool: ${showValue(b)} is not a boolean`);
  return b ? 1 : 0;
};

/**
 * `false` for `0` (or `0n`), `true` for any other number or bigint, as C reads a truth value
 * (Haskell's `toBool`). Anything else than a number or a bigint is a `TypeError`.
 *
 * @category utils
 * @since 0.1.0
 */
export const toBool = (x: number | bigint): boolean => {
  if (typeof x !== 'number' && typeof x !== 'bigint') {
    throw new TypeError(`toBool: ${showValue(x)} is not a number or a bigint`);
  }
  return x !== 0 && x !== 0n;
};

/** `o` when it is an fp-ts `Option`; a `TypeError` naming `call` otherwise. */
const optionArg = <A>(call: string, o: Option<A>): Option<A> => {
  const tag = (o as { _tag?: unknown } | null | undefined)?._tag;
  if (typeof o === 'object' && (tag === 'None' || (tag === 'Some' && 'value' in o))) return o;
  throw new TypeError(`${call}: ${showValue(o)} is not an Option (fp-ts's Some or None)`);
};

/**
 * `nullPtr` for `None`; otherwise the pointer `f` allocates for the value (Haskell's
 * `maybeNew`, with fp-ts `Option` for `Maybe`). Throws a `TypeError` when `f` is not a function
 * returning a program or `o` is not an `Option`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const maybeNew = <A, B>(f: (a: A) => IO<Ptr<B>>, o: Option<A>): IO<Ptr<B>> => {
  checkFunction('maybeNew', 'f', f);
  const opt = optionArg('maybeNew', o);
  return O.isNone(opt) ? () => nullPtr as Ptr<B> : programOf('maybeNew', 'f', f, opt.value);
};

/**
 * Runs `k` with `nullPtr` for `None`, otherwise with the pointer `f` provides for the value
 * (Haskell's `maybeWith`): `maybeWith(withCString, name, k)`. Throws a `TypeError` when `f` or
 * `k` is not a function returning a program, or `o` is not an `Option`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const maybeWith = <A, B, C>(
  f: (a: A, k: (p: Ptr<B>) => IO<C>) => IO<C>,
  o: Option<A>,
  k: (p: Ptr<B>) => IO<C>,
): IO<C> => {
  checkFunction('maybeWith', 'f', f);
  checkFunction('maybeWith', 'the body', k);
  const opt = optionArg('maybeWith', o);
  const body = (p: Ptr<B>): IO<C> => programOf('maybeWith', 'the body', k, p);
  return O.isNone(opt) ? body(nullPtr as Ptr<B>) : programOf2('maybeWith', 'f', f, opt.value, body);
};

/**
 * `None` for `nullPtr`, otherwise `Some` of what `f` reads there (Haskell's `maybePeek`).
 * Throws a `TypeError` when `f` is not a function returning a program, a `RangeError` when `p`
 * is not a pointer.
 *
 * @category combinators
 * @since 0.1.0
 */
export const maybePeek = <A, B>(f: (p: Ptr<A>) => IO<B>, p: Ptr<A>): IO<Option<B>> => {
  checkFunction('maybePeek', 'f', f);
  checkPtr('maybePeek', p);
  return () => (p === nullPtr ? O.none : O.some(programOf('maybePeek', 'f', f, p)()));
};

/**
 * Nests a `with`-style function over a list: `withMany(withCString, ['a', 'bc'], ps => …)`
 * runs the body with a pointer for each string, all released in reverse order when it ends
 * (Haskell's `withMany`). Throws a `TypeError` when `withOne` or `f` is not a function or `as`
 * not an array.
 *
 * @category combinators
 * @since 0.1.0
 */
export const withMany = <A, B, R>(
  withOne: (a: A, k: (b: B) => R) => R,
  as: readonly A[],
  f: (bs: readonly B[]) => R,
): R => {
  checkFunction('withMany', 'withOne', withOne);
  checkFunction('withMany', 'the body', f);
  if (!Array.isArray(as)) throw new TypeError(`withMany: ${showValue(as)} is not an array`);
  const go = (i: number, bs: B[]): R =>
    i === as.length ? f(bs) : withOne(as[i]!, (b) => go(i + 1, [...bs, b]));
  return go(0, []);
};

const overlaps = (dest: number, src: number, n: number): boolean =>
  n > 0 && src < dest + n && dest < src + n;

/**
 * `a` in a new block of the context's allocator, aligned for `S`, or `nullPtr`: the body of
 * `new` (and of `scoped.new`), whose errors name `call`. A value that does not fit `S` is a
 * `MarshalError`, thrown before anything is allocated.
 *
 * @internal
 */
export const newValue = <A>(ctx: Context, call: string, S: Storable<A>, a: A): Ptr<A> => {
  if (!storableArg(call, S).codec.is(a)) throw marshalErrorOf(call, S.codec, a);
  const size = S.sizeOf;
  return allocateFilled(ctx, call, size, S.alignment, (p) =>
    S.write(writableBytesAt(ctx.memory, call, p, size), p, a),
  ) as Ptr<A>;
};

/**
 * The functions of `Foreign.Marshal.Utils` bound to a context.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarshalUtils {
  /**
   * Runs `f` with a pointer to `a`, stored in temporary memory released when `f`'s program
   * ends (Haskell's `with`; a reserved word in JavaScript, so also exported as `with_`).
   *
   * A value that does not fit `S` is a `MarshalError` naming `with`, thrown before anything is
   * allocated. When neither the stack nor the heap has room, it throws an `AllocationError`
   * without running `f` (as `withArray` and `withCString`; GHC throws too): unlike `alloca`'s,
   * the body of `with` is promised a pointer to `a`, and `nullPtr` cannot hold it.
   */
  readonly with: <A, B>(S: Storable<A>, a: A, f: (p: Ptr<A>) => IO<B>) => IO<B>;
  /**
   * Allocates room for `a` with the allocator and stores it there (Haskell's `new`; also
   * exported as `new_`). Returns `nullPtr` when the allocation fails. A value that does not
   * fit `S` is a `MarshalError`, and then nothing is allocated. Free the pointer with `free`.
   */
  readonly new: <A>(S: Storable<A>, a: A) => IO<Ptr<A>>;
  /**
   * Copies `n` bytes from `src` to `dest` (destination first, as C's `memcpy`). The regions
   * must not overlap: Haskell leaves that undefined, here it is an {@link OverlapError} and
   * nothing is copied.
   */
  readonly copyBytes: (dest: Ptr<any>, src: Ptr<any>, count: number | bigint) => IO<void>;
  /** Copies `n` bytes from `src` to `dest`; the regions may overlap (C's `memmove`). */
  readonly moveBytes: (dest: Ptr<any>, src: Ptr<any>, count: number | bigint) => IO<void>;
  /** Sets `n` bytes at `p` to `byte`, an integer 0–255 (C's `memset`; a `RangeError` otherwise). */
  readonly fillBytes: (p: Ptr<any>, byte: number, count: number | bigint) => IO<void>;
}

/**
 * The functions of `Foreign.Marshal.Utils` that touch memory, bound to a context. `alloc` and
 * `pp` are taken for the uniformity of the composition (`foreign(ctx)` builds every module from
 * the same values); `with` and `new` write through the instances' raw accessors after one
 * check of the value and one bounds check. A context or a part that is not one is a `TypeError`
 * naming `marshalUtils`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const marshalUtils = (ctx: Context, alloc: MarshalAlloc, pp: PeekPoke): MarshalUtils => {
  const { memory, stack } = checkContext('marshalUtils', ctx);
  checkParts('marshalUtils', 'alloc', alloc, ['alloca', 'malloc']);
  checkParts('marshalUtils', 'peekPoke', pp, ['poke']);
  return {
    with:
      <A, B>(S: Storable<A>, a: A, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      () => {
        if (!storableArg('with', S).codec.is(a)) throw marshalErrorOf('with', S.codec, a);
        const size = S.sizeOf;
        return allocaFilled(
          stack,
          'with',
          size,
          S.alignment,
          (p: Ptr<A>) => S.write(writableBytesAt(memory, 'with', p, size), p, a),
          f,
        );
      },

    new:
      <A>(S: Storable<A>, a: A): IO<Ptr<A>> =>
      () =>
        newValue(ctx, 'new', S, a),

    copyBytes:
      (dest: Ptr<any>, src: Ptr<any>, count: number | bigint): IO<void> =>
      () => {
        const n = checkSize('copyBytes', 'n', count);
        bytesAt(memory, 'copyBytes', src, n);
        const v = writableBytesAt(memory, 'copyBytes', dest, n);
        if (overlaps(dest, src, n)) throw new OverlapError('copyBytes', dest, src, n);
        v.u8.copyWithin(dest, src, src + n);
      },

    moveBytes:
      (dest: Ptr<any>, src: Ptr<any>, count: number | bigint): IO<void> =>
      () => {
        const n = checkSize('moveBytes', 'n', count);
        bytesAt(memory, 'moveBytes', src, n);
        writableBytesAt(memory, 'moveBytes', dest, n).u8.copyWithin(dest, src, src + n);
      },

    fillBytes:
      (p: Ptr<any>, byte: number, count: number | bigint): IO<void> =>
      () => {
        if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
          throw new RangeError(`fillBytes: byte must be an integer 0–255, got ${describe(byte)}`);
        }
        const n = checkSize('fillBytes', 'n', count);
        writableBytesAt(memory, 'fillBytes', p, n).u8.fill(byte, p, p + n);
      },
  };
};
