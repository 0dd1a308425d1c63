/**
 * The interface suite: what a memory interface costs the Haskell face. Each cell runs the same
 * trace of `mallocBytes(n)` and `free` (up to 64 blocks live, sizes 8–256 bytes) through
 * `foreign(ctx)`, where `ctx` is: the heap's own context (the default: no interface, the
 * reference), and `contextWithInterface` over `heapInterface(heap)` alone, under a counting
 * interface, under a tracking interface without call sites, and with them (a stack trace per
 * call, fewer ops).
 *
 * Every run is checked: every block given back, `heap.check()`, no live block left.
 */
import { Heap, contextOf, foreign, type Context } from 'foreign-ts';
import {
  contextWithInterface,
  countingInterface,
  heapInterface,
  trackingInterface,
  type ALLEGRO_MEMORY_INTERFACE,
} from 'foreign-ts/interface';
import type { Cell, Suite, Target, Workload } from '../harness.js';
import { ratioTarget } from '../lib/targets.js';

export const REF = 'default (the heap)';
const DOOR = 'heapInterface';
const COUNTING = 'counting';
const TRACKING = 'tracking, no call sites';
const SITES = 'tracking, call sites';

const LIVE = 64;
const TRACE = 4096;

/** Sizes of the trace: a fixed pseudo-random sequence (the same for every cell). */
const sizes = (): Uint16Array => {
  const out = new Uint16Array(TRACE);
  let x = 12345;
  for (let i = 0; i < TRACE; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = 8 + ((x >>> 8) % 249);
  }
  return out;
};

interface Impl {
  readonly impl: string;
  readonly slow?: boolean;
  readonly note?: string;
  readonly context: (heap: Heap) => Context;
}

const over = (f: (heap: Heap) => ALLEGRO_MEMORY_INTERFACE) => (heap: Heap) =>
  contextWithInterface(contextOf(heap), f(heap));

const IMPLS: readonly Impl[] = [
  { impl: REF, note: 'foreign(contextOf(heap)): no interface', context: (heap) => contextOf(heap) },
  { impl: DOOR, context: over((heap) => heapInterface(heap)) },
  { impl: COUNTING, context: over((heap) => countingInterface(heapInterface(heap))) },
  {
    impl: TRACKING,
    context: over((heap) => trackingInterface(heapInterface(heap), { callSites: false })),
  },
  {
    impl: SITES,
    slow: true,
    note: 'a stack trace of up to 64 frames per call; fewer ops',
    context: over((heap) => trackingInterface(heapInterface(heap))),
  },
];

/** One loop: op i frees slot i mod 64 if it holds a block and mallocs sizes[i mod 4096] there. */
const loopOf = (ctx: Context, trace: Uint16Array) => {
  const { mallocBytes, free } = foreign(ctx);
  const slots = new Array<number>(LIVE).fill(0);
  const run = (ops: number): void => {
    for (let i = 0; i < ops; i++) {
      const s = i & (LIVE - 1);
      const p = slots[s]!;
      if (p !== 0) free(p as never)();
      slots[s] = mallocBytes(trace[i & (TRACE - 1)]!)();
    }
  };
  const drain = (): void => {
    for (let s = 0; s < LIVE; s++) {
      if (slots[s] !== 0) free(slots[s] as never)();
      slots[s] = 0;
    }
  };
  return { run, drain };
};

const cellOf = (x: Impl, ops: number, trace: Uint16Array): Cell => ({
  impl: x.impl,
  ops,
  ...(x.note === undefined ? {} : { note: x.note }),
  run(sw) {
    const heap = Heap.create({ initialBytes: 1 << 20, maxBytes: 1 << 24 });
    const { run, drain } = loopOf(x.context(heap), trace);
    run(LIVE);
    drain();
    sw.start();
    run(ops);
    sw.stop();
    drain();
    heap.check();
    const live = heap.stats().liveBlocks;
    if (live !== 0) throw new Error(`${x.impl}: ${live} blocks left live`);
    return {};
  },
});

const within = (impl: string, limit: number): Target =>
  ratioTarget(`${impl} within ${limit}x of ${REF}`, impl, REF, limit);

const workload = (ops: number, slowOps: number): Workload => {
  const trace = sizes();
  return {
    name: 'malloc/free',
    interleave: true,
    runs: 9,
    title: `per op: free(slot i mod ${LIVE}) when it holds a block, then mallocBytes(8–256 bytes) into it`,
    cells: IMPLS.map((x) => cellOf(x, x.slow === true ? slowOps : ops, trace)),
    targets: [within(COUNTING, 1.2), within(TRACKING, 2)],
    notes: [
      'each op is one mallocBytes and (after the first 64) one free, through the Haskell face.',
      `${SITES}: measured, no target (the issue asks to say what it costs).`,
      'the default path (no interface) is the code of the heap and struct suites: an interface ' +
        'context does not change it.',
    ],
  };
};

export const suite: Suite = {
  name: 'interface',
  title: "what a memory interface costs the Haskell face's malloc and free",
  reference: REF,
  workloads({ quick }) {
    return [quick ? workload(20_000, 2_000) : workload(200_000, 2_000)];
  },
};
