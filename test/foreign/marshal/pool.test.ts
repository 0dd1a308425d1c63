/**
 * Foreign.Marshal.Pool: GHC's observed behaviour (older implementation), release on every path
 * of withPool, the errors of misuse, no over-read on a grow, alignment kept, nullPtr on failure
 * with nothing leaked, validation before allocation, and a property over random sequences of
 * pool operations with injected allocation failures.
 */
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CInt,
  Double,
  Heap,
  InvalidPointerError,
  MarshalError,
  Memory,
  Pool,
  PoolError,
  Stack,
  Word8,
  aligned,
  contextOf,
  foreign,
  freePool,
  marshalPool,
  newPool,
  nullPtr,
  pooledMalloc,
  pooledMallocArray,
  pooledMallocArray0,
  pooledMallocBytes,
  pooledNew,
  pooledNewArray,
  pooledNewArray0,
  pooledRealloc,
  pooledReallocArray,
  pooledReallocArray0,
  pooledReallocBytes,
  struct,
  withPool,
  defaultHeap,
  type Allocator,
  type Context,
  type Ptr,
} from '../../../src/index.js';
import { refusal } from '../../support/thrown.js';

const LONG = process.env.FOREIGN_TS_LONG === '1';

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

/** A context whose allocator logs frees and reallocs, and fails when `fail()` says so. */
const instrumented = (fail: () => boolean = () => false) => {
  const heap = Heap.create();
  const log: string[] = [];
  const allocator: Allocator = {
    malloc: (n) => (fail() ? 0 : heap.malloc(n)),
    calloc: (c, n) => (fail() ? 0 : heap.calloc(c, n)),
    realloc: (p, n) => {
      log.push(`realloc ${p} ${n}`);
      return n > 0 && fail() ? 0 : heap.realloc(p, n);
    },
    free: (p) => {
      log.push(`free ${p}`);
      heap.free(p);
    },
    alignedAlloc: (a, n) => (fail() ? 0 : heap.alignedAlloc(a, n)),
  };
  const ctx: Context = { memory: heap.memory, allocator, stack: new Stack(heap) };
  return { heap, log, api: foreign(ctx) };
};

describe('as GHC (older Foreign.Marshal.Pool)', () => {
  it('pooledNewArray0 then peekArray0 gives [9, 8, 7]', () => {
    const { api } = setup();
    expect(
      api.withPool(
        (pool) => () => api.peekArray0(CInt, 0, pooledNewArray0(CInt, pool, 0, [9, 8, 7])())(),
      )(),
    ).toEqual([9, 8, 7]);
  });

  it('pooledReallocArray grows and keeps [1, 2, 3]', () => {
    const { api } = setup();
    const out = api.withPool((pool) => () => {
      const p = pooledNewArray(CInt, pool, [1, 2, 3])();
      pooledMallocBytes(pool, 8)(); // a neighbour, so that the grow has to move
      const q = pooledReallocArray(CInt, pool, p, 1000)();
      return api.peekArray(CInt, 3, q)();
    })();
    expect(out).toEqual([1, 2, 3]);
  });

  it('withPool rethrows the exception after freeing the pool', () => {
    const { api, heap } = setup();
    let seen: Pool | undefined;
    const boom = new Error('boom');
    expect(() =>
      api.withPool((pool) => () => {
        seen = pool;
        pooledMallocBytes(pool, 100)();
        throw boom;
      })(),
    ).toThrow(boom);
    expect(seen?.freed).toBe(true);
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('pooledRealloc of a pointer not in the pool: "pointer not in pool"', () => {
    const { api, heap } = setup();
    const outside = api.mallocBytes(16)();
    api.withPool((pool) => () => {
      const before = heap.stats();
      expect(() => pooledReallocBytes(pool, outside, 32)()).toThrow(PoolError);
      expect(() => pooledReallocBytes(pool, outside, 32)()).toThrow(
        `pooledReallocBytes: pointer ${outside} not in pool`,
      );
      expect(() => pooledRealloc(CInt, pool, nullPtr)()).toThrow('not in pool');
      expect(heap.stats()).toEqual(before);
    })();
    api.free(outside)();
  });
});

describe('withPool', () => {
  it.each(['return', 'left', 'throw'] as const)(
    'frees every block when the body ends by %s',
    (how) => {
      const { api, heap } = setup();
      const before = heap.stats();
      const run = api.withPool((pool) => () => {
        pooledMalloc(CInt, pool)();
        pooledMallocArray(Double, pool, 100)();
        pooledNew(CInt, pool, 5)();
        pooledNewArray(Word8, pool, [1, 2, 3])();
        pooledMallocBytes(pool, 0)();
        expect(pool.size).toBe(5);
        if (how === 'throw') throw new RangeError('thrown');
        return how === 'left' ? E.left('left') : E.right(pool.size);
      });
      if (how === 'throw') expect(run).toThrow('thrown');
      else expect(run()).toEqual(how === 'left' ? E.left('left') : E.right(5));
      expect(heap.stats().liveBlocks).toBe(before.liveBlocks);
      expect(heap.stats().liveBytes).toBe(before.liveBytes);
      heap.check();
    },
  );

  it('does nothing more when the body has freed the pool itself', () => {
    const { api, heap } = setup();
    api.withPool((pool) => () => {
      pooledMallocBytes(pool, 10)();
      freePool(pool)();
    })();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('is a program: nothing happens until it runs', () => {
    const { api, heap } = setup();
    const program = api.withPool((pool) => pooledMallocBytes(pool, 10));
    expect(heap.stats().mallocs).toBe(0);
    program();
    program();
    expect(heap.stats().mallocs).toBe(2);
    expect(heap.stats().liveBlocks).toBe(0);
  });
});

describe('freePool', () => {
  it('frees every block, the latest allocated first', () => {
    const { api, log } = instrumented();
    const pool = api.newPool()();
    const ps = [10, 20, 30].map((n) => pooledMallocBytes(pool, n)());
    freePool(pool)();
    expect(log).toEqual(ps.reverse().map((p) => `free ${p}`));
    expect(pool.freed).toBe(true);
    expect(pool.size).toBe(0);
  });

  it('twice, or any use of a freed pool, is a PoolError that changes nothing', () => {
    const { api, heap } = setup();
    const pool = api.newPool()();
    const p = pooledMallocBytes(pool, 10)();
    freePool(pool)();
    const before = heap.stats();
    expect(() => freePool(pool)()).toThrow(PoolError);
    expect(() => freePool(pool)()).toThrow('freePool: the pool has already been freed');
    const uses: [string, () => unknown][] = [
      ['pooledMalloc', pooledMalloc(CInt, pool)],
      ['pooledMallocBytes', pooledMallocBytes(pool, 8)],
      ['pooledMallocArray', pooledMallocArray(CInt, pool, 2)],
      ['pooledMallocArray0', pooledMallocArray0(CInt, pool, 2)],
      ['pooledRealloc', pooledRealloc(CInt, pool, p)],
      ['pooledReallocBytes', pooledReallocBytes(pool, p, 8)],
      ['pooledReallocArray', pooledReallocArray(CInt, pool, p, 2)],
      ['pooledReallocArray0', pooledReallocArray0(CInt, pool, p, 2)],
      ['pooledNew', pooledNew(CInt, pool, 1)],
      ['pooledNewArray', pooledNewArray(CInt, pool, [1])],
      ['pooledNewArray0', pooledNewArray0(CInt, pool, 0, [1])],
    ];
    for (const [call, use] of uses) {
      expect(use).toThrow(PoolError);
      expect(use).toThrow(`${call}: the pool has been freed`);
    }
    expect(heap.stats()).toEqual(before);
    pool[Symbol.dispose](); // disposing a freed pool does nothing
    heap.check();
  });

  it('refuses what is not a pool', () => {
    expect(() => freePool({} as Pool)()).toThrow(TypeError);
    expect(() => pooledMallocBytes(undefined as unknown as Pool, 1)()).toThrow('is not a Pool');
  });

  it('still frees the other blocks when the allocator refuses one, then throws', () => {
    const { api, heap } = setup();
    const pool = api.newPool()();
    const [a, b, c] = [1, 2, 3].map((n) => pooledMallocBytes(pool, n * 8)());
    heap.free(b!); // behind the pool's back, through the heap itself
    expect(() => freePool(pool)()).toThrow(InvalidPointerError);
    expect(heap.stats().liveBlocks).toBe(0);
    expect([a, c]).toHaveLength(2);
    heap.check();
  });
});

describe('pooled blocks belong to their pool', () => {
  it('free, reallocBytes, reallocArray and finalizerFree of a pooled block are InvalidPointerErrors', () => {
    const { api, heap } = setup();
    api.withPool((pool) => () => {
      const p = pooledMallocArray(CInt, pool, 4)();
      const before = heap.stats();
      expect(() => api.free(p)()).toThrow(InvalidPointerError);
      expect(() => api.free(p)()).toThrow('it belongs to a pool');
      expect(() => api.reallocBytes(p, 64)()).toThrow(InvalidPointerError);
      expect(() => api.reallocArray(CInt, p, 64)()).toThrow(InvalidPointerError);
      expect(() => api.finalizerFree.finalize(p)).toThrow(InvalidPointerError);
      expect(heap.stats()).toEqual(before);
    })();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('a pointer of another pool is not in this one, and the message says so', () => {
    const { api } = setup();
    api.withPool(
      (one) => () =>
        api.withPool((two) => () => {
          const p = pooledMallocBytes(one, 8)();
          expect(() => pooledReallocBytes(two, p, 16)()).toThrow(
            `pooledReallocBytes: pointer ${p} not in pool (it belongs to another pool)`,
          );
        })(),
    )();
  });

  it("after freePool the addresses are the program's again (a new malloc there can be freed)", () => {
    const { api, heap } = setup();
    const pool = api.newPool()();
    const p = pooledMallocBytes(pool, 24)();
    freePool(pool)();
    const q = api.mallocBytes(24)();
    expect(q).toBe(p); // the heap hands the same block out again
    api.free(q)();
    expect(heap.stats().liveBlocks).toBe(0);
  });
});

describe('pooledRealloc', () => {
  it('keeps the old contents and reads nothing past the old block', () => {
    const { api, heap } = setup();
    api.withPool((pool) => () => {
      const p = pooledNewArray(Word8, pool, [1, 2, 3, 4])();
      const neighbour = pooledMallocBytes(pool, 64)();
      api.fillBytes(neighbour, 0xab, 64)();
      const q = pooledReallocBytes(pool, p, 4096)();
      expect(q).not.toBe(p); // it moved: the neighbour was in the way
      const u8 = heap.memory.views.u8;
      expect([...u8.subarray(q, q + 4)]).toEqual([1, 2, 3, 4]);
      // Recent GHC copies `size` bytes out of the old block: the neighbour's bytes would follow.
      expect([...u8.subarray(q + 4, q + 64)].some((b) => b === 0xab)).toBe(false);
      expect(pool.size).toBe(2); // the old block is not kept until freePool
      expect(heap.stats().liveBlocks).toBe(2);
    })();
  });

  it('keeps an alignment above 8 when it moves, copying min(old, new) bytes', () => {
    const Vec = aligned(64, struct({ x: Double }));
    const { api } = setup();
    api.withPool((pool) => () => {
      const p = pooledNewArray(Vec, pool, [{ x: 1 }, { x: 2 }])();
      pooledMallocBytes(pool, 8)();
      const q = pooledReallocArray(Vec, pool, p, 50)();
      expect(q % 64).toBe(0);
      expect(api.peekArray(Vec, 2, q)()).toEqual([{ x: 1 }, { x: 2 }]);
      const r = pooledReallocArray(Vec, pool, q, 1)();
      expect(r % 64).toBe(0);
      expect(api.peekArray(Vec, 1, r)()).toEqual([{ x: 1 }]);
      const s = pooledRealloc(Vec, pool, r)();
      expect(api.peek(Vec, s)()).toEqual({ x: 1 });
    })();
  });

  it('never reads past the old block on the aligned path either (the old block ends the memory)', () => {
    // An allocator that puts the first block in the last 64 bytes of the memory: copying more
    // than the old block would run off the end (a MemoryBoundsError from the bounds check).
    const memory = Memory.from(new ArrayBuffer(65536));
    const addresses = [65536 - 64, 1024];
    const freed: number[] = [];
    const allocator: Allocator = {
      malloc: () => addresses.shift() ?? 0,
      calloc: () => 0,
      realloc: () => 0,
      free: (p) => void freed.push(p),
      alignedAlloc: () => addresses.shift() ?? 0,
    };
    const heap = Heap.create();
    const api = foreign({ memory, allocator, stack: new Stack(heap) });
    const Vec = aligned(64, struct({ x: Double }));
    const pool = api.newPool()();
    const p = pooledNew(Vec, pool, { x: 42 })();
    expect(p).toBe(65536 - 64);
    const q = pooledReallocArray(Vec, pool, p, 10)();
    expect(q).toBe(1024);
    expect(api.peek(Vec, q)()).toEqual({ x: 42 });
    expect(freed).toEqual([p]);
    freePool(pool)();
    expect(freed).toEqual([p, q]);
  });

  it('to size 0 frees the block, which leaves the pool, and gives nullPtr', () => {
    const { api, heap } = setup();
    const pool = api.newPool()();
    const p = pooledMallocBytes(pool, 10)();
    expect(pooledReallocBytes(pool, p, 0)()).toBe(nullPtr);
    expect(pool.size).toBe(0);
    expect(heap.stats().liveBlocks).toBe(0);
    expect(() => pooledReallocBytes(pool, p, 10)()).toThrow('not in pool');
    const a = pooledMallocArray(CInt, pool, 3)();
    expect(pooledReallocArray(CInt, pool, a, 0)()).toBe(nullPtr);
    const b = pooledMallocArray0(CInt, pool, 3)();
    expect(pooledReallocArray0(CInt, pool, b, 0)()).not.toBe(nullPtr); // room for the terminator
    freePool(pool)();
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('rejects bad sizes and counts before changing anything', () => {
    const { api, heap } = setup();
    api.withPool((pool) => () => {
      const p = pooledMallocBytes(pool, 10)();
      const before = heap.stats();
      expect(() => pooledReallocBytes(pool, p, -1)()).toThrow(RangeError);
      expect(() => pooledReallocArray(CInt, pool, p, 2 ** 52)()).toThrow(RangeError);
      expect(() => pooledReallocBytes(pool, -8 as Ptr<unknown>, 1)()).toThrow(RangeError);
      expect(heap.stats()).toEqual(before);
      expect(pool.size).toBe(1);
    })();
  });
});

describe('allocation', () => {
  it('aligns each block for its type, also above 16 bytes', () => {
    const { api } = setup();
    const Page = aligned(4096, struct({ x: Double }));
    api.withPool((pool) => () => {
      expect(pooledMalloc(Page, pool)() % 4096).toBe(0);
      expect(pooledMallocArray(Page, pool, 3)() % 4096).toBe(0);
      expect(pooledMallocArray0(Page, pool, 3)() % 4096).toBe(0);
      expect(pooledNew(Page, pool, { x: 1 })() % 4096).toBe(0);
      expect(pooledNewArray(Page, pool, [{ x: 1 }])() % 4096).toBe(0);
      expect(pooledMallocBytes(pool, 3)() % 8).toBe(0);
    })();
  });

  it('gives nullPtr when the allocator cannot, adds nothing to the pool and leaks nothing', () => {
    const { api, heap } = small();
    const before = heap.stats();
    api.withPool((pool) => () => {
      const p = pooledNewArray(Word8, pool, [1, 2, 3])();
      expect(pooledMallocBytes(pool, 1 << 20)()).toBe(nullPtr);
      expect(pooledMallocArray(Double, pool, 1 << 20)()).toBe(nullPtr);
      expect(pooledNewArray(Word8, pool, new Array(1 << 15).fill(7))()).toBe(nullPtr);
      expect(pooledMalloc(aligned(8192, struct({ x: Double })), pool)()).toBe(nullPtr);
      expect(pool.size).toBe(1);
      // A failed grow leaves the block in the pool, valid and unchanged.
      expect(pooledReallocBytes(pool, p, 1 << 20)()).toBe(nullPtr);
      expect(api.peekArray(Word8, 3, p)()).toEqual([1, 2, 3]);
      expect(pool.size).toBe(1);
    })();
    expect(heap.stats().liveBlocks).toBe(before.liveBlocks);
    heap.check();
  });

  it('validates before allocating: a bad value, element, marker or count allocates nothing', () => {
    const { api, heap } = setup();
    api.withPool((pool) => () => {
      const before = heap.stats().mallocs;
      expect(() => pooledNew(CInt, pool, 2 ** 40)()).toThrow(MarshalError);
      expect(() => pooledNew(CInt, pool, 2 ** 40)()).toThrow('pooledNew');
      expect(() => pooledNewArray(CInt, pool, [1, 'x' as unknown as number])()).toThrow('[1]');
      expect(() => pooledNewArray0(Word8, pool, 256, [1])()).toThrow('marker');
      expect(() => pooledMallocArray(CInt, pool, -1)()).toThrow(RangeError);
      expect(() => pooledMallocArray0(CInt, pool, 2 ** 52)()).toThrow(RangeError);
      expect(() => pooledMallocBytes(pool, 1.5)()).toThrow(RangeError);
      expect(heap.stats().mallocs).toBe(before);
      expect(pool.size).toBe(0);
    })();
  });

  it('pooledNew and pooledNewArray write the values', () => {
    const Point = struct({ x: Double, y: CInt });
    const { api } = setup();
    api.withPool((pool) => () => {
      expect(api.peek(Point, pooledNew(Point, pool, { x: 1.5, y: 2 })())()).toEqual({
        x: 1.5,
        y: 2,
      });
      const xs = [
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ];
      expect(api.peekArray(Point, 2, pooledNewArray(Point, pool, xs)())()).toEqual(xs);
      expect(api.peekArray(CInt, 0, pooledNewArray(CInt, pool, [])())()).toEqual([]);
    })();
  });
});

describe('the default context', () => {
  it('newPool and withPool at the root use the default heap', () => {
    const before = defaultHeap().stats().liveBlocks;
    const n = withPool((pool) => () => {
      pooledMallocBytes(pool, 10)();
      return defaultHeap().stats().liveBlocks - before;
    })();
    expect(n).toBe(1);
    const pool = newPool()();
    expect(pool.context.allocator).toBe(defaultHeap());
    freePool(pool)();
    expect(defaultHeap().stats().liveBlocks).toBe(before);
  });
});

// -----------------------------------------------------------------------------------------------
// Property: random pool programs

type Op =
  | { kind: 'malloc'; pool: number; size: number }
  | { kind: 'new'; pool: number; value: number }
  | { kind: 'newArray'; pool: number; n: number }
  | { kind: 'realloc'; pool: number; pick: number; size: number }
  | { kind: 'aligned'; pool: number; n: number }
  | { kind: 'free'; pool: number }
  | { kind: 'stranger'; pool: number; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('malloc' as const), pool: fc.nat(2), size: fc.nat(300) }),
  fc.record({ kind: fc.constant('new' as const), pool: fc.nat(2), value: fc.integer() }),
  fc.record({ kind: fc.constant('newArray' as const), pool: fc.nat(2), n: fc.nat(40) }),
  fc.record({
    kind: fc.constant('realloc' as const),
    pool: fc.nat(2),
    pick: fc.nat(),
    size: fc.nat(600),
  }),
  fc.record({ kind: fc.constant('aligned' as const), pool: fc.nat(2), n: fc.nat(5) }),
  fc.record({ kind: fc.constant('free' as const), pool: fc.nat(2) }),
  fc.record({ kind: fc.constant('stranger' as const), pool: fc.nat(2), pick: fc.nat() }),
);

describe('random pool programs', () => {
  it('keep every block intact, fail only as nullPtr, and leave the heap as it was', () => {
    const Vec = aligned(32, struct({ x: Double }));
    fc.assert(
      fc.property(
        fc.array(op, { minLength: 1, maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        (ops, failures) => {
          let calls = 0;
          const { api, heap } = instrumented(
            () => failures[calls++ % failures.length]! && calls % 3 === 0,
          );
          const before = heap.stats();
          const pools: Pool[] = [0, 1, 2].map(() => api.newPool()());
          /** The model: per pool, each block's bytes as written. */
          const model = pools.map(() => new Map<number, number[]>());
          let tag = 0;
          const write = (i: number, p: number, size: number) => {
            const bytes = Array.from({ length: size }, (_, k) => (tag * 11 + k) & 0xff);
            heap.memory.views.u8.set(bytes, p);
            model[i]!.set(p, bytes);
          };
          const checkAll = () => {
            const u8 = heap.memory.views.u8;
            model.forEach((blocks, i) => {
              expect(pools[i]!.size).toBe(blocks.size);
              for (const [p, bytes] of blocks)
                expect([...u8.subarray(p, p + bytes.length)]).toEqual(bytes);
            });
          };
          for (const o of ops) {
            tag++;
            const pool = pools[o.pool]!;
            const blocks = model[o.pool]!;
            if (pool.freed && o.kind !== 'free') {
              pools[o.pool] = api.newPool()();
              continue;
            }
            switch (o.kind) {
              case 'malloc': {
                const p = pooledMallocBytes(pool, o.size)();
                if (p !== nullPtr) write(o.pool, p, o.size);
                break;
              }
              case 'new': {
                const p = pooledNew(CInt, pool, o.value | 0)();
                if (p !== nullPtr) {
                  expect(api.peek(CInt, p)()).toBe(o.value | 0);
                  write(o.pool, p, 4);
                }
                break;
              }
              case 'newArray': {
                const xs = Array.from({ length: o.n }, (_, k) => k & 0xff);
                const p = pooledNewArray(Word8, pool, xs)();
                if (p !== nullPtr) {
                  expect(api.peekArray(Word8, o.n, p)()).toEqual(xs);
                  write(o.pool, p, o.n);
                }
                break;
              }
              case 'aligned': {
                const p = pooledMallocArray(Vec, pool, o.n)();
                if (p !== nullPtr) {
                  expect(p % 32).toBe(0);
                  write(o.pool, p, o.n * 32);
                }
                break;
              }
              case 'realloc': {
                const keys = [...blocks.keys()];
                if (keys.length === 0) break;
                const p = keys[o.pick % keys.length]!;
                const old = blocks.get(p)!;
                const q = pooledReallocBytes(pool, p as Ptr<number>, o.size)();
                if (o.size === 0) {
                  expect(q).toBe(nullPtr);
                  blocks.delete(p);
                } else if (q === nullPtr) {
                  // failed: p is still pooled and unchanged (checked by checkAll)
                } else {
                  const keep = Math.min(old.length, o.size);
                  expect([...heap.memory.views.u8.subarray(q, q + keep)]).toEqual(
                    old.slice(0, keep),
                  );
                  blocks.delete(p);
                  write(o.pool, q, o.size);
                }
                break;
              }
              case 'stranger': {
                const other = model[(o.pool + 1) % 3]!;
                const keys = [...other.keys()];
                if (keys.length === 0) break;
                const p = keys[o.pick % keys.length]!;
                expect(() => pooledReallocBytes(pool, p as Ptr<number>, 8)()).toThrow(PoolError);
                break;
              }
              case 'free':
                if (pool.freed) {
                  expect(() => freePool(pool)()).toThrow(PoolError);
                } else {
                  freePool(pool)();
                  blocks.clear();
                }
                break;
            }
            checkAll();
          }
          for (const pool of pools) pool[Symbol.dispose]();
          const after = heap.stats();
          expect(after.liveBlocks).toBe(before.liveBlocks);
          expect(after.liveBytes).toBe(before.liveBytes);
          heap.check();
        },
      ),
      { numRuns: LONG ? 2000 : 150 },
    );
  });
});

describe('arguments that are not what they should be', () => {
  it('the pooled functions refuse a non-instance, naming themselves, and add nothing to the pool', () => {
    const { heap, api } = setup();
    const pool = api.newPool()();
    const p = pooledMallocBytes(pool, 8)();
    for (const S of [null, 'CInt', {}, { sizeOf: 4, alignment: 4 }] as never[]) {
      refusal(() => pooledMalloc(S, pool)(), TypeError, 'pooledMalloc');
      refusal(() => pooledRealloc(S, pool, p)(), TypeError, 'pooledRealloc');
      refusal(() => pooledNew(S, pool, 1)(), TypeError, 'pooledNew');
      refusal(() => pooledNewArray(S, pool, [1])(), TypeError, 'pooledNewArray');
      refusal(() => pooledMallocArray0(S, pool, 1)(), TypeError, 'pooledMallocArray0');
    }
    expect(pool.size).toBe(1);
    freePool(pool)();
    heap.check();
  });

  it('withPool refuses a body that is not a function or returns no program, and frees its pool', () => {
    const { heap, api } = setup();
    const before = heap.stats().liveBlocks;
    for (const f of [7, null, () => 7] as never[])
      refusal(() => api.withPool(f)(), TypeError, 'withPool');
    refusal(() => marshalPool({} as never), TypeError, 'marshalPool');
    expect(heap.stats().liveBlocks).toBe(before);
  });
});

describe('pools with bigint sizes and pointers', () => {
  it('sizes and counts may be bigints that are safe integers; the pool records numbers', () => {
    const { api, heap } = setup();
    api.withPool((pool) => () => {
      const p = pooledMallocBytes(pool, 8n)();
      const q = pooledReallocBytes(pool, p, 64n)();
      expect(heap.memory.views.u8.length).toBeGreaterThan(q + 63);
      const r = pooledMallocArray(Double, pool, 3n)();
      const s = pooledReallocArray(Double, pool, r, 5n)();
      expect(pool.size).toBe(2);
      expect(pooledReallocBytes(pool, s, 0n)()).toBe(nullPtr);
      expect(pool.size).toBe(1);
      expect(() => pooledMallocBytes(pool, 2n ** 53n)()).toThrow(/^pooledMallocBytes: size/);
      expect(() => pooledReallocBytes(pool, q, -1n)()).toThrow(/^pooledReallocBytes: size/);
      expect(() => pooledReallocBytes(pool, BigInt(q) as never, 8)()).toThrow(TypeError);
      expect(pool.size).toBe(1);
    })();
    heap.check();
    expect(heap.stats().liveBlocks).toBe(0);
  });
});
