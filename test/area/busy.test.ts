/**
 * A worker that blocks in the middle of a job holds its cache: stats() in another thread waits
 * for it, then gives up with a PoolBusyError (after 10 s); once the worker parks its cache,
 * stats() and delete_pool go through at once, and the worker's next call sees the deletion.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { B_AREA_MALLOC_MODULE_NAME, B_OK, PoolBusyError, put_module } from 'foreign-ts/area';
import { thrown } from '../support/thrown.js';
import { area, newPool } from './helpers.js';

const boot = new URL('../support/worker-boot.mjs', import.meta.url);
const entry = new URL('./busy-worker.ts', import.meta.url).href;

const stage = (flag: Int32Array, value: number): void => {
  while (Atomics.load(flag, 1) < value) Atomics.wait(flag, 1, Atomics.load(flag, 1), 100);
};

describe('a worker that blocks while it holds its cache', () => {
  it('makes stats() wait and give up, until it parks; then delete_pool reaches it', async () => {
    const a = area();
    const pool = newPool(a, 1 << 20);
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(boot, {
      workerData: { entry, pool: pool.share(), flag: flag.buffer },
    });
    const report = new Promise<string>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    stage(flag, 1);
    const busy = thrown(() => pool.stats());
    expect(busy).toBeInstanceOf(PoolBusyError);
    expect((busy as Error).message).toMatch(
      /^stats: worker cache 1 of pool \d+ was not given back/,
    );
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    stage(flag, 2);
    expect(pool.stats().cachedBlocks).toBeGreaterThan(0); // the parked cache, counted
    pool.check();
    expect(a.delete_pool(pool)).toBe(B_OK);
    Atomics.store(flag, 0, 2);
    Atomics.notify(flag, 0);
    expect(await report).toMatch(/^DeletedPoolError: malloc: pool \d+ was deleted/);
    await worker.terminate();
    put_module(B_AREA_MALLOC_MODULE_NAME);
  });
});
