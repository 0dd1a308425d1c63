/**
 * One pool in shared memory used by four worker threads at once: 200 000 random operations in
 * each, every block pattern-checked by its owner. Afterwards no two live blocks overlap,
 * check() passes, the figures count exactly the blocks the workers kept, and freeing them
 * returns the pool to empty. FOREIGN_TS_LONG=1 runs 2 000 000 operations per worker.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_LAZY_LOCK,
  B_READ_AREA,
  B_WRITE_AREA,
  get_module,
  put_module,
  type SharedPool,
} from 'foreign-ts/area';

const OPERATIONS = process.env.FOREIGN_TS_LONG === '1' ? 2_000_000 : 200_000;
const boot = new URL('../support/worker-boot.mjs', import.meta.url);
const entry = new URL('./stress-worker.ts', import.meta.url).href;

interface Outcome {
  live: [number, number, number][];
  failures: number;
}

const runWorker = (pool: SharedPool, worker: number, detach: boolean) =>
  new Promise<Outcome>((resolve, reject) => {
    const thread = new Worker(boot, {
      workerData: { entry, pool, worker, operations: OPERATIONS, detach },
    });
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once(
      'exit',
      (code) => code !== 0 && reject(new Error(`worker ${worker} exited with ${code}`)),
    );
  });

describe('an area pool used by four workers at once', () => {
  it(`survives ${OPERATIONS} random operations in each worker`, async () => {
    const area = get_module(B_AREA_MALLOC_MODULE_NAME)!;
    // Committed on demand: the workers also grow the pool's memory under each other.
    const pool = area.create_pool(
      B_ANY_ADDRESS,
      64 << 20,
      B_LAZY_LOCK,
      B_READ_AREA | B_WRITE_AREA,
    )!;
    const shared = pool.share();
    // Three workers detach at the end; the fourth leaves its cache behind, as a worker that ends
    // without detach() does.
    const outcomes = await Promise.all([1, 2, 3, 4].map((w) => runWorker(shared, w, w !== 4)));
    pool.check();
    const live = outcomes.flatMap((o) => o.live).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < live.length; i++) {
      const [p, n] = live[i - 1]!;
      expect(p + Math.max(n, 1)).toBeLessThanOrEqual(live[i]![0]);
    }
    const stats = pool.stats();
    expect(stats.liveBlocks).toBe(live.length);
    expect(stats.mallocs).toBeGreaterThan(OPERATIONS);
    expect(stats.failures).toBe(outcomes.reduce((n, o) => n + o.failures, 0));
    expect(stats.committedBytes).toBeGreaterThan(65536);
    expect(stats.workers).toBe(2); // this thread's and the fourth worker's cache
    for (const [p] of live) pool.free(p);
    pool.check();
    const after = pool.stats();
    expect(after.liveBlocks).toBe(0);
    expect(after.liveBytes).toBe(0);
    expect(after.mallocs).toBe(after.frees);
    pool.drain();
    pool.check();
    const empty = pool.stats();
    expect(empty.cachedBlocks).toBe(0);
    expect(empty.freeBlocks).toBe(1);
    expect(empty.freeBytes).toBe(empty.committedBytes - empty.controlBytes);
    expect(put_module(B_AREA_MALLOC_MODULE_NAME)).toBe(0);
  });
});
