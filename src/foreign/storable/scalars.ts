/**
 * The scalar representations shared by every primitive instance and by both layout compilers:
 * their sizes, their validity checks (as functions, and as source for generated code), and their
 * readers and writers over {@link Views}. All little-endian.
 *
 * Readers and writers use the typed-array view when the address is aligned to the access width
 * (`v.f64[p >>> 3]`), the `DataView` otherwise.
 *
 * @since 0.1.0
 */
import type { Views } from '../../memory/index.js';
import { failPeek, type Site } from './marshal-error.js';
import type { ScalarKind } from './layout-description.js';

/**
 * A scalar kind read and written by one typed-array or DataView access.
 *
 * @category internal
 * @since 0.1.0
 */
export type DirectKind = Exclude<ScalarKind, 'i64n' | 'u64n'>;

/**
 * The machine access of a direct kind: the typed-array view, the DataView type and the shift.
 *
 * @category internal
 * @since 0.1.0
 */
export interface RawAccess {
  readonly view: 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64' | 'i64' | 'u64';
  readonly dv: string;
  readonly shift: 0 | 1 | 2 | 3;
}

/**
 * Size in bytes of each scalar kind (its alignment is the same in both data models).
 *
 * @category internal
 * @since 0.1.0
 */
export const scalarSize: Readonly<Record<ScalarKind, 1 | 2 | 4 | 8>> = {
  i8: 1,
  u8: 1,
  i16: 2,
  u16: 2,
  i32: 4,
  u32: 4,
  i64: 8,
  u64: 8,
  i64n: 8,
  u64n: 8,
  f32: 4,
  f64: 8,
  bool32: 4,
  bool8: 1,
  char32: 4,
};

/**
 * How each direct kind is accessed.
 *
 * @category internal
 * @since 0.1.0
 */
export const rawAccess: Readonly<Record<DirectKind, RawAccess>> = {
  i8: { view: 'i8', dv: 'Int8', shift: 0 },
  u8: { view: 'u8', dv: 'Uint8', shift: 0 },
  i16: { view: 'i16', dv: 'Int16', shift: 1 },
  u16: { view: 'u16', dv: 'Uint16', shift: 1 },
  i32: { view: 'i32', dv: 'Int32', shift: 2 },
  u32: { view: 'u32', dv: 'Uint32', shift: 2 },
  i64: { view: 'i64', dv: 'BigInt64', shift: 3 },
  u64: { view: 'u64', dv: 'BigUint64', shift: 3 },
  f32: { view: 'f32', dv: 'Float32', shift: 2 },
  f64: { view: 'f64', dv: 'Float64', shift: 3 },
  bool32: { view: 'i32', dv: 'Int32', shift: 2 },
  bool8: { view: 'u8', dv: 'Uint8', shift: 0 },
  char32: { view: 'u32', dv: 'Uint32', shift: 2 },
};

/**
 * Whether a kind's values are `bigint`s.
 *
 * @category internal
 * @since 0.1.0
 */
export const isBigIntKind = (kind: ScalarKind): boolean => kind === 'i64' || kind === 'u64';

/**
 * Whether a kind is a signed integer.
 *
 * @category internal
 * @since 0.1.0
 */
export const isSignedKind = (kind: ScalarKind): boolean =>
  kind === 'i8' || kind === 'i16' || kind === 'i32' || kind === 'i64' || kind === 'i64n';

const isChar = (x: string): boolean =>
  x.length === 1 || (x.length === 2 && (x.codePointAt(0) as number) > 0xffff);

/**
 * The validity check of each kind: which JavaScript values the kind can represent exactly.
 *
 * @category internal
 * @since 0.1.0
 */
export const scalarIs: Readonly<Record<ScalarKind, (x: unknown) => boolean>> = {
  i8: (x) => typeof x === 'number' && (x << 24) >> 24 === x,
  u8: (x) => typeof x === 'number' && (x & 0xff) === x,
  i16: (x) => typeof x === 'number' && (x << 16) >> 16 === x,
  u16: (x) => typeof x === 'number' && (x & 0xffff) === x,
  i32: (x) => typeof x === 'number' && (x | 0) === x,
  u32: (x) => typeof x === 'number' && x >>> 0 === x,
  i64: (x) => typeof x === 'bigint' && x >= -0x8000000000000000n && x <= 0x7fffffffffffffffn,
  u64: (x) => typeof x === 'bigint' && x >= 0n && x <= 0xffffffffffffffffn,
  i64n: (x) => Number.isSafeInteger(x),
  u64n: (x) => Number.isSafeInteger(x) && (x as number) >= 0,
  f32: (x) => typeof x === 'number',
  f64: (x) => typeof x === 'number',
  bool32: (x) => typeof x === 'boolean',
  bool8: (x) => x === 0 || x === 1,
  char32: (x) => typeof x === 'string' && isChar(x),
};

/**
 * The same checks as {@link scalarIs}, as JavaScript source testing the variable `x` (for
 * generated code; `h` is the helper object).
 *
 * @category internal
 * @since 0.1.0
 */
export const scalarIsSource = (kind: ScalarKind, x: string): string => {
  switch (kind) {
    case 'i8':
      return `typeof ${x} === 'number' && (${x} << 24) >> 24 === ${x}`;
    case 'u8':
      return `typeof ${x} === 'number' && (${x} & 255) === ${x}`;
    case 'i16':
      return `typeof ${x} === 'number' && (${x} << 16) >> 16 === ${x}`;
    case 'u16':
      return `typeof ${x} === 'number' && (${x} & 65535) === ${x}`;
    case 'i32':
      return `typeof ${x} === 'number' && (${x} | 0) === ${x}`;
    case 'u32':
      return `typeof ${x} === 'number' && ${x} >>> 0 === ${x}`;
    case 'i64':
      return `typeof ${x} === 'bigint' && ${x} >= -0x8000000000000000n && ${x} <= 0x7fffffffffffffffn`;
    case 'u64':
      return `typeof ${x} === 'bigint' && ${x} >= 0n && ${x} <= 0xffffffffffffffffn`;
    case 'i64n':
      return `Number.isSafeInteger(${x})`;
    case 'u64n':
      return `Number.isSafeInteger(${x}) && ${x} >= 0`;
    case 'f32':
    case 'f64':
      return `typeof ${x} === 'number'`;
    case 'bool32':
      return `typeof ${x} === 'boolean'`;
    case 'bool8':
      return `(${x} === 0 || ${x} === 1)`;
    case 'char32':
      return `typeof ${x} === 'string' && (${x}.length === 1 || (${x}.length === 2 && ${x}.codePointAt(0) > 65535))`;
  }
};

const TWO_32 = 4294967296;

/**
 * A `_Bool` byte as a value: 0 or 1; any other byte is a `MarshalError`.
 *
 * @category internal
 * @since 0.1.0
 */
export const toCBool = (b: number, site: Site): number =>
  b <= 1 ? b : failPeek(site, b, 'a _Bool holds 0 or 1');

/**
 * A 32-bit code point as a one-code-point string; above U+10FFFF is a `MarshalError`.
 *
 * @category internal
 * @since 0.1.0
 */
export const toChar = (c: number, site: Site): string =>
  c <= 0x10ffff ? String.fromCodePoint(c) : failPeek(site, c, 'above U+10FFFF');

/**
 * An unsigned 64-bit integer from its halves, as a number; above 2^53 − 1 is a `MarshalError`.
 *
 * @category internal
 * @since 0.1.0
 */
export const toU64n = (lo: number, hi: number, site: Site): number =>
  hi <= 0x1fffff
    ? hi * TWO_32 + lo
    : failPeek(site, (BigInt(hi) << 32n) | BigInt(lo), 'above 2^53 − 1, read it as a bigint');

/**
 * A signed 64-bit integer from its halves (`hi` signed), as a number; beyond ±(2^53 − 1) fails.
 *
 * @category internal
 * @since 0.1.0
 */
export const toI64n = (lo: number, hi: number, site: Site): number => {
  const x = hi * TWO_32 + lo;
  return Number.isSafeInteger(x)
    ? x
    : failPeek(site, (BigInt(hi) << 32n) + BigInt(lo), 'beyond ±(2^53 − 1), read it as a bigint');
};

/**
 * The high 32 bits of a safe integer (two's complement when negative).
 *
 * @category internal
 * @since 0.1.0
 */
export const high32 = (x: number): number => Math.floor(x / TWO_32);

/**
 * A reader of one scalar kind; `site` names the place in messages about bad bytes.
 *
 * @category internal
 * @since 0.1.0
 */
export const scalarReader = (kind: ScalarKind, site: Site): ((v: Views, p: number) => any) => {
  switch (kind) {
    case 'i8':
      return (v, p) => v.i8[p];
    case 'u8':
      return (v, p) => v.u8[p];
    case 'i16':
      return (v, p) => ((p & 1) === 0 ? v.i16[p >>> 1] : v.dv.getInt16(p, true));
    case 'u16':
      return (v, p) => ((p & 1) === 0 ? v.u16[p >>> 1] : v.dv.getUint16(p, true));
    case 'i32':
      return (v, p) => ((p & 3) === 0 ? v.i32[p >>> 2] : v.dv.getInt32(p, true));
    case 'u32':
      return (v, p) => ((p & 3) === 0 ? v.u32[p >>> 2] : v.dv.getUint32(p, true));
    case 'i64':
      return (v, p) => ((p & 7) === 0 ? v.i64[p >>> 3] : v.dv.getBigInt64(p, true));
    case 'u64':
      return (v, p) => ((p & 7) === 0 ? v.u64[p >>> 3] : v.dv.getBigUint64(p, true));
    case 'f32':
      return (v, p) => ((p & 3) === 0 ? v.f32[p >>> 2] : v.dv.getFloat32(p, true));
    case 'f64':
      return (v, p) => ((p & 7) === 0 ? v.f64[p >>> 3] : v.dv.getFloat64(p, true));
    case 'bool32':
      return (v, p) => ((p & 3) === 0 ? v.i32[p >>> 2] : v.dv.getInt32(p, true)) !== 0;
    case 'bool8':
      return (v, p) => toCBool(v.u8[p] as number, site);
    case 'char32':
      return (v, p) =>
        toChar((p & 3) === 0 ? (v.u32[p >>> 2] as number) : v.dv.getUint32(p, true), site);
    case 'u64n':
      return (v, p) =>
        (p & 3) === 0
          ? toU64n(v.u32[p >>> 2] as number, v.u32[(p >>> 2) + 1] as number, site)
          : toU64n(v.dv.getUint32(p, true), v.dv.getUint32(p + 4, true), site);
    case 'i64n':
      return (v, p) =>
        (p & 3) === 0
          ? toI64n(v.u32[p >>> 2] as number, v.i32[(p >>> 2) + 1] as number, site)
          : toI64n(v.dv.getUint32(p, true), v.dv.getInt32(p + 4, true), site);
  }
};

type Writer = (v: Views, p: number, a: any) => void;

const writeU32Pair: Writer = (v, p, x: number) => {
  if ((p & 3) === 0) {
    v.u32[p >>> 2] = x;
    v.u32[(p >>> 2) + 1] = high32(x);
  } else {
    v.dv.setUint32(p, x, true);
    v.dv.setUint32(p + 4, high32(x), true);
  }
};

const scalarWriters: Readonly<Record<ScalarKind, Writer>> = {
  i8: (v, p, x) => {
    v.i8[p] = x;
  },
  u8: (v, p, x) => {
    v.u8[p] = x;
  },
  i16: (v, p, x) => {
    if ((p & 1) === 0) v.i16[p >>> 1] = x;
    else v.dv.setInt16(p, x, true);
  },
  u16: (v, p, x) => {
    if ((p & 1) === 0) v.u16[p >>> 1] = x;
    else v.dv.setUint16(p, x, true);
  },
  i32: (v, p, x) => {
    if ((p & 3) === 0) v.i32[p >>> 2] = x;
    else v.dv.setInt32(p, x, true);
  },
  u32: (v, p, x) => {
    if ((p & 3) === 0) v.u32[p >>> 2] = x;
    else v.dv.setUint32(p, x, true);
  },
  i64: (v, p, x) => {
    if ((p & 7) === 0) v.i64[p >>> 3] = x;
    else v.dv.setBigInt64(p, x, true);
  },
  u64: (v, p, x) => {
    if ((p & 7) === 0) v.u64[p >>> 3] = x;
    else v.dv.setBigUint64(p, x, true);
  },
  f32: (v, p, x) => {
    if ((p & 3) === 0) v.f32[p >>> 2] = x;
    else v.dv.setFloat32(p, x, true);
  },
  f64: (v, p, x) => {
    if ((p & 7) === 0) v.f64[p >>> 3] = x;
    else v.dv.setFloat64(p, x, true);
  },
  bool32: (v, p, x) => {
    if ((p & 3) === 0) v.i32[p >>> 2] = x ? 1 : 0;
    else v.dv.setInt32(p, x ? 1 : 0, true);
  },
  bool8: (v, p, x) => {
    v.u8[p] = x;
  },
  char32: (v, p, x: string) => {
    if ((p & 3) === 0) v.u32[p >>> 2] = x.codePointAt(0) as number;
    else v.dv.setUint32(p, x.codePointAt(0) as number, true);
  },
  u64n: writeU32Pair,
  i64n: writeU32Pair,
};

/**
 * The writer of one scalar kind (no validation: the value must satisfy {@link scalarIs}).
 *
 * @category internal
 * @since 0.1.0
 */
export const scalarWriter = (kind: ScalarKind): Writer => scalarWriters[kind];
