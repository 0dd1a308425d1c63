/**
 * The heap suite: this library's heap against @thi.ng/malloc, a bump allocator (the floor) and
 * GC-managed `new ArrayBuffer(n)`, on the workloads of allocators.md §3.2:
 *
 * - W1: churn, sizes logu(8, 4096), 10 000 live blocks, 1 000 000 mallocs and frees;
 * - W2: the same with sizes logu(16, 64);
 * - W3: 1 000 buffers of 16 bytes, then 12 rounds of round-robin doubling realloc (every realloc
 *   must move), tag words checked at the end.
 *
 * Traces are generated before any timing and replayed identically by every implementation.
 *
 * Each implementation has its own copy of each replay loop, on purpose: a loop shared by all of
 * them would see four allocator classes at one call site and run megamorphic for everyone after
 * the first, which is not what a program using one allocator sees.
 */
import { MemPool } from '@thi.ng/malloc';
import { Heap } from 'foreign-ts/heap';
import type { Cell, Measures, RunOutcome, Stopwatch, Suite, Target, Workload } from '../harness.js';
import { Bump } from '../lib/bump.js';
import { copyIn, dlmalloc, ExtentMeter, type DlmallocExports } from '../lib/dlmalloc.js';
import { heapOps } from '../lib/heap-ops.js';
import { ratioTarget, speedupTarget, timesFaster } from '../lib/targets.js';
import { churnTrace, peakLiveBytes, type ChurnTrace } from '../lib/trace.js';

const MiB = 1024 * 1024;
const HEAP = 'foreign-ts';
const THING = '@thi.ng/malloc';
const BUMP = 'bump';
const GC = 'ArrayBuffer';
const DL_JS = 'dlmalloc (wasm, called from JS)';
const DL_C = 'dlmalloc (wasm, C loop)';

/** The parameters of one size of the suite. */
interface Params {
  readonly ops: number;
  readonly live: number;
  /** Ops of the churn trace @thi.ng/malloc replays (a prefix: it is O(n) per op). */
  readonly thingOps: number;
  readonly w3Buffers: number;
  readonly w3Rounds: number;
  /** Pool / buffer sizes. */
  readonly churnPool: number;
  readonly w3Pool: number;
}

const FULL: Params = {
  ops: 1_000_000,
  live: 10_000,
  thingOps: 20_000,
  w3Buffers: 1_000,
  w3Rounds: 12,
  churnPool: 64 * MiB,
  w3Pool: 256 * MiB,
};

const QUICK: Params = {
  ops: 50_000,
  live: 10_000,
  thingOps: 1_000,
  w3Buffers: 100,
  w3Rounds: 12,
  churnPool: 64 * MiB,
  w3Pool: 32 * MiB,
};

const HEAP_MAX = 1024 * MiB;

const n = (x: number): string => x.toLocaleString('en-US');
const mib = (x: number): string => `${x / MiB} MiB`;

/** A JS array of `length` small integers (packed SMI elements, like a program's handle list). */
const handles = (length: number): number[] => new Array<number>(length).fill(0);

// ---------------------------------------------------------------------------------------------
// Churn (W1, W2): one replay loop per implementation.
//
// The timed loops of the heap, dlmalloc and bump are functions of their own (`…Ops`; the heap's,
// `heapOps`, is in bench/lib/heap-ops.ts), called once per run with nothing after the loop but
// `return`. Written inline between `sw.start()` and `sw.stop()`, the loop ran
// in code V8 compiled on stack replacement (OSR) before the code after it had ever run; that
// code was thrown away at the loop's end ("insufficient type feedback" for `sw.stop()`), so that
// every run began again in the interpreter and, about one run in two, compiled the loop again
// while the clock ran. That cost the heap, whose malloc and free V8 inlines into the loop, up to
// 2x on W2 (runs of 42 and of 80–120 ns/op, side by side), and the wasm calls of dlmalloc little.
// A loop of its own is compiled once, with the feedback of the warm-up, and runs in that code.
// (@thi.ng/malloc and ArrayBuffer take microseconds per op: their loops stay inline.)

/** A replay's live handles after the prefill, and the failures so far. */
interface Replay {
  readonly live: number[];
  count: number;
  failures: number;
}

const prefillHeap = (heap: Heap, t: ChurnTrace): Replay => {
  const r: Replay = { live: handles(t.maxLive + 1), count: 0, failures: 0 };
  for (const size of t.prefill) {
    const p = heap.malloc(size);
    if (p === 0) r.failures++;
    r.live[r.count++] = p;
  }
  return r;
};

const churnHeap = (heap: Heap, t: ChurnTrace, ops: number, sw: Stopwatch): number => {
  const r = prefillHeap(heap, t);
  sw.start();
  const failures = heapOps(heap, t.ops, ops, r.live, r.count);
  sw.stop();
  return r.failures + failures;
};

const churnThing = (
  pool: MemPool,
  t: ChurnTrace,
  ops: number,
  sw: Stopwatch | undefined,
  sample?: () => void,
): number => {
  const live = handles(t.maxLive + 1);
  const trace = t.ops;
  let count = 0;
  let failures = 0;
  for (const size of t.prefill) {
    const p = pool.malloc(size);
    if (p === 0) failures++;
    live[count++] = p;
    sample?.();
  }
  sw?.start();
  for (let i = 0; i < ops; i++) {
    const x = trace[i]!;
    if (x >= 1) {
      const p = pool.malloc(x);
      if (p === 0) failures++;
      live[count++] = p;
    } else {
      const j = (x * count) | 0;
      const p = live[j]!;
      live[j] = live[--count]!;
      if (p !== 0) pool.free(p);
    }
    sample?.();
  }
  sw?.stop();
  return failures;
};

const bumpOps = (bump: Bump, trace: Float64Array, ops: number, live: number[], n: number) => {
  let count = n;
  for (let i = 0; i < ops; i++) {
    const x = trace[i]!;
    if (x >= 1) {
      live[count++] = bump.malloc(x);
    } else {
      const j = (x * count) | 0;
      const p = live[j]!;
      live[j] = live[--count]!;
      bump.free(p);
    }
  }
  return count;
};

const churnBump = (bump: Bump, t: ChurnTrace, ops: number, sw: Stopwatch): void => {
  const live = handles(t.maxLive + 1);
  let count = 0;
  for (const size of t.prefill) live[count++] = bump.malloc(size);
  sw.start();
  bumpOps(bump, t.ops, ops, live, count);
  sw.stop();
};

const churnGc = (t: ChurnTrace, ops: number, sw: Stopwatch | undefined, sample?: () => void) => {
  const empty = new ArrayBuffer(0);
  const live = new Array<ArrayBuffer>(t.maxLive + 1).fill(empty);
  const trace = t.ops;
  let count = 0;
  for (const size of t.prefill) live[count++] = new ArrayBuffer(size);
  sample?.();
  sw?.start();
  for (let i = 0; i < ops; i++) {
    const x = trace[i]!;
    if (x >= 1) {
      live[count++] = new ArrayBuffer(x);
    } else {
      const j = (x * count) | 0;
      live[j] = live[--count]!;
      live[count] = empty;
    }
    if (sample !== undefined && (i & 1023) === 0) sample();
  }
  sw?.stop();
  return live;
};

const dlOps = (x: DlmallocExports, trace: Float64Array, ops: number, r: Replay): number => {
  const { malloc, free } = x;
  const live = r.live;
  let count = r.count;
  let failures = 0;
  for (let i = 0; i < ops; i++) {
    const v = trace[i]!;
    if (v >= 1) {
      const p = malloc(v);
      if (p === 0) failures++;
      live[count++] = p;
    } else {
      const j = (v * count) | 0;
      const p = live[j]!;
      live[j] = live[--count]!;
      free(p);
    }
  }
  return failures;
};

const churnDl = (x: DlmallocExports, t: ChurnTrace, ops: number, sw: Stopwatch): number => {
  const r: Replay = { live: handles(t.maxLive + 1), count: 0, failures: 0 };
  for (const size of t.prefill) {
    const p = x.malloc(size);
    if (p === 0) r.failures++;
    r.live[r.count++] = p;
  }
  sw.start();
  const failures = dlOps(x, t.ops, ops, r);
  sw.stop();
  return r.failures + failures;
};

/** The replay of `churnDl`, untimed, measuring the extent of every block handed out. */
const churnDlMeasured = (x: DlmallocExports, t: ChurnTrace, ops: number): number => {
  const meter = new ExtentMeter(x);
  const live = handles(t.maxLive + 1);
  let count = 0;
  for (const size of t.prefill) {
    const p = x.malloc(size);
    meter.track(p);
    live[count++] = p;
  }
  for (let i = 0; i < ops; i++) {
    const v = t.ops[i]!;
    if (v >= 1) {
      const p = x.malloc(v);
      meter.track(p);
      live[count++] = p;
    } else {
      const j = (v * count) | 0;
      const p = live[j]!;
      live[j] = live[--count]!;
      x.free(p);
    }
  }
  return meter.bytes;
};

/**
 * The churn replayed by the module's own C loop: the trace and the live array are copied into
 * blocks of the module's memory first (untimed), the prefill is one call (untimed), the timed
 * ops one more. Returns the failures and, with `tracking`, the extent the module measured.
 */
const churnDlC = (
  t: ChurnTrace,
  ops: number,
  sw: Stopwatch | undefined,
  tracking: boolean,
): { failures: number; extent: number } => {
  const x = dlmalloc();
  const prefill = copyIn(x, t.prefill);
  const trace = copyIn(x, t.ops.subarray(0, ops));
  const live = copyIn(x, new Uint32Array(t.maxLive + 1));
  const count = copyIn(x, Uint32Array.of(t.prefill.length));
  const track = tracking ? 1 : 0;
  let failures = x.prefill(prefill, t.prefill.length, live, track);
  sw?.start();
  failures += x.churn(trace, ops, live, count, track);
  sw?.stop();
  return { failures, extent: x.extent() };
};

/** @thi.ng/malloc's `top` (protected in its types, a plain getter at run time). */
const topOf = (pool: MemPool): number => (pool as unknown as { readonly top: number }).top;

/** Peak of `process.memoryUsage().arrayBuffers` above its value at creation. */
const footprintMeter = () => {
  const base = process.memoryUsage().arrayBuffers;
  let peak = base;
  return {
    sample: (): void => {
      const now = process.memoryUsage().arrayBuffers;
      if (now > peak) peak = now;
    },
    bytes: (): number => peak - base,
  };
};

const churnWorkload = (
  name: string,
  minSize: number,
  maxSize: number,
  hwmLimit: number,
  dlLimit: number,
  p: Params,
): Workload => {
  const trace = churnTrace(minSize, maxSize, p.live, p.ops);
  const peak = peakLiveBytes(trace);
  const thingOps = Math.min(p.thingOps, p.ops);
  const thingPeak = peakLiveBytes(trace, thingOps);
  const live = (liveBytes: number): Measures => ({ liveBytes, liveKind: 'peak' });

  const heap: Cell = {
    impl: HEAP,
    ops: p.ops,
    run(sw): RunOutcome {
      const h = Heap.create({ initialBytes: p.churnPool, maxBytes: HEAP_MAX });
      const failures = churnHeap(h, trace, p.ops, sw);
      h.check();
      const hwmBytes = h.stats().highWater;
      return { failures, measures: { hwmBytes, hwmKind: 'block area', ...live(peak) } };
    },
  };

  const thing: Cell = {
    impl: THING,
    ops: thingOps,
    note:
      `${THING} is O(n) per op: it replays the first ${n(thingOps)} ops of the same trace ` +
      `after the same ${n(p.live)}-block prefill (same live-set size, so ns/op compare; its ` +
      `peak live is that of the prefix). ${mib(p.churnPool)} pool, default options.`,
    run(sw) {
      const pool = new MemPool({ size: p.churnPool });
      return { failures: churnThing(pool, trace, thingOps, sw) };
    },
    instrument() {
      const pool = new MemPool({ size: p.churnPool });
      const initial = topOf(pool);
      let top = initial;
      churnThing(pool, trace, thingOps, undefined, () => {
        const t = topOf(pool);
        if (t > top) top = t;
      });
      return { hwmBytes: top - initial, hwmKind: 'max top', ...live(thingPeak) };
    },
  };

  const bump: Cell = {
    impl: BUMP,
    ops: p.ops,
    run(sw) {
      const b = new Bump(p.churnPool);
      churnBump(b, trace, p.ops, sw);
      return { measures: { hwmBytes: b.handedOut, hwmKind: 'handed out', ...live(peak) } };
    },
  };

  const gc: Cell = {
    impl: GC,
    ops: p.ops,
    run(sw) {
      churnGc(trace, p.ops, sw);
      return {};
    },
    instrument() {
      const meter = footprintMeter();
      churnGc(trace, p.ops, undefined, meter.sample);
      return { hwmBytes: meter.bytes(), hwmKind: 'footprint', ...live(peak) };
    },
  };

  const dlJs: Cell = {
    impl: DL_JS,
    ops: p.ops,
    run(sw) {
      return { failures: churnDl(dlmalloc(), trace, p.ops, sw) };
    },
    instrument() {
      const hwmBytes = churnDlMeasured(dlmalloc(), trace, p.ops);
      return { hwmBytes, hwmKind: 'block extent', ...live(peak) };
    },
  };

  const dlC: Cell = {
    impl: DL_C,
    ops: p.ops,
    run(sw) {
      return { failures: churnDlC(trace, p.ops, sw, false).failures };
    },
    instrument() {
      const hwmBytes = churnDlC(trace, p.ops, undefined, true).extent;
      return { hwmBytes, hwmKind: 'block extent', ...live(peak) };
    },
  };

  const targets: Target[] = [
    ratioTarget(`${HEAP} ns/op within 3x of ${BUMP}`, HEAP, BUMP, 3),
    ratioTarget(`${HEAP} ns/op within ${dlLimit.toFixed(1)}x of ${DL_JS}`, HEAP, DL_JS, dlLimit),
    ...(name === 'W1'
      ? [speedupTarget(`${HEAP} at least 300x faster than ${THING}`, HEAP, THING, 300, timesFaster)]
      : []),
    {
      label: `${HEAP} hwm/peak live ≤ ${hwmLimit.toFixed(2)}`,
      impl: HEAP,
      evaluate(results) {
        const m = results.get(HEAP)?.measures;
        if (m?.hwmBytes === undefined || m.liveBytes === undefined) return undefined;
        const r = m.hwmBytes / m.liveBytes;
        return { pass: r <= hwmLimit, value: r.toFixed(3) };
      },
    },
  ];

  return {
    name,
    title:
      `churn, sizes logu(${minSize}, ${maxSize}), ${n(p.live)} live, ${n(p.ops)} ops ` +
      `(${n(trace.mallocs)} mallocs, ${n(trace.frees)} frees; mean request ` +
      `${trace.meanRequest.toFixed(1)} B)`,
    cells: [heap, dlJs, dlC, thing, bump, gc],
    // Round-robin runs: a burst of load on the shared machine falls on every cell alike.
    interleave: true,
    targets,
    notes: [
      `${HEAP}: Heap.create({ initialBytes: ${mib(p.churnPool)}, maxBytes: ${mib(HEAP_MAX)} }); ` +
        `hwm = heap.stats().highWater after the run; heap.check() passes after every run.`,
      `hwm counts — ${THING}: max(top) − initial top after every op (untimed replay); ` +
        `${BUMP}: every byte handed out (it never frees; ${mib(p.churnPool)} buffer, wraps); ` +
        `${GC}: peak process.memoryUsage().arrayBuffers every 1,024 ops (untimed replay), a ` +
        `footprint that includes uncollected garbage; dlmalloc: from the lowest block to the ` +
        `highest end of a block's usable bytes (malloc_usable_size) over every block handed out ` +
        `(untimed replay), the same extent as the heap's highWater.`,
      `dlmalloc: wasi-libc's dlmalloc 2.8.6 in c/build/dlmalloc.wasm, a fresh instance per ` +
        `run. ${DL_JS}: the same loop as ${HEAP}'s, calling the module's exported malloc and ` +
        `free; ${DL_C}: the trace copied into the module's memory, replayed by one exported call.`,
    ],
  };
};

// ---------------------------------------------------------------------------------------------
// W3: round-robin doubling realloc. One loop per implementation.

const TAG = 0xc0de0000;

interface W3Outcome {
  failures: number;
  badData: number;
  survivors: number;
}

const w3Heap = (heap: Heap, buffers: number, rounds: number, sw: Stopwatch): W3Outcome => {
  const h = handles(buffers);
  let failures = 0;
  sw.start();
  for (let i = 0; i < buffers; i++) {
    const p = heap.malloc(16);
    if (p === 0) failures++;
    h[i] = p;
  }
  sw.stop();
  for (let i = 0; i < buffers; i++) {
    const p = h[i]!;
    if (p !== 0) heap.memory.ensure(p, 4).u32[p >>> 2] = (TAG + i) >>> 0;
  }
  sw.start();
  for (let s = 1; s <= rounds; s++) {
    const size = 16 << s;
    for (let i = 0; i < buffers; i++) {
      const p = h[i]!;
      if (p === 0) continue;
      const q = heap.realloc(p, size);
      if (q === 0) failures++;
      h[i] = q;
    }
  }
  sw.stop();
  let badData = 0;
  let survivors = 0;
  for (let i = 0; i < buffers; i++) {
    const p = h[i]!;
    if (p === 0) continue;
    survivors++;
    if (heap.memory.ensure(p, 4).u32[p >>> 2] !== (TAG + i) >>> 0) badData++;
  }
  return { failures, badData, survivors };
};

const w3Thing = (
  pool: MemPool,
  buffers: number,
  rounds: number,
  sw: Stopwatch | undefined,
  sample?: () => void,
): W3Outcome => {
  const h = handles(buffers);
  let failures = 0;
  sw?.start();
  for (let i = 0; i < buffers; i++) {
    const p = pool.malloc(16);
    if (p === 0) failures++;
    h[i] = p;
    sample?.();
  }
  sw?.stop();
  const u32 = new Uint32Array(pool.buf);
  for (let i = 0; i < buffers; i++) {
    const p = h[i]!;
    if (p !== 0) u32[p >>> 2] = (TAG + i) >>> 0;
  }
  sw?.start();
  for (let s = 1; s <= rounds; s++) {
    const size = 16 << s;
    for (let i = 0; i < buffers; i++) {
      const p = h[i]!;
      if (p === 0) continue;
      const q = pool.realloc(p, size);
      if (q === 0) failures++;
      h[i] = q;
      sample?.();
    }
  }
  sw?.stop();
  let badData = 0;
  let survivors = 0;
  for (let i = 0; i < buffers; i++) {
    const p = h[i]!;
    if (p === 0) continue;
    survivors++;
    if (u32[p >>> 2] !== (TAG + i) >>> 0) badData++;
  }
  return { failures, badData, survivors };
};

const w3Bump = (bump: Bump, buffers: number, rounds: number, sw: Stopwatch): W3Outcome => {
  const h = handles(buffers);
  sw.start();
  for (let i = 0; i < buffers; i++) h[i] = bump.malloc(16);
  sw.stop();
  for (let i = 0; i < buffers; i++) bump.u32[h[i]! >>> 2] = (TAG + i) >>> 0;
  sw.start();
  for (let s = 1; s <= rounds; s++) {
    const size = 16 << s;
    for (let i = 0; i < buffers; i++) h[i] = bump.realloc(h[i]!, size);
  }
  sw.stop();
  let badData = 0;
  for (let i = 0; i < buffers; i++) if (bump.u32[h[i]! >>> 2] !== (TAG + i) >>> 0) badData++;
  return { failures: 0, badData, survivors: buffers };
};

const w3Dl = (
  x: DlmallocExports,
  buffers: number,
  rounds: number,
  sw: Stopwatch | undefined,
  meter?: ExtentMeter,
): W3Outcome => {
  const { malloc, realloc } = x;
  const h = handles(buffers);
  let failures = 0;
  sw?.start();
  for (let i = 0; i < buffers; i++) {
    const p = malloc(16);
    if (p === 0) failures++;
    h[i] = p;
  }
  sw?.stop();
  if (meter !== undefined) for (const p of h) meter.track(p);
  writeTags(x.memory, h);
  sw?.start();
  for (let s = 1; s <= rounds; s++) {
    const size = 16 << s;
    for (let i = 0; i < buffers; i++) {
      const p = h[i]!;
      if (p === 0) continue;
      const q = realloc(p, size);
      if (q === 0) failures++;
      h[i] = q;
      meter?.track(q);
    }
  }
  sw?.stop();
  return { failures, ...readTags(x.memory, h) };
};

/** W3 replayed by the module's C loops: the mallocs in one call, the realloc rounds in one more. */
const w3DlC = (
  buffers: number,
  rounds: number,
  sw: Stopwatch | undefined,
  tracking: boolean,
): W3Outcome & { extent: number } => {
  const x = dlmalloc();
  const sizes = copyIn(x, new Float64Array(buffers).fill(16));
  const h = copyIn(x, new Uint32Array(buffers));
  const track = tracking ? 1 : 0;
  sw?.start();
  let failures = x.prefill(sizes, buffers, h, track);
  sw?.stop();
  const handlesOf = () => Array.from(new Uint32Array(x.memory.buffer, h, buffers));
  writeTags(x.memory, handlesOf());
  sw?.start();
  failures += x.realloc_rounds(h, buffers, rounds, track);
  sw?.stop();
  return { failures, ...readTags(x.memory, handlesOf()), extent: x.extent() };
};

/** Writes the tag word of buffer i into the first u32 of each live block `h[i]`. */
const writeTags = (memory: WebAssembly.Memory, h: readonly number[]): void => {
  const u32 = new Uint32Array(memory.buffer);
  h.forEach((p, i) => {
    if (p !== 0) u32[p >>> 2] = (TAG + i) >>> 0;
  });
};

/** Counts the surviving blocks and those whose tag word was lost. */
const readTags = (
  memory: WebAssembly.Memory,
  h: readonly number[],
): { badData: number; survivors: number } => {
  const u32 = new Uint32Array(memory.buffer);
  let badData = 0;
  let survivors = 0;
  h.forEach((p, i) => {
    if (p === 0) return;
    survivors++;
    if (u32[p >>> 2] !== (TAG + i) >>> 0) badData++;
  });
  return { badData, survivors };
};

const w3Gc = (
  buffers: number,
  rounds: number,
  sw: Stopwatch | undefined,
  sample?: () => void,
): W3Outcome => {
  const h = new Array<ArrayBuffer>(buffers);
  sw?.start();
  for (let i = 0; i < buffers; i++) h[i] = new ArrayBuffer(16);
  sw?.stop();
  for (let i = 0; i < buffers; i++) new Uint32Array(h[i]!, 0, 1)[0] = (TAG + i) >>> 0;
  sw?.start();
  for (let s = 1; s <= rounds; s++) {
    const size = 16 << s;
    for (let i = 0; i < buffers; i++) {
      const old = h[i]!;
      const b = new ArrayBuffer(size);
      new Uint8Array(b).set(new Uint8Array(old));
      h[i] = b;
    }
    sample?.();
  }
  sw?.stop();
  let badData = 0;
  for (let i = 0; i < buffers; i++) {
    if (new Uint32Array(h[i]!, 0, 1)[0] !== (TAG + i) >>> 0) badData++;
  }
  return { failures: 0, badData, survivors: buffers };
};

const w3Workload = (p: Params): Workload => {
  const ops = p.w3Buffers * (p.w3Rounds + 1);
  const finalSize = 16 << p.w3Rounds;
  const final = (survivors: number): Measures => ({
    liveBytes: survivors * finalSize,
    liveKind: 'final',
  });
  const outcome = (o: W3Outcome, measures: Measures): RunOutcome => ({
    failures: o.failures,
    badData: o.badData,
    measures: { ...measures, ...final(o.survivors) },
  });

  const heap: Cell = {
    impl: HEAP,
    ops,
    run(sw) {
      const h = Heap.create({ initialBytes: 64 * MiB, maxBytes: HEAP_MAX });
      const o = w3Heap(h, p.w3Buffers, p.w3Rounds, sw);
      h.check();
      return outcome(o, { hwmBytes: h.stats().highWater, hwmKind: 'block area' });
    },
  };

  const dlJs: Cell = {
    impl: DL_JS,
    ops,
    run(sw) {
      return outcome(w3Dl(dlmalloc(), p.w3Buffers, p.w3Rounds, sw), {});
    },
    instrument() {
      const x = dlmalloc();
      const meter = new ExtentMeter(x);
      const o = w3Dl(x, p.w3Buffers, p.w3Rounds, undefined, meter);
      return { hwmBytes: meter.bytes, hwmKind: 'block extent', ...final(o.survivors) };
    },
  };

  const dlC: Cell = {
    impl: DL_C,
    ops,
    run(sw) {
      return outcome(w3DlC(p.w3Buffers, p.w3Rounds, sw, false), {});
    },
    instrument() {
      const o = w3DlC(p.w3Buffers, p.w3Rounds, undefined, true);
      return { hwmBytes: o.extent, hwmKind: 'block extent', ...final(o.survivors) };
    },
  };

  const thing: Cell = {
    impl: THING,
    ops,
    note:
      `${mib(p.w3Pool)} pool: its realloc leaks the old block whenever it moves ` +
      `(allocators.md §1.2), so it needs about twice the final live bytes.`,
    run(sw) {
      const o = w3Thing(new MemPool({ size: p.w3Pool }), p.w3Buffers, p.w3Rounds, sw);
      return { failures: o.failures, badData: o.badData };
    },
    instrument() {
      const pool = new MemPool({ size: p.w3Pool });
      const initial = topOf(pool);
      let top = initial;
      const o = w3Thing(pool, p.w3Buffers, p.w3Rounds, undefined, () => {
        const t = topOf(pool);
        if (t > top) top = t;
      });
      return { hwmBytes: top - initial, hwmKind: 'max top', ...final(o.survivors) };
    },
  };

  const bump: Cell = {
    impl: BUMP,
    ops,
    run(sw) {
      const b = new Bump(p.w3Pool);
      const o = w3Bump(b, p.w3Buffers, p.w3Rounds, sw);
      return outcome(o, { hwmBytes: b.handedOut, hwmKind: 'handed out' });
    },
  };

  const gc: Cell = {
    impl: GC,
    ops,
    run(sw) {
      const o = w3Gc(p.w3Buffers, p.w3Rounds, sw);
      return { failures: o.failures, badData: o.badData };
    },
    instrument() {
      const meter = footprintMeter();
      const o = w3Gc(p.w3Buffers, p.w3Rounds, undefined, meter.sample);
      return { hwmBytes: meter.bytes(), hwmKind: 'footprint', ...final(o.survivors) };
    },
  };

  return {
    name: 'W3',
    title:
      `round-robin doubling realloc: ${n(p.w3Buffers)} buffers malloc(16), then ` +
      `${p.w3Rounds} rounds of realloc to 32 B … ${n(finalSize)} B (${n(ops)} ops)`,
    cells: [heap, dlJs, dlC, thing, bump, gc],
    warmup: 3,
    notes: [
      'Neighbouring buffers block in-place growth, so every realloc moves and copies. A ' +
        'realloc that returns 0 is a failure (fails/run) and its buffer is lost; every ' +
        "surviving buffer's tag word is checked after the run (bad data).",
      `hwm/live is against the final live bytes. ${BUMP}: ${mib(p.w3Pool)} buffer; ` +
        `${HEAP}: Heap.create({ initialBytes: 64 MiB, maxBytes: ${mib(HEAP_MAX)} }).`,
    ],
  };
};

export const suite: Suite = {
  name: 'heap',
  title: `malloc/free/realloc: ${HEAP} vs ${THING}, a bump allocator (the floor) and GC ArrayBuffers`,
  reference: BUMP,
  workloads({ quick }) {
    const p = quick ? QUICK : FULL;
    return [
      churnWorkload('W1', 8, 4096, 1.06, 1.0, p),
      churnWorkload('W2', 16, 64, 1.25, 1.3, p),
      w3Workload(p),
    ];
  },
};
