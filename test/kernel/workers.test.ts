/**
 * The kernel with real worker_threads over shared memory: a worker sleeps in M_WAITOK until
 * another frees memory and wakes with it; a thread alone gets a panic, not a hang; and two
 * workers run 200 000 random operations each, on first-touch domains of their own and on one
 * shared domain (FOREIGN_TS_LONG=1: 2 000 000).
 */
import { Worker } from 'node:worker_threads';
import {
  MALLOC_DEFINE,
  M_NOWAIT,
  M_WAITOK,
  check,
  malloc,
  mallocAsync,
  detach,
  free,
  memstat_uma,
  vm_phys_domain,
  type Kernel,
} from 'foreign-ts/kernel';
import { describe, expect, it } from 'vitest';
import { kernel, statsOf } from './helpers.js';

const OPERATIONS = process.env.FOREIGN_TS_LONG === '1' ? 2_000_000 : 200_000;
const boot = new URL('../support/worker-boot.mjs', import.meta.url);
const entry = new URL('./worker.ts', import.meta.url).href;

const start = (k: Kernel, signal: SharedArrayBuffer, data: Record<string, unknown>) =>
  new Promise<any>((resolve, reject) => {
    const thread = new Worker(boot, {
      workerData: { entry, memory: k.memory.source, signal, ...data },
    });
    thread.once('message', (m: { ok?: unknown; error?: string }) =>
      m.error === undefined ? resolve(m.ok) : reject(new Error(m.error)),
    );
    thread.once('error', reject);
    thread.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });

describe('M_WAITOK across workers', () => {
  it('a worker sleeps in malloc until another frees, and wakes with the memory', async () => {
    const { k } = kernel({ shared: true, domainBytes: 1 << 20, initialBytes: 1 << 18 });
    const t = MALLOC_DEFINE(k, 'workers');
    const signal = new SharedArrayBuffer(8);
    const [filler, waiter] = await Promise.all([
      start(k, signal, { scenario: 'filler' }),
      start(k, signal, { scenario: 'waiter' }),
    ]);
    expect(filler.filled).toBeGreaterThan(5);
    expect(waiter.got).toBe(filler.freed);
    expect(waiter.sleeps).toBeGreaterThanOrEqual(1);
    expect(statsOf(t).count).toBe(BigInt(filler.filled));
    check(k);
    for (const p of [...filler.remaining, waiter.got]) free(p, t);
    check(k);
    expect(statsOf(t).count).toBe(0n);
  });

  it('the promise form on a shared kernel resolves when a worker frees', async () => {
    const { k } = kernel({ shared: true, domainBytes: 1 << 20, initialBytes: 1 << 18 });
    const t = MALLOC_DEFINE(k, 'workers');
    const held: number[] = [];
    for (let p = malloc(60000, t, M_NOWAIT); p !== 0; p = malloc(60000, t, M_NOWAIT)) held.push(p);
    let got = 0;
    const pending = mallocAsync(60000, t, M_WAITOK).then((p) => (got = p));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(got).toBe(0);
    const address = held.pop()!;
    await start(k, new SharedArrayBuffer(8), { scenario: 'freer', address });
    await pending;
    expect(got).toBe(address);
    for (const p of [...held, got]) free(p, t);
    check(k);
  });

  it('the only thread attached panics instead of sleeping forever', async () => {
    const { k } = kernel({ shared: true, domainBytes: 1 << 20, initialBytes: 1 << 18 });
    MALLOC_DEFINE(k, 'workers');
    detach(k);
    const result = await start(k, new SharedArrayBuffer(8), { scenario: 'alone' });
    expect(result.panic).toMatch(
      /^malloc\(M_WAITOK\): cannot sleep for 65536 bytes: no other thread is attached/,
    );
  });
});

describe('two workers at once', () => {
  for (const layout of ['first-touch domains of their own', 'one shared domain'] as const) {
    it(`survive ${OPERATIONS} random operations each on ${layout}`, async () => {
      const domains = layout === 'one shared domain' ? 1 : 2;
      const { k } = kernel({ shared: true, domains, domainBytes: 64 << 20, initialBytes: 1 << 20 });
      const t = MALLOC_DEFINE(k, 'workers');
      const signal = new SharedArrayBuffer(8);
      const results = await Promise.all(
        [1, 2].map((worker) =>
          start(k, signal, {
            scenario: 'stress',
            worker,
            operations: OPERATIONS,
            ...(domains === 2 ? { domain: worker - 1 } : {}),
          }),
        ),
      );
      check(k);
      const live = results.flatMap((r, w) =>
        (r.live as [number, number][]).map(([p, n]) => [p, n, w] as const),
      );
      if (domains === 2) {
        // First-touch: small blocks come from each worker's own domain.
        for (const [p, n, w] of live) if (n <= 65536) expect(vm_phys_domain(k, p)).toBe(w);
      }
      live.sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < live.length; i++)
        expect(live[i - 1]![0] + live[i - 1]![1]).toBeLessThanOrEqual(live[i]![0]);
      expect(statsOf(t).count).toBe(BigInt(live.length));
      expect(statsOf(t).numallocs).toBeGreaterThan(OPERATIONS / 2);
      for (const [p] of live) free(p, t);
      check(k);
      expect(statsOf(t).count).toBe(0n);
      expect(memstat_uma(k).every((z) => z.used === 0)).toBe(true);
      if (domains === 2)
        expect(memstat_uma(k).reduce((n, z) => n + z.xdomain, 0)).toBeGreaterThan(0);
    });
  }
});
