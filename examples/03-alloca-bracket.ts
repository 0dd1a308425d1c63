/**
 * alloca and the with-family: temporary memory bound to the scope of an IO program, released in
 * `finally` — when the body returns, throws or returns a Left — in LIFO order. Programs compose
 * with fp-ts; a context of one's own comes from foreign(ctx).
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as IO from 'fp-ts/lib/IO.js';
import {
  CDouble,
  CInt,
  Heap,
  InvalidPointerError,
  alloca,
  allocaBytesAligned,
  defaultContext,
  foreign,
  peek,
  poke,
  struct,
  with as withValue,
  type Ptr,
} from 'foreign-ts';

const Point = struct({ x: CDouble, y: CDouble }, 'Point');
type Point = { x: number; y: number };

// A C function written in TypeScript, over memory: it reads a Point through a pointer.
const norm = (p: Ptr<Point>): IO.IO<number> =>
  pipe(
    peek(Point, p),
    IO.map(({ x, y }) => Math.hypot(x, y)),
  );

// alloca: room for one Point, alive for the body only.
const program = alloca(Point, (p) =>
  pipe(
    poke(Point, p, { x: 3, y: 4 }),
    IO.chain(() => norm(p)),
  ),
);
console.log('nothing has run yet; stack depth', defaultContext().stack.depth);
console.log('alloca + poke + norm =', program());

// with: alloca and poke in one, as Haskell's `with`.
console.log('with + norm =', withValue(Point, { x: 5, y: 12 }, norm)());

// Nested brackets release in LIFO order; an exception passes through after the release.
const stack = defaultContext().stack;
try {
  withValue(CInt, 1, () =>
    withValue(CInt, 2, () => () => {
      console.log('inside two brackets: stack depth', stack.depth);
      throw new Error('boom');
    }),
  )();
} catch (error) {
  console.log('caught', (error as Error).message, '- stack depth back to', stack.depth);
}

// A Left is a normal return: the memory is released too.
const checked = allocaBytesAligned(
  256,
  64,
  (p) => () => (p % 64 === 0 ? E.right(p % 64) : E.left('misaligned')),
);
console.log('allocaBytesAligned(256, 64):', checked(), '- stack depth', stack.depth);

// Freeing alloca memory is caught (Haskell leaves it undefined).
const heap = Heap.create({ initialBytes: 1 << 20 });
const api = foreign(heap);
api.alloca(CInt, (p) => () => {
  try {
    api.free(p)();
  } catch (error) {
    if (error instanceof InvalidPointerError) console.log('free(alloca pointer):', error.reason);
  }
})();

// A context of one's own: its own heap and stack. A large alloca spills to its heap.
const { allocaBytes } = api;
const before = heap.stats().liveBlocks;
allocaBytes(
  200_000,
  (p) => () => console.log('200 000 bytes at', p, '- live blocks', heap.stats().liveBlocks),
)();
console.log(
  'after: live blocks',
  heap.stats().liveBlocks,
  '(was',
  before,
  '- the stack keeps its own region)',
);
