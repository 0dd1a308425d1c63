import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refusal } from '../../support/thrown.js';
import { unsafeLocalState } from '../../../src/foreign/marshal/unsafe.js';
import { foreign } from '../../../src/foreign/context/index.js';
import { CInt } from '../../../src/foreign/c/index.js';
import { Heap } from '../../../src/heap/index.js';

describe('unsafeLocalState', () => {
  it('runs a program of local allocation once, returning its result (property)', () => {
    const heap = Heap.create();
    const f = foreign(heap);
    f.allocaBytes(1, () => () => undefined)(); // take the stack's region now
    const before = heap.stats();
    /** A pure function marshalling through the alloca stack. */
    const doubled = (n: number): number =>
      unsafeLocalState(
        f.alloca(CInt, (p) => () => {
          f.poke(CInt, p, n)();
          return f.peek(CInt, p)() * 2;
        }),
      );
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 30), max: 2 ** 30 - 1 }), (n) => {
        expect(doubled(n)).toBe(n * 2);
      }),
    );
    const len = (s: string): number =>
      unsafeLocalState(
        f.withCStringLen(
          s,
          ([, n]) =>
            () =>
              n,
        ),
      );
    expect(len('héllo')).toBe(6);
    heap.check();
    expect(heap.stats().liveBlocks).toBe(before.liveBlocks);
    expect(f.context.stack.depth).toBe(0);
  });

  it('runs the program exactly once per call', () => {
    let runs = 0;
    expect(unsafeLocalState(() => ++runs)).toBe(1);
    expect(runs).toBe(1);
  });

  it('throws what the program throws, and refuses a program that is not a function', () => {
    const boom = new Error('boom');
    expect(() =>
      unsafeLocalState(() => {
        throw boom;
      }),
    ).toThrow(boom);
    for (const bad of [undefined, null, 5, 'io', {}]) {
      refusal(() => unsafeLocalState(bad as never), TypeError, 'unsafeLocalState');
    }
  });
});
