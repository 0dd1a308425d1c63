/**
 * The dlmalloc module of the heap suite (c/build/dlmalloc.wasm): it needs no imports, its C
 * replay loops do what the suite's JS loops do, and its extent tracking agrees with the JS one.
 */
import { describe, expect, it } from 'vitest';
import { copyIn, dlmalloc, ExtentMeter } from '../../bench/lib/dlmalloc.js';
import { churnTrace } from '../../bench/lib/trace.js';

const trace = churnTrace(8, 4096, 500, 5000, 7);

/** A fresh instance with the trace, the live array and the count copied into its memory. */
const prepared = () => {
  const x = dlmalloc();
  const prefill = copyIn(x, trace.prefill);
  const ops = copyIn(x, trace.ops);
  const live = copyIn(x, new Uint32Array(trace.maxLive + 1));
  const count = copyIn(x, Uint32Array.of(trace.prefill.length));
  return { x, prefill, ops, live, count };
};

describe('the dlmalloc module', () => {
  it('has no imports', async () => {
    const { readFileSync } = await import('node:fs');
    const module = new WebAssembly.Module(readFileSync('c/build/dlmalloc.wasm'));
    expect(WebAssembly.Module.imports(module)).toEqual([]);
  });

  it('replays a churn in C exactly as the JS loop does, with the same extent', () => {
    const c = prepared();
    expect(c.x.prefill(c.prefill, trace.prefill.length, c.live, 1)).toBe(0);
    expect(c.x.churn(c.ops, trace.ops.length, c.live, c.count, 1)).toBe(0);
    const count = new Uint32Array(c.x.memory.buffer, c.count, 1)[0]!;
    const fromC = Array.from(new Uint32Array(c.x.memory.buffer, c.live, count));

    const js = prepared();
    const meter = new ExtentMeter(js.x);
    const live: number[] = [];
    for (const size of trace.prefill) {
      live.push(js.x.malloc(size));
      meter.track(live[live.length - 1]!);
    }
    for (const v of trace.ops) {
      if (v >= 1) {
        live.push(js.x.malloc(v));
        meter.track(live[live.length - 1]!);
      } else {
        const j = (v * live.length) | 0;
        const p = live[j]!;
        live[j] = live[live.length - 1]!;
        live.pop();
        js.x.free(p);
      }
    }
    expect(fromC).toEqual(live);
    expect(c.x.extent()).toBe(meter.bytes);
    expect(meter.bytes).toBeGreaterThan(0);
    expect(meter.bytes).toBeLessThan(c.x.memory.buffer.byteLength);
  });

  it('realloc_rounds keeps every buffer and its first word', () => {
    const x = dlmalloc();
    const n = 50;
    const sizes = copyIn(x, new Float64Array(n).fill(16));
    const h = copyIn(x, new Uint32Array(n));
    expect(x.prefill(sizes, n, h, 0)).toBe(0);
    let blocks = Array.from(new Uint32Array(x.memory.buffer, h, n));
    blocks.forEach((p, i) => (new Uint32Array(x.memory.buffer)[p >>> 2] = i + 1));
    expect(x.realloc_rounds(h, n, 8, 1)).toBe(0);
    blocks = Array.from(new Uint32Array(x.memory.buffer, h, n));
    const u32 = new Uint32Array(x.memory.buffer);
    blocks.forEach((p, i) => {
      expect(u32[p >>> 2]).toBe(i + 1);
      expect(x.malloc_usable_size(p)).toBeGreaterThanOrEqual(16 << 8);
    });
  });
});
