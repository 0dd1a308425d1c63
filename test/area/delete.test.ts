/**
 * Deleting a pool while a worker still uses it (BeOS: the caller's error, undefined): the
 * worker's next call is a DeletedPoolError, its view of the pool's memory refuses writes from
 * then on, and nothing it does writes into the pool's bytes after delete_pool has returned —
 * checked on a pool placed in a shared memory whose region the main thread reuses at once.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  B_AREA_MALLOC_MODULE_NAME,
  B_EXACT_ADDRESS,
  B_FULL_LOCK,
  B_OK,
  put_module,
} from 'foreign-ts/area';
import { Memory } from 'foreign-ts/memory';
import { RW, area } from './helpers.js';

const boot = new URL('../support/worker-boot.mjs', import.meta.url);
const entry = new URL('./delete-worker.ts', import.meta.url).href;

interface Report {
  name: string;
  message: string;
  call: string;
  operations: number;
  writable: boolean;
}

describe('delete_pool while a worker uses the pool', () => {
  it('gives the worker a clear error and never lets it write into the freed region', async () => {
    const a = area();
    const memory = Memory.create({ shared: true, initialBytes: 1 << 20, maxBytes: 1 << 20 });
    const base = 256 << 10;
    const size = 256 << 10;
    const pool = a.create_pool(B_EXACT_ADDRESS, size, B_FULL_LOCK, RW, { memory, address: base })!;
    const progress = new SharedArrayBuffer(4);
    const counter = new Int32Array(progress);
    const worker = new Worker(boot, { workerData: { entry, pool: pool.share(), progress } });
    const report = new Promise<Report>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    // Let the worker get going, then delete the pool under it.
    while (Atomics.load(counter, 0) < 20_000) await new Promise((r) => setTimeout(r, 5));
    expect(a.delete_pool(pool)).toBe(B_OK);
    // The region is the memory owner's again: it reuses it at once.
    const u8 = memory.views.u8;
    u8.fill(0xee, base, base + size);
    const { name, message, call, operations, writable } = await report;
    await worker.terminate();
    expect(name).toBe('DeletedPoolError');
    expect(message).toMatch(new RegExp(`^${call}: pool ${pool.id} was deleted \\(delete_pool\\)`));
    expect(['malloc', 'realloc', 'free']).toContain(call);
    expect(operations).toBeGreaterThanOrEqual(20_000);
    expect(writable).toBe(false);
    const touched = u8.subarray(base, base + size).findIndex((b) => b !== 0xee);
    expect(touched).toBe(-1);
    put_module(B_AREA_MALLOC_MODULE_NAME);
  });
});
