import { describe, expect, it, vi } from 'vitest';
import {
  AllocationError,
  CInt,
  Double,
  ForeignPtrError,
  aligned,
  struct,
  Heap,
  addForeignPtrConcFinalizer,
  addForeignPtrFinalizer,
  addForeignPtrFinalizerEnv,
  castForeignPtr,
  contextOf,
  eqForeignPtr,
  finalizeForeignPtr,
  foreign,
  foreignPtrs,
  nullPtr,
  plusForeignPtr,
  touchForeignPtr,
  unsafeForeignPtrToPtr,
  withForeignPtr,
  type FinalizerPtr,
  type ForeignPtr,
  type Ptr,
} from '../../../src/index.js';
import { expectEachRefused } from '../../support/refusal.js';
import { refusal } from '../../support/thrown.js';

declare const gc: () => void;

const setup = () => {
  const heap = Heap.create();
  const api = foreign(contextOf(heap));
  return { heap, api };
};

/** A finalizer that records the addresses it is given. */
const recorder = (name: string, log: string[]): FinalizerPtr<any> => ({
  name,
  finalize: (p) => log.push(`${name}@${p}`),
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Collects garbage until `done()` holds (finalization registry callbacks come in a later task). */
const collectUntil = async (done: () => boolean, rounds = 20): Promise<boolean> => {
  for (let i = 0; i < rounds && !done(); i++) {
    gc();
    await tick();
  }
  return done();
};

describe('newForeignPtr and finalizeForeignPtr', () => {
  it('finalizerFree frees the block, once', () => {
    const { api, heap } = setup();
    const fp = api.newForeignPtr(api.finalizerFree, api.mallocBytes(64)())();
    expect(heap.stats().liveBlocks).toBe(1);
    finalizeForeignPtr(fp)();
    expect(heap.stats().liveBlocks).toBe(0);
    finalizeForeignPtr(fp)(); // again: nothing
    heap.check();
  });

  it('runs finalizers latest-added first, with the original address after plusForeignPtr', () => {
    const { api } = setup();
    const log: string[] = [];
    const p = api.mallocBytes(64)();
    const fp = api.newForeignPtr(recorder('a', log), p)();
    addForeignPtrFinalizer(recorder('b', log), fp)();
    const inner = plusForeignPtr<number>(fp, 16);
    expect(unsafeForeignPtrToPtr(inner)).toBe(p + 16);
    addForeignPtrFinalizer(recorder('c', log), inner)();
    addForeignPtrFinalizerEnv(
      { name: 'env', finalize: (env, q) => log.push(`env(${env})@${q}`) },
      8 as Ptr<unknown>,
      fp,
    )();
    finalizeForeignPtr(inner)();
    expect(log).toEqual([`env(8)@${p}`, `c@${p}`, `b@${p}`, `a@${p}`]);
    finalizeForeignPtr(fp)();
    expect(log).toHaveLength(4);
  });

  it('newForeignPtr_ has no finalizer; finalizing it does nothing', () => {
    const { api } = setup();
    const fp = api.newForeignPtr_(api.mallocBytes(8)())();
    finalizeForeignPtr(fp)();
    expect(api.pendingFinalizers()()).toBe(0);
  });

  it('all finalizers run even when some throw; the error is rethrown', () => {
    const { api } = setup();
    const log: string[] = [];
    const fp = api.newForeignPtr(recorder('first', log), 8 as Ptr<unknown>)();
    addForeignPtrFinalizer(
      {
        name: 'bad',
        finalize: () => {
          throw new Error('bad');
        },
      },
      fp,
    )();
    addForeignPtrFinalizer(recorder('last', log), fp)();
    expect(() => finalizeForeignPtr(fp)()).toThrow('bad');
    expect(log).toEqual(['last@8', 'first@8']);
    const two = api.newForeignPtr(
      {
        name: 'x',
        finalize: () => {
          throw new Error('x');
        },
      },
      8 as Ptr<unknown>,
    )();
    addForeignPtrFinalizer(
      {
        name: 'y',
        finalize: () => {
          throw new Error('y');
        },
      },
      two,
    )();
    expect(() => finalizeForeignPtr(two)()).toThrow(AggregateError);
  });

  it('refuses to mix JavaScript and C finalizers, and to add to a finalized pointer', () => {
    const { api } = setup();
    const fp = api.newForeignPtr(api.finalizerFree, api.mallocBytes(8)())();
    expect(() => api.concurrent.addForeignPtrFinalizer(fp, () => undefined)()).toThrow(
      'attempt to mix JavaScript and C finalizers in the same ForeignPtr',
    );
    const js = api.concurrent.newForeignPtr(8 as Ptr<unknown>, () => undefined)();
    expect(() => addForeignPtrFinalizer(api.finalizerFree, js)()).toThrow(ForeignPtrError);
    finalizeForeignPtr(fp)();
    expect(() => addForeignPtrFinalizer(api.finalizerFree, fp)()).toThrow('has been finalized');
    expect(() => withForeignPtr(fp, () => () => 0)()).toThrow(ForeignPtrError);
  });

  it('rejects bad pointers and non-ForeignPtrs', () => {
    const { api } = setup();
    expect(() => api.newForeignPtr_(-1 as Ptr<unknown>)()).toThrow(RangeError);
    expect(() => finalizeForeignPtr({} as ForeignPtr<unknown>)()).toThrow(TypeError);
    const fp = api.newForeignPtr_(8 as Ptr<unknown>)();
    expect(() => plusForeignPtr(fp, -16)).toThrow(RangeError);
  });

  it('compares and shows by address; castForeignPtr is the same pointer', () => {
    const { api } = setup();
    const a = api.newForeignPtr_(16 as Ptr<number>)();
    const b = api.newForeignPtr_(16 as Ptr<number>)();
    expect(eqForeignPtr.equals(a, b)).toBe(true);
    expect(String(plusForeignPtr(a, 255))).toBe('0x0000010f');
    expect(castForeignPtr<string>(a)).toBe(a);
  });
});

describe('mallocForeignPtr', () => {
  it('allocates and frees with the finalizer; more finalizers run before the free', () => {
    const { api, heap } = setup();
    const log: string[] = [];
    const fp = api.mallocForeignPtr(CInt)();
    addForeignPtrFinalizer(
      { name: 'last words', finalize: () => log.push(`live ${heap.stats().liveBlocks}`) },
      fp,
    )();
    withForeignPtr(fp, (p) => api.poke(CInt, p, 5))();
    finalizeForeignPtr(fp)();
    expect(log).toEqual(['live 1']);
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('mallocForeignPtrArray allocates n elements aligned for the type, and frees them', () => {
    const { api, heap } = setup();
    const Vec = aligned(64, struct({ x: Double }));
    const fp = api.mallocForeignPtrArray(Vec, 10)();
    const fp0 = api.mallocForeignPtrArray0(CInt, 3)();
    expect(unsafeForeignPtrToPtr(fp) % 64).toBe(0);
    expect(heap.usableSize(unsafeForeignPtrToPtr(fp0))).toBeGreaterThanOrEqual(16);
    withForeignPtr(fp0, (p) => api.pokeArray0(CInt, 0, p, [1, 2, 3]))();
    expect(withForeignPtr(fp0, (p) => api.peekArray0(CInt, 0, p))()).toEqual([1, 2, 3]);
    finalizeForeignPtr(fp)();
    finalizeForeignPtr(fp0)();
    expect(heap.stats().liveBlocks).toBe(0);
    expect(() => api.mallocForeignPtrArray(CInt, -1)()).toThrow(RangeError);
    expect(() => api.mallocForeignPtrArray(CInt, 2 ** 52)()).toThrow(RangeError);
  });

  it('throws an AllocationError when the heap is full, and rejects bad sizes', () => {
    const api = foreign(Heap.over(new ArrayBuffer(16384), { base: 0 }));
    expect(() => api.mallocForeignPtrBytes(1 << 20)()).toThrow(AllocationError);
    expect(() => api.mallocForeignPtrBytes(-1)()).toThrow(RangeError);
  });
});

describe('garbage collection', () => {
  it('frees the block when the ForeignPtr becomes unreachable', async () => {
    const { api, heap } = setup();
    (() => {
      api.newForeignPtr(api.finalizerFree, api.mallocBytes(1000)())();
      api.mallocForeignPtrBytes(2000)();
    })();
    expect(heap.stats().liveBlocks).toBe(2);
    expect(await collectUntil(() => heap.stats().liveBlocks === 0)).toBe(true);
    expect(api.pendingFinalizers()()).toBe(0);
    heap.check();
  });

  it('collects pointers with env finalizers and JavaScript finalizers too', async () => {
    const { api } = setup();
    const log: string[] = [];
    (() => {
      api.newForeignPtrEnv(
        { name: 'env', finalize: (env, p) => log.push(`env ${env} ${p}`) },
        16 as Ptr<unknown>,
        24 as Ptr<unknown>,
      )();
      api.concurrent.newForeignPtr(32 as Ptr<unknown>, () => log.push('js'))();
    })();
    expect(await collectUntil(() => log.length === 2)).toBe(true);
    expect(log.sort()).toEqual(['env 16 24', 'js']);
  });

  it('does not finalize a ForeignPtr while withForeignPtr runs, even an asynchronous body', async () => {
    const { api, heap } = setup();
    const during: number[] = [];
    const task = (() => {
      const fp = api.mallocForeignPtr(CInt)();
      return withForeignPtr(fp, (p) => async () => {
        for (let i = 0; i < 5; i++) {
          gc();
          await tick();
          during.push(heap.stats().liveBlocks);
        }
        api.poke(CInt, p, 1)();
        return api.peek(CInt, p)();
      })();
    })();
    expect(await task).toBe(1);
    expect(during).toEqual([1, 1, 1, 1, 1]);
    expect(await collectUntil(() => heap.stats().liveBlocks === 0)).toBe(true);
  });

  it('a ForeignPtr still referenced is never finalized', async () => {
    const { api, heap } = setup();
    const fp = api.mallocForeignPtrBytes(10)();
    for (let i = 0; i < 5; i++) {
      gc();
      await tick();
    }
    expect(heap.stats().liveBlocks).toBe(1);
    touchForeignPtr(fp)();
  });

  it('a finalizer that throws during collection is reported and the others still run', async () => {
    const { api, heap } = setup();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    (() => {
      const fp = api.mallocForeignPtrBytes(10)();
      addForeignPtrFinalizer(
        {
          name: 'bad',
          finalize: () => {
            throw new Error('bad finalizer');
          },
        },
        fp,
      )();
    })();
    expect(await collectUntil(() => heap.stats().liveBlocks === 0)).toBe(true);
    expect(errors).toHaveBeenCalled();
    errors.mockRestore();
  });

  it('survives many null ForeignPtrs with finalizerFree (GHC fptr02: a million with FOREIGN_TS_LONG=1)', async () => {
    const { api } = setup();
    const count = process.env.FOREIGN_TS_LONG === '1' ? 1_000_000 : 100_000;
    for (let i = 0; i < count; i++) api.newForeignPtr(api.finalizerFree, nullPtr)();
    expect(await collectUntil(() => api.pendingFinalizers()() === 0, 50)).toBe(true);
  });
});

describe('shutdown', () => {
  it("finalizes as GHC does at exit: ForeignPtrs in creation order, each one's latest finalizer first", () => {
    const { api } = setup();
    const log: string[] = [];
    const note = (name: string): FinalizerPtr<any> => ({ name, finalize: () => log.push(name) });
    const first = api.newForeignPtr_(api.mallocBytes(8)())(); // made first, finalized later on
    const second = api.newForeignPtr(note('b1'), api.mallocBytes(8)())();
    addForeignPtrFinalizer(note('b2'), second)();
    const third = api.newForeignPtr(note('c1'), api.mallocBytes(8)())();
    addForeignPtrFinalizer(note('a1'), first)();
    addForeignPtrFinalizer(note('a2'), plusForeignPtr(first, 4))();
    addForeignPtrFinalizer(note('c2'), third)();
    addForeignPtrFinalizer(note('c3'), third)();
    api.shutdown()();
    expect(log).toEqual(['a2', 'a1', 'b2', 'b1', 'c3', 'c2', 'c1']);
  });

  it('runs every pending finalizer, the oldest ForeignPtr first, so the program ends with no live blocks', () => {
    const { api, heap } = setup();
    const log: string[] = [];
    const kept = [1, 2, 3].map((i) =>
      api.concurrent.newForeignPtr(api.mallocBytes(16)(), () => log.push(`js${i}`))(),
    );
    const freed = [api.mallocForeignPtr(CInt)(), api.mallocForeignPtrBytes(100)()];
    finalizeForeignPtr(kept[0]!)(); // already run: not again
    expect(api.pendingFinalizers()()).toBe(4);
    api.shutdown()();
    expect(log).toEqual(['js1', 'js2', 'js3']);
    expect(heap.stats().liveBlocks).toBe(3); // the three blocks the JS finalizers did not free
    expect(api.pendingFinalizers()()).toBe(0);
    expect(freed).toHaveLength(2);
    api.shutdown()(); // nothing left
  });
});

describe('arguments that are not what they should be', () => {
  it('the functions of a ForeignPtr refuse what is not one, naming themselves', () => {
    const { api } = setup();
    const fp = api.newForeignPtr_(api.mallocBytes(8)())();
    for (const x of [null, undefined, 8, {}] as unknown as Array<ForeignPtr<number>>) {
      refusal(() => touchForeignPtr(x)(), TypeError, 'touchForeignPtr');
      refusal(() => eqForeignPtr.equals(x, fp), TypeError, 'eqForeignPtr.equals');
      refusal(() => eqForeignPtr.equals(fp, x), TypeError, 'eqForeignPtr.equals');
    }
    for (const n of [null, '8', 1.5, NaN]) {
      refusal(() => plusForeignPtr(fp, n as never), RangeError, 'plusForeignPtr');
    }
    for (const f of [7, null, () => 7] as never[]) {
      refusal(() => withForeignPtr(fp, f)(), TypeError, 'withForeignPtr');
    }
    api.free(unsafeForeignPtrToPtr(fp))();
  });

  it('errors name the call made: newForeignPtrEnv, addForeignPtrConcFinalizer, mallocForeignPtr', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes(8)();
    const noop = { name: 'noop', finalize: () => undefined };
    refusal(() => api.newForeignPtrEnv(noop, -1 as never, p)(), RangeError, 'newForeignPtrEnv');
    refusal(
      () => addForeignPtrConcFinalizer({} as never, () => 0)(),
      TypeError,
      'addForeignPtrConcFinalizer',
    );
    refusal(
      () => api.concurrent.addForeignPtrFinalizer({} as never, () => 0)(),
      TypeError,
      'concurrent.addForeignPtrFinalizer',
    );
    for (const S of [null, 'CInt', {}] as never[]) {
      refusal(() => api.mallocForeignPtr(S)(), TypeError, 'mallocForeignPtr');
      refusal(() => api.mallocForeignPtrArray(S, 2)(), TypeError, 'mallocForeignPtrArray');
    }
    refusal(() => foreignPtrs({} as never, api), TypeError, 'foreignPtrs');
    api.free(p)();
    expect(api.pendingFinalizers()()).toBe(0);
    heap.check();
  });
});

describe('foreign pointers with bigint sizes, offsets and pointers', () => {
  it('sizes, counts and offsets may be bigints that are safe integers', () => {
    const { api, heap } = setup();
    const a = api.mallocForeignPtrBytes(16n)();
    const b = api.mallocForeignPtrArray(CInt, 4n)();
    const c = api.mallocForeignPtrArray0(CInt, 2n)();
    const d = plusForeignPtr(a, 8n);
    expect(unsafeForeignPtrToPtr(d)).toBe(unsafeForeignPtrToPtr(a) + 8);
    expect(() => plusForeignPtr(a, 2n ** 60n)).toThrow(/^plusForeignPtr: offset/);
    expect(() => api.mallocForeignPtrBytes(2n ** 53n)()).toThrow(/^mallocForeignPtrBytes: size/);
    expect(() => api.mallocForeignPtrArray(CInt, -1n)()).toThrow(/^mallocForeignPtrArray: n/);
    for (const fp of [a, b, c]) finalizeForeignPtr(fp)();
    expect(heap.stats().liveBlocks).toBe(0);
    heap.check();
  });

  it('a bigint pointer is a TypeError naming the call, and nothing is made', () => {
    const { api } = setup();
    const p = 64n as never;
    const fin = api.finalizerFree;
    const cases: Array<[string, () => unknown]> = [
      ['newForeignPtr', () => api.newForeignPtr(fin, p)()],
      ['newForeignPtr_', () => api.newForeignPtr_(p)()],
      [
        'newForeignPtrEnv',
        () => api.newForeignPtrEnv({ name: 'f', finalize: () => {} }, 8 as never, p)(),
      ],
      ['concurrent.newForeignPtr', () => api.concurrent.newForeignPtr(p, () => undefined)()],
    ];
    expectEachRefused(TypeError, cases);
    expect(api.pendingFinalizers()()).toBe(0);
  });
});

describe('finalizers are checked when they are given', () => {
  const notFinalizers: unknown[] = [null, undefined, 0, 'free', {}, { finalize: 1 }, () => 0];
  const notIOs: unknown[] = [null, undefined, 0, 'free', {}];

  it('newForeignPtr, newForeignPtrEnv and the add functions refuse a non-finalizer with a TypeError, making nothing', () => {
    const { api, heap } = setup();
    const p = api.mallocBytes(8)();
    const fp = api.newForeignPtr_(p)();
    for (const bad of notFinalizers) {
      const f = bad as FinalizerPtr<any>;
      const cases: Array<[string, () => unknown]> = [
        ['newForeignPtr', () => api.newForeignPtr(f, p)()],
        ['newForeignPtrEnv', () => api.newForeignPtrEnv(f as never, 8 as Ptr<unknown>, p)()],
        ['addForeignPtrFinalizer', () => addForeignPtrFinalizer(f, fp)()],
        [
          'addForeignPtrFinalizerEnv',
          () => addForeignPtrFinalizerEnv(f as never, 8 as Ptr<unknown>, fp)(),
        ],
      ];
      expectEachRefused(TypeError, cases);
      for (const [, run] of cases) expect(run).toThrow(/ is not a finalizer \(an object/);
    }
    for (const bad of notIOs) {
      const f = bad as () => void;
      const cases: Array<[string, () => unknown]> = [
        ['concurrent.newForeignPtr', () => api.concurrent.newForeignPtr(p, f)()],
        ['concurrent.addForeignPtrFinalizer', () => api.concurrent.addForeignPtrFinalizer(fp, f)()],
        ['addForeignPtrConcFinalizer', () => addForeignPtrConcFinalizer(fp, f)()],
      ];
      expectEachRefused(TypeError, cases);
    }
    // Nothing was registered: shutdown has nothing to run and reports nothing.
    expect(api.pendingFinalizers()()).toBe(0);
    expect(() => api.shutdown()()).not.toThrow();
    api.free(p)();
    heap.check();
  });

  it('a finalizer with a finalize function is accepted, whatever else it has', () => {
    const { api } = setup();
    const log: string[] = [];
    const fp = api.newForeignPtr(
      { finalize: () => log.push('ran') } as never,
      api.mallocBytes(8)(),
    )();
    addForeignPtrFinalizer(api.finalizerFree, fp)();
    finalizeForeignPtr(fp)();
    expect(log).toEqual(['ran']);
  });
});
