/**
 * Records that model some fields of a C struct: the Haskell binding whose record keeps three of
 * the struct's twelve fields, with `sizeOf` the struct's. `pick(S, keys)` is that instance,
 * without a hand-written `peek` and `poke`.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts';
import { showValue } from '../../arguments/index.js';
import {
  checkName,
  storableArg,
  type Storable,
  type StorableOf,
  type StructLayout,
} from '../storable/index.js';
import { fieldOf, type FieldTarget } from './path.js';
import type { Members, Struct } from './struct.js';
import { structErrors } from './validate.js';

/**
 * What happens to the bytes of the struct that the picked fields do not cover, on `poke`:
 * `'keep'` leaves them as they were (a Haskell instance whose `poke` writes its fields only);
 * `'zero'` sets them to zero first (C's `struct T x = { .a = 1 };`, for a fresh struct).
 *
 * @category model
 * @since 0.1.0
 */
export type PickRest = 'keep' | 'zero';

/**
 * Options of {@link pick}. A string is taken as the name.
 *
 * @category model
 * @since 0.1.0
 */
export interface PickOptions {
  /** The name in messages. Default: `pick(S, a, b)`. */
  readonly name?: string;
  /** The other bytes on `poke`: kept (the default) or zeroed. */
  readonly rest?: PickRest;
}

/**
 * The instance of a record that models the fields `keys` of the struct `S`: its value has those
 * fields only (`Pick<StorableOf<S>, K>`), its size and alignment are `S`'s.
 *
 * - `peek` reads the picked fields, each where it is in `S` (bit-fields included).
 * - `poke` checks the value (each picked field present and fitting: a `MarshalError`, nothing
 *   written), then writes the picked fields; the struct's other bytes are **kept** by default
 *   (`rest: 'keep'`), or **zeroed** first with `rest: 'zero'`. A kept byte is whatever was there:
 *   with `alloca` and `with`, whose cells are reused, that is what an earlier program left, so
 *   fill a fresh struct with `rest: 'zero'` (or `calloc`). Extra properties are ignored.
 * - Laws, in Haskell's form: poke then peek gives the value back; with `'keep'`, peek then poke
 *   changes no byte and a second poke leaves what it alone would have (the other bytes being
 *   whatever they were); with `'zero'`, the bytes depend on the value alone, and peek then poke
 *   zeroes the bytes outside the picked fields (the one law it gives up).
 *
 * Throws a `TypeError` naming `pick` when `S` is not a struct, `keys` not an array or `options`
 * neither a name nor an object (its `name` not a string); a `RangeError` for a key that is not a
 * member, a key given twice, or a `rest` other than `'keep'` and `'zero'`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const pick = <
  F extends Members,
  const K extends readonly (keyof StorableOf<Struct<F>> & string)[],
>(
  S: Struct<F>,
  keys: K,
  options?: string | PickOptions,
): Storable<Pick<StorableOf<Struct<F>>, K[number]>> => {
  type V = Pick<StorableOf<Struct<F>>, K[number]>;
  storableArg('pick', S);
  if (S.layout?.tag !== 'struct') {
    throw new TypeError(`pick: ${S.name} is not a struct`);
  }
  if (!Array.isArray(keys)) {
    throw new TypeError(`pick: the keys must be an array, got ${showValue(keys)}`);
  }
  const o = optionsOf(options);
  const seen = new Set<string>();
  const fields: Array<readonly [string, FieldTarget]> = keys.map((k: string) => {
    if (seen.has(k)) throw new RangeError(`pick: ${JSON.stringify(k)} is picked twice`);
    seen.add(k);
    return [k, fieldOf('pick', S, k)] as const;
  });
  const layout: StructLayout = {
    tag: 'struct',
    members: S.layout.members.filter((m) => seen.has(m.key)),
    gaps: [],
  };
  const size = S.sizeOf;
  const zero = o.rest === 'zero';
  const name = o.name ?? `pick(${S.name}, ${keys.join(', ')})`;
  const is = (u: unknown): u is V =>
    typeof u === 'object' &&
    u !== null &&
    fields.every(([k, F]) => k in u && F.codec.is((u as Record<string, unknown>)[k]));
  return {
    name,
    sizeOf: size,
    alignment: S.alignment,
    codec: new t.Type<V, V, unknown>(
      name,
      is,
      (u, c) => {
        if (is(u)) return t.success(u);
        const errors = structErrors(layout, u, c);
        return errors.length > 0 ? t.failures(errors) : t.failure(u, c);
      },
      t.identity,
    ),
    read: (v, p) => {
      const out: Record<string, unknown> = {};
      for (const [k, F] of fields) out[k] = F.read(v, p);
      return out as V;
    },
    write: (v, p, a) => {
      if (zero) v.u8.fill(0, p, p + size);
      for (const [k, F] of fields) F.write(v, p, (a as Record<string, unknown>)[k]);
    },
  };
};

const optionsOf = (options: string | PickOptions | undefined): PickOptions => {
  if (options === undefined) return {};
  if (typeof options === 'string') return { name: options };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`pick: options must be a name or an object, got ${showValue(options)}`);
  }
  if (options.name !== undefined) checkName('pick', options.name);
  if (options.rest !== undefined && options.rest !== 'keep' && options.rest !== 'zero') {
    throw new RangeError(`pick: rest must be 'keep' or 'zero', got ${showValue(options.rest)}`);
  }
  return options;
};
