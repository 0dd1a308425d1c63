// Type-checked by scripts/smoke-pack.sh against the published .d.ts files, as a consumer's code
// (NodeNext resolution through the exports map, no DOM and no Node types).
import { Heap, Memory, type HeapStats } from 'foreign-ts';
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
const kernel: Kernel = boot({ domains: 2 });
const type: MallocType = MALLOC_DEFINE(kernel, 'consumer', 'a type');
const k: number = malloc(16, type, M_NOWAIT);
kfree(k, type);
export const figures: readonly number[] = [stats.liveBlocks, memory.byteLength, k];
