/**
 * The benchmark harness: suites of workloads, each run by several implementations side by side
 * in one process. A cell (workload × implementation) is warmed up, then timed several times;
 * the timer (`process.hrtime.bigint()`) wraps the op loops only, and `gc()` runs before every
 * run (see `settle`) when Node was started with `--expose-gc`. Figures are medians.
 *
 * To add a suite, see bench/README.md.
 */

/** Options every suite receives. */
export interface SuiteOptions {
  /** A small, fast version of every workload (a smoke run: seconds, not minutes). */
  readonly quick: boolean;
}

/**
 * A suite: workloads, and the implementation every other one is compared with (the `ratio`
 * column is `ns/op ÷ the reference's ns/op`).
 */
export interface Suite {
  readonly name: string;
  readonly title: string;
  /** The `impl` of the reference cell of each workload. */
  readonly reference: string;
  /** Builds the workloads (traces are generated here, before any timing). */
  workloads(options: SuiteOptions): Workload[];
}

/** One workload: the same work done by each cell's implementation. */
export interface Workload {
  readonly name: string;
  /** A one-line description: what the ops are and how many. */
  readonly title: string;
  readonly cells: readonly Cell[];
  /** Lines printed under the table (how to read it, what differs between cells). */
  readonly notes?: readonly string[];
  /** Goals checked on the results and printed as pass/fail markers; never assertions. */
  readonly targets?: readonly Target[];
  /** Untimed runs before the timed ones (default: the harness's `warmup`). */
  readonly warmup?: number;
  /**
   * Timed runs per cell when more than the harness's `runs` (never fewer): cells of tens of
   * nanoseconds per op want more runs for a median that a burst of load does not move.
   * `--quick` keeps the harness's count.
   */
  readonly runs?: number;
  /**
   * Take the timed runs round-robin (run 1 of every cell, then run 2 of every cell, …) after
   * every cell has warmed up, instead of one cell after the other. On a shared machine a burst
   * of load then falls on every cell alike instead of on whichever cell is running, so ratios of
   * cells that take tens of nanoseconds per op hold from one invocation to the next.
   */
  readonly interleave?: boolean;
}

/** Accumulates the time spent between `start()` and `stop()`, and the spans given to `add()`. */
export interface Stopwatch {
  /** What `start()` and `stop()` read (see `HarnessOptions.clock`). */
  readonly clock: 'wall' | 'cpu';
  start(): void;
  stop(): void;
  /**
   * Adds a span measured elsewhere (nanoseconds): a cell of worker threads under the CPU clock,
   * whose workers time themselves (bench/lib/thread-clock.ts), since the process's CPU time
   * sums every thread and so cannot show a throughput gained across them.
   */
  add(ns: number): void;
}

/** Memory figures of a cell. All optional: a cell gives the ones that apply. */
export interface Measures {
  /** The most bytes the implementation used (see `hwmKind` for what is counted). */
  readonly hwmBytes?: number;
  /** What `hwmBytes` counts, such as `block area` or `footprint`. */
  readonly hwmKind?: string;
  /** The live bytes `hwmBytes` is compared with (requested sizes, no overhead). */
  readonly liveBytes?: number;
  /** `peak` (W1/W2: the peak of the live sum) or `final` (the live sum at the end). */
  readonly liveKind?: 'peak' | 'final';
}

/** What one run of a cell reports besides its time. */
export interface RunOutcome {
  /** Operations that failed (an allocation that returned 0). */
  readonly failures?: number;
  /** Data found wrong after the run (a tag word that was not kept). */
  readonly badData?: number;
  readonly measures?: Measures;
}

/** One implementation doing one workload. */
export interface Cell {
  readonly impl: string;
  /** Ops per timed run (ns/op = timed ns ÷ ops). */
  readonly ops: number;
  /** Shown in the table when this cell differs from the others (fewer ops, a bigger pool). */
  readonly note?: string;
  /**
   * One fresh run: set up (untimed), call `sw.start()` / `sw.stop()` around the op loops only,
   * check the result (untimed).
   */
  run(sw: Stopwatch): RunOutcome;
  /** An untimed, instrumented replay for measures that would slow the timed loop down. */
  instrument?(): Measures;
}

/** A goal, evaluated on a workload's results. */
export interface Target {
  /** Such as `foreign-ts within 3x of bump`. */
  readonly label: string;
  /** The cell the target is about (its JSON line carries the verdict). */
  readonly impl: string;
  /** `undefined` when the figures it needs are missing (a cell failed). */
  evaluate(results: ReadonlyMap<string, CellResult>): TargetVerdict | undefined;
}

export interface TargetVerdict {
  readonly pass: boolean;
  /** The measured value, as printed (`1.42x`). */
  readonly value: string;
}

/** The figures of one cell. */
export interface CellResult {
  readonly suite: string;
  readonly workload: string;
  readonly impl: string;
  readonly ops: number;
  readonly runs: number;
  readonly nsPerOp: number;
  readonly nsPerOpMin: number;
  readonly nsPerOpMax: number;
  /** ns/op ÷ the reference implementation's ns/op. */
  readonly ratio?: number;
  readonly reference: string;
  /** Failed operations per run (the largest count over the timed runs). */
  readonly failures: number;
  readonly badData: number;
  readonly measures: Measures;
  readonly note?: string;
  /** Set when the cell threw: its figures are then missing. */
  readonly error?: string;
}

export interface HarnessOptions extends SuiteOptions {
  readonly runs: number;
  readonly warmup: number;
  /**
   * What the stopwatch reads: `wall`, the wall clock (`process.hrtime.bigint()`, the default),
   * or `cpu`, the process's CPU time (`process.cpuUsage()`, user + system, microseconds). On a
   * machine shared with other jobs, CPU time leaves out the time the process waits for a core,
   * which is most of the noise; it counts every thread of the process (the compiler's and the
   * garbage collector's too), so it is for suites that run in one thread; cells of worker
   * threads then time each worker by its own thread's clock (`Stopwatch.add`).
   */
  readonly clock?: 'wall' | 'cpu';
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Whether `gc()` is available (Node started with `--expose-gc`). */
export const gcExposed = gc !== undefined;

const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Collects garbage, then waits (up to 250 ms) until V8's background sweeper has released the
 * ArrayBuffer backing stores it freed, so that the next run starts from a quiet, settled heap
 * and `process.memoryUsage().arrayBuffers` baselines are true. Without `--expose-gc`, nothing.
 */
export const settle = (): void => {
  if (gc === undefined) return;
  gc();
  // A second collection first finishes the sweeping the first one left to V8's background
  // threads, which would otherwise run during the next timed run.
  gc();
  let last = process.memoryUsage().arrayBuffers;
  for (let waited = 0; waited < 250; waited += 5) {
    Atomics.wait(pause, 0, 0, 5);
    const now = process.memoryUsage().arrayBuffers;
    if (now === last) return;
    last = now;
  }
};

/** Nanoseconds of CPU time of this process so far (user + system, microsecond resolution). */
const cpuNs = (): bigint => {
  const { user, system } = process.cpuUsage();
  return BigInt(user + system) * 1000n;
};

class Timer implements Stopwatch {
  ns = 0n;
  private t0 = 0n;
  private running = false;
  private readonly now: () => bigint;
  constructor(readonly clock: 'wall' | 'cpu' = 'wall') {
    this.now = clock === 'cpu' ? cpuNs : process.hrtime.bigint;
  }
  add(ns: number): void {
    if (!(ns > 0) || !Number.isFinite(ns)) throw new Error(`Stopwatch.add(${ns}): not a span`);
    this.ns += BigInt(Math.round(ns));
  }
  start(): void {
    this.running = true;
    this.t0 = this.now();
  }
  stop(): void {
    const t1 = this.now();
    if (!this.running) throw new Error('Stopwatch.stop() without start()');
    this.ns += t1 - this.t0;
    this.running = false;
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
};

/** The timed runs of one cell so far, and the error that ended them, if one did. */
class CellRuns {
  readonly perOp: number[] = [];
  failures = 0;
  badData = 0;
  measures: Measures = {};
  last: Measures = {};
  error?: string;

  constructor(
    readonly workload: Workload,
    readonly cell: Cell,
    readonly options: HarnessOptions,
  ) {}

  /** The instrumented replay, then the warm-up runs. */
  prepare(): void {
    this.attempt(() => {
      settle();
      this.measures = this.cell.instrument?.() ?? {};
      for (let i = 0; i < (this.workload.warmup ?? this.options.warmup); i++) {
        settle();
        this.cell.run(new Timer(this.options.clock));
      }
    });
  }

  /** One timed run (nothing once the cell has failed). */
  timed(): void {
    this.attempt(() => {
      settle();
      const timer = new Timer(this.options.clock);
      const outcome = this.cell.run(timer);
      if (timer.ns === 0n) throw new Error(`${this.cell.impl}: run() never started the stopwatch`);
      this.perOp.push(Number(timer.ns) / this.cell.ops);
      this.failures = Math.max(this.failures, outcome.failures ?? 0);
      this.badData = Math.max(this.badData, outcome.badData ?? 0);
      this.last = outcome.measures ?? {};
    });
  }

  private attempt(f: () => void): void {
    if (this.error !== undefined) return;
    try {
      f();
    } catch (e) {
      this.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
    }
  }

  result(suite: Suite): CellResult {
    const { cell } = this;
    const base = {
      suite: suite.name,
      workload: this.workload.name,
      impl: cell.impl,
      ops: cell.ops,
      reference: suite.reference,
      ...(cell.note === undefined ? {} : { note: cell.note }),
    };
    if (this.error !== undefined) {
      return {
        ...base,
        runs: 0,
        nsPerOp: NaN,
        nsPerOpMin: NaN,
        nsPerOpMax: NaN,
        failures: 0,
        badData: 0,
        measures: {},
        error: this.error,
      };
    }
    const perOp = this.perOp;
    return {
      ...base,
      runs: perOp.length,
      nsPerOp: median(perOp),
      nsPerOpMin: Math.min(...perOp),
      nsPerOpMax: Math.max(...perOp),
      failures: this.failures,
      badData: this.badData,
      measures: { ...this.last, ...this.measures },
    };
  }
}

/** Runs one cell: warm-up runs, the instrumented replay, then timed runs. */
export const runCell = (
  suite: Suite,
  workload: Workload,
  cell: Cell,
  options: HarnessOptions,
): CellResult => {
  const runs = new CellRuns(workload, cell, options);
  runs.prepare();
  for (let i = 0; i < timedRuns(workload, options); i++) runs.timed();
  return runs.result(suite);
};

/** The timed runs of each cell of `workload` (see `Workload.runs`). */
const timedRuns = (workload: Workload, options: HarnessOptions): number =>
  options.quick ? options.runs : Math.max(options.runs, workload.runs ?? 0);

/** Runs the cells of a workload round-robin (see `Workload.interleave`). */
const runInterleaved = (
  suite: Suite,
  workload: Workload,
  options: HarnessOptions,
  onCell: (result: CellResult) => void,
): CellResult[] => {
  const all = workload.cells.map((cell) => new CellRuns(workload, cell, options));
  for (const runs of all) runs.prepare();
  for (let i = 0; i < timedRuns(workload, options); i++) for (const runs of all) runs.timed();
  return all.map((runs) => {
    const result = runs.result(suite);
    onCell(result);
    return result;
  });
};

/** A workload's results, with ratios against the suite's reference filled in. */
export interface WorkloadResult {
  readonly workload: Workload;
  readonly results: readonly CellResult[];
  readonly verdicts: ReadonlyArray<{ readonly target: Target; readonly verdict?: TargetVerdict }>;
}

/** Runs every cell of a workload, then the ratios and targets. */
export const runWorkload = (
  suite: Suite,
  workload: Workload,
  options: HarnessOptions,
  onCell: (result: CellResult) => void = () => {},
): WorkloadResult => {
  const raw =
    workload.interleave === true
      ? runInterleaved(suite, workload, options, onCell)
      : workload.cells.map((cell) => {
          const result = runCell(suite, workload, cell, options);
          onCell(result);
          return result;
        });
  const reference = raw.find((r) => r.impl === suite.reference && r.error === undefined);
  const results = raw.map((r) =>
    reference === undefined || r.error !== undefined
      ? r
      : { ...r, ratio: r.nsPerOp / reference.nsPerOp },
  );
  const byImpl = new Map(results.map((r) => [r.impl, r]));
  const verdicts = (workload.targets ?? []).map((target) => {
    const verdict = target.evaluate(byImpl);
    return verdict === undefined ? { target } : { target, verdict };
  });
  return { workload, results, verdicts };
};
