/**
 * `Foreign.C.String`'s 8-bit strings, the `CAString` functions: one byte per char, no encoding.
 * A string made by them is a `CString` (NUL-terminated) or a `CStringLen` (a byte count), as in
 * Haskell; only the conversion differs from the UTF-8 functions.
 *
 * Each char becomes one byte as GHC's `castCharToCChar` makes it: **its code point truncated to
 * the low 8 bits**. Chars up to U+00FF (ASCII and Latin-1) survive; every other char is silently
 * changed, as in GHC: `'€'` (U+20AC) becomes byte 0xAC (`'¬'` when read back), `'😀'` (U+1F600)
 * byte 0x00. Reading is Latin-1: byte `b` is char `U+00bb`, so ASCII and Latin-1 strings round-trip
 * and nothing else does. (This library's `castCharToCChar` refuses a char above U+00FF; the
 * `CAString` functions keep GHC's truncation, since truncation is what they are for. Use the
 * UTF-8 `CString` functions for text.)
 *
 * Where GHC silently cuts the string, this library refuses: for the NUL-terminated forms
 * (`newCAString`, `withCAString`) a NUL, or a char that truncates to 0 (U+0100, U+0200, …,
 * U+1F600), is a `MarshalError` naming the call, before anything is allocated. The `…Len` forms
 * keep it as a 0 byte. A char is a code point: a surrogate pair is one char (one byte); a lone
 * surrogate, a char of its own (its low 8 bits, as GHC's `Char`).
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import type { Context } from '../../interface/index.js';
import type { AllocationError, MarshalAlloc } from '../marshal/index.js';
import { MarshalError } from '../storable/index.js';
import type { Ptr } from '../ptr.js';
import type { CString, CStringLen } from './string.js';
import { unitStrings, type UnitEncoding } from './unit-string.js';

const hex = (code: number): string => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/** The bytes of `s`, each code point truncated to 8 bits; checked for the terminated form. */
const encodeAscii = (call: string, s: string, terminated: boolean): Uint8Array => {
  const out = new Uint8Array(s.length);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    const byte = cp & 0xff;
    if (byte === 0 && terminated) {
      throw new MarshalError(
        call,
        'CString',
        s,
        'CString',
        cp === 0
          ? `embedded NUL at index ${i}: a CString ends at its first NUL; use the CAStringLen ` +
              'functions to keep it'
          : `char ${hex(cp)} at index ${i} truncates to a NUL byte (its low 8 bits), where the ` +
              'CString would end',
      );
    }
    if (cp > 0xffff) i++;
    out[n++] = byte;
  }
  return out.subarray(0, n);
};

const CHUNK = 4096;

/** The Latin-1 string of the bytes `[from, to)`. */
const decodeLatin1 = (v: { u8: Uint8Array }, from: number, to: number): string => {
  let s = '';
  for (let i = from; i < to; i += CHUNK) {
    s += String.fromCharCode(...v.u8.subarray(i, Math.min(to, i + CHUNK)));
  }
  return s;
};

const ASCII: UnitEncoding = {
  name: 'CString',
  lenName: 'CStringLen',
  unit: 1,
  encode: encodeAscii,
  decode: decodeLatin1,
  names: [
    'newCAString',
    'peekCAString',
    'withCAString',
    'newCAStringLen',
    'peekCAStringLen',
    'withCAStringLen',
  ],
};

/**
 * The keys of `CAStringFunctions['either']`: the one list the package root and `foreign(ctx)`
 * bind.
 *
 * @category model
 * @since 0.1.0
 */
export const EITHER_CASTRING_KEYS = ['newCAString', 'newCAStringLen'] as const;

/**
 * The 8-bit string functions bound to a context: what {@link cAString} returns. Bad arguments
 * give the errors of the UTF-8 `CString` functions.
 *
 * @category model
 * @since 0.1.0
 */
export interface CAStringFunctions {
  /**
   * Copies `s` into a new block, one byte per char (the code point's low 8 bits) and a NUL,
   * and returns its address; release it with `free`. `nullPtr` when there is no room.
   * Refuses, allocating nothing, a NUL or a char that truncates to 0 (a `MarshalError`).
   */
  readonly newCAString: (s: string) => IO<CString>;
  /** Reads the bytes at `p` up to the first NUL, each as a Latin-1 char. */
  readonly peekCAString: (p: CString) => IO<string>;
  /** Runs `f` with `s` as NUL-terminated bytes on the context's alloca stack. */
  readonly withCAString: <B>(s: string, f: (p: CString) => IO<B>) => IO<B>;
  /**
   * Copies `s` into a new block, one byte per char, no terminator (NULs kept), and returns the
   * pointer and the byte count (the number of code points). `[nullPtr, 0]` when there is no room.
   */
  readonly newCAStringLen: (s: string) => IO<CStringLen>;
  /** Reads exactly `n` bytes at `p` as Latin-1 chars. */
  readonly peekCAStringLen: (
    sl: CStringLen | readonly [Ptr<number>, number | bigint],
  ) => IO<string>;
  /** Runs `f` with `s` as bytes and their count in temporary memory. */
  readonly withCAStringLen: <B>(s: string, f: (sl: CStringLen) => IO<B>) => IO<B>;
  /** The allocating functions with an `AllocationError` on the left instead of `nullPtr`. */
  readonly either: EitherCAStrings;
}

/**
 * The allocating 8-bit string functions with an `AllocationError` on the left.
 *
 * @category model
 * @since 0.1.0
 */
export interface EitherCAStrings {
  /** As `newCAString`, with an `AllocationError` naming `either.newCAString` on the left. */
  readonly newCAString: (s: string) => IOEither<AllocationError, CString>;
  /** As `newCAStringLen`, with an `AllocationError` naming `either.newCAStringLen` on the left. */
  readonly newCAStringLen: (s: string) => IOEither<AllocationError, CStringLen>;
}

/**
 * The `CAString` functions of `Foreign.C.String` bound to a context. A `ctx` that is not a
 * context, or an `alloc` that is not a `marshalAlloc`, is a `TypeError` naming `cAString`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const cAString = (ctx: Context, alloc: MarshalAlloc): CAStringFunctions => {
  const u = unitStrings('cAString', ASCII, ctx, alloc);
  return {
    newCAString: u.new,
    peekCAString: u.peek,
    withCAString: u.with,
    newCAStringLen: u.newLen,
    peekCAStringLen: u.peekLen,
    withCAStringLen: u.withLen,
    either: { newCAString: u.eitherNew, newCAStringLen: u.eitherNewLen },
  };
};
