/**
 * A worker of shared-heap.ts: attaches the page's heap and runs a seeded mix of operations on
 * it, at the same time as the other worker (both wait at a barrier first). Every operation is
 * counted (so the page can check that the heap's counters hold all of them), and every 500
 * operations the worker looks at the other's progress: `interleaved` counts the looks that found
 * the other worker between its first and last operation.
 */
import { Heap } from 'foreign-ts';
import { mulberry32 } from '../../support/random.js';

interface Job {
  readonly source: SharedArrayBuffer;
  /** [0]: the barrier; [1], [2]: each worker's operations so far. */
  readonly barrier: Int32Array;
  readonly id: number;
  readonly ops: number;
}

/** A seeded integer in [0, n), so each worker's program is the same every run. */
const generator = (seed: number) => {
  const next = mulberry32(seed);
  return (n: number): number => Math.floor(next() * n);
};

self.onmessage = (event: MessageEvent<Job>) => {
  const { source, barrier, id, ops } = event.data;
  const heap = Heap.attach(source);
  const random = generator(0x9e3779b9 ^ id);
  const live: Array<{ p: number; n: number; tag: number }> = [];
  let mallocs = 0;
  let reallocs = 0;
  let frees = 0;
  let corrupted = 0;
  let failures = 0;
  let interleaved = 0;
  const other = 3 - id;
  const stamp = (p: number, n: number, tag: number): void => {
    heap.memory.ensure(p, n).u8.fill(tag, p, p + n);
  };
  const intact = (p: number, n: number, tag: number): boolean => {
    const u8 = heap.memory.ensure(p, n).u8;
    for (let i = p; i < p + n; i++) if (u8[i] !== tag) return false;
    return true;
  };
  const release = (k: number): void => {
    const [b] = live.splice(k, 1);
    if (!intact(b!.p, b!.n, b!.tag)) corrupted++;
    heap.free(b!.p);
    frees++;
  };
  // both workers start together
  Atomics.add(barrier, 0, 1);
  Atomics.notify(barrier, 0);
  while (Atomics.load(barrier, 0) < 2) Atomics.wait(barrier, 0, Atomics.load(barrier, 0), 1000);
  for (let i = 0; i < ops; i++) {
    Atomics.store(barrier, id, i);
    if (i % 500 === 0) {
      const theirs = Atomics.load(barrier, other);
      if (theirs > 0 && theirs < ops - 1) interleaved++;
    }
    const r = random(10);
    if (live.length === 0 || (r < 5 && live.length < 400)) {
      const n = 8 + random(600);
      const p = heap.malloc(n);
      if (p === 0) {
        failures++;
        continue;
      }
      mallocs++;
      const tag = (id * 16 + (i & 15)) & 255;
      stamp(p, n, tag);
      live.push({ p, n, tag });
    } else if (r < 7) {
      const k = random(live.length);
      const b = live[k]!;
      const n = 8 + random(2000);
      if (!intact(b.p, Math.min(b.n, n), b.tag)) corrupted++;
      const q = heap.realloc(b.p, n);
      if (q === 0) {
        failures++;
        continue;
      }
      reallocs++;
      live[k] = { p: q, n, tag: b.tag };
      stamp(q, n, b.tag);
    } else {
      release(random(live.length));
    }
  }
  Atomics.store(barrier, id, ops);
  const inLoop = { mallocs, reallocs, frees, failures };
  while (live.length > 0) release(live.length - 1);
  postMessage({ id, ops, inLoop, mallocs, reallocs, frees, corrupted, failures, interleaved });
};
