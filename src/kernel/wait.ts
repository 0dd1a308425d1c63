/**
 * Finding memory across domains, and waiting for it: the domainset iteration of
 * `vm_domainset.c` with FreeBSD's fallbacks, then, for an M_WAITOK request that no domain can
 * meet, what FreeBSD's `vm_wait_doms` does:
 *
 * 1. the `vm_lowmem` event (the thread's registered handlers, then UMA's reclaim of the thread's
 *    own caches) and one more pass over the domains;
 * 2. then sleep until another thread returns memory: `Atomics.wait` on the kernel's free
 *    generation word in shared memory (the synchronous form), or a promise (the asynchronous
 *    form, {@link allocAsync}). A free made while someone waits goes straight back to its keg
 *    or heap (not to the freeing CPU's bucket), bumps the generation and wakes the sleepers.
 *
 * Where nothing can wake a sleeper — a kernel that is not shared, a thread that may not block,
 * no other thread attached, or every attached thread asleep — the synchronous form panics
 * instead of hanging.
 */
import { M_NOWAIT, M_WAITOK } from './constants.js';
import type { Domainset } from './domainset.js';
import { panic } from './errors.js';
import { threadCanSleep, type Kernel } from './kernel.js';
import { KH_CPUS, KH_FREEGEN, KH_SLEEPING, KH_WAITERS } from './layout.js';
import { drainCpu } from './zone.js';

/** How long a sleeper sleeps before it looks again whether anyone can still wake it (ms). */
const RECHECK_MS = 100;

/** `VM_LOW_KMEM`: the flag `vm_lowmem` handlers receive. */
export const VM_LOW_KMEM = 1;

/**
 * One allocation request, as the domain iteration sees it.
 *
 * @internal
 */
export interface Request {
  readonly call: string;
  readonly flags: number;
  /** The domainset, or null for first-touch over every domain (UMA's default policy). */
  readonly ds: Domainset | null;
  /** The policy used when `ds` is null. */
  readonly policy: number;
  /** Bytes the request needs (for the message when it can never be met). */
  readonly bytes: number;
  /** Tries domain `d`; returns the address, or 0. */
  attempt(d: number): number;
  /** Whether domain `d` could ever meet the request (it fits its capacity). */
  fits(d: number): boolean;
  /** Counts a sleep (the zone's SLEEP column). */
  onSleep?(): void;
  /** Never wait (a zone request with M_NOVM: UMA does not ask the VM at all). */
  readonly neverWait?: boolean;
}

/** One pass of the iterator over the domains; returns the address, or 0. */
const pass = (req: Request, first: boolean, it: ReturnType<Kernel['iterate']>): number => {
  let d = first ? it.domain : it.restart();
  while (d >= 0) {
    const va = req.attempt(d);
    if (va !== 0) return va;
    d = it.next();
  }
  return 0;
};

/**
 * Tries every domain once, in the order of the request's domainset: the allocation path
 * without waiting.
 *
 * @internal
 */
export const tryDomains = (k: Kernel, req: Request): number =>
  pass(req, true, k.iterate(req.call, req.ds, req.policy));

/**
 * Runs the `vm_lowmem` event in this thread: its handlers, then UMA's reclaim of this CPU's
 * caches (`uma_reclaim(UMA_RECLAIM_DRAIN_CPU)` for this CPU).
 *
 * @internal
 */
export const lowmem = (k: Kernel, flags: number): void => {
  for (const tag of [...k.handlers]) if (tag.event === 'vm_lowmem') tag.handler(flags);
  drainCpu(k, 0);
};

/**
 * The steps of an allocation that may wait: yields the free generation to wait on each time it
 * must sleep, and returns the address (0 when the request may not wait).
 */
function* steps(k: Kernel, req: Request, canWait: () => void): Generator<number, number, void> {
  const it = k.iterate(req.call, req.ds, req.policy);
  let va = pass(req, true, it);
  if (va !== 0 || (req.flags & (M_WAITOK | M_NOWAIT)) !== M_WAITOK || req.neverWait === true)
    return va;
  if (!k.allDomains().some((d) => req.fits(d))) {
    panic(
      req.call,
      `${req.call}: an M_WAITOK request of ${req.bytes} bytes can never be met: no domain it may use is that large`,
    );
  }
  lowmem(k, VM_LOW_KMEM);
  va = pass(req, false, it);
  if (va !== 0) return va;
  canWait();
  const i32 = k.i32;
  Atomics.add(i32, KH_WAITERS >>> 2, 1);
  try {
    for (;;) {
      const generation = Atomics.load(i32, KH_FREEGEN >>> 2);
      va = pass(req, false, it);
      if (va !== 0) return va;
      req.onSleep?.();
      yield generation;
    }
  } finally {
    Atomics.sub(i32, KH_WAITERS >>> 2, 1);
  }
}

const bits = (x: number): number => {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
};

/** Panics unless this thread can sleep and another thread could wake it. */
const checkCanSleep = (k: Kernel, req: Request): void => {
  const why = !k.shared
    ? 'the kernel is not in shared memory, so no other thread can free memory (boot({ shared: true }), or use mallocAsync)'
    : !threadCanSleep()
      ? 'this thread may not block in Atomics.wait (use mallocAsync)'
      : bits(Atomics.load(k.i32, KH_CPUS >>> 2)) < 2
        ? 'no other thread is attached to the kernel to free memory (use mallocAsync, or free memory first)'
        : '';
  if (why !== '') {
    panic(req.call, `${req.call}(M_WAITOK): cannot sleep for ${req.bytes} bytes: ${why}`);
  }
};

/**
 * An allocation that sleeps (with `Atomics.wait`) until it can be met, when its flags say
 * M_WAITOK; panics where nothing could wake it.
 *
 * @internal
 */
export const allocSync = (k: Kernel, req: Request): number => {
  const run = steps(k, req, () => checkCanSleep(k, req));
  let step = run.next();
  if (step.done === true) return step.value;
  const i32 = k.i32;
  const me = 1 << k.cpu;
  Atomics.or(i32, KH_SLEEPING >>> 2, me);
  try {
    while (step.done !== true) {
      const generation = step.value;
      while (Atomics.wait(i32, KH_FREEGEN >>> 2, generation, RECHECK_MS) === 'timed-out') {
        const attached = Atomics.load(i32, KH_CPUS >>> 2);
        const sleeping = Atomics.load(i32, KH_SLEEPING >>> 2);
        if ((attached & ~sleeping) === 0) {
          run.return(0);
          panic(
            req.call,
            `${req.call}(M_WAITOK): every attached thread is asleep waiting for memory (deadlock)`,
          );
        }
        if (Atomics.load(i32, KH_FREEGEN >>> 2) !== generation) break;
      }
      step = run.next();
    }
    return step.value;
  } finally {
    Atomics.and(i32, KH_SLEEPING >>> 2, ~me);
  }
};

/**
 * The asynchronous form: a promise of the address, resolved when the request can be met (a
 * free in this thread or, in a shared kernel, in any thread wakes it).
 *
 * @internal
 */
export const allocAsync = async (k: Kernel, req: Request): Promise<number> => {
  const run = steps(k, req, () => {});
  let step = run.next();
  while (step.done !== true) {
    await freed(k, step.value);
    step = run.next();
  }
  return step.value;
};

interface WaitAsyncResult {
  readonly async: boolean;
  readonly value: Promise<string> | string;
}

const waitAsync = (
  Atomics as unknown as {
    waitAsync?: (a: Int32Array, i: number, v: number, t: number) => WaitAsyncResult;
  }
).waitAsync;

/** Resolves once the free generation moves past `generation` (or after a recheck interval). */
const freed = async (k: Kernel, generation: number): Promise<void> => {
  if (k.shared && waitAsync !== undefined) {
    const result = waitAsync(k.i32, KH_FREEGEN >>> 2, generation, RECHECK_MS);
    if (result.async) await result.value;
    return;
  }
  if (Atomics.load(k.i32, KH_FREEGEN >>> 2) !== generation) return;
  await new Promise<void>((resolve) => {
    k.wakeups.push(resolve);
    // A shared kernel without Atomics.waitAsync looks again now and then.
    if (k.shared) setTimeout(resolve, RECHECK_MS);
  });
};

/**
 * Called after memory was returned while someone waits: bumps the free generation and wakes
 * every sleeper and every awaiting allocation of this thread.
 *
 * @internal
 */
export const wakeup = (k: Kernel): void => {
  const i32 = k.i32;
  Atomics.add(i32, KH_FREEGEN >>> 2, 1);
  if (k.shared) Atomics.notify(i32, KH_FREEGEN >>> 2);
  const wakeups = k.wakeups.splice(0);
  for (const resolve of wakeups) resolve();
};
