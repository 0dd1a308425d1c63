/**
 * Bit-fields: struct members of a given width in bits, laid out as clang does on wasm32 and
 * x86-64 (the System V / Itanium rules).
 *
 * - A bit-field goes at the next free bit, unless it would then straddle a storage unit of its
 *   declared type (an aligned block of `sizeof(T)` bytes): then it moves to the next one.
 * - A named bit-field raises the struct's alignment to its type's; an unnamed one does not.
 * - A zero-width (unnamed) bit-field moves the next field to the next boundary of its type.
 * - In a packed struct bit-fields take the next free bit, straddling as they need.
 * - Bits are numbered from the least significant bit of the lowest byte (little-endian).
 *
 * @since 0.1.0
 */
import { describe, safeNumber } from '../../arguments/index.js';
import * as t from 'io-ts';
import type { Views } from '../../memory/index.js';
import {
  failPeek,
  storableArg,
  type Site,
  isBigIntKind,
  isSignedKind,
  type Storable,
  type BitsLayout,
  type IntegerKind,
} from '../storable/index.js';
import { registerMembers, type BitsAccess } from './member-kinds.js';

type BitsKind = IntegerKind | 'bool8';

/**
 * A named bit-field member of a struct: `width` bits of the integer type `base`. Its value type
 * is the base's (`number`, or `bigint` for 64-bit bases).
 *
 * @category model
 * @since 0.1.0
 */
export interface BitField<A> {
  readonly _tag: 'BitField';
  readonly base: Storable<A>;
  readonly width: number;
  readonly kind: BitsKind;
  /** Accepts the integers that fit `width` bits of the base's signedness. */
  readonly codec: t.Type<A, A, unknown>;
}

/**
 * An unnamed bit-field (`int : 3;`, `int : 0;`): it takes bits but holds no value, and is not
 * part of the struct's value type. Width 0 moves the next field to a boundary of `base`.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnnamedBits {
  readonly _tag: 'UnnamedBits';
  readonly base: Storable<any>;
  readonly width: number;
  readonly kind: BitsKind;
}

const bitsKindOf = (call: string, base: Storable<any>): BitsKind => {
  const layout = storableArg(call, base).layout;
  if (layout?.tag !== 'scalar' || /^(f32|f64|bool32|char32)$/.test(layout.kind)) {
    throw new TypeError(`${call}: ${base?.name} is not an integer instance (nor CBool)`);
  }
  return layout.kind as BitsKind;
};

/** The width as a number (a bigint that is a safe integer converted); a `RangeError` if bad. */
const checkWidth = (
  call: string,
  base: Storable<any>,
  kind: BitsKind,
  given: number | bigint,
  min: number,
): number => {
  const max = kind === 'bool8' ? 1 : base.sizeOf * 8;
  const width = typeof given === 'bigint' ? safeNumber(given) : given;
  if (width === undefined || !Number.isSafeInteger(width) || width < min || width > max) {
    throw new RangeError(
      `${call}: width ${describe(given)} is not an integer in [${min}, ${max}] for ${base.name}`,
    );
  }
  return width;
};

/** The smallest and largest values of a `width`-bit field of `kind`, as numbers or bigints. */
const rangeOf = (kind: BitsKind, width: number): readonly [bigint, bigint] => {
  const w = BigInt(width);
  return isSignedKind(kind) ? [-(1n << (w - 1n)), (1n << (w - 1n)) - 1n] : [0n, (1n << w) - 1n];
};

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The validity check of a bit-field's values, as JavaScript source testing the variable `x`.
 * Shared by the codec and generated code.
 *
 * @category utils
 * @since 0.1.0
 */
export const bitsIsSource = (kind: BitsKind, width: number, x: string): string => {
  if (kind === 'bool8') return `(${x} === 0 || ${x} === 1)`;
  if (isBigIntKind(kind)) {
    const [lo, hi] = rangeOf(kind, width);
    return `typeof ${x} === 'bigint' && ${x} >= ${lo}n && ${x} <= ${hi}n`;
  }
  if (width < 32 && kind !== 'i64n' && kind !== 'u64n') {
    return isSignedKind(kind)
      ? `typeof ${x} === 'number' && (${x} << ${32 - width}) >> ${32 - width} === ${x}`
      : `typeof ${x} === 'number' && (${x} & ${2 ** width - 1}) === ${x}`;
  }
  const [lo, hi] = rangeOf(kind, width);
  const min = lo < -SAFE ? -SAFE : lo;
  const max = hi > SAFE ? SAFE : hi;
  return `Number.isSafeInteger(${x}) && ${x} >= ${min} && ${x} <= ${max}`;
};

const bitsIs = (kind: BitsKind, width: number): ((x: unknown) => boolean) => {
  if (kind === 'bool8') return (x) => x === 0 || x === 1;
  const [lo, hi] = rangeOf(kind, width);
  if (isBigIntKind(kind)) return (x) => typeof x === 'bigint' && x >= lo && x <= hi;
  const min = Number(lo < -SAFE ? -SAFE : lo);
  const max = Number(hi > SAFE ? SAFE : hi);
  return (x) => Number.isSafeInteger(x) && (x as number) >= min && (x as number) <= max;
};

const bitsCodec = <A>(base: Storable<A>, kind: BitsKind, width: number): t.Type<A, A, unknown> => {
  const is = bitsIs(kind, width);
  const [lo, hi] = rangeOf(kind, width);
  const expected = `a ${width}-bit ${isSignedKind(kind) ? 'signed' : 'unsigned'} field holds ${
    isBigIntKind(kind) ? `bigints in [${lo}n, ${hi}n]` : `integers in [${lo}, ${hi}]`
  }`;
  return new t.Type<A, A, unknown>(
    `${base.name} : ${width}`,
    is as (u: unknown) => u is A,
    (u, c) => (is(u) ? t.success(u as A) : t.failure(u, c, expected)),
    t.identity,
  );
};

/**
 * A named bit-field of `width` bits of the integer type `base` (C's `unsigned flags : 3`), as a
 * struct member: `struct({ flags: bits(CUInt, 3) })`. `bits(CBool, 1)` is a `_Bool : 1`.
 *
 * Throws a `TypeError` when `base` is not an integer instance of this library (or `CBool`) and
 * a `RangeError` when `width` is not in [1, bits of the base] (C rejects wider fields; a
 * zero-width bit-field must be unnamed: see {@link unnamedBits}).
 *
 * @category combinators
 * @since 0.1.0
 */
export const bits = <A extends number | bigint>(
  base: Storable<A>,
  bitWidth: number | bigint,
): BitField<A> => {
  const kind = bitsKindOf('bits', base);
  const width = checkWidth('bits', base, kind, bitWidth, 1);
  return { _tag: 'BitField', base, width, kind, codec: bitsCodec(base, kind, width) };
};

/**
 * An unnamed bit-field of `width` bits of `base` (C's `int : 3;`), or with width 0 (`int : 0;`)
 * the end of the current storage unit: the next bit-field starts at the next boundary of
 * `base`. Holds no value; its key in the struct's fields is not part of the value type.
 *
 * Throws as {@link bits} does, with widths from 0.
 *
 * @category combinators
 * @since 0.1.0
 */
export const unnamedBits = (
  base: Storable<number> | Storable<bigint>,
  bitWidth: number | bigint,
): UnnamedBits => {
  const kind = bitsKindOf('unnamedBits', base);
  const width = checkWidth('unnamedBits', base, kind, bitWidth, 0);
  return { _tag: 'UnnamedBits', base, width, kind };
};

/**
 * How a bit-field is reached from the start of its struct: `nbytes` bytes from byte `byte`, the
 * field starting `shift` bits into the first. `narrow` fields (a `number` value in at most 32
 * bits of those bytes) are read with 32-bit integer operations; the others with `bigint`s.
 *
 * @category utils
 * @since 0.1.0
 */
export const bitsAccess = (field: BitsLayout): BitsAccess => {
  const shift = field.bitOffset % 8;
  return {
    byte: Math.floor(field.bitOffset / 8),
    shift,
    nbytes: Math.ceil((shift + field.width) / 8),
    narrow: shift + field.width <= 32 && !isBigIntKind(field.kind),
  };
};

const readNarrow = (
  u8: Uint8Array,
  a: number,
  access: BitsAccess,
  width: number,
  signed: boolean,
): number => {
  let raw = 0;
  for (let k = 0; k < access.nbytes; k++) raw |= (u8[a + k] as number) << (8 * k);
  const up = 32 - access.shift - width;
  return signed ? (raw << up) >> (32 - width) : (raw << up) >>> (32 - width);
};

const readWide = (
  u8: Uint8Array,
  a: number,
  access: BitsAccess,
  width: number,
  signed: boolean,
): bigint => {
  let raw = 0n;
  for (let k = 0; k < access.nbytes; k++) raw |= BigInt(u8[a + k] as number) << BigInt(8 * k);
  const x = BigInt.asUintN(width, raw >> BigInt(access.shift));
  return signed ? BigInt.asIntN(width, x) : x;
};

/**
 * The reader of a bit-field: `(v, p)` with `p` the address of its struct.
 *
 * @category utils
 * @since 0.1.0
 */
export const bitsReader = (field: BitsLayout, site: Site): ((v: Views, p: number) => any) => {
  const access = bitsAccess(field);
  const { byte } = access;
  const { width, kind } = field;
  const signed = isSignedKind(kind);
  if (access.narrow) return (v, p) => readNarrow(v.u8, p + byte, access, width, signed);
  if (isBigIntKind(kind)) return (v, p) => readWide(v.u8, p + byte, access, width, signed);
  return (v, p) => {
    const x = readWide(v.u8, p + byte, access, width, signed);
    return x >= -SAFE && x <= SAFE
      ? Number(x)
      : failPeek(site, x, 'beyond ±(2^53 − 1), read it as a bigint');
  };
};

const orByte = (u8: Uint8Array, at: number, bitsValue: number): void => {
  u8[at] = (u8[at] as number) | bitsValue;
};

/**
 * The writer of a bit-field: ORs the value's bits into its bytes, which the struct's writer has
 * set to zero first. `p` is the address of the struct.
 *
 * @category utils
 * @since 0.1.0
 */
export const bitsWriter = (field: BitsLayout): ((v: Views, p: number, x: any) => void) => {
  const access = bitsAccess(field);
  const { byte, shift, nbytes } = access;
  const width = field.width;
  if (access.narrow) {
    const mask = 2 ** width - 1;
    return (v, p, x: number) => {
      const bitsValue = (x & mask) << shift;
      for (let k = 0; k < nbytes; k++) orByte(v.u8, p + byte + k, bitsValue >>> (8 * k));
    };
  }
  return (v, p, x: number | bigint) => {
    const bitsValue = BigInt.asUintN(width, BigInt(x)) << BigInt(shift);
    for (let k = 0; k < nbytes; k++) {
      orByte(v.u8, p + byte + k, Number((bitsValue >> BigInt(8 * k)) & 0xffn));
    }
  };
};

// The layout compilers reach these through member-kinds.ts (a page without bit-fields does not
// carry them).
registerMembers('bits', {
  access: bitsAccess,
  isSource: bitsIsSource,
  reader: bitsReader,
  writer: bitsWriter,
});
