/**
 * Model-based property test of one pool: random programs of malloc, calloc, realloc,
 * alignedAlloc, free, writes, drains and checks, through two handles of the pool (standing for
 * two workers, each with its cache), run against the pool and against a model (pointer → size
 * and content seed, and the counts of every kind of call). The pool's figures must be the
 * model's exactly, whatever sits in the caches. FOREIGN_TS_LONG=1 runs 20 times as many programs.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_FULL_LOCK,
  B_LAZY_LOCK,
  B_NO_LOCK,
  attach_pool,
  put_module,
  type AreaPool,
  type area_malloc_module_info,
} from 'foreign-ts/area';
import { RW, area, fill, holds, raw } from './helpers.js';

const LONG = process.env.FOREIGN_TS_LONG === '1';
const RUNS = LONG ? 600 : 30;

type Command =
  | { op: 'malloc'; by: number; size: number }
  | { op: 'calloc'; by: number; count: number; size: number }
  | { op: 'realloc'; by: number; pick: number; size: number }
  | { op: 'aligned'; by: number; shift: number; size: number }
  | { op: 'free'; by: number; pick: number }
  | { op: 'write'; by: number; pick: number }
  | { op: 'drain'; by: number }
  | { op: 'check'; by: number };

const size = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 270 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 4096 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 100_000 }) },
);
const by = fc.nat(1);
const pick = fc.nat();
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('malloc' as const), by, size }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('calloc' as const),
      by,
      count: fc.integer({ min: 0, max: 40 }),
      size: fc.integer({ min: 0, max: 40 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('realloc' as const), by, pick, size }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('aligned' as const),
      by,
      shift: fc.integer({ min: 0, max: 12 }),
      size,
    }),
  },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('free' as const), by, pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('write' as const), by, pick }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drain' as const), by }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('check' as const), by }) },
);
const program = fc.array(command, { minLength: 300, maxLength: 600 });

interface Block {
  size: number;
  seed: number;
}

class Model {
  readonly blocks = new Map<number, Block>();
  readonly counts = { mallocs: 0, frees: 0, reallocs: 0, failures: 0 };
  private seed = 0;

  constructor(readonly handles: readonly AreaPool[]) {}

  pick(n: number): number | undefined {
    if (this.blocks.size === 0) return undefined;
    return [...this.blocks.keys()][n % this.blocks.size];
  }

  /** Checks a new block against the model, then records it filled with a fresh pattern. */
  add(p: number, size: number, align = 8): void {
    const pool = this.handles[0]!;
    expect(p % align).toBe(0);
    expect(p).toBeGreaterThanOrEqual(pool.base);
    expect(p + size).toBeLessThanOrEqual(pool.base + pool.size);
    expect(pool.usableSize(p)).toBeGreaterThanOrEqual(size);
    for (const [q, block] of this.blocks) {
      const apart = p + size <= q || q + block.size <= p || size === 0 || block.size === 0;
      if (!apart || p === q)
        throw new Error(`block ${p}+${size} overlaps live block ${q}+${block.size}`);
    }
    this.seed += 1;
    fill(pool, p, size, this.seed);
    this.blocks.set(p, { size, seed: this.seed });
  }

  allocated(p: number, size: number, align = 8): void {
    if (p === 0) {
      this.counts.failures += 1;
      return;
    }
    this.counts.mallocs += 1;
    this.add(p, size, align);
  }

  intact(p: number, block: Block, size = block.size): boolean {
    return holds(this.handles[0]!, p, size, block.seed);
  }

  run(c: Command): void {
    const pool = this.handles[c.by % this.handles.length]!;
    switch (c.op) {
      case 'malloc':
        return this.allocated(pool.malloc(c.size), c.size);
      case 'calloc': {
        const p = pool.calloc(c.count, c.size);
        const bytes = raw(pool).views.u8.subarray(p, p + c.count * c.size);
        if (p !== 0) expect(bytes.every((x) => x === 0)).toBe(true);
        return this.allocated(p, c.count * c.size);
      }
      case 'aligned':
        return this.allocated(pool.alignedAlloc(2 ** c.shift, c.size), c.size, 2 ** c.shift);
      case 'realloc': {
        const p = this.pick(c.pick);
        if (p === undefined) return this.allocated(pool.realloc(0, c.size), c.size);
        const block = this.blocks.get(p)!;
        const q = pool.realloc(p, c.size);
        if (c.size === 0) {
          expect(q).toBe(0);
          this.blocks.delete(p);
          this.counts.frees += 1;
        } else if (q === 0) {
          expect(this.intact(p, block)).toBe(true);
          this.counts.failures += 1;
        } else {
          expect(this.intact(q, block, Math.min(block.size, c.size))).toBe(true);
          this.blocks.delete(p);
          this.add(q, c.size);
          this.counts.reallocs += 1;
        }
        return;
      }
      case 'free': {
        const p = this.pick(c.pick);
        if (p === undefined) return pool.free(0);
        expect(this.intact(p, this.blocks.get(p)!)).toBe(true);
        pool.free(p);
        this.blocks.delete(p);
        this.counts.frees += 1;
        return;
      }
      case 'write': {
        const p = this.pick(c.pick);
        if (p === undefined) return;
        this.blocks.delete(p);
        this.add(p, pool.usableSize(p));
        return;
      }
      case 'drain':
        pool.drain();
        expect(pool.stats().cachedBlocks).toBe(0);
        return;
      case 'check':
        return pool.check();
    }
  }
}

let a: area_malloc_module_info;
beforeAll(() => {
  a = area();
});
afterAll(() => {
  put_module(B_AREA_MALLOC_MODULE_NAME);
});

describe.each([
  ['B_FULL_LOCK', B_FULL_LOCK],
  ['B_LAZY_LOCK', B_LAZY_LOCK],
  ['B_NO_LOCK', B_NO_LOCK],
])('pool model (%s)', (_, lockSpec) => {
  it(`${RUNS} random programs of about 450 operations agree with the model`, () => {
    let operations = 0;
    fc.assert(
      fc.property(program, fc.integer({ min: 1, max: 48 }), (commands, pages) => {
        const pool = a.create_pool(B_ANY_ADDRESS, pages * 16384, lockSpec, RW)!;
        const handles = lockSpec === B_NO_LOCK ? [pool] : [pool, attach_pool(pool.share())];
        const model = new Model(handles);
        for (const c of commands) model.run(c);
        operations += commands.length;
        pool.check();
        const s = pool.stats();
        expect({ ...s, liveBlocks: s.liveBlocks }).toMatchObject({
          ...model.counts,
          liveBlocks: model.blocks.size,
        });
        expect(s.committedBytes).toBe(s.controlBytes + s.liveBytes + s.cachedBytes + s.freeBytes);
        for (const [p, block] of model.blocks) {
          expect(model.intact(p, block)).toBe(true);
          handles[p % handles.length]!.free(p);
        }
        pool.drain();
        pool.check();
        const end = pool.stats();
        expect(end).toMatchObject({ liveBlocks: 0, liveBytes: 0, cachedBlocks: 0, freeBlocks: 1 });
        expect(end.largestFree).toBe(end.freeBytes - 4);
        expect(a.delete_pool(pool)).toBe(0);
      }),
      { numRuns: RUNS },
    );
    expect(operations).toBeGreaterThanOrEqual(RUNS * 300);
  });
});
