/**
 * One worker of the area stress test: attaches the pool, does random operations (malloc,
 * calloc, alignedAlloc, realloc, free, through the module's hooks and the handle's methods),
 * writes a pattern into every block it owns and checks it before each free and realloc, so a
 * block handed out twice (to this worker or another) shows up as a broken pattern. Frees a
 * share of its blocks at the end, detaches (unless told not to) and sends the rest back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  attach_pool,
  get_module,
  B_AREA_MALLOC_MODULE_NAME,
  type SharedPool,
} from 'foreign-ts/area';
import { mulberry32 } from '../support/random.js';

interface Job {
  pool: SharedPool;
  worker: number;
  operations: number;
  detach: boolean;
}

const { pool: shared, worker, operations, detach } = workerData as Job;
const pool = attach_pool(shared);
const area = get_module(B_AREA_MALLOC_MODULE_NAME)!;
const random = mulberry32(7000 + worker);
const live: [pointer: number, size: number, tag: number][] = [];
let tags = worker << 24;
let failures = 0;

const size = () => Math.floor(Math.exp(random() * Math.log(2048)));
const paint = (p: number, n: number, tag: number) => {
  const u8 = pool.memory.ensureWritable(p, n).u8;
  for (let i = 0; i < n; i++) u8[p + i] = (tag + i * 13) & 0xff;
};
const intact = (p: number, n: number, tag: number) => {
  const u8 = pool.memory.ensure(p, n).u8;
  for (let i = 0; i < n; i++) if (u8[p + i] !== ((tag + i * 13) & 0xff)) return false;
  return true;
};
const zeroed = (p: number, n: number) => {
  const u8 = pool.memory.ensure(p, n).u8;
  for (let i = 0; i < n; i++) if (u8[p + i] !== 0) return false;
  return true;
};
const own = (p: number, n: number) => {
  if (p === 0) {
    failures += 1;
    return;
  }
  if (p % 8 !== 0) throw new Error(`worker ${worker}: ${p} is not 8-aligned`);
  tags += 1;
  paint(p, n, tags);
  live.push([p, n, tags]);
};
const takeRandom = () => {
  const j = Math.floor(random() * live.length);
  const entry = live[j]!;
  live[j] = live[live.length - 1]!;
  live.pop();
  if (!intact(...entry))
    throw new Error(`worker ${worker}: block ${entry[0]} of ${entry[1]} bytes was overwritten`);
  return entry;
};

for (let i = 0; i < operations; i++) {
  const r = random();
  const grow = live.length < 200 || (live.length < 2000 && r < 0.5);
  if (grow) {
    const n = size();
    if (r < 0.05) {
      const p = area.calloc(pool, 1, n);
      if (p !== 0 && !zeroed(p, n)) throw new Error(`worker ${worker}: calloc gave dirty bytes`);
      own(p, n);
    } else if (r < 0.08) {
      const align = 2 ** Math.floor(random() * 10);
      const p = pool.alignedAlloc(align, n);
      if (p % align !== 0) throw new Error(`worker ${worker}: ${p} is not ${align}-aligned`);
      own(p, n);
    } else if (r < 0.3) own(area.malloc(pool, n), n);
    else own(pool.malloc(n), n);
  } else if (r < 0.8) {
    const [p] = takeRandom();
    if (r < 0.6) pool.free(p);
    else area.free(pool, p);
  } else {
    const entry = takeRandom();
    const n = size();
    const q = pool.realloc(entry[0], n);
    if (q === 0) {
      live.push(entry); // failed: the block is as it was
      failures += 1;
    } else {
      const kept = Math.min(n, entry[1]);
      for (let k = 0; k < kept; k++) {
        if (pool.memory.ensure(q, kept).u8[q + k] !== ((entry[2] + k * 13) & 0xff))
          throw new Error(`worker ${worker}: realloc lost byte ${k}`);
      }
      tags += 1;
      paint(q, n, tags);
      live.push([q, n, tags]);
    }
  }
}
// Free half of what is left here, send the rest back for the main thread to free.
while (live.length > 0 && random() < 0.98) pool.free(takeRandom()[0]);
for (const entry of live) if (!intact(...entry)) throw new Error(`worker ${worker}: lost a block`);
if (detach) pool.detach();
parentPort!.postMessage({ live, failures });
