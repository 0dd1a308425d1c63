/**
 * Every example as a whole program under the memory interface (issue 12), run in this process
 * (test/support/examples-in-process.ts): the package root's default context replaced by one
 * whose door is an interface over the default heap, and every context the example makes of a
 * heap of its own (`foreign(heap)`, `contextOf`, `newContext`) put under an interface of that
 * heap by `setHeapContextHook`, and every context over a wasm module's own `malloc`
 * (`wasmContext`) under an interface of that allocator by `setModuleContextHook`.
 *
 * 1. Under the tracking interface: the output is the example's checked `.out`, and no block is
 *    live at its end in any of those heaps or modules, and each passes its `check()` (a heap's;
 *    a module's: its C stack pointer back where it was).
 * 2. Under `oomTest`: every allocation point of the example (the default context's, its own
 *    heaps' and its modules', alloca regions and spills included, in one count) fails, alone
 *    and with every one after it; after each run nothing is live, every heap and module passes
 *    `check()`, and the failure surfaced as the examples' contract says (see
 *    {@link exampleContract}).
 *
 * What goes through no context, and so no interface, is listed in {@link BELOW_THE_INTERFACE}:
 * those examples run all the same (their output is checked), with no allocation point.
 *
 * Every point of every example is run (about a hundred runs, a few seconds): no sampling.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { Heap } from 'foreign-ts';
import {
  contextWithInterface,
  countingInterface,
  defaultContext,
  defaultHeap,
  heapInterface,
  oomTest,
  trackingInterface,
  type BackedInterface,
  type Context,
  type CountingInterface,
  type OomProblem,
  type Outcome,
  type TrackingInterface,
} from 'foreign-ts/interface';
import { expectedOutput, listExamples } from '../scripts/lib/examples.js';
import { runExampleOver } from './support/examples-in-process.js';

const names = listExamples();

/**
 * Where an in-process run under an interface prints other text than the example's own process,
 * and why; replaced in both before they are compared.
 */
const KNOWN_DIFFERENCES: ReadonlyArray<readonly [RegExp, string, string]> = [
  [
    /\?run=\d+/g,
    '',
    'the runner imports each run as examples/NAME.ts?run=N, which call sites name',
  ],
  [
    /200 000 bytes at \d+/,
    '200 000 bytes at ADDRESS',
    "03: an address; the interface door asks mi_malloc for 8 bytes more for the stack's " +
      '16-aligned region (Allegro has no aligned allocation), so later blocks lie elsewhere',
  ],
];

const normalised = (text: string): string =>
  KNOWN_DIFFERENCES.reduce((t, [from, to]) => t.replace(from, to), text);

/**
 * The examples whose allocations reach no context, and so no memory interface, and why. They
 * run in part 1 all the same, and count no allocation point in part 2.
 */
export const BELOW_THE_INTERFACE: Readonly<Record<string, string>> = {
  '01-heap': 'the Heap API itself (heap.malloc, Heap.over): the allocator under the interface',
  '07-kernel-malloc': "the kernel's malloc(9) and uma(9) directly, on the kernel's memory",
  '08-waitok-workers':
    "the kernel's malloc(9), in this thread and in a worker (a module instance of its own)",
  '09-area-pools':
    'area pools, in workers: each worker is a module instance of its own, out of reach of ' +
    "this process's default context and hook (the main thread allocates nothing)",
  '80-memory-growth': 'Memory only: it allocates no block',
  '10-leak-report':
    'a memory interface of its own: contextWithInterface(contextOf(heap), tracking), which the ' +
    'hook does not see (it keeps only the memory of the context contextOf gives); its own ' +
    'tracking interface reports no live block at its end, in its output',
};

interface Tracked {
  readonly ctx: Context;
  readonly base: BackedInterface;
  readonly tracking: TrackingInterface;
  readonly counting: CountingInterface;
}

/** Allocations through a counting interface. */
const allocations = (c: CountingInterface): number => {
  const n = c.counts();
  return n.mi_malloc + n.mi_calloc + n.mi_realloc;
};

describe('every example under the tracking interface', () => {
  it.each(names)('examples/%s.ts prints its .out and ends with zero live blocks', async (name) => {
    const tracked: Tracked[] = [];
    const track = (ctx: Context, base: BackedInterface): Context => {
      const tracking = trackingInterface(base);
      const counting = countingInterface(tracking);
      const c = contextWithInterface(ctx, counting);
      tracked.push({ ctx: c, base, tracking, counting });
      return c;
    };
    const root = track(defaultContext(), heapInterface(defaultHeap()));
    const output = await runExampleOver(name, root, (ctx, source) =>
      track(ctx, source instanceof Heap ? heapInterface(source) : source),
    );
    for (const t of tracked) t.ctx.stack.dispose();
    for (const t of tracked) t.base.check(); // each heap's check; a module's: its stack pointer
    const reports = tracked.filter((t) => t.tracking.live > 0).map((t) => t.tracking.report());
    expect(normalised(output)).toBe(normalised(expectedOutput(name) ?? ''));
    expect(reports).toEqual([]);
    const n = tracked.reduce((k, t) => k + allocations(t.counting), 0);
    if (name in BELOW_THE_INTERFACE) expect(n).toBe(0);
    else expect(n).toBeGreaterThan(0);
  });
});

/**
 * The examples' contract under a failed allocation. An example is a script, as a C program is:
 * it ends at the first failure it does not handle. So a run honours it when
 * - it completes: the example handled the failure and printed what it got (`nullPtr`, a `Left`,
 *   fewer blocks: output other than the run without failure, or that is the harness's
 *   "recovered"); or
 * - an `AllocationError` escapes it: what `with*`, `task.with*`, `mallocForeignPtr*` and
 *   `scoped.*` throw (docs/memory-interface.md's table); or
 * - a `NullPointerError` ("access through nullPtr") escapes it: a Haskell 2010 allocation
 *   (`malloc`, `new`, `newArray`, …) gave `nullPtr`, as documented, and the example, which does
 *   not check it, used it: the library refuses the access with its typed error.
 * Any other error (a `TypeError` of the engine, a corrupted value) breaks it. Whichever way a run
 * ends, every block must be given back and every heap pass `check()`: an example that lets an
 * error escape gives back what it holds in `finally` (04, 14), and waits for its other brackets
 * (06).
 */
const exampleContract = (o: Outcome): boolean => {
  if (!o.threw) return true;
  const e = o.error as Error;
  return (
    e.name === 'AllocationError' ||
    (e.name === 'NullPointerError' && /: access through nullPtr/.test(e.message))
  );
};

/**
 * Leaks an example makes on purpose: example 11's first version of its program, run once over
 * `newContext()` to show that an ordinary run passes, loses its name string when its second
 * allocation fails. That is the cleanup bug the example's own `oomTest` finds.
 */
const onPurpose = (name: string, p: OomProblem): boolean =>
  name === '11-failure-injection' &&
  p.kind === 'leak' &&
  p.leaks.length === 1 &&
  p.leaks.every((b) => b.func === 'parseRecord' && b.file.includes('11-failure-injection'));

describe('every example under oomTest', () => {
  const under = names.filter((n) => !(n in BELOW_THE_INTERFACE));
  const figures = { programs: 0, points: 0, runs: 0, onPurpose: 0 };

  it.each(under)(
    'examples/%s.ts: every allocation point fails; no leak, no corruption, its contract',
    async (name) => {
      const report = await oomTest(
        async (ctx, run) =>
          normalised(await runExampleOver(name, ctx, (_c, source) => run.contextOf(source))),
        { contract: exampleContract },
      );
      const problems = report.problems.filter((p) => !onPurpose(name, p));
      figures.programs += 1;
      figures.points += report.points;
      figures.runs += report.runs;
      figures.onPurpose += report.problems.length - problems.length;
      expect(report.points).toBeGreaterThan(0);
      expect(problems.map((p) => `${p.point} ${p.mode} ${p.kind}: ${p.message}`)).toEqual([]);
      if (name === '11-failure-injection')
        expect(problems.length).toBeLessThan(report.problems.length);
    },
  );

  afterAll(() => {
    console.log(
      `examples under oomTest: ${figures.programs} programs, ${figures.points} allocation points, ` +
        `${figures.runs} runs; ${figures.onPurpose} leak(s) made on purpose (example 11's first ` +
        `version); ${Object.keys(BELOW_THE_INTERFACE).length} examples reach no context`,
    );
  });
});
