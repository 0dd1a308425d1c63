/**
 * The asynchronous brackets (`task.*`, `taskEither.*`): memory lives until the body's promise
 * settles and is released then, on every path, in any order the promises settle, without the
 * LIFO alloca stack. The interleaving tests run hundreds of nested and concurrent brackets with
 * random delays and random failures; each body writes a pattern into its block and checks it
 * after every await, so a block released early (and reused by another bracket) is caught.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Task } from 'fp-ts/lib/Task.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AllocationError,
  CInt,
  Double,
  Heap,
  InvalidPointerError,
  MarshalError,
  Word8,
  aligned,
  asyncBrackets,
  contextOf,
  foreign,
  nullPtr,
  pooledMallocBytes,
  struct,
  withMany,
  type Foreign,
  type Ptr,
} from '../../../src/index.js';
import { refusal, rejection } from '../../support/thrown.js';

const LONG = process.env.FOREIGN_TS_LONG === '1';
const Pair = struct({ a: Double, b: Double });

const setup = () => {
  const heap = Heap.create();
  const api = foreign(contextOf(heap));
  return { heap, api };
};

/** A heap of one page, to run out of. */
const small = () => {
  const heap = Heap.over(new ArrayBuffer(16384), { base: 0 });
  return { heap, api: foreign(heap) };
};

const live = (heap: Heap) => {
  const { liveBlocks, liveBytes } = heap.stats();
  return { liveBlocks, liveBytes };
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class Thrown extends Error {}

describe('task brackets', () => {
  it('keep the block until the promise settles, then free it before the bracket settles', async () => {
    const { heap, api } = setup();
    const seen: string[] = [];
    const result = await api.task.allocaBytes(100, (p) => async () => {
      api.fillBytes(p, 7, 100)();
      await sleep(2);
      seen.push(`live ${heap.stats().liveBlocks}`);
      expect(heap.usableSize(p)).toBeGreaterThanOrEqual(100);
      return heap.memory.views.u8[p + 99];
    })();
    expect(result).toBe(7);
    expect(seen).toEqual(['live 1']);
    expect(live(heap)).toEqual({ liveBlocks: 0, liveBytes: 0 });
    heap.check();
  });

  it('give pointers aligned for the instance, and values in place for the with family', async () => {
    const { heap, api } = setup();
    const Big = aligned(64, struct({ x: Double }));
    expect(await api.task.alloca(Big, (p) => async () => p % 64)()).toBe(0);
    expect(await api.task.allocaBytesAligned(10, 4096, (p) => async () => p % 4096)()).toBe(0);
    expect(await api.task.allocaArray(Big, 3, (p) => async () => heap.usableSize(p) >= 192)()).toBe(
      true,
    );
    expect(
      await api.task.allocaArray0(CInt, 3, (p) => async () => heap.usableSize(p) >= 16)(),
    ).toBe(true);
    expect(
      await api.task.with(Pair, { a: 1, b: 2 }, (p) => async () => api.peek(Pair, p)())(),
    ).toEqual({ a: 1, b: 2 });
    expect(
      await api.task.withArray(CInt, [1, 2, 3], (p) => async () => api.peekArray(CInt, 3, p)())(),
    ).toEqual([1, 2, 3]);
    expect(
      await api.task.withArray0(
        CInt,
        -1,
        [1, 2],
        (p) => async () => api.peekArray0(CInt, -1, p)(),
      )(),
    ).toEqual([1, 2]);
    expect(
      await api.task.withArrayLen(CInt, [4, 5], (n, p) => async () => [
        n,
        ...api.peekArray(CInt, n, p)(),
      ])(),
    ).toEqual([2, 4, 5]);
    expect(
      await api.task.withArrayLen0(CInt, 0, [4, 5], (n, p) => async () => [
        n,
        ...api.peekArray(CInt, n + 1, p)(),
      ])(),
    ).toEqual([2, 4, 5, 0]);
    expect(await api.task.withCString('héllo', (p) => async () => api.peekCString(p)())()).toBe(
      'héllo',
    );
    expect(
      await api.task.withCStringLen('a\0b', (csl) => async () => [
        csl[1],
        api.peekCStringLen(csl)(),
      ])(),
    ).toEqual([3, 'a\0b']);
    expect(live(heap)).toEqual({ liveBlocks: 0, liveBytes: 0 });
    heap.check();
  });

  it('release when the body rejects, and the rejection passes through', async () => {
    const { heap, api } = setup();
    const boom = new Thrown('boom');
    await expect(
      api.task.withArray(CInt, [1, 2, 3], () => async () => {
        await sleep(1);
        throw boom;
      })(),
    ).rejects.toBe(boom);
    expect(live(heap).liveBlocks).toBe(0);
  });

  it('release when the body throws before returning a promise', async () => {
    const { heap, api } = setup();
    await expect(
      api.task.alloca(CInt, () => {
        throw new Thrown('in f');
      })(),
    ).rejects.toThrow('in f');
    await expect(
      api.task.withCString('x', () => () => {
        throw new Thrown('in the task');
      })(),
    ).rejects.toThrow('in the task');
    expect(live(heap).liveBlocks).toBe(0);
    heap.check();
  });

  it('reject bad arguments before allocating anything', async () => {
    const { heap, api } = setup();
    const before = heap.stats().mallocs;
    const never = () => async () => expect.fail('the body must not run');
    await expect(api.task.allocaBytes(-1, never)()).rejects.toThrow(RangeError);
    await expect(api.task.allocaBytesAligned(8, 3, never)()).rejects.toThrow(RangeError);
    await expect(api.task.allocaArray(CInt, 2 ** 52, never)()).rejects.toThrow(RangeError);
    await expect(api.task.with(CInt, 'x' as unknown as number, never)()).rejects.toThrow(
      MarshalError,
    );
    await expect(api.task.withArray(CInt, [1, 0.5], never)()).rejects.toThrow('[1]');
    await expect(api.taskEither.withArray(CInt, 'xs' as never, never)()).rejects.toThrow(
      'must be an array',
    );
    await expect(api.task.withArray0(CInt, 0.5, [1], never)()).rejects.toThrow('marker');
    await expect(api.task.withCString('a\0b', never)()).rejects.toThrow('embedded NUL');
    await expect(api.task.withCStringLen('\ud800', never)()).rejects.toThrow('lone surrogate');
    expect(heap.stats().mallocs).toBe(before);
    heap.check();
  });

  it('on a full heap: alloca forms give nullPtr, with forms reject with an AllocationError', async () => {
    const { heap, api } = small();
    expect(await api.task.allocaBytes(1 << 20, (p) => async () => p)()).toBe(nullPtr);
    expect(
      await api.task.alloca(aligned(8192, struct({ x: Double })), (p) => async () => p)(),
    ).toBe(nullPtr);
    const never = () => async () => expect.fail('the body must not run');
    await expect(api.task.withArray(Word8, new Array(1 << 20).fill(1), never)()).rejects.toThrow(
      AllocationError,
    );
    await expect(api.task.withCString('x'.repeat(1 << 20), never)()).rejects.toThrow(
      AllocationError,
    );
    expect(heap.stats().liveBlocks).toBe(0);
    heap.check();
  });

  it('own their block: free and reallocBytes of it are InvalidPointerErrors', async () => {
    const { heap, api } = setup();
    await api.task.allocaBytes(16, (p) => async () => {
      expect(() => api.free(p)()).toThrow(InvalidPointerError);
      expect(() => api.free(p)()).toThrow('asynchronous bracket');
      expect(() => api.reallocBytes(p, 32)()).toThrow(InvalidPointerError);
      expect(() => api.finalizerFree.finalize(p)).toThrow(InvalidPointerError);
    })();
    expect(heap.stats().liveBlocks).toBe(0);
    heap.check();
  });

  it('never use the alloca stack; synchronous brackets inside the body still work', async () => {
    const { heap, api } = setup();
    const { stack } = api.context;
    await Promise.all(
      [3, 1, 2].map((ms) =>
        api.task.allocaBytes(64, (p) => async () => {
          expect(stack.owns(p)).toBe(false);
          expect(stack.depth).toBe(0);
          await sleep(ms);
          const inner = api.with(CInt, ms, (q) => api.peek(CInt, q))();
          expect(inner).toBe(ms);
          expect(stack.depth).toBe(0);
        })(),
      ),
    );
    expect(stack.used).toBe(0);
    expect(heap.stats().liveBlocks).toBe(1); // the stack's region, taken by the synchronous with
    api.context.stack.dispose();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('withPool frees the pool and its blocks after the promise settles, also on rejection', async () => {
    const { heap, api } = setup();
    const during = await api.task.withPool((pool) => async () => {
      pooledMallocBytes(pool, 100)();
      await sleep(1);
      pooledMallocBytes(pool, 200)();
      return [pool.size, heap.stats().liveBlocks];
    })();
    expect(during).toEqual([2, 2]);
    await expect(
      api.task.withPool((pool) => async () => {
        pooledMallocBytes(pool, 100)();
        await sleep(1);
        throw new Thrown();
      })(),
    ).rejects.toThrow(Thrown);
    expect(live(heap)).toEqual({ liveBlocks: 0, liveBytes: 0 });
  });

  it('compose with withMany: every string lives until the innermost task settles', async () => {
    const { heap, api } = setup();
    const strings = await withMany(
      (s: string, k: (p: Ptr<number>) => Task<string[]>) => api.task.withCString(s, k),
      ['one', 'two', 'three'],
      (ps) => async () => {
        await sleep(1);
        expect(heap.stats().liveBlocks).toBe(3);
        return ps.map((p) => api.peekCString(p)());
      },
    )();
    expect(strings).toEqual(['one', 'two', 'three']);
    expect(heap.stats().liveBlocks).toBe(0);
  });
});

describe('taskEither brackets', () => {
  it('release on Right and on Left, and pass both through', async () => {
    const { heap, api } = setup();
    const right = await api.taskEither.withArray(CInt, [1, 2], (p) => async () => {
      await sleep(1);
      return E.right(api.peekArray(CInt, 2, p)());
    })();
    expect(right).toEqual(E.right([1, 2]));
    const leftResult = await api.taskEither.alloca(CInt, () => async () => {
      await sleep(1);
      return E.left('nope');
    })();
    expect(leftResult).toEqual(E.left('nope'));
    await expect(
      api.taskEither.withCString('x', () => async () => {
        throw new Thrown('rejected');
      })(),
    ).rejects.toThrow('rejected');
    expect(live(heap)).toEqual({ liveBlocks: 0, liveBytes: 0 });
  });

  it('give Left(AllocationError) without running the body when the heap is full', async () => {
    const { heap, api } = small();
    const never = () => async () => expect.fail('the body must not run');
    const big = 1 << 20;
    const results = await Promise.all([
      api.taskEither.allocaBytes(big, never)(),
      api.taskEither.allocaBytesAligned(big, 64, never)(),
      api.taskEither.alloca(aligned(8192, struct({ x: Double })), never)(),
      api.taskEither.allocaArray(CInt, big, never)(),
      api.taskEither.allocaArray0(CInt, big, never)(),
      api.taskEither.with(aligned(8192, struct({ x: Double })), { x: 1 }, never)(),
      api.taskEither.withArray(Word8, new Array(big).fill(1), never)(),
      api.taskEither.withArray0(Word8, 0, new Array(big).fill(1), never)(),
      api.taskEither.withArrayLen(Word8, new Array(big).fill(1), never)(),
      api.taskEither.withArrayLen0(Word8, 0, new Array(big).fill(1), never)(),
      api.taskEither.withCString('x'.repeat(big), never)(),
      api.taskEither.withCStringLen('x'.repeat(big), never)(),
    ]);
    for (const r of results) {
      expect(E.isLeft(r) && r.left instanceof AllocationError).toBe(true);
    }
    const first = results[0] as E.Left<AllocationError>;
    expect(first.left.message).toBe(
      `taskEither.allocaBytes: cannot allocate ${big} bytes (out of memory)`,
    );
    expect(heap.stats().liveBlocks).toBe(0);
    heap.check();
  });

  it('withPool releases on Left', async () => {
    const { heap, api } = setup();
    const r = await api.taskEither.withPool((pool) => async () => {
      pooledMallocBytes(pool, 10)();
      await sleep(1);
      return E.left(pool.size);
    })();
    expect(r).toEqual(E.left(1));
    expect(heap.stats().liveBlocks).toBe(0);
  });
});

// -----------------------------------------------------------------------------------------------
// Interleaving

type Kind =
  | 'alloca'
  | 'allocaBytes'
  | 'allocaBytesAligned'
  | 'allocaArray'
  | 'allocaArray0'
  | 'with'
  | 'withArray'
  | 'withArray0'
  | 'withArrayLen'
  | 'withArrayLen0'
  | 'withCString'
  | 'withCStringLen'
  | 'withPool';
const KINDS: readonly Kind[] = [
  'alloca',
  'allocaBytes',
  'allocaBytesAligned',
  'allocaArray',
  'allocaArray0',
  'with',
  'withArray',
  'withArray0',
  'withArrayLen',
  'withArrayLen0',
  'withCString',
  'withCStringLen',
  'withPool',
];
/** How a body ends: resolves, rejects, returns a Left, or throws before giving a promise. */
type Ending = 'resolve' | 'reject' | 'left' | 'throw';

interface Tree {
  readonly kind: Kind;
  readonly either: boolean;
  readonly size: number;
  readonly waits: readonly number[];
  readonly children: readonly Tree[];
  /** Children run concurrently (else one after another). */
  readonly together: boolean;
  readonly ending: Ending;
}

const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.record({
    kind: fc.constantFrom(...KINDS),
    either: fc.boolean(),
    size: fc.integer({ min: 0, max: 300 }),
    waits: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    children: fc.oneof(
      { maxDepth: 3, depthIdentifier: 'tree' },
      fc.constant<Tree[]>([]),
      fc.array(tie('tree'), { maxLength: 3 }),
    ),
    together: fc.boolean(),
    ending: fc.constantFrom<Ending>('resolve', 'resolve', 'reject', 'left', 'throw'),
  }),
}));

/** Fills `n` bytes at `p` with the pattern of `tag`. */
const fill = (heap: Heap, p: number, n: number, tag: number): void => {
  const u8 = heap.memory.views.u8;
  for (let i = 0; i < n; i++) u8[p + i] = (tag * 7 + i * 13) & 0xff;
};

/** Whether the `n` bytes at `p` still hold the pattern of `tag`. */
const intact = (heap: Heap, p: number, n: number, tag: number): boolean => {
  const u8 = heap.memory.views.u8;
  for (let i = 0; i < n; i++) if (u8[p + i] !== ((tag * 7 + i * 13) & 0xff)) return false;
  return true;
};

interface Run {
  opened: number;
  settled: number;
  /** Brackets that were open at once, at most. */
  maxOpen: number;
  open: number;
  broken: string[];
}

/**
 * Runs `t` as a bracket of `api`, waiting with `wait` between checks. Resolves or rejects as
 * the tree says; records in `run` every pattern found broken.
 */
const runTree = (
  api: Foreign,
  heap: Heap,
  t: Tree,
  wait: (ms: number) => Promise<unknown>,
  run: Run,
): Promise<unknown> => {
  const tag = ++run.opened;
  const body = (p: number, bytes: number, check?: () => void) => (): Promise<any> => {
    if (t.ending === 'throw') throw new Thrown(`sync ${tag}`);
    return (async () => {
      run.open++;
      run.maxOpen = Math.max(run.maxOpen, run.open);
      try {
        check?.();
        fill(heap, p, bytes, tag);
        const verify = (where: string) => {
          if (!intact(heap, p, bytes, tag)) run.broken.push(`bracket ${tag} (${t.kind}) ${where}`);
        };
        for (const ms of t.waits) {
          await wait(ms);
          verify('after a wait');
        }
        // A synchronous bracket in between: it must not disturb anything.
        api.alloca(CInt, (q) => () => api.poke(CInt, q, tag)())();
        const kids = t.children.map((c) => () => runTree(api, heap, c, wait, run));
        if (t.together) {
          await Promise.allSettled(kids.map((k) => k()));
        } else {
          for (const k of kids) await k().catch(() => undefined);
        }
        verify('after its children');
        await wait(t.waits[0] ?? 0);
        verify('at the end');
        if (t.ending === 'reject') throw new Thrown(`reject ${tag}`);
        if (t.ending === 'left') return t.either ? E.left(tag) : tag;
        return t.either ? E.right(tag) : tag;
      } finally {
        run.open--;
      }
    })();
  };
  const n = t.size;
  const xs = Array.from({ length: n }, (_, i) => (i % 255) + 1);
  const s = 'y'.repeat(n);
  const flavour = (t.either ? api.taskEither : api.task) as unknown as Foreign['task'];
  const bracket = ((): Promise<unknown> => {
    switch (t.kind) {
      case 'alloca':
        return flavour.alloca(Pair, (p) => body(p, 16))();
      case 'allocaBytes':
        return flavour.allocaBytes(n, (p) => body(p, n))();
      case 'allocaBytesAligned':
        return flavour.allocaBytesAligned(n, 64, (p) => body(p, n, () => expect(p % 64).toBe(0)))();
      case 'allocaArray':
        return flavour.allocaArray(CInt, n, (p) => body(p, 4 * n))();
      case 'allocaArray0':
        return flavour.allocaArray0(CInt, n, (p) => body(p, 4 * n + 4))();
      case 'with':
        return flavour.with(CInt, tag, (p) =>
          body(p, 4, () => expect(api.peek(CInt, p)()).toBe(tag)),
        )();
      case 'withArray':
        return flavour.withArray(Word8, xs, (p) =>
          body(p, n, () => expect(api.peekArray(Word8, n, p)()).toEqual(xs)),
        )();
      case 'withArray0':
        return flavour.withArray0(Word8, 0, xs, (p) =>
          body(p, n + 1, () => expect(api.peekArray0(Word8, 0, p)()).toEqual(xs)),
        )();
      case 'withArrayLen':
        return flavour.withArrayLen(Word8, xs, (len, p) => body(p, n, () => expect(len).toBe(n)))();
      case 'withArrayLen0':
        return flavour.withArrayLen0(Word8, 0, xs, (len, p) =>
          body(p, n + 1, () => expect(len).toBe(n)),
        )();
      case 'withCString':
        return flavour.withCString(s, (p) =>
          body(p, n + 1, () => expect(api.peekCString(p)()).toBe(s)),
        )();
      case 'withCStringLen':
        return flavour.withCStringLen(s, ([p, len]) =>
          body(p, len, () => expect(api.peekCStringLen([p, len])()).toBe(s)),
        )();
      case 'withPool':
        return flavour.withPool((pool) => () => {
          const p = pooledMallocBytes(pool, n)();
          return body(p, n)();
        })();
    }
  })();
  return bracket.then(
    (value) => {
      run.settled++;
      return value;
    },
    (error: unknown) => {
      run.settled++;
      if (!(error instanceof Thrown))
        throw new Error(`unexpected: ${String(error)}`, { cause: error });
      throw error;
    },
  );
};

/** Counts the brackets of `t` that open (a body that throws at once opens no children). */
const count = (t: Tree): number =>
  t.ending === 'throw' ? 1 : 1 + t.children.reduce((n, c) => n + count(c), 0);

/** Runs `trees` concurrently and checks what must hold once all have settled. */
const runAll = async (
  trees: readonly Tree[],
  wait: (ms: number) => Promise<unknown>,
  drive: () => Promise<void> = async () => undefined,
): Promise<Run> => {
  const { heap, api } = setup();
  api.allocaBytes(0, () => () => undefined)(); // the stack takes its region once
  const before = live(heap);
  const run: Run = { opened: 0, settled: 0, maxOpen: 0, open: 0, broken: [] };
  const all = Promise.allSettled(trees.map((t) => runTree(api, heap, t, wait, run)));
  await drive();
  const results = await all;
  for (const r of results) {
    if (r.status === 'rejected' && !(r.reason instanceof Thrown)) throw r.reason;
  }
  expect(run.broken).toEqual([]);
  expect(run.settled).toBe(run.opened);
  expect(run.opened).toBe(trees.reduce((n, t) => n + count(t), 0));
  expect(live(heap)).toEqual(before);
  expect(api.context.stack.depth).toBe(0);
  expect(api.context.stack.used).toBe(0);
  heap.check();
  return run;
};

describe('interleaved asynchronous brackets', () => {
  it('hundreds of nested and concurrent brackets with random timer delays and failures: no leak, no early release', async () => {
    const trees = fc.sample(tree, { seed: 20240611, numRuns: LONG ? 2000 : 250 });
    const run = await runAll(trees, sleep);
    expect(run.opened).toBeGreaterThan(LONG ? 2000 : 300);
    expect(run.maxOpen).toBeGreaterThan(100); // they really were open at the same time
  });

  it('any interleaving fast-check schedules: no leak, no early release', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(tree, { minLength: 1, maxLength: 6 }),
        async (s, trees) => {
          await runAll(
            trees,
            (ms) => s.schedule(Promise.resolve(ms)),
            () => s.waitIdle(),
          );
        },
      ),
      { numRuns: LONG ? 1000 : 60 },
    );
  });

  it('microtask-only interleavings (no timers): no leak, no early release', async () => {
    const trees = fc.sample(tree, { seed: 99, numRuns: LONG ? 1000 : 150 });
    await runAll(trees, async (ms) => {
      for (let i = 0; i < ms; i++) await Promise.resolve();
    });
  });

  it('the pattern check catches an early release: stack blocks released before their promises settle', async () => {
    // The wrong tool, on purpose, by hand (alloca itself refuses an async body): each block is
    // released as soon as its promise is made, and the next one gets the same bytes. The check
    // must see it.
    const { heap, api } = setup();
    const stack = api.context.stack;
    const broken: number[] = [];
    const wrong = (tag: number): Promise<void> => {
      const mark = stack.mark();
      const p = stack.alloc(32, 8);
      const done = (async () => {
        fill(heap, p, 32, tag);
        await sleep(1);
        if (!intact(heap, p, 32, tag)) broken.push(tag);
      })();
      stack.release(mark);
      return done;
    };
    await Promise.all([wrong(1), wrong(2)]);
    expect(broken).toEqual([1]);
  });
});

describe('arguments that are not what they should be', () => {
  it('a non-instance rejects (never throws) with a TypeError naming the bracket', async () => {
    const { heap, api } = setup();
    for (const S of [null, 'CInt', {}] as never[]) {
      const task = api.task.alloca(S, () => async () => 0);
      await rejection(task, TypeError, 'task.alloca');
      await rejection(
        api.taskEither.alloca(S, () => async () => E.right(0)),
        TypeError,
        'taskEither.alloca',
      );
      await rejection(
        api.task.with(S, 1, () => async () => 0),
        TypeError,
        'task.with',
      );
      await rejection(
        api.taskEither.allocaArray(S, 2, () => async () => E.right(0)),
        TypeError,
        'taskEither.allocaArray',
      );
    }
    heap.check();
  });

  it('a body that is not a function or returns no task rejects with a TypeError naming the bracket', async () => {
    const { heap, api } = setup();
    const before = heap.stats().liveBlocks;
    for (const f of [7, null, () => 7] as never[]) {
      await rejection(api.task.allocaBytes(8, f), TypeError, 'task.allocaBytes');
      await rejection(api.task.withArrayLen(CInt, [1], f), TypeError, 'task.withArrayLen');
      await rejection(api.task.withCString('hi', f), TypeError, 'task.withCString');
      await rejection(
        api.taskEither.withCStringLen('hi', f),
        TypeError,
        'taskEither.withCStringLen',
      );
      await rejection(api.taskEither.withPool(f), TypeError, 'taskEither.withPool');
    }
    expect(heap.stats().liveBlocks).toBe(before);
    heap.check();
  });

  it('asyncBrackets checks its context and its pools', () => {
    const { api } = setup();
    refusal(() => asyncBrackets({} as never, api), TypeError, 'asyncBrackets');
    refusal(() => asyncBrackets(api.context, {} as never), TypeError, 'asyncBrackets');
  });
});

describe('asynchronous brackets with bigint sizes', () => {
  it('take bigint sizes, counts and alignments that are safe integers', async () => {
    const { api, heap } = setup();
    expect(await api.task.allocaBytes(16n, (p) => async () => p % 8)()).toBe(0);
    expect(await api.task.allocaBytesAligned(8n, 64n, (p) => async () => p % 64)()).toBe(0);
    expect(await api.task.allocaArray(Double, 3n, (p) => async () => p % 8)()).toBe(0);
    expect(await api.taskEither.allocaBytes(8n, () => async () => E.right(1))()).toEqual(
      E.right(1),
    );
    expect(live(heap).liveBlocks).toBe(0);
    heap.check();
  });

  it('out-of-range bigints reject with a RangeError naming the call', async () => {
    const { api, heap } = setup();
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['task.allocaBytes', () => api.task.allocaBytes(2n ** 53n, () => async () => 0)()],
      ['task.allocaBytesAligned', () => api.task.allocaBytesAligned(8, 3n, () => async () => 0)()],
      ['task.allocaArray0', () => api.task.allocaArray0(Double, -1n, () => async () => 0)()],
      [
        'taskEither.allocaBytes',
        () => api.taskEither.allocaBytes(-1n, () => async () => E.right(0))(),
      ],
    ];
    for (const [call, run] of cases) {
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, call).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(new RegExp(`^${call.replace('.', '\\.')}: `));
    }
    expect(heap.stats().mallocs).toBe(0);
  });

  it('a small heap reports an AllocationError of a bigint size as a number', async () => {
    const { api } = small();
    const left = await api.taskEither.allocaBytes(1n << 20n, () => async () => E.right(0))();
    expect(E.isLeft(left) && left.left.size).toBe(1 << 20);
  });
});
