/**
 * C11 anonymous members: a struct or union member with no name, whose own members are members
 * of the struct or union that holds it.
 *
 * ```c
 * struct Shape { int kind; union { float radius; float side; }; };   // shape.radius
 * union Vec { struct { float x, y, z; }; float v[3]; };              // vec.x, vec.v
 * ```
 *
 * is `struct({ kind: CInt, _0: anonymous(union({ radius: CFloat, side: CFloat })) })` and
 * `union({ _0: anonymous(struct({ x: CFloat, y: CFloat, z: CFloat })), v: array(CFloat, 3) })`.
 * The key (`_0`) places the member among the others and is not part of the value: the value of
 * a `Shape` is `{ kind, radius }` or `{ kind, side }`, and `offsetOf(Shape, 'radius')` is 4, as
 * C's `offsetof(struct Shape, radius)`.
 *
 * The layout is C's: the anonymous member is placed as a named member of its type would be (its
 * own alignment, its own size, its own packing and alignment attributes), and its members keep
 * their places inside it. How each case is stored:
 *
 * - an anonymous struct in a struct, and an anonymous union in a union, are flattened: their
 *   members join the list of the holder, at their offsets in it;
 * - an anonymous union in a struct is a {@link SpreadLayout} member: its value (exactly one of
 *   its members) is spread into the struct's value;
 * - an anonymous struct in a union is a member marked `spread`: a union value holds it when any
 *   of its members is present, and then holds all of them.
 *
 * Every name a value has (the members of the holder and of its anonymous members, at any depth)
 * must differ from the others and from the keys of anonymous members, as C requires of member
 * names.
 *
 * @since 0.1.0
 */
import type {
  BitsLayout,
  SpreadLayout,
  Storable,
  StorableOf,
  StructLayout,
  UnionLayout,
  UnionMemberLayout,
} from '../storable/index.js';
import { nameOf } from './members.js';

// -------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------

/**
 * An anonymous member: the struct or union `storable`, whose members are members of the holder.
 * `A` is its value type, which is spread into the holder's value.
 *
 * @category model
 * @since 0.1.0
 */
export interface Anonymous<A, S extends Storable<A> = Storable<A>> {
  readonly _tag: 'Anonymous';
  /** The struct or union, with its own type (so that field paths can go through it). */
  readonly storable: S;
}

// -------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------

/**
 * A C11 anonymous struct or union member (see the module comment): `S`, a struct or a union
 * instance, as a member of a struct or union whose value holds `S`'s members directly.
 *
 * Throws a `TypeError` naming `anonymous` when `S` is not a struct or union of this library
 * (C allows only those unnamed; an `aligned(n, S)` wrapper is refused too: declare the struct
 * or union with `{ align: n }` instead).
 *
 * @category constructors
 * @since 0.1.0
 */
export const anonymous = <S extends Storable<any>>(S: S): Anonymous<StorableOf<S>, S> => {
  const tag = typeof S === 'object' && S !== null ? (S as Storable<any>).layout?.tag : undefined;
  if (tag !== 'struct' && tag !== 'union') {
    throw new TypeError(`anonymous: ${nameOf(S)} is not a struct or a union`);
  }
  return { _tag: 'Anonymous', storable: S };
};

// -------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------

/**
 * Whether a member given to `struct` or `union` is an anonymous one.
 *
 * @category utils
 * @since 0.1.0
 */
export const isAnonymous = (m: unknown): m is Anonymous<any> =>
  typeof m === 'object' && m !== null && (m as { _tag?: unknown })._tag === 'Anonymous';

/**
 * The names a value of the struct or union `S` has, in order: its members', with those of
 * anonymous members in their place (the keys of anonymous members are not among them).
 *
 * @category utils
 * @since 0.1.0
 */
export const valueKeys = (S: Storable<any>): string[] => {
  const layout = S.layout as StructLayout | UnionLayout;
  return (layout.members as ReadonlyArray<StructLayout['members'][number] | UnionMemberLayout>)
    .map((m) => (isSpread(m) ? valueKeys(m.storable) : [m.key]))
    .flat();
};

/**
 * Whether a struct or union member is spread into the value (an anonymous union in a struct, an
 * anonymous struct in a union).
 *
 * @category utils
 * @since 0.1.0
 */
export const isSpread = (
  m: StructLayout['members'][number] | UnionMemberLayout,
): m is SpreadLayout | (UnionMemberLayout & { readonly spread: true }) =>
  ('tag' in m && m.tag === 'spread') || ('spread' in m && m.spread === true);

/**
 * Throws a `RangeError` naming `call` when a name of the value is used twice, or is also the key
 * of an anonymous member (C rejects a duplicate member name).
 *
 * @category utils
 * @since 0.1.0
 */
export const checkValueKeys = (
  call: string,
  names: readonly string[],
  anonymousKeys: readonly string[],
): void => {
  const seen = new Set<string>(anonymousKeys);
  for (const name of names) {
    if (seen.has(name)) {
      throw new RangeError(
        `${call}: member ${JSON.stringify(name)} is declared twice (also through an anonymous member)`,
      );
    }
    seen.add(name);
  }
};

/**
 * The member named `key` of a struct or union layout and its offset, through anonymous members
 * (an anonymous union in a struct is a spread member, an anonymous struct in a union a member
 * marked `spread`, whose members are the holder's); `undefined` when there is none. The key of
 * an anonymous member itself names nothing, as in C. A bit-field is its layout, at offset 0 (its
 * place is its `bitOffset`). What `offsetOf` and field paths look members up with.
 *
 * @category utils
 * @since 0.1.0
 */
export const memberOf = (
  layout: StructLayout | UnionLayout,
  key: unknown,
): { at: Storable<any> | BitsLayout; by: number } | undefined => {
  for (const m of layout.members as ReadonlyArray<
    StructLayout['members'][number] | UnionMemberLayout
  >) {
    const by = 'tag' in m && m.tag !== 'bits' ? m.offset : 0;
    if (isSpread(m)) {
      const inner = memberOf(m.storable.layout as StructLayout | UnionLayout, key);
      if (inner !== undefined) return { at: inner.at, by: by + inner.by };
    } else if (m.key === key) {
      return 'tag' in m && m.tag === 'bits' ? { at: m, by: 0 } : { at: m.storable, by };
    }
  }
  return undefined;
};

/**
 * The value type an anonymous member adds to its holder's: the intersection of the value types
 * of the anonymous members of `F` (`unknown` when there are none). Each is boxed before the
 * intersection so that a union value (`{ i } | { f }`) stays a union of whole variants.
 *
 * @category model
 * @since 0.1.0
 */
export type AnonymousValues<F> = [AnonymousKeys<F>] extends [never]
  ? unknown
  : BoxesOf<F> extends { readonly value: infer V }
    ? V
    : never;

/**
 * The keys of the anonymous members of `F`.
 *
 * @category model
 * @since 0.1.0
 */
export type AnonymousKeys<F> = {
  [K in keyof F]: F[K] extends Anonymous<any> ? K : never;
}[keyof F];

type BoxesOf<F> = {
  [K in keyof F]: F[K] extends Anonymous<infer A> ? (box: { readonly value: A }) => void : never;
}[keyof F] extends (box: infer I) => void
  ? I
  : never;
