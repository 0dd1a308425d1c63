/**
 * A heap in shared memory used by two worker threads at once: 200 000 random operations each,
 * then check() passes and no two live blocks overlap. The heap starts small, so the workers
 * also grow the shared memory under each other.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Heap } from '../../src/index.js';

const OPERATIONS = process.env.FOREIGN_TS_LONG === '1' ? 2_000_000 : 200_000;
const boot = new URL('../support/worker-boot.mjs', import.meta.url);
const entry = new URL('./shared-worker.ts', import.meta.url).href;

const runWorker = (memory: SharedArrayBuffer, worker: number) =>
  new Promise<[number, number, number][]>((resolve, reject) => {
    const thread = new Worker(boot, {
      workerData: { entry, memory, worker, operations: OPERATIONS },
    });
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`worker ${worker} exited with ${code}`)),
    );
  });

describe('a shared heap used by two workers at once', () => {
  it(`survives ${OPERATIONS} random operations in each worker`, async () => {
    const heap = Heap.create({ shared: true, initialBytes: 65536, maxBytes: 256 << 20 });
    const memory = heap.memory.source as SharedArrayBuffer;
    const results = await Promise.all([runWorker(memory, 1), runWorker(memory, 2)]);
    heap.check();
    const live = results.flat().sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < live.length; i++) {
      const [p, n] = live[i - 1]!;
      expect(p + n).toBeLessThanOrEqual(live[i]![0]);
    }
    const stats = heap.stats();
    expect(stats.liveBlocks).toBe(live.length);
    expect(stats.mallocs).toBeGreaterThan(OPERATIONS / 2);
    expect(stats.heapBytes).toBeGreaterThan(65536);
    for (const [p] of live) heap.free(p);
    heap.check();
    expect(heap.stats().freeBlocks).toBe(1);
  });
});
