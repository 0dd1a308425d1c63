/**
 * The area suite runs (in --quick mode, through the real command): every cell of both
 * workloads, the worker cells included, is timed with no failure and no bad data, and its
 * targets are evaluated.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('the area suite', () => {
  it('npm run bench -- area --quick --json: every cell timed, no failure, no bad data', () => {
    const stdout = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'bench/run.ts', 'area', '--quick', '--json'],
      { encoding: 'utf8', timeout: 280_000 },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const l of lines) {
      expect(l.error, `${l.workload} / ${l.impl}`).toBeUndefined();
      expect(l.nsPerOp).toBeGreaterThan(0);
      expect([l.failures, l.badData]).toEqual([0, 0]);
    }
    const impls = (workload: string): string[] =>
      lines.filter((l) => l.workload === workload).map((l) => l.impl);
    expect(impls('uncontended')).toEqual(['Heap', 'pool', 'shared Heap']);
    expect(impls('workers')).toEqual([
      'Heap',
      'pool × 1 worker',
      'pool × 2 workers',
      'pool × 4 workers',
      'shared Heap × 1 worker',
      'shared Heap × 2 workers',
      'shared Heap × 4 workers',
    ]);
    const targets = lines.flatMap((l) => l.targets ?? []);
    expect(targets.length).toBe(4);
  }, 300_000);
});
