/**
 * C's `offsetof`: where a member of a struct or a union starts.
 *
 * @since 0.1.0
 */
import type { Storable } from '../storable/index.js';
import { memberOf } from './anonymous.js';
import { nameOf, unwrapAligned } from './members.js';
import type { Members, Struct, StructValue } from './struct.js';
import type { Union, UnionMembers } from './union.js';

/**
 * The byte offset of member `key` in `S` (C's `offsetof`): its place in a struct; 0 for every
 * member of a union, as in C. The members of anonymous members (C11) are members of `S`:
 * `offsetOf(S, 'radius')` finds `radius` in an anonymous union of `S`, as C does. An `aligned(n, S)`
 * instance stores `S` at offset 0, so its members are `S`'s (C's `offsetof` on a typedef with raised alignment).
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
  // An `aligned(n, S)` instance stores `S` at offset 0: its members are `S`'s.
  const layout = typeof S === 'object' && S !== null ? unwrapAligned(S).stored.layout : undefined;
  if (layout === undefined || (layout.tag !== 'struct' && layout.tag !== 'union')) {
    throw new TypeError(
      `offsetOf: ${nameOf(S)} has no members (offsetOf takes a struct or a union)`,
    );
  }
  const found = memberOf(layout, key);
  if (found === undefined)
    throw new RangeError(`offsetOf: ${String(key)} is not a member of ${nameOf(S)}`);
  if ((found.at as { tag?: unknown }).tag === 'bits')
    throw new RangeError(`offsetOf: ${key} is a bit-field, it has no byte offset`);
  return found.by;
}
