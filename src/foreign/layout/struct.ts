/**
 * C structs: `struct({ x: CDouble, y: CDouble })`, in the C compiler's natural layout.
 *
 * - Members are laid out in key order; each at the next multiple of its alignment
 *   (`offset = roundUp(previous end, alignment)`); never reordered.
 * - The struct's alignment is the largest of its members'; its size is the end of the last
 *   member rounded up to that alignment (so arrays of it stay aligned).
 * - `packed` (`__attribute__((packed))`) gives every member alignment 1: no padding at all.
 * - Bit-fields follow clang's System V rules (see `bits`).
 * - C11 anonymous struct and union members: see `anonymous`.
 *
 * Padding bytes (and the unused bits of bit-field bytes) are written as zero on every poke, so
 * structs poked by this library can be compared and hashed as bytes.
 *
 * @since 0.1.0
 */
import { roundUp } from '../../arguments/index.js';
import {
  checkStorable,
  type Storable,
  type BitsLayout,
  type FieldLayout,
  type SpreadLayout,
  type StructLayout,
} from '../storable/index.js';
import {
  checkValueKeys,
  isAnonymous,
  valueKeys,
  type Anonymous,
  type AnonymousValues,
} from './anonymous.js';
import type { BitField, UnnamedBits } from './bitfield.js';
import { compiledOnFirstUse } from './compile.js';
import { checkKey, layoutOptions, memberAlignment, unwrapAligned } from './members.js';
import { structErrors } from './validate.js';

/**
 * What a struct member can be: an instance, a named bit-field, an unnamed bit-field, or an
 * anonymous struct or union (C11).
 *
 * @category model
 * @since 0.1.0
 */
export type Member = Storable<any> | BitField<any> | UnnamedBits | Anonymous<any>;

/**
 * The members of a struct, by name, in order.
 *
 * @category model
 * @since 0.1.0
 */
export type Members = Readonly<Record<string, Member>>;

type MemberValue<M> = M extends BitField<infer A> ? A : M extends Storable<infer A> ? A : never;

/**
 * The value type of a struct with members `F` (unnamed bit-fields have no value, and the members
 * of an anonymous member are the struct's own): what `StorableOf<typeof S>` gives.
 *
 * @category model
 * @since 0.1.0
 */
export type StructValue<F> = {
  [K in keyof F as F[K] extends UnnamedBits | Anonymous<any> ? never : K]: MemberValue<F[K]>;
} & AnonymousValues<F>;

/**
 * A struct instance.
 *
 * @category model
 * @since 0.1.0
 */
export interface Struct<F extends Members> extends Storable<StructValue<F>> {
  readonly fields: F;
  readonly layout: StructLayout;
  /** Whether it was declared packed. */
  readonly packed: boolean;
  /** The alignment it was declared with (`align`), 1 when none. */
  readonly declaredAlign: number;
}

/**
 * Options of {@link struct}. A string is taken as the name.
 *
 * @category model
 * @since 0.1.0
 */
export interface StructOptions {
  /** The name in messages and error paths (`Particle.tag[2]`). Default: the members. */
  readonly name?: string;
  /** `__attribute__((packed))`: every member aligned to 1 (unless `aligned`), no padding. */
  readonly packed?: boolean;
  /** `__attribute__((aligned(n)))` on the struct type: alignment at least `n`, size rounded up. */
  readonly align?: number | bigint;
}

interface StructParts<F> {
  name: string;
  sizeOf: number;
  alignment: number;
  layout: StructLayout;
  fields: F;
  packed: boolean;
  declaredAlign: number;
}

const isBits = (m: Member): m is BitField<any> | UnnamedBits =>
  typeof m === 'object' &&
  m !== null &&
  '_tag' in m &&
  (m._tag === 'BitField' || m._tag === 'UnnamedBits');

interface Placement {
  readonly members: Array<FieldLayout | BitsLayout | SpreadLayout>;
  readonly covered: Array<readonly [number, number]>;
  dataBits: number;
  unfilled: number;
  align: number;
}

/** Places a bit-field at the next free bit, or at the next unit boundary (clang's rule). */
const placeBits = (
  at: Placement,
  key: string,
  m: BitField<any> | UnnamedBits,
  packed: boolean,
): void => {
  const unitBits = m.base.sizeOf * 8;
  // clang aligns a packed bit-field to 1 bit (the next free bit); a zero-width one keeps its type's.
  const alignBits = packed && m.width !== 0 ? 1 : m.base.alignment * 8;
  let offset = at.dataBits - at.unfilled;
  if (m.width === 0 || (offset % alignBits) + m.width > unitBits)
    offset = roundUp(offset, alignBits);
  const end = offset + m.width;
  at.dataBits = roundUp(end, 8);
  at.unfilled = at.dataBits - end;
  if (m._tag === 'BitField') {
    at.align = Math.max(at.align, Math.floor(alignBits / 8));
    at.members.push({
      tag: 'bits',
      key,
      bitOffset: offset,
      width: m.width,
      kind: m.kind,
      codec: m.codec,
    });
  }
};

/** Places a whole-byte member at the next multiple of its alignment. */
const placeField = (at: Placement, key: string, S: Storable<any>, packed: boolean): void => {
  const { stored } = unwrapAligned(S);
  const align = memberAlignment(S, packed);
  const offset = roundUp(at.dataBits / 8, align);
  at.members.push({ tag: 'field', key, offset, storable: stored });
  at.covered.push([offset, offset + stored.sizeOf]);
  at.dataBits = (offset + stored.sizeOf) * 8;
  at.unfilled = 0;
  at.align = Math.max(at.align, align);
};

/**
 * Places an anonymous struct or union as a member of its type would be placed: an anonymous
 * struct's members join the list at their offsets in it, an anonymous union is a spread member.
 */
const placeAnonymous = (at: Placement, key: string, S: Storable<any>, packed: boolean): void => {
  const align = memberAlignment(S, packed);
  const offset = roundUp(at.dataBits / 8, align);
  const layout = S.layout as StructLayout;
  if (layout.tag === 'struct') {
    for (const m of layout.members) {
      at.members.push(
        m.tag === 'bits'
          ? { ...m, bitOffset: m.bitOffset + offset * 8 }
          : { ...m, offset: offset + m.offset },
      );
    }
    let pos = 0;
    for (const [from, to] of [...layout.gaps, [S.sizeOf, S.sizeOf] as const]) {
      if (from > pos) at.covered.push([offset + pos, offset + from]);
      pos = to;
    }
  } else {
    at.members.push({ tag: 'spread', key, offset, storable: S });
    at.covered.push([offset, offset + S.sizeOf]);
  }
  at.dataBits = (offset + S.sizeOf) * 8;
  at.unfilled = 0;
  at.align = Math.max(at.align, align);
};

const gapsOf = (
  covered: ReadonlyArray<readonly [number, number]>,
  size: number,
): Array<readonly [number, number]> => {
  const gaps: Array<readonly [number, number]> = [];
  let pos = 0;
  for (const [from, to] of covered) {
    if (from > pos) gaps.push([pos, from]);
    pos = Math.max(pos, to);
  }
  if (size > pos) gaps.push([pos, size]);
  return gaps;
};

const memberName = (m: Member): string =>
  isBits(m)
    ? `${m.base.name} : ${m.width}`
    : isAnonymous(m)
      ? `anonymous ${m.storable.name}`
      : (m as Storable<any>).name;

const optionsOf = (
  call: string,
  options: string | StructOptions | undefined,
): StructOptions & { readonly align?: number } => layoutOptions(call, options);

/** Lays out `fields` as C does: the members' places, the size and the alignment. */
const layOutStruct = (
  call: string,
  fields: Members,
  packed: boolean,
  minAlign: number,
): { layout: StructLayout; sizeOf: number; alignment: number } => {
  if (typeof fields !== 'object' || fields === null)
    throw new TypeError(`${call}: members must be an object`);
  const at: Placement = { members: [], covered: [], dataBits: 0, unfilled: 0, align: 1 };
  const anonymousKeys: string[] = [];
  for (const [key, m] of Object.entries(fields)) {
    checkKey(call, key);
    if (isBits(m)) placeBits(at, key, m, packed);
    else if (isAnonymous(m)) {
      placeAnonymous(at, key, m.storable, packed);
      anonymousKeys.push(key);
    } else placeField(at, key, checkStorable(call, `member ${key}`, m), packed);
  }
  const names = at.members.flatMap((m) => (m.tag === 'spread' ? valueKeys(m.storable) : [m.key]));
  checkValueKeys(call, names, anonymousKeys);
  const alignment = Math.max(at.align, minAlign);
  const sizeOf = roundUp(at.dataBits / 8, alignment);
  return {
    layout: { tag: 'struct', members: at.members, gaps: gapsOf(at.covered, sizeOf) },
    sizeOf,
    alignment,
  };
};

/**
 * A C struct of `fields`, in key order, with C's natural layout (see the module comment). The
 * value type is inferred: `StorableOf<typeof S>` is `{ x: number; y: number }` for
 * `struct({ x: CDouble, y: CDouble })`. `options` is the name, or {@link StructOptions}.
 *
 * Poke checks the whole value first (a missing or extra-large field is a `MarshalError` and
 * nothing is written); extra properties of the value are ignored. Peek returns a new object.
 *
 * Throws a `TypeError` when a member is not an instance or a bit-field, and a `RangeError` for
 * a member named `__proto__` or like an array index (JavaScript would reorder it), a bad
 * `align`, or a member that breaks the Storable contract; a `TypeError` when `options` is neither
 * a name nor an object, its `name` not a string or `packed` not a boolean.
 *
 * @category combinators
 * @since 0.1.0
 */
export const struct = <F extends Members>(fields: F, options?: string | StructOptions): Struct<F> =>
  structFor('struct', fields, options);

/** A struct made by `call` (`struct` or `packed`), whose errors name it. */
const structFor = <F extends Members>(
  call: string,
  fields: F,
  options?: string | StructOptions,
): Struct<F> => {
  const o = optionsOf(call, options);
  const packed = o.packed === true;
  const { layout, sizeOf, alignment } = layOutStruct(call, fields, packed, o.align ?? 1);
  const described = Object.entries(fields).map(([k, m]) => `${k}: ${memberName(m)}`);
  const name = o.name ?? `${packed ? 'packed ' : ''}struct { ${described.join('; ')} }`;
  return compiledOnFirstUse<StructValue<F>, StructParts<F>>(
    { name, sizeOf, alignment, layout, fields, packed, declaredAlign: o.align ?? 1 },
    'StructType',
    (u, c) => structErrors(layout, u, c),
  );
};

/**
 * A packed C struct, `__attribute__((packed))`: `struct(fields, { packed: true })`. Members are
 * placed one after the other with no padding (bit-fields at the next free bit); alignment 1
 * unless a member is `aligned` or `align` is given.
 *
 * @category combinators
 * @since 0.1.0
 */
export const packed = <F extends Members>(
  fields: F,
  options?: string | Omit<StructOptions, 'packed'>,
): Struct<F> => structFor('packed', fields, { ...optionsOf('packed', options), packed: true });
