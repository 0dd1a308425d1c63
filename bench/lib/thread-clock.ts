/**
 * The clock of the worker cells under `--clock cpu` (kernel and area suites): each worker times
 * its own replay by the wall clock less the time its thread spent waiting for a core, and the
 * cell's time is the slowest worker's. That is the wall time the run would take with a free core
 * per worker: unlike the process's CPU time, which sums every thread (two workers that scale
 * perfectly cost exactly as much CPU per op as one, so a throughput ratio read on it is always
 * about 1.0), and unlike the wall clock, which on a shared machine counts the other jobs' turns.
 * Time a worker sleeps (in `Atomics.wait` for a lock another worker holds) still counts: that is
 * contention, the very thing the scaling figures are about.
 *
 * More workers than cores cannot all have one: the cell's time is then at least the CPU time of
 * all its workers over the machine's cores (`runTime`).
 *
 * The times on a core and on a run queue are the first two fields of Linux's
 * `/proc/thread-self/schedstat` (nanoseconds); where it cannot be read the span is the plain
 * wall clock, and the CPU time the span too.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const SCHEDSTAT = '/proc/thread-self/schedstat';

/** Nanoseconds this thread has run on a core and waited on a run queue so far (NaN: unknown). */
const schedstat = (): [number, number] => {
  try {
    const fields = readFileSync(SCHEDSTAT, 'latin1').split(' ');
    return [Number(fields[0]), Number(fields[1])];
  } catch {
    return [NaN, NaN];
  }
};

/** What a worker measured of its replay (nanoseconds). */
export interface Span {
  /** The wall-clock span less the waits for a core. */
  readonly span: number;
  /** The time on a core. */
  readonly cpu: number;
}

/** Whether spans leave out the waits for a core (Linux's schedstat is readable). */
export const threadClockKind = (): 'wall less run-queue waits' | 'wall' => {
  try {
    readFileSync(SCHEDSTAT, 'latin1');
    return 'wall less run-queue waits';
  } catch {
    return 'wall';
  }
};

/** A span of this thread: `start()`, then `stop()` writes it into `out[0..2)` (span, cpu). */
export class ThreadSpan {
  private wall = 0n;
  private onCore = 0;
  private queued = 0;

  start(): void {
    [this.onCore, this.queued] = schedstat();
    this.wall = process.hrtime.bigint();
  }

  stop(out: Float64Array): void {
    const wall = Number(process.hrtime.bigint() - this.wall);
    const [onCore, queued] = schedstat();
    const span = Number.isFinite(queued) ? Math.max(1, wall - (queued - this.queued)) : wall;
    out[0] = span;
    out[1] = Number.isFinite(onCore) ? onCore - this.onCore : span;
  }
}

/**
 * The time of a run of workers that wrote their spans into `spans` (two float64 each: span,
 * cpu): the slowest worker's span, or, with more workers than cores, at least their CPU time
 * over the cores.
 */
export const runTime = (spans: Float64Array, workers: number): number => {
  let slowest = 0;
  let cpu = 0;
  for (let i = 0; i < workers; i++) {
    slowest = Math.max(slowest, spans[2 * i]!);
    cpu += spans[2 * i + 1]!;
  }
  return Math.max(slowest, cpu / Math.min(workers, availableParallelism()));
};
