// Area pools: three workers fill one pool in shared memory at once, a read-only reader sums it, and delete_pool ends it for everyone.
//
// - `create_pool` makes a pool of its own (B_ANY_ADDRESS), shared and locked (B_FULL_LOCK);
//   `pool.share()` describes it for `postMessage`, `attach_pool` opens it in a worker.
// - Each worker allocates through the Haskell face, `foreign({ memory: pool.memory,
//   allocator: pool, stack })`, and the blocks come from the pool; most of its mallocs and frees
//   take no lock (a cache of free blocks per worker sits in front of the pool's lock).
// - A handle shared with `B_READ_AREA` only peeks: its pokes and allocations are refused.
// - After `delete_pool`, every worker's next call on the pool is a DeletedPoolError.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CDouble, CInt, CUInt, Stack, foreign, struct, type Ptr } from 'foreign-ts';
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_FULL_LOCK,
  B_OK,
  B_READ_AREA,
  B_WRITE_AREA,
  attach_pool,
  get_module,
  put_module,
  type AreaPool,
  type SharedPool,
} from 'foreign-ts/area';

const Sample = struct({ worker: CInt, index: CInt, value: CDouble });
const WORKERS = 3;
const SAMPLES = 1000;

interface Job {
  readonly role: 'fill' | 'read' | 'wait';
  readonly pool: SharedPool;
  readonly table: number;
  readonly worker?: number;
}

/** The Haskell face over a pool: every allocation, array and alloca region comes from it. */
const faceOf = (pool: AreaPool) =>
  foreign({ memory: pool.memory, allocator: pool, stack: new Stack(pool, { size: 4096 }) });

// Under tsx a worker needs tsx's loader first; compiled to JavaScript, `new Worker(new
// URL(import.meta.url), { workerData })` is all it takes.
const tsx = import.meta.resolve('tsx/esm/api');
const boot = new URL(
  'data:text/javascript,' +
    `import { register } from ${JSON.stringify(tsx)}; import { workerData } from 'node:worker_threads'; ` +
    'register(); await import(workerData.url);',
);
const start = (job: Job): Worker =>
  new Worker(boot, { workerData: { ...job, url: import.meta.url } });
const reply = <T>(w: Worker): Promise<T> =>
  new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });

const main = async (): Promise<void> => {
  const area = get_module(B_AREA_MALLOC_MODULE_NAME)!;
  const pool = area.create_pool(B_ANY_ADDRESS, 1 << 20, B_FULL_LOCK, B_READ_AREA | B_WRITE_AREA)!;
  const { mallocArray, peek, peekElemOff } = faceOf(pool);
  const table = mallocArray(CUInt, WORKERS * SAMPLES)(); // one pointer per sample
  console.log(`pool ${pool.id}: ${pool.size} bytes, shared: ${pool.memory.shared}`);

  // Three workers fill the pool at once.
  const shared = pool.share();
  const fillers = [0, 1, 2].map((worker) => start({ role: 'fill', pool: shared, table, worker }));
  for (const line of await Promise.all(fillers.map((w) => reply<string>(w)))) console.log(line);

  let total = 0;
  for (let k = 0; k < WORKERS * SAMPLES; k++) {
    const s = peek(Sample, peekElemOff(CUInt, table, k)() as Ptr<any>)();
    if (s.worker * SAMPLES + s.index !== k) throw new Error(`sample ${k} is not where it belongs`);
    total += s.value;
  }
  pool.check();
  const stats = pool.stats();
  console.log(
    `main: ${WORKERS * SAMPLES} samples, total ${total}; live blocks ${stats.liveBlocks}`,
  );
  console.log(
    `main: ${stats.mallocs} mallocs and ${stats.frees} frees in all workers; check() passes`,
  );

  // A reader gets a handle without B_WRITE_AREA.
  const reader = start({ role: 'read', pool: pool.share({ protection: B_READ_AREA }), table });
  for (const line of await reply<string[]>(reader)) console.log(line);

  // delete_pool while a worker still holds the pool.
  const waiter = start({ role: 'wait', pool: shared, table });
  await reply(waiter);
  console.log(`main: delete_pool(pool) = ${area.delete_pool(pool) === B_OK ? 'B_OK' : 'B_ERROR'}`);
  waiter.postMessage('go');
  console.log(await reply<string>(waiter));
  try {
    area.free(pool, table);
  } catch (e) {
    console.log(`main: ${(e as Error).name}: ${(e as Error).message}`);
  }
  put_module(B_AREA_MALLOC_MODULE_NAME);
};

const fill = (pool: AreaPool, table: number, worker: number): string => {
  const { new: make, free, pokeElemOff } = faceOf(pool);
  const scratch: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const p = make(Sample, { worker, index: i, value: worker * 1000 + i / 4 })();
    pokeElemOff(CUInt, table as Ptr<number>, worker * SAMPLES + i, p)();
    scratch.push(make(CDouble, i)()); // and a scratch value, freed below: the cache takes it
  }
  for (const p of scratch) free(p as Ptr<any>)();
  pool.detach(); // its cached blocks go back to the pool
  return `worker ${worker}: ${SAMPLES} samples and ${SAMPLES} scratch values made, the scratch freed`;
};

const read = (pool: AreaPool, table: number): string[] => {
  const { peek, peekElemOff, poke } = faceOf(pool);
  let total = 0;
  for (let k = 0; k < WORKERS * SAMPLES; k++)
    total += peek(Sample, peekElemOff(CUInt, table as Ptr<number>, k)() as Ptr<any>)().value;
  const refused = (f: () => unknown): string => {
    try {
      f();
      return 'allowed';
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  };
  return [
    `reader: total ${total}`,
    `reader: poke -> ${refused(() => poke(CUInt, table as Ptr<number>, 0)())}`,
    `reader: malloc -> ${refused(() => pool.malloc(8))}`,
  ];
};

if (isMainThread) {
  await main();
} else {
  const job = workerData as Job;
  const pool = attach_pool(job.pool);
  if (job.role === 'fill') parentPort!.postMessage(fill(pool, job.table, job.worker!));
  else if (job.role === 'read') parentPort!.postMessage(read(pool, job.table));
  else {
    parentPort!.postMessage('ready');
    parentPort!.once('message', () => {
      try {
        pool.malloc(8);
        parentPort!.postMessage('waiter: malloc worked');
      } catch (e) {
        parentPort!.postMessage(`waiter: ${(e as Error).name}: ${(e as Error).message}`);
      }
      parentPort!.close();
    });
  }
}
