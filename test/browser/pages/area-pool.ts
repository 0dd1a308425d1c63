/**
 * BeOS area_malloc pools (foreign-ts/area) in the browser, with Web Workers, on a page served
 * with the cross-origin isolation headers: the page creates a shared, locked pool; two workers
 * attach it (`pool.share()`, `attach_pool`) and fill it at once through the Haskell face over
 * the pool (a struct per sample, its pointer stored in a table the page allocated, and a
 * scratch value each, freed again); the page finds every sample where it belongs and runs
 * check(). A worker given a read-only handle (`B_READ_AREA`) sees the same samples and is
 * refused pokes and mallocs; after `delete_pool`, a worker that still holds the pool is refused
 * its next malloc, and so is the page.
 */
import { CUInt, type Ptr } from 'foreign-ts';
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_FULL_LOCK,
  B_OK,
  B_READ_AREA,
  B_WRITE_AREA,
  get_module,
  put_module,
} from 'foreign-ts/area';
import { report } from '../report.js';
import { SAMPLES, Sample, WORKERS, faceOf, refusal, type Job } from './area-pool-job.js';

const start = (job: Job): Worker => {
  const worker = new Worker(new URL('./area-pool-worker.js', import.meta.url), { type: 'module' });
  worker.postMessage(job);
  return worker;
};

const reply = <T>(worker: Worker): Promise<T> =>
  new Promise((resolve, reject) => {
    worker.onmessage = (event) => resolve(event.data as T);
    worker.onerror = (event) => reject(new Error(`a worker failed: ${event.message}`));
  });

const run = async (): Promise<void> => {
  const area = get_module(B_AREA_MALLOC_MODULE_NAME)!;
  const pool = area.create_pool(B_ANY_ADDRESS, 1 << 20, B_FULL_LOCK, B_READ_AREA | B_WRITE_AREA)!;
  const { mallocArray, peek, peekElemOff } = faceOf(pool);
  const table = mallocArray(CUInt, WORKERS * SAMPLES)();
  const shared = pool.share();
  const fillers = Array.from({ length: WORKERS }, (_, worker) =>
    start({ role: 'fill', pool: shared, table, worker }),
  );
  const filled = await Promise.all(fillers.map((w) => reply<number>(w)));
  let misplaced = 0;
  let total = 0;
  for (let k = 0; k < WORKERS * SAMPLES; k++) {
    const s = peek(Sample, peekElemOff(CUInt, table, k)() as Ptr<any>)();
    if (s.worker * SAMPLES + s.index !== k) misplaced++;
    total += s.value;
  }
  let checkError: string | null = null;
  try {
    pool.check();
  } catch (e) {
    checkError = (e as Error).message;
  }
  const stats = pool.stats();
  const reader = await reply<{ total: number; poke: string; malloc: string }>(
    start({ role: 'read', pool: pool.share({ protection: B_READ_AREA }), table }),
  );
  const waiter = start({ role: 'wait', pool: shared, table });
  await reply(waiter);
  const deleted = area.delete_pool(pool) === B_OK;
  const afterDelete = reply<string>(waiter);
  waiter.postMessage('go');
  const waiterAfterDelete = await afterDelete;
  const pageAfterDelete = refusal(() => area.free(pool, table));
  for (const w of [...fillers, waiter]) w.terminate();
  put_module(B_AREA_MALLOC_MODULE_NAME);
  report({
    crossOriginIsolated,
    shared: pool.memory.shared,
    filled,
    misplaced,
    total,
    checkError,
    liveBlocks: stats.liveBlocks,
    mallocs: stats.mallocs,
    frees: stats.frees,
    reader,
    deleted,
    waiterAfterDelete,
    pageAfterDelete,
  });
};

void run();
