import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as IO from 'fp-ts/lib/IO.js';
import { describe, expect, it } from 'vitest';
import {
  AllocationError,
  CInt,
  Double,
  Heap,
  InvalidPointerError,
  Word8,
  aligned,
  contextOf,
  foreign,
  marshalAlloc,
  nullPtr,
  struct,
  type Ptr,
} from '../../src/index.js';
import { refusal } from '../support/thrown.js';

const setup = () => {
  const heap = Heap.create();
  const api = foreign(contextOf(heap));
  return { heap, api, stack: api.context.stack };
};

/** A heap of one page, to run out of. */
const small = () => {
  const heap = Heap.over(new ArrayBuffer(16384), { base: 0 });
  return { heap, api: foreign(heap) };
};

describe('alloca and its kin', () => {
  it('gives an aligned pointer for the value and releases it when the body returns', () => {
    const { api, stack } = setup();
    const Big = aligned(64, struct({ x: Double }));
    const seen: number[] = [];
    const result = api.alloca(CInt, (p) => () => {
      seen.push(p);
      return api.alloca(Big, (q) => () => {
        seen.push(q);
        return q % 64;
      })();
    })();
    expect(result).toBe(0);
    expect(seen[0]! % 4).toBe(0);
    expect(stack.depth).toBe(0);
    expect(stack.used).toBe(0);
  });

  it('releases when the body throws, and the exception passes through', () => {
    const { api, stack } = setup();
    const boom = new Error('boom');
    expect(() =>
      api.allocaBytes(100, () => () => {
        throw boom;
      })(),
    ).toThrow(boom);
    expect(stack.depth).toBe(0);
  });

  it('releases when the body returns a Left', () => {
    const { api, stack } = setup();
    const r = api.allocaBytes(8, () => () => E.left('no'))();
    expect(r).toEqual(E.left('no'));
    expect(stack.depth).toBe(0);
  });

  it('is a program: nothing is allocated until it runs', () => {
    const { api, stack } = setup();
    const program = api.allocaBytes(16, () => () => stack.depth);
    expect(stack.depth).toBe(0);
    expect(program()).toBe(1);
    expect(program()).toBe(1);
  });

  it('allocaBytes(0) gives a valid distinct pointer', () => {
    const { api } = setup();
    const [a, b] = api.allocaBytes(0, (p) => api.allocaBytes(0, (q) => () => [p, q]))();
    expect(a).not.toBe(nullPtr);
    expect(a).not.toBe(b);
  });

  it.each([-1, 1.5, Number.NaN])(
    'allocaBytes(%s) is a RangeError, and the stack is released',
    (n) => {
      const { api, stack } = setup();
      expect(() => api.allocaBytes(n, () => () => 0)()).toThrow(RangeError);
      expect(stack.depth).toBe(0);
    },
  );

  it.each([0, 3, 24])('allocaBytesAligned with alignment %s is a RangeError', (align) => {
    const { api } = setup();
    expect(() => api.allocaBytesAligned(8, align, () => () => 0)()).toThrow(RangeError);
  });

  it('free and reallocBytes of an alloca pointer are InvalidPointerErrors that change nothing', () => {
    const { api, heap } = setup();
    api.allocaBytes(32, (p) => () => {
      const before = heap.stats();
      expect(() => api.free(p)()).toThrow(InvalidPointerError);
      expect(() => api.free(p)()).toThrow('allocated by alloca');
      expect(() => api.reallocBytes(p, 64)()).toThrow(InvalidPointerError);
      expect(heap.stats()).toEqual(before);
      heap.check();
    })();
  });

  it('spills a large alloca to the heap and frees it afterwards', () => {
    const { api, heap } = setup();
    const live = heap.stats().liveBlocks;
    api.allocaBytes(1 << 20, (p) => () => {
      api.fillBytes(p, 7, 1 << 20)();
    })();
    expect(heap.stats().liveBlocks).toBe(live + 1); // the stack's own region, kept
    heap.check();
  });

  it('passes nullPtr when even the heap cannot hold it (Haskell 2010)', () => {
    const { api } = small();
    expect(api.allocaBytes(1 << 20, (p) => () => p)()).toBe(nullPtr);
  });
});

describe('malloc, calloc, realloc, free', () => {
  it('malloc gives room for a value aligned as its type, free gives it back', () => {
    const { api, heap } = setup();
    const Big = aligned(256, struct({ x: Double }));
    const p = api.malloc(Big)();
    expect(p % 256).toBe(0);
    const q = api.malloc(Double)();
    expect(q % 8).toBe(0);
    api.free(p)();
    api.free(q)();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('calloc and callocBytes give zeroed memory', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes(64)();
    api.fillBytes(p, 0xff, 64)();
    api.free(p)();
    const q = api.callocBytes<number>(64)();
    expect([...heap.memory.views.u8.subarray(q, q + 64)].every((x) => x === 0)).toBe(true);
    const r = api.calloc(aligned(64, struct({ x: Double })))();
    expect(r % 64).toBe(0);
    expect(api.peek(Double, r as unknown as Ptr<number>)()).toBe(0);
  });

  it('reallocBytes keeps the contents; size 0 frees and gives nullPtr; nullPtr in is malloc', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes<number>(4)();
    api.poke(CInt, p, 1234)();
    const q = api.reallocBytes(p, 4096)();
    expect(api.peek(CInt, q)()).toBe(1234);
    expect(api.reallocBytes(q, 0)()).toBe(nullPtr);
    expect(heap.stats().liveBlocks).toBe(0);
    const r = api.reallocBytes(nullPtr, 8)();
    expect(r).not.toBe(nullPtr);
    api.free(r)();
  });

  it('realloc resizes to another type', () => {
    const { api } = setup();
    const p = api.malloc(Word8)();
    api.poke(Word8, p, 200)();
    const q = api.realloc(Double, p)();
    expect(api.peekByteOff(Word8, q, 0)()).toBe(200);
    expect(() => api.realloc(aligned(32, struct({ x: Double })), q)()).toThrow(RangeError);
  });

  it('an allocation that cannot be met gives nullPtr and leaks nothing', () => {
    const { api, heap } = small();
    const before = heap.stats();
    expect(api.mallocBytes(1 << 20)()).toBe(nullPtr);
    expect(api.callocBytes(1 << 20)()).toBe(nullPtr);
    const p = api.mallocBytes(100)();
    expect(api.reallocBytes(p, 1 << 20)()).toBe(nullPtr);
    api.free(p)();
    expect(heap.stats().liveBlocks).toBe(before.liveBlocks);
    heap.check();
  });

  it('the either flavours return an AllocationError instead of nullPtr', () => {
    const { api } = small();
    const left = api.either.mallocBytes(1 << 20)();
    expect(E.isLeft(left) && left.left).toBeInstanceOf(AllocationError);
    expect(E.isLeft(left) && left.left.message).toBe(
      'mallocBytes: cannot allocate 1048576 bytes (out of memory)',
    );
    const right = api.either.malloc(Double)();
    expect(E.isRight(right)).toBe(true);
    if (E.isRight(right)) api.free(right.right)();
    expect(E.isLeft(api.either.alloca(struct({ a: CInt }), () => () => 1)())).toBe(false);
    expect(E.isLeft(api.either.callocBytes(1 << 20)())).toBe(true);
    expect(api.either.reallocBytes(api.mallocBytes(8)(), 0)()).toEqual(E.right(nullPtr));
  });

  it('free(nullPtr) does nothing; a pointer that is no block is an InvalidPointerError', () => {
    const { api, heap } = setup();
    api.free(nullPtr)();
    const p = api.mallocBytes(64)();
    api.free(p)();
    expect(() => api.free(p)()).toThrow(InvalidPointerError);
    heap.check();
  });

  it('bad sizes are RangeErrors when the program runs, not when it is made', () => {
    const { api } = setup();
    const program = api.mallocBytes(-5);
    expect(() => program()).toThrow(RangeError);
    expect(() => api.reallocBytes(nullPtr, 0.5)()).toThrow(RangeError);
  });

  it('finalizerFree frees through the context', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes(10)();
    api.finalizerFree.finalize(p);
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('composes with fp-ts', () => {
    const { api, heap } = setup();
    const program = pipe(
      api.mallocBytes<number>(4),
      IO.chainFirst((p) => api.poke(CInt, p, 42)),
      IO.chain((p) =>
        pipe(
          api.peek(CInt, p),
          IO.chainFirst(() => api.free(p)),
        ),
      ),
    );
    expect(program()).toBe(42);
    expect(heap.stats().liveBlocks).toBe(0);
  });
});

describe('synchronous brackets refuse asynchronous bodies', () => {
  it('alloca, with and withArray throw a TypeError for a body that returns a promise, releasing their memory', async () => {
    const { api, heap, stack } = setup();
    const before = heap.stats();
    const bodies = [
      () => api.alloca(CInt, () => async () => 1)(),
      () => api.with(CInt, 5, () => () => Promise.resolve(2))(),
      () =>
        api.withArray(CInt, [1, 2], () => async () => {
          throw new Error('unseen');
        })(),
      () => api.withPool(() => async () => 3)(),
    ];
    for (const run of bodies) expect(run).toThrow(/returned a promise.*use task\./);
    expect(stack.depth).toBe(0);
    expect(heap.stats().liveBlocks).toBe(before.liveBlocks + 1); // the stack's region
    await new Promise((resolve) => setTimeout(resolve, 0)); // no unhandled rejection
    heap.check();
  });
});

describe('arguments that are not what they should be', () => {
  const NOT_INSTANCES: unknown[] = [null, undefined, 'CInt', 4, {}, { sizeOf: 4, alignment: 4 }];

  it('an instance that is not one is a TypeError naming the call, before anything is allocated', () => {
    const { heap, api } = setup();
    const before = heap.stats().liveBlocks;
    for (const S of NOT_INSTANCES as Array<typeof CInt>) {
      refusal(() => api.alloca(S, () => () => 0)(), TypeError, 'alloca');
      refusal(() => api.malloc(S)(), TypeError, 'malloc');
      refusal(() => api.calloc(S)(), TypeError, 'calloc');
      refusal(() => api.realloc(S, nullPtr)(), TypeError, 'realloc');
      refusal(() => api.either.malloc(S)(), TypeError, 'malloc');
      refusal(() => api.either.alloca(S, () => () => 0)(), TypeError, 'alloca');
    }
    expect(heap.stats().liveBlocks).toBe(before);
    heap.check();
  });

  it('a body that is not a function, or returns no program, is a TypeError naming the bracket', () => {
    const { heap, api, stack } = setup();
    const notBodies = [7, null, () => 7] as unknown as Array<(p: Ptr<number>) => IO.IO<number>>;
    for (const f of notBodies) {
      refusal(() => api.alloca(CInt, f)(), TypeError, 'alloca');
      refusal(() => api.allocaBytes(8, f)(), TypeError, 'allocaBytes');
      refusal(() => api.allocaBytesAligned(8, 16, f)(), TypeError, 'allocaBytesAligned');
      refusal(() => api.either.alloca(CInt, f)(), TypeError, 'alloca');
    }
    expect(stack.depth).toBe(0);
    heap.check();
  });

  it("realloc and reallocBytes report the heap's refusal under their own names", () => {
    const { heap, api } = setup();
    const p = api.mallocBytes(16)();
    api.free(p)();
    refusal(() => api.reallocBytes(p, 32)(), InvalidPointerError, 'reallocBytes');
    refusal(() => api.realloc(CInt, p)(), InvalidPointerError, 'realloc');
    refusal(() => api.either.reallocBytes(p, 32)(), InvalidPointerError, 'reallocBytes');
    heap.check();
  });

  it('marshalAlloc of something that is not a context is a TypeError', () => {
    const { heap } = setup();
    for (const ctx of [undefined, null, 'ctx', {}, heap, { memory: heap.memory }]) {
      refusal(() => marshalAlloc(ctx as never), TypeError, 'marshalAlloc');
    }
  });
});
