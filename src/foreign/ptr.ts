/**
 * `Foreign.Ptr`: typed addresses. A `Ptr<A>` is a plain `number` (the byte offset in its memory,
 * `0` is `nullPtr`) with a phantom type `A`, the type of the values it points to. No object is
 * made per pointer.
 *
 * Haskell leaves pointer arithmetic unchecked and `alignPtr p 0` crashes the process (SIGFPE).
 * Here every function checks its arguments and throws a `RangeError` that names the call and the
 * value: a pointer must be a non-negative safe integer, an offset a safe integer, an alignment a
 * positive power of two.
 *
 * Offsets and alignments may be `bigint`s whose values are safe integers (converted with
 * `Number()`; beyond 2^53 − 1 a `RangeError`), as every size, count, index and offset of this
 * library. Pointers are numbers: a bigint where a pointer is expected is a `TypeError` naming the
 * call; convert it with `wordPtrToPtr(Number(x))`.
 *
 * @since 0.1.0
 */

import { bigintAddress, checkAlignment, integerArgument } from '../arguments/index.js';

export {
  /**
   * Checks that `alignment` is a positive power of two (a safe integer, or a bigint whose value
   * is one) and returns it as a number; throws a `RangeError` naming `call` otherwise.
   *
   * @category utils
   * @since 0.1.0
   */
  checkAlignment,
};

declare const PtrBrand: unique symbol;
declare const FunPtrBrand: unique symbol;
declare const IntPtrBrand: unique symbol;
declare const WordPtrBrand: unique symbol;
declare const OpaqueBrand: unique symbol;

/**
 * The brand of `Ptr<A>`: `any` for `Ptr<any>` (which converts both ways, as before), `unknown`
 * for `Ptr<unknown>` (the top type: every brand is assignable to it), and otherwise a function
 * of `A` in both positions, which makes the phantom type exact.
 */
type PtrBrandOf<A> = 0 extends 1 & A ? any : unknown extends A ? unknown : (a: A) => A;

/**
 * A pointer to values of type `A`: a byte address, a non-negative safe integer. The phantom type
 * is exact (`Ptr<number>` is not a `Ptr<string>`); change it with {@link castPtr}.
 *
 * `Ptr<unknown>` is the top pointer type: every `Ptr<A>` is assignable to it, as a Haskell
 * `Ptr a` becomes a `Ptr ()` (but without the `castPtr`), and nothing is read through it without
 * a cast back (`castPtr<A>(p)`), since no instance has the value type `unknown`. `Ptr<any>`
 * converts both ways, to and from every `Ptr<A>`: it is the type of `nullPtr` and of the base
 * pointer of `peekByteOff`, and it turns the check off; prefer `Ptr<unknown>` for a pointer of
 * no particular type.
 *
 * A `Ptr` is a number at run time, so `p + 4` is a `number`, not a `Ptr`: pointer arithmetic
 * that stays a `Ptr` goes through {@link plusPtr} (which also checks the result).
 *
 * @category model
 * @since 0.1.0
 */
export type Ptr<A> = number & { readonly [PtrBrand]: PtrBrandOf<A> };

/**
 * An opaque C type: Haskell's `data FnBlob` (an empty data declaration), C's incomplete
 * `struct fn_blob;`. It has no values and no Storable instance, so a `Ptr<Opaque<'FnBlob'>>` can
 * be passed around, stored (`wasm32.ptrTo<FnBlob>()`), compared and freed, but never peeked or
 * poked: `peek(CInt, blob)` does not compile. Two opaque types of different names are different
 * types, so a `Ptr<FnBlob>` is not a `Ptr<Window>`.
 *
 * ```ts
 * type FnBlob = Opaque<'FnBlob'>;
 * const blob: Ptr<FnBlob> = wordPtrToPtr(exports.fn_blob_new()); // no cast
 * ```
 *
 * @category model
 * @since 0.1.0
 */
export type Opaque<Name extends string> = { readonly [OpaqueBrand]: Name };

/**
 * A pointer to a function of type `F`: an index into a WebAssembly function table (`0` is
 * {@link nullFunPtr}).
 *
 * @category model
 * @since 0.1.0
 */
export type FunPtr<F> = number & { readonly [FunPtrBrand]: (f: F) => F };

/**
 * A signed integer that converts to and from a pointer without loss (C `intptr_t`). Here it is
 * the address itself, so it is never negative when it comes from a pointer.
 *
 * @category model
 * @since 0.1.0
 */
export type IntPtr = number & { readonly [IntPtrBrand]: true };

/**
 * An unsigned integer that converts to and from a pointer without loss (C `uintptr_t`).
 *
 * @category model
 * @since 0.1.0
 */
export type WordPtr = number & { readonly [WordPtrBrand]: true };

const isAddress = (p: unknown): p is number => Number.isSafeInteger(p) && (p as number) >= 0;

/**
 * Checks that `p` is a pointer (a non-negative safe integer) and returns it; throws a
 * `TypeError` naming `call` for a bigint (pointers are numbers: `wordPtrToPtr(Number(x))`
 * converts one), and a `RangeError` naming `call` for anything else.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkPtr = (call: string, p: unknown, what = 'pointer'): number => {
  if (isAddress(p)) return p;
  if (typeof p === 'bigint') throw bigintAddress(call, what, p);
  throw new RangeError(`${call}: ${what} ${String(p)} is not a non-negative safe integer`);
};

/**
 * Checks that `n` is an offset (a safe integer, or a bigint whose value is one) and returns it
 * as a number; throws a `RangeError` naming `call` otherwise.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkOffset = (call: string, n: unknown, what = 'offset'): number => {
  const m = integerArgument(call, what, n);
  if (!Number.isSafeInteger(m)) {
    throw new RangeError(`${call}: ${what} ${String(m)} is not a safe integer`);
  }
  return m as number;
};

const checkResult = (call: string, result: number, from: number, by: number): number => {
  if (!isAddress(result)) {
    throw new RangeError(
      `${call}: ${from} + ${by} = ${result} is not an address (a non-negative safe integer)`,
    );
  }
  return result;
};

/**
 * The null pointer, address 0, "not associated with a valid memory location". Its phantom type
 * is free, as in Haskell (`nullPtr :: Ptr a`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const nullPtr: Ptr<any> = 0 as Ptr<any>;

/**
 * The null function pointer, table index 0.
 *
 * @category constructors
 * @since 0.1.0
 */
export const nullFunPtr: FunPtr<any> = 0 as FunPtr<any>;

/**
 * The same address with another phantom type. Throws a `RangeError` when `p` is not a pointer.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castPtr = <B>(p: Ptr<any>): Ptr<B> => checkPtr('castPtr', p) as Ptr<B>;

/**
 * The address `n` bytes after `p` (before, for negative `n`). Like Haskell's, the result type is
 * free, so `plusPtr` also casts.
 *
 * Throws a `RangeError` when `p` is not a pointer, `n` not a safe integer, or the result below 0
 * or above 2^53 − 1 (Haskell wraps around silently).
 *
 * A `Ptr` plus a number stays a `Ptr` only through `plusPtr`: `p + 8` is a plain `number` (the
 * brand is a type, and `+` drops it), which a typed call will refuse until it is cast back.
 *
 * @category combinators
 * @since 0.1.0
 */
export const plusPtr = <B = any>(p: Ptr<any>, n: number | bigint): Ptr<B> => {
  const from = checkPtr('plusPtr', p);
  const by = checkOffset('plusPtr', n);
  return checkResult('plusPtr', from + by, from, by) as Ptr<B>;
};

/**
 * The byte offset from `p1` to `p2`, so that `plusPtr(p1, minusPtr(p2, p1)) === p2`. Throws a
 * `RangeError` when either is not a pointer.
 *
 * @category combinators
 * @since 0.1.0
 */
export const minusPtr = (p2: Ptr<any>, p1: Ptr<any>): number =>
  checkPtr('minusPtr', p2) - checkPtr('minusPtr', p1);

/**
 * The smallest address at or above `p` that is a multiple of `alignment`. Idempotent.
 *
 * Haskell's `alignPtr p 0` divides by zero (the process dies of SIGFPE) and a non-power-of-two
 * alignment is accepted; here both throw a `RangeError`, as do a bad pointer and a result above
 * 2^53 − 1.
 *
 * @category combinators
 * @since 0.1.0
 */
export const alignPtr = <A>(p: Ptr<A>, alignment: number | bigint): Ptr<A> => {
  const from = checkPtr('alignPtr', p);
  const a = checkAlignment('alignPtr', alignment);
  const rest = from % a;
  return rest === 0 ? p : (checkResult('alignPtr', from + (a - rest), from, a - rest) as Ptr<A>);
};

/**
 * The same function pointer with another phantom type. Throws a `RangeError` when `f` is not a
 * non-negative safe integer.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castFunPtr = <G>(f: FunPtr<any>): FunPtr<G> =>
  checkPtr('castFunPtr', f, 'function pointer') as FunPtr<G>;

/**
 * A function pointer as a data pointer, with the same number. Meaningful only where code and
 * data share one address space (they do not in WebAssembly: there it is a table index, and
 * reading through it reads whatever data lies at that address).
 *
 * @category conversions
 * @since 0.1.0
 */
export const castFunPtrToPtr = <B>(f: FunPtr<any>): Ptr<B> =>
  checkPtr('castFunPtrToPtr', f, 'function pointer') as Ptr<B>;

/**
 * A data pointer as a function pointer, with the same number. See {@link castFunPtrToPtr}.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castPtrToFunPtr = <G>(p: Ptr<any>): FunPtr<G> =>
  checkPtr('castPtrToFunPtr', p) as FunPtr<G>;

/**
 * A pointer as a signed integer: the address itself. Throws a `RangeError` on a bad pointer.
 *
 * @category conversions
 * @since 0.1.0
 */
export const ptrToIntPtr = (p: Ptr<any>): IntPtr => checkPtr('ptrToIntPtr', p) as IntPtr;

/**
 * A signed integer as a pointer. C allows negative `intptr_t` values (high addresses on 32-bit
 * machines); addresses here are non-negative numbers, so a negative value throws a `RangeError`
 * (convert it with `>>> 0` first if it came from a 32-bit C `intptr_t`).
 *
 * @category conversions
 * @since 0.1.0
 */
export const intPtrToPtr = <A>(i: IntPtr | number): Ptr<A> =>
  checkPtr('intPtrToPtr', i, 'IntPtr') as Ptr<A>;

/**
 * A pointer as an unsigned integer: the address itself. Throws a `RangeError` on a bad pointer.
 *
 * @category conversions
 * @since 0.1.0
 */
export const ptrToWordPtr = (p: Ptr<any>): WordPtr => checkPtr('ptrToWordPtr', p) as WordPtr;

/**
 * An unsigned integer (such as an address returned by a WebAssembly export) as a pointer. Throws
 * a `RangeError` when it is not a non-negative safe integer.
 *
 * @category conversions
 * @since 0.1.0
 */
export const wordPtrToPtr = <A>(w: WordPtr | number): Ptr<A> =>
  checkPtr('wordPtrToPtr', w, 'WordPtr') as Ptr<A>;
