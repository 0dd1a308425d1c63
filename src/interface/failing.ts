/**
 * A failure-injecting memory interface: it makes chosen allocations fail (return 0) and passes
 * every other call on, to test that a program's handling of a failed allocation is right.
 *
 * @since 0.1.0
 */
import { checkSize, showValue } from '../arguments/index.js';
import { checkBase } from './base.js';
import { hookOf } from './checks.js';
import type { ALLEGRO_MEMORY_INTERFACE } from './memory-interface.js';

/**
 * One allocation, as a {@link FailureRule}'s predicate sees it: which hook, its number among the
 * allocations so far (from 1), its arguments and its call site.
 *
 * @category model
 * @since 0.1.0
 */
export interface AllocationRequest {
  readonly hook: 'mi_malloc' | 'mi_calloc' | 'mi_realloc';
  /** 1 for the first allocation the interface saw, 2 for the second, … */
  readonly ordinal: number;
  /** The size (`mi_calloc`: of one element). */
  readonly n: number;
  /** `mi_calloc`'s count; 1 otherwise. */
  readonly count: number;
  /** `mi_realloc`'s block; 0 otherwise. */
  readonly ptr: number;
  readonly line: number;
  readonly file: string;
  readonly func: string;
}

/**
 * Which allocations fail: `{ nth }` the n-th only; `{ from }` the n-th and every one after it
 * (SQLite's "persistent" failure); `{ when }` those the predicate picks.
 *
 * @category model
 * @since 0.1.0
 */
export type FailureRule =
  | { readonly nth: number | bigint }
  | { readonly from: number | bigint }
  | { readonly when: (request: AllocationRequest) => boolean };

/**
 * A failure-injecting interface: {@link ALLEGRO_MEMORY_INTERFACE} plus what it has seen.
 *
 * @category model
 * @since 0.1.0
 */
export interface FailingInterface extends ALLEGRO_MEMORY_INTERFACE {
  /** Allocations seen so far (the ordinal of the last one). */
  readonly allocations: number;
  /** Allocations it made fail. */
  readonly failures: number;
}

const CALL = 'failingInterface';

/** The rule as a predicate over the ordinal and the request. */
const pickerOf = (rule: FailureRule): ((r: AllocationRequest) => boolean) => {
  const o = rule as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null) {
    throw new TypeError(`${CALL}: rule ${showValue(rule)} is not { nth }, { from } or { when }`);
  }
  const keys = ['nth', 'from', 'when'].filter((k) => k in o);
  if (keys.length !== 1) {
    throw new TypeError(
      `${CALL}: rule must have exactly one of nth, from, when (got ${keys.length})`,
    );
  }
  if ('when' in o) {
    const when = o.when;
    if (typeof when !== 'function') {
      throw new TypeError(`${CALL}: rule.when ${showValue(when)} is not a function`);
    }
    return (r) => when(r) === true;
  }
  const key = keys[0]!;
  const n = checkSize(CALL, `rule.${key}`, o[key]);
  if (n === 0) throw new RangeError(`${CALL}: rule.${key} counts from 1, got 0`);
  return key === 'nth' ? (r) => r.ordinal === n : (r) => r.ordinal >= n;
};

/**
 * An interface that makes the allocations `rule` picks return 0 without reaching `base`, and
 * passes every other call (frees included) to `base`. An allocation is a call of `mi_malloc`,
 * `mi_calloc`, or `mi_realloc` with `n > 0` (`mi_realloc(p, 0)` frees and is never failed);
 * a failed `mi_realloc` leaves its block as it was. A `when` predicate that returns anything but
 * `true` lets the allocation through; one that throws throws from the allocation (nothing is
 * allocated). It asks for call sites when `base` does or the rule is a predicate. Throws a
 * `TypeError` naming `failingInterface` for a bad `base` or rule, a `RangeError` for an ordinal
 * that is not a positive safe integer.
 *
 * @category ready interfaces
 * @since 0.1.0
 */
export const failingInterface = (
  base: ALLEGRO_MEMORY_INTERFACE,
  rule: FailureRule,
): FailingInterface => {
  const b = checkBase(CALL, base);
  const fails = pickerOf(rule);
  let allocations = 0;
  let failures = 0;
  const failing = (
    hook: AllocationRequest['hook'],
    n: number,
    count: number,
    ptr: number,
    line: number,
    file: string,
    func: string,
  ): boolean => {
    allocations += 1;
    const request = { hook, ordinal: allocations, n, count, ptr, line, file, func };
    if (!fails(request)) return false;
    failures += 1;
    return true;
  };
  return {
    callSites: b.callSites !== false || 'when' in rule,
    get allocations() {
      return allocations;
    },
    get failures() {
      return failures;
    },
    mi_malloc(n, line, file, func) {
      if (failing('mi_malloc', n, 1, 0, line, file, func)) return 0;
      return hookOf(CALL, 'mi_malloc', b.mi_malloc).call(b, n, line, file, func) as number;
    },
    mi_calloc(count, n, line, file, func) {
      if (failing('mi_calloc', n, count, 0, line, file, func)) return 0;
      return hookOf(CALL, 'mi_calloc', b.mi_calloc).call(b, count, n, line, file, func) as number;
    },
    mi_realloc(ptr, n, line, file, func) {
      if (n !== 0 && failing('mi_realloc', n, 1, ptr, line, file, func)) return 0;
      return hookOf(CALL, 'mi_realloc', b.mi_realloc).call(b, ptr, n, line, file, func) as number;
    },
    mi_free(ptr, line, file, func) {
      hookOf(CALL, 'mi_free', b.mi_free).call(b, ptr, line, file, func);
    },
  };
};
