/**
 * Model-based property test of the heap: random programs of malloc, calloc, realloc,
 * alignedAlloc, free and writes, run against the heap and against a model (pointer → size and
 * content seed). FOREIGN_TS_LONG=1 runs 20 times as many programs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap } from '../../src/index.js';
import { fill, holds } from './helpers.js';

const LONG = process.env.FOREIGN_TS_LONG === '1';
const RUNS = LONG ? 1200 : 60;

type Command =
  | { op: 'malloc'; size: number }
  | { op: 'calloc'; count: number; size: number }
  | { op: 'realloc'; pick: number; size: number }
  | { op: 'aligned'; shift: number; size: number }
  | { op: 'free'; pick: number }
  | { op: 'write'; pick: number };

const size = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 64 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4096 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 300_000 }) },
);
const pick = fc.nat();
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('malloc' as const), size }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('calloc' as const),
      count: fc.integer({ min: 0, max: 64 }),
      size: fc.integer({ min: 0, max: 64 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('realloc' as const), pick, size }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('aligned' as const),
      shift: fc.integer({ min: 0, max: 16 }),
      size,
    }),
  },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('free' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('write' as const), pick }) },
);
const program = fc.array(command, { minLength: 800, maxLength: 1200 });

interface Block {
  size: number;
  seed: number;
}

class Model {
  readonly blocks = new Map<number, Block>();
  private seed = 0;

  constructor(readonly heap: Heap) {}

  pick(n: number): number | undefined {
    if (this.blocks.size === 0) return undefined;
    return [...this.blocks.keys()][n % this.blocks.size];
  }

  /** Checks a new block against the model, then records it filled with a fresh pattern. */
  add(p: number, size: number, align = 8): void {
    expect(p % align).toBe(0);
    expect(this.heap.usableSize(p)).toBeGreaterThanOrEqual(size);
    for (const [q, block] of this.blocks) {
      const apart = p + size <= q || q + block.size <= p || size === 0 || block.size === 0;
      if (!apart || p === q)
        throw new Error(`block ${p}+${size} overlaps live block ${q}+${block.size}`);
    }
    this.seed += 1;
    fill(this.heap, p, size, this.seed);
    this.blocks.set(p, { size, seed: this.seed });
  }

  intact(p: number, block: Block, size = block.size): boolean {
    return holds(this.heap, p, size, block.seed);
  }

  run(c: Command): void {
    const heap = this.heap;
    switch (c.op) {
      case 'malloc': {
        const p = heap.malloc(c.size);
        if (p !== 0) this.add(p, c.size);
        break;
      }
      case 'calloc': {
        const p = heap.calloc(c.count, c.size);
        if (p === 0) break;
        const bytes = heap.memory.views.u8.subarray(p, p + c.count * c.size);
        expect(bytes.every((x) => x === 0)).toBe(true);
        this.add(p, c.count * c.size);
        break;
      }
      case 'aligned': {
        const p = heap.alignedAlloc(2 ** c.shift, c.size);
        if (p !== 0) this.add(p, c.size, 2 ** c.shift);
        break;
      }
      case 'realloc': {
        const p = this.pick(c.pick);
        if (p === undefined) break;
        const block = this.blocks.get(p)!;
        const q = heap.realloc(p, c.size);
        if (c.size === 0) {
          expect(q).toBe(0);
          this.blocks.delete(p);
        } else if (q === 0) {
          expect(this.intact(p, block)).toBe(true);
        } else {
          expect(this.intact(q, block, Math.min(block.size, c.size))).toBe(true);
          this.blocks.delete(p);
          this.add(q, c.size);
        }
        break;
      }
      case 'free': {
        const p = this.pick(c.pick);
        if (p === undefined) break;
        expect(this.intact(p, this.blocks.get(p)!)).toBe(true);
        heap.free(p);
        this.blocks.delete(p);
        break;
      }
      case 'write': {
        const p = this.pick(c.pick);
        if (p === undefined) break;
        this.blocks.delete(p);
        this.add(p, heap.usableSize(p));
        break;
      }
    }
  }
}

describe.each([false, true])('heap model (checked: %s)', (checked) => {
  it(`${RUNS} random programs of about 1 000 operations agree with the model`, () => {
    let operations = 0;
    fc.assert(
      fc.property(program, fc.integer({ min: 1, max: 64 }), (commands, maxPages) => {
        const heap = Heap.create({ checked, maxBytes: maxPages * 65536 });
        const start = heap.stats();
        const model = new Model(heap);
        commands.forEach((c, i) => {
          model.run(c);
          if (i % 200 === 0) heap.check();
        });
        operations += commands.length;
        heap.check();
        const s = heap.stats();
        expect(s.liveBlocks).toBe(model.blocks.size);
        expect(s.heapBytes).toBe(s.controlBytes + s.liveBytes + s.freeBytes);
        for (const [p, block] of model.blocks) {
          expect(model.intact(p, block)).toBe(true);
          heap.free(p);
        }
        heap.check();
        const end = heap.stats();
        expect(end.liveBlocks).toBe(0);
        expect(end.liveBytes).toBe(0);
        expect(end.freeBlocks).toBe(1);
        expect(end.largestFree).toBe(end.freeBytes - 4);
        if (end.heapBytes === start.heapBytes) {
          expect({ ...end, ...counters }).toEqual({
            ...start,
            ...counters,
            highWater: end.highWater,
          });
        }
      }),
      { numRuns: RUNS },
    );
    expect(operations).toBeGreaterThanOrEqual(RUNS * 800);
  });
});

const counters = { mallocs: 0, frees: 0, reallocs: 0, failures: 0 };
