/**
 * Typed field access (layout/field.ts, layout/path.ts): peekField, pokeField, fieldPtr and
 * fieldOffset agree with peek and poke of the whole value, for random layouts (both compilers),
 * touch only the field's bytes (bits, for a bit-field), and refuse bad input with errors naming
 * the call, losing nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap } from '../../../src/heap/index.js';
import {
  CBool,
  CDouble,
  CFloat,
  CInt,
  CUInt,
  Int16,
  MarshalError,
  NullPointerError,
  Word8,
  aligned,
  anonymous,
  array,
  bits,
  fieldAccess,
  fieldOffset,
  fieldPtr,
  foreign,
  lp64,
  offsetOf,
  setLayoutCompiler,
  struct,
  union,
  unnamedBits,
  wasm32,
  type LayoutCompiler,
  type Ptr,
  type Storable,
} from '../../../src/foreign/index.js';
import { MemoryBoundsError } from '../../../src/memory/index.js';
import { layoutArb, runs, sameUpToUnions, sameValue, valueOf } from '../helpers/arbitrary.js';
import { refusal } from '../../support/thrown.js';

const heap = Heap.create();
const api = foreign(heap);
const { peek, poke, peekField, pokeField } = api;
const u8 = (): Uint8Array => heap.memory.views.u8;

// ---------------------------------------------------------------------------------------------
// Paths of a layout, found from its description (the test's own walk, not the library's)

interface Leaf {
  readonly steps: Array<string | number>;
  /** Whether the path goes into a union member (then the whole value may hold another one). */
  readonly viaUnion: boolean;
  /** The field's bits, from the start of the value: [first bit, bit count). */
  readonly bitsFrom: number;
  readonly bitCount: number;
  readonly storable: Storable<any> | undefined;
  /** The member's bit-field layout, for values of a bit-field. */
  readonly bits: { kind: string; width: number } | undefined;
}

const unwrapped = (S: Storable<any>): Storable<any> => {
  let s = S;
  while (s.layout?.tag === 'aligned') s = s.layout.inner;
  return s;
};

/** Every path of `S` (array indices: the first, the last and one in the middle). */
const pathsOf = (
  S: Storable<any>,
  steps: Array<string | number> = [],
  offset = 0,
  viaUnion = false,
): Leaf[] => {
  const here: Leaf[] =
    steps.length === 0
      ? []
      : [
          {
            steps,
            viaUnion,
            bitsFrom: offset * 8,
            bitCount: S.sizeOf * 8,
            storable: S,
            bits: undefined,
          },
        ];
  const layout = unwrapped(S).layout;
  switch (layout?.tag) {
    case 'struct':
      return [
        ...here,
        ...layout.members.flatMap((m) =>
          m.tag === 'spread'
            ? // an anonymous union (C11): its members are the struct's, named without its key
              membersOf(m.storable, steps, offset + m.offset, true)
            : m.tag === 'field'
              ? pathsOf(m.storable, [...steps, m.key], offset + m.offset, viaUnion)
              : [
                  {
                    steps: [...steps, m.key],
                    viaUnion,
                    bitsFrom: offset * 8 + m.bitOffset,
                    bitCount: m.width,
                    storable: undefined,
                    bits: { kind: m.kind, width: m.width },
                  },
                ],
        ),
      ];
    case 'union':
      return [
        ...here,
        ...layout.members.flatMap((m) =>
          m.spread === true
            ? membersOf(m.storable, steps, offset, true) // an anonymous struct (C11)
            : pathsOf(m.storable, [...steps, m.key], offset, true),
        ),
      ];
    case 'array': {
      const n = layout.length;
      const indices = [...new Set([0, Math.floor(n / 2), n - 1])].filter((i) => i >= 0 && i < n);
      return [
        ...here,
        ...indices.flatMap((i) =>
          pathsOf(layout.element, [...steps, i], offset + i * layout.element.sizeOf, viaUnion),
        ),
      ];
    }
    default:
      return here;
  }
};

/** The paths of the members of the anonymous member `S`, named as members of its holder. */
const membersOf = (
  S: Storable<any>,
  steps: Array<string | number>,
  offset: number,
  viaUnion: boolean,
): Leaf[] => pathsOf(S, steps, offset, viaUnion).filter((leaf) => leaf.steps.length > steps.length);

/** The part of `value` at `steps` (undefined when a union holds another member). */
const get = (value: unknown, steps: readonly (string | number)[]): unknown =>
  steps.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);

/** `value` with the part at `steps` replaced by `x` (a new value; structs and arrays only). */
const set = (value: unknown, steps: readonly (string | number)[], x: unknown): unknown => {
  if (steps.length === 0) return x;
  const [k, ...rest] = steps;
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  copy[k!] = set(copy[k!], rest, x);
  return copy;
};

/** The bits of byte `i` that belong to the field. */
const fieldMask = (leaf: Leaf, i: number): number => {
  const lo = Math.max(0, leaf.bitsFrom - 8 * i);
  const hi = Math.min(8, leaf.bitsFrom + leaf.bitCount - 8 * i);
  return hi <= lo ? 0 : ((1 << hi) - 1) & ~((1 << lo) - 1);
};

/** Values of a leaf: its instance's, or a bit-field's range. */
const leafValue = (leaf: Leaf): fc.Arbitrary<unknown> => {
  if (leaf.storable !== undefined) return valueOf(leaf.storable);
  const { kind, width } = leaf.bits!;
  if (kind === 'bool8') return fc.constantFrom(0, 1);
  const signed = kind.startsWith('i');
  const w = BigInt(width);
  const lo = signed ? -(1n << (w - 1n)) : 0n;
  const hi = signed ? (1n << (w - 1n)) - 1n : (1n << w) - 1n;
  if (kind === 'i64' || kind === 'u64') return fc.bigInt({ min: lo, max: hi });
  const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
  return fc
    .bigInt({ min: lo < -SAFE ? -SAFE : lo, max: hi > SAFE ? SAFE : hi })
    .map((x) => Number(x));
};

/** What `f` returns, or the reason of the MarshalError it throws (with the call left out). */
const outcome = (f: () => unknown): { value?: unknown; error?: string } => {
  try {
    return { value: f() };
  } catch (e) {
    if (!(e instanceof MarshalError)) throw e;
    return { error: `${e.path}|${String(e.value)}|${e.reason}` };
  }
};

const composite = (S: Storable<any>): boolean =>
  ['struct', 'union', 'array'].includes(unwrapped(S).layout?.tag ?? '') && pathsOf(S).length > 0;

const withCompiler = (how: LayoutCompiler, body: () => void): void => {
  setLayoutCompiler(how);
  try {
    body();
  } finally {
    setLayoutCompiler('auto');
  }
};

/** peekField and pokeField of `leaf` agree with peek and poke of the whole `value` of `S`. */
const agrees = (S: Storable<any>, value: unknown, leaf: Leaf, x: unknown, junk: number): void => {
  const p = api.mallocBytes(S.sizeOf + 16)() as Ptr<any>;
  try {
    u8().fill(junk, p, p + S.sizeOf + 16);
    poke(S, p, value)();
    const whole = peek(S, p)();
    const read = outcome(() => peekField(S, leaf.steps as never)(p)());
    // A union in the path may hold another member: then the field's bytes are read
    // as the member the path names, which peek of the member's instance does too
    // (bytes that encode no value of it are a MarshalError for both).
    const expected = leaf.viaUnion
      ? leaf.storable === undefined
        ? read
        : outcome(() => peek(leaf.storable!, fieldPtr(S, leaf.steps as never)(p))())
      : { value: get(whole, leaf.steps) };
    expect(sameValue(read, expected), 'peekField = part of peek').toBe(true);
    if (leaf.storable !== undefined) {
      expect(fieldOffset(S, leaf.steps as never)).toBe(leaf.bitsFrom / 8);
    }

    const before = u8().slice(p, p + S.sizeOf + 16);
    pokeField(S, leaf.steps as never)(p, x as never)();
    const after = u8().slice(p, p + S.sizeOf + 16);
    const changed = after.findIndex((byte, i) => ((byte ^ before[i]!) & ~fieldMask(leaf, i)) !== 0);
    expect(changed, 'the first byte changed outside the field').toBe(-1);
    const back = peekField(S, leaf.steps as never)(p)();
    expect(
      leaf.storable === undefined ? sameValue(back, x) : sameUpToUnions(leaf.storable, back, x),
      'peekField after pokeField',
    ).toBe(true);
    if (!leaf.viaUnion) {
      const now = peek(S, p)();
      expect(sameUpToUnions(S, now, set(whole, leaf.steps, back))).toBe(true);
    }
  } finally {
    api.free(p)();
  }
};

describe('field access agrees with peek and poke of the whole value', () => {
  for (const how of ['codegen', 'interpreter'] as const) {
    for (const model of [wasm32, lp64]) {
      it(`peekField reads what peek reads, pokeField writes that part only (${how}, ${model.name})`, () =>
        withCompiler(how, () =>
          fc.assert(
            fc.property(
              layoutArb(model, 3, 512)
                .filter(composite)
                .chain((S) =>
                  fc.tuple(
                    fc.constant(S),
                    valueOf(S),
                    fc
                      .constantFrom(...pathsOf(S))
                      .chain((leaf) => fc.tuple(fc.constant(leaf), leafValue(leaf))),
                  ),
                ),
              fc.integer({ min: 0, max: 255 }),
              ([S, value, [leaf, x]], junk) => agrees(S, value, leaf, x, junk),
            ),
            { numRuns: runs(60) },
          ),
        ));
    }
  }
});

describe('field access through C11 anonymous members', () => {
  // struct Shape { int kind; union { float radius; float side; }; struct { short w, h; }; };
  const Shape = struct(
    {
      kind: CInt,
      _0: anonymous(union({ radius: CFloat, side: CFloat })),
      _1: anonymous(struct({ w: Int16, h: Int16 })),
    },
    'Shape',
  );
  // union Vec { struct { float x, y, z; }; float v[3]; };
  const Vec = union(
    { _0: anonymous(struct({ x: CFloat, y: CFloat, z: CFloat })), v: array(CFloat, 3) },
    'Vec',
  );
  // struct Deep { char tag; union { struct { char k; int n; }; union { short h; double d; }; }; };
  const Nested = struct(
    {
      tag: Word8,
      _u: anonymous(
        union({
          _s: anonymous(struct({ k: Word8, n: CInt })),
          _v: anonymous(union({ h: Int16, d: CDouble })),
        }),
      ),
    },
    'Nested',
  );

  it('names their members as members of the holder, at C’s offsets', () => {
    expect([fieldOffset(Shape, 'radius'), fieldOffset(Shape, 'h')]).toEqual([
      offsetOf(Shape, 'radius'),
      offsetOf(Shape, 'h'),
    ]);
    expect([fieldOffset(Vec, 'z'), fieldOffset(Vec, ['v', 2])]).toEqual([8, 8]);
    expect([fieldOffset(Nested, 'n'), fieldOffset(Nested, 'd')]).toEqual([12, 8]);
    expect(refusal(() => fieldOffset(Shape, '_0' as never), RangeError, 'fieldOffset')).toMatch(
      /"_0" is not a member of Shape/,
    );
  });

  it('agrees with peek and poke of the whole value (property)', () => {
    for (const S of [Shape, Vec, Nested] as Storable<any>[]) {
      fc.assert(
        fc.property(
          valueOf(S),
          fc
            .constantFrom(...pathsOf(S))
            .chain((leaf) => fc.tuple(fc.constant(leaf), leafValue(leaf))),
          fc.integer({ min: 0, max: 255 }),
          (value, [leaf, x], junk) => agrees(S, value, leaf, x, junk),
        ),
        { numRuns: runs(40) },
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Known layouts

const Window = struct({ type: CUInt, timestamp: CUInt, windowID: CUInt, data1: CInt }, 'Window');
const Keysym = struct({ scancode: CInt, sym: CInt, mod: Int16 }, 'Keysym');
const Key = struct({ type: CUInt, timestamp: CUInt, state: Word8, keysym: Keysym }, 'Key');
const Event = union({ type: CUInt, window: Window, key: Key, padding: array(Word8, 56) }, 'Event');
const Flags = struct(
  { a: Word8, ready: bits(CUInt, 1), mode: bits(CUInt, 3), pad: unnamedBits(CUInt, 4) },
  'Flags',
);
const Deep = struct(
  {
    head: CDouble,
    rows: array(struct({ id: CInt, ok: CBool }, 'Row'), 4),
    inner: aligned(16, struct({ x: CDouble, f: Flags }, 'Inner')),
  },
  'Deep',
);

describe('peekField and pokeField on known layouts', () => {
  it('reads and writes nested paths through unions, arrays and aligned members', () => {
    const p = api.callocBytes(Deep.sizeOf)() as Ptr<any>;
    try {
      pokeField(Deep, ['rows', 2, 'id'])(p, -5)();
      pokeField(Deep, ['inner', 'f', 'mode'])(p, 6)();
      pokeField(Deep, ['inner', 'x'])(p, 2.5)();
      expect(peekField(Deep, ['rows', 2, 'id'])(p)()).toBe(-5);
      expect(peekField(Deep, ['inner', 'f', 'mode'])(p)()).toBe(6);
      expect(peekField(Deep, ['inner', 'f', 'ready'])(p)()).toBe(0);
      expect(peek(Deep, p)().inner).toEqual({ x: 2.5, f: { a: 0, ready: 0, mode: 6 } });
      expect(fieldOffset(Deep, ['rows', 2, 'ok'])).toBe(8 + 2 * 8 + 4);
      expect(fieldOffset(Deep, 'inner')).toBe(48);
      expect(fieldOffset(Deep, ['inner', 'f', 'a'])).toBe(56);
      expect(fieldPtr(Deep, ['rows', 1])(p)).toBe(p + 16);
    } finally {
      api.free(p)();
    }
  });

  it('reads a member of a union whatever the union holds, and writes it alone', () => {
    const p = api.callocBytes(Event.sizeOf)() as Ptr<any>;
    try {
      poke(Event, p, {
        key: { type: 0x300, timestamp: 9, state: 1, keysym: { scancode: 4, sym: 97, mod: 0 } },
      })();
      expect(peekField(Event, 'type')(p)()).toBe(0x300);
      expect(peekField(Event, ['key', 'keysym', 'sym'])(p)()).toBe(97);
      expect(peekField(Event, ['window', 'timestamp'])(p)()).toBe(9);
      expect(fieldOffset(Event, ['key', 'keysym', 'sym'])).toBe(16);
      expect(fieldOffset(Event, ['window', 'data1'])).toBe(offsetOf(Window, 'data1'));
      pokeField(Event, ['window', 'data1'])(p, -1)();
      expect(peekField(Event, ['key', 'keysym', 'scancode'])(p)()).toBe(-1);
      expect(peekField(Event, ['key', 'state'])(p)()).toBe(1);
    } finally {
      api.free(p)();
    }
  });

  it('keeps the other bits of a bit-field’s bytes', () => {
    const p = api.mallocBytes(Flags.sizeOf)() as Ptr<any>;
    try {
      u8().fill(0xff, p, p + Flags.sizeOf);
      pokeField(Flags, 'mode')(p, 2)();
      // mode is bits 9..11: byte 1 was 0xff, now 0xff with bits 1..3 = 010.
      expect(u8()[p + 1]).toBe(0b1111_0101);
      expect(peekField(Flags, 'ready')(p)()).toBe(1);
      expect(peekField(Flags, 'mode')(p)()).toBe(2);
      expect(u8()[p]).toBe(0xff);
    } finally {
      api.free(p)();
    }
  });

  it('accepts a bigint index (the bigint rule) and any typed pointer', () => {
    const p = api.callocBytes(Deep.sizeOf)() as Ptr<{ unrelated: true }>;
    try {
      pokeField(Deep, ['rows', 3n, 'id'])(p, 12)();
      expect(peekField(Deep, ['rows', 3, 'id'])(p)()).toBe(12);
      expect(fieldOffset(Deep, ['rows', 3n, 'id'])).toBe(8 + 3 * 8);
    } finally {
      api.free(p)();
    }
  });

  it('resolves a path once: the same path gives the same reader target', () => {
    // Resolution is cached per instance; what is observable is that calling in a loop works
    // and that errors still name the call each time.
    const p = api.callocBytes(Deep.sizeOf)() as Ptr<any>;
    try {
      for (let i = 0; i < 3; i++) {
        pokeField(Deep, ['rows', i, 'id'])(p, i)();
        expect(peekField(Deep, ['rows', i, 'id'])(p)()).toBe(i);
      }
      expect(refusal(() => peekField(Deep, 'nope' as never), RangeError, 'peekField')).toMatch(
        /"nope" is not a member of Deep/,
      );
      expect(refusal(() => pokeField(Deep, 'nope' as never), RangeError, 'pokeField')).toMatch(
        /"nope" is not a member of Deep/,
      );
    } finally {
      api.free(p)();
    }
  });
});

describe('bad input', () => {
  const figures = (): string => JSON.stringify(heap.stats());

  it('refuses bad instances and paths when the accessor is made, naming the call', () => {
    const before = figures();
    const cases: Array<[() => unknown, abstract new (...a: never[]) => Error, string, RegExp]> = [
      [() => peekField(CInt as never, 'x' as never), TypeError, 'peekField', /CInt has no members/],
      [() => peekField('CInt' as never, 'x' as never), TypeError, 'peekField', /not a Storable/],
      [() => pokeField(null as never, 'x' as never), TypeError, 'pokeField', /not a Storable/],
      [() => peekField(Deep, [] as never), RangeError, 'peekField', /the path is empty/],
      [() => peekField(Deep, {} as never), TypeError, 'peekField', /member name or an array/],
      [
        () => peekField(Deep, ['rows', 4] as never),
        RangeError,
        'peekField',
        /index 4 is not in \[0, 4\)/,
      ],
      [() => peekField(Deep, ['rows', -1] as never), RangeError, 'peekField', /index -1/],
      [() => peekField(Deep, ['rows', 1.5] as never), RangeError, 'peekField', /index 1.5/],
      [() => peekField(Deep, ['rows', 2n ** 60n] as never), RangeError, 'peekField', /index/],
      [() => peekField(Deep, ['rows', '1'] as never), RangeError, 'peekField', /index "1"/],
      [
        () => peekField(Deep, ['head', 'x'] as never),
        TypeError,
        'peekField',
        /Deep.head \(CDouble\) has no members/,
      ],
      [
        () => peekField(Flags, ['mode', 'x'] as never),
        RangeError,
        'peekField',
        /Flags.mode is a bit-field/,
      ],
      [
        () => fieldOffset(Flags, 'mode' as never),
        RangeError,
        'fieldOffset',
        /Flags.mode is a bit-field, it has no byte offset/,
      ],
      [() => fieldPtr(Flags, 'ready' as never), RangeError, 'fieldPtr', /bit-field/],
      [
        () => fieldOffset(Event, 'pad' as never),
        RangeError,
        'fieldOffset',
        /"pad" is not a member of Event/,
      ],
      [() => fieldAccess({} as never), TypeError, 'fieldAccess', /not a Memory/],
    ];
    for (const [f, kind, call, message] of cases) expect(refusal(f, kind, call)).toMatch(message);
    heap.check();
    expect(figures()).toBe(before);
  });

  it('refuses bad pointers and values when the program runs, writing nothing', () => {
    const p = api.callocBytes(Deep.sizeOf)() as Ptr<any>;
    const before = figures();
    const bytes = u8().slice(p, p + Deep.sizeOf);
    const id = peekField(Deep, ['rows', 0, 'id']);
    const setId = pokeField(Deep, ['rows', 0, 'id']);
    const setMode = pokeField(Deep, ['inner', 'f', 'mode']);
    const beyond = heap.memory.byteLength - 4;
    try {
      expect(refusal(id(0 as Ptr<any>), NullPointerError, 'peekField')).toMatch(/nullPtr/);
      expect(refusal(setId(0 as Ptr<any>, 1), NullPointerError, 'pokeField')).toMatch(/nullPtr/);
      expect(refusal(id(-8 as Ptr<any>), RangeError, 'peekField')).toMatch(/not a non-negative/);
      expect(refusal(id(1.5 as Ptr<any>), RangeError, 'peekField')).toMatch(/1.5/);
      expect(refusal(id(BigInt(p) as never), TypeError, 'peekField')).toMatch(/bigint/);
      expect(refusal(id(beyond as Ptr<any>), MemoryBoundsError, 'peekField')).toMatch(
        /past the end/,
      );
      expect(refusal(setId(p, 2 ** 31), MarshalError, 'pokeField')).toMatch(/does not fit CInt/);
      expect(refusal(setId(p, '1' as never), MarshalError, 'pokeField')).toMatch(/"1"/);
      expect(refusal(setMode(p, 8), MarshalError, 'pokeField')).toMatch(/3-bit unsigned/);
      expect(refusal(setMode(p, -1), MarshalError, 'pokeField')).toMatch(/3-bit/);
      expect(u8().slice(p, p + Deep.sizeOf)).toEqual(bytes);
      heap.check();
      expect(figures()).toBe(before);
    } finally {
      api.free(p)();
    }
  });

  it('reports bytes that encode no value of the field as peek does', () => {
    const p = api.callocBytes(Deep.sizeOf)() as Ptr<any>;
    try {
      u8()[p + fieldOffset(Deep, ['rows', 1, 'ok'])] = 2;
      expect(refusal(peekField(Deep, ['rows', 1, 'ok'])(p), MarshalError, 'peekField')).toMatch(
        /_Bool holds 0 or 1/,
      );
      expect(peekField(Deep, ['rows', 0, 'ok'])(p)()).toBe(0);
    } finally {
      api.free(p)();
    }
  });

  it('fieldPtr checks its pointer as plusPtr does', () => {
    const ptrOf = fieldPtr(Deep, ['rows', 1, 'ok']);
    expect(ptrOf(0 as Ptr<any>)).toBe(20); // as plusPtr(nullPtr, 20)
    expect(refusal(() => ptrOf(-1 as Ptr<any>), RangeError, 'fieldPtr')).toMatch(/-1/);
    expect(refusal(() => ptrOf(8n as never), TypeError, 'fieldPtr')).toMatch(/bigint/);
    expect(refusal(() => ptrOf((2 ** 53 - 4) as Ptr<any>), RangeError, 'fieldPtr')).toMatch(
      /resulting address/,
    );
  });
});

describe('the package root and foreign(ctx)', () => {
  it('binds peekField and pokeField to the context’s memory', () => {
    const other = foreign(Heap.create());
    const p = other.callocBytes(Window.sizeOf)() as Ptr<any>;
    other.pokeField(Window, 'data1')(p, 77)();
    expect(other.peekField(Window, 'data1')(p)()).toBe(77);
    expect(other.peek(Window, p)().data1).toBe(77);
    other.free(p)();
  });
});
