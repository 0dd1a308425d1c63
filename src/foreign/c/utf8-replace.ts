/**
 * UTF-8 decoding that never fails: each malformed sequence becomes one U+FFFD, as the WHATWG
 * Encoding Standard's decoder does it (what `new TextDecoder('utf-8', { ignoreBOM: true })`
 * gives), built on the strict decoder of `utf8.ts` and reading the bytes in place, so it works
 * on views of a `SharedArrayBuffer` too, where browsers' `TextDecoder` refuses them.
 *
 * @since 0.1.0
 */
import { decodeUtf8 } from './utf8.js';

const REPLACEMENT = '\uFFFD';

/**
 * The length (1 to 3) of the "maximal subpart" of the malformed sequence at `u8[i]`: a lead byte
 * followed by the bytes that could still continue it. Everything else (a byte that cannot start
 * a sequence, or a lead byte whose next byte is out of its range) is one byte alone. The WHATWG
 * decoder replaces exactly this prefix with one U+FFFD and starts again after it.
 */
const maximalSubpart = (u8: Uint8Array, i: number, to: number): number => {
  const b0 = u8[i] as number;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    n = 2;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    n = 3;
    if (b0 === 0xe0) lo = 0xa0;
    else if (b0 === 0xed) hi = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    n = 4;
    if (b0 === 0xf0) lo = 0x90;
    else if (b0 === 0xf4) hi = 0x8f;
  } else {
    return 1;
  }
  if (i + 1 >= to) return 1;
  const b1 = u8[i + 1] as number;
  if (b1 < lo || b1 > hi) return 1;
  let k = 2;
  while (k < n && i + k < to && ((u8[i + k] as number) & 0xc0) === 0x80) k++;
  return k;
};

/**
 * Decodes the bytes `u8[from..to)` as UTF-8, replacing each maximal subpart of a malformed
 * sequence (overlong forms, encoded surrogates, code points above U+10FFFF, stray continuation
 * bytes, truncated sequences) with one U+FFFD, exactly as the WHATWG decoder with `fatal: false`.
 * A leading byte order mark is kept as U+FEFF (the WHATWG decoder drops it unless `ignoreBOM`).
 * The caller has checked that the range lies in `u8`.
 *
 * @category utils
 * @since 0.1.0
 */
export const decodeUtf8Replacing = (u8: Uint8Array, from: number, to: number): string => {
  let out = '';
  let i = from;
  while (true) {
    const result = decodeUtf8(u8, i, to);
    if (result.ok) return out + result.value;
    const valid = decodeUtf8(u8, i, result.at);
    if (valid.ok) out += valid.value;
    out += REPLACEMENT;
    i = result.at + maximalSubpart(u8, result.at, to);
  }
};
