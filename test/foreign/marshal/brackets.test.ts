/**
 * Property: random nested bracket programs (alloca, allocaBytes, allocaBytesAligned, with,
 * withMany), whose bodies return, throw or return a Left at random depths, leave the alloca
 * stack and the heap exactly as they found them.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CInt,
  Double,
  Heap,
  contextOf,
  foreign,
  struct,
  withMany,
  type Ptr,
} from '../../../src/index.js';

const LONG = process.env.FOREIGN_TS_LONG === '1';
const Point = struct({ x: Double, y: CInt });

type Ending = 'return' | 'throw' | 'left';
type Node =
  | { kind: 'alloca'; children: Node[]; ending: Ending }
  | { kind: 'bytes'; size: number; children: Node[]; ending: Ending }
  | { kind: 'aligned'; size: number; shift: number; children: Node[]; ending: Ending }
  | { kind: 'with'; x: number; children: Node[]; ending: Ending }
  | { kind: 'many'; count: number; children: Node[]; ending: Ending };

const ending = fc.constantFrom<Ending>('return', 'return', 'return', 'throw', 'left');
const { node } = fc.letrec<{ node: Node }>((tie) => {
  // Empty first: at the maximum depth, oneof takes its first arbitrary, so the tree ends there.
  const children = fc.oneof(
    { maxDepth: 4, depthIdentifier: 'tree' },
    fc.constant<Node[]>([]),
    fc.array(tie('node'), { maxLength: 3 }),
  );
  return {
    node: fc.oneof(
      { depthIdentifier: 'tree' },
      fc.record({ kind: fc.constant('alloca' as const), children, ending }),
      fc.record({
        kind: fc.constant('bytes' as const),
        size: fc.integer({ min: 0, max: 100_000 }),
        children,
        ending,
      }),
      fc.record({
        kind: fc.constant('aligned' as const),
        size: fc.integer({ min: 0, max: 5000 }),
        shift: fc.integer({ min: 0, max: 12 }),
        children,
        ending,
      }),
      fc.record({
        kind: fc.constant('with' as const),
        x: fc.double({ noNaN: true }),
        children,
        ending,
      }),
      fc.record({
        kind: fc.constant('many' as const),
        count: fc.integer({ min: 0, max: 4 }),
        children,
        ending,
      }),
    ),
  };
});

class Thrown extends Error {}

describe('brackets release on every path', () => {
  it('random nested programs with random throws and Lefts leave the stack and the heap as they were', () => {
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 4 }), (roots) => {
        const heap = Heap.create();
        const api = foreign(contextOf(heap, { size: 4096 }));
        const stack = api.context.stack;
        api.allocaBytes(0, () => () => undefined)(); // the stack takes its region once
        // What must come back exactly. Counters and the high-water mark only grow, and so may
        // the memory (a spill can grow it; memories never shrink): growth is free space only.
        const state = () => {
          const s = heap.stats();
          return {
            liveBlocks: s.liveBlocks,
            liveBytes: s.liveBytes,
            freeBlocks: s.freeBlocks,
            controlBytes: s.controlBytes,
            notFree: s.heapBytes - s.freeBytes,
            outstanding: s.mallocs - s.frees,
          };
        };
        const before = state();
        const run = (n: Node): IO<E.Either<string, number>> => {
          const body =
            (p: Ptr<any>, align = 8): IO<E.Either<string, number>> =>
            () => {
              expect(p % align).toBe(0);
              for (const child of n.children) {
                try {
                  run(child)();
                } catch (error) {
                  if (!(error instanceof Thrown)) throw error;
                }
              }
              if (n.ending === 'throw') throw new Thrown();
              return n.ending === 'left' ? E.left('left') : E.right(p);
            };
          switch (n.kind) {
            case 'alloca':
              return api.alloca(Point, body);
            case 'bytes':
              return api.allocaBytes(n.size, body);
            case 'aligned':
              return api.allocaBytesAligned(n.size, 2 ** n.shift, (p) => body(p, 2 ** n.shift));
            case 'with':
              return api.with(Point, { x: n.x, y: 1 }, (p) => () => {
                expect(api.peek(Point, p)().x).toBe(n.x);
                return body(p)();
              });
            case 'many':
              return withMany(
                (x: number, k: (p: Ptr<number>) => IO<E.Either<string, number>>) =>
                  api.with(CInt, x, k),
                Array.from({ length: n.count }, (_, i) => i),
                (ps) => (ps.length > 0 ? body(ps[ps.length - 1]!, 4) : body(8 as Ptr<number>)),
              );
          }
        };
        for (const root of roots) {
          try {
            run(root)();
          } catch (error) {
            if (!(error instanceof Thrown)) throw error;
          }
          expect(stack.depth).toBe(0);
          expect(stack.used).toBe(0);
          expect(state()).toEqual(before);
        }
        heap.check();
      }),
      { numRuns: LONG ? 5000 : 500 },
    );
  });
});
