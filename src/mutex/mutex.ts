/**
 * A mutex in one 32-bit word of shared memory, for heaps, kernels and pools shared by workers.
 *
 * States: 0 unlocked, 1 locked, 2 locked and someone may be waiting (Drepper, "Futexes Are
 * Tricky", mutex 2). A thread that finds it locked spins briefly, then sleeps in
 * `Atomics.wait`; the unlocking thread wakes one sleeper only when the state says there may be
 * one. Where `Atomics.wait` is not allowed (a browser's main thread) it keeps spinning.
 *
 * @internal
 */

const UNLOCKED = 0;
const LOCKED = 1;
const CONTENDED = 2;
const SPINS = 64;

let canWait: boolean | undefined;

/** Whether this thread may block in `Atomics.wait` (not on a browser's main thread). */
const waitAllowed = (i32: Int32Array, index: number): boolean => {
  if (canWait === undefined) {
    try {
      // Returns "not-equal" at once: the word is never this value while we hold no lock.
      Atomics.wait(i32, index, -1, 0);
      canWait = true;
    } catch {
      canWait = false;
    }
  }
  return canWait;
};

/**
 * Takes the lock at `i32[index]`, waiting as long as it takes, or at most `timeoutMs`
 * milliseconds (where this thread may not block, it spins until then); returns whether it took
 * it. Only a caller that passes a timeout needs to look at the result.
 *
 * @internal
 */
export const lock = (i32: Int32Array, index: number, timeoutMs = Infinity): boolean => {
  let state = Atomics.compareExchange(i32, index, UNLOCKED, LOCKED);
  if (state === UNLOCKED) return true;
  for (let i = 0; i < SPINS && state !== UNLOCKED; i++) {
    state = Atomics.compareExchange(i32, index, UNLOCKED, LOCKED);
  }
  if (state === UNLOCKED) return true;
  const sleep = waitAllowed(i32, index);
  const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
  if (state !== CONTENDED) state = Atomics.exchange(i32, index, CONTENDED);
  while (state !== UNLOCKED) {
    // Giving up leaves the word CONTENDED: the holder's unlock then wakes nobody, harmlessly.
    const left = deadline === Infinity ? Infinity : deadline - performance.now();
    if (left <= 0) return false;
    if (sleep) Atomics.wait(i32, index, CONTENDED, left);
    state = Atomics.exchange(i32, index, CONTENDED);
  }
  return true;
};

/**
 * Releases the lock at `i32[index]`, waking one waiter if there may be one.
 *
 * @internal
 */
export const unlock = (i32: Int32Array, index: number): void => {
  if (Atomics.sub(i32, index, 1) !== LOCKED) {
    Atomics.store(i32, index, UNLOCKED);
    Atomics.notify(i32, index, 1);
  }
};
