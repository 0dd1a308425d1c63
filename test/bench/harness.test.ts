/** The benchmark harness on a made-up suite: timing, ratios, targets, errors and JSON lines. */
import { describe, expect, it } from 'vitest';
import { runWorkload, type Cell, type Suite, type Workload } from '../../bench/harness.js';
import { formatWorkload, jsonLines } from '../../bench/report.js';

const spin = (n: number): number => {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x + Math.imul(i, 2654435761)) | 0;
  return x;
};

const cell = (impl: string, work: number, extra: Partial<Cell> = {}): Cell => ({
  impl,
  ops: 1000,
  run(sw) {
    spin(10_000); // untimed set-up
    sw.start();
    spin(work);
    sw.stop();
    return { failures: impl === 'slow' ? 2 : 0, measures: { hwmBytes: 2048, liveBytes: 1024 } };
  },
  ...extra,
});

const suite: Suite = {
  name: 'fake',
  title: 'a made-up suite',
  reference: 'fast',
  workloads: () => [],
};

const workload: Workload = {
  name: 'W',
  title: 'spinning',
  cells: [
    cell('fast', 10_000),
    cell('slow', 200_000, { note: 'does twenty times the work' }),
    cell('broken', 1, {
      run() {
        throw new Error('this implementation is broken');
      },
    }),
  ],
  targets: [
    {
      label: 'slow within 2x of fast',
      impl: 'slow',
      evaluate: (r) => {
        const x = r.get('slow')!.nsPerOp / r.get('fast')!.nsPerOp;
        return { pass: x <= 2, value: `${x.toFixed(1)}x` };
      },
    },
  ],
};

describe('bench harness', () => {
  const result = runWorkload(suite, workload, { quick: true, runs: 3, warmup: 1 });
  const [fast, slow, broken] = result.results;

  it('times each cell, and gives ratios against the reference', () => {
    expect(fast?.ratio).toBe(1);
    expect(slow?.ratio).toBeGreaterThan(3);
    expect(slow?.nsPerOpMin).toBeLessThanOrEqual(slow?.nsPerOp ?? 0);
    expect(slow?.failures).toBe(2);
  });

  it('reports a cell that throws without stopping the others', () => {
    expect(broken?.error).toContain('this implementation is broken');
    expect(Number.isNaN(broken?.nsPerOp)).toBe(true);
  });

  it('evaluates targets as markers', () => {
    expect(result.verdicts[0]?.verdict?.pass).toBe(false);
    const text = formatWorkload(suite, result);
    expect(text).toContain('✗ FAIL  slow within 2x of fast');
    expect(text).toContain('slow [1]');
    expect(text).toContain('[1] does twenty times the work');
    expect(text).toContain('ERROR in broken');
  });

  it('prints one JSON object per cell', () => {
    const lines = jsonLines(result, { quick: true }).map((l) => JSON.parse(l));
    expect(lines.map((l) => l.impl)).toEqual(['fast', 'slow', 'broken']);
    expect(lines[1]).toMatchObject({
      suite: 'fake',
      workload: 'W',
      hwmBytes: 2048,
      peakLiveBytes: 1024,
      hwmPerLive: 2,
      failures: 2,
      targets: [{ label: 'slow within 2x of fast', pass: false }],
    });
    expect(typeof lines[1].nsPerOp).toBe('number');
  });
});

describe('interleaved workloads', () => {
  it('warm every cell up, then take the timed runs round-robin', () => {
    const calls: string[] = [];
    const logged = (impl: string): Cell => ({
      impl,
      ops: 10,
      run(sw) {
        calls.push(impl);
        sw.start();
        spin(1000);
        sw.stop();
        return {};
      },
    });
    const broken: Cell = {
      impl: 'C',
      ops: 10,
      run() {
        calls.push('C');
        throw new Error('C is wrong');
      },
    };
    const result = runWorkload(
      suite,
      {
        name: 'I',
        title: 'interleaved',
        interleave: true,
        cells: [logged('A'), broken, logged('B')],
      },
      { quick: true, runs: 3, warmup: 1 },
    );
    expect(calls).toEqual(['A', 'C', 'B', 'A', 'B', 'A', 'B', 'A', 'B']);
    const [a, c, b] = result.results;
    expect([a?.runs, b?.runs]).toEqual([3, 3]);
    expect(c?.error).toContain('C is wrong');
    expect(b?.ratio).toBeUndefined();
  });
});
