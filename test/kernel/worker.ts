/**
 * The worker side of the kernel's worker tests: attaches the kernel from shared memory and runs
 * the scenario named in workerData, posting its result (or the error it threw).
 */
import { parentPort, workerData } from 'node:worker_threads';
import {
  KernelPanic,
  MALLOC_DECLARE,
  M_NOWAIT,
  M_WAITOK,
  attach,
  detach,
  free,
  malloc,
  memstat_uma,
  realloc,
} from 'foreign-ts/kernel';
import { mulberry32 } from '../support/random.js';

interface Job {
  readonly scenario: 'filler' | 'waiter' | 'alone' | 'stress' | 'freer';
  readonly address?: number;
  readonly memory: SharedArrayBuffer;
  readonly signal: SharedArrayBuffer;
  readonly domain?: number;
  readonly worker?: number;
  readonly operations?: number;
}

const job = workerData as Job;
const k = attach(job.memory, job.domain === undefined ? {} : { domain: job.domain });
const t = MALLOC_DECLARE(k, 'workers');
const signal = new Int32Array(job.signal);
const BIG = 60000;

/** Waits until signal[i] is at least `value`. */
const await_ = (i: number, value: number): void => {
  while (Atomics.load(signal, i) < value) Atomics.wait(signal, i, Atomics.load(signal, i), 50);
};
const raise = (i: number): void => {
  Atomics.add(signal, i, 1);
  Atomics.notify(signal, i);
};

const sleeps = (): number => memstat_uma(k).find((z) => z.name === 'malloc-65536')!.sleep;

const scenarios = {
  /** Fills the domain, says so (signal[0]), waits for a sleeper, frees one block. */
  filler: () => {
    const mine: number[] = [];
    for (let p = malloc(BIG, t, M_NOWAIT); p !== 0; p = malloc(BIG, t, M_NOWAIT)) mine.push(p);
    raise(0);
    while (sleeps() === 0) Atomics.wait(signal, 1, 0, 5);
    const freed = mine.pop()!;
    free(freed, t);
    return { filled: mine.length + 1, freed, remaining: mine };
  },
  /** Waits for the filler, then sleeps in M_WAITOK until it frees. */
  waiter: () => {
    await_(0, 1);
    const p = malloc(BIG, t, M_WAITOK);
    return { got: p, sleeps: sleeps() };
  },
  /** The only thread attached: M_WAITOK on a full domain must panic, not hang. */
  alone: () => {
    const mine: number[] = [];
    for (let p = malloc(BIG, t, M_NOWAIT); p !== 0; p = malloc(BIG, t, M_NOWAIT)) mine.push(p);
    try {
      malloc(BIG, t, M_WAITOK);
      return { panic: null };
    } catch (error) {
      return { panic: error instanceof KernelPanic ? error.panicstr : String(error) };
    } finally {
      for (const p of mine) free(p, t);
    }
  },
  /** Frees the block at `address` (another thread's), then leaves. */
  freer: () => {
    free(job.address!, t);
    detach(k);
    return { freed: job.address };
  },
  /** Random malloc/free/realloc with a pattern in every block, checked before each free. */
  stress: () => {
    const random = mulberry32(1000 + (job.worker ?? 0));
    const live: [number, number, number][] = [];
    let tags = (job.worker ?? 0) << 24;
    const size = () => Math.floor(Math.exp(random() * Math.log(8192)));
    const paint = (p: number, n: number, tag: number) => {
      for (let i = 0; i < Math.min(n, 32); i++) k.u8[p + i] = (tag + i * 13) & 0xff;
    };
    const intact = (p: number, n: number, tag: number) => {
      for (let i = 0; i < Math.min(n, 32); i++)
        if (k.u8[p + i] !== ((tag + i * 13) & 0xff)) return false;
      return true;
    };
    const own = (p: number, n: number) => {
      if (p === 0) throw new Error(`worker ${job.worker}: malloc(${n}, M_WAITOK) returned 0`);
      tags += 1;
      paint(p, n, tags);
      live.push([p, n, tags]);
    };
    const take = () => {
      const j = Math.floor(random() * live.length);
      const entry = live[j]!;
      live[j] = live[live.length - 1]!;
      live.pop();
      if (!intact(...entry))
        throw new Error(
          `worker ${job.worker}: block ${entry[0]} of ${entry[1]} bytes was overwritten`,
        );
      return entry;
    };
    for (let i = 0; i < (job.operations ?? 0); i++) {
      const r = random();
      if (live.length < 200 || (live.length < 2000 && r < 0.5)) {
        const n = r < 0.02 ? 70000 : size();
        own(malloc(n, t, M_WAITOK), n);
      } else if (r < 0.85) {
        free(take()[0], t);
      } else {
        const [p, n0, tag] = take();
        const n = size();
        const q = realloc(p, n, t, M_WAITOK);
        if (!intact(q, Math.min(n, n0), tag))
          throw new Error(`worker ${job.worker}: realloc lost the contents`);
        own(q, n);
      }
    }
    detach(k);
    return { live: live.map(([p, n]) => [p, n]) };
  },
};

try {
  parentPort!.postMessage({ ok: scenarios[job.scenario]() });
} catch (error) {
  parentPort!.postMessage({
    error:
      error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error),
  });
}
