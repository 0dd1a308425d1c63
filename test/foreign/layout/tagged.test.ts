/**
 * Tagged unions (layout/tagged.ts): the Storable laws for random tagged unions (random arms, tag
 * types, a tag after a common prefix), with both compilers around them; the SDL_Event shape;
 * unknown tags and bad values; definitions refused.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Heap } from '../../../src/heap/index.js';
import {
  CBool,
  CInt,
  CUInt,
  Int16,
  Int64,
  MarshalError,
  Word16,
  Word8,
  aligned,
  array,
  bits,
  compileLayout,
  fieldOffset,
  foreign,
  setLayoutCompiler,
  struct,
  taggedUnion,
  wasm32,
  type Member,
  type Ptr,
  type Storable,
  type StorableOf,
} from '../../../src/foreign/index.js';
import { layoutArb, runs, valueOf } from '../helpers/arbitrary.js';
import { assertStorableLaws } from '../helpers/laws.js';
import { refusal } from '../../support/thrown.js';

const heap = Heap.create();
const api = foreign(heap);

// ---------------------------------------------------------------------------------------------
// Random tagged unions

interface Drawn {
  readonly S: Storable<any>;
  readonly value: fc.Arbitrary<any>;
  readonly names: readonly string[];
}

const TAG_BASES: ReadonlyArray<Storable<number> | Storable<bigint>> = [
  Word8,
  Int16,
  Word16,
  CInt,
  CUInt,
  Int64,
];

/** A tagged union on `kind`: 1 to 5 arms, each a struct of the prefix, the tag and random members. */
const taggedArb: fc.Arbitrary<Drawn> = fc
  .tuple(
    fc.constantFrom(...TAG_BASES),
    fc.boolean(),
    fc.uniqueArray(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 5 }),
    fc.array(fc.array(layoutArb(wasm32, 2, 128), { maxLength: 4 }), {
      minLength: 5,
      maxLength: 5,
    }),
    fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }),
  )
  .map(([base, prefixed, tags, members, size]) => {
    const arms = Object.fromEntries(
      tags.map((tag, i) => {
        const fields: Record<string, Member> = prefixed
          ? { len: CUInt, kind: base }
          : { kind: base };
        (members[i] ?? []).forEach((m, j) => (fields[`m${j}`] = m));
        return [`A${i}`, [base === Int64 ? BigInt(tag) : tag, struct(fields, `Arm${i}`)] as const];
      }),
    );
    const S = taggedUnion('kind', arms, size === undefined ? 'T' : { name: 'T', size });
    const value = fc
      .constantFrom(...Object.entries(arms))
      .chain(([name, [, arm]]) =>
        valueOf(arm, { firstMember: true }).map((v) => ({ ...v, kind: name })),
      );
    return { S: S as Storable<any>, value, names: Object.keys(arms) };
  });

describe('the Storable laws of tagged unions', () => {
  it('hold for random tagged unions (arms, tag types, a common prefix, a size)', () => {
    fc.assert(
      fc.property(taggedArb, (drawn) => {
        assertStorableLaws(drawn.S, drawn.value, { numRuns: 10 });
      }),
      { numRuns: runs(40) },
    );
  });

  it('hold inside a struct and an array, compiled by code generation and the interpreter', () => {
    for (const how of ['codegen', 'interpreter'] as const) {
      setLayoutCompiler(how);
      try {
        fc.assert(
          fc.property(taggedArb, (drawn) => {
            const Holder = struct({ before: Word8, u: drawn.S, after: array(drawn.S, 2) });
            const compiled = compileLayout(Holder, how);
            expect(compiled.source !== undefined).toBe(how === 'codegen');
            assertStorableLaws(
              Holder,
              fc.record({
                before: fc.integer({ min: 0, max: 255 }),
                u: drawn.value,
                after: fc.tuple(drawn.value, drawn.value),
              }),
              { numRuns: 5 },
            );
          }),
          { numRuns: runs(15) },
        );
      } finally {
        setLayoutCompiler('auto');
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// SDL_Event

const Common = struct({ type: CUInt, timestamp: CUInt }, 'SDL_CommonEvent');
const Keysym = struct({ scancode: CInt, sym: CInt, mod: Word16, unused: CUInt }, 'SDL_Keysym');
const Keyboard = struct(
  {
    type: CUInt,
    timestamp: CUInt,
    windowID: CUInt,
    state: Word8,
    repeat: Word8,
    padding2: Word8,
    padding3: Word8,
    keysym: Keysym,
  },
  'SDL_KeyboardEvent',
);
const Window = struct(
  {
    type: CUInt,
    timestamp: CUInt,
    windowID: CUInt,
    event: Word8,
    padding1: Word8,
    padding2: Word8,
    padding3: Word8,
    data1: CInt,
    data2: CInt,
  },
  'SDL_WindowEvent',
);
const Event = taggedUnion(
  'type',
  {
    QUIT: [0x100, Common],
    WINDOWEVENT: [0x200, Window],
    KEYDOWN: [0x300, Keyboard],
    KEYUP: [0x301, Keyboard],
  },
  { name: 'SDL_Event', size: 56 },
);
type EventValue = StorableOf<typeof Event>;

describe('an SDL_Event', () => {
  it('is 56 bytes, 4-aligned, with the tag at offset 0', () => {
    expect([Event.sizeOf, Event.alignment, Event.tagOffset, Event.taggedOn]).toEqual([
      56,
      4,
      0,
      'type',
    ]);
  });

  it('has a discriminated union as its value type', () => {
    expectTypeOf<Extract<EventValue, { type: 'QUIT' }>>().toEqualTypeOf<{
      type: 'QUIT';
      timestamp: number;
    }>();
    const describeEvent = (e: EventValue): string => {
      switch (e.type) {
        case 'QUIT':
          return 'quit';
        case 'WINDOWEVENT':
          return `window ${e.data1}x${e.data2}`;
        case 'KEYDOWN':
        case 'KEYUP':
          return `${e.type} ${e.keysym.sym}`;
      }
    };
    expect(describeEvent({ type: 'QUIT', timestamp: 1 })).toBe('quit');
  });

  it('peeks the arm its tag names and pokes the tag of the arm its value names', () => {
    const p = api.mallocBytes(56)() as Ptr<EventValue>;
    try {
      heap.memory.views.u8.fill(0xee, p, p + 56);
      const key: EventValue = {
        type: 'KEYUP',
        timestamp: 99,
        windowID: 2,
        state: 0,
        repeat: 1,
        padding2: 0,
        padding3: 0,
        keysym: { scancode: 4, sym: 97, mod: 0, unused: 0 },
      };
      api.poke(Event, p, key)();
      expect(api.peekByteOff(CUInt, p, 0)()).toBe(0x301);
      expect(api.peek(Event, p)()).toEqual(key);
      // the union's bytes after the arm are zeroed
      expect(
        [...heap.memory.views.u8.slice(p + Keyboard.sizeOf, p + 56)].every((b) => b === 0),
      ).toBe(true);
      expect(api.peekField(Event, ['KEYUP', 'keysym', 'sym'])(p)()).toBe(97);
      expect(fieldOffset(Event, ['KEYDOWN', 'keysym', 'sym'])).toBe(20);
      api.pokeByteOff(CUInt, p, 0, 0x300)();
      expect(api.peek(Event, p)()).toEqual({ ...key, type: 'KEYDOWN' });
    } finally {
      api.free(p)();
    }
  });

  it('refuses a tag no arm has, and values that name no arm or do not fit theirs', () => {
    const p = api.callocBytes(56)() as Ptr<EventValue>;
    const stats = JSON.stringify(heap.stats());
    try {
      api.pokeByteOff(CUInt, p, 0, 0x700)();
      expect(refusal(api.peek(Event, p), MarshalError, 'peek')).toBe(
        'peek: value 1792 does not fit SDL_Event: no arm of the tagged union has this type',
      );
      expect(refusal(api.peekElemOff(Event, p, 0), MarshalError, 'peekElemOff')).toMatch(/1792/);
      const before = heap.memory.views.u8.slice(p, p + 56);
      expect(refusal(api.poke(Event, p, { type: 'MOUSE' } as never), MarshalError, 'poke')).toMatch(
        /an object whose type is one of QUIT, WINDOWEVENT, KEYDOWN, KEYUP/,
      );
      expect(refusal(api.poke(Event, p, null as never), MarshalError, 'poke')).toMatch(/null/);
      expect(
        refusal(api.poke(Event, p, { type: 'QUIT', timestamp: -1 } as never), MarshalError, 'poke'),
      ).toMatch(/value -1 at SDL_Event.timestamp does not fit CUInt/);
      expect(
        refusal(
          api.poke(Event, p, { type: 'WINDOWEVENT', timestamp: 1 } as never),
          MarshalError,
          'poke',
        ),
      ).toMatch(/missing field/);
      expect(heap.memory.views.u8.slice(p, p + 56)).toEqual(before);
      expect(Event.codec.is({ type: 'QUIT', timestamp: 1 })).toBe(true);
      expect(Event.codec.is({ type: 'toString', timestamp: 1 })).toBe(false);
      heap.check();
      expect(JSON.stringify(heap.stats())).toBe(stats);
    } finally {
      api.free(p)();
    }
  });
});

describe('a tag and a union of payloads', () => {
  it('are arms of the tag and the payload aligned as the C union', () => {
    // struct Shape { int kind; union { char c; double d; } u; }: u at offset 8.
    const C = struct({ kind: CInt, u: aligned(8, struct({ c: Word8 })) }, 'C');
    const D = struct({ kind: CInt, u: struct({ d: wasm32.CDouble }) }, 'D');
    const Shape = taggedUnion('kind', { CHAR: [1, C], DOUBLE: [2, D] }, 'Shape');
    expect([Shape.sizeOf, Shape.alignment, fieldOffset(Shape, ['CHAR', 'u', 'c'])]).toEqual([
      16, 8, 8,
    ]);
    expect(fieldOffset(Shape, ['DOUBLE', 'u', 'd'])).toBe(8);
  });
});

describe('tagged unions refused when they are made', () => {
  const A = struct({ kind: CInt, a: CInt }, 'A');
  it.each<[string, () => unknown, abstract new (...a: never[]) => Error, RegExp]>([
    [
      'a tag key that is no string',
      () => taggedUnion(5 as never, { A: [1, A] }),
      TypeError,
      /must be named by a string/,
    ],
    ['no arms', () => taggedUnion('kind', {}), RangeError, /there are no arms/],
    [
      'arms that are no object',
      () => taggedUnion('kind', 5 as never),
      TypeError,
      /arms must be an object/,
    ],
    [
      'an arm that is no pair',
      () => taggedUnion('kind', { A: A as never }),
      TypeError,
      /arm A must be a \[tag, instance\] pair/,
    ],
    [
      'an arm that is not a struct',
      () => taggedUnion('kind', { A: [1, CInt] }),
      TypeError,
      /arm A \(CInt\) is not a struct/,
    ],
    [
      'an arm without the tag field',
      () => taggedUnion('type', { A: [1, A] }),
      TypeError,
      /has no integer field "type"/,
    ],
    [
      'a tag field that is no integer',
      () => taggedUnion('kind', { A: [1, struct({ kind: CBool })] }),
      TypeError,
      /no integer field "kind"/,
    ],
    [
      'a bit-field tag',
      () => taggedUnion('kind', { A: [1, struct({ kind: bits(CUInt, 8) })] }),
      TypeError,
      /no integer field "kind"/,
    ],
    [
      'two arms with one tag',
      () => taggedUnion('kind', { A: [1, A], B: [1, A] }),
      RangeError,
      /arms A and B have the same tag 1/,
    ],
    [
      'a tag too large',
      () => taggedUnion('kind', { A: [2 ** 40, A] }),
      RangeError,
      /tag 1099511627776 of A does not fit/,
    ],
    ['a fractional tag', () => taggedUnion('kind', { A: [1.5, A] }), RangeError, /tag 1.5 of A/],
    [
      'tags at different offsets',
      () => taggedUnion('kind', { A: [1, A], B: [2, struct({ x: CInt, kind: CInt })] }),
      RangeError,
      /offset 4 \(i32\), not at 0 \(i32\)/,
    ],
    [
      'tags of different types',
      () => taggedUnion('kind', { A: [1, A], B: [2, struct({ kind: CUInt })] }),
      RangeError,
      /\(u32\), not at 0 \(i32\)/,
    ],
    [
      'a bad size',
      () => taggedUnion('kind', { A: [1, A] }, { size: -1 }),
      RangeError,
      /size must be a non-negative/,
    ],
    [
      'a bad alignment',
      () => taggedUnion('kind', { A: [1, A] }, { align: 3 }),
      RangeError,
      /alignment 3/,
    ],
    [
      'bad options',
      () => taggedUnion('kind', { A: [1, A] }, 5 as never),
      TypeError,
      /options must be a name or an object/,
    ],
  ])('%s', (_what, f, kind, message) => {
    expect(refusal(f, kind, 'taggedUnion')).toMatch(message);
  });

  it('converts a number tag of a 64-bit field to a bigint', () => {
    const B = struct({ kind: Int64 }, 'B');
    const T = taggedUnion('kind', { B: [3, B] });
    const p = api.callocBytes(8)() as Ptr<any>;
    api.poke(T, p, { kind: 'B' })();
    expect(api.peekByteOff(Int64, p, 0)()).toBe(3n);
    expect(api.peek(T, p)()).toEqual({ kind: 'B' });
    api.free(p)();
  });
});
