/**
 * The door: a context's alloca stack takes its region and its spills through the context's
 * allocator (so a door that counts sees every alloca that reaches the heap), and records them in
 * the memory's ownership record; the record is per memory source.
 */
import { describe, expect, it } from 'vitest';
import { CInt, Heap, Memory, foreign, type Allocator } from '../../src/index.js';
import { ALLOCA, CALLER, contextOver, ownershipOf } from '../../src/interface/index.js';

/** A door over `heap` that logs every call. */
const logging = (heap: Heap, log: string[]): Allocator => ({
  malloc: (n) => (log.push(`malloc ${n}`), heap.malloc(n)),
  calloc: (c, n) => (log.push(`calloc ${c} ${n}`), heap.calloc(c, n)),
  realloc: (p, n) => (log.push(`realloc ${n}`), heap.realloc(p, n)),
  free: (p) => (log.push('free'), heap.free(p)),
  alignedAlloc: (a, n) => (log.push(`alignedAlloc ${a} ${n}`), heap.alignedAlloc(a, n)),
});

describe('the alloca stack goes through the door', () => {
  it('takes its region and its spills through the context allocator, and gives them back', () => {
    const heap = Heap.create();
    const log: string[] = [];
    const ctx = contextOver(heap.memory, logging(heap, log), { size: 256 });
    const api = foreign(ctx);
    api.allocaBytes(16, () => () => {
      api.allocaBytes(1000, () => () => undefined)(); // does not fit: spills
    })();
    expect(log).toEqual(['alignedAlloc 16 256', 'alignedAlloc 8 1000', 'free']);
    ctx.stack.dispose();
    expect(log.at(-1)).toBe('free');
    heap.check();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('records the region with its extent and a spill while it lives', () => {
    const heap = Heap.create();
    const api = foreign(heap);
    const record = ownershipOf(heap.memory);
    api.allocaBytes(8, (p) => () => {
      expect(record.ownerOf(p)).toBe(ALLOCA);
      expect(record.ownerOf(p + 100)).toBe(ALLOCA); // inside the region
      api.allocaBytes(70_000, (q) => () => {
        expect(record.ownerOf(q)).toBe(ALLOCA); // a spill
      })();
    })();
    expect(record.size).toBe(1); // the region stays; the spill went back
    api.context.stack.dispose();
    expect(record.size).toBe(0);
    heap.check();
  });

  it('without alignedAlloc in the door, spills 8-aligned allocations through malloc', () => {
    const heap = Heap.create();
    const log: string[] = [];
    const { alignedAlloc: _, ...plain } = logging(heap, log);
    const api = foreign(contextOver(heap.memory, plain));
    expect(api.with(CInt, 7, (p) => api.peek(CInt, p))()).toBe(7);
    expect(log).toEqual(['malloc 4', 'free']);
    heap.check();
  });
});

describe('the ownership record', () => {
  it('is one per memory source, whatever Memory object or context reaches it', () => {
    const buffer = new ArrayBuffer(65536);
    const one = Memory.from(buffer);
    const two = Memory.from(buffer);
    expect(ownershipOf(one)).toBe(ownershipOf(two));
    expect(ownershipOf(Memory.from(new ArrayBuffer(65536)))).not.toBe(ownershipOf(one));
  });

  it('gives every unclaimed address to the caller, and a disowned block back to it', () => {
    const record = ownershipOf(Memory.from(new ArrayBuffer(65536)));
    expect(record.ownerOf(64)).toBe(CALLER);
    record.take(64, ALLOCA, 32);
    expect(record.ownerOf(64)).toBe(ALLOCA);
    expect(record.ownerOf(95)).toBe(ALLOCA);
    expect(record.ownerOf(96)).toBe(CALLER);
    expect(() => record.claim('newForeignPtr', 80, ALLOCA)).toThrow(/^newForeignPtr: 80 /);
    record.disown(64);
    expect(record.ownerOf(80)).toBe(CALLER);
    record.take(0, ALLOCA); // nullPtr is no block
    expect(record.size).toBe(0);
  });
});
