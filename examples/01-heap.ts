/**
 * The heap: malloc, realloc and free on a typed-array memory, the edge cases, a checked heap
 * catching a bad pointer, and statistics.
 */
import { Heap, InvalidPointerError } from 'foreign-ts';

const heap = Heap.create({ initialBytes: 64 * 1024, maxBytes: 16 * 1024 * 1024 });
const { u8 } = heap.memory.views;

// Allocate a block and write into it: addresses are plain numbers into heap.memory.
const name = heap.malloc(6);
u8.set(new TextEncoder().encode('hello\0'), name);
console.log(
  'malloc(6) ->',
  name,
  'aligned to 8:',
  name % 8 === 0,
  'usable:',
  heap.usableSize(name),
);

// Grow it: realloc keeps the contents and releases the old block if it has to move.
const bigger = heap.realloc(name, 200_000);
const text = new TextDecoder().decode(heap.memory.views.u8.subarray(bigger, bigger + 5));
console.log(
  'realloc to 200000 bytes keeps',
  JSON.stringify(text),
  '- heap grew to',
  heap.stats().heapBytes,
  'bytes',
);

// The edge cases, defined: malloc(0) is a unique block, realloc(p, 0) frees, free(0) is a no-op.
const empty = heap.malloc(0);
console.log('malloc(0) ->', empty, '(unique, usable', heap.usableSize(empty), 'bytes)');
console.log('realloc(p, 0) ->', heap.realloc(empty, 0));
heap.free(0);

// Bad pointers are typed errors that leave the heap unchanged.
heap.free(bigger);
try {
  heap.free(bigger);
} catch (error) {
  if (error instanceof InvalidPointerError) console.log('double free ->', error.message);
}

// Aligned blocks, for SIMD or page-aligned buffers.
const page = heap.alignedAlloc(65536, 100);
console.log('alignedAlloc(65536, 100) ->', page, 'aligned:', page % 65536 === 0);
heap.free(page);

// A checked heap catches every address that is not a live block, even a forged one.
const checked = Heap.create({ checked: true });
const block = checked.malloc(256);
checked.memory.views.u32[(block + 60) >>> 2] = 16; // make the middle of the block look like a header
try {
  checked.free(block + 64);
} catch (error) {
  console.log('checked heap ->', (error as Error).message);
}

// Running out of memory returns 0 and changes nothing.
console.log('malloc beyond maxBytes ->', heap.malloc(64 * 1024 * 1024));

heap.check();
const { liveBlocks, freeBlocks, mallocs, frees, reallocs, failures } = heap.stats();
console.log('stats:', { liveBlocks, freeBlocks, mallocs, frees, reallocs, failures });
