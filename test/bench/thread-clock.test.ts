/**
 * The worker cells' clock under `--clock cpu` (bench/lib/thread-clock.ts): a thread's span is
 * its wall time less its waits for a core, sleep included; a run of workers takes its slowest
 * worker's span, and at least their CPU time over the cores; and the harness's stopwatch adds
 * such spans as they are.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runWorkload, type Suite, type Workload } from '../../bench/harness.js';
import { ThreadSpan, runTime, threadClockKind } from '../../bench/lib/thread-clock.js';

const MS = 1e6;
const nap = new Int32Array(new SharedArrayBuffer(4));

describe('bench thread clock', () => {
  // Where Linux's schedstat cannot be read, the CPU time is the span itself.
  it.skipIf(threadClockKind() === 'wall')(
    'a span counts busy time and sleep, and its CPU time only the busy part',
    () => {
      const span = new ThreadSpan();
      const out = new Float64Array(2);
      let x = 0;
      span.start();
      for (let i = 0; i < 2e7; i++) x = (x + Math.imul(i, 2654435761)) | 0; // busy
      Atomics.wait(nap, 0, 0, 50); // asleep: 50 ms, which waits for no core
      span.stop(out);
      const [wall, cpu] = [out[0]!, out[1]!];
      expect(x).not.toBe(0.5);
      expect(cpu).toBeGreaterThan(0);
      expect(wall - cpu).toBeGreaterThan(40 * MS); // the sleep: in the span, not on a core
      expect(wall).toBeLessThan(10_000 * MS);
    },
  );

  it('a run takes its slowest worker, and at least their CPU time over the cores', () => {
    expect(runTime(Float64Array.of(10, 4, 30, 5), 2)).toBe(30);
    expect(runTime(Float64Array.of(10, 4, 30, 5, 99, 99), 2)).toBe(30); // only `workers` count
    const cores = Math.min(8, availableParallelism());
    const spans = new Float64Array(16).map((_, i) => (i % 2 === 0 ? 100 : 90));
    expect(runTime(spans, 8)).toBe(Math.max(100, (8 * 90) / cores));
  });

  it('Stopwatch.add adds a span; a cell may give its time that way', () => {
    const suite: Suite = { name: 's', title: 't', reference: 'a', workloads: () => [] };
    const workload: Workload = {
      name: 'W',
      title: 'spans',
      cells: [
        { impl: 'a', ops: 10, run: (sw) => (sw.add(1000), {}) },
        { impl: 'b', ops: 10, run: (sw) => (sw.add(500), sw.add(1500), {}) },
        { impl: 'bad', ops: 10, run: (sw) => (sw.add(-1), {}) },
      ],
    };
    const [a, b, bad] = runWorkload(suite, workload, { quick: true, runs: 3, warmup: 1 }).results;
    expect(a!.nsPerOp).toBe(100);
    expect(b!.ratio).toBe(2);
    expect(bad!.error).toMatch(/Stopwatch.add\(-1\): not a span/);
  });
});
