import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap, Stack, StackOrderError, type StackMark } from '../../src/index.js';
import { refusal } from '../support/thrown.js';

describe('Stack', () => {
  it('allocates aligned, distinct addresses and releases them all at once', () => {
    const heap = Heap.create();
    const stack = new Stack(heap, { size: 4096 });
    const m = stack.mark();
    const a = stack.alloc(3, 1);
    const b = stack.alloc(8, 8);
    const c = stack.alloc(0, 4);
    const d = stack.alloc(0, 4);
    expect(b % 8).toBe(0);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(b).toBeGreaterThanOrEqual(a + 3);
    expect(stack.owns(a) && stack.owns(d)).toBe(true);
    stack.release(m);
    expect(stack.used).toBe(0);
    expect(stack.depth).toBe(0);
  });

  it('nests: releasing an inner mark keeps what the outer one holds', () => {
    const stack = new Stack(Heap.create());
    const outer = stack.mark();
    const a = stack.alloc(16, 8);
    const inner = stack.mark();
    stack.alloc(100, 8);
    stack.release(inner);
    expect(stack.alloc(16, 8)).toBe(a + 16);
    stack.release(outer);
  });

  it('spills to the heap when full and frees the spills on release', () => {
    const heap = Heap.create();
    const stack = new Stack(heap, { size: 256 });
    const m = stack.mark();
    stack.alloc(200, 8);
    const live = heap.stats().liveBlocks;
    const spilled = stack.alloc(1000, 64);
    expect(spilled % 64).toBe(0);
    expect(heap.stats().liveBlocks).toBe(live + 1);
    expect(stack.owns(spilled)).toBe(true);
    stack.release(m);
    expect(heap.stats().liveBlocks).toBe(live);
    expect(stack.owns(spilled)).toBe(false);
    heap.check();
  });

  it('takes its region from the heap at the first allocation and gives it back on dispose', () => {
    const heap = Heap.create();
    const stack = new Stack(heap);
    expect(heap.stats().liveBlocks).toBe(0);
    const m = stack.mark();
    stack.alloc(8, 8);
    expect(heap.stats().liveBlocks).toBe(1);
    expect(() => stack.dispose()).toThrow(StackOrderError);
    stack.release(m);
    stack.dispose();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('releasing out of order is a StackOrderError that changes nothing', () => {
    const stack = new Stack(Heap.create());
    const outer = stack.mark();
    stack.alloc(8, 8);
    const inner = stack.mark();
    const p = stack.alloc(8, 8);
    const used = stack.used;
    expect(() => stack.release(outer)).toThrow(
      `Stack.release: mark ${outer} released while 1 later mark(s) are still open (release is LIFO)`,
    );
    expect(stack.used).toBe(used);
    expect(stack.depth).toBe(2);
    expect(stack.owns(p)).toBe(true);
    stack.release(inner);
    stack.release(outer);
  });

  it('releasing a mark twice, or one that was never taken, is a StackOrderError', () => {
    const stack = new Stack(Heap.create());
    const m = stack.mark();
    stack.release(m);
    expect(() => stack.release(m)).toThrow(StackOrderError);
    expect(() => stack.release(12345 as StackMark)).toThrow('not open on this stack');
    const again = stack.mark();
    expect(again).not.toBe(m);
    expect(() => stack.release(m)).toThrow(StackOrderError);
    stack.release(again);
  });

  it('allocating with no open mark is a StackOrderError', () => {
    const stack = new Stack(Heap.create());
    expect(() => stack.alloc(8, 8)).toThrow(StackOrderError);
  });

  it('rejects bad sizes and alignments with a RangeError', () => {
    const stack = new Stack(Heap.create());
    const m = stack.mark();
    expect(() => stack.alloc(-1, 8)).toThrow(RangeError);
    expect(() => stack.alloc(8, 3)).toThrow(RangeError);
    expect(() => stack.alloc(8, 0)).toThrow(RangeError);
    expect(() => new Stack(Heap.create(), { size: -5 })).toThrow(RangeError);
    stack.release(m);
  });

  it('returns 0 when neither the region nor the heap can hold a request', () => {
    const heap = Heap.over(new ArrayBuffer(16384), { base: 0 });
    const stack = new Stack(heap, { size: 1024 });
    const m = stack.mark();
    expect(stack.alloc(100_000, 8)).toBe(0);
    stack.release(m);
    heap.check();
  });

  it('random nested programs leave the stack and the heap as they found them, without overlaps', () => {
    type Step =
      { kind: 'enter' } | { kind: 'leave' } | { kind: 'alloc'; size: number; shift: number };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.constant<Step>({ kind: 'enter' }),
      fc.constant<Step>({ kind: 'leave' }),
      fc.record({
        kind: fc.constant('alloc' as const),
        size: fc.integer({ min: 0, max: 3000 }),
        shift: fc.integer({ min: 0, max: 7 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const heap = Heap.create();
        const stack = new Stack(heap, { size: 2048 });
        const base = stack.mark();
        stack.alloc(0, 1); // takes the region, which the stack keeps
        const start = heap.stats();
        const marks: StackMark[] = [];
        const live: [number, number][][] = [[]];
        for (const s of steps) {
          if (s.kind === 'enter') {
            marks.push(stack.mark());
            live.push([]);
          } else if (s.kind === 'leave' && marks.length > 0) {
            stack.release(marks.pop()!);
            live.pop();
          } else if (s.kind === 'alloc') {
            const p = stack.alloc(s.size, 2 ** s.shift);
            expect(p % 2 ** s.shift).toBe(0);
            for (const [q, n] of live.flat()) {
              expect(p + Math.max(s.size, 1) <= q || q + n <= p).toBe(true);
            }
            live[live.length - 1]!.push([p, Math.max(s.size, 1)]);
          }
        }
        while (marks.length > 0) stack.release(marks.pop()!);
        stack.release(base);
        expect(stack.used).toBe(0);
        const end = heap.stats();
        expect(end.liveBlocks).toBe(start.liveBlocks);
        expect(end.liveBytes).toBe(start.liveBytes);
        heap.check();
      }),
      { numRuns: 200 },
    );
  });
});

describe('arguments that are not what they should be', () => {
  it('a Stack needs an allocator and options that are an object', () => {
    for (const heap of [null, undefined, 'heap', {}, { alignedAlloc: () => 0 }]) {
      refusal(() => new Stack(heap as never), TypeError, 'Stack');
    }
    for (const o of [null, 5])
      refusal(() => new Stack(Heap.create(), o as never), TypeError, 'Stack');
    refusal(() => new Stack(Heap.create(), { size: null } as never), RangeError, 'Stack');
  });
});

describe('Stack with bigint arguments', () => {
  it('takes bigint sizes and alignments that are safe integers; others are RangeErrors', () => {
    const heap = Heap.create();
    const stack = new Stack(heap, { size: 4096n });
    const m = stack.mark();
    const p = stack.alloc(24n, 16n);
    expect(p % 16).toBe(0);
    expect(stack.used).toBeGreaterThanOrEqual(24);
    expect(() => stack.alloc(2n ** 53n, 8)).toThrow(/^Stack\.alloc: size/);
    expect(() => stack.alloc(8, 3n)).toThrow(/^Stack\.alloc: alignment/);
    expect(() => stack.alloc(8, 8, 'alloca')).not.toThrow();
    expect(() => stack.alloc(-1n, 8, 'allocaBytes')).toThrow(/^allocaBytes: size/);
    stack.release(m);
    expect(() => new Stack(heap, { size: -1n })).toThrow(/^Stack: size/);
    expect(stack.depth).toBe(0);
    heap.check();
  });
});
