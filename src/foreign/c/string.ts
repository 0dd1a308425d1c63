/**
 * `Foreign.C.String`: strings in C's memory. A {@link CString} is a pointer to NUL-terminated
 * bytes; a {@link CStringLen} is a pointer and a length in bytes, with no terminator and NULs
 * allowed. The encoding is always UTF-8, never a locale.
 *
 * Where GHC is silent, this module is loud, and where GHC is lossy, this module says so:
 *
 * - encoding refuses a string it cannot represent with a `MarshalError` naming the call (GHC
 *   drops a lone surrogate silently, and an embedded NUL silently truncates what C sees);
 * - decoding never fails: a malformed byte sequence becomes U+FFFD, as `TextDecoder` does (GHC
 *   drops it silently);
 * - `peekCString` never reads past the end of memory looking for a NUL: no terminator is a
 *   `MemoryBoundsError` (undefined behaviour in Haskell);
 * - the `castChar*` functions refuse a char above U+00FF with a `RangeError` (GHC truncates).
 *
 * Arguments are checked when the program runs, before anything is allocated or written: a
 * value of the wrong kind (a number for a string) is a `MarshalError`; a body that is not a
 * function returning a program, a `TypeError`; a pointer that is not an address, or a length
 * that is not a non-negative safe integer, a `RangeError`; bytes through `nullPtr` a
 * `NullPointerError`.
 *
 * @since 0.1.0
 */
import * as E from '#fp-ts/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import { MALLOC_ALIGNMENT, checkSize } from '../../arguments/index.js';
import type { Memory } from '../../memory/index.js';
import { bytesAt, writableBytesAt, MarshalError } from '../storable/index.js';
import { allocateFilled, checkContext, checkParts, type Context } from '../../interface/index.js';
import { AllocationError, allocaFilled, programOf, type MarshalAlloc } from '../marshal/index.js';
import { nullPtr, type Ptr } from '../ptr.js';
import { decodeUtf8Replacing } from './utf8-replace.js';
import { encodeUtf8Into, utf8Length } from './utf8.js';

/**
 * A C string: a pointer to `CChar`s (UTF-8 bytes) ending at the first NUL byte. Haskell's
 * `type CString = Ptr CChar`.
 *
 * @category model
 * @since 0.1.0
 */
export type CString = Ptr<number>;

/**
 * A C string with an explicit length: a pointer to `CChar`s and their number in **bytes**, with
 * no terminator; NUL bytes inside are part of the string. Haskell's
 * `type CStringLen = (Ptr CChar, Int)`.
 *
 * @category model
 * @since 0.1.0
 */
export type CStringLen = readonly [Ptr<number>, number];

// -----------------------------------------------------------------------------------------------
// Argument checks

const hex = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

const kindOf = (x: unknown): string =>
  x === null ? 'null' : Array.isArray(x) ? 'an array' : `a ${typeof x}`;

/** The index of the first lone surrogate of `s`, or -1. */
const loneSurrogateAt = (s: string): number => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const d = s.charCodeAt(i + 1);
    if (c > 0xdbff || !(d >= 0xdc00 && d <= 0xdfff)) return i;
    i++;
  }
  return -1;
};

/**
 * The UTF-8 byte length of the string argument `s` of `call`. Throws a `MarshalError` when `s`
 * is not a string, is not well-formed UTF-16 (a lone surrogate), or, for a `CString`, holds a
 * NUL.
 *
 * @internal
 */
export const encodedLength = (
  call: string,
  instance: 'CString' | 'CStringLen',
  s: unknown,
): number => {
  if (typeof s !== 'string') {
    throw new MarshalError(call, instance, s, instance, `expected a string, got ${kindOf(s)}`);
  }
  const n = utf8Length(s);
  if (n < 0) {
    const i = loneSurrogateAt(s);
    throw new MarshalError(
      call,
      instance,
      s,
      instance,
      `lone surrogate ${hex(s.charCodeAt(i))} at index ${i} has no UTF-8 encoding`,
    );
  }
  if (instance === 'CString') {
    const i = s.indexOf('\0');
    if (i >= 0) {
      throw new MarshalError(
        call,
        instance,
        s,
        instance,
        `embedded NUL at index ${i} (byte ${utf8Length(s.slice(0, i))}): a CString ends at its ` +
          'first NUL; use the CStringLen functions to keep it',
      );
    }
  }
  return n;
};

/** The pointer and length of a `CStringLen` argument, checked. */
const checkCStringLen = (call: string, csl: unknown): CStringLen => {
  if (!Array.isArray(csl) || csl.length !== 2) {
    throw new MarshalError(
      call,
      'CStringLen',
      csl,
      'CStringLen',
      `expected a [pointer, length] pair, got ${kindOf(csl)}`,
    );
  }
  const n = checkSize(call, 'length', csl[1]);
  return [csl[0] as Ptr<number>, n];
};

/**
 * The code point of a "char" argument: a string of exactly one code point (a surrogate pair is
 * one; a lone surrogate is one too, as Haskell's `Char` includes the surrogates). Throws a
 * `MarshalError` otherwise.
 */
const codePointOf = (call: string, c: unknown): number => {
  if (typeof c !== 'string') {
    throw new MarshalError(call, 'Char', c, 'Char', `expected a string, got ${kindOf(c)}`);
  }
  const cp = c.codePointAt(0);
  if (cp === undefined || c.length !== (cp > 0xffff ? 2 : 1)) {
    throw new MarshalError(call, 'Char', c, 'Char', 'a char is a string of exactly one code point');
  }
  return cp;
};

/** The Latin-1 byte of a char argument; a `RangeError` above U+00FF. */
const latin1 = (call: string, c: string): number => {
  const cp = codePointOf(call, c);
  if (cp > 0xff) {
    throw new RangeError(
      `${call}: char ${JSON.stringify(c)} (${hex(cp)}) is above U+00FF; ` +
        'a C char holds a Latin-1 char only',
    );
  }
  return cp;
};

/** The byte (0–255) of a C char value `x` in `[lo, hi]`; throws otherwise. */
const cCharByte = (call: string, instance: string, x: unknown, lo: number, hi: number): number => {
  if (typeof x !== 'number') {
    throw new MarshalError(call, instance, x, instance, `expected a number, got ${kindOf(x)}`);
  }
  if (!Number.isInteger(x) || x < lo || x > hi) {
    throw new RangeError(`${call}: ${String(x)} is not a ${instance} (an integer ${lo} to ${hi})`);
  }
  return x & 0xff;
};

const signed = (byte: number): number => (byte > 0x7f ? byte - 0x100 : byte);

/**
 * Writes the `n` UTF-8 bytes of `s` (measured by {@link encodedLength}) at `p` in `memory`, and a
 * NUL after them when `terminate`.
 *
 * @internal
 */
export const writeCString = (
  memory: Memory,
  call: string,
  s: string,
  n: number,
  p: number,
  terminate: boolean,
): void => {
  const u8 = writableBytesAt(memory, call, p, terminate ? n + 1 : n).u8;
  encodeUtf8Into(s, u8, p);
  if (terminate) u8[p + n] = 0;
};

// -----------------------------------------------------------------------------------------------
// Context-free functions

/**
 * Whether the char `c` survives a trip through `withCString` and `peekCString`: true for every
 * Unicode scalar value except NUL. False for NUL (a `CString` ends there, so it cannot hold one)
 * and for a lone surrogate (it has no UTF-8 encoding). The answer does not depend on a locale.
 *
 * GHC defines it by that round trip in the locale's encoding, so its answer changes with the
 * locale (the euro sign is false in the C locale); its source says "pretty much anyone who uses
 * this function is in a state of sin". GHC also answers false for NUL.
 *
 * Throws a `MarshalError` when `c` is not a string of exactly one code point.
 *
 * @category utils
 * @since 0.1.0
 */
export const charIsRepresentable =
  (c: string): IO<boolean> =>
  () => {
    const cp = codePointOf('charIsRepresentable', c);
    return cp !== 0 && (cp < 0xd800 || cp > 0xdfff);
  };

/**
 * The `CChar` (a signed byte, −128 to 127) of a Latin-1 char: `'é'` (U+00E9) gives −23.
 *
 * GHC silently truncates a char above U+00FF (`'\x100'` gives 0); here that is a `RangeError`
 * naming the call and the char. Not a string of exactly one code point: a `MarshalError`.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castCharToCChar = (c: string): number => signed(latin1('castCharToCChar', c));

/**
 * The Latin-1 char of a `CChar`, read as an unsigned byte: −1 gives `'\xff'`, −23 gives `'é'`.
 *
 * A number that is not an integer from −128 to 127 is a `RangeError` (GHC cannot be given one);
 * a value that is not a number, a `MarshalError`.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castCCharToChar = (x: number): string =>
  String.fromCharCode(cCharByte('castCCharToChar', 'CChar', x, -0x80, 0x7f));

/**
 * The `CUChar` (an unsigned byte, 0 to 255) of a Latin-1 char: `'é'` gives 233.
 *
 * A char above U+00FF is a `RangeError` (GHC truncates it silently); not a string of exactly one
 * code point, a `MarshalError`.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castCharToCUChar = (c: string): number => latin1('castCharToCUChar', c);

/**
 * The Latin-1 char of a `CUChar`: 233 gives `'é'`. A number that is not an integer from 0 to
 * 255 is a `RangeError`; a value that is not a number, a `MarshalError`.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castCUCharToChar = (x: number): string =>
  String.fromCharCode(cCharByte('castCUCharToChar', 'CUChar', x, 0, 0xff));

/**
 * The `CSChar` (a signed byte, −128 to 127) of a Latin-1 char: `'é'` gives −23.
 *
 * A char above U+00FF is a `RangeError` (GHC truncates it silently); not a string of exactly one
 * code point, a `MarshalError`.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castCharToCSChar = (c: string): number => signed(latin1('castCharToCSChar', c));

/**
 * The Latin-1 char of a `CSChar`, read as an unsigned byte: −1 gives `'\xff'`. A number that is
 * not an integer from −128 to 127 is a `RangeError`; a value that is not a number, a
 * `MarshalError`.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castCSCharToChar = (x: number): string =>
  String.fromCharCode(cCharByte('castCSCharToChar', 'CSChar', x, -0x80, 0x7f));

// -----------------------------------------------------------------------------------------------
// Context-bound functions

/**
 * `s` UTF-8 encoded in a new block of the context's allocator, NUL-terminated when `terminate`:
 * the pointer (`nullPtr` when the block cannot be had; nothing is leaked) and the length in
 * bytes without the NUL. The body of `newCString`, `newCStringLen` and their `either` and
 * `scoped` forms; the errors name `call`.
 *
 * @internal
 */
export const newEncoded = (
  ctx: Context,
  call: string,
  s: string,
  terminate: boolean,
): CStringLen => {
  const n = encodedLength(call, terminate ? 'CString' : 'CStringLen', s);
  const p = allocateFilled(ctx, call, terminate ? n + 1 : n, MALLOC_ALIGNMENT, (p) =>
    writeCString(ctx.memory, call, s, n, p, terminate),
  );
  return [p as CString, n];
};

/**
 * The keys of `CStringFunctions['either']`: the one list the package root and `foreign(ctx)`
 * bind.
 *
 * @category model
 * @since 0.1.0
 */
export const EITHER_CSTRING_KEYS = ['newCString', 'newCStringLen'] as const;

/**
 * The functions of `Foreign.C.String` bound to a context: what {@link cString} returns.
 *
 * @category model
 * @since 0.1.0
 */
export interface CStringFunctions {
  /**
   * Copies `s` into a new block from the context's allocator, UTF-8 encoded and NUL-terminated,
   * and returns its address. Release it with `free` (or `finalizerFree`).
   *
   * Returns `nullPtr` when the block cannot be allocated, as the Haskell 2010 report says
   * (GHC throws); nothing is leaked. `either.newCString` returns an `AllocationError` instead.
   *
   * Throws a `MarshalError`, allocating nothing, when `s` is not a string, holds a NUL (the
   * error says where; GHC silently truncates what C sees there) or a lone surrogate (GHC drops
   * it silently).
   */
  readonly newCString: (s: string) => IO<CString>;
  /**
   * Reads the string at `p`: the bytes up to the first NUL, decoded as UTF-8.
   *
   * Malformed UTF-8 never fails: each maximal malformed subsequence becomes one U+FFFD, as
   * `TextDecoder` does with `fatal: false`, except that a leading byte order mark is kept as
   * U+FEFF (GHC's locale decoder drops malformed bytes silently).
   *
   * Bytes with no NUL before the end of memory are a `MemoryBoundsError` naming `peekCString`,
   * never a read past the end (undefined in Haskell). `nullPtr` is a `NullPointerError`; a `p`
   * that is not an address, a `RangeError`.
   */
  readonly peekCString: (p: CString) => IO<string>;
  /**
   * Runs `f` with `s` as a NUL-terminated UTF-8 string in temporary memory from the context's
   * alloca stack, released when `f`'s program ends: it returns, throws, or returns a `Left`.
   * The pointer must not be used after that. The buffer is exactly the encoded length plus
   * one (GHC guesses a size and doubles it until the encoding fits).
   *
   * Throws a `MarshalError` before anything is allocated when `s` is not a string, holds a NUL
   * (GHC truncates silently) or a lone surrogate (GHC drops it); an `AllocationError` when
   * neither the stack nor the heap has room, without running `f`.
   */
  readonly withCString: <B>(s: string, f: (p: CString) => IO<B>) => IO<B>;
  /**
   * Copies `s` into a new block from the context's allocator, UTF-8 encoded and **not**
   * NUL-terminated (as GHC), and returns the pointer and the length in bytes. NULs in `s` are
   * kept. Release the pointer with `free`; for the empty string it is a unique block of 0
   * bytes, which must be freed too.
   *
   * Returns `[nullPtr, 0]` when the block cannot be allocated (the Haskell 2010 report's
   * `nullPtr`; GHC throws); nothing is leaked. `either.newCStringLen` returns an
   * `AllocationError` instead.
   *
   * Throws a `MarshalError`, allocating nothing, when `s` is not a string or holds a lone
   * surrogate (GHC drops it silently).
   */
  readonly newCStringLen: (s: string) => IO<CStringLen>;
  /**
   * Reads exactly `n` bytes at `p` and decodes them as UTF-8; NUL bytes are kept as `'\0'`.
   * Malformed UTF-8 becomes U+FFFD as in `peekCString`.
   *
   * Throws a `RangeError` when `n` is not a non-negative safe integer (GHC reads nothing for a
   * negative length) or `p` is not an address, a `NullPointerError` for `nullPtr` with `n > 0`
   * (`[nullPtr, 0]` reads `""`), a `MemoryBoundsError` when the bytes run past the end of
   * memory, and a `MarshalError` when the argument is not a `[pointer, length]` pair.
   */
  readonly peekCStringLen: (
    csl: CStringLen | readonly [Ptr<number>, number | bigint],
  ) => IO<string>;
  /**
   * Runs `f` with `s` as UTF-8 bytes (pointer and length, no terminator, NULs kept) in
   * temporary memory from the context's alloca stack, released when `f`'s program ends. The
   * buffer is exactly the encoded length; for the empty string the pointer is valid and
   * distinct, the length 0.
   *
   * Throws a `MarshalError` before anything is allocated when `s` is not a string or holds a
   * lone surrogate (GHC drops it silently); an `AllocationError` when there is no room,
   * without running `f`.
   */
  readonly withCStringLen: <B>(s: string, f: (csl: CStringLen) => IO<B>) => IO<B>;
  /** The allocating functions with an `AllocationError` on the left instead of `nullPtr`. */
  readonly either: EitherCStrings;
}

/**
 * The allocating functions with an `AllocationError` on the left instead of `nullPtr`.
 *
 * @category model
 * @since 0.1.0
 */
export interface EitherCStrings {
  /**
   * As `newCString`, with an `AllocationError` (naming `either.newCString` and the bytes
   * asked for) on the left when the block cannot be allocated. Bad arguments still throw.
   */
  readonly newCString: (s: string) => IOEither<AllocationError, CString>;
  /**
   * As `newCStringLen`, with an `AllocationError` (naming `either.newCStringLen` and the
   * bytes asked for) on the left when the block cannot be allocated. Bad arguments still
   * throw.
   */
  readonly newCStringLen: (s: string) => IOEither<AllocationError, CStringLen>;
}

/**
 * The functions of `Foreign.C.String` that touch memory, bound to a context: `new*` allocate
 * with its allocator, `with*` on its alloca stack, `peek*` read its memory. `alloc` is taken for
 * the uniformity of the composition (`foreign(ctx)` builds every module from the same values).
 * A `ctx` that is not a context, or an `alloc` that is not a `marshalAlloc`, is a `TypeError`
 * naming `cString`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const cString = (ctx: Context, alloc: MarshalAlloc): CStringFunctions => {
  const { memory, stack } = checkContext('cString', ctx);
  checkParts('cString', 'alloc', alloc, ['mallocBytes', 'free', 'allocaBytes']);

  /** Runs `k` with `s` (its `n` bytes, checked) in temporary memory. */
  const temporary = <B>(
    call: string,
    s: string,
    n: number,
    terminate: boolean,
    k: (p: CString) => IO<B>,
  ): B =>
    allocaFilled(
      stack,
      call,
      terminate ? n + 1 : n,
      MALLOC_ALIGNMENT,
      (p: CString) => writeCString(memory, call, s, n, p, terminate),
      k,
    );

  /** `[nullPtr, 0]` for a failed allocation, as GHC's `newCStringLen` has no pointer then. */
  const newCStringLen = (call: string, s: string): CStringLen => {
    const csl = newEncoded(ctx, call, s, false);
    return csl[0] === nullPtr ? [nullPtr, 0] : csl;
  };

  return {
    newCString:
      (s: string): IO<CString> =>
      () =>
        newEncoded(ctx, 'newCString', s, true)[0],

    peekCString:
      (p: CString): IO<string> =>
      () => {
        let u8 = bytesAt(memory, 'peekCString', p, 1).u8;
        let end = u8.indexOf(0, p);
        while (end < 0) {
          // No NUL in the current views: they may be stale (the memory grew). Renew them, or
          // throw MemoryBoundsError when the memory really ends there.
          u8 = memory.ensure(p, u8.length - p + 1, 'peekCString').u8;
          end = u8.indexOf(0, p);
        }
        return decodeUtf8Replacing(u8, p, end);
      },

    withCString:
      <B>(s: string, f: (p: CString) => IO<B>): IO<B> =>
      () =>
        temporary('withCString', s, encodedLength('withCString', 'CString', s), true, f),

    newCStringLen:
      (s: string): IO<CStringLen> =>
      () =>
        newCStringLen('newCStringLen', s),

    peekCStringLen:
      (csl: CStringLen | readonly [Ptr<number>, number | bigint]): IO<string> =>
      () => {
        const [p, n] = checkCStringLen('peekCStringLen', csl);
        const u8 = bytesAt(memory, 'peekCStringLen', p, n).u8;
        return decodeUtf8Replacing(u8, p, p + n);
      },

    withCStringLen:
      <B>(s: string, f: (csl: CStringLen) => IO<B>): IO<B> =>
      () => {
        const n = encodedLength('withCStringLen', 'CStringLen', s);
        return temporary('withCStringLen', s, n, false, (p) =>
          programOf('withCStringLen', 'the body', f, [p, n]),
        );
      },

    either: {
      newCString:
        (s: string): IOEither<AllocationError, CString> =>
        () => {
          const [p, n] = newEncoded(ctx, 'either.newCString', s, true);
          return p === nullPtr
            ? E.left(new AllocationError('either.newCString', n + 1))
            : E.right(p);
        },

      newCStringLen:
        (s: string): IOEither<AllocationError, CStringLen> =>
        () => {
          const csl = newEncoded(ctx, 'either.newCStringLen', s, false);
          return csl[0] === nullPtr
            ? E.left(new AllocationError('either.newCStringLen', csl[1]))
            : E.right(csl);
        },
    },
  };
};
