/**
 * The heap suite's traces are the ones allocators.md §3.2 defines: these are the figures it
 * gives for them (W1, W2: 499 999 mallocs, 500 001 frees, live within 9 968–10 032, mean request
 * 654 B and 34.4 B, peak live 6.52 MiB and 0.33 MiB).
 */
import { describe, expect, it } from 'vitest';
import { churnTrace, logu, mulberry32, peakLiveBytes } from '../../bench/lib/trace.js';
import { Bump } from '../../bench/lib/bump.js';

const MiB = 1024 * 1024;

describe('heap suite traces', () => {
  it('mulberry32 draws in [0, 1), the same for the same seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
  });

  it('logu is the formula of allocators.md, log-uniform up to max', () => {
    expect(logu(8, 4096, 0.999999999)).toBe(4096);
    expect(logu(16, 64, 0.5)).toBe(Math.floor(Math.exp((Math.log(16) + Math.log(65)) / 2)));
  });

  it.each([
    ['W1', 8, 4096, 654, 6.52],
    ['W2', 16, 64, 34.4, 0.33],
  ])('%s matches the figures of allocators.md', (_name, min, max, mean, peakMiB) => {
    const t = churnTrace(min, max, 10_000, 1_000_000);
    expect([t.mallocs, t.frees, t.minLive, t.maxLive]).toEqual([499_999, 500_001, 9968, 10_032]);
    expect(t.meanRequest).toBeCloseTo(mean, 0);
    expect(peakLiveBytes(t) / MiB).toBeCloseTo(peakMiB, 2);
    const sizes = [...t.prefill, ...t.ops.filter((x) => x >= 1)];
    let [lo, hi] = [max, min];
    for (const x of sizes) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
    expect([lo, hi]).toEqual([min, max]);
  });
});

describe('bump allocator', () => {
  it('bumps by align8(n) + 8, grows the last block in place, copies otherwise', () => {
    const b = new Bump(1024);
    const p = b.malloc(5);
    const q = b.malloc(16);
    expect([p, q]).toEqual([16, 32]);
    expect(b.handedOut).toBe(16 + 24);
    b.u8[p] = 7;
    const p2 = b.realloc(p, 100);
    expect(p2).toBe(56);
    expect(b.u8[p2]).toBe(7);
    expect(b.realloc(p2, 200)).toBe(p2);
    expect(b.handedOut).toBe(16 + 24 + 112 + 96);
  });

  it('wraps to the start when the buffer is exhausted', () => {
    const b = new Bump(96);
    expect([b.malloc(24), b.malloc(24), b.malloc(24)]).toEqual([16, 48, 16]);
  });
});
