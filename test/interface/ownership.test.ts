/**
 * The memory's record of who will release each live block, seen by every context over that
 * memory: the three ownership defects of issue 8 (each test of the first three groups fails on
 * the code before the record, where ownership was kept per `foreign(ctx)` call), and the
 * record's rules.
 */
import { describe, expect, it } from 'vitest';
import {
  CInt,
  Heap,
  InvalidPointerError,
  defaultHeap,
  finalizeForeignPtr,
  finalizerFree,
  foreign,
  free,
  mallocBytes,
  pooledMallocBytes,
  unsafeForeignPtrToPtr,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

/** Runs `call`, which must be refused with an InvalidPointerError matching `reason`. */
const refused = (call: () => unknown, reason: RegExp): void => {
  const error = thrown(call);
  expect(error).toBeInstanceOf(InvalidPointerError);
  expect((error as Error).message).toMatch(reason);
};

describe('defect 1: two contexts over one heap see one record', () => {
  it("refuses b.free of an address in a's alloca region, so b never reuses it under a", () => {
    const heap = Heap.create();
    const a = foreign(heap);
    const b = foreign(heap);
    const result = a.with(CInt, 1234, (p) => () => {
      const before = heap.stats();
      refused(() => b.free(p)(), /^free: \d+ is not a live block: it was allocated by alloca/);
      expect(heap.stats()).toEqual(before);
      heap.check();
      const q = b.mallocBytes(1000)(); // had the free been accepted, the region's bytes
      b.fillBytes(q, 0xff, 1000)();
      b.free(q)();
      return a.peek(CInt, p)();
    })();
    expect(result).toBe(1234);
    heap.check();
  });

  it("refuses b.free and b.reallocBytes of a's region start, a live block of the heap", () => {
    const heap = Heap.create();
    const a = foreign(heap);
    const b = foreign(heap);
    a.allocaBytes(16, (p) => () => {
      const before = heap.stats();
      refused(() => b.free(p)(), /alloca, which releases it when its body ends$/);
      refused(() => b.reallocBytes(p, 64)(), /^reallocBytes: .*alloca/);
      refused(() => b.reallocArray(CInt, p, 64)(), /^reallocArray: .*alloca/);
      expect(heap.stats()).toEqual(before);
    })();
    heap.check();
    expect(heap.stats().liveBlocks).toBe(1); // a's region, freed by nobody else
  });

  it("refuses b.free of a block pooled through a; freePool frees only the pool's blocks", () => {
    const heap = Heap.create();
    const a = foreign(heap);
    const b = foreign(heap);
    const pool = a.newPool()();
    const block = pooledMallocBytes(pool, 32)();
    refused(() => b.free(block)(), /^free: \d+ is not a live block: it belongs to a pool/);
    const other = b.mallocBytes(32)(); // had the free been accepted, this would be `block`
    expect(other).not.toBe(block);
    pool[Symbol.dispose]();
    b.free(other)(); // still live: freePool did not free it
    heap.check();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it("refuses b.free of a block of a's asynchronous bracket and of a's scoped value", async () => {
    const heap = Heap.create();
    const a = foreign(heap);
    const b = foreign(heap);
    await a.task.allocaBytes(24, (p) => async () => {
      refused(() => b.free(p)(), /asynchronous bracket/);
    })();
    {
      using s = a.scoped.mallocBytes(24);
      refused(() => b.free(s.ptr)(), /scoped allocation/);
    }
    heap.check();
    expect(heap.stats().liveBlocks).toBe(0);
  });
});

describe('defect 2: the block of a mallocForeignPtr', () => {
  it('is refused by free until its finalizer frees exactly it', () => {
    const heap = Heap.create();
    const api = foreign(heap);
    const fp = api.mallocForeignPtrBytes(40)();
    const p = unsafeForeignPtrToPtr(fp);
    const before = heap.stats();
    refused(() => api.free(p)(), /^free: \d+ is not a live block: it belongs to a ForeignPtr/);
    refused(() => api.reallocBytes(p, 80)(), /^reallocBytes: .*ForeignPtr/);
    expect(heap.stats()).toEqual(before);
    const next = api.mallocBytes(40)(); // had the free been accepted, this would live at p
    finalizeForeignPtr(fp)();
    expect(heap.stats().liveBlocks).toBe(1);
    api.free(next)(); // still the caller's, and still live
    heap.check();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it("newForeignPtr(finalizerFree, p) makes p the ForeignPtr's; an owned p is refused there", () => {
    const heap = Heap.create();
    const api = foreign(heap);
    const p = api.mallocBytes(16)();
    const fp = api.newForeignPtr(api.finalizerFree, p)();
    refused(() => api.free(p)(), /belongs to a ForeignPtr/);
    refused(
      () => api.newForeignPtr(api.finalizerFree, p)(),
      /^newForeignPtr: \d+ is not a live block: it belongs to a ForeignPtr/,
    );
    api.allocaBytes(8, (q) => () => {
      refused(() => api.newForeignPtr(api.finalizerFree, q)(), /^newForeignPtr: .*alloca/);
    })();
    expect(api.pendingFinalizers()()).toBe(1); // the refused ones made nothing
    finalizeForeignPtr(fp)();
    heap.check();
    expect(heap.stats().liveBlocks).toBe(1); // the stack's region
  });
});

describe('defect 3: finalizerFree frees into the memory of its ForeignPtr', () => {
  it("the root's finalizerFree, on a ForeignPtr of another heap, frees in that heap only", () => {
    const heap = Heap.create();
    const api = foreign(heap);
    const victim = mallocBytes(64)(); // a block of the default heap
    const p = api.mallocBytes(64)();
    const defaultLive = defaultHeap().stats().liveBlocks;
    const fp = api.newForeignPtr(finalizerFree, p)();
    finalizeForeignPtr(fp)();
    expect(heap.stats().liveBlocks).toBe(0);
    expect(defaultHeap().stats().liveBlocks).toBe(defaultLive);
    free(victim)(); // still live: the finalizer did not free anything in the default heap
    defaultHeap().check();
    heap.check();
  });

  it("another context's finalizerFree frees into the ForeignPtr's own memory", () => {
    const one = Heap.create();
    const two = Heap.create();
    const a = foreign(one);
    const b = foreign(two);
    const p = b.mallocBytes(8)();
    finalizeForeignPtr(b.newForeignPtr(a.finalizerFree, p)())();
    expect(two.stats().liveBlocks).toBe(0);
    expect(one.stats().liveBlocks).toBe(0);
    one.check();
    two.check();
  });
});
