/**
 * `Foreign.Marshal.Utils`: `with` and `new` (a value in temporary or allocated memory),
 * conversions between `Bool` and numbers, the `Maybe` helpers over fp-ts `Option`, `withMany`,
 * and `copyBytes`, `moveBytes`, `fillBytes` over the context's memory.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import * as O from 'fp-ts/lib/Option.js';
import { checkSize } from '../../heap/arguments.js';
import { bytesAt, writableBytesAt } from '../access.js';
import type { Context } from '../context.js';
import { marshalErrorOf } from '../errors.js';
import type { PeekPoke } from '../peekpoke.js';
import { nullPtr, type Ptr } from '../ptr.js';
import type { Storable } from '../storable.js';
import type { MarshalAlloc } from './alloc.js';
import { OverlapError } from './errors.js';

/**
 * `1` for `true`, `0` for `false` (Haskell's `fromBool`).
 *
 * @category utils
 * @since 0.1.0
 */
export const fromBool = (b: boolean): number => (b ? 1 : 0);

/**
 * `false` for `0` (or `0n`), `true` for anything else, as C reads a truth value (Haskell's
 * `toBool`).
 *
 * @category utils
 * @since 0.1.0
 */
export const toBool = (x: number | bigint): boolean => x !== 0 && x !== 0n;

/**
 * `nullPtr` for `None`; otherwise the pointer `f` allocates for the value (Haskell's
 * `maybeNew`, with fp-ts `Option` for `Maybe`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const maybeNew = <A, B>(f: (a: A) => IO<Ptr<B>>, o: O.Option<A>): IO<Ptr<B>> =>
  O.isNone(o) ? () => nullPtr as Ptr<B> : f(o.value);

/**
 * Runs `k` with `nullPtr` for `None`, otherwise with the pointer `f` provides for the value
 * (Haskell's `maybeWith`): `maybeWith(withCString, name, k)`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const maybeWith = <A, B, C>(
  f: (a: A, k: (p: Ptr<B>) => IO<C>) => IO<C>,
  o: O.Option<A>,
  k: (p: Ptr<B>) => IO<C>,
): IO<C> => (O.isNone(o) ? k(nullPtr as Ptr<B>) : f(o.value, k));

/**
 * `None` for `nullPtr`, otherwise `Some` of what `f` reads there (Haskell's `maybePeek`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const maybePeek =
  <A, B>(f: (p: Ptr<A>) => IO<B>, p: Ptr<A>): IO<O.Option<B>> =>
  () =>
    p === nullPtr ? O.none : O.some(f(p)());

/**
 * Nests a `with`-style function over a list: `withMany(withCString, ['a', 'bc'], ps => …)`
 * runs the body with a pointer for each string, all released in reverse order when it ends
 * (Haskell's `withMany`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const withMany = <A, B, R>(
  withOne: (a: A, k: (b: B) => R) => R,
  as: readonly A[],
  f: (bs: readonly B[]) => R,
): R => {
  const go = (i: number, bs: B[]): R =>
    i === as.length ? f(bs) : withOne(as[i]!, (b) => go(i + 1, [...bs, b]));
  return go(0, []);
};

const overlaps = (dest: number, src: number, n: number): boolean =>
  n > 0 && src < dest + n && dest < src + n;

/**
 * The functions of `Foreign.Marshal.Utils` that touch memory, bound to a context.
 *
 * @category constructors
 * @since 0.1.0
 */
export const marshalUtils = (ctx: Context, alloc: MarshalAlloc, _pp: PeekPoke) => {
  const { memory } = ctx;
  return {
    /**
     * Runs `f` with a pointer to `a`, stored in temporary memory released when `f`'s program
     * ends (Haskell's `with`; a reserved word in JavaScript, so also exported as `with_`). A
     * value that does not fit `S` is a `MarshalError`.
     */
    with: <A, B>(S: Storable<A>, a: A, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      alloc.alloca(S, (p: Ptr<A>) => () => {
        if (!S.codec.is(a)) throw marshalErrorOf('with', S.codec, a);
        S.write(writableBytesAt(memory, 'with', p, S.sizeOf), p, a);
        return f(p)();
      }),

    /**
     * Allocates room for `a` with the allocator and stores it there (Haskell's `new`; also
     * exported as `new_`). Returns `nullPtr` when the allocation fails. A value that does not
     * fit `S` is a `MarshalError`, and then nothing is allocated. Free the pointer with `free`.
     */
    new:
      <A>(S: Storable<A>, a: A): IO<Ptr<A>> =>
      () => {
        if (!S.codec.is(a)) throw marshalErrorOf('new', S.codec, a);
        const p = alloc.malloc(S)();
        if (p === nullPtr) return p;
        try {
          S.write(writableBytesAt(memory, 'new', p, S.sizeOf), p, a);
        } catch (e) {
          alloc.free(p)(); // a memory that refuses the write (an area pool without B_WRITE_AREA)
          throw e;
        }
        return p;
      },

    /**
     * Copies `n` bytes from `src` to `dest` (destination first, as C's `memcpy`). The regions
     * must not overlap: Haskell leaves that undefined, here it is an {@link OverlapError} and
     * nothing is copied.
     */
    copyBytes:
      (dest: Ptr<any>, src: Ptr<any>, n: number): IO<void> =>
      () => {
        checkSize('copyBytes', 'n', n);
        bytesAt(memory, 'copyBytes', src, n);
        const v = writableBytesAt(memory, 'copyBytes', dest, n);
        if (overlaps(dest, src, n)) throw new OverlapError('copyBytes', dest, src, n);
        v.u8.copyWithin(dest, src, src + n);
      },

    /** Copies `n` bytes from `src` to `dest`; the regions may overlap (C's `memmove`). */
    moveBytes:
      (dest: Ptr<any>, src: Ptr<any>, n: number): IO<void> =>
      () => {
        checkSize('moveBytes', 'n', n);
        bytesAt(memory, 'moveBytes', src, n);
        writableBytesAt(memory, 'moveBytes', dest, n).u8.copyWithin(dest, src, src + n);
      },

    /** Sets `n` bytes at `p` to `byte`, an integer 0–255 (C's `memset`; a `RangeError` otherwise). */
    fillBytes:
      (p: Ptr<any>, byte: number, n: number): IO<void> =>
      () => {
        if (!Number.isInteger(byte) || byte < 0 || byte > 255) {
          throw new RangeError(`fillBytes: byte must be an integer 0–255, got ${String(byte)}`);
        }
        checkSize('fillBytes', 'n', n);
        writableBytesAt(memory, 'fillBytes', p, n).u8.fill(byte, p, p + n);
      },
  };
};

/**
 * The functions of `Foreign.Marshal.Utils` bound to a context.
 *
 * @category model
 * @since 0.1.0
 */
export type MarshalUtils = ReturnType<typeof marshalUtils>;
