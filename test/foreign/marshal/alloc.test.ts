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
  allocaBytes as rootAllocaBytes,
  either as rootEither,
  type Ptr,
} from '../../../src/index.js';
import { expectEachRefused } from '../../support/refusal.js';
import { refusal, thrown } from '../../support/thrown.js';

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
      'either.mallocBytes: cannot allocate 1048576 bytes (out of memory)',
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
      refusal(() => api.either.malloc(S)(), TypeError, 'either.malloc');
      refusal(() => api.either.alloca(S, () => () => 0)(), TypeError, 'either.alloca');
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
      refusal(() => api.either.alloca(CInt, f)(), TypeError, 'either.alloca');
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
    refusal(() => api.either.reallocBytes(p, 32)(), InvalidPointerError, 'either.reallocBytes');
    heap.check();
  });

  it('marshalAlloc of something that is not a context is a TypeError', () => {
    const { heap } = setup();
    for (const ctx of [undefined, null, 'ctx', {}, heap, { memory: heap.memory }]) {
      refusal(() => marshalAlloc(ctx as never), TypeError, 'marshalAlloc');
    }
  });
});

describe('every synchronous bracket refuses a promise-returning body, naming itself', () => {
  // [the call as the user makes it, the asynchronous form the message suggests, the program]
  type Case = readonly [string, string, (api: ReturnType<typeof setup>['api']) => unknown];
  const body = () => async () => 1;
  const cases: readonly Case[] = [
    ['alloca', 'task.alloca', (api) => api.alloca(CInt, body)()],
    ['allocaBytes', 'task.allocaBytes', (api) => api.allocaBytes(8, body)()],
    [
      'allocaBytesAligned',
      'task.allocaBytesAligned',
      (api) => api.allocaBytesAligned(8, 16, body)(),
    ],
    ['allocaArray', 'task.allocaArray', (api) => api.allocaArray(CInt, 3, body)()],
    ['allocaArray0', 'task.allocaArray0', (api) => api.allocaArray0(CInt, 3, body)()],
    ['with', 'task.with', (api) => api.with(CInt, 5, body)()],
    ['withArray', 'task.withArray', (api) => api.withArray(CInt, [1], body)()],
    ['withArray0', 'task.withArray0', (api) => api.withArray0(CInt, 0, [1], body)()],
    ['withArrayLen', 'task.withArrayLen', (api) => api.withArrayLen(CInt, [1], body)()],
    ['withArrayLen0', 'task.withArrayLen0', (api) => api.withArrayLen0(CInt, 0, [1], body)()],
    ['withCString', 'task.withCString', (api) => api.withCString('hi', body)()],
    ['withCStringLen', 'task.withCStringLen', (api) => api.withCStringLen('hi', body)()],
    ['withPool', 'task.withPool', (api) => api.withPool(body)()],
    ['either.alloca', 'taskEither.alloca', (api) => api.either.alloca(CInt, body)()],
  ];

  it.each(cases)('%s', async (call, asynchronous, run) => {
    const { api, heap, stack } = setup();
    api.allocaBytes(0, () => () => 0)(); // the stack takes its region
    const before = heap.stats();
    const error = thrown(() => run(api));
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(new RegExp(`^${call}: the body returned a promise`));
    expect((error as Error).message).toContain(`use ${asynchronous}`);
    expect(stack.depth).toBe(0);
    expect(heap.stats()).toEqual(before);
    await new Promise((resolve) => setTimeout(resolve, 0)); // no unhandled rejection
    heap.check();
  });

  it('either.alloca releases its memory before a later alloca can see it (the body never runs on)', () => {
    const { api } = setup();
    let seen = 0;
    expect(() =>
      api.either.alloca(CInt, (p) => async () => {
        api.poke(CInt, p, 42)();
        await Promise.resolve();
        seen = api.peek(CInt, p)();
      })(),
    ).toThrow(TypeError);
    api.alloca(CInt, (q) => api.poke(CInt, q, 7))();
    expect(seen).toBe(0);
  });

  it('the bound brackets of the default context refuse it too', () => {
    expect(() => rootEither.alloca(CInt, body)()).toThrow(/^either\.alloca: the body returned/);
    expect(() => rootAllocaBytes(8, body)()).toThrow(/^allocaBytes: the body returned/);
  });
});

describe('the errors of the alloca brackets name the call the user made', () => {
  it.each([
    ['allocaBytes', (api: ReturnType<typeof setup>['api']) => api.allocaBytes(-1, () => () => 0)()],
    [
      'allocaBytesAligned',
      (api: ReturnType<typeof setup>['api']) => api.allocaBytesAligned(8, 3, () => () => 0)(),
    ],
    [
      'allocaBytesAligned',
      (api: ReturnType<typeof setup>['api']) => api.allocaBytesAligned(-8, 8, () => () => 0)(),
    ],
    [
      'allocaArray',
      (api: ReturnType<typeof setup>['api']) => api.allocaArray(CInt, -1, () => () => 0)(),
    ],
  ])('%s', (call, run) => {
    const { api, stack } = setup();
    const error = thrown(() => run(api));
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toMatch(new RegExp(`^${call}: `));
    expect(stack.depth).toBe(0);
  });
});

describe('the errors of the allocating functions name the call the user made', () => {
  it('the either flavours name either.*', () => {
    const { api } = small();
    const cases: Array<[string, () => unknown]> = [
      ['either.mallocBytes', () => api.either.mallocBytes(-1)()],
      ['either.callocBytes', () => api.either.callocBytes(1.5)()],
      ['either.reallocBytes', () => api.either.reallocBytes(nullPtr, -1)()],
      ['either.mallocArray', () => api.either.mallocArray(CInt, -1)()],
      ['either.reallocArray', () => api.either.reallocArray(CInt, nullPtr, -1)()],
      ['either.newArray', () => api.either.newArray(CInt, ['x' as never])()],
      ['either.newCString', () => api.either.newCString('a\0')()],
    ];
    for (const [call, run] of cases) {
      expect(() => run(), call).toThrow(new RegExp(`^${call.replace('.', '\\.')}: `));
    }
    const left = api.either.malloc(aligned(1 << 15, struct({ x: Double })))();
    expect(E.isLeft(left) && left.left.message).toMatch(/^either\.malloc: cannot allocate/);
    const none = api.either.alloca(aligned(1 << 15, struct({ x: Double })), () => () => 0)();
    expect(E.isLeft(none) && none.left.message).toMatch(/^either\.alloca: cannot allocate/);
  });

  it('reallocBytes, realloc and reallocArray name themselves when the allocator refuses the pointer', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes(8)();
    api.free(p)();
    const before = heap.stats();
    const cases: Array<[string, () => unknown]> = [
      ['reallocBytes', () => api.reallocBytes(p, 16)()],
      ['realloc', () => api.realloc(CInt, p)()],
      ['reallocArray', () => api.reallocArray(CInt, p, 4)()],
      ['reallocArray0', () => api.reallocArray0(CInt, p, 4)()],
      ['either.reallocBytes', () => api.either.reallocBytes(p, 16)()],
      ['either.reallocArray', () => api.either.reallocArray(CInt, p, 4)()],
    ];
    for (const [call, run] of cases) {
      const error = thrown(run);
      expect(error, call).toBeInstanceOf(InvalidPointerError);
      expect((error as InvalidPointerError).call).toBe(call);
      expect((error as Error).message).toMatch(new RegExp(`^${call.replace('.', '\\.')}: ${p} `));
    }
    expect(heap.stats()).toEqual(before);
    heap.check();
  });

  it('an alignment above 2^30 is a RangeError naming the call, before the allocator is asked', () => {
    const { api, heap } = setup();
    const huge = aligned(2 ** 31, CInt);
    const before = heap.stats();
    refusal(() => api.malloc(huge)(), RangeError, 'malloc');
    refusal(() => api.calloc(huge)(), RangeError, 'calloc');
    refusal(() => api.new(huge, 1)(), RangeError, 'new');
    refusal(() => api.mallocForeignPtr(huge)(), RangeError, 'mallocForeignPtr');
    refusal(() => api.alloca(huge, () => () => 0)(), RangeError, 'alloca');
    expect(heap.stats()).toEqual(before);
    heap.check();
  });

  it('free and finalizerFree name themselves', () => {
    const { api } = setup();
    const p = api.mallocBytes(8)();
    api.free(p)();
    expect(() => api.free(p)()).toThrow(/^free: /);
    expect(() => api.finalizerFree.finalize(p)).toThrow(/^finalizerFree: /);
  });
});

describe('bigint sizes and pointers (the library-wide rule)', () => {
  it('sizes and alignments may be bigints that are safe integers', () => {
    const { api, heap, stack } = setup();
    expect(api.allocaBytes(16n, (p) => () => p % 8)()).toBe(0);
    expect(api.allocaBytesAligned(8n, 64n, (p) => () => p % 64)()).toBe(0);
    const p = api.mallocBytes(24n)();
    const q = api.reallocBytes(p, 48n)();
    const r = api.callocBytes<number>(8n)();
    expect(api.peek(CInt, r)()).toBe(0);
    const e = api.either.mallocBytes(8n)();
    const f = api.either.reallocBytes(q, 0n)();
    expect(f).toEqual(E.right(nullPtr)); // resizing to 0n frees, as to 0
    for (const x of [r, E.isRight(e) ? e.right : nullPtr]) api.free(x)();
    expect(stack.depth).toBe(0);
    expect(heap.stats().liveBlocks).toBe(1); // the stack's region
    heap.check();
  });

  it('out-of-range bigint sizes are RangeErrors, bigint pointers TypeErrors, naming the call', () => {
    const { api, heap } = setup();
    const before = heap.stats();
    expectEachRefused(RangeError, [
      ['allocaBytes', () => api.allocaBytes(2n ** 53n, () => () => 0)()],
      ['allocaBytesAligned', () => api.allocaBytesAligned(8n, 2n ** 31n, () => () => 0)()],
      ['mallocBytes', () => api.mallocBytes(-1n)()],
      ['callocBytes', () => api.callocBytes(2n ** 64n)()],
      ['reallocBytes', () => api.reallocBytes(nullPtr, 2n ** 60n)()],
      ['either.mallocBytes', () => api.either.mallocBytes(2n ** 60n)()],
    ]);
    expectEachRefused(TypeError, [
      ['free', () => api.free(8n as never)()],
      ['reallocBytes', () => api.reallocBytes(8n as never, 8)()],
      ['realloc', () => api.realloc(CInt, 8n as never)()],
      ['finalizerFree', () => api.finalizerFree.finalize(8n as never)],
    ]);
    expect(heap.stats()).toEqual(before);
    heap.check();
  });
});

describe('contextOf', () => {
  it('checks its arguments, naming itself; the stack size may be a bigint', () => {
    const heap = Heap.create();
    const ctx = contextOf(heap, { size: 4096n });
    expect(ctx.allocator).toBe(heap);
    const mark = ctx.stack.mark();
    ctx.stack.alloc(4096, 8); // the whole region, taken through the door
    expect(ctx.stack.used).toBe(4096);
    ctx.stack.release(mark);
    ctx.stack.dispose();
    expect(() => contextOf(heap, { size: -1 })).toThrow(/^contextOf: size/);
    expect(() => contextOf({} as never)).toThrow(TypeError);
    expect(() => contextOf({} as never)).toThrow(/^contextOf: /);
  });
});
