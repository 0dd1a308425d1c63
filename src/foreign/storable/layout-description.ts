import type * as t from 'io-ts';
import type { Storable } from './instance.js';

/**
 * The description of an instance's bytes that the layout compilers (code generation and the
 * interpreter) work from. Every instance made by this library carries one in `layout`.
 *
 * @since 0.1.0
 */

/**
 * The integer representations: signed and unsigned 8 to 64 bits; `i64`/`u64` are `bigint`
 * values, `i64n`/`u64n` the same bytes as `number` values (checked against 2^53 − 1).
 *
 * @category layout
 * @since 0.1.0
 */
export type IntegerKind =
  'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'i64n' | 'u64n';

/**
 * The scalar representations: integers, IEEE floats, Haskell's `Bool` (a 4-byte C int),
 * C's `_Bool` (`bool8`, one byte holding 0 or 1) and Haskell's `Char` (a 4-byte code point).
 *
 * @category layout
 * @since 0.1.0
 */
export type ScalarKind = IntegerKind | 'f32' | 'f64' | 'bool32' | 'bool8' | 'char32';

/**
 * @category layout
 * @since 0.1.0
 */
export interface ScalarLayout {
  readonly tag: 'scalar';
  readonly kind: ScalarKind;
}

/**
 * A struct member stored in whole bytes at `offset`; `storable` is what is read and written
 * there (an `aligned(n, S)` member is stored as `S`).
 *
 * @category layout
 * @since 0.1.0
 */
export interface FieldLayout {
  readonly tag: 'field';
  readonly key: string;
  readonly offset: number;
  readonly storable: Storable<any>;
}

/**
 * A named bit-field: `width` bits from bit `bitOffset` of the struct (bit 0 is the least
 * significant bit of byte 0), of an integer `kind` (or `bool8` for `_Bool`).
 *
 * @category layout
 * @since 0.1.0
 */
export interface BitsLayout {
  readonly tag: 'bits';
  readonly key: string;
  readonly bitOffset: number;
  readonly width: number;
  readonly kind: IntegerKind | 'bool8';
  readonly codec: t.Type<any, any, unknown>;
}

/**
 * A C11 anonymous union in a struct (`struct { int kind; union { int i; float f; }; }`), at
 * `offset`: its members are members of the struct, so its value is not under `key` (the name
 * the struct's fields give it) but spread into the struct's value. An anonymous struct in a
 * struct needs no such member: its members are placed in the struct's own list.
 *
 * @category layout
 * @since 0.1.0
 */
export interface SpreadLayout {
  readonly tag: 'spread';
  readonly key: string;
  readonly offset: number;
  readonly storable: Storable<any>;
}

/**
 * A struct: its members in order and the byte ranges `[from, to)` that belong to no whole-byte
 * member (padding, and the bytes holding bit-fields), which a write sets to zero first.
 *
 * @category layout
 * @since 0.1.0
 */
export interface StructLayout {
  readonly tag: 'struct';
  readonly members: ReadonlyArray<FieldLayout | BitsLayout | SpreadLayout>;
  readonly gaps: ReadonlyArray<readonly [number, number]>;
}

/**
 * A member of a union, at offset 0. With `spread` it is a C11 anonymous struct: its members are
 * members of the union, so its value is the union's value itself (not under `key`), and it is
 * the member a value holds when any of its members is present.
 *
 * @category layout
 * @since 0.1.0
 */
export interface UnionMemberLayout {
  readonly key: string;
  readonly storable: Storable<any>;
  readonly spread?: true;
}

/**
 * A union: its members, all at offset 0, in order (a read returns the first that holds the
 * bytes exactly: see `unionReader`).
 *
 * @category layout
 * @since 0.1.0
 */
export interface UnionLayout {
  readonly tag: 'union';
  readonly members: ReadonlyArray<UnionMemberLayout>;
}

/**
 * @category layout
 * @since 0.1.0
 */
export interface ArrayLayout {
  readonly tag: 'array';
  readonly element: Storable<any>;
  readonly length: number;
}

/**
 * An enumeration over an integer scalar instance `base`: `tags` maps each name to its tag
 * (in the base's value type) and `names` each tag to its first name.
 *
 * @category layout
 * @since 0.1.0
 */
export interface EnumLayout {
  readonly tag: 'enum';
  readonly base: Storable<any>;
  readonly kind: IntegerKind;
  readonly tags: Readonly<Record<string, number | bigint>>;
  readonly names: ReadonlyMap<number | bigint, string>;
}

/**
 * A `char[length]` holding a UTF-8 string, NUL-padded; `terminated` when a NUL must follow it.
 *
 * @category layout
 * @since 0.1.0
 */
export interface CharsLayout {
  readonly tag: 'chars';
  readonly length: number;
  readonly terminated: boolean;
}

/**
 * `inner` with its alignment raised to `align` (the requested alignment, before `max` with the
 * inner one): as a member, `_Alignas(align)`; alone, `inner` padded to a multiple of it.
 *
 * @category layout
 * @since 0.1.0
 */
export interface AlignedLayout {
  readonly tag: 'aligned';
  readonly inner: Storable<any>;
  readonly align: number;
}

/**
 * @category layout
 * @since 0.1.0
 */
export type Layout =
  | ScalarLayout
  | StructLayout
  | UnionLayout
  | ArrayLayout
  | EnumLayout
  | CharsLayout
  | AlignedLayout;
