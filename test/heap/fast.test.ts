/**
 * The fast paths of `Heap.malloc` and `Heap.free` (fast.ts, and the cache paths written out in
 * heap.ts) leave the heap exactly as the general path does. An unshared heap takes the fast
 * paths; a heap in shared memory, under its lock, always takes the general one. Both replay
 * the same program from the same start, and must return the same addresses and end with the
 * same bytes, word for word, but for the flags word that says which is shared.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Heap } from '../../src/index.js';

type Command =
  | { op: 'malloc'; size: number }
  | { op: 'free'; pick: number }
  | { op: 'realloc'; pick: number; size: number };

const size = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 260 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 4096 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 200_000 }) },
);
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('malloc' as const), size }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('free' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('realloc' as const), pick: fc.nat(), size }),
  },
);

/** F_FLAGS: the one word of the control block in which the two heaps differ. */
const FLAGS_WORD = 2;

const pair = (): [fast: Heap, general: Heap] => {
  const options = { initialBytes: 65536, maxBytes: 8 << 20 };
  return [Heap.create(options), Heap.create({ ...options, shared: true })];
};

/** Both heaps, word by word, but for the flags word: the address of the first difference, or -1. */
const firstDifference = (fast: Heap, general: Heap): number => {
  const bytes = fast.stats().heapBytes;
  expect(general.stats().heapBytes).toBe(bytes);
  const a = fast.memory.views.u32;
  const b = general.memory.views.u32;
  for (let i = 0; i < bytes >>> 2; i++) if (i !== FLAGS_WORD && a[i] !== b[i]) return 4 * i;
  return -1;
};

/** Runs `commands` on both heaps; every call must return the same on both. */
const replay = (commands: readonly Command[]): void => {
  const [fast, general] = pair();
  const live: number[] = [];
  for (const c of commands) {
    if (c.op === 'malloc') {
      const p = fast.malloc(c.size);
      expect(general.malloc(c.size)).toBe(p);
      if (p !== 0) live.push(p);
    } else if (live.length > 0) {
      const j = c.pick % live.length;
      const p = live[j]!;
      if (c.op === 'free') {
        fast.free(p);
        general.free(p);
        live[j] = live[live.length - 1]!;
        live.pop();
      } else {
        const q = fast.realloc(p, c.size);
        expect(general.realloc(p, c.size)).toBe(q);
        if (q !== 0) live[j] = q;
        else if (c.size === 0) {
          live[j] = live[live.length - 1]!;
          live.pop();
        }
      }
    }
  }
  expect(firstDifference(fast, general)).toBe(-1);
  fast.check();
  general.check();
  for (const p of live) {
    fast.free(p);
    general.free(p);
  }
  expect(firstDifference(fast, general)).toBe(-1);
  expect(fast.stats().freeBlocks).toBe(1);
};

describe('the fast paths', () => {
  it('leave the heap exactly as the general path does, on random programs', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 200, maxLength: 1500 }), (commands) => {
        replay(commands);
      }),
      { numRuns: 40 },
    );
  });

  it('leave the heap exactly as the general path does on a churn of 8–4096-byte blocks', () => {
    let seed = 7;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const commands: Command[] = [];
    for (let i = 0; i < 30_000; i++) {
      commands.push(
        next() < 0.52
          ? { op: 'malloc', size: Math.floor(8 * Math.exp(next() * Math.log(512))) }
          : { op: 'free', pick: Math.floor(next() * 2 ** 31) },
      );
    }
    replay(commands);
  });
});
