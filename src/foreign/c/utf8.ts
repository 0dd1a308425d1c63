/**
 * Strict UTF-8 over byte arrays, without `TextEncoder`/`TextDecoder` (which refuse views of a
 * `SharedArrayBuffer` in browsers and need a copy): the byte length of a string, encoding into
 * a `Uint8Array` at an offset, and decoding a byte range that rejects malformed input (overlong
 * forms, surrogates, truncated sequences, code points above U+10FFFF) instead of replacing it.
 *
 * @since 0.1.0
 */

/**
 * The UTF-8 byte length of `s`, or `-1` when `s` is not well-formed UTF-16 (a lone surrogate
 * has no UTF-8 encoding).
 *
 * @category utils
 * @since 0.1.0
 */
export const utf8Length = (s: string): number => {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c < 0xd800 || c > 0xdfff) bytes += 3;
    else if (c <= 0xdbff && isLowSurrogate(s.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else return -1;
  }
  return bytes;
};

const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * Writes the UTF-8 encoding of the well-formed string `s` at `u8[at]` and returns the number of
 * bytes written. The caller has checked the room with {@link utf8Length}.
 *
 * @category utils
 * @since 0.1.0
 */
export const encodeUtf8Into = (s: string, u8: Uint8Array, at: number): number => {
  let p = at;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      u8[p++] = c;
    } else if (c < 0x800) {
      u8[p++] = 0xc0 | (c >> 6);
      u8[p++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      u8[p++] = 0xe0 | (c >> 12);
      u8[p++] = 0x80 | ((c >> 6) & 0x3f);
      u8[p++] = 0x80 | (c & 0x3f);
    } else {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      u8[p++] = 0xf0 | (c >> 18);
      u8[p++] = 0x80 | ((c >> 12) & 0x3f);
      u8[p++] = 0x80 | ((c >> 6) & 0x3f);
      u8[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p - at;
};

/**
 * The result of decoding: the string, or the offset of the first byte of a malformed sequence.
 *
 * @category utils
 * @since 0.1.0
 */
export type Utf8Result =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly at: number };

const CHUNK = 4096;

/** The length of the sequence starting with `b0` when `b1` is a valid second byte, else 0. */
const sequenceLength = (b0: number, b1: number): number => {
  if (b0 >= 0xc2 && b0 <= 0xdf) return b1 >= 0x80 && b1 <= 0xbf ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return b1 >= lo && b1 <= hi ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return b1 >= lo && b1 <= hi ? 4 : 0;
  }
  return 0;
};

const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/**
 * Decodes the bytes `u8[from..to)` as strict UTF-8.
 *
 * @category utils
 * @since 0.1.0
 */
export const decodeUtf8 = (u8: Uint8Array, from: number, to: number): Utf8Result => {
  let out = '';
  const units: number[] = [];
  let i = from;
  while (i < to) {
    const b0 = u8[i] as number;
    if (b0 < 0x80) {
      units.push(b0);
      i++;
    } else {
      const n = i + 1 < to ? sequenceLength(b0, u8[i + 1] as number) : 0;
      if (n === 0 || i + n > to) return { ok: false, at: i };
      if (n >= 3 && !isContinuation(u8[i + 2])) return { ok: false, at: i };
      if (n === 4 && !isContinuation(u8[i + 3])) return { ok: false, at: i };
      const c = decodeSequence(u8, i, n);
      if (c > 0xffff) units.push(0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff));
      else units.push(c);
      i += n;
    }
    if (units.length >= CHUNK) {
      out += String.fromCharCode(...units);
      units.length = 0;
    }
  }
  return { ok: true, value: out + String.fromCharCode(...units) };
};

const decodeSequence = (u8: Uint8Array, i: number, n: number): number => {
  const b0 = u8[i] as number;
  const b1 = (u8[i + 1] as number) & 0x3f;
  if (n === 2) return ((b0 & 0x1f) << 6) | b1;
  const b2 = (u8[i + 2] as number) & 0x3f;
  if (n === 3) return ((b0 & 0x0f) << 12) | (b1 << 6) | b2;
  return ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | ((u8[i + 3] as number) & 0x3f);
};
