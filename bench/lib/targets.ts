/**
 * The targets most suites set: one cell's ns/op against another's, as a ratio, bounded from
 * above (`ratioTarget`: at most so many times slower) or from below (`speedupTarget`: at least
 * so many times faster).
 */
import type { Target, TargetVerdict } from '../harness.js';

/**
 * A target on the ns/op of `impl` and of `reference`, printed under `label` and judged by
 * `verdict`; no verdict (`undefined`) when either cell is missing or threw.
 */
const pairTarget = (
  label: string,
  impl: string,
  reference: string,
  verdict: (implNs: number, referenceNs: number) => TargetVerdict,
): Target => ({
  label,
  impl,
  evaluate(results) {
    const a = results.get(impl);
    const b = results.get(reference);
    if (!a || !b || a.error !== undefined || b.error !== undefined) return undefined;
    return verdict(a.nsPerOp, b.nsPerOp);
  },
});

/** `impl`'s ns/op at most `limit` times `reference`'s, printed under `label` (value `1.42x`). */
export const ratioTarget = (
  label: string,
  impl: string,
  reference: string,
  limit: number,
): Target =>
  pairTarget(label, impl, reference, (a, b) => {
    const r = a / b;
    return { pass: r <= limit, value: `${r.toFixed(2)}x` };
  });

/**
 * `impl` at least `factor` times as fast as `reference` (`reference`'s ns/op ÷ `impl`'s, the
 * speed-up, at least `factor`), printed under `label`, the speed-up shown by `show` (`1.42x`
 * unless given).
 */
export const speedupTarget = (
  label: string,
  impl: string,
  reference: string,
  factor: number,
  show: (speedup: number) => string = (s) => `${s.toFixed(2)}x`,
): Target =>
  pairTarget(label, impl, reference, (a, b) => {
    const s = b / a;
    return { pass: s >= factor, value: show(s) };
  });

/** A speed-up as the targets "at least …x faster than …" print it: `98x faster`. */
export const timesFaster = (speedup: number): string => `${speedup.toFixed(0)}x faster`;
