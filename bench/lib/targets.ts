/**
 * The target most suites set: one cell's ns/op within a ratio of another's.
 */
import type { Target } from '../harness.js';

/** `impl`'s ns/op at most `limit` times `reference`'s, printed under `label`. */
export const ratioTarget = (
  label: string,
  impl: string,
  reference: string,
  limit: number,
): Target => ({
  label,
  impl,
  evaluate(results) {
    const a = results.get(impl);
    const b = results.get(reference);
    if (!a || !b || a.error !== undefined || b.error !== undefined) return undefined;
    const r = a.nsPerOp / b.nsPerOp;
    return { pass: r <= limit, value: `${r.toFixed(2)}x` };
  },
});
