/**
 * Hand-written Storable instances (layout/hand-written.ts): the laws, in every context (the
 * memory functions are those of the memory being read or written), inside structs and arrays
 * with both compilers, a failed poke that writes nothing, and definitions refused when the
 * instance is made.
 */
import fc from 'fast-check';
import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { Heap } from '../../../src/heap/index.js';
import {
  CDouble,
  CInt,
  CUInt,
  Int16,
  MarshalError,
  NullPointerError,
  Word8,
  array,
  compileLayout,
  foreign,
  nullPtr,
  plusPtr,
  storable,
  struct,
  wasm32,
  type Foreign,
  type Ptr,
  type StorableDefinition,
} from '../../../src/foreign/index.js';
import {
  alloca,
  peek as rootPeek,
  poke as rootPoke,
  defaultHeap,
} from '../../../src/foreign/context/index.js';
import { MemoryBoundsError } from '../../../src/memory/index.js';
import { runs } from '../helpers/arbitrary.js';
import { assertStorableLaws } from '../helpers/laws.js';
import { refusal, thrown } from '../../support/thrown.js';

interface Point {
  x: number;
  y: number;
}

/** Haskell's `instance Storable Point`, with `peekByteOff` and `pokeByteOff`. */
const Point = storable<Point>({
  name: 'Point',
  sizeOf: 8,
  alignment: 4,
  codec: t.type({
    x: t.refinement(t.number, (n) => (n | 0) === n),
    y: t.refinement(t.number, (n) => (n | 0) === n),
  }) as unknown as t.Type<Point, Point, unknown>,
  peek: (p, m) => () => ({ x: m.peekByteOff(CInt, p, 0)(), y: m.peekByteOff(CInt, p, 4)() }),
  poke: (p, v, m) => () => {
    m.pokeByteOff(CInt, p, 0, v.x)();
    m.pokeByteOff(CInt, p, 4, v.y)();
  },
});

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const point = fc.record({ x: int32, y: int32 });

/** The C struct a Haskell record models only in part: sdl2's habit. */
const Window = struct(
  { type: CUInt, timestamp: CUInt, windowID: CUInt, event: Word8, data1: CInt, data2: CInt },
  'SDL_WindowEvent',
);
interface Resized {
  window: number;
  width: number;
  height: number;
}
/** A record of three of Window's fields, through peekField and pokeField. */
const Resized = storable<Resized>({
  name: 'Resized',
  sizeOf: Window.sizeOf,
  alignment: Window.alignment,
  peek: (p, m) => () => ({
    window: m.peekField(Window, 'windowID')(p)(),
    width: m.peekField(Window, 'data1')(p)(),
    height: m.peekField(Window, 'data2')(p)(),
  }),
  poke: (p, v, m) => () => {
    m.pokeField(Window, 'windowID')(p, v.window)();
    m.pokeField(Window, 'data1')(p, v.width)();
    m.pokeField(Window, 'data2')(p, v.height)();
  },
});

describe('the Storable laws of hand-written instances', () => {
  it('hold for an instance of peekByteOff and pokeByteOff (in a memory of its own)', () => {
    assertStorableLaws(Point, point, { numRuns: runs(80) });
  });

  it('hold for a record of some fields (peekField and pokeField), the rest kept', () => {
    const resized = fc.record({
      window: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      width: int32,
      height: int32,
    });
    // Set-Set over junk compares with a poke over zeros: the fields it does not model are
    // kept, so that law holds only on bytes the record covers. The others, directly:
    const api = foreign(Heap.create());
    fc.assert(
      fc.property(resized, resized, fc.integer({ min: 0, max: 255 }), (a, b, junk) => {
        const p = api.mallocBytes(Window.sizeOf)() as Ptr<Resized>;
        try {
          const u8 = api.context.memory.views.u8;
          u8.fill(junk, p, p + Window.sizeOf);
          const untouched = [...u8.slice(p, p + 4), u8[p + 12]];
          api.poke(Resized, p, a)();
          expect(api.peek(Resized, p)()).toEqual(a);
          const once = u8.slice(p, p + Window.sizeOf);
          api.poke(Resized, p, api.peek(Resized, p)())();
          expect(u8.slice(p, p + Window.sizeOf)).toEqual(once);
          api.poke(Resized, p, b)();
          api.poke(Resized, p, a)();
          expect(u8.slice(p, p + Window.sizeOf)).toEqual(once);
          expect([...u8.slice(p, p + 4), u8[p + 12]]).toEqual(untouched);
        } finally {
          api.free(p)();
        }
      }),
      { numRuns: runs(60) },
    );
  });
});

describe('a hand-written instance works in any context', () => {
  const heaps = [Heap.create(), Heap.create()];
  const apis: Foreign[] = heaps.map((h) => foreign(h));

  it('reads and writes the memory of the call that runs it, not the default context', () => {
    // The same address in two heaps and in the default heap, with different bytes in each.
    const ps = apis.map((api) => api.mallocBytes(8)() as Ptr<Point>);
    const p = ps[0]!;
    expect(ps[1]).toBe(p);
    apis.forEach((api, i) => api.poke(Point, p, { x: i + 1, y: -(i + 1) })());
    expect(apis.map((api) => api.peek(Point, p)())).toEqual([
      { x: 1, y: -1 },
      { x: 2, y: -2 },
    ]);
    // An adapter built on the root's functions would read the default heap here.
    const d = defaultHeap().malloc(8) as Ptr<Point>;
    rootPoke(Point, d, { x: 9, y: 9 })();
    expect(rootPeek(Point, d)()).toEqual({ x: 9, y: 9 });
    defaultHeap().free(d);
    apis.forEach((api) => api.free(p)());
  });

  it('as a struct member and an array element, with code generation and the interpreter', () => {
    const Segment = struct({ id: Int16, from: Point, to: Point, w: CDouble }, 'Segment');
    const Line = array(Point, 3);
    for (const how of ['codegen', 'interpreter'] as const) {
      const seg = compileLayout(Segment, how);
      const line = compileLayout(Line, how);
      for (const api of apis) {
        const p = api.callocBytes(64)() as number;
        const v = api.context.memory.views;
        const value = { id: 7, from: { x: 1, y: 2 }, to: { x: 3, y: 4 }, w: 0.5 };
        expect(seg.is(value)).toBe(true);
        expect(seg.is({ ...value, to: { x: 1.5, y: 0 } })).toBe(false);
        seg.write(v, p, value);
        expect(seg.read(v, p)).toEqual(value);
        expect(
          refusal(() => api.peekField(Segment, ['to', 'y'] as never), TypeError, 'peekField'),
        ).toMatch(/Segment.to \(Point\) has no members/);
        expect(api.peekField(Segment, 'to')(p as Ptr<any>)()).toEqual(value.to);
        const pts = [
          { x: 1, y: 1 },
          { x: 2, y: 2 },
          { x: 3, y: 3 },
        ];
        line.write(v, p, pts);
        expect(line.read(v, p)).toEqual(pts);
        api.free(p as Ptr<any>)();
      }
    }
  });

  it('in alloca, with, arrays and pools of any context', () => {
    for (const api of apis) {
      const back = api.alloca(Point, (p) => () => {
        api.poke(Point, p, { x: 5, y: 6 })();
        return api.peek(Point, p)();
      })();
      expect(back).toEqual({ x: 5, y: 6 });
      const xs = [
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ];
      expect(api.withArray(Point, xs, (p) => api.peekArray(Point, 2, p))()).toEqual(xs);
      expect(api.with(Point, { x: -1, y: 1 }, (p) => api.peekElemOff(Point, p, 0))()).toEqual({
        x: -1,
        y: 1,
      });
    }
    expect(
      alloca(Point, (p) => () => (rootPoke(Point, p, { x: 1, y: 1 })(), rootPeek(Point, p)()))(),
    ).toEqual({ x: 1, y: 1 });
  });
});

describe('the memory functions of the programs', () => {
  const api = foreign(Heap.create());

  it('give peekElemOff, peekArray, pokeArray and nested hand-written instances', () => {
    interface Poly {
      n: number;
      pts: Point[];
    }
    const Poly = storable<Poly>({
      name: 'Poly',
      sizeOf: 28,
      alignment: 4,
      peek: (p, m) => () => {
        const n = m.peekByteOff(CInt, p, 0)();
        return { n, pts: m.peekArray(Point, n, plusPtr(p, 4))() };
      },
      poke: (p, v, m) => () => {
        m.pokeByteOff(CInt, p, 0, v.n)();
        m.pokeArray(Point, plusPtr(p, 4), v.pts)();
        if (v.n > 0) m.pokeElemOff(Point, plusPtr<Point>(p, 4), 0, v.pts[0]!)();
        m.poke(CInt, plusPtr(p, 24), v.pts.length)();
      },
    });
    const p = api.callocBytes(28)() as Ptr<Poly>;
    const v = {
      n: 2,
      pts: [
        { x: 1, y: 2 },
        { x: 3, y: 4 },
      ],
    };
    api.poke(Poly, p, v)();
    expect(api.peek(Poly, p)()).toEqual(v);
    expect(api.peekByteOff(CInt, p, 24)()).toBe(2);
    api.free(p)();
  });

  it('refuse a write in a peek, and calls after the program has returned', () => {
    let kept: ((p: Ptr<any>) => void) | undefined;
    const Sneaky = storable<number>({
      name: 'Sneaky',
      sizeOf: 4,
      alignment: 4,
      peek: (p, m) => () => {
        kept = (q) => m.peek(CInt, q)();
        m.poke(CInt, p, 1)();
        return 0;
      },
      poke: () => () => undefined,
    });
    const p = api.callocBytes(4)() as Ptr<number>;
    expect(refusal(api.peek(Sneaky, p), TypeError, 'poke')).toMatch(
      /the peek of Sneaky cannot write/,
    );
    expect(refusal(() => kept!(p), TypeError, 'peek')).toMatch(/when none of them runs/);
    api.free(p)();
  });

  it('check pointers and bounds, naming their own call', () => {
    const reads = (
      f: (p: Ptr<number>, m: Parameters<StorableDefinition<number>['peek']>[1]) => number,
    ) =>
      storable<number>({
        name: 'R',
        sizeOf: 4,
        alignment: 4,
        peek: (p, m) => () => f(p, m),
        poke: () => () => undefined,
      });
    const p = api.callocBytes(4)() as Ptr<number>;
    const size = api.context.memory.byteLength;
    expect(
      refusal(
        api.peek(
          reads((_p, m) => m.peekByteOff(CInt, nullPtr, 0)()),
          p,
        ),
        NullPointerError,
        'peekByteOff',
      ),
    ).toMatch(/nullPtr/);
    expect(
      refusal(
        api.peek(
          reads((q, m) => m.peekByteOff(CInt, q, size)()),
          p,
        ),
        MemoryBoundsError,
        'peekByteOff',
      ),
    ).toMatch(/past the end/);
    expect(
      refusal(
        api.peek(
          reads((q, m) => m.peekByteOff(CInt, q, -q - 8)()),
          p,
        ),
        RangeError,
        'peekByteOff',
      ),
    ).toMatch(/below 0/);
    expect(
      refusal(
        api.peek(
          reads((q, m) => m.peekElemOff(CInt, q, 1.5)()),
          p,
        ),
        RangeError,
        'peekElemOff',
      ),
    ).toMatch(/1.5/);
    expect(
      refusal(
        api.peek(
          reads((_q, m) => m.peek('CInt' as never, p)()),
          p,
        ),
        TypeError,
        'peek',
      ),
    ).toMatch(/not a Storable/);
    expect(
      refusal(
        api.peek(
          reads((_q, m) => m.peekArray(CInt, 2n ** 60n, p)().length),
          p,
        ),
        RangeError,
        'peekArray',
      ),
    ).toMatch(/count/);
    expect(
      api.peek(
        reads((_q, m) => m.peekArray(CInt, -3, p)().length),
        p,
      )(),
    ).toBe(0);
    api.free(p)();
  });
});

describe('a poke that fails writes nothing', () => {
  const heap = Heap.create();
  const api = foreign(heap);

  it('puts the instance’s bytes back when a field does not fit, and the heap is whole', () => {
    const Loose = storable<Point>({
      name: 'Loose',
      sizeOf: 8,
      alignment: 4,
      // No codec: the program's own pokes check each field.
      peek: (p, m) => () => ({ x: m.peekByteOff(CInt, p, 0)(), y: m.peekByteOff(CInt, p, 4)() }),
      poke: (p, v, m) => () => {
        m.pokeByteOff(CInt, p, 0, v.x)();
        m.pokeByteOff(CInt, p, 4, v.y)();
      },
    });
    const p = api.mallocBytes(8)() as Ptr<Point>;
    api.poke(Loose, p, { x: 1, y: 2 })();
    const stats = JSON.stringify(heap.stats());
    const e = thrown(api.poke(Loose, p, { x: 5, y: 2 ** 40 }));
    expect(e).toBeInstanceOf(MarshalError);
    expect((e as Error).message).toMatch(/^poke: value 1099511627776 does not fit CInt/);
    expect(api.peek(Loose, p)()).toEqual({ x: 1, y: 2 });
    const thrownByProgram = thrown(
      api.poke(
        storable<number>({
          name: 'Boom',
          sizeOf: 8,
          alignment: 8,
          peek: () => () => 0,
          poke: (q, _v, m) => () => {
            m.pokeByteOff(CInt, q, 0, 7)();
            throw new Error('boom');
          },
        }) as never,
        p,
        1 as never,
      ),
    );
    expect((thrownByProgram as Error).message).toBe('boom');
    expect(api.peek(Loose, p)()).toEqual({ x: 1, y: 2 });
    expect(refusal(api.poke(Loose, p, null as never), MarshalError, 'poke')).toMatch(/null/);
    expect(refusal(api.poke(Loose, p, undefined as never), MarshalError, 'poke')).toMatch(
      /undefined/,
    );
    expect(refusal(api.poke(Point, p, { x: 1.5, y: 0 }), MarshalError, 'poke')).toMatch(
      /value 1.5 at value.x/,
    );
    heap.check();
    expect(JSON.stringify(heap.stats())).toBe(stats);
    api.free(p)();
  });

  it('refuses a program that returns no IO, naming the method', () => {
    const NoIO = storable<number>({
      name: 'NoIO',
      sizeOf: 4,
      alignment: 4,
      peek: () => 7 as never,
      poke: () => 7 as never,
    });
    const p = api.callocBytes(4)() as Ptr<number>;
    expect(refusal(api.peek(NoIO, p), TypeError, 'peek')).toMatch(
      /the peek of NoIO returned 7, not an IO program/,
    );
    expect(refusal(api.poke(NoIO, p, 1), TypeError, 'poke')).toMatch(/the poke of NoIO returned 7/);
    api.free(p)();
  });
});

describe('definitions refused when the instance is made', () => {
  const base: StorableDefinition<number> = {
    name: 'T',
    sizeOf: 8,
    alignment: 8,
    peek: () => () => 0,
    poke: () => () => undefined,
  };
  it.each<[string, unknown, abstract new (...a: never[]) => Error, RegExp]>([
    ['no definition', null, TypeError, /the definition must be an object/],
    ['a name that is no string', { ...base, name: 5 }, TypeError, /the name must be a string/],
    [
      "sdl2's alignment = sizeOf (56)",
      { ...base, sizeOf: 56, alignment: 56 },
      RangeError,
      /alignment 56 of T is not a power of two up to 2\^30, so no allocation could honour it/,
    ],
    ['alignment 0', { ...base, alignment: 0 }, RangeError, /alignment 0 of T/],
    [
      'alignment above 2^30',
      { ...base, sizeOf: 2 ** 31, alignment: 2 ** 31 },
      RangeError,
      /alignment 2147483648/,
    ],
    [
      'a negative size',
      { ...base, sizeOf: -8 },
      RangeError,
      /sizeOf of T must be a non-negative safe integer/,
    ],
    ['a fractional size', { ...base, sizeOf: 1.5 }, RangeError, /sizeOf of T/],
    [
      'a size that is not a multiple',
      { ...base, sizeOf: 12 },
      RangeError,
      /sizeOf 12 of T is not a multiple of its alignment 8 \(C rounds sizeof up to 16/,
    ],
    ['no peek', { ...base, peek: undefined }, TypeError, /peek of T must be a function/],
    ['no poke', { ...base, poke: 'poke' }, TypeError, /poke of T must be a function/],
    [
      'a codec that is not one',
      { ...base, codec: {} },
      TypeError,
      /codec of T is not an io-ts type/,
    ],
  ])('%s', (_what, definition, kind, message) => {
    expect(refusal(() => storable(definition as never), kind, 'storable')).toMatch(message);
  });

  it('accepts bigint sizes and alignments, and size 0', () => {
    const S = storable({ ...base, sizeOf: 16n, alignment: 8n });
    expect([S.sizeOf, S.alignment]).toEqual([16, 8]);
    expect(storable({ ...base, sizeOf: 0, alignment: 1 }).sizeOf).toBe(0);
    expect(wasm32.CInt.sizeOf).toBe(4);
  });
});
