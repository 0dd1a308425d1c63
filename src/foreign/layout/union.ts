/**
 * C unions: `union({ i: CInt, f: CFloat })`, all members at offset 0.
 *
 * @since 0.1.0
 */
import { roundUp } from '../../arguments/index.js';
import { checkValueKeys, isAnonymous, valueKeys, type Anonymous } from './anonymous.js';
import {
  checkStorable,
  type Storable,
  type StorableOf,
  type UnionLayout,
  type UnionMemberLayout,
} from '../storable/index.js';
import { compiledOnFirstUse } from './compile.js';
import { checkKey, layoutOptions, memberAlignment, unwrapAligned } from './members.js';
import { unionErrors } from './validate.js';

/**
 * The members of a union, by name, in order (peek tries them in this order): instances, or
 * anonymous structs and unions (C11, see `anonymous`).
 *
 * @category model
 * @since 0.1.0
 */
export type UnionMembers = Readonly<Record<string, Storable<any> | Anonymous<any>>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value type of a union with members `F`, an anonymous member's value included. */
type MemberValue<M> = M extends Anonymous<infer A> ? A : StorableOf<M & Storable<any>>;

/** Every name a union value may have: the members', an anonymous member's own members' too. */
type NamesOf<F> = {
  [K in keyof F]: F[K] extends Anonymous<infer A> ? (A extends unknown ? keyof A : never) : K;
}[keyof F];

/** One variant of a union value: the member `K`, and none of the names of the others. */
type Variant<F, K extends keyof F> =
  F[K] extends Anonymous<infer A>
    ? A extends unknown
      ? Simplify<A & { [P in Exclude<NamesOf<F>, keyof A>]?: never }>
      : never
    : Simplify<{ [P in K]: MemberValue<F[P]> } & { [P in Exclude<NamesOf<F>, K>]?: never }>;

/**
 * The value type of a union with members `F`: an object with exactly one of the members,
 * `{ i: number } | { f: number }` (the others absent). An anonymous struct member is a variant
 * with all of its members (`{ x, y, z }`), an anonymous union's members are variants of their
 * own.
 *
 * @category model
 * @since 0.1.0
 */
export type UnionValue<F extends UnionMembers> = { [K in keyof F]: Variant<F, K> }[keyof F];

/**
 * A union instance.
 *
 * @category model
 * @since 0.1.0
 */
export interface Union<F extends UnionMembers> extends Storable<UnionValue<F>> {
  readonly fields: F;
  readonly layout: UnionLayout;
  /** Whether it was declared packed. */
  readonly packed: boolean;
  /** The alignment it was declared with (`align`), 1 when none. */
  readonly declaredAlign: number;
}

/**
 * Options of {@link union}. A string is taken as the name.
 *
 * @category model
 * @since 0.1.0
 */
export interface UnionOptions {
  readonly name?: string;
  /** `__attribute__((packed))`: members aligned to 1 (unless `aligned`). */
  readonly packed?: boolean;
  /** `__attribute__((aligned(n)))` on the union type. */
  readonly align?: number | bigint;
}

interface UnionParts<F> {
  name: string;
  sizeOf: number;
  alignment: number;
  layout: UnionLayout;
  fields: F;
  packed: boolean;
  declaredAlign: number;
}

/**
 * A C union of `fields`: size the largest member's, rounded up to the largest alignment.
 *
 * C says which member a union holds only in the program's head. Here the value says it: a union
 * value is an object with **exactly one** member present (`{ f: 1.5 }`). A poke writes that
 * member and zeroes the rest of the union's bytes; no member, or two, is a `MarshalError`. A
 * peek returns the **first member, in key order, whose value holds the bytes exactly** (poked
 * back, it writes the same bytes), so peek then poke changes no byte, and poke then peek gives
 * the value back unless an earlier member holds the same bytes (`{ i: 1069547520 }` for
 * `{ f: 1.5 }` when `i` is a 32-bit integer before `f`). When no member holds them exactly
 * (bytes this library did not write), peek returns the first member that reads them. Read a
 * given member with `peek(U.fields.f, p)` (every member is at offset 0).
 *
 * An anonymous member (`anonymous(S)`, C11) adds its members to the union's: see `anonymous`.
 *
 * Throws a `TypeError` when a member is not an instance (bit-fields are not supported in
 * unions), `options` is neither a name nor an object, its `name` not a string or `packed` not a
 * boolean, and a `RangeError` when there are no members or for a bad member name or `align`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const union = <F extends UnionMembers>(
  fields: F,
  options?: string | UnionOptions,
): Union<F> => {
  const o = layoutOptions<UnionOptions>('union', options);
  const align = o.align;
  if (typeof fields !== 'object' || fields === null)
    throw new TypeError('union: members must be an object');
  const entries = Object.entries(fields);
  if (entries.length === 0) throw new RangeError('union: there are no members');
  const packed = o.packed === true;
  let alignment = align ?? 1;
  let end = 0;
  const anonymousKeys: string[] = [];
  const members = entries.flatMap(([key, m]): UnionMemberLayout[] => {
    checkKey('union', key);
    if (isAnonymous(m)) {
      // An anonymous union is flattened (its members are at offset 0 too), an anonymous struct
      // is a member spread into the value; either takes its own size and alignment.
      const inner = m.storable;
      anonymousKeys.push(key);
      alignment = Math.max(alignment, memberAlignment(inner, packed));
      end = Math.max(end, inner.sizeOf);
      const layout = inner.layout as UnionLayout | { tag: 'struct' };
      return layout.tag === 'union'
        ? [...layout.members]
        : [{ key, storable: inner, spread: true }];
    }
    checkStorable('union', `member ${key}`, m);
    const { stored } = unwrapAligned(m);
    alignment = Math.max(alignment, memberAlignment(m, packed));
    end = Math.max(end, stored.sizeOf);
    return [{ key, storable: stored }];
  });
  const names = members.flatMap((m) => (m.spread === true ? valueKeys(m.storable) : [m.key]));
  checkValueKeys('union', names, anonymousKeys);
  const layout: UnionLayout = { tag: 'union', members };
  const sizeOf = roundUp(end, alignment);
  const described = entries.map(
    ([k, m]) => `${k}: ${isAnonymous(m) ? `anonymous ${m.storable.name}` : m.name}`,
  );
  const name = o.name ?? `union { ${described.join('; ')} }`;
  return compiledOnFirstUse<UnionValue<F>, UnionParts<F>>(
    { name, sizeOf, alignment, layout, fields, packed, declaredAlign: align ?? 1 },
    'UnionType',
    (u, c) => unionErrors(layout, u, c),
  );
};
