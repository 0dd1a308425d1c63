// Type-checked by scripts/smoke-pack.sh against the published .d.ts files, as a consumer's code
// (NodeNext resolution through the exports map, no DOM and no Node types).
import { Heap, Memory, type HeapStats } from 'foreign-ts';
import { Heap as HeapAgain } from 'foreign-ts/heap';
import { PAGE_BYTES, type Views } from 'foreign-ts/memory';

const heap: Heap = HeapAgain.create({ initialBytes: PAGE_BYTES });
const p: number = heap.malloc(16);
const views: Views = heap.memory.views;
views.u8[p] = 1;
heap.free(p);
const stats: HeapStats = heap.stats();
const memory: Memory = heap.memory;
export const figures: readonly number[] = [stats.liveBlocks, memory.byteLength];
