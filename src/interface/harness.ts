/**
 * The out-of-memory harness for users' own tests, after SQLite's: run a program once to count
 * its allocation points, then once per point with that allocation failing, and once with every
 * allocation from that point on failing; after each run check that nothing leaked, that the
 * allocator is consistent, and that the failure surfaced as the program's contract says.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import { Heap, type StackOptions } from '../heap/index.js';
import type { BackedInterface } from './backed-interface.js';
import { NO_CALL_SITE, siteText, type CallSite } from './call-site.js';
import type { Context } from './context.js';
import { isThenable } from './thenable.js';
import { failingInterface, type AllocationRequest, type FailingInterface } from './failing.js';
import { heapInterface } from './heap-interface.js';
import { contextWithInterface } from './interface-door.js';
import {
  trackingInterface,
  type LiveBlock,
  type ReportOptions,
  type TrackingInterface,
} from './tracking.js';

/**
 * How one run of a program ended: it returned `value` (a promise's value, awaited), or it threw
 * (or its promise rejected with) `error`.
 *
 * @category model
 * @since 0.1.0
 */
export type Outcome =
  | { readonly threw: false; readonly value: unknown }
  | { readonly threw: true; readonly error: unknown };

/**
 * What a program does when an allocation fails: `'nullPtr'` it returns `nullPtr` (0);
 * `'left'` it returns a `Left` whose value is an `AllocationError`; `'throw'` it throws an
 * `AllocationError` (both recognised by the error's `name`, so that a copy of the library in
 * another bundle counts); or a predicate over the {@link Outcome} that says whether it is right.
 *
 * @category model
 * @since 0.1.0
 */
export type Contract = 'nullPtr' | 'left' | 'throw' | ((outcome: Outcome) => boolean);

/**
 * The options of {@link oomTest}.
 *
 * @category model
 * @since 0.1.0
 */
export interface OomOptions {
  /** How the program reports a failed allocation. */
  readonly contract: Contract;
  /**
   * A fresh allocator for each run (default: `heapInterface(Heap.create())`): a `heapInterface`,
   * `kernelInterface` or `areaInterface`, or any {@link BackedInterface}.
   */
  readonly base?: () => BackedInterface;
  /** The options of each run's alloca stack. */
  readonly stack?: StackOptions;
}

/**
 * One way a run broke the rules: a block left live (`'leak'`), an allocator that fails its check
 * (`'corruption'`), or a failure that did not surface as the contract says (`'contract'`).
 *
 * @category model
 * @since 0.1.0
 */
export interface OomProblem {
  /** The failed allocation point (from 1); 0 for the run in which nothing failed. */
  readonly point: number;
  /** `'none'`: nothing failed; `'nth'`: that point only; `'from'`: it and every one after. */
  readonly mode: 'none' | 'nth' | 'from';
  readonly kind: 'leak' | 'corruption' | 'contract';
  /** The call site of the allocation that failed ({@link NO_CALL_SITE} for point 0). */
  readonly site: CallSite;
  /** What went wrong, in words. */
  readonly message: string;
  /** The blocks left live (for a leak; empty otherwise). */
  readonly leaks: readonly LiveBlock[];
}

/**
 * What {@link oomTest} found.
 *
 * @category model
 * @since 0.1.0
 */
export interface OomReport {
  /** Allocation points of the program (allocations of the run in which nothing failed). */
  readonly points: number;
  /** Runs made: 1 + 2 × points. */
  readonly runs: number;
  /** Every rule broken, in the order of the runs. */
  readonly problems: readonly OomProblem[];
  /** No problem. */
  readonly ok: boolean;
  /** The report as text: a summary line, then one line per problem. */
  text(options?: ReportOptions): string;
}

const CALL = 'oomTest';

/**
 * What a program under {@link oomTest} is given besides its context: a way to put contexts of
 * its own under the run's failure rule and checks.
 *
 * @category model
 * @since 0.1.0
 */
export interface OomRun {
  /**
   * A context over `source` — a heap of the program's own, or an allocator of its own as a
   * {@link BackedInterface} (a wasm module's `malloc`, as `setModuleContextHook`'s hook is
   * given it) — whose allocations are allocation points of this run, counted with the others
   * in the order they happen and failed by the same rule; after the run its alloca stack is
   * given back, and its leaks and `check()` (the heap's, or the interface's) are checked as the
   * run context's are. Throws a `TypeError` naming `contextOf` when `source` is neither.
   */
  contextOf(source: Heap | BackedInterface, stack?: StackOptions): Context;
}

type Program = (ctx: Context, run: OomRun) => unknown;

/** Runs `program` over `ctx`: how it ended. */
const outcomeOf = async (program: Program, ctx: Context, run: OomRun): Promise<Outcome> => {
  try {
    let value = program(ctx, run);
    if (isThenable(value)) value = await value;
    return { threw: false, value };
  } catch (error) {
    return { threw: true, error };
  }
};

const isAllocationError = (e: unknown): boolean =>
  e instanceof Error && e.name === 'AllocationError';

/** Whether `outcome` is what `contract` says a failed allocation gives. */
const honours = (contract: Contract, outcome: Outcome): boolean => {
  if (typeof contract === 'function') return contract(outcome) === true;
  if (contract === 'throw') return outcome.threw && isAllocationError(outcome.error);
  if (outcome.threw) return false;
  if (contract === 'nullPtr') return outcome.value === 0;
  const v = outcome.value as { _tag?: unknown; left?: unknown } | null;
  return typeof v === 'object' && v !== null && v._tag === 'Left' && isAllocationError(v.left);
};

/** Plain data equal: primitives by `Object.is`, arrays and plain objects member by member. */
const same = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const p = Object.getPrototypeOf(a);
  if (p !== Object.prototype && p !== Array.prototype) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
};

/** Whether `o` is what the run without failure gave: the program recovered (a benign failure). */
const recovered = (o: Outcome, clean: Outcome | undefined): boolean =>
  clean !== undefined && !o.threw && !clean.threw && same(o.value, clean.value);

const describeOutcome = (o: Outcome): string =>
  o.threw
    ? `it threw ${o.error instanceof Error ? `${o.error.name}: ${o.error.message}` : showValue(o.error)}`
    : `it returned ${showValue(o.value)}`;

const CONTRACT_WORDS = {
  nullPtr: 'return nullPtr',
  left: 'return a Left of an AllocationError',
  throw: 'throw an AllocationError',
} as const;

const checkOptions = (options: OomOptions): Required<OomOptions> => {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${CALL}: options ${showValue(options)} is not an object`);
  }
  const { contract, base, stack } = options;
  if (
    typeof contract !== 'function' &&
    !(
      typeof contract === 'string' && Object.prototype.hasOwnProperty.call(CONTRACT_WORDS, contract)
    )
  ) {
    throw new TypeError(
      `${CALL}: options.contract ${showValue(contract)} is not 'nullPtr', 'left', 'throw' or a function`,
    );
  }
  if (base !== undefined && typeof base !== 'function') {
    throw new TypeError(`${CALL}: options.base ${showValue(base)} is not a function`);
  }
  return {
    contract,
    base: base ?? (() => heapInterface(Heap.create())),
    stack: stack ?? {},
  };
};

const isBacked = (b: unknown): b is BackedInterface =>
  typeof b === 'object' &&
  b !== null &&
  typeof (b as Partial<BackedInterface>).check === 'function' &&
  !!(b as Partial<BackedInterface>).memory;

/** The base of one run, checked. */
const baseOf = (make: () => BackedInterface): BackedInterface => {
  const b = make() as unknown;
  if (!isBacked(b)) {
    throw new TypeError(
      `${CALL}: options.base() returned ${showValue(b)}, not an interface with memory and check()`,
    );
  }
  return b;
};

/** The base of a context of the program's own: `source`'s, checked. */
const ownBaseOf = (source: unknown): BackedInterface => {
  if (source instanceof Heap) return heapInterface(source);
  if (isBacked(source)) return source;
  throw new TypeError(
    `contextOf: ${showValue(source)} is not a Heap or an interface with memory and check()`,
  );
};

interface Run {
  readonly outcome: Outcome;
  readonly allocations: number;
  readonly failures: number;
  readonly site: CallSite;
  readonly problems: OomProblem[];
}

/** One allocator of a run: its base, the tracking and failing interfaces over it, its context. */
interface Part {
  readonly base: BackedInterface;
  readonly tracking: TrackingInterface;
  readonly failing: FailingInterface;
  readonly ctx: Context;
}

/** The checks after a run of one part: its stack given back, no block live, a sound allocator. */
const checkPart = (
  p: Part,
  problem: (kind: OomProblem['kind'], m: string, l?: LiveBlock[]) => void,
) => {
  try {
    p.ctx.stack.dispose();
  } catch (e) {
    problem(
      'leak',
      `an alloca scope was left open (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (p.tracking.live > 0) {
    const leaks = p.tracking.leaks();
    const bytes = leaks.reduce((n, b) => n + b.size, 0);
    problem('leak', `${leaks.length} block(s), ${bytes} byte(s) left live`, leaks);
  }
  try {
    p.base.check();
  } catch (e) {
    problem(
      'corruption',
      `the allocator fails its check: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
};

/** One run of `program` with the allocations `fails` picks failing; what it broke. */
const runOnce = async (
  program: Program,
  o: Required<OomOptions>,
  point: number,
  mode: OomProblem['mode'],
  clean?: Outcome,
): Promise<Run> => {
  let ordinal = 0; // over every part of the run, in the order they allocate
  let site = NO_CALL_SITE;
  const rule = {
    when: (r: AllocationRequest) => {
      ordinal += 1;
      if (ordinal === point) site = { line: r.line, file: r.file, func: r.func };
      return mode === 'nth' ? ordinal === point : mode === 'from' && ordinal >= point;
    },
  };
  const parts: Part[] = [];
  const part = (base: BackedInterface, stack: StackOptions): Context => {
    const tracking = trackingInterface(base);
    const failing = failingInterface(tracking, rule);
    const ctx = contextWithInterface(base.memory, failing, stack);
    parts.push({ base, tracking, failing, ctx });
    return ctx;
  };
  const ctx = part(baseOf(o.base), o.stack);
  const run: OomRun = {
    contextOf: (source, stack = o.stack) => part(ownBaseOf(source), stack),
  };
  const outcome = await outcomeOf(program, ctx, run);
  const failures = parts.reduce((n, p) => n + p.failing.failures, 0);
  const problems: OomProblem[] = [];
  const problem = (kind: OomProblem['kind'], message: string, leaks: LiveBlock[] = []) =>
    problems.push({ point, mode, kind, site, message, leaks });
  if (failures > 0 && !honours(o.contract, outcome) && !recovered(outcome, clean)) {
    const want =
      typeof o.contract === 'function' ? 'honour its contract' : CONTRACT_WORDS[o.contract];
    problem(
      'contract',
      `the failure did not surface: it should ${want}, but ${describeOutcome(outcome)}`,
    );
  } else if (failures === 0 && outcome.threw) {
    problem('contract', `no allocation failed, yet ${describeOutcome(outcome)}`);
  }
  for (const p of parts) checkPart(p, problem);
  return { outcome, allocations: ordinal, failures, site, problems };
};

const textOf = (
  points: number,
  runs: number,
  problems: readonly OomProblem[],
  opts: ReportOptions,
): string => {
  if (typeof opts !== 'object' || opts === null) {
    throw new TypeError(`text: options ${showValue(opts)} is not an object`);
  }
  const basename = opts.basename === true;
  const head = `${points} allocation point(s), ${runs} run(s): ${problems.length === 0 ? 'ok' : `${problems.length} problem(s)`}`;
  const lines = problems.map((p) => {
    const at =
      p.mode === 'none'
        ? 'with no failure'
        : `point ${p.point} (${p.mode === 'nth' ? 'only it fails' : 'it and all after fail'}) at ${siteText(p.site, basename)}`;
    const where = p.leaks.map(
      (b) => `\n      allocated at ${siteText(b, basename)}, ${b.size} byte(s)`,
    );
    return `  ${at}: ${p.kind}: ${p.message}${where.join('')}`;
  });
  return `${[head, ...lines].join('\n')}\n`;
};

/**
 * Tests `program`'s handling of failed allocations, as SQLite's out-of-memory tests do. Each run
 * gets a fresh allocator (`options.base()`, a new heap by default) and a context over it, made
 * with `contextWithInterface` over a tracking and a failure-injecting interface: the program
 * allocates through that context (`foreign(ctx)`) and must give back everything it allocated
 * before it returns (or its promise settles). A program that also allocates in heaps of its own
 * (or through allocators of its own, such as a wasm module's `malloc`) puts them under the run
 * with its second argument's `run.contextOf(heap)` (`run.contextOf(allocator)`): their
 * allocations are points of the same count, failed by the same rule, and checked after the run
 * as well.
 *
 * The first run fails nothing and counts the program's allocation points (its allocations,
 * alloca spills and regions included). Then, for each point, one run in which that allocation
 * fails, and one in which it and every allocation after it fail. After each run: the alloca
 * stack is given back (an open `alloca` scope is a leak), no block the program allocated may be
 * live, the allocator must pass its `check()`, and, when an allocation failed, the outcome must
 * be what `options.contract` says; when none failed, the program must not throw. A run in which
 * the point was not reached (a program that allocates less on another path) checks leaks and
 * consistency only. A run that returns what the run without failure returned (plain data, equal
 * member by member) has recovered, and honours any contract: a benign failure, as SQLite calls
 * it (the alloca stack whose region cannot be had spills instead; a program that retries).
 *
 * Resolves to the report: points, runs, and every problem with the call site of the failed
 * allocation and, for a leak, of each block left live. It never rejects for the program's
 * faults (they are problems); it rejects with a `TypeError` naming `oomTest` for a `program`
 * that is not a function, bad `options`, or a `base()` that returns no {@link BackedInterface}.
 *
 * @category harness
 * @since 0.1.0
 */
export const oomTest = async (program: Program, options: OomOptions): Promise<OomReport> => {
  if (typeof program !== 'function') {
    throw new TypeError(`${CALL}: program ${showValue(program)} is not a function`);
  }
  const o = checkOptions(options);
  const first = await runOnce(program, o, 0, 'none');
  const problems = [...first.problems];
  const points = first.allocations;
  for (let point = 1; point <= points; point++) {
    for (const mode of ['nth', 'from'] as const) {
      problems.push(...(await runOnce(program, o, point, mode, first.outcome)).problems);
    }
  }
  const runs = 1 + 2 * points;
  return {
    points,
    runs,
    problems,
    ok: problems.length === 0,
    text: (opts: ReportOptions = {}) => textOf(points, runs, problems, opts),
  };
};
