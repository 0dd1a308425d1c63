/**
 * The shared-memory mutex of src/mutex/: taken, given back, and the timed form that heap/,
 * kernel/ and area/ use to give up waiting (the area pools' PoolBusyError). No assertion on
 * time: only on what each call returns and on the lock word.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lock, unlock } from '../../src/mutex/index.js';

const word = () => new Int32Array(new SharedArrayBuffer(8));

describe('the mutex', () => {
  it('is taken when free, and given back by unlock', () => {
    const i32 = word();
    expect(lock(i32, 1)).toBe(true);
    expect(i32[1]).toBe(1);
    unlock(i32, 1);
    expect(i32[1]).toBe(0);
    expect(i32[0]).toBe(0); // its neighbour untouched
  });

  it('gives up after the timeout while someone holds it, leaving it held', () => {
    const i32 = word();
    lock(i32, 0);
    expect(lock(i32, 0, 5)).toBe(false);
    expect(lock(i32, 0, 0)).toBe(false);
    expect(i32[0]).not.toBe(0); // still held (marked contended)
    unlock(i32, 0);
    expect(i32[0]).toBe(0);
    expect(lock(i32, 0, 5)).toBe(true);
    unlock(i32, 0);
  });

  it('a waiter with a timeout gets it when the holder, another thread, lets go', async () => {
    const i32 = word();
    const source = `
      const { workerData, parentPort } = require('node:worker_threads');
      const i32 = new Int32Array(workerData);
      Atomics.store(i32, 0, 1); // holds the lock
      Atomics.store(i32, 1, 1);
      Atomics.notify(i32, 1);
      Atomics.wait(i32, 1, 1); // until the main thread has seen it give up once
      Atomics.wait(i32, 1, 2, 20); // the main thread is waiting in lock() now
      if (Atomics.sub(i32, 0, 1) !== 1) { Atomics.store(i32, 0, 0); Atomics.notify(i32, 0, 1); }
      parentPort.postMessage('unlocked');
    `;
    const worker = new Worker(source, { eval: true, workerData: i32.buffer });
    const done = new Promise((resolve) => worker.once('message', resolve));
    while (Atomics.load(i32, 1) !== 1) Atomics.wait(i32, 1, 0, 50);
    expect(lock(i32, 0, 1)).toBe(false); // held by the worker
    Atomics.store(i32, 1, 2);
    Atomics.notify(i32, 1);
    expect(lock(i32, 0, 60_000)).toBe(true); // woken by the worker's unlock
    unlock(i32, 0);
    expect(i32[0]).toBe(0);
    await done;
    await worker.terminate();
  });
});
