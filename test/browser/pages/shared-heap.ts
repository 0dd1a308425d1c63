/**
 * A heap in a SharedArrayBuffer used by two Web Workers at once, on a page served with
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`
 * (without them the page has no SharedArrayBuffer: see no-isolation.ts). The page makes the
 * heap; each worker attaches it, waits at a barrier for the other, then runs its own seeded mix
 * of malloc, realloc and free, writing a pattern into every block and checking it before the
 * block is freed, and frees what it still holds. The page then runs check() and reads the
 * counters: every operation of both workers is in them, and no block is left.
 */
import { Heap } from 'foreign-ts';
import { report } from '../report.js';

const OPS = 60_000;

const run = async (): Promise<void> => {
  const heap = Heap.create({ shared: true, initialBytes: 1 << 18, maxBytes: 1 << 24 });
  const barrier = new Int32Array(new SharedArrayBuffer(12));
  const started = heap.stats();
  const workers = [1, 2].map(
    () => new Worker(new URL('./shared-heap-worker.js', import.meta.url), { type: 'module' }),
  );
  const results = await Promise.all(
    workers.map(
      (worker, i) =>
        new Promise<Record<string, unknown>>((resolve, reject) => {
          worker.onmessage = (event) => resolve(event.data as Record<string, unknown>);
          worker.onerror = (event) => reject(new Error(`worker ${i + 1}: ${event.message}`));
          worker.postMessage({ source: heap.memory.source, barrier, id: i + 1, ops: OPS });
        }),
    ),
  );
  for (const w of workers) w.terminate();
  let checkError: string | null = null;
  try {
    heap.check();
  } catch (error) {
    checkError = (error as Error).message;
  }
  const s = heap.stats();
  report({
    crossOriginIsolated,
    shared: heap.shared,
    memoryIsShared: heap.memory.source instanceof SharedArrayBuffer,
    ops: OPS,
    workers: results,
    checkError,
    grew: s.heapBytes > started.heapBytes,
    stats: {
      liveBlocks: s.liveBlocks,
      liveBytes: s.liveBytes,
      mallocs: s.mallocs - started.mallocs,
      frees: s.frees - started.frees,
      reallocs: s.reallocs - started.reallocs,
      failures: s.failures - started.failures,
    },
  });
};

void run();
