/**
 * The heap drawn in docs/heap-map.svg (docs/heap.md, README): a program that allocates blocks
 * of several sizes and frees some, so that the picture shows used blocks, holes between them,
 * cached small blocks and the free space at the top. Deterministic: the same heap every run
 * (test/heap/map.test.ts checks the committed picture against it).
 */
import { Heap } from 'foreign-ts/heap';

/** The demo heap, after its program ran. */
export const demoHeap = (): Heap => {
  const heap = Heap.create({ initialBytes: 65536 });
  const sizes = [48, 1500, 200, 4000, 64, 64, 9000, 700, 32, 2500, 128, 6000, 90, 3000];
  const blocks = sizes.map((n) => heap.malloc(n));
  // free every third block (holes), two small ones (the cache), and one big one
  for (const i of [1, 4, 7, 10, 12]) heap.free(blocks[i]!);
  heap.free(blocks[6]!);
  return heap;
};

/** The title of the demo picture. */
export const DEMO_TITLE = 'A 64 KiB heap after 14 mallocs and 6 frees (npm run heap-map -- --demo)';
