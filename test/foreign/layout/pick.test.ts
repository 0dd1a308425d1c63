/**
 * Records of some fields of a struct (layout/pick.ts): peek reads the picked fields, poke writes
 * them and keeps (or zeroes) the rest, as properties; bad input refused naming `pick`.
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Heap } from '../../../src/heap/index.js';
import {
  CBool,
  CDouble,
  CInt,
  CUInt,
  MarshalError,
  array,
  bits,
  foreign,
  pick,
  struct,
  union,
  type Ptr,
  type StorableOf,
} from '../../../src/foreign/index.js';
import { runs, valueOf } from '../helpers/arbitrary.js';
import { refusal } from '../../support/thrown.js';

const heap = Heap.create();
const api = foreign(heap);
const u8 = (): Uint8Array => heap.memory.views.u8;

const Window = struct(
  {
    type: CUInt,
    timestamp: CUInt,
    ready: bits(CUInt, 1),
    mode: bits(CUInt, 3),
    data1: CInt,
    scale: CDouble,
    flags: array(CBool, 3),
  },
  'Window',
);
const Kept = pick(Window, ['data1', 'mode', 'scale']);
const Zeroed = pick(Window, ['data1', 'mode', 'scale'], { rest: 'zero' });
type Value = StorableOf<typeof Kept>;

const value: fc.Arbitrary<Value> = fc.record({
  data1: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  mode: fc.integer({ min: 0, max: 7 }),
  scale: fc.double(),
});

/** The bits of Window that data1, mode and scale cover, per byte. */
const covered = (i: number): number => {
  if (i === 8) return 0b1110; // mode: bits 1..3 of byte 8
  if (i >= 12 && i < 24) return 0xff; // data1 at 12, scale at 16
  return 0;
};

describe('pick', () => {
  it('has the value type of the picked fields, and the struct’s size and alignment', () => {
    expectTypeOf<Value>().toEqualTypeOf<{ data1: number; mode: number; scale: number }>();
    expect([Kept.sizeOf, Kept.alignment]).toEqual([Window.sizeOf, Window.alignment]);
    expect(Kept.name).toBe('pick(Window, data1, mode, scale)');
    // @ts-expect-error: not a member of Window
    expect(() => pick(Window, ['nope'])).toThrow(RangeError);
  });

  it("'keep': poke writes the picked fields and keeps every other bit; the laws hold", () => {
    fc.assert(
      fc.property(valueOf(Window), value, value, (whole, a, b) => {
        const p = api.mallocBytes(Window.sizeOf)() as Ptr<any>;
        try {
          api.poke(Window, p, whole)();
          const before = u8().slice(p, p + Window.sizeOf);
          api.poke(Kept, p, a)();
          const after = u8().slice(p, p + Window.sizeOf);
          expect(after.findIndex((x, i) => ((x ^ before[i]!) & ~covered(i)) !== 0)).toBe(-1);
          expect(api.peek(Kept, p)()).toEqual(a);
          expect(api.peek(Window, p)()).toEqual({ ...whole, ...a });
          api.poke(Kept, p, api.peek(Kept, p)())();
          expect(u8().slice(p, p + Window.sizeOf)).toEqual(after);
          api.poke(Kept, p, b)();
          api.poke(Kept, p, a)();
          expect(u8().slice(p, p + Window.sizeOf)).toEqual(after);
        } finally {
          api.free(p)();
        }
      }),
      { numRuns: runs(80) },
    );
  });

  it("'zero': poke zeroes every byte the picked fields do not cover", () => {
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 255 }), (a, junk) => {
        const p = api.mallocBytes(Window.sizeOf)() as Ptr<any>;
        try {
          u8().fill(junk, p, p + Window.sizeOf);
          api.poke(Zeroed, p, a)();
          const bytes = u8().slice(p, p + Window.sizeOf);
          expect(bytes.findIndex((x, i) => (x & ~covered(i)) !== 0)).toBe(-1);
          expect(api.peek(Zeroed, p)()).toEqual(a);
          expect(api.peek(Window, p)()).toEqual({
            type: 0,
            timestamp: 0,
            ready: 0,
            flags: [0, 0, 0],
            ...a,
          });
        } finally {
          api.free(p)();
        }
      }),
      { numRuns: runs(80) },
    );
  });

  it('checks the whole value first: a missing or bad field writes nothing', () => {
    const p = api.callocBytes(Window.sizeOf)() as Ptr<any>;
    const stats = JSON.stringify(heap.stats());
    try {
      u8().fill(0x5a, p, p + Window.sizeOf);
      const before = u8().slice(p, p + Window.sizeOf);
      expect(
        refusal(api.poke(Zeroed, p, { data1: 1, mode: 9, scale: 0 }), MarshalError, 'poke'),
      ).toMatch(/at value.mode does not fit CUInt : 3/);
      expect(
        refusal(api.poke(Kept, p, { data1: 1, scale: 0 } as never), MarshalError, 'poke'),
      ).toMatch(/value.mode does not fit .*missing field/);
      expect(refusal(api.poke(Kept, p, 5 as never), MarshalError, 'poke')).toMatch(
        /an object is expected/,
      );
      expect(u8().slice(p, p + Window.sizeOf)).toEqual(before);
      heap.check();
      expect(JSON.stringify(heap.stats())).toBe(stats);
    } finally {
      api.free(p)();
    }
  });

  it.each<[string, () => unknown, abstract new (...a: never[]) => Error, RegExp]>([
    [
      'a union',
      () => pick(union({ a: CInt }) as never, ['a'] as never),
      TypeError,
      /is not a struct/,
    ],
    ['a scalar', () => pick(CInt as never, [] as never), TypeError, /CInt is not a struct/],
    ['not an instance', () => pick('Window' as never, [] as never), TypeError, /not a Storable/],
    ['keys that are no array', () => pick(Window, 'data1' as never), TypeError, /must be an array/],
    ['a key twice', () => pick(Window, ['data1', 'data1']), RangeError, /"data1" is picked twice/],
    [
      'a bad rest',
      () => pick(Window, [], { rest: 'drop' as never }),
      RangeError,
      /rest must be 'keep' or 'zero'/,
    ],
    [
      'bad options',
      () => pick(Window, [], 5 as never),
      TypeError,
      /options must be a name or an object/,
    ],
    [
      'a name that is no string',
      () => pick(Window, [], { name: 5 as never }),
      TypeError,
      /the name must be a string/,
    ],
  ])('refuses %s', (_what, f, kind, message) => {
    expect(refusal(f, kind, 'pick')).toMatch(message);
  });
});
