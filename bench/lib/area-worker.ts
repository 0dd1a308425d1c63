/**
 * One worker of an area-suite team (area-team.ts): for each job, attaches the pool (or the shared
 * heap), prefills, waits to be released, replays its own churn trace, then frees everything.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { attach_pool } from 'foreign-ts/area';
import { Heap } from 'foreign-ts/heap';
import {
  liveFor,
  prefillHeap,
  prefillPool,
  releaseHeap,
  releasePool,
  replayHeap,
  replayPool,
} from './area-replay.js';
import { CLEANED, FINISHED, GO, READY, RESULTS, type Job } from './area-team.js';
import { ThreadSpan } from './thread-clock.js';
import { churnTrace } from './trace.js';

const {
  sync: buffer,
  spans,
  index,
} = workerData as {
  sync: SharedArrayBuffer;
  spans: SharedArrayBuffer;
  index: number;
};
const sync = new Int32Array(buffer);
const span = new ThreadSpan();
const mySpan = new Float64Array(spans, 16 * index, 2);

const arrive = (word: number): void => {
  Atomics.add(sync, word, 1);
  Atomics.notify(sync, word);
};

const release = (generation: number): void => {
  while (Atomics.load(sync, GO) < generation) Atomics.wait(sync, GO, Atomics.load(sync, GO), 100);
};

parentPort!.on('message', (job: Job) => {
  const trace = churnTrace(16, 256, job.live, job.ops, job.seed);
  const live = liveFor(trace);
  if (job.kind === 'pool') {
    const pool = attach_pool(job.pool!);
    prefillPool(pool, trace, live);
    arrive(READY);
    release(job.generation);
    span.start();
    replayPool(pool, trace, job.ops, live);
    span.stop(mySpan);
    arrive(FINISHED);
    releasePool(pool, live);
    pool.detach();
  } else {
    const heap = Heap.attach(job.heap!);
    prefillHeap(heap, trace, live);
    arrive(READY);
    release(job.generation);
    span.start();
    replayHeap(heap, trace, job.ops, live);
    span.stop(mySpan);
    arrive(FINISHED);
    releaseHeap(heap, live);
  }
  sync[RESULTS + 2 * index] = live.failures;
  sync[RESULTS + 2 * index + 1] = live.badData;
  arrive(CLEANED);
});
