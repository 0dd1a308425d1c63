/**
 * C's `offsetof`: where a member of a struct or a union starts.
 *
 * @since 0.1.0
 */
import { showValue } from '../../arguments/index.js';
import type { Storable, StructLayout, UnionLayout, UnionMemberLayout } from '../storable/index.js';
import { isSpread } from './anonymous.js';
import type { Members, Struct, StructValue } from './struct.js';
import type { Union, UnionMembers } from './union.js';

type StructMember = StructLayout['members'][number];

/** The struct or union stored at offset 0 of `S` (through `aligned` wrappers), or `undefined`. */
const withMembers = (S: unknown): Storable<any> | undefined => {
  let at = S as Storable<any> | null | undefined;
  while (typeof at === 'object' && at !== null && at.layout?.tag === 'aligned') {
    at = at.layout.inner;
  }
  const tag = typeof at === 'object' && at !== null ? at.layout?.tag : undefined;
  return tag === 'struct' || tag === 'union' ? (at as Storable<any>) : undefined;
};

const nameOf = (S: unknown): string =>
  typeof S === 'object' && S !== null && typeof (S as { name?: unknown }).name === 'string'
    ? (S as { name: string }).name
    : showValue(S);

/**
 * The byte offset of member `key` in `S` (C's `offsetof`): its place in a struct; 0 for every
 * member of a union, as in C. The members of anonymous members (C11) are members of `S`:
 * `offsetOf(S, 'radius')` finds `radius` in an anonymous union of `S`, as C does. An `aligned(n, S)` instance stores `S` at offset 0, so its members
 * are `S`'s (C's `offsetof` on a typedef with raised alignment).
 *
 * Throws a `RangeError` for a bit-field (C rejects `offsetof` on one too) or a key that is not a
 * member, and a `TypeError` naming `offsetOf` when `S` has no members: a scalar, an array, an
 * enumeration, `chars`, a hand-written instance, or not an instance at all.
 *
 * @category combinators
 * @since 0.1.0
 */
export function offsetOf<F extends Members>(
  S: Struct<F>,
  key: keyof StructValue<F> & string,
): number;
export function offsetOf<F extends UnionMembers>(S: Union<F>, key: keyof F & string): number;
export function offsetOf(S: Storable<any>, key: string): number;
export function offsetOf(S: Storable<any>, key: string): number {
  const layout = withMembers(S)?.layout;
  if (layout === undefined || (layout.tag !== 'struct' && layout.tag !== 'union')) {
    throw new TypeError(
      `offsetOf: ${nameOf(S)} has no members (offsetOf takes a struct or a union)`,
    );
  }
  const found = find(layout, key);
  if (found === undefined)
    throw new RangeError(`offsetOf: ${String(key)} is not a member of ${nameOf(S)}`);
  if (found === 'bits')
    throw new RangeError(`offsetOf: ${key} is a bit-field, it has no byte offset`);
  return found;
}

/**
 * Where member `key` is in a struct or union layout, through its anonymous members (C11): its
 * offset, `'bits'` for a bit-field, `undefined` when there is none.
 */
const find = (layout: StructLayout | UnionLayout, key: string): number | 'bits' | undefined => {
  for (const m of layout.members as ReadonlyArray<UnionMemberLayout | StructMember>) {
    const offset = 'tag' in m ? (m.tag === 'bits' ? 'bits' : m.offset) : 0;
    if (isSpread(m)) {
      const inner = find(m.storable.layout as StructLayout | UnionLayout, key);
      if (inner !== undefined) return inner === 'bits' ? inner : (offset as number) + inner;
    } else if (m.key === key) return offset;
  }
  return undefined;
};
