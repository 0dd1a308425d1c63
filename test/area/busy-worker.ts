/**
 * The worker of the busy test: uses the pool (so it holds its cache's lease), then blocks in
 * Atomics.wait in the middle of its job until the main thread lets it go; then parks its cache
 * and blocks again; then uses the pool once more and reports what that did.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attach_pool, type SharedPool } from 'foreign-ts/area';

const { pool: shared, flag: buffer } = workerData as { pool: SharedPool; flag: SharedArrayBuffer };
const flag = new Int32Array(buffer);
const pool = attach_pool(shared);
const waitFor = (value: number) => {
  while (Atomics.load(flag, 0) < value) Atomics.wait(flag, 0, Atomics.load(flag, 0), 100);
};
pool.free(pool.malloc(24)); // a block in this worker's cache, and its lease held
Atomics.store(flag, 1, 1);
Atomics.notify(flag, 1);
waitFor(1); // blocked, holding the lease
pool.park();
Atomics.store(flag, 1, 2);
Atomics.notify(flag, 1);
waitFor(2); // blocked again, the cache parked
let outcome = 'malloc worked';
try {
  pool.malloc(8);
} catch (e) {
  outcome = `${(e as Error).name}: ${(e as Error).message}`;
}
parentPort!.postMessage(outcome);
