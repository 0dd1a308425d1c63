/**
 * The out-of-memory harness: it counts a program's allocation points, fails each (and each from
 * it on), and reports leaks, corruption and failures that do not surface as the contract says.
 */
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AllocationError, CInt, Heap, foreign, nullPtr, type Ptr } from 'foreign-ts';
import {
  kernelInterface,
  oomTest,
  type Context,
  type OomOptions,
  type OomRun,
} from 'foreign-ts/interface';
import { MALLOC_DEFINE, boot } from 'foreign-ts/kernel';
import { rejection } from '../support/thrown.js';

/** Two blocks; when the second fails, the first is freed (right) or not (`leaky`). */
const twoBlocks =
  (leaky: boolean) =>
  (ctx: Context): number => {
    const api = foreign(ctx);
    const a = api.mallocBytes(8)();
    if (a === nullPtr) return nullPtr;
    const b = api.mallocBytes(8)();
    if (b === nullPtr) {
      if (!leaky) api.free(a)();
      return nullPtr;
    }
    api.free(b)();
    api.free(a)();
    return 1;
  };

describe('oomTest', () => {
  it('passes a program whose cleanup is right: points and runs', async () => {
    const r = await oomTest(twoBlocks(false), { contract: 'nullPtr' });
    expect([r.points, r.runs, r.ok, r.problems]).toEqual([2, 5, true, []]);
    expect(r.text()).toBe('2 allocation point(s), 5 run(s): ok\n');
  });

  it('finds the leak, with the call sites of the failure and of the leaked block', async () => {
    const r = await oomTest(twoBlocks(true), { contract: 'nullPtr' });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => [p.point, p.mode, p.kind])).toEqual([
      [2, 'nth', 'leak'],
      [2, 'from', 'leak'],
    ]);
    const [p] = r.problems;
    expect(p!.site.file).toMatch(/harness\.test\.ts$/);
    expect(p!.leaks).toHaveLength(1);
    expect(p!.leaks[0]!.line).toBeLessThan(p!.site.line); // the first malloc, above the second
    expect(r.text({ basename: true })).toMatch(
      /^2 allocation point\(s\), 5 run\(s\): 2 problem\(s\)\n {2}point 2 \(only it fails\) at .* \(harness\.test\.ts:\d+\): leak: 1 block\(s\), 8 byte\(s\) left live\n {6}allocated at .*harness\.test\.ts:\d+\), 8 byte\(s\)\n/,
    );
  });

  it("checks the contract: 'throw' (with*), 'left' (either.*), a predicate", async () => {
    const nested = (ctx: Context) => {
      const api = foreign(ctx);
      return api.withArray(CInt, [1, 2, 3], (p: Ptr<number>) =>
        api.withCString('hi', () => api.peekElemOff(CInt, p, 2)),
      )();
    };
    const thrown = await oomTest(nested, { contract: 'throw' });
    expect(thrown.ok).toBe(true);
    expect(thrown.points).toBe(1); // the alloca region, which both brackets allocate in
    const wrong = await oomTest(nested, { contract: 'nullPtr' });
    // only the region failing: the stack spills both, and the program recovers (benign);
    // every allocation from it on failing: withArray throws
    expect(wrong.problems.map((p) => [p.mode, p.kind])).toEqual([['from', 'contract']]);
    expect(wrong.problems[0]!.message).toMatch(
      /should return nullPtr, but it threw AllocationError/,
    );
    const either = await oomTest(
      (ctx) => {
        const api = foreign(ctx);
        const r = api.either.mallocBytes(4)();
        if (E.isRight(r)) api.free(r.right)();
        return r;
      },
      { contract: 'left' },
    );
    expect([either.points, either.ok]).toEqual([1, true]);
    const custom = await oomTest(twoBlocks(false), {
      contract: (o) => !o.threw && o.value === 0,
    });
    expect(custom.ok).toBe(true);
    const refused = await oomTest(twoBlocks(false), { contract: () => false });
    expect(refused.problems).toHaveLength(4);
  });

  it('a Left or an error of another kind does not honour left or throw', async () => {
    const r = await oomTest(
      (ctx) => {
        const p = foreign(ctx).mallocBytes(4)();
        if (p === 0) throw new Error('out of memory');
        foreign(ctx).free(p)();
      },
      { contract: 'throw' },
    );
    expect(r.problems.map((p) => p.kind)).toEqual(['contract', 'contract']);
    const left = await oomTest(
      (ctx) => {
        const p = foreign(ctx).mallocBytes(4)();
        if (p === 0) return E.left('no');
        foreign(ctx).free(p)();
        return E.right(1);
      },
      { contract: 'left' },
    );
    expect(left.problems).toHaveLength(2);
  });

  it('awaits async programs, and reports a throw without failure and an open alloca', async () => {
    const r = await oomTest(
      async (ctx) => {
        const api = foreign(ctx);
        return api.task.withArray(CInt, [7], (p: Ptr<number>) => async () => api.peek(CInt, p)())();
      },
      { contract: (o) => o.threw && o.error instanceof AllocationError },
    );
    expect([r.points, r.ok]).toEqual([1, true]);
    const bad = await oomTest(
      () => {
        throw new RangeError('boom');
      },
      { contract: 'throw' },
    );
    expect([bad.points, bad.problems[0]!.kind, bad.problems[0]!.message]).toEqual([
      0,
      'contract',
      'no allocation failed, yet it threw RangeError: boom',
    ]);
    const open = await oomTest(
      (ctx) => {
        ctx.stack.mark();
        ctx.stack.alloc(8, 8);
        return 1;
      },
      { contract: () => true },
    );
    expect(open.problems.some((p) => p.kind === 'leak' && /alloca scope/.test(p.message))).toBe(
      true,
    );
  });

  it('reports corruption of the heap', async () => {
    const r = await oomTest(
      (ctx) => {
        const api = foreign(ctx);
        const a = api.mallocBytes(8)();
        if (a === 0) return 0;
        ctx.memory.views.u8.fill(0xff, a - 8, a + 64); // over the block headers
        return 0;
      },
      { contract: () => true },
    );
    expect(r.problems.some((p) => p.kind === 'corruption')).toBe(true);
  });

  it('runs over a kernel malloc type', async () => {
    const r = await oomTest(twoBlocks(false), {
      contract: 'nullPtr',
      base: () => kernelInterface(MALLOC_DEFINE(boot(), 'oom', 'oom test')),
    });
    expect([r.points, r.ok]).toEqual([2, true]);
  });

  it("counts and fails the allocations of the program's own heaps with its context's", async () => {
    const program = (leaky: boolean) => (ctx: Context, run: OomRun) => {
      const own = foreign(run.contextOf(Heap.create()));
      const a = foreign(ctx).mallocBytes(8)(); // point 1: the run's heap
      if (a === nullPtr) return nullPtr;
      const b = own.mallocBytes(8)(); // point 2: the program's own heap
      if (b === nullPtr) {
        if (!leaky) foreign(ctx).free(a)();
        return nullPtr;
      }
      const c = own.allocaBytes(8, (p) => () => p)(); // point 3: own's stack region (or a spill)
      own.free(b)();
      foreign(ctx).free(a)();
      return c === nullPtr ? nullPtr : 1;
    };
    const right = await oomTest(program(false), { contract: 'nullPtr' });
    expect([right.points, right.runs, right.ok]).toEqual([3, 7, true]);
    const leaky = await oomTest(program(true), { contract: 'nullPtr' });
    expect(leaky.problems.map((p) => `${p.point} ${p.mode} ${p.kind}`)).toEqual([
      '2 nth leak',
      '2 from leak',
    ]);
    const left = await oomTest(
      (_ctx, run) => void foreign(run.contextOf(Heap.create())).mallocBytes(8)(),
      { contract: 'nullPtr' },
    );
    expect(left.problems.map((p) => `${p.point} ${p.mode} ${p.kind}`)).toEqual(['0 none leak']);
    const bad = await oomTest((_ctx, run) => run.contextOf({} as never), { contract: 'nullPtr' });
    expect(bad.problems[0]!.message).toMatch(/TypeError: contextOf: .* is not a Heap/);
  });

  it('refuses bad arguments naming oomTest', async () => {
    const ok: OomOptions = { contract: 'nullPtr' };
    await rejection(() => oomTest(5 as never, ok), TypeError, 'oomTest');
    for (const bad of [null, 3, {}, { contract: 'never' }, { contract: 'toString' }]) {
      await rejection(() => oomTest(twoBlocks(false), bad as never), TypeError, 'oomTest');
    }
    await rejection(
      () => oomTest(twoBlocks(false), { contract: 'nullPtr', base: 1 as never }),
      TypeError,
      'oomTest',
    );
    await rejection(
      () => oomTest(twoBlocks(false), { contract: 'nullPtr', base: () => ({}) as never }),
      TypeError,
      'oomTest',
    );
    const r = await oomTest(twoBlocks(false), ok);
    expect(() => r.text(null as never)).toThrow(/^text: /);
  });

  it('for random programs: points are the allocations; a missed free is found at its points', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(64), { minLength: 1, maxLength: 6 }),
        fc.option(fc.nat(), { nil: undefined }),
        async (sizes, skip) => {
          const miss = skip === undefined ? -1 : skip % sizes.length;
          const program = (ctx: Context): number => {
            const api = foreign(ctx);
            const got: Ptr<unknown>[] = [];
            for (const n of sizes) {
              const p = api.mallocBytes(n)();
              if (p === 0) {
                got.forEach((q, i) => i !== miss && api.free(q)());
                return 0;
              }
              got.push(p);
            }
            got.forEach((q) => api.free(q)());
            return 1;
          };
          const r = await oomTest(program, { contract: 'nullPtr' });
          expect(r.points).toBe(sizes.length);
          expect(r.runs).toBe(1 + 2 * sizes.length);
          // block `miss` leaks in every run whose failing point lies after it
          const leaking = miss < 0 ? 0 : 2 * (sizes.length - 1 - miss);
          expect(r.problems.filter((p) => p.kind === 'leak')).toHaveLength(leaking);
          expect(r.problems.every((p) => p.kind === 'leak')).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });
});
