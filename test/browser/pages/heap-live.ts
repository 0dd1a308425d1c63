/**
 * A live picture of a heap: a program allocates and frees (seeded, 400 steps), and after every
 * step the page redraws the heap with heapMap into the document, one frame every few steps. After
 * each redraw the page reads the picture back from the DOM (its `<g data-kind>` groups) and
 * compares it with the heap: as many used groups as live blocks, as many free and cached ones
 * as free blocks, sizes adding up to the heap's bytes, and check() passing.
 */
import { Heap, heapMap } from 'foreign-ts';
import { mulberry32 } from '../../support/random.js';
import { report } from '../report.js';

const STEPS = 400;

const run = async (): Promise<void> => {
  const heap = Heap.create({ initialBytes: 65536, maxBytes: 1 << 20 });
  const view = document.getElementById('picture')!;
  const next = mulberry32(0x2545f491);
  const random = (n: number): number => Math.floor(next() * n);
  const live: number[] = [];
  const mismatches: string[] = [];
  let frames = 0;
  for (let step = 1; step <= STEPS; step++) {
    if (live.length === 0 || random(3) !== 0) {
      const p = heap.malloc(16 + random(step < 200 ? 3000 : 600));
      if (p !== 0) live.push(p);
    } else {
      heap.free(live.splice(random(live.length), 1)[0]!);
    }
    view.innerHTML = heapMap(heap, {
      width: 900,
      rowBytes: 16384,
      title: `step ${step} of ${STEPS}`,
    });
    heap.check();
    const s = heap.stats();
    const groups = [...view.querySelectorAll('g[data-kind]')];
    const count = (...kinds: string[]): number =>
      groups.filter((g) => kinds.includes(g.getAttribute('data-kind')!)).length;
    const bytes = groups.reduce((n, g) => n + Number(g.getAttribute('data-size')), 0);
    if (
      count('used') !== s.liveBlocks ||
      count('free', 'cached') !== s.freeBlocks ||
      bytes !== s.heapBytes
    ) {
      mismatches.push(
        `step ${step}: drawn ${count('used')} used, ${count('free', 'cached')} free, ${bytes} bytes; ` +
          `heap ${s.liveBlocks} live, ${s.freeBlocks} free, ${s.heapBytes} bytes`,
      );
    }
    if (step % 8 === 0) {
      frames++;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  }
  const s = heap.stats();
  report(
    {
      steps: STEPS,
      frames,
      mismatches,
      liveBlocks: s.liveBlocks,
      freeBlocks: s.freeBlocks,
      heapBytes: s.heapBytes,
      drawnGroups: view.querySelectorAll('g[data-kind]').length,
      svgWidth: view.querySelector('svg')?.getAttribute('width'),
    },
    `${STEPS} steps drawn, ${mismatches.length} mismatches; ${s.liveBlocks} live and ${s.freeBlocks} free blocks in ${s.heapBytes} bytes`,
  );
};

void run();
