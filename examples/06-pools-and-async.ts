// Pools, asynchronous brackets and `using`: memory that lives as long as a group, a promise or a block.
//
// - `withPool` frees everything allocated in its pool when its body ends (also on throw).
// - `task.*` and `taskEither.*` brackets keep their memory until the body's promise settles;
//   they interleave freely, because each takes its own block from the heap (never the LIFO
//   alloca stack).
// - `scoped.*` values are released by `using` / `await using` when the block ends, latest first.
import * as E from 'fp-ts/lib/Either.js';
import {
  CInt,
  CUChar,
  Ptr,
  defaultHeap,
  nullPtr,
  peekArray,
  peekArray0,
  peekCString,
  pokeArray,
  pooledMallocArray,
  pooledNewArray0,
  pooledReallocArray,
  scoped,
  task,
  taskEither,
  withPool,
  type Pool,
} from 'foreign-ts';

const live = () => defaultHeap().stats().liveBlocks;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const encoder = new TextEncoder();

// A C-style `char **argv` (NULL-terminated), every string and the array itself in one pool.
const newArgv = (pool: Pool, args: readonly string[]): Ptr<Ptr<number>> => {
  const strings = args.map((s) => pooledNewArray0(CUChar, pool, 0, [...encoder.encode(s)])());
  return pooledNewArray0(Ptr, pool, nullPtr, strings)();
};
// What a C function would do with it: read the pointers up to NULL, then each string.
const readArgv = (argv: Ptr<Ptr<number>>): string[] =>
  peekArray0(Ptr, nullPtr, argv)().map((p) => peekCString(p as Ptr<number>)());

console.log('1. withPool: one pool for a whole argv, freed in one go');
const args = withPool((pool) => () => {
  const argv = newArgv(pool, ['ls', '-l', '/tmp']);
  console.log(`  in the pool: ${pool.size} blocks, ${live()} live`);
  return readArgv(argv);
})();
console.log(`  read back ${JSON.stringify(args)}; after withPool: ${live()} live`);

try {
  withPool((pool) => () => {
    newArgv(pool, ['will', 'throw']);
    throw new Error('the C function failed');
  })();
} catch (error) {
  console.log(`  on throw (${(error as Error).message}): ${live()} live`);
}

console.log('2. pooledReallocArray keeps what was there (and never reads past it)');
withPool((pool) => () => {
  let xs = pooledMallocArray(CInt, pool, 3)();
  pokeArray(CInt, xs, [1, 2, 3])();
  xs = pooledReallocArray(CInt, pool, xs, 1000)();
  console.log(`  grown to 1000: starts with ${JSON.stringify(peekArray(CInt, 3, xs)())}`);
})();

console.log('3. asynchronous brackets interleave: the first opened ends last');
let fastReported!: () => void;
const fastHasReported = new Promise<void>((resolve) => (fastReported = resolve));
const slow = task.withCString('opened first', (s) => async () => {
  console.log('  slow: opened');
  await fastHasReported; // say, a request that outlasts the other one
  return `slow: closed, still reads "${peekCString(s)()}"`;
});
const fast = task.withArray(CInt, [1, 2, 3], (p) => async () => {
  console.log('  fast: opened');
  await sleep(5);
  return `fast: closed, sum ${peekArray(CInt, 3, p)().reduce((a, b) => a + b)}`;
});
const report = async (t: () => Promise<string>) => {
  const line = await t();
  console.log(`  ${line}; ${live()} live after it`);
};
// allSettled, not all: when one bracket fails (out of memory), wait for the other to release
// its block before failing too; and the slow one is told even when the fast one failed.
const settled = await Promise.allSettled([report(slow), report(fast).finally(fastReported)]);
for (const r of settled) if (r.status === 'rejected') throw r.reason;

console.log('4. taskEither: a Left releases too, and so does a rejection');
const sumAtMost = (limit: number, xs: number[]) =>
  taskEither.withArray(CInt, xs, (p) => async () => {
    await sleep(1);
    const sum = peekArray(CInt, xs.length, p)().reduce((a, b) => a + b, 0);
    return sum <= limit ? E.right(sum) : E.left(`sum ${sum} is above ${limit}`);
  });
console.log(`  ${JSON.stringify(await sumAtMost(10, [1, 2, 3])())}`);
console.log(`  ${JSON.stringify(await sumAtMost(10, [5, 6, 7])())}`);
await task
  .allocaBytes(64, () => async () => {
    await sleep(1);
    throw new Error('rejected');
  })()
  .catch((error: Error) => console.log(`  ${error.message}; ${live()} live`));

console.log('5. using: scoped values are released when the block ends, also on throw');
const total = (name: string, scores: number[]): string => {
  using cname = scoped.newCString(name);
  using array = scoped.newArray(CInt, scores);
  if (name === '') throw new Error('no name');
  const sum = peekArray(CInt, scores.length, array.ptr)().reduce((a, b) => a + b, 0);
  return `${peekCString(cname.ptr)()} scored ${sum} (${live()} live inside)`;
};
console.log(`  ${total('Ada', [90, 75, 88])}; ${live()} live after`);
try {
  total('', [1]);
} catch (error) {
  console.log(`  ${(error as Error).message}: ${live()} live after the throw`);
}

console.log('6. await using: a scoped pool across awaits');
const pooled = async (): Promise<number> => {
  await using pool = scoped.pool();
  const argv = newArgv(pool, ['a', 'b']);
  await sleep(1);
  return readArgv(argv).length;
};
console.log(`  ${await pooled()} args; ${live()} live after`);

defaultHeap().check();
