/**
 * The area suite: malloc/free throughput of an area pool (locked, in shared memory, with its
 * per-worker caches) against the bare heap (unlocked, one thread), and against a shared heap
 * (locked, no cache), on a churn trace: sizes logu(16, 256), 1,000 live blocks per thread, every
 * block tagged at malloc and checked before its free.
 *
 * - `uncontended`: everything in the main thread: the pool against the bare heap (the cost of
 *   the pool's lock, checks and cache when nobody else uses it);
 * - `workers`: the same trace (a seed per worker) replayed by 1, 2 and 4 worker threads at once
 *   on one pool, and on one shared heap; ns/op is time ÷ the ops of all workers (the wall
 *   clock, or under --clock cpu the workers' own clocks: bench/lib/thread-clock.ts), so lower
 *   is more total throughput. The workers live for the whole suite (starting one is never
 *   timed), and every worker is released at the same moment (a shared word).
 *
 * Each implementation has its own loop (bench/lib/area-replay.ts).
 */
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_FULL_LOCK,
  B_READ_AREA,
  B_WRITE_AREA,
  get_module,
  type AreaPool,
} from 'foreign-ts/area';
import { Heap } from 'foreign-ts/heap';
import type { Cell, RunOutcome, Stopwatch, Suite, Target, Workload } from '../harness.js';
import {
  liveFor,
  prefillHeap,
  prefillPool,
  releaseHeap,
  releasePool,
  replayHeap,
  replayPool,
} from '../lib/area-replay.js';
import { Team } from '../lib/area-team.js';
import { ratioTarget, speedupTarget } from '../lib/targets.js';
import { churnTrace } from '../lib/trace.js';

const MiB = 1024 * 1024;
const POOL_BYTES = 64 * MiB;
const LIVE = 1000;

const HEAP = 'Heap';
const POOL = 'pool';
const SHARED = 'shared Heap';
const pool1 = `${POOL} × 1 worker`;
const poolN = (k: number): string => (k === 1 ? pool1 : `${POOL} × ${k} workers`);
const sharedN = (k: number): string => `${SHARED} × ${k} worker${k === 1 ? '' : 's'}`;

const n = (x: number): string => x.toLocaleString('en-US');

const area = get_module(B_AREA_MALLOC_MODULE_NAME)!;

const newPool = (): AreaPool => {
  const pool = area.create_pool(B_ANY_ADDRESS, POOL_BYTES, B_FULL_LOCK, B_READ_AREA | B_WRITE_AREA);
  if (pool === null) throw new Error('area suite: create_pool failed');
  return pool;
};

/** After a run: the pool passes check() and holds no block; deleted. */
const finishPool = (pool: AreaPool): void => {
  pool.check();
  const { liveBlocks } = pool.stats();
  area.delete_pool(pool);
  if (liveBlocks !== 0) throw new Error(`area suite: ${liveBlocks} blocks left in the pool`);
};

const finishHeap = (heap: Heap): void => {
  heap.check();
  const { liveBlocks } = heap.stats();
  if (liveBlocks !== 0) throw new Error(`area suite: ${liveBlocks} blocks left in the heap`);
};

// -------------------------------------------------------------------------------------------
// In the main thread

const mainHeap = (ops: number, shared: boolean): Cell => ({
  impl: shared ? SHARED : HEAP,
  ops,
  run(sw: Stopwatch): RunOutcome {
    const heap = Heap.create({ shared, initialBytes: POOL_BYTES, maxBytes: POOL_BYTES });
    const trace = churnTrace(16, 256, LIVE, ops, 1);
    const live = liveFor(trace);
    prefillHeap(heap, trace, live);
    sw.start();
    replayHeap(heap, trace, ops, live);
    sw.stop();
    releaseHeap(heap, live);
    finishHeap(heap);
    return { failures: live.failures, badData: live.badData };
  },
});

const mainPool = (ops: number): Cell => ({
  impl: POOL,
  ops,
  run(sw: Stopwatch): RunOutcome {
    const pool = newPool();
    const trace = churnTrace(16, 256, LIVE, ops, 1);
    const live = liveFor(trace);
    prefillPool(pool, trace, live);
    sw.start();
    replayPool(pool, trace, ops, live);
    sw.stop();
    releasePool(pool, live);
    finishPool(pool);
    return { failures: live.failures, badData: live.badData };
  },
});

// -------------------------------------------------------------------------------------------
// Worker threads

const teams = new Map<number, Team>();
const team = (k: number): Team => {
  let t = teams.get(k);
  if (t === undefined) {
    t = new Team(k);
    teams.set(k, t);
  }
  return t;
};

const workerPool = (k: number, ops: number): Cell => ({
  impl: poolN(k),
  ops: k * ops,
  run(sw: Stopwatch): RunOutcome {
    const pool = newPool();
    const shared = pool.share();
    const outcome = team(k).run(
      (i) => ({ kind: 'pool', pool: shared, seed: 100 + i, ops, live: LIVE }),
      sw,
    );
    finishPool(pool);
    return outcome;
  },
});

const workerHeap = (k: number, ops: number): Cell => ({
  impl: sharedN(k),
  ops: k * ops,
  run(sw: Stopwatch): RunOutcome {
    const heap = Heap.create({ shared: true, initialBytes: POOL_BYTES, maxBytes: POOL_BYTES });
    const outcome = team(k).run(
      (i) => ({
        kind: 'heap',
        heap: heap.memory.source as SharedArrayBuffer,
        seed: 100 + i,
        ops,
        live: LIVE,
      }),
      sw,
    );
    finishHeap(heap);
    return outcome;
  },
});

// -------------------------------------------------------------------------------------------
// Targets

/** `impl` costs at most `limit` times `reference` per op. */
const within = (impl: string, reference: string, limit: number): Target =>
  ratioTarget(`${impl} within ${limit}x of ${reference}`, impl, reference, limit);

/** `impl` gives at least `factor` times the total throughput of `reference`. */
const throughput = (impl: string, reference: string, factor: number): Target =>
  speedupTarget(
    `${impl}: at least ${factor}x the total throughput of ${reference}`,
    impl,
    reference,
    factor,
  );

// -------------------------------------------------------------------------------------------
// The suite

export const suite: Suite = {
  name: 'area',
  title:
    'area pools: malloc/free throughput, locked shared pool with per-worker caches vs the heap',
  reference: HEAP,
  workloads({ quick }): Workload[] {
    const ops = quick ? 20_000 : 1_000_000;
    const perWorker = quick ? 20_000 : 500_000;
    const uncontended: Workload = {
      name: 'uncontended',
      title: `churn in the main thread, sizes logu(16, 256), ${n(LIVE)} live, ${n(ops)} ops`,
      cells: [mainHeap(ops, false), mainPool(ops), mainHeap(ops, true)],
      interleave: true,
      runs: 9,
      targets: [within(POOL, HEAP, 1.5)],
      notes: [
        `${HEAP}: Heap.create() (unlocked, one thread); ${POOL}: create_pool(B_ANY_ADDRESS, ` +
          `${POOL_BYTES / MiB} MiB, B_FULL_LOCK, B_READ_AREA | B_WRITE_AREA), its lock, checks and ` +
          `cache; ${SHARED}: Heap.create({ shared: true }), its lock around every call.`,
        'Every block carries a tag word written at malloc and checked before its free; after each ' +
          'run every block is freed and check() passes.',
      ],
    };
    const workers: Workload = {
      name: 'workers',
      title:
        `the same churn in 1, 2 and 4 worker threads at once, ${n(perWorker)} ops each ` +
        '(ns/op: time ÷ the ops of all workers; wall clock, or with --clock cpu the workers’ thread clocks)',
      cells: [
        mainHeap(perWorker, false),
        ...[1, 2, 4].map((k) => workerPool(k, perWorker)),
        ...[1, 2, 4].map((k) => workerHeap(k, perWorker)),
      ],
      interleave: true,
      targets: [
        within(pool1, HEAP, 1.5),
        throughput(poolN(2), pool1, 1.3),
        throughput(poolN(4), pool1, 1),
      ],
      notes: [
        `${HEAP} runs in the main thread (the reference: one thread, no lock). The workers are ` +
          'started once for the suite; each run gives every worker a fresh pool (or heap) to ' +
          'attach, a trace of its own, a prefill, then releases all at once.',
        `On a machine with 2 cores, 4 workers share them: the target is only that they do not ` +
          'fall below one worker, as a single lock without caches does.',
        'Under --clock cpu each worker times its replay itself, wall time less its waits for a core ' +
          '(bench/lib/thread-clock.ts); a run takes its slowest worker’s time, and at least the ' +
          'workers’ CPU time over the cores (process CPU time would sum the threads: no throughput ' +
          'gained across workers could show on it).',
      ],
    };
    return [uncontended, workers];
  },
};
