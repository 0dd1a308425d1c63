/**
 * fast-check arbitraries for the tests of src/foreign: values of any instance (by walking its
 * layout), random layouts, and a deep equality that compares numbers with Object.is.
 */
import fc from 'fast-check';
import {
  Bool,
  Char,
  Double,
  Float,
  Int16,
  Int32,
  Int64,
  Int8,
  Word16,
  Word32,
  Word64,
  Word8,
  aligned,
  array,
  asNumber,
  bits,
  chars,
  enumeration,
  packed,
  struct,
  union,
  unnamedBits,
  type DataModel,
  type Member,
  type Storable,
} from '../../../src/foreign/index.js';
import { valueKeys } from '../../../src/foreign/layout/anonymous.js';
import type {
  BitsLayout,
  IntegerKind,
  ScalarKind,
  UnionLayout,
} from '../../../src/foreign/storable/layout-description.js';
import { utf8Length } from '../../../src/foreign/c/utf8.js';

/** How many runs property tests make: more with FOREIGN_TS_LONG=1. */
export const runs = (n: number): number => (process.env.FOREIGN_TS_LONG === '1' ? n * 20 : n);

export interface ValueOptions {
  /** Union values hold their first member (what C reads back); default any member. */
  readonly firstMember?: boolean;
  /** No NaN floats (C copies through FP registers in the layout tests against C). */
  readonly noNaN?: boolean;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The values of a `width`-bit integer of `kind` (a bit-field's, or a whole scalar's). */
export const integerRange = (
  kind: IntegerKind | 'bool8',
  width: number,
): fc.Arbitrary<number | bigint> => {
  if (kind === 'bool8') return fc.constantFrom(0, 1);
  const signed = kind.startsWith('i');
  const w = BigInt(width);
  const lo = signed ? -(1n << (w - 1n)) : 0n;
  const hi = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  if (kind === 'i64' || kind === 'u64') return fc.bigInt({ min: lo, max: hi });
  const min = Number(lo < -SAFE ? -SAFE : lo);
  const max = Number(hi > SAFE ? SAFE : hi);
  return fc.oneof(
    fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 31 - 1) }),
    fc.constantFrom(min, max),
    fc.double({ min, max, noNaN: true }).map((x) => Math.trunc(x) + 0),
  );
};

const scalarValue = (kind: ScalarKind, options: ValueOptions): fc.Arbitrary<unknown> => {
  switch (kind) {
    case 'f32':
      return fc.float({ noNaN: options.noNaN === true });
    case 'f64':
      return fc.double({ noNaN: options.noNaN === true });
    case 'bool32':
      return fc.boolean();
    case 'char32':
      return fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
    case 'bool8':
      return fc.constantFrom(0, 1);
    default: {
      const width = {
        i8: 8,
        u8: 8,
        i16: 16,
        u16: 16,
        i32: 32,
        u32: 32,
        i64: 64,
        u64: 64,
        i64n: 64,
        u64n: 64,
      }[kind];
      return integerRange(kind, width);
    }
  }
};

const codePoint = fc.oneof(
  fc.integer({ min: 1, max: 0x7f }),
  fc.integer({ min: 0x80, max: 0x7ff }),
  fc.integer({ min: 0x800, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
);

/** A string of at most `room` UTF-8 bytes, no NUL, well formed. */
export const utf8String = (room: number): fc.Arbitrary<string> =>
  fc.array(codePoint, { maxLength: room }).map((cps) => {
    let s = '';
    for (const c of cps) {
      const next = s + String.fromCodePoint(c);
      if (utf8Length(next) > room) break;
      s = next;
    }
    return s;
  });

/** Values of `S`, from its layout. */
export const valueOf = (S: Storable<any>, options: ValueOptions = {}): fc.Arbitrary<any> => {
  const layout = S.layout;
  switch (layout?.tag) {
    case undefined:
      throw new Error(`valueOf: ${S.name} has no layout`);
    case 'scalar':
      return scalarValue(layout.kind, options);
    case 'aligned':
      return valueOf(layout.inner, options);
    case 'enum':
      return fc.constantFrom(...Object.keys(layout.tags));
    case 'chars':
      return utf8String(layout.terminated ? layout.length - 1 : layout.length);
    case 'struct': {
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      const spreads: Array<fc.Arbitrary<Record<string, unknown>>> = [];
      for (const m of layout.members) {
        if (m.tag === 'spread') spreads.push(valueOf(m.storable, options));
        else record[m.key] = m.tag === 'field' ? valueOf(m.storable, options) : bitsValue(m);
      }
      if (spreads.length === 0) return fc.record(record);
      return fc
        .tuple(fc.record(record), ...spreads)
        .map((parts) => Object.assign({}, ...parts) as Record<string, unknown>);
    }
    case 'union': {
      const members = options.firstMember === true ? layout.members.slice(0, 1) : layout.members;
      return fc.oneof(
        ...members.map((m) =>
          valueOf(m.storable, options).map((x) => (m.spread === true ? x : { [m.key]: x })),
        ),
      );
    }
    case 'array':
      return fc.array(valueOf(layout.element, options), {
        minLength: layout.length,
        maxLength: layout.length,
      });
  }
};

const bitsValue = (m: BitsLayout): fc.Arbitrary<unknown> => integerRange(m.kind, m.width);

/** Deep equality where numbers compare with Object.is (NaN equals NaN, 0 differs from -0). */
export const sameValue = (a: unknown, b: unknown): boolean => {
  if (typeof a === 'number' && typeof b === 'number') return Object.is(a, b);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) =>
        sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return a === b;
};

/**
 * The Set-Get law of `S` with unions in it: `got` (what peek returned after poking `poked`) is
 * `poked`, except that a union may come back as an earlier member holding the same bytes (a
 * peek returns the first member, in key order, whose value holds the union's bytes exactly).
 * That the bytes are the same is the Get-Set law, checked beside it.
 */
export const sameUpToUnions = (
  S: Storable<any>,
  got: unknown,
  poked: unknown,
  spread = false,
): boolean => {
  const layout = S.layout;
  const record = (x: unknown): Record<string, unknown> => x as Record<string, unknown>;
  // The names `got` must have, exactly (checked once, where no anonymous member shares it).
  const exactKeys = (): boolean => {
    const want = keysOf(S, got);
    const have = Object.keys(record(got));
    return want !== undefined && have.length === want.length && want.every((k) => k in record(got));
  };
  switch (layout?.tag) {
    case 'aligned':
      return sameUpToUnions(layout.inner, got, poked);
    case 'union': {
      const ig = heldMember(layout, got);
      const ip = heldMember(layout, poked);
      if (ig < 0 || ip < 0 || (!spread && !exactKeys())) return false;
      if (ig !== ip) return ig < ip;
      const m = layout.members[ig]!;
      return m.spread === true
        ? sameUpToUnions(m.storable, got, poked, true)
        : sameUpToUnions(m.storable, record(got)[m.key], record(poked)[m.key]);
    }
    case 'struct':
      return (
        typeof got === 'object' &&
        got !== null &&
        (spread || exactKeys()) &&
        layout.members.every((m) =>
          m.tag === 'spread'
            ? sameUpToUnions(m.storable, got, poked, true)
            : m.tag === 'field'
              ? sameUpToUnions(m.storable, record(got)[m.key], record(poked)[m.key])
              : sameValue(record(got)[m.key], record(poked)[m.key]),
        )
      );
    case 'array':
      return (
        Array.isArray(got) &&
        Array.isArray(poked) &&
        got.length === poked.length &&
        got.every((x, i) => sameUpToUnions(layout.element, x, poked[i]))
      );
    default:
      return sameValue(got, poked);
  }
};

/** The index of the union member that value `x` holds (an anonymous struct: any of its names). */
const heldMember = (layout: UnionLayout, x: unknown): number => {
  if (typeof x !== 'object' || x === null) return -1;
  const r = x as Record<string, unknown>;
  return layout.members.findIndex((m) =>
    m.spread === true
      ? valueKeys(m.storable).some((k) => r[k] !== undefined)
      : r[m.key] !== undefined,
  );
};

/** The names a value `x` of the struct or union `S` must have (anonymous members resolved). */
const keysOf = (S: Storable<any>, x: unknown): string[] | undefined => {
  const layout = S.layout;
  if (layout?.tag === 'struct') {
    const keys: string[] = [];
    for (const m of layout.members) {
      const inner = m.tag === 'spread' ? keysOf(m.storable, x) : [m.key];
      if (inner === undefined) return undefined;
      keys.push(...inner);
    }
    return keys;
  }
  if (layout?.tag === 'union') {
    const m = layout.members[heldMember(layout, x)];
    if (m === undefined) return undefined;
    return m.spread === true ? keysOf(m.storable, x) : [m.key];
  }
  return undefined;
};

// ---------------------------------------------------------------------------------------------
// random layouts

const integerBases = (model: DataModel<any>): Array<Storable<number> | Storable<bigint>> => [
  Int8,
  Word8,
  Int16,
  Word16,
  Int32,
  Word32,
  Int64,
  Word64,
  model.CInt,
  model.CUInt,
  model.CLong,
  model.CULong,
  model.CChar,
  model.CShort,
];

/** The scalar instances random layouts are made of. */
export const scalarsOf = (model: DataModel<any>): Array<Storable<any>> => [
  ...integerBases(model),
  Float,
  Double,
  Bool,
  Char,
  asNumber(Int64),
  asNumber(Word64),
  model.CBool,
  model.CSize,
  model.CDouble,
  model.CFloat,
  model.Ptr,
  model.FunPtr,
  model.CLLong,
];

const enumArb = (model: DataModel<any>): fc.Arbitrary<Storable<any>> =>
  fc
    .tuple(
      fc.constantFrom(Int8, Word8, Int16, model.CInt, model.CUInt, Int64),
      fc.uniqueArray(fc.integer({ min: -128, max: 127 }), { minLength: 1, maxLength: 5 }),
    )
    .map(([base, tags]) => {
      const unsigned = base === Word8 || base === model.CUInt;
      const entries = tags.map((t, i) => [`E${i}`, unsigned ? Math.abs(t) : t] as const);
      const unique = new Map(entries.map(([k, t]) => [t, k]));
      return enumeration(base, Object.fromEntries([...unique].map(([t, k]) => [k, t])));
    });

const charsArb = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.boolean())
  .map(([n, terminated]) => chars(terminated ? n + 1 : n, { terminated }));

const leafArb = (model: DataModel<any>): fc.Arbitrary<Storable<any>> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...scalarsOf(model)) },
    { weight: 1, arbitrary: enumArb(model) },
    { weight: 1, arbitrary: charsArb },
  );

const bitsArb = (model: DataModel<any>): fc.Arbitrary<Member> =>
  fc
    .tuple(
      fc.constantFrom(...integerBases(model), model.CBool),
      fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 64 })),
      fc.boolean(),
    )
    .map(([base, w, named]) => {
      const max = base === model.CBool ? 1 : base.sizeOf * 8;
      const width = w % (max + 1);
      return named && width > 0
        ? bits(base as Storable<number>, width)
        : unnamedBits(base, named ? 1 : width);
    });

/**
 * Random layouts: structs (packed or not, aligned or not) with bit-fields, unions, arrays, of
 * at most `maxSize` bytes.
 */
export const layoutArb = (
  model: DataModel<any>,
  depth = 3,
  maxSize = 4096,
): fc.Arbitrary<Storable<any>> => {
  const { node } = fc.letrec<{ node: Storable<any> }>((tie) => ({
    node: fc.oneof(
      { maxDepth: depth, withCrossShrink: true },
      leafArb(model),
      fc
        .tuple(
          fc.array(
            fc.oneof(
              { weight: 3, arbitrary: tie('node') as fc.Arbitrary<Member> },
              { weight: 2, arbitrary: bitsArb(model) },
            ),
            {
              minLength: 1,
              maxLength: 8,
            },
          ),
          fc.boolean(),
          fc.option(fc.constantFrom(1, 2, 4, 8, 16, 32), { nil: undefined }),
        )
        .map(([members, isPacked, align]) => {
          const fields = Object.fromEntries(members.map((m, i) => [`f${i}`, m]));
          const options = align === undefined ? {} : { align };
          return isPacked ? packed(fields, options) : struct(fields, options);
        }),
      fc
        .tuple(fc.array(tie('node'), { minLength: 1, maxLength: 4 }), fc.boolean())
        .map(([members, isPacked]) =>
          union(Object.fromEntries(members.map((m, i) => [`u${i}`, m])), { packed: isPacked }),
        ),
      fc
        .tuple(tie('node'), fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant(40)))
        .map(([element, n]) => array(element, n)),
      fc.tuple(fc.constantFrom(1, 2, 4, 8, 16), tie('node')).map(([n, inner]) => aligned(n, inner)),
    ),
  }));
  return node.filter((S) => S.sizeOf <= maxSize);
};

/** Values that do not fit many instances: junk to put in place of a part of a value. */
export const JUNK: unknown[] = [
  300,
  -1,
  1.5,
  NaN,
  '7',
  2n ** 70n,
  1n,
  -1n,
  undefined,
  null,
  {},
  [],
  true,
  'x'.repeat(70),
  0,
  'A',
];

/**
 * `value` with one part (the `choice`-th, walking its arrays and objects) replaced by `junk`, or
 * deleted when `remove`; `junk` itself when `value` has no parts. `value` is not changed.
 */
export const mutate = (value: unknown, choice: number, junk: unknown, remove: boolean): unknown => {
  const slots: Array<[Record<string | number, unknown>, string | number]> = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach((y, i) => (slots.push([x as never, i]), walk(y)));
    else if (typeof x === 'object' && x !== null)
      Object.entries(x).forEach(([k, y]) => (slots.push([x as never, k]), walk(y)));
  };
  const copy = structuredClone(value);
  walk(copy);
  const slot = slots[choice % Math.max(slots.length, 1)];
  if (slot === undefined) return junk;
  const [container, key] = slot;
  if (remove && Array.isArray(container)) container.splice(key as number, 1);
  else if (remove) delete container[key];
  else container[key] = junk;
  return copy;
};
