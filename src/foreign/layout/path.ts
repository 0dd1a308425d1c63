/**
 * Field paths: the names of a member of a struct, union, tagged union or array, one step at a
 * time (`'id'`, `['window', 'data1']`, `['tag', 2]`), as types (so a wrong name does not
 * compile and the field's type is inferred) and at run time (where a path is resolved, once, to
 * the member's offset and instance: see `fieldOf`).
 *
 * @since 0.1.0
 */
import { safeNumber, showValue } from '../../arguments/index.js';
import type { Views } from '../../memory/index.js';
import {
  elementPath,
  memberPath,
  rootLabel,
  type BitsLayout,
  type Storable,
} from '../storable/index.js';
import { memberOf, type Anonymous } from './anonymous.js';
import type { Aligned } from './aligned.js';
import type { FixedArray } from './array.js';
import type { BitField } from './bitfield.js';
import { membersOf } from './member-kinds.js';
import { nameOf, unwrapAligned } from './members.js';
import type { Struct, StructValue } from './struct.js';
import type { TaggedUnion } from './tagged.js';
import type { Union, UnionValue } from './union.js';

// ---------------------------------------------------------------------------------------------
// Public API: the types

/** `S` without its `aligned(n, …)` wrappers: what a path steps into. */
type Unwrapped<S> =
  S extends Aligned<any, infer I> ? (I extends Storable<any> ? Unwrapped<I> : S) : S;

/**
 * The steps a path can take into `S`: the member names of a struct (bit-fields included,
 * unnamed ones not), a union or a tagged union (its arms' names), or an index of an array;
 * `never` for anything else (a scalar, an enumeration, `chars`, a hand-written instance).
 *
 * @category model
 * @since 0.1.0
 */
export type FieldKey<S> =
  Unwrapped<S> extends Struct<infer F>
    ? keyof StructValue<F> & string
    : Unwrapped<S> extends Union<infer F>
      ? keyof UnionValue<F> & string
      : Unwrapped<S> extends TaggedUnion<any, infer A>
        ? keyof A & string
        : Unwrapped<S> extends FixedArray<any, any>
          ? number | bigint
          : never;

/**
 * The member named `K` among the members `F` of a struct or union: `F[K]`, or the member of
 * that name of an anonymous member (C11: its members are the holder's; its own key names
 * nothing).
 */
type MemberChild<F, K> = K extends keyof F
  ? F[K] extends Anonymous<any, any>
    ? never
    : F[K]
  : { [A in keyof F]: F[A] extends Anonymous<any, infer I> ? Child<I, K> : never }[keyof F];

/** The member of `S` that step `K` reaches: an instance, or a bit-field. */
type Child<S, K> =
  Unwrapped<S> extends Struct<infer F>
    ? MemberChild<F, K>
    : Unwrapped<S> extends Union<infer F>
      ? MemberChild<F, K>
      : Unwrapped<S> extends TaggedUnion<any, infer A>
        ? K extends keyof A
          ? A[K][1]
          : never
        : Unwrapped<S> extends FixedArray<any, infer E>
          ? E
          : never;

type PathFrom<S, K> =
  K extends FieldKey<S> ? readonly [K] | readonly [K, ...FieldPath<Child<S, K>>] : never;

/**
 * Every path into `S`, as a union of tuples: `readonly ['window'] | readonly ['window',
 * 'data1'] | …`. A path names a member at any depth, through structs, unions, tagged unions
 * (by arm name) and arrays (by index: any `number` at compile time, checked against the length
 * when the path is resolved).
 *
 * @category model
 * @since 0.1.0
 */
export type FieldPath<S> = [FieldKey<S>] extends [never] ? never : PathFrom<S, FieldKey<S>>;

/** A path as a tuple: one key is a path of one step. */
export type StepsOf<P> = P extends readonly unknown[] ? P : readonly [P];

/** The member (an instance, or a bit-field) at the end of the steps `P` from `S`. */
export type FieldTargetOf<S, P> = P extends readonly [infer K, ...infer R]
  ? FieldTargetOf<Child<S, K>, R>
  : S;

/**
 * The TypeScript type of the field at path `P` (a key, or a tuple of steps) of `S`: what
 * `peekField(S, P)` reads and `pokeField(S, P)` writes.
 *
 * @category model
 * @since 0.1.0
 */
export type FieldValue<S, P> =
  FieldTargetOf<S, StepsOf<P>> extends infer M
    ? M extends BitField<infer A>
      ? A
      : M extends Storable<infer A>
        ? A
        : never
    : never;

/**
 * `unknown` when the path `P` of `S` ends at a whole-byte member, `never` when it ends at a
 * bit-field (which has no address): `fieldPtr` and `fieldOffset` take `P & BytePath<S, P>`, so
 * that a bit-field path does not compile there.
 *
 * @category model
 * @since 0.1.0
 */
export type BytePath<S, P> = FieldTargetOf<S, StepsOf<P>> extends BitField<any> ? never : unknown;

// ---------------------------------------------------------------------------------------------
// Implementation: resolving a path

/**
 * A resolved path: the field as an instance over the value it belongs to. `read(v, p)` and
 * `write(v, p, a)` take the address of the whole value and touch the field's bytes only (the
 * rest is kept, bit-fields included); `sizeOf` is where the field's bytes end, from the start of
 * the whole value (what must lie in memory for an access), `codec` the field's own.
 *
 * @internal
 */
export interface FieldTarget extends Storable<any> {
  /** The path in messages: `SDL_Event.window.data1`, `Particle.tag[2]`. */
  readonly path: string;
  /** The field's byte offset from the start of the value; `undefined` for a bit-field. */
  readonly offset: number | undefined;
  /** The field's instance (`undefined` for a bit-field). */
  readonly storable: Storable<any> | undefined;
}

const isBits = (at: Storable<any> | BitsLayout): at is BitsLayout =>
  (at as Partial<BitsLayout>).tag === 'bits';

/** Something a path can step into, with what to step into next for a key. */
type Step = (key: unknown) => { at: Storable<any> | BitsLayout; by: number; label: string };

const isTagged = (S: Storable<any>): S is TaggedUnion<string, any> =>
  typeof (S as Partial<TaggedUnion<string, any>>).taggedOn === 'string' &&
  typeof (S as Partial<TaggedUnion<string, any>>).arms === 'object';

/** How to step into `S` (unwrapped), or `undefined` when it has no members. */
const stepsInto = (call: string, S: Storable<any>, label: string): Step | undefined => {
  const layout = S.layout;
  const missing = (key: unknown): never => {
    throw new RangeError(`${call}: ${showValue(key)} is not a member of ${label}`);
  };
  if (layout?.tag === 'struct' || layout?.tag === 'union') {
    return (key) => {
      const found = memberOf(layout, key) ?? missing(key);
      return { ...found, label: memberPath(label, key as string) };
    };
  }
  if (layout?.tag === 'array') {
    return (key) => {
      const i = typeof key === 'bigint' ? safeNumber(key) : key;
      if (!Number.isSafeInteger(i) || (i as number) < 0 || (i as number) >= layout.length) {
        throw new RangeError(
          `${call}: index ${showValue(key)} is not in [0, ${layout.length}) for ${label}`,
        );
      }
      const n = i as number;
      return { at: layout.element, by: n * layout.element.sizeOf, label: elementPath(label, n) };
    };
  }
  if (isTagged(S)) {
    return (key) => {
      const arm = typeof key === 'string' && Object.hasOwn(S.arms, key) ? S.arms[key] : undefined;
      if (arm === undefined) missing(key);
      return { at: arm![1] as Storable<any>, by: 0, label: memberPath(label, key as string) };
    };
  }
  return undefined;
};

/** The steps of a path argument: one key, or a non-empty array of them. */
const stepsOf = (call: string, path: unknown): readonly unknown[] => {
  if (typeof path === 'string' || typeof path === 'number' || typeof path === 'bigint') {
    return [path];
  }
  if (!Array.isArray(path)) {
    throw new TypeError(
      `${call}: the path must be a member name or an array of steps, got ${showValue(path)}`,
    );
  }
  if (path.length === 0) throw new RangeError(`${call}: the path is empty`);
  return path;
};

/** A bit-field at `byte` bytes into the value: its layout with the bit offset from the start. */
const bitsFrom = (m: BitsLayout, byte: number): BitsLayout => ({
  ...m,
  bitOffset: m.bitOffset + byte * 8,
});

/** Clears the `width` bits of a bit-field at `shift` bits into `nbytes` bytes from `at`. */
const clearBits = (u8: Uint8Array, at: number, shift: number, width: number, n: number): void => {
  for (let k = 0; k < n; k++) {
    const lo = Math.max(0, shift - 8 * k);
    const hi = Math.min(8, shift + width - 8 * k);
    const mask = ((1 << hi) - 1) & ~((1 << lo) - 1);
    u8[at + k] = (u8[at + k] as number) & ~mask;
  }
};

/** The target of a whole-byte field of instance `S` at `offset`. */
const byteTarget = (S: Storable<any>, offset: number, path: string): FieldTarget => ({
  name: S.name,
  path,
  offset,
  storable: S,
  sizeOf: offset + S.sizeOf,
  alignment: 1,
  codec: S.codec,
  // Reads and writes of the field's own instance at its place: what `peek(S, p + offset)` does.
  read: (v: Views, p: number) => S.read(v, p + offset),
  write: (v: Views, p: number, a: unknown) => S.write(v, p + offset, a),
});

/** The target of a bit-field (its bit offset from the start of the value). */
const bitsTarget = (m: BitsLayout, path: string): FieldTarget => {
  const kinds = membersOf('bits');
  const access = kinds.access(m);
  const read = kinds.reader(m, { path, instance: m.codec.name });
  const write = kinds.writer(m);
  return {
    name: m.codec.name,
    path,
    offset: undefined,
    storable: undefined,
    sizeOf: access.byte + access.nbytes,
    alignment: 1,
    codec: m.codec,
    read,
    write: (v: Views, p: number, a: unknown) => {
      // The struct's writer ORs a bit-field into bytes it zeroed; alone, its bits are cleared
      // first, and the bits around it (other fields) are kept.
      clearBits(v.u8, p + access.byte, access.shift, m.width, access.nbytes);
      write(v, p, a);
    },
  };
};

/** Resolves `path` in `S` (no cache): walks the steps, adding offsets. */
const resolve = (call: string, S: Storable<any>, path: unknown): FieldTarget => {
  const steps = stepsOf(call, path);
  let at: Storable<any> | BitsLayout = S;
  let label = rootLabel(S.name);
  let offset = 0;
  for (const [n, key] of steps.entries()) {
    if (isBits(at)) throw new RangeError(`${call}: ${label} is a bit-field: it has no members`);
    const step: Step | undefined = stepsInto(call, unwrapAligned(at).stored, label);
    if (step === undefined) {
      throw new TypeError(
        `${call}: ${n === 0 ? nameOf(S) : `${label} (${nameOf(at)})`} has no members (a path ` +
          'goes through structs, unions, tagged unions and arrays)',
      );
    }
    const next = step(key);
    at = next.at;
    offset += next.by;
    label = next.label;
  }
  return isBits(at) ? bitsTarget(bitsFrom(at, offset), label) : byteTarget(at, offset, label);
};

const cache = new WeakMap<object, Map<unknown, FieldTarget>>();

/**
 * The field at `path` (a key, or an array of steps) of the instance `S`, resolved once and
 * remembered. Throws a `TypeError` naming `call` when `S` is not an instance or has no members
 * where the path goes, or the path is neither a key nor an array; a `RangeError` for an empty
 * path, a name that is not a member, an index outside the array, or a step below a bit-field.
 *
 * @internal
 */
export const fieldOf = (call: string, S: Storable<any>, path: unknown): FieldTarget => {
  if (typeof S !== 'object' || S === null || typeof S.sizeOf !== 'number') {
    throw new TypeError(`${call}: ${showValue(S)} is not a Storable instance`);
  }
  let known = cache.get(S);
  if (known === undefined) {
    known = new Map();
    cache.set(S, known);
  }
  // One key is its own cache key; a path of several steps is keyed by its JSON text (when its
  // steps are strings and numbers; anything else is resolved each time, to be refused).
  const key = typeof path === 'string' || typeof path === 'number' ? path : jsonKey(path);
  let target = key === undefined ? undefined : known.get(key);
  if (target === undefined) {
    target = resolve(call, S, path);
    if (key !== undefined) known.set(key, target);
  }
  return target;
};

/** The cache key of a path of several steps, or `undefined` when it cannot have one. */
const jsonKey = (path: unknown): string | undefined =>
  Array.isArray(path) && path.every((s) => typeof s === 'string' || typeof s === 'number')
    ? JSON.stringify(path)
    : undefined;
