/**
 * A worker of the kernel suite's scaling workload. It waits for commands on a control word in
 * shared memory (so the main thread can drive it while blocked in `Atomics.wait`): each command
 * comes with a message (read synchronously with `receiveMessageOnPort`) naming the memory to
 * attach (a shared kernel or a shared bare heap), the worker's home domain and the trace; the
 * worker prefills, reports ready, waits for the start, replays the trace, reports done.
 *
 * Control words: [0] command generation, [1] ready count, [2] start generation, [3] done count
 * (the timed replay), [4] failures (allocations that returned 0), [5] finished count (the worker
 * has freed its blocks and detached: the main thread may check the memory). Each worker also
 * writes the span and CPU time of its timed replay, by its thread's clock (thread-clock.ts), into its own
 * two float64s of the `spans` buffer.
 */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { Heap } from 'foreign-ts/heap';
import { MALLOC_DECLARE, M_WAITOK, attach, detach, free, malloc } from 'foreign-ts/kernel';
import { heapOps } from './heap-ops.js';
import { kernelOps } from './kernel-ops.js';
import { ThreadSpan } from './thread-clock.js';
import { churnTrace, type ChurnTrace } from './trace.js';

export interface KernelWorkerJob {
  readonly kind: 'kernel' | 'heap';
  readonly memory: SharedArrayBuffer;
  readonly domain: number;
  readonly ops: number;
  readonly live: number;
  readonly seed: number;
}

const { control, spans, index, port } = workerData as {
  control: SharedArrayBuffer;
  spans: SharedArrayBuffer;
  index: number;
  port: MessagePort;
};
const words = new Int32Array(control);
const span = new ThreadSpan();
const mySpan = new Float64Array(spans, 16 * index, 2);

const wait = (index: number, past: number): void => {
  while (Atomics.load(words, index) === past) Atomics.wait(words, index, past);
};
const signal = (index: number): void => {
  Atomics.add(words, index, 1);
  Atomics.notify(words, index);
};

const traces = new Map<string, ChurnTrace>();
const traceOf = (job: KernelWorkerJob): ChurnTrace => {
  const key = `${job.live}:${job.ops}:${job.seed}`;
  let t = traces.get(key);
  if (t === undefined) {
    t = churnTrace(16, 64, job.live, job.ops, job.seed);
    traces.set(key, t);
  }
  return t;
};

/** The replay on a kernel: typed malloc/free with M_WAITOK, as the W2 cell of the main thread. */
const replayKernel = (job: KernelWorkerJob, t: ChurnTrace, start: number): void => {
  const k = attach(job.memory, { domain: job.domain });
  const type = MALLOC_DECLARE(k, 'bench');
  const live = new Array<number>(t.maxLive + 1).fill(0);
  let count = 0;
  for (const size of t.prefill) live[count++] = malloc(size, type, M_WAITOK);
  signal(1);
  wait(2, start);
  span.start();
  const left = kernelOps(type, t.ops, t.ops.length, live, count);
  span.stop(mySpan);
  signal(3);
  for (let i = 0; i < left; i++) free(live[i]!, type);
  detach(k);
};

/** The same replay on a shared bare heap. */
const replayHeap = (job: KernelWorkerJob, t: ChurnTrace, start: number): void => {
  const heap = Heap.attach(job.memory);
  const live = new Array<number>(t.maxLive + 1).fill(0);
  let count = 0;
  for (const size of t.prefill) live[count++] = heap.malloc(size);
  signal(1);
  wait(2, start);
  span.start();
  const failures = heapOps(heap, t.ops, t.ops.length, live, count);
  span.stop(mySpan);
  Atomics.add(words, 4, failures);
  signal(3);
  const left = count + t.mallocs - t.frees; // the blocks live at the trace's end
  for (let i = 0; i < left; i++) if (live[i] !== 0) heap.free(live[i]!);
};

let command = 0;
for (;;) {
  wait(0, command);
  command = Atomics.load(words, 0);
  const message = receiveMessageOnPort(port);
  if (message === undefined) continue;
  const job = message.message as KernelWorkerJob;
  const t = traceOf(job);
  const start = Atomics.load(words, 2);
  if (job.kind === 'kernel') replayKernel(job, t, start);
  else replayHeap(job, t, start);
  signal(5);
}
