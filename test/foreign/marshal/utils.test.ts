import * as O from 'fp-ts/lib/Option.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AllocationError,
  CInt,
  Double,
  Heap,
  MarshalError,
  MemoryBoundsError,
  NullPointerError,
  OverlapError,
  UserError,
  contextOf,
  foreign,
  fromBool,
  maybeNew,
  maybePeek,
  maybeWith,
  marshalUtils,
  nullPtr,
  plusPtr,
  struct,
  throwIf,
  throwIfNeg,
  throwIfNeg_,
  throwIfNull,
  throwIf_,
  toBool,
  withMany,
  type Ptr,
} from '../../../src/index.js';
import { expectEachRefused } from '../../support/refusal.js';
import { refusal, thrown } from '../../support/thrown.js';

const setup = () => {
  const heap = Heap.create();
  return { heap, api: foreign(contextOf(heap)) };
};
const Point = struct({ x: Double, y: CInt });

describe('with and new', () => {
  it('with stores the value in temporary memory for the body', () => {
    const { api } = setup();
    const read = api.with(Point, { x: 1.5, y: -2 }, (p) => api.peek(Point, p))();
    expect(read).toEqual({ x: 1.5, y: -2 });
    expect(api.context.stack.depth).toBe(0);
  });

  it('with of a value that does not fit is a MarshalError, and the stack is released', () => {
    const { api } = setup();
    expect(() => api.with(CInt, 2 ** 40, () => () => 0)()).toThrow(MarshalError);
    expect(() => api.with(Point, { x: 1 } as never, () => () => 0)()).toThrow(MarshalError);
    expect(api.context.stack.depth).toBe(0);
  });

  it('new allocates and stores; a value that does not fit allocates nothing', () => {
    const { api, heap } = setup();
    const p = api.new(Point, { x: 2, y: 3 })();
    expect(api.peek(Point, p)()).toEqual({ x: 2, y: 3 });
    api.free(p)();
    expect(() => api.new(CInt, '7' as never)()).toThrow('new: value "7" does not fit CInt');
    expect(heap.stats().liveBlocks).toBe(0);
    heap.check();
  });

  it('with on a full heap is an AllocationError naming with, and the body does not run', () => {
    const heap = Heap.over(new ArrayBuffer(8192), { base: 0 });
    const api = foreign(contextOf(heap, { size: 0 }));
    const ps: Ptr<any>[] = [];
    for (let p = api.mallocBytes(64)(); p !== nullPtr; p = api.mallocBytes(64)()) ps.push(p);
    while (api.mallocBytes(8)() !== nullPtr);
    const before = heap.stats();
    let ran = false;
    const error = thrown(() =>
      api.with(CInt, 1, () => () => {
        ran = true;
      })(),
    );
    expect(error).toBeInstanceOf(AllocationError);
    expect((error as Error).message).toBe('with: cannot allocate 4 bytes (out of memory)');
    expect(ran).toBe(false);
    expect(api.context.stack.depth).toBe(0);
    expect(heap.stats().liveBlocks).toBe(before.liveBlocks);
    heap.check();
  });

  it('with checks the value before allocating, and its MarshalError names with', () => {
    const { api, heap } = setup();
    const error = thrown(() => api.with(CInt, 'x' as never, () => () => 0)());
    expect(error).toBeInstanceOf(MarshalError);
    expect((error as Error).message).toBe('with: value "x" does not fit CInt');
    expect(heap.stats().mallocs).toBe(0); // the stack did not even take its region
  });

  it('new gives nullPtr when the heap is full', () => {
    const heap = Heap.over(new ArrayBuffer(8192), { base: 0 });
    const api = foreign(heap);
    const Big = struct({
      a: Double,
      b: Double,
      c: Double,
      d: Double,
      e: Double,
      f: Double,
      g: Double,
      h: Double,
    });
    const ps: Ptr<any>[] = [];
    for (let i = 0; i < 200; i++)
      ps.push(api.new(Big, { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8 })());
    expect(ps).toContain(nullPtr);
    heap.check();
  });
});

describe('Bool conversions', () => {
  it('fromBool and toBool', () => {
    expect(fromBool(true)).toBe(1);
    expect(fromBool(false)).toBe(0);
    expect(toBool(2)).toBe(true);
    expect(toBool(-1)).toBe(true);
    expect(toBool(0)).toBe(false);
    expect(toBool(0n)).toBe(false);
    expect(toBool(5n)).toBe(true);
    fc.assert(fc.property(fc.boolean(), (b) => toBool(fromBool(b)) === b));
  });
});

describe('the Maybe helpers (fp-ts Option)', () => {
  it('maybeNew: None is nullPtr, Some allocates', () => {
    const { api } = setup();
    expect(maybeNew((x: number) => api.new(CInt, x), O.none)()).toBe(nullPtr);
    const p = maybeNew((x: number) => api.new(CInt, x), O.some(9))();
    expect(api.peek(CInt, p)()).toBe(9);
  });

  it('maybeWith: None runs the body with nullPtr', () => {
    const { api } = setup();
    const withInt = (x: number, k: (p: Ptr<number>) => () => number) => api.with(CInt, x, k);
    expect(maybeWith(withInt, O.none, (p) => () => p)()).toBe(nullPtr);
    expect(maybeWith(withInt, O.some(4), (p) => api.peek(CInt, p))()).toBe(4);
  });

  it('maybePeek: nullPtr is None', () => {
    const { api } = setup();
    expect(maybePeek((p: Ptr<number>) => api.peek(CInt, p), nullPtr)()).toEqual(O.none);
    const p = api.new(CInt, 3)();
    expect(maybePeek((q: Ptr<number>) => api.peek(CInt, q), p)()).toEqual(O.some(3));
  });
});

describe('withMany', () => {
  it('nests a with-function over a list and releases everything', () => {
    const { api } = setup();
    const withInt = (x: number, k: (p: Ptr<number>) => () => number[]) => api.with(CInt, x, k);
    const values = withMany(withInt, [1, 2, 3], (ps) => () => ps.map((p) => api.peek(CInt, p)()))();
    expect(values).toEqual([1, 2, 3]);
    expect(api.context.stack.depth).toBe(0);
    expect(withMany(withInt, [], (ps) => () => ps.map(Number))()).toEqual([]);
  });
});

describe('copyBytes, moveBytes, fillBytes', () => {
  it('copyBytes copies (destination first)', () => {
    const { api, heap } = setup();
    const src = api.mallocBytes(16)();
    const dest = api.mallocBytes(16)();
    heap.memory.views.u8.set([1, 2, 3, 4], src);
    api.copyBytes(dest, src, 4)();
    expect([...heap.memory.views.u8.subarray(dest, dest + 4)]).toEqual([1, 2, 3, 4]);
  });

  it('copyBytes of overlapping regions is an OverlapError and copies nothing', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes(16)();
    heap.memory.views.u8.set([1, 2, 3, 4, 5, 6, 7, 8], p);
    expect(() => api.copyBytes(plusPtr(p, 2), p, 4)()).toThrow(OverlapError);
    expect([...heap.memory.views.u8.subarray(p, p + 8)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    api.copyBytes(plusPtr(p, 4), p, 4)(); // adjacent is not overlapping
    api.copyBytes(p, p, 0)();
  });

  it('moveBytes handles overlap like memmove, against a model', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (bytes, a, b, c) => {
          const { api, heap } = setup();
          const p = api.mallocBytes(bytes.length)();
          heap.memory.views.u8.set(bytes, p);
          const n = c % (bytes.length + 1);
          const src = a % (bytes.length - n + 1);
          const dest = b % (bytes.length - n + 1);
          const model = Uint8Array.from(bytes);
          model.copyWithin(dest, src, src + n);
          api.moveBytes(plusPtr(p, dest), plusPtr(p, src), n)();
          expect([...heap.memory.views.u8.subarray(p, p + bytes.length)]).toEqual([...model]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fillBytes sets bytes; a byte outside 0–255 is a RangeError', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes(8)();
    api.fillBytes(p, 0xab, 8)();
    expect(heap.memory.views.u32[p >>> 2]).toBe(0xabababab);
    expect(() => api.fillBytes(p, 256, 8)()).toThrow(RangeError);
    expect(() => api.fillBytes(p, -1, 8)()).toThrow(RangeError);
    expect(() => api.fillBytes(p, 1.5, 8)()).toThrow(RangeError);
  });

  it('nullPtr with bytes to touch is a NullPointerError; past the end a MemoryBoundsError', () => {
    const { api, heap } = setup();
    expect(() => api.fillBytes(nullPtr, 0, 4)()).toThrow(NullPointerError);
    expect(() => api.copyBytes(nullPtr, 8 as Ptr<unknown>, 4)()).toThrow(NullPointerError);
    api.fillBytes(nullPtr, 0, 0)();
    const end = heap.memory.byteLength as Ptr<unknown>;
    expect(() => api.moveBytes(end, 8 as Ptr<unknown>, 8)()).toThrow(MemoryBoundsError);
    expect(() => api.fillBytes(-8 as Ptr<unknown>, 0, 1)()).toThrow(RangeError);
  });
});

describe('Foreign.Marshal.Error', () => {
  it('throwIf throws a UserError built from the result, or returns it', () => {
    expect(
      throwIf(
        (x: number) => x > 3,
        (x) => `too big: ${x}`,
        () => 2,
      )(),
    ).toBe(2);
    expect(() =>
      throwIf(
        (x: number) => x > 3,
        (x) => `too big: ${x}`,
        () => 5,
      )(),
    ).toThrow(UserError);
    expect(() =>
      throwIf(
        (x: number) => x > 3,
        (x) => `too big: ${x}`,
        () => 5,
      )(),
    ).toThrow('too big: 5');
    expect(
      throwIf_(
        (x: number) => x > 3,
        String,
        () => 1,
      )(),
    ).toBeUndefined();
  });

  it('throwIfNeg and throwIfNull', () => {
    expect(
      throwIfNeg(
        (x: number) => `errno ${x}`,
        () => 0,
      )(),
    ).toBe(0);
    expect(() =>
      throwIfNeg(
        (x: number) => `failed with ${x}`,
        () => -1,
      )(),
    ).toThrow('failed with -1');
    expect(() =>
      throwIfNeg_(
        (x: bigint) => `failed with ${x}`,
        () => -1n,
      )(),
    ).toThrow(UserError);
    expect(() => throwIfNull('malloc', () => nullPtr)()).toThrow('malloc');
    expect(throwIfNull('malloc', () => 8 as Ptr<number>)()).toBe(8);
  });
});

describe('arguments that are not what they should be', () => {
  const notFunctions = [7, null, undefined] as unknown as Array<() => never>;

  it('with and new refuse a non-instance and a body that is not one, naming themselves', () => {
    const { heap, api } = setup();
    for (const S of [null, 'CInt', {}] as unknown as Array<typeof CInt>) {
      refusal(() => api.with(S, 1, () => () => 0)(), TypeError, 'with');
      refusal(() => api.new(S, 1)(), TypeError, 'new');
    }
    for (const f of [...notFunctions, () => 7] as never[]) {
      refusal(() => api.with(CInt, 1, f)(), TypeError, 'with');
    }
    expect(api.context.stack.depth).toBe(0);
    expect(heap.stats().liveBlocks).toBe(1); // the alloca stack's region
    heap.check();
  });

  it('fromBool takes booleans and toBool numbers and bigints only', () => {
    for (const b of ['false', 1, null, undefined])
      refusal(() => fromBool(b as never), TypeError, 'fromBool');
    for (const x of ['0', null, undefined, {}])
      refusal(() => toBool(x as never), TypeError, 'toBool');
    expect([fromBool(false), toBool(0n), toBool(-1)]).toEqual([0, false, true]);
  });

  it('the Maybe helpers check their functions and their Option', () => {
    for (const o of [null, 3, 'some', {}]) {
      refusal(() => maybeNew(() => () => nullPtr, o as never), TypeError, 'maybeNew');
      refusal(
        () =>
          maybeWith(
            (_a, k) => k(nullPtr),
            o as never,
            () => () => 0,
          ),
        TypeError,
        'maybeWith',
      );
    }
    for (const f of notFunctions) {
      refusal(() => maybeNew(f, O.some(1)), TypeError, 'maybeNew');
      refusal(() => maybeWith(f, O.none, () => () => 0), TypeError, 'maybeWith');
      refusal(() => maybeWith((_a, k) => k(nullPtr), O.none, f), TypeError, 'maybeWith');
      refusal(() => maybePeek(f, plusPtr(nullPtr, 8)), TypeError, 'maybePeek');
    }
    refusal(() => maybeNew(() => 7 as never, O.some(1)), TypeError, 'maybeNew');
    refusal(
      () =>
        maybeWith(
          (_a, k) => k(nullPtr),
          O.none,
          () => 7 as never,
        ),
      TypeError,
      'maybeWith',
    );
    refusal(() => maybePeek(() => 7 as never, plusPtr(nullPtr, 8))(), TypeError, 'maybePeek');
    refusal(() => maybePeek(() => () => 1, '8' as never), RangeError, 'maybePeek');
  });

  it('withMany checks its functions and its list', () => {
    const withOne = (a: number, k: (b: number) => number) => k(a);
    refusal(() => withMany(null as never, [1], () => 0), TypeError, 'withMany');
    refusal(() => withMany(withOne, [1], null as never), TypeError, 'withMany');
    for (const as of ['12', null, { length: 1 }]) {
      refusal(() => withMany(withOne, as as never, () => 0), TypeError, 'withMany');
    }
  });

  it('the throwIf family checks its predicate, message and program when the program is made', () => {
    const io = () => 1;
    for (const f of notFunctions) {
      refusal(() => throwIf(f, () => 'm', io), TypeError, 'throwIf');
      refusal(() => throwIf_(() => false, f, io), TypeError, 'throwIf_');
      refusal(() => throwIfNeg(() => 'm', f), TypeError, 'throwIfNeg');
      refusal(() => throwIfNeg_(f, io), TypeError, 'throwIfNeg_');
      refusal(() => throwIfNull('m', f), TypeError, 'throwIfNull');
    }
    refusal(() => throwIfNull(7 as never, () => plusPtr(nullPtr, 8)), TypeError, 'throwIfNull');
  });

  it('marshalUtils checks its context and parts', () => {
    const { api } = setup();
    refusal(() => marshalUtils({} as never, api, api), TypeError, 'marshalUtils');
    refusal(() => marshalUtils(api.context, {} as never, api), TypeError, 'marshalUtils');
    refusal(() => marshalUtils(api.context, api, null as never), TypeError, 'marshalUtils');
  });
});

describe('copyBytes, moveBytes and fillBytes with bigint counts', () => {
  it('take bigint counts that are safe integers; refuse the others and bigint pointers', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes(16)();
    const q = api.mallocBytes(16)();
    api.fillBytes(p, 7, 16n)();
    api.copyBytes(q, p, 8n)();
    api.moveBytes(plusPtr(q, 1), q, 4n)();
    expect([...heap.memory.views.u8.subarray(q, q + 9)]).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 0]);
    expectEachRefused(RangeError, [
      ['copyBytes', () => api.copyBytes(q, p, 2n ** 53n)()],
      ['moveBytes', () => api.moveBytes(q, p, -1n)()],
      ['fillBytes', () => api.fillBytes(p, 0, 2n ** 64n)()],
      ['fillBytes', () => api.fillBytes(p, 1n as never, 4)()],
    ]);
    expectEachRefused(TypeError, [
      ['copyBytes', () => api.copyBytes(BigInt(q) as never, p, 4)()],
      ['fillBytes', () => api.fillBytes(BigInt(p) as never, 0, 4)()],
    ]);
    heap.check();
  });
});
