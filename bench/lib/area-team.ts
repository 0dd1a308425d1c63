/**
 * A team of worker threads for the area suite, kept for the whole suite so that starting
 * workers (a second or more each with tsx) is never timed. Each timed run: every worker gets a
 * job by postMessage (attach the pool or heap, build its trace, prefill), says it is ready in a
 * shared word; the main thread starts the stopwatch and releases them all at once; each replays
 * its trace and says it has finished; the main thread stops the stopwatch; the workers free
 * their blocks and detach. The main thread waits with Atomics.wait (a run is synchronous).
 * Each worker also writes the span and CPU time of its replay, by its thread's clock
 * (thread-clock.ts), into its two float64s of the team's `spans`: under the CPU clock the run's
 * time comes from them (`runTime`).
 */
import { Worker } from 'node:worker_threads';
import type { SharedPool } from 'foreign-ts/area';
import type { RunOutcome, Stopwatch } from '../harness.js';
import { runTime } from './thread-clock.js';

/** Words of the team's shared block. */
export const READY = 0;
export const FINISHED = 1;
export const CLEANED = 2;
export const GO = 3;
/** Then per worker: failures, bad data. */
export const RESULTS = 4;

export interface Job {
  readonly kind: 'pool' | 'heap';
  readonly pool?: SharedPool;
  readonly heap?: SharedArrayBuffer;
  readonly seed: number;
  readonly ops: number;
  readonly live: number;
  readonly generation: number;
}

const boot = new URL('./worker-boot.mjs', import.meta.url);
const entry = new URL('./area-worker.ts', import.meta.url).href;
const TIMEOUT_MS = 120_000;

/** Waits until `i32[index]` reaches `value` (or throws after two minutes). */
const waitFor = (i32: Int32Array, index: number, value: number): void => {
  const start = Date.now();
  for (let now = Atomics.load(i32, index); now < value; now = Atomics.load(i32, index)) {
    Atomics.wait(i32, index, now, 100);
    if (Date.now() - start > TIMEOUT_MS)
      throw new Error(`area team: workers did not reach ${value} (word ${index} is ${now})`);
  }
};

export class Team {
  private readonly sync: Int32Array;
  private readonly spans: Float64Array;
  private readonly workers: Worker[] = [];
  private generation = 0;
  private failed: Error | undefined;

  constructor(readonly size: number) {
    this.sync = new Int32Array(new SharedArrayBuffer(4 * (RESULTS + 2 * size)));
    this.spans = new Float64Array(new SharedArrayBuffer(16 * size));
    for (let i = 0; i < size; i++) {
      const worker = new Worker(boot, {
        workerData: { entry, sync: this.sync.buffer, spans: this.spans.buffer, index: i },
      });
      worker.on('error', (e) => {
        this.failed = e;
      });
      worker.unref();
      this.workers.push(worker);
    }
  }

  /**
   * One run: the stopwatch times the replay of every worker (all released at once: by the
   * wall clock from the release to the last one finished, or under the CPU clock the slowest
   * worker's span, `runTime`), and the sums of failures and bad data come back.
   */
  run(job: (i: number) => Omit<Job, 'generation'>, sw: Stopwatch): RunOutcome {
    const s = this.sync;
    const wall = sw.clock === 'wall';
    this.generation += 1;
    this.spans.fill(0);
    for (const word of [READY, FINISHED, CLEANED]) Atomics.store(s, word, 0);
    this.workers.forEach((w, i) => w.postMessage({ ...job(i), generation: this.generation }));
    waitFor(s, READY, this.size);
    this.check();
    if (wall) sw.start();
    Atomics.store(s, GO, this.generation);
    Atomics.notify(s, GO);
    waitFor(s, FINISHED, this.size);
    if (wall) sw.stop();
    else sw.add(runTime(this.spans, this.size));
    waitFor(s, CLEANED, this.size);
    this.check();
    let failures = 0;
    let badData = 0;
    for (let i = 0; i < this.size; i++) {
      failures += s[RESULTS + 2 * i]!;
      badData += s[RESULTS + 2 * i + 1]!;
    }
    return { failures, badData };
  }

  private check(): void {
    if (this.failed !== undefined) throw this.failed;
  }
}
