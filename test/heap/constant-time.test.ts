/**
 * malloc, free and realloc are O(1): the number of memory words they touch does not grow with
 * the number of live blocks. Counted, not timed: the heap runs over views that count every
 * element read and write.
 */
import { describe, expect, it } from 'vitest';
import { Heap, Memory, type Views } from '../../src/index.js';

const isIndex = (key: string | symbol): boolean =>
  typeof key === 'string' && key.length > 0 && key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57;

const counting = <T extends object>(array: T, counter: { n: number }): T =>
  new Proxy(array, {
    get(target, key) {
      if (isIndex(key)) counter.n += 1;
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function'
        ? (value as (...a: unknown[]) => unknown).bind(target)
        : value;
    },
    set(target, key, value) {
      if (isIndex(key)) counter.n += 1;
      return Reflect.set(target, key, value, target);
    },
  });

const countingViews = (views: Views, counter: { n: number }): Views => {
  const wrapped: Record<string, unknown> = { buffer: views.buffer };
  for (const [name, view] of Object.entries(views)) {
    if (name !== 'buffer') wrapped[name] = counting(view as object, counter);
  }
  return wrapped as unknown as Views;
};

/** A deterministic generator (mulberry32). */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The most words one operation touched, over a churn of operations at a live-set size. */
const worstOperation = (live: number): number => {
  const counter = { n: 0 };
  const memory = Memory.from(new ArrayBuffer(96 << 20));
  memory.views = countingViews(memory.views, counter);
  const heap = Heap.over(memory, { base: 0 });
  const next = random(live);
  const size = () => Math.floor(8 * Math.exp(next() * Math.log(4096 / 8)));
  const blocks: number[] = [];
  for (let i = 0; i < 2 * live; i++) blocks.push(heap.malloc(size()));
  for (let i = 0; i < live; i++)
    heap.free(blocks.splice(Math.floor(next() * blocks.length), 1)[0]!);
  let worst = 0;
  for (let i = 0; i < 3000; i++) {
    const before = counter.n;
    const choice = next();
    if (choice < 0.4) blocks.push(heap.malloc(size()));
    else if (choice < 0.8) heap.free(blocks.splice(Math.floor(next() * blocks.length), 1)[0]!);
    else {
      const j = Math.floor(next() * blocks.length);
      blocks[j] = heap.realloc(blocks[j]!, size());
    }
    worst = Math.max(worst, counter.n - before);
  }
  expect(blocks.every((p) => p !== 0)).toBe(true);
  return worst;
};

describe('operations are O(1) in the number of live blocks', () => {
  it('the worst operation touches the same bounded number of words at 100 and at 20 000 live blocks', () => {
    const small = worstOperation(100);
    const large = worstOperation(20_000);
    expect(small).toBeLessThanOrEqual(160);
    expect(large).toBeLessThanOrEqual(160);
  });
});
