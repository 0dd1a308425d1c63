/**
 * The worker of the delete test: attaches the pool and runs malloc, realloc and free on it
 * until the main thread deletes the pool, then reports the error it got and whether its view of
 * the pool's memory still lets it write.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attach_pool, type SharedPool } from 'foreign-ts/area';

const { pool: shared, progress } = workerData as { pool: SharedPool; progress: SharedArrayBuffer };
const pool = attach_pool(shared);
const counter = new Int32Array(progress);
const live: number[] = [];
let operations = 0;
try {
  for (;;) {
    const size = 8 + (operations % 200);
    if (live.length < 64) live.push(pool.malloc(size));
    else if (operations % 3 === 0) live.push(pool.realloc(live.pop()!, size));
    else pool.free(live.splice(operations % live.length, 1)[0]!);
    operations += 1;
    Atomics.store(counter, 0, operations);
  }
} catch (error) {
  let writable = true;
  try {
    pool.memory.ensureWritable(live[0] ?? 8, 1, 'poke');
  } catch {
    writable = false;
  }
  const e = error as Error & { call?: string };
  parentPort!.postMessage({ name: e.name, message: e.message, call: e.call, operations, writable });
}
