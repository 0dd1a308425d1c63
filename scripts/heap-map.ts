/**
 * `npm run heap-map`: writes a picture of a heap, its blocks used and free drawn to scale, as
 * an SVG file (heapMap of foreign-ts/heap).
 *
 *   npm run heap-map -- SNAPSHOT OUT.svg [--base N] [--width W] [--title T]
 *       SNAPSHOT: a file holding a heap's memory, byte for byte (a heap's whole state is in its
 *       memory, so a copy of the bytes is the heap: `writeFileSync(path, heap.memory.views.u8)`);
 *       the heap's control block is at --base (default 0). The snapshot is attached and
 *       checked (Heap.attach, then check()) before it is drawn.
 *   npm run heap-map -- --demo OUT.svg
 *       the demo heap of scripts/lib/heap-demo.ts (docs/heap-map.svg is made so).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Heap, heapMap } from 'foreign-ts/heap';
import { Memory } from 'foreign-ts/memory';
import { DEMO_TITLE, demoHeap } from './lib/heap-demo.js';

const USAGE =
  'usage: npm run heap-map -- SNAPSHOT OUT.svg [--base N] [--width W] [--title T]\n' +
  '       npm run heap-map -- --demo OUT.svg';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const value = args[i + 1];
  if (value === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
  args.splice(i, 2);
  return value;
};

const main = (): void => {
  const demo = args.includes('--demo');
  if (demo) args.splice(args.indexOf('--demo'), 1);
  const base = Number(option('--base') ?? 0);
  const width = option('--width');
  const title = option('--title');
  const [input, output] = demo ? [undefined, args[0]] : args;
  if (output === undefined || (!demo && input === undefined)) throw new Error(USAGE);
  let heap: Heap;
  if (demo) {
    heap = demoHeap();
  } else {
    const bytes = readFileSync(input as string);
    const buffer = new ArrayBuffer(bytes.length);
    new Uint8Array(buffer).set(bytes);
    heap = Heap.attach(Memory.from(buffer), { base });
  }
  heap.check();
  const svg = heapMap(heap, {
    ...(width === undefined ? {} : { width: Number(width) }),
    ...(title !== undefined ? { title } : demo ? { title: DEMO_TITLE } : {}),
  });
  writeFileSync(output, svg);
  const s = heap.stats();
  console.log(
    `${output}: ${s.liveBlocks} used and ${s.freeBlocks} free blocks, ${s.heapBytes} bytes`,
  );
};

try {
  main();
} catch (error) {
  console.error(`heap-map: ${(error as Error).message}`);
  process.exitCode = 1;
}
