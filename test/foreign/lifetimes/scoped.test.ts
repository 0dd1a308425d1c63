/**
 * Scoped allocations with `using` and `await using`, straight in vitest (which compiles `using`
 * itself; the compiled-by-tsc form runs in plain Node in scoped-compiled.test.ts), and the
 * root bindings of `scoped`, `task` and `taskEither`.
 */
import { describe, expect, it } from 'vitest';
import {
  AllocationError,
  CInt,
  Double,
  ForeignPtrError,
  Heap,
  InvalidPointerError,
  MarshalError,
  ScopedPtr,
  Word8,
  addForeignPtrFinalizer,
  aligned,
  contextOf,
  defaultForeign,
  defaultHeap,
  foreign,
  nullPtr,
  pooledMallocBytes,
  scoped,
  scopedAllocations,
  struct,
  task,
  taskEither,
  withForeignPtr,
  type Ptr,
} from '../../../src/index.js';
import { refusal } from '../../support/thrown.js';

declare const gc: () => void;

const setup = () => {
  const heap = Heap.create();
  const api = foreign(contextOf(heap));
  return { heap, api };
};

const small = () => {
  const heap = Heap.over(new ArrayBuffer(16384), { base: 0 });
  return { heap, api: foreign(heap) };
};

describe('scoped allocations with using', () => {
  it('free every block at the end of the block, the latest first', () => {
    const { heap, api } = setup();
    const order: number[] = [];
    const Point = struct({ x: Double, y: CInt });
    {
      using a = api.scoped.malloc(CInt);
      using b = api.scoped.mallocBytes(100);
      using c = api.scoped.calloc(Double);
      using d = api.scoped.callocBytes(16);
      using e = api.scoped.mallocArray(CInt, 10);
      using f = api.scoped.mallocArray0(CInt, 10);
      using g = api.scoped.new(Point, { x: 1, y: 2 });
      using h = api.scoped.newArray(Word8, [1, 2, 3]);
      using i = api.scoped.newArray0(Word8, 0, [4, 5]);
      using j = api.scoped.newCString('jay');
      using k = api.scoped.newCStringLen('k\0ay');
      order.push(a.ptr, b.ptr, c.ptr, d.ptr, e.ptr, f.ptr, g.ptr, h.ptr, i.ptr, j.ptr, k.ptr);
      expect(heap.stats().liveBlocks).toBe(11);
      expect(api.peek(Double, c.ptr)()).toBe(0);
      expect(api.peek(Point, g.ptr)()).toEqual({ x: 1, y: 2 });
      expect(api.peekArray0(Word8, 0, i.ptr)()).toEqual([4, 5]);
      expect(api.peekCString(j.ptr)()).toBe('jay');
      expect(api.peekCStringLen(k.cStringLen)()).toBe('k\0ay');
      expect(k.length).toBe(4);
    }
    expect(heap.stats().liveBlocks).toBe(0);
    expect(order.every((p) => p !== nullPtr)).toBe(true);
    heap.check();
  });

  it('free on throw, in reverse order (checked through a ForeignPtr finalizer log)', () => {
    const { heap, api } = setup();
    const log: string[] = [];
    const boom = new Error('boom');
    const body = () => {
      using a = api.scoped.foreignPtr(
        api.concurrent.newForeignPtr(api.mallocBytes(8)(), () => log.push('a'))(),
      );
      using b = api.scoped.mallocForeignPtr(CInt);
      addForeignPtrFinalizer({ name: 'b', finalize: () => log.push('b') }, b.foreignPtr)();
      void a;
      throw boom;
    };
    expect(body).toThrow(boom);
    expect(log).toEqual(['b', 'a']);
    expect(heap.stats().liveBlocks).toBe(1); // the block a's JavaScript finalizer did not free
  });

  it('a scoped pool frees its blocks; disposing twice is harmless', () => {
    const { heap, api } = setup();
    {
      using pool = api.scoped.pool();
      pooledMallocBytes(pool, 10)();
      pooledMallocBytes(pool, 20)();
      expect(heap.stats().liveBlocks).toBe(2);
    }
    expect(heap.stats().liveBlocks).toBe(0);
    const p = api.scoped.mallocBytes(8);
    p[Symbol.dispose]();
    expect(() => p[Symbol.dispose]()).not.toThrow();
    expect(p.disposed).toBe(true);
    expect(heap.stats().liveBlocks).toBe(0);
    heap.check();
  });

  it('await using releases after the awaits', async () => {
    const { heap, api } = setup();
    const seen: number[] = [];
    await (async () => {
      await using a = api.scoped.mallocBytes(8);
      await using pool = api.scoped.pool();
      pooledMallocBytes(pool, 8)();
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen.push(heap.stats().liveBlocks);
      void a;
    })();
    expect(seen).toEqual([2]);
    expect(heap.stats().liveBlocks).toBe(0);
    const s = api.scoped.mallocBytes(8);
    await s[Symbol.asyncDispose]();
    await s[Symbol.asyncDispose]();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it("a scoped block is the scope's: free refuses it; take() moves it out", () => {
    const { heap, api } = setup();
    const build = (): Ptr<number> => {
      using s = api.scoped.mallocBytes<number>(8);
      expect(() => api.free(s.ptr)()).toThrow(InvalidPointerError);
      expect(() => api.free(s.ptr)()).toThrow('scoped allocation');
      const p = s.take();
      expect(s.disposed).toBe(true);
      expect(() => s.take()).toThrow(ReferenceError);
      return p;
    };
    const kept = build();
    expect(heap.stats().liveBlocks).toBe(1);
    api.free(kept)();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('throw an AllocationError when the allocator cannot, with nothing leaked', () => {
    const { heap, api } = small();
    const big = 1 << 20;
    expect(() => api.scoped.mallocBytes(big)).toThrow(AllocationError);
    expect(() => api.scoped.mallocBytes(big)).toThrow(
      `scoped.mallocBytes: cannot allocate ${big} bytes`,
    );
    expect(() => api.scoped.callocBytes(big)).toThrow(AllocationError);
    expect(() => api.scoped.malloc(aligned(8192, struct({ x: Double })))).toThrow(AllocationError);
    expect(() => api.scoped.mallocArray(CInt, big)).toThrow(AllocationError);
    expect(() => api.scoped.newArray(Word8, new Array(big).fill(1))).toThrow(AllocationError);
    expect(() => api.scoped.newCString('x'.repeat(big))).toThrow(AllocationError);
    expect(() => api.scoped.newCStringLen('x'.repeat(big))).toThrow(AllocationError);
    expect(() => api.scoped.mallocForeignPtrBytes(big)).toThrow(AllocationError);
    // A using declaration that throws releases what the block declared before it.
    expect(() => {
      using first = api.scoped.mallocBytes(8);
      void first;
      using second = api.scoped.mallocBytes(big);
      void second;
    }).toThrow(AllocationError);
    expect(heap.stats().liveBlocks).toBe(0);
    heap.check();
  });

  it('check arguments before allocating', () => {
    const { heap, api } = setup();
    expect(() => api.scoped.new(CInt, 0.5)).toThrow(MarshalError);
    expect(() => api.scoped.newArray(CInt, [1, 'x' as unknown as number])).toThrow('[1]');
    expect(() => api.scoped.newCString('a\0')).toThrow('embedded NUL');
    expect(() => api.scoped.mallocBytes(-1)).toThrow(RangeError);
    expect(() => api.scoped.foreignPtr({} as never)).toThrow(TypeError);
    expect(heap.stats().mallocs).toBe(0);
  });

  it('their errors name the scoped call, not the function it is built on', () => {
    const { heap, api } = setup();
    const { scoped: s } = api;
    const cases: Array<[string, () => unknown]> = [
      ['scoped.mallocBytes', () => s.mallocBytes(-1)],
      ['scoped.callocBytes', () => s.callocBytes(0.5)],
      ['scoped.mallocArray', () => s.mallocArray(CInt, -1)],
      ['scoped.mallocArray0', () => s.mallocArray0(CInt, Number.NaN)],
      ['scoped.new', () => s.new(CInt, 'x' as never)],
      ['scoped.newArray', () => s.newArray(CInt, [1, 'x' as never])],
      ['scoped.newArray0', () => s.newArray0(CInt, 'x' as never, [1])],
      ['scoped.newCString', () => s.newCString('a\0b')],
      ['scoped.newCStringLen', () => s.newCStringLen(7 as never)],
      ['scoped.mallocForeignPtrBytes', () => s.mallocForeignPtrBytes(-1)],
      ['scoped.mallocForeignPtrArray', () => s.mallocForeignPtrArray(CInt, -1)],
      ['scoped.foreignPtr', () => s.foreignPtr({} as never)],
    ];
    for (const [call, run] of cases) {
      expect(() => run(), call).toThrow(new RegExp(`^${call.replace('.', '\\.')}: `));
    }
    expect(heap.stats().mallocs).toBe(0);
    const tiny = small();
    expect(() => tiny.api.scoped.mallocForeignPtr(aligned(1 << 15, struct({ x: Double })))).toThrow(
      /^scoped\.mallocForeignPtr: cannot allocate/,
    );
    expect(() => tiny.api.scoped.mallocForeignPtrBytes(1 << 20)).toThrow(
      /^scoped\.mallocForeignPtrBytes: cannot allocate/,
    );
    tiny.heap.check();
  });

  it('a scoped ForeignPtr is finalized at the end of the scope, not before, and only once', async () => {
    const { heap, api } = setup();
    let address = 0;
    await (async () => {
      using fp = api.scoped.mallocForeignPtrArray(CInt, 4);
      address = fp.ptr;
      for (let i = 0; i < 3; i++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 0));
      }
      expect(heap.stats().liveBlocks).toBe(1); // the scope keeps the ForeignPtr reachable
      withForeignPtr(fp.foreignPtr, (p) => api.pokeArray(CInt, p, [1, 2, 3, 4]))();
    })();
    expect(address).not.toBe(nullPtr);
    expect(heap.stats().liveBlocks).toBe(0);
    expect(api.pendingFinalizers()()).toBe(0);
    const fp = api.scoped.mallocForeignPtrBytes(8);
    fp[Symbol.dispose]();
    expect(() => withForeignPtr(fp.foreignPtr, () => () => 0)()).toThrow(ForeignPtrError);
    fp[Symbol.dispose]();
    // shutdown first, dispose afterwards: the finalizers ran once
    const late = api.scoped.mallocForeignPtr(CInt);
    api.shutdown()();
    late[Symbol.dispose]();
    expect(heap.stats().liveBlocks).toBe(0);
    heap.check();
  });

  it('ScopedPtr is exported for instanceof checks', () => {
    const { api } = setup();
    using s = api.scoped.mallocBytes(1);
    expect(s).toBeInstanceOf(ScopedPtr);
  });
});

describe('root bindings', () => {
  it('scoped, task and taskEither at the root list every function of the default API', () => {
    const api = defaultForeign();
    expect(Object.keys(scoped).sort()).toEqual(Object.keys(api.scoped).sort());
    expect(Object.keys(task).sort()).toEqual(Object.keys(api.task).sort());
    expect(Object.keys(taskEither).sort()).toEqual(Object.keys(api.taskEither).sort());
  });

  it('use the default context', async () => {
    const before = defaultHeap().stats().liveBlocks;
    {
      using s = scoped.mallocBytes(8);
      expect(defaultHeap().usableSize(s.ptr)).toBeGreaterThanOrEqual(8);
    }
    const n = await task.allocaBytes(8, () => async () => defaultHeap().stats().liveBlocks)();
    expect(n).toBe(before + 1);
    expect(defaultHeap().stats().liveBlocks).toBe(before);
  });
});

describe('arguments that are not what they should be', () => {
  it('scoped.foreignPtr refuses what is not a ForeignPtr, naming itself', () => {
    const { api } = setup();
    for (const x of [null, 8, {}] as never[])
      refusal(() => api.scoped.foreignPtr(x), TypeError, 'scoped.foreignPtr');
  });

  it('scopedAllocations checks its context and its parts', () => {
    const { api } = setup();
    const ctx = api.context;
    refusal(
      () => scopedAllocations({} as never, api, api, api, api, api),
      TypeError,
      'scopedAllocations',
    );
    refusal(
      () => scopedAllocations(ctx, api, {} as never, api, api, api),
      TypeError,
      'scopedAllocations',
    );
    refusal(
      () => scopedAllocations(ctx, api, api, api, api, null as never),
      TypeError,
      'scopedAllocations',
    );
  });
});

describe('scoped allocations with bigint sizes', () => {
  it('take bigint sizes and counts that are safe integers', () => {
    const { api, heap } = setup();
    {
      using a = api.scoped.mallocBytes(8n);
      using b = api.scoped.callocBytes(16n);
      using c = api.scoped.mallocArray(CInt, 4n);
      using d = api.scoped.mallocForeignPtrBytes(8n);
      using e = api.scoped.mallocForeignPtrArray(CInt, 2n);
      expect([a.ptr, b.ptr, c.ptr, d.ptr, e.ptr].every((p) => p % 8 === 0)).toBe(true);
      expect(heap.stats().liveBlocks).toBe(5);
    }
    expect(heap.stats().liveBlocks).toBe(0);
    expect(() => api.scoped.mallocBytes(2n ** 53n)).toThrow(/^scoped\.mallocBytes: size/);
    expect(() => api.scoped.mallocArray0(CInt, -1n)).toThrow(/^scoped\.mallocArray0: n/);
    expect(() => api.scoped.mallocForeignPtrBytes(-1n)).toThrow(
      /^scoped\.mallocForeignPtrBytes: size/,
    );
    heap.check();
  });

  it('a failed allocation of a bigint size reports it as a number', () => {
    const { api } = small();
    let error: unknown;
    try {
      api.scoped.mallocBytes(1n << 20n);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AllocationError);
    expect((error as AllocationError).size).toBe(1 << 20);
  });
});
