/**
 * Tagged unions: C's `union` whose arms are structs that all begin with (or hold at one offset)
 * the same integer tag field, such as SDL's `SDL_Event` (a `Uint32 type`, then one of fifty
 * event structs). Haskell binding authors model them as sum types whose `peek` dispatches on the
 * tag; here the value type is a TypeScript discriminated union, inferred from the arms, whose
 * discriminant is the arm's name.
 *
 * ```ts
 * const Event = taggedUnion('type', {
 *   QUIT: [0x100, QuitEvent],
 *   KEYDOWN: [0x300, KeyboardEvent],
 *   KEYUP: [0x301, KeyboardEvent],
 * }, { name: 'SDL_Event', size: 56 });
 * // StorableOf<typeof Event>: { type: 'QUIT'; timestamp: number }
 * //                        | { type: 'KEYDOWN'; timestamp: number; windowID: number; … } | …
 * ```
 *
 * @since 0.1.0
 */
import * as t from 'io-ts';
import { checkAlignment, checkSize, roundUp, showValue } from '../../arguments/index.js';
import type { Views } from '../../memory/index.js';
import {
  checkName,
  checkStorable,
  failPeek,
  rootLabel,
  scalarIs,
  scalarReader,
  type IntegerKind,
  type Storable,
  type StorableOf,
} from '../storable/index.js';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * One arm of a tagged union: its tag (the integer the tag field holds for it) and its instance,
 * a struct that has the tag field.
 *
 * @category model
 * @since 0.1.0
 */
export type TaggedArm = readonly [tag: number | bigint, instance: Storable<any>];

/**
 * The arms of a tagged union, by name: the names are the values of the tag field in the
 * TypeScript value.
 *
 * @category model
 * @since 0.1.0
 */
export type TaggedArms = Readonly<Record<string, TaggedArm>>;

/**
 * The value type of a tagged union keyed by `K` with arms `A`: for each arm, its struct's value
 * with the tag field replaced by the arm's name, `{ type: 'KEYDOWN'; … } | { type: 'QUIT'; … }`.
 *
 * @category model
 * @since 0.1.0
 */
export type TaggedValue<K extends string, A extends TaggedArms> = {
  [N in keyof A & string]: Simplify<{ [P in K]: N } & Omit<StorableOf<A[N][1]>, K>>;
}[keyof A & string];

/**
 * A tagged union instance.
 *
 * @category model
 * @since 0.1.0
 */
export interface TaggedUnion<K extends string, A extends TaggedArms> extends Storable<
  TaggedValue<K, A>
> {
  /** The name of the tag field. */
  readonly taggedOn: K;
  /** Where the tag field is, in bytes from the start (the same in every arm). */
  readonly tagOffset: number;
  /** The arms, as given. */
  readonly arms: A;
}

/**
 * Options of {@link taggedUnion}. A string is taken as the name.
 *
 * @category model
 * @since 0.1.0
 */
export interface TaggedUnionOptions {
  /** The name in messages. Default: `tagged union on K { NAME = tag; … }`. */
  readonly name?: string;
  /**
   * The union's size at least (C's `Uint8 padding[56]` member of `SDL_Event`), rounded up to the
   * alignment; default and minimum: the largest arm's.
   */
  readonly size?: number | bigint;
  /** The union's alignment at least (`__attribute__((aligned(n)))`); default: the arms'. */
  readonly align?: number | bigint;
}

/** What the instance knows of one arm. */
interface ArmInfo {
  readonly name: string;
  readonly tag: number | bigint;
  readonly instance: Storable<any>;
}

const INTEGER_KINDS = /^(i8|u8|i16|u16|i32|u32|i64|u64|i64n|u64n)$/;

/** Where the tag field of `arm` is and what it is; a `TypeError` or `RangeError` if none. */
const tagFieldOf = (
  key: string,
  name: string,
  arm: Storable<any>,
): { offset: number; kind: IntegerKind } => {
  const layout = arm.layout;
  if (layout?.tag !== 'struct') {
    throw new TypeError(`taggedUnion: arm ${name} (${arm.name}) is not a struct`);
  }
  const member = layout.members.find((m) => m.key === key);
  const kind = member?.tag === 'field' ? member.storable.layout : undefined;
  if (member?.tag !== 'field' || kind?.tag !== 'scalar' || !INTEGER_KINDS.test(kind.kind)) {
    throw new TypeError(
      `taggedUnion: arm ${name} (${arm.name}) has no integer field ${JSON.stringify(key)} ` +
        '(the tag must be a whole-byte integer member of every arm)',
    );
  }
  return { offset: member.offset, kind: kind.kind as IntegerKind };
};

/** The tag of an arm as the tag field's value type (a number tag of a bigint field converted). */
const tagValue = (kind: IntegerKind, name: string, tag: unknown): number | bigint => {
  const value =
    typeof tag === 'number' && (kind === 'i64' || kind === 'u64') && Number.isSafeInteger(tag)
      ? BigInt(tag)
      : tag;
  if (!scalarIs[kind](value)) {
    throw new RangeError(
      `taggedUnion: tag ${showValue(tag)} of ${name} does not fit the tag field`,
    );
  }
  return value as number | bigint;
};

/** The arms, checked: each a `[tag, struct]` pair with the same tag field, tags distinct. */
const armsOf = (
  key: string,
  arms: TaggedArms,
): { infos: ArmInfo[]; offset: number; kind: IntegerKind } => {
  if (typeof arms !== 'object' || arms === null) {
    throw new TypeError(`taggedUnion: the arms must be an object, got ${showValue(arms)}`);
  }
  const infos: ArmInfo[] = [];
  let place: { offset: number; kind: IntegerKind } | undefined;
  for (const [name, arm] of Object.entries(arms)) {
    if (!Array.isArray(arm) || arm.length !== 2) {
      throw new TypeError(`taggedUnion: arm ${name} must be a [tag, instance] pair`);
    }
    const instance = checkStorable('taggedUnion', `arm ${name}`, arm[1]);
    const at = tagFieldOf(key, name, instance);
    if (place !== undefined && (at.offset !== place.offset || at.kind !== place.kind)) {
      throw new RangeError(
        `taggedUnion: the tag field of arm ${name} is at offset ${at.offset} (${at.kind}), ` +
          `not at ${place.offset} (${place.kind}) as in the arms before it`,
      );
    }
    place = at;
    const tag = tagValue(at.kind, name, arm[0]);
    const twin = infos.find((i) => i.tag === tag);
    if (twin !== undefined) {
      throw new RangeError(`taggedUnion: arms ${twin.name} and ${name} have the same tag ${tag}`);
    }
    infos.push({ name, tag, instance });
  }
  if (place === undefined) throw new RangeError('taggedUnion: there are no arms');
  return { infos, ...place };
};

/** The options (a name, or an object), checked. */
const optionsOf = (
  options: string | TaggedUnionOptions | undefined,
): { name?: string; size?: number; align?: number } => {
  if (options === undefined) return {};
  if (typeof options === 'string') return { name: options };
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `taggedUnion: options must be a name or an object, got ${showValue(options)}`,
    );
  }
  const { name, size, align } = options;
  if (name !== undefined) checkName('taggedUnion', name);
  return {
    ...(name === undefined ? {} : { name }),
    ...(size === undefined ? {} : { size: checkSize('taggedUnion', 'size', size) }),
    ...(align === undefined ? {} : { align: checkAlignment('taggedUnion', align) }),
  };
};

/**
 * A tagged union keyed by the integer field `tag` of its arms: `arms` maps each arm's name to
 * `[tag value, struct]`, and the TypeScript value is the arm's struct value with the tag field
 * holding the arm's name (a discriminated union, inferred). Several names may share a struct
 * (`KEYDOWN` and `KEYUP` are both `SDL_KeyboardEvent`), not a tag.
 *
 * Layout: a C union of the arms (every arm at offset 0), its size the largest arm's (or
 * `options.size`, C's padding member) rounded up to its alignment, the largest of the arms' (or
 * `options.align`). The tag field must be a whole-byte integer member of every arm, at the same
 * offset and of the same type (the common initial sequence C allows reading through any arm).
 *
 * - `peek` reads the tag field, then the one arm it names: a tag no arm has is a `MarshalError`
 *   naming the tag (C leaves the meaning to the program; there is no raw fallback arm).
 * - `poke` writes the arm named by the value's tag field, with the arm's tag in it, and zeroes
 *   the union's bytes after the arm, so that the bytes of a value do not depend on what was
 *   there before. A tag field that names no arm, or a value that does not fit its arm, is a
 *   `MarshalError`, and nothing is written.
 * - Laws: poke then peek gives the value back; peek then poke changes no byte of what a poke
 *   wrote (bytes after the arm that are not zero, which this library never writes, are zeroed).
 *
 * A C struct of a tag and a union of payloads (`struct { int kind; union { … } u; }`) is a tagged
 * union whose arms are `struct({ kind: CInt, u: aligned(n, Payload) })`, `n` the alignment of
 * the whole C union (so that every payload starts where C puts the union).
 *
 * Throws a `TypeError` when `tag` is not a string, `arms` not an object of `[tag, struct]`
 * pairs, an arm has no integer field `tag` or `options` is not a name or an object; a
 * `RangeError` when there are no arms, two arms have the same tag, a tag does not fit the field,
 * the fields are not at one offset with one type, or for a bad `size` or `align`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const taggedUnion = <K extends string, const A extends TaggedArms>(
  tag: K,
  arms: A,
  options?: string | TaggedUnionOptions,
): TaggedUnion<K, A> => {
  if (typeof tag !== 'string') {
    throw new TypeError(
      `taggedUnion: the tag field must be named by a string, got ${showValue(tag)}`,
    );
  }
  const o = optionsOf(options);
  const { infos, offset, kind } = armsOf(tag, arms);
  const alignment = Math.max(o.align ?? 1, ...infos.map((i) => i.instance.alignment));
  const end = Math.max(o.size ?? 0, ...infos.map((i) => i.instance.sizeOf));
  const sizeOf = roundUp(end, alignment);
  const name =
    o.name ?? `tagged union on ${tag} { ${infos.map((i) => `${i.name} = ${i.tag}`).join('; ')} }`;
  const byTag = new Map(infos.map((i) => [i.tag, i]));
  const byName: Record<string, ArmInfo> = Object.create(null);
  for (const i of infos) byName[i.name] = i;
  const site = { path: rootLabel(name), instance: name };
  const readTag = scalarReader(kind, site);
  const armOf = (u: unknown): ArmInfo | undefined => {
    if (typeof u !== 'object' || u === null) return undefined;
    const n = (u as Record<string, unknown>)[tag];
    return typeof n === 'string' ? byName[n] : undefined;
  };
  /** The value as its arm's struct sees it: the tag field holding the arm's tag. */
  const asArm = (info: ArmInfo, u: unknown): unknown => ({ ...(u as object), [tag]: info.tag });
  const is = (u: unknown): u is TaggedValue<K, A> => {
    const info = armOf(u);
    return info !== undefined && info.instance.codec.is(asArm(info, u));
  };
  const expected = `an object whose ${tag} is one of ${infos
    .slice(0, 8)
    .map((i) => i.name)
    .join(', ')}${infos.length > 8 ? ', …' : ''}`;
  const codec = new t.Type<TaggedValue<K, A>, TaggedValue<K, A>, unknown>(
    name,
    is,
    (u, c) => {
      const info = armOf(u);
      if (info === undefined) return t.failure(u, c, expected);
      const inner = info.instance.codec.validate(asArm(info, u), c);
      return inner._tag === 'Right' ? t.success(u as TaggedValue<K, A>) : inner;
    },
    t.identity,
  );
  return {
    name,
    sizeOf,
    alignment,
    codec,
    taggedOn: tag,
    tagOffset: offset,
    arms,
    read: (v: Views, p: number) => {
      const raw = readTag(v, p + offset);
      const info = byTag.get(raw);
      if (info === undefined) {
        return failPeek(site, raw, `no arm of the tagged union has this ${tag}`);
      }
      const value = info.instance.read(v, p) as Record<string, unknown>;
      value[tag] = info.name;
      return value as TaggedValue<K, A>;
    },
    write: (v: Views, p: number, a: TaggedValue<K, A>) => {
      const info = armOf(a);
      if (info === undefined) throw new TypeError(`${name}: ${showValue(a)} names no arm`);
      info.instance.write(v, p, asArm(info, a));
      if (info.instance.sizeOf < sizeOf) v.u8.fill(0, p + info.instance.sizeOf, p + sizeOf);
    },
  };
};
