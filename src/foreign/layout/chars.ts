/**
 * Fixed `char[n]` members read and written as strings: UTF-8, NUL-padded.
 *
 * @since 0.1.0
 */
import { describe, safeNumber, showValue } from '../../arguments/index.js';
import * as t from 'io-ts';
import type { Views } from '../../memory/index.js';
import {
  checkName,
  failPeek,
  rootLabel,
  type Site,
  type Storable,
  type CharsLayout,
} from '../storable/index.js';
import { decodeUtf8, encodeUtf8Into, utf8Length } from '../c/index.js';
import { registerMembers } from './member-kinds.js';

/**
 * Options of {@link chars}.
 *
 * @category model
 * @since 0.1.0
 */
export interface CharsOptions {
  /**
   * Whether a NUL must follow the string inside the `n` bytes (so at most `n − 1` bytes of
   * text, and peek of `n` bytes without a NUL is a `MarshalError`). Default `false`: the text
   * may fill all `n` bytes, as C allows for `char s[3] = "abc"` and `strncpy`.
   */
  readonly terminated?: boolean;
  /** The instance's name in messages. Default `char[n]`. */
  readonly name?: string;
}

/**
 * A `char[n]` instance.
 *
 * @category model
 * @since 0.1.0
 */
export interface Chars extends Storable<string> {
  readonly layout: CharsLayout;
}

/**
 * Why `s` does not fit, or `undefined` when it does.
 *
 * @category utils
 * @since 0.1.0
 */
export const charsProblem = (layout: CharsLayout, s: unknown): string | undefined => {
  if (typeof s !== 'string') return 'a string is expected';
  if (s.includes('\0')) return 'the string contains a NUL, which would end it early';
  const bytes = utf8Length(s);
  if (bytes < 0) return 'the string has a lone surrogate, which UTF-8 cannot encode';
  const room = layout.terminated ? layout.length - 1 : layout.length;
  return bytes > room ? `${bytes} UTF-8 bytes, at most ${room} fit` : undefined;
};

/**
 * The fast validity check of a `chars` layout (no message).
 *
 * @category utils
 * @since 0.1.0
 */
export const charsFit =
  (layout: CharsLayout): ((s: string) => boolean) =>
  (s) => {
    const room = layout.terminated ? layout.length - 1 : layout.length;
    if (s.length > room) return false;
    const bytes = utf8Length(s);
    return bytes >= 0 && bytes <= room && !s.includes('\0');
  };

/**
 * The reader of a `chars` layout: `(u8, p)`, bytes up to the first NUL (or all `n`), strict
 * UTF-8. Malformed UTF-8, and a missing NUL when one is required, are `MarshalError`s.
 *
 * @category utils
 * @since 0.1.0
 */
export const charsReader =
  (layout: CharsLayout, site: Site): ((u8: Uint8Array, p: number) => string) =>
  (u8, p) => {
    const end = p + layout.length;
    let nul = p;
    while (nul < end && u8[nul] !== 0) nul++;
    if (nul === end && layout.terminated) {
      return failPeek(site, u8.slice(p, end), `no NUL in the ${layout.length} bytes`);
    }
    const text = decodeUtf8(u8, p, nul);
    return text.ok
      ? text.value
      : failPeek(site, u8[text.at], `malformed UTF-8 at byte ${text.at - p}`);
  };

/**
 * The writer of a `chars` layout: the UTF-8 bytes, then NULs to the end of the `n` bytes.
 *
 * @category utils
 * @since 0.1.0
 */
export const charsWriter =
  (layout: CharsLayout): ((u8: Uint8Array, p: number, s: string) => void) =>
  (u8, p, s) => {
    const written = encodeUtf8Into(s, u8, p);
    u8.fill(0, p + written, p + layout.length);
  };

/**
 * A fixed `char[n]` member holding a string: written as UTF-8 and padded with NULs, read up to
 * the first NUL. A string that does not fit (too many UTF-8 bytes, a NUL inside, a lone
 * surrogate) is a `MarshalError`, never truncated; so is malformed UTF-8 on peek. By default
 * the text may fill all `n` bytes with no NUL after it (C allows it in a fixed array; such a
 * field is not a C string); `{ terminated: true }` requires the NUL.
 *
 * Throws a `RangeError` when `n` is not a non-negative safe integer (positive when terminated),
 * and a `TypeError` when `options` is not an object, `terminated` not a boolean or `name` not a
 * string.
 *
 * @category combinators
 * @since 0.1.0
 */
export const chars = (length: number | bigint, options: CharsOptions = {}): Chars => {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`chars: options must be an object, got ${showValue(options)}`);
  }
  if (options.terminated !== undefined && typeof options.terminated !== 'boolean') {
    throw new TypeError(
      `chars: terminated must be a boolean, got ${showValue(options.terminated)}`,
    );
  }
  if (options.name !== undefined) checkName('chars', options.name);
  const terminated = options.terminated === true;
  const n = typeof length === 'bigint' ? safeNumber(length) : length;
  if (n === undefined || !Number.isSafeInteger(n) || n < (terminated ? 1 : 0)) {
    throw new RangeError(
      `chars: length ${describe(length)} is not a ${terminated ? 'positive' : 'non-negative'} safe integer`,
    );
  }
  const name = options.name ?? `char[${n}]`;
  const layout: CharsLayout = { tag: 'chars', length: n, terminated };
  const fit = charsFit(layout);
  const is = (u: unknown): u is string => typeof u === 'string' && fit(u);
  const read = charsReader(layout, { path: rootLabel(name), instance: name });
  const write = charsWriter(layout);
  return {
    name,
    sizeOf: n,
    alignment: 1,
    layout,
    codec: new t.Type<string, string, unknown>(
      name,
      is,
      (u, c) => (is(u) ? t.success(u) : t.failure(u, c, charsProblem(layout, u))),
      t.identity,
    ),
    read: (v: Views, p: number) => read(v.u8, p),
    write: (v: Views, p: number, s: string) => write(v.u8, p, s),
  };
};

// The layout compilers reach these through member-kinds.ts (a page without `chars` members does
// not carry UTF-8).
registerMembers('chars', { fit: charsFit, reader: charsReader, writer: charsWriter });
