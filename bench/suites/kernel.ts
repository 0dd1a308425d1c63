/**
 * The kernel suite: FreeBSD malloc(9) of `foreign-ts/kernel` — typed malloc/free with per-CPU
 * statistics over UMA zones with per-CPU buckets — against the bare heap it is built on, on the
 * churn traces of allocators.md §3.2 (W2: sizes logu(16, 64); W1: logu(8, 4096); 10 000 live
 * blocks, 1 000 000 ops), and the scaling of two workers on first-touch domains of their own
 * against one worker doing the same work.
 *
 * Each implementation has its own copy of the replay loop (see bench/README.md).
 */
import { MessageChannel, Worker } from 'node:worker_threads';
import { Heap } from 'foreign-ts/heap';
import {
  MALLOC_DEFINE,
  M_WAITOK,
  boot,
  check,
  malloc,
  memstat_malloc,
  type MallocType,
} from 'foreign-ts/kernel';
import type { Cell, Stopwatch, Suite, Workload } from '../harness.js';
import { heapOps } from '../lib/heap-ops.js';
import { kernelOps } from '../lib/kernel-ops.js';
import type { KernelWorkerJob } from '../lib/kernel-worker.js';
import { ratioTarget, speedupTarget } from '../lib/targets.js';
import { runTime } from '../lib/thread-clock.js';
import { churnTrace, type ChurnTrace } from '../lib/trace.js';

const MiB = 1024 * 1024;
const HEAP = 'Heap';
const KERNEL = 'kernel malloc/free';
const ONE = 'kernel, 1 worker';
const TWO = 'kernel, 2 workers';

const n = (x: number): string => x.toLocaleString('en-US');

const handles = (length: number): number[] => new Array<number>(length).fill(0);

// ---------------------------------------------------------------------------------------------
// W1, W2 in this thread: one loop per implementation.

const churnHeap = (heap: Heap, t: ChurnTrace, sw: Stopwatch): number => {
  const live = handles(t.maxLive + 1);
  let count = 0;
  for (const size of t.prefill) live[count++] = heap.malloc(size);
  sw.start();
  const failures = heapOps(heap, t.ops, t.ops.length, live, count);
  sw.stop();
  return failures;
};

const churnKernel = (type: MallocType, t: ChurnTrace, sw: Stopwatch): number => {
  const live = handles(t.maxLive + 1);
  let count = 0;
  for (const size of t.prefill) live[count++] = malloc(size, type, M_WAITOK);
  sw.start();
  const left = kernelOps(type, t.ops, t.ops.length, live, count);
  sw.stop();
  return left;
};

const churnWorkload = (
  name: string,
  minSize: number,
  maxSize: number,
  limit: number,
  ops: number,
): Workload => {
  const trace = churnTrace(minSize, maxSize, 10_000, ops);
  const heap: Cell = {
    impl: HEAP,
    ops,
    run(sw) {
      const h = Heap.create({ initialBytes: 64 * MiB, maxBytes: 1024 * MiB });
      const failures = churnHeap(h, trace, sw);
      h.check();
      return { failures };
    },
  };
  const kernel: Cell = {
    impl: KERNEL,
    ops,
    run(sw) {
      const k = boot({ domainBytes: 256 * MiB, initialBytes: 64 * MiB });
      const type = MALLOC_DEFINE(k, 'bench');
      const live = churnKernel(type, trace, sw);
      check(k);
      const stats = memstat_malloc(k).find((s) => s.name === 'bench')!;
      const badData =
        stats.count === BigInt(live) && stats.numallocs === trace.prefill.length + trace.mallocs
          ? 0
          : 1;
      return { badData };
    },
  };
  return {
    name,
    title:
      `churn, sizes logu(${minSize}, ${maxSize}), 10,000 live, ${n(ops)} ops (${n(trace.mallocs)} mallocs, ` +
      `${n(trace.frees)} frees; mean request ${trace.meanRequest.toFixed(1)} B)`,
    cells: [heap, kernel],
    interleave: true,
    targets: [ratioTarget(`${KERNEL} within ${limit.toFixed(1)}x of ${HEAP}`, KERNEL, HEAP, limit)],
    notes: [
      `${HEAP}: Heap.create({ initialBytes: 64 MiB }), malloc(n) / free(p); heap.check() after every run.`,
      `${KERNEL}: boot() (one domain, not shared), one malloc type, malloc(n, type, M_WAITOK) / free(p, type): ` +
        'zones, per-CPU buckets and per-type statistics; check(kernel) and the type’s statistics verified after every run.',
    ],
  };
};

// ---------------------------------------------------------------------------------------------
// Scaling: workers over shared memory, driven through a control word.

/** A pool of workers kept for the suite's life (started on first use, unref'd). */
class Pool {
  private readonly control = new SharedArrayBuffer(32);
  private readonly words = new Int32Array(this.control);
  /** Each worker's span and CPU time of its last timed replay, by its thread's clock (thread-clock.ts). */
  private readonly spans: Float64Array;
  private readonly ports: import('node:worker_threads').MessagePort[] = [];

  constructor(size: number) {
    this.spans = new Float64Array(new SharedArrayBuffer(16 * size));
    const boot = new URL('../../test/support/worker-boot.mjs', import.meta.url);
    const entry = new URL('../lib/kernel-worker.ts', import.meta.url).href;
    for (let i = 0; i < size; i++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(boot, {
        workerData: {
          entry,
          control: this.control,
          spans: this.spans.buffer,
          index: i,
          port: port2,
        },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      this.ports.push(port1);
    }
  }

  private waitFor(index: number, value: number): void {
    for (let v = Atomics.load(this.words, index); v < value; v = Atomics.load(this.words, index)) {
      Atomics.wait(this.words, index, v, 1000);
    }
  }

  /**
   * Runs the jobs (one per worker), timing from the start signal to the last done; under the CPU
   * clock, the workers' own spans instead (thread-clock.ts, `runTime`).
   */
  run(jobs: KernelWorkerJob[], sw: Stopwatch): number {
    const w = this.words;
    this.spans.fill(0);
    Atomics.store(w, 1, 0);
    Atomics.store(w, 3, 0);
    Atomics.store(w, 4, 0);
    Atomics.store(w, 5, 0);
    jobs.forEach((job, i) => this.ports[i]!.postMessage(job));
    Atomics.add(w, 0, 1);
    Atomics.notify(w, 0);
    this.waitFor(1, jobs.length);
    const wall = sw.clock === 'wall';
    if (wall) sw.start();
    Atomics.add(w, 2, 1);
    Atomics.notify(w, 2);
    this.waitFor(3, jobs.length);
    if (wall) sw.stop();
    else sw.add(runTime(this.spans, jobs.length));
    this.waitFor(5, jobs.length);
    return Atomics.load(w, 4);
  }
}

let pool: Pool | undefined;

const scalingWorkload = (opsPerWorker: number): Workload => {
  const live = 10_000;
  const job = (
    kind: 'kernel' | 'heap',
    memory: SharedArrayBuffer,
    domain: number,
    seed: number,
  ): KernelWorkerJob => ({
    kind,
    memory,
    domain,
    ops: opsPerWorker,
    live,
    seed,
  });
  const kernelCell = (impl: string, workers: number): Cell => ({
    impl,
    ops: opsPerWorker * workers,
    run(sw) {
      pool ??= new Pool(2);
      const k = boot({
        shared: true,
        domains: workers,
        domainBytes: 128 * MiB,
        initialBytes: 16 * MiB,
      });
      MALLOC_DEFINE(k, 'bench');
      const memory = k.memory.source as SharedArrayBuffer;
      const failures = pool.run(
        Array.from({ length: workers }, (_, d) => job('kernel', memory, d, 42 + d)),
        sw,
      );
      check(k);
      const stats = memstat_malloc(k).find((s) => s.name === 'bench')!;
      return { failures, badData: stats.count === 0n ? 0 : 1 };
    },
  });
  const heapCell: Cell = {
    impl: HEAP,
    ops: opsPerWorker,
    run(sw) {
      pool ??= new Pool(2);
      const heap = Heap.create({ shared: true, initialBytes: 16 * MiB, maxBytes: 1024 * MiB });
      const failures = pool.run([job('heap', heap.memory.source as SharedArrayBuffer, 0, 42)], sw);
      heap.check();
      return { failures, badData: heap.stats().liveBlocks === 0 ? 0 : 1 };
    },
  };
  return {
    name: 'scaling',
    title:
      `workers, each replaying its own W2 churn (logu(16, 64), ${n(live)} live, ${n(opsPerWorker)} ops per worker); ` +
      'ns/op = time ÷ ops of all workers (wall clock; --clock cpu: the slowest worker by its thread clock)',
    cells: [heapCell, kernelCell(ONE, 1), kernelCell(TWO, 2)],
    interleave: true,
    targets: [
      speedupTarget(
        `${TWO} (own first-touch domains) at least 1.6x the throughput of ${ONE}`,
        TWO,
        ONE,
        1.6,
        (s) => `${s.toFixed(2)}x the throughput`,
      ),
    ],
    notes: [
      `${HEAP}: one worker on a shared Heap (a lock per operation).`,
      `${ONE} / ${TWO}: boot({ shared: true, domains: 1 | 2 }); each worker attaches with its own home domain and ` +
        'runs malloc(n, type, M_WAITOK) / free(p, type) on its own blocks. The workers stay up between runs; ' +
        'timing runs from the start signal to the last worker done. Under --clock cpu each worker times its ' +
        'replay itself, wall time less its waits for a core (bench/lib/thread-clock.ts), and the slowest ' +
        'counts: the process CPU time sums the threads, so on it two workers could never show more ' +
        'throughput than one. By the wall clock, a machine with fewer free cores than workers cannot scale.',
    ],
  };
};

export const suite: Suite = {
  name: 'kernel',
  title: `FreeBSD malloc(9) (foreign-ts/kernel) vs the bare ${HEAP}, and its scaling over workers`,
  reference: HEAP,
  workloads({ quick }) {
    const ops = quick ? 50_000 : 1_000_000;
    return [
      churnWorkload('W2', 16, 64, 1.0, ops),
      churnWorkload('W1', 8, 4096, 1.5, ops),
      scalingWorkload(quick ? 50_000 : 1_000_000),
    ];
  },
};
