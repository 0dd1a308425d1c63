/**
 * One worker of the shared-heap test: random operations on a heap attached from shared
 * memory, writing a pattern into every block it owns and checking it before each free and
 * realloc, so a block handed out twice (to this worker or the other) shows up as a broken
 * pattern.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Heap } from '../../src/index.js';
import { mulberry32 } from '../support/random.js';

interface Job {
  memory: SharedArrayBuffer;
  worker: number;
  operations: number;
}

const { memory, worker, operations } = workerData as Job;
const heap = Heap.attach(memory);
const random = mulberry32(1000 + worker);
const live: [pointer: number, size: number, tag: number][] = [];
let tags = worker << 24;

const size = () => Math.floor(Math.exp(random() * Math.log(1024)));
const paint = (p: number, n: number, tag: number) => {
  const u8 = heap.memory.ensure(p, n).u8;
  for (let i = 0; i < n; i++) u8[p + i] = (tag + i * 13) & 0xff;
};
const intact = (p: number, n: number, tag: number) => {
  const u8 = heap.memory.ensure(p, n).u8;
  for (let i = 0; i < n; i++) if (u8[p + i] !== ((tag + i * 13) & 0xff)) return false;
  return true;
};
const own = (p: number, n: number) => {
  if (p === 0) throw new Error(`worker ${worker}: allocation of ${n} bytes failed`);
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
  const grow = live.length < 500 || (live.length < 3000 && r < 0.5);
  if (grow) {
    const n = size();
    if (r < 0.05) own(heap.calloc(1, n), n);
    else if (r < 0.1) own(heap.alignedAlloc(2 ** Math.floor(random() * 12), n), n);
    else own(heap.malloc(n), n);
  } else if (r < 0.8) {
    heap.free(takeRandom()[0]);
  } else {
    const [p] = takeRandom();
    const n = size();
    own(heap.realloc(p, n), n);
  }
}
parentPort!.postMessage(live);
