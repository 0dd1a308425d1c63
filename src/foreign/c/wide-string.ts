/**
 * `Foreign.C.String`'s wide strings: a {@link CWString} is a pointer to `wchar_t`s ending at the
 * first 0; a {@link CWStringLen} a pointer and a count of `wchar_t`s, with no terminator and
 * NULs allowed. `wchar_t` is 4 bytes, signed, holding one Unicode code point (UTF-32) on both
 * data models of this library: clang's wasm32 (wasi-libc) and LP64 Linux (glibc), where
 * `__STDC_ISO_10646__` is defined. A char outside the Basic Multilingual Plane (a surrogate pair
 * in JavaScript) is **one** `wchar_t`: `withCWStringLen('a😀')` gives the count 2, as GHC does
 * on Linux. (Windows's 2-byte UTF-16 `wchar_t` is not a model of this library.)
 *
 * Where GHC is silent, this module is loud, as the UTF-8 functions are:
 *
 * - encoding refuses a lone surrogate (GHC stores it as a `wchar_t` no C library accepts) and,
 *   for a `CWString`, an embedded NUL (GHC silently truncates what C sees), with a
 *   `MarshalError` naming the call, before anything is allocated;
 * - decoding never fails: a `wchar_t` that is not a Unicode scalar value (negative, above
 *   U+10FFFF, or a surrogate) becomes U+FFFD;
 * - `peekCWString` never reads past the end of memory: no terminator is a `MemoryBoundsError`;
 * - a pointer not aligned on 4 bytes is a `RangeError` (undefined behaviour in C).
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import type { Context } from '../../interface/index.js';
import type { AllocationError, MarshalAlloc } from '../marshal/index.js';
import { MarshalError } from '../storable/index.js';
import type { Ptr } from '../ptr.js';
import { unitStrings, type UnitEncoding } from './unit-string.js';

/**
 * A wide C string: a pointer to `CWchar`s (UTF-32 code points) ending at the first 0. Haskell's
 * `type CWString = Ptr CWchar`.
 *
 * @category model
 * @since 0.1.0
 */
export type CWString = Ptr<number>;

/**
 * A wide C string with a count: a pointer to `CWchar`s and their number (in `wchar_t`s, not
 * bytes), no terminator. Haskell's `type CWStringLen = (Ptr CWchar, Int)`.
 *
 * @category model
 * @since 0.1.0
 */
export type CWStringLen = readonly [Ptr<number>, number];

const hex = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** The UTF-32 code points of `s`, checked. */
const encodeWide = (call: string, s: string, terminated: boolean): Int32Array => {
  const out = new Int32Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      throw new MarshalError(
        call,
        terminated ? 'CWString' : 'CWStringLen',
        s,
        terminated ? 'CWString' : 'CWStringLen',
        `lone surrogate ${hex(cp)} at index ${i} is no Unicode scalar value; UTF-32 cannot hold it`,
      );
    }
    if (cp === 0 && terminated) {
      throw new MarshalError(
        call,
        'CWString',
        s,
        'CWString',
        `embedded NUL at index ${i}: a CWString ends at its first NUL; use the CWStringLen ` +
          'functions to keep it',
      );
    }
    if (cp > 0xffff) i++;
    out[n++] = cp;
  }
  return out.subarray(0, n);
};

const CHUNK = 4096;

/** The string of the `wchar_t`s `[from, to)`; what is no scalar value becomes U+FFFD. */
const decodeWide = (v: { i32: Int32Array }, from: number, to: number): string => {
  let s = '';
  const chunk: number[] = [];
  for (let i = from; i < to; i++) {
    const c = v.i32[i]!;
    chunk.push(c < 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff) ? 0xfffd : c);
    if (chunk.length === CHUNK) {
      s += String.fromCodePoint(...chunk);
      chunk.length = 0;
    }
  }
  return s + String.fromCodePoint(...chunk);
};

const WIDE: UnitEncoding = {
  name: 'CWString',
  lenName: 'CWStringLen',
  unit: 4,
  encode: encodeWide,
  decode: decodeWide,
  names: [
    'newCWString',
    'peekCWString',
    'withCWString',
    'newCWStringLen',
    'peekCWStringLen',
    'withCWStringLen',
  ],
};

/**
 * The keys of `CWStringFunctions['either']`: the one list the package root and `foreign(ctx)`
 * bind.
 *
 * @category model
 * @since 0.1.0
 */
export const EITHER_CWSTRING_KEYS = ['newCWString', 'newCWStringLen'] as const;

/**
 * The wide-string functions bound to a context: what {@link cWString} returns. The errors of
 * bad arguments are those of the `CString` functions (a `MarshalError` for a value that is not a
 * string or a pair, a `RangeError` for a bad pointer or count, a `NullPointerError` for
 * `nullPtr`, a `MemoryBoundsError` past the end of memory), and a `RangeError` for a pointer not
 * aligned on 4.
 *
 * @category model
 * @since 0.1.0
 */
export interface CWStringFunctions {
  /**
   * Copies `s` into a new block of the context's allocator as UTF-32 `wchar_t`s ending with a 0,
   * and returns its address; release it with `free`. `nullPtr` when there is no room (nothing
   * leaked; `either.newCWString` gives an `AllocationError`). Refuses, allocating nothing, a
   * lone surrogate and an embedded NUL (a `MarshalError`).
   */
  readonly newCWString: (s: string) => IO<CWString>;
  /** Reads the `wchar_t`s at `p` up to the first 0; a non-scalar value becomes U+FFFD. */
  readonly peekCWString: (p: CWString) => IO<string>;
  /**
   * Runs `f` with `s` as a 0-terminated UTF-32 string on the context's alloca stack, released
   * when `f`'s program ends (returns or throws).
   */
  readonly withCWString: <B>(s: string, f: (p: CWString) => IO<B>) => IO<B>;
  /**
   * Copies `s` into a new block as UTF-32 `wchar_t`s with no terminator (NULs kept), and returns
   * the pointer and the count of `wchar_t`s (one per code point: `'a😀'` is 2). `[nullPtr, 0]`
   * when there is no room.
   */
  readonly newCWStringLen: (s: string) => IO<CWStringLen>;
  /** Reads exactly `n` `wchar_t`s at `p` (`[nullPtr, 0]` reads `""`). */
  readonly peekCWStringLen: (
    sl: CWStringLen | readonly [Ptr<number>, number | bigint],
  ) => IO<string>;
  /** Runs `f` with `s` as UTF-32 `wchar_t`s and their count in temporary memory. */
  readonly withCWStringLen: <B>(s: string, f: (sl: CWStringLen) => IO<B>) => IO<B>;
  /** The allocating functions with an `AllocationError` on the left instead of `nullPtr`. */
  readonly either: EitherCWStrings;
}

/**
 * The allocating wide-string functions with an `AllocationError` on the left.
 *
 * @category model
 * @since 0.1.0
 */
export interface EitherCWStrings {
  /** As `newCWString`, with an `AllocationError` naming `either.newCWString` on the left. */
  readonly newCWString: (s: string) => IOEither<AllocationError, CWString>;
  /** As `newCWStringLen`, with an `AllocationError` naming `either.newCWStringLen` on the left. */
  readonly newCWStringLen: (s: string) => IOEither<AllocationError, CWStringLen>;
}

/**
 * The wide-string functions of `Foreign.C.String` bound to a context: `new*` allocate with its
 * allocator, `with*` on its alloca stack, `peek*` read its memory. A `ctx` that is not a
 * context, or an `alloc` that is not a `marshalAlloc`, is a `TypeError` naming `cWString`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const cWString = (ctx: Context, alloc: MarshalAlloc): CWStringFunctions => {
  const u = unitStrings('cWString', WIDE, ctx, alloc);
  return {
    newCWString: u.new,
    peekCWString: u.peek,
    withCWString: u.with,
    newCWStringLen: u.newLen,
    peekCWStringLen: u.peekLen,
    withCWStringLen: u.withLen,
    either: { newCWString: u.eitherNew, newCWStringLen: u.eitherNewLen },
  };
};
