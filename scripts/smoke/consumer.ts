// Type-checked by scripts/smoke-pack.sh against the published .d.ts files, as a consumer's code
// (NodeNext resolution through the exports map, skipLibCheck off), under every consumer
// configuration in scripts/smoke/tsconfig.*.json: plain ES2022 with and without DOM, and the
// newer libs. It uses no `using`, which needs the ESNext.Disposable lib (consumer-using.ts).
import {
  CInt,
  Heap,
  Memory,
  defaultHeap,
  newPool,
  scoped,
  type HeapStats,
  type Pool,
} from 'foreign-ts';
import { Heap as HeapAgain } from 'foreign-ts/heap';
import { PAGE_BYTES, type Views } from 'foreign-ts/memory';
import {
  MALLOC_DEFINE,
  M_NOWAIT,
  boot,
  free as kfree,
  malloc,
  type Kernel,
  type MallocType,
} from 'foreign-ts/kernel';

const heap: Heap = HeapAgain.create({ initialBytes: PAGE_BYTES });
const p: number = heap.malloc(16);
const views: Views = heap.memory.views;
views.u8[p] = 1;
heap.free(p);
const stats: HeapStats = heap.stats();
const memory: Memory = heap.memory;

// Pools and scoped values are usable without `using`: they are freed by hand.
const pool: Pool = newPool()();
pool.size satisfies number;
const cell = scoped.new(CInt, 7);
cell.ptr satisfies number;
cell.take();

const kernel: Kernel = boot({ domains: 2 });
const type: MallocType = MALLOC_DEFINE(kernel, 'consumer', 'a type');
const k: number = malloc(16, type, M_NOWAIT);
kfree(k, type);

export const figures: readonly number[] = [
  k,
  stats.liveBlocks,
  memory.byteLength,
  defaultHeap().stats().liveBlocks,
];
