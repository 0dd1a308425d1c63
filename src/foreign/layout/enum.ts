/**
 * Enumerations over an integer type: C's `enum`, with the name as the value.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts';
import { showValue } from '../../arguments/index.js';
import {
  checkName,
  failPeek,
  rootLabel,
  storableArg,
  type Site,
  isBigIntKind,
  scalarIs,
  scalarReader,
  scalarSize,
  scalarWriter,
  type Storable,
  type EnumLayout,
  type IntegerKind,
} from '../storable/index.js';

/**
 * An enumeration instance: its value is one of the names, stored as its tag in `base`.
 *
 * @category model
 * @since 0.1.0
 */
export interface Enumeration<K extends string> extends Storable<K> {
  readonly base: Storable<number> | Storable<bigint>;
  readonly tags: Readonly<Record<K, number | bigint>>;
  readonly layout: EnumLayout;
}

const integerKindOf = (base: Storable<any>): IntegerKind => {
  const layout = storableArg('enumeration', base).layout;
  if (layout?.tag !== 'scalar' || /^(f32|f64|bool32|bool8|char32)$/.test(layout.kind)) {
    throw new TypeError(`enumeration: ${base?.name} is not an integer instance`);
  }
  return layout.kind as IntegerKind;
};

const tagTable = (
  kind: IntegerKind,
  tags: Readonly<Record<string, unknown>>,
): Record<string, number | bigint> => {
  const table: Record<string, number | bigint> = Object.create(null);
  for (const [name, tag] of Object.entries(tags)) {
    const value =
      typeof tag === 'number' && isBigIntKind(kind) && Number.isSafeInteger(tag)
        ? BigInt(tag)
        : tag;
    if (!scalarIs[kind](value)) {
      throw new RangeError(
        `enumeration: tag ${showValue(tag)} of ${name} does not fit the base type`,
      );
    }
    table[name] = value as number | bigint;
  }
  return table;
};

const nameTable = (table: Record<string, number | bigint>): Map<number | bigint, string> => {
  const names = new Map<number | bigint, string>();
  for (const name of Object.keys(table)) {
    const tag = table[name] as number | bigint;
    if (!names.has(tag)) names.set(tag, name);
  }
  return names;
};

/**
 * The function from a tag to its name used by readers: a tag with no name is a `MarshalError`
 * naming `site`.
 *
 * @category utils
 * @since 0.1.0
 */
export const enumNamer =
  (layout: EnumLayout, site: Site): ((tag: number | bigint) => string) =>
  (tag) =>
    layout.names.get(tag) ?? failPeek(site, tag, 'no name of the enumeration has this tag');

/**
 * An enumeration over the integer instance `base` (`CInt` for a C `enum`):
 * `enumeration(CInt, { RED: 0, GREEN: 1 })`. Its value is the name (`'RED'`); poke writes the
 * tag, peek maps the tag back to the first name declared with it (C allows several names for
 * one tag), and a tag with no name is a `MarshalError` (C leaves out-of-range enum values to
 * the program).
 *
 * Throws a `TypeError` when `base` is not an integer instance, `tags` not an object or `name`
 * not a string, and a `RangeError` when a tag does not fit it or there are no names.
 *
 * @category combinators
 * @since 0.1.0
 */
export const enumeration = <const T extends Readonly<Record<string, number | bigint>>>(
  base: Storable<number> | Storable<bigint>,
  tags: T,
  name?: string,
): Enumeration<keyof T & string> => {
  const kind = integerKindOf(base);
  if (typeof tags !== 'object' || tags === null) {
    throw new TypeError(`enumeration: the tags must be an object, got ${showValue(tags)}`);
  }
  if (name !== undefined) checkName('enumeration', name);
  const table = tagTable(kind, tags);
  const keys = Object.keys(table);
  if (keys.length === 0) throw new RangeError('enumeration: there are no names');
  const fullName = name ?? `enum { ${keys.map((k) => `${k} = ${String(table[k])}`).join(', ')} }`;
  const layout: EnumLayout = { tag: 'enum', base, kind, tags: table, names: nameTable(table) };
  const is = (u: unknown): u is keyof T & string => typeof u === 'string' && u in table;
  const expected = `one of ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`;
  const readTag = scalarReader(kind, { path: rootLabel(fullName), instance: fullName });
  const toName = enumNamer(layout, { path: rootLabel(fullName), instance: fullName });
  const writeTag = scalarWriter(kind);
  return {
    name: fullName,
    sizeOf: scalarSize[kind],
    alignment: scalarSize[kind],
    base,
    tags: table as Record<keyof T & string, number | bigint>,
    layout,
    codec: new t.Type(
      fullName,
      is,
      (u, c) => (is(u) ? t.success(u) : t.failure(u, c, expected)),
      t.identity,
    ),
    read: (v, p) => toName(readTag(v, p)) as keyof T & string,
    write: (v, p, a) => writeTag(v, p, table[a]),
  };
};
