/**
 * The library held to its own harness: every allocating function of the Haskell face (alloca
 * and with*, arrays, strings, pools, ForeignPtr, the asynchronous brackets, `using`) runs under
 * `oomTest`, failing at every allocation point (alloca spills included) and at every one from
 * it on: zero leaks, zero corruption, and the failure as docs/memory-interface.md's table says.
 * The test prints its figure (programs, points, runs).
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  CDouble,
  CInt,
  finalizeForeignPtr,
  finalizerFree,
  foreign,
  freePool,
  nullPtr,
  pooledMallocArray,
  pooledMallocBytes,
  pooledNew,
  pooledReallocBytes,
  struct,
  withForeignPtr,
  type Ptr,
} from 'foreign-ts';
import { oomTest, type Context, type Contract, type OomProblem } from 'foreign-ts/interface';

type Api = ReturnType<typeof foreign>;
interface Case {
  readonly name: string;
  readonly contract: Contract;
  readonly program: (api: Api, ctx: Context) => unknown;
}

const Point = struct({ x: CInt, y: CDouble });

/** A program over one allocating function that gives a block or nullPtr: free it, return it. */
const gives = (name: string, make: (api: Api) => number): Case => ({
  name,
  contract: 'nullPtr',
  program: (api) => {
    const p = make(api);
    if (p !== nullPtr) api.free(p as Ptr<unknown>)();
    return p;
  },
});

/** As {@link gives}, for the `either` flavour: a Left of an AllocationError. */
const givesEither = (name: string, make: (api: Api) => E.Either<unknown, unknown>): Case => ({
  name,
  contract: 'left',
  program: (api) => {
    const r = make(api);
    if (E.isRight(r)) {
      const v = r.right;
      api.free((Array.isArray(v) ? v[0] : v) as Ptr<unknown>)();
    }
    return r;
  },
});

/** A bracket that throws an AllocationError when it cannot allocate. */
const throws = (name: string, program: (api: Api, ctx: Context) => unknown): Case => ({
  name,
  contract: 'throw',
  program,
});

/** Resizing a block of its own: when the resize fails, the old block is freed. */
const resizes = (name: string, resize: (api: Api, p: Ptr<number>) => number): Case => ({
  name,
  contract: 'nullPtr',
  program: (api) => {
    const p = api.mallocArray(CInt, 2)();
    if (p === nullPtr) return nullPtr;
    const q = resize(api, p);
    api.free(q === nullPtr ? p : (q as Ptr<unknown>))();
    return q;
  },
});

/** An alloca-family function: the body is given nullPtr. */
const allocas = (
  name: string,
  run: (api: Api, f: (p: Ptr<any>) => () => number) => number,
): Case => ({
  name,
  contract: 'nullPtr',
  program: (api) => run(api, (p) => () => (p === nullPtr ? nullPtr : 1)),
});

const CASES: readonly Case[] = [
  gives('malloc', (api) => api.malloc(CInt)()),
  gives('mallocBytes', (api) => api.mallocBytes(24)()),
  gives('calloc', (api) => api.calloc(Point)()),
  gives('callocBytes', (api) => api.callocBytes(40)()),
  gives('mallocArray', (api) => api.mallocArray(CDouble, 5)()),
  gives('mallocArray0', (api) => api.mallocArray0(CInt, 5)()),
  gives('callocArray', (api) => api.callocArray(CInt, 7)()),
  gives('callocArray0', (api) => api.callocArray0(CInt, 7)()),
  gives('new', (api) => api.new(Point, { x: 1, y: 2 })()),
  gives('newArray', (api) => api.newArray(CInt, [1, 2, 3])()),
  gives('newArray0', (api) => api.newArray0(CInt, 0, [1, 2, 3])()),
  gives('newCString', (api) => api.newCString('héllo')()),
  {
    name: 'newCStringLen',
    contract: (o) => !o.threw && Array.isArray(o.value) && o.value[0] === 0 && o.value[1] === 0,
    program: (api) => {
      const csl = api.newCStringLen('héllo')();
      if (csl[0] !== nullPtr) api.free(csl[0])();
      return csl;
    },
  },
  resizes('realloc', (api, p) => api.realloc(CDouble, p)()),
  resizes('reallocBytes', (api, p) => api.reallocBytes(p, 4000)()),
  resizes('reallocArray', (api, p) => api.reallocArray(CInt, p, 900)()),
  resizes('reallocArray0', (api, p) => api.reallocArray0(CInt, p, 900)()),
  givesEither('either.malloc', (api) => api.either.malloc(CInt)()),
  givesEither('either.mallocBytes', (api) => api.either.mallocBytes(8)()),
  givesEither('either.calloc', (api) => api.either.calloc(CInt)()),
  givesEither('either.callocBytes', (api) => api.either.callocBytes(8)()),
  givesEither('either.mallocArray', (api) => api.either.mallocArray(CInt, 3)()),
  givesEither('either.mallocArray0', (api) => api.either.mallocArray0(CInt, 3)()),
  givesEither('either.callocArray', (api) => api.either.callocArray(CInt, 3)()),
  givesEither('either.callocArray0', (api) => api.either.callocArray0(CInt, 3)()),
  givesEither('either.newArray', (api) => api.either.newArray(CInt, [4, 5])()),
  givesEither('either.newArray0', (api) => api.either.newArray0(CInt, 0, [4, 5])()),
  givesEither('either.newCString', (api) => api.either.newCString('x')()),
  givesEither('either.newCStringLen', (api) => api.either.newCStringLen('xy')()),
  {
    name: 'either.reallocBytes',
    contract: 'left',
    program: (api) => {
      const m = api.either.mallocBytes(8)();
      if (E.isLeft(m)) return m;
      const r = api.either.reallocBytes(m.right, 5000)();
      api.free(E.isRight(r) ? r.right : m.right)();
      return r;
    },
  },
  {
    name: 'either.alloca',
    contract: 'left',
    program: (api) => api.either.alloca(CInt, () => () => 1)(),
  },
  allocas('alloca', (api, f) => api.alloca(CInt, f)()),
  allocas('allocaBytes', (api, f) => api.allocaBytes(100, f)()),
  allocas('allocaBytesAligned', (api, f) => api.allocaBytesAligned(100, 8, f)()),
  allocas('allocaArray', (api, f) => api.allocaArray(CInt, 10, f)()),
  allocas('allocaArray0', (api, f) => api.allocaArray0(CInt, 10, f)()),
  allocas('alloca, nested three deep', (api, f) =>
    api.alloca(CInt, (a) => () => {
      if (a === nullPtr) return nullPtr;
      return api.allocaBytes(
        200,
        (b) => () => (b === nullPtr ? nullPtr : api.allocaArray(CDouble, 4, f)()),
      )();
    })(),
  ),
  throws('with', (api) => api.with(Point, { x: 1, y: 2 }, () => () => 1)()),
  throws('withArray', (api) =>
    api.withArray(CInt, [1, 2], (p: Ptr<number>) => api.peek(CInt, p))(),
  ),
  throws('withArray0', (api) => api.withArray0(CInt, 0, [1], () => () => 1)()),
  throws('withArrayLen', (api) => api.withArrayLen(CInt, [1, 2], (n: number) => () => n)()),
  throws('withArrayLen0', (api) => api.withArrayLen0(CInt, 0, [1], (n: number) => () => n)()),
  throws('withCString', (api) => api.withCString('abc', (p) => api.peekCString(p))()),
  throws('withCStringLen', (api) =>
    api.withCStringLen(
      'abc',
      ([, n]) =>
        () =>
          n,
    )(),
  ),
  throws('with* nested: withCString in withArray in with', (api) =>
    api.with(CInt, 1, () =>
      api.withArray(CInt, [1, 2, 3], () => api.withCString('deep', (s) => api.peekCString(s))),
    )(),
  ),
  throws('mallocForeignPtr', (api) => {
    const fp = api.mallocForeignPtr(Point)();
    finalizeForeignPtr(fp)();
  }),
  throws('mallocForeignPtrBytes', (api) => {
    const fp = api.mallocForeignPtrBytes(64)();
    withForeignPtr(fp, () => () => 0)();
    finalizeForeignPtr(fp)();
  }),
  throws('mallocForeignPtrArray', (api) =>
    finalizeForeignPtr(api.mallocForeignPtrArray(CInt, 9)())(),
  ),
  throws('mallocForeignPtrArray0', (api) =>
    finalizeForeignPtr(api.mallocForeignPtrArray0(CInt, 9)())(),
  ),
  {
    name: 'newForeignPtr(finalizerFree, malloc)',
    contract: 'nullPtr',
    program: (api) => {
      const p = api.mallocBytes(16)();
      if (p === nullPtr) return nullPtr;
      finalizeForeignPtr(api.newForeignPtr(finalizerFree, p)())();
      return 1;
    },
  },
  {
    name: 'withPool: pooled allocations',
    contract: 'nullPtr',
    program: (api) =>
      api.withPool((pool) => () => {
        const a = pooledMallocBytes(pool, 10)();
        if (a === nullPtr) return nullPtr;
        const b = pooledMallocArray(CInt, pool, 100)();
        if (b === nullPtr) return nullPtr;
        const c = pooledReallocBytes(pool, a, 3000)();
        return c === nullPtr ? nullPtr : pooledNew(CInt, pool, 3)();
      })(),
  },
  {
    name: 'newPool and freePool',
    contract: 'nullPtr',
    program: (api) => {
      const pool = api.newPool()();
      const p = pooledMallocBytes(pool, 32)();
      freePool(pool)();
      return p;
    },
  },
  {
    name: 'task.withArray (rejects)',
    contract: 'throw',
    program: (api) =>
      api.task.withArray(CInt, [1, 2], (p: Ptr<number>) => async () => api.peek(CInt, p)())(),
  },
  {
    name: 'task.withCString in task.with',
    contract: 'throw',
    program: (api) =>
      api.task.with(CInt, 4, () => api.task.withCString('t', () => async () => 1))(),
  },
  {
    name: 'taskEither.withArray (Left)',
    contract: 'left',
    program: (api) => api.taskEither.withArray(CInt, [1], () => async () => E.right(1))(),
  },
  {
    name: 'task.alloca (body gets nullPtr)',
    contract: 'nullPtr',
    program: (api) =>
      api.task.alloca(CInt, (p: Ptr<number>) => async () => (p === nullPtr ? nullPtr : 1))(),
  },
  {
    name: 'task.allocaArray in task.allocaBytes',
    contract: 'nullPtr',
    program: (api) =>
      api.task.allocaBytes(64, (a) =>
        a === nullPtr
          ? async () => nullPtr
          : api.task.allocaArray(CInt, 8, (b) => async () => (b === nullPtr ? nullPtr : 1)),
      )(),
  },
  {
    name: 'taskEither.alloca (Left)',
    contract: 'left',
    program: (api) => api.taskEither.alloca(CInt, () => async () => E.right(1))(),
  },
  {
    name: 'taskEither.withCString in taskEither.allocaBytes (Left)',
    contract: 'left',
    program: (api) =>
      api.taskEither.allocaBytes(32, () =>
        api.taskEither.withCString('te', () => async () => E.right(1)),
      )(),
  },
  {
    name: 'task.withPool',
    contract: 'nullPtr',
    program: (api) => api.task.withPool((pool) => async () => pooledMallocBytes(pool, 8)())(),
  },
  {
    name: 'scoped: using three blocks',
    contract: 'throw',
    program: (api) => {
      using a = api.scoped.malloc(CInt);
      using b = api.scoped.newArray(CInt, [1, 2, 3]);
      using c = api.scoped.newCString('using');
      return a.ptr + b.ptr + c.ptr;
    },
  },
  {
    name: 'scoped: pool and ForeignPtr',
    // scoped.* throw; the pooled allocation inside gives nullPtr
    contract: (o) =>
      o.threw ? (o.error as Error).name === 'AllocationError' : o.value === nullPtr,
    program: (api) => {
      using pool = api.scoped.pool();
      using fp = api.scoped.mallocForeignPtrBytes(8);
      void fp;
      return pooledMallocBytes(pool, 16)();
    },
  },
];

describe('the Haskell face under oomTest', () => {
  it('fails at every allocation point of every allocating function: no leak, no corruption, the documented error', async () => {
    let points = 0;
    let runs = 0;
    const problems: (OomProblem & { name: string })[] = [];
    // with the alloca stack's region (its allocation is a point), and without one (every alloca
    // and with* spills: each spill is a point)
    for (const stack of [{}, { size: 0 }]) {
      for (const c of CASES) {
        const r = await oomTest((ctx) => c.program(foreign(ctx), ctx), {
          contract: c.contract,
          stack,
        });
        expect(r.points, c.name).toBeGreaterThan(0);
        points += r.points;
        runs += r.runs;
        problems.push(
          ...r.problems.map((p) => ({ ...p, name: `${c.name} ${JSON.stringify(stack)}` })),
        );
      }
    }
    console.log(
      `the Haskell face under oomTest: ${CASES.length} programs (twice: with an alloca region, and spilling), ${points} allocation points, ${runs} runs, ${problems.length} problems`,
    );
    expect(
      problems.map((p) => `${p.name}: point ${p.point} (${p.mode}): ${p.kind}: ${p.message}`),
    ).toEqual([]);
  });
});
