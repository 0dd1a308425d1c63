/**
 * The alloca suite: a temporary Particle, poked then peeked, as a user of this library writes
 * it — `alloca(Particle, (p) => () => { poke(Particle, p, v)(); return peek(Particle, p)(); })`,
 * an IO program run in a loop — against the same work written by hand: on the alloca `Stack`
 * (mark, alloc, DataView writes and reads, release in `finally`: what `alloca` does, so the
 * reference) and on the `Heap` (malloc, DataView writes and reads, free). A fourth cell writes
 * the body with fp-ts's `IO.flatMap`, to show what that costs.
 *
 * Every implementation is verified before it is timed (the 1 024 inputs come back exactly, the
 * stack is empty and the heap checks), and every timed run is checked the same way.
 *
 * Each implementation has its own loop (see bench/README.md).
 */
import { pipe } from 'fp-ts/lib/function.js';
import * as IO from 'fp-ts/lib/IO.js';
import type { Cell, Suite, Target, Workload } from '../harness.js';
import { makeArena, type Arena } from '../lib/arena.js';
import { ratioTarget } from '../lib/targets.js';
import {
  ALIGN,
  Particle,
  SIZE,
  SLOTS,
  dataViewRead,
  dataViewWrite,
  particleInputs,
  verifyValues,
  type ParticleValue,
} from '../lib/particle.js';

const MASK = SLOTS - 1;

export const REF = 'Stack by hand';
export const ALLOCA = 'alloca program';
export const HEAP = 'Heap by hand';
export const FLATMAP = 'alloca + IO.flatMap';

/** An implementation: makes its own loop over a fresh arena (its heap, its stack). */
export interface AllocaImpl {
  readonly impl: string;
  /** Timed on fewer ops (a microsecond or more per op). */
  readonly slow?: boolean;
  readonly note?: string;
  /** Op `i` puts `inputs[i & 1023]` in temporary memory, reads it back into `out[i & 1023]`. */
  make(arena: Arena, inputs: readonly ParticleValue[], out: unknown[]): (ops: number) => void;
}

const allocaProgram: AllocaImpl = {
  impl: ALLOCA,
  make(arena, inputs, out) {
    const { alloca, poke, peek } = arena.api;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        const v = inputs[s]!;
        out[s] = alloca(Particle, (p) => () => {
          poke(Particle, p, v)();
          return peek(Particle, p)();
        })();
      }
    };
  },
};

const allocaFlatMap: AllocaImpl = {
  impl: FLATMAP,
  slow: true,
  note:
    'the same program with pipe(poke(Particle, p, v), IO.flatMap(() => peek(Particle, p))): ' +
    "fp-ts 2.16's flatMap alone costs 0.5–1 µs per call on Node 20 (its dual() copies the " +
    'arguments into an array and applies them); fewer ops per run',
  make(arena, inputs, out) {
    const { alloca, poke, peek } = arena.api;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        const v = inputs[s]!;
        out[s] = alloca(Particle, (p) =>
          pipe(
            poke(Particle, p, v),
            IO.flatMap(() => peek(Particle, p)),
          ),
        )();
      }
    };
  },
};

const stackByHand: AllocaImpl = {
  impl: REF,
  note:
    "the reference: what alloca does, by hand on the context's Stack — mark, alloc(56, 8), " +
    'DataView writes and reads (no validation), release in finally',
  make(arena, inputs, out) {
    const stack = arena.context.stack;
    const memory = arena.memory;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        const mark = stack.mark();
        try {
          const p = stack.alloc(SIZE, ALIGN);
          const dv = memory.views.dv;
          dataViewWrite(dv, p, inputs[s]!);
          out[s] = dataViewRead(dv, p);
        } finally {
          stack.release(mark);
        }
      }
    };
  },
};

const heapByHand: AllocaImpl = {
  impl: HEAP,
  note: 'by hand on the Heap: malloc(56), DataView writes and reads (no validation), free',
  make(arena, inputs, out) {
    const heap = arena.heap;
    const memory = arena.memory;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        const p = heap.malloc(SIZE);
        const dv = memory.views.dv;
        dataViewWrite(dv, p, inputs[s]!);
        out[s] = dataViewRead(dv, p);
        heap.free(p);
      }
    };
  },
};

/** Throws unless the arena is as it was: no open mark, nothing on the stack, a sound heap. */
const checkArena = (impl: string, arena: Arena, liveBefore: number): void => {
  const { stack } = arena.context;
  if (stack.depth !== 0 || stack.used !== 0)
    throw new Error(
      `${impl} refused: the stack was left with ${stack.depth} mark(s), ${stack.used} bytes`,
    );
  arena.heap.check();
  const live = arena.heap.stats().liveBytes;
  if (live !== liveBefore)
    throw new Error(`${impl} refused: the heap holds ${live - liveBefore} more live bytes`);
};

/**
 * The cell of an implementation. Its first run verifies it (one untimed pass over the 1 024
 * inputs must give them back exactly and leave the stack empty and the heap as it was) and
 * throws if it is wrong; every timed run is checked the same way.
 */
export const allocaCell = (x: AllocaImpl, ops: number, inputs: readonly ParticleValue[]): Cell => {
  let state: { arena: Arena; loop: (ops: number) => void; live: number } | undefined;
  const out = new Array<unknown>(SLOTS).fill(undefined);
  const check = (): void => {
    verifyValues(x.impl, out, inputs);
    if (state !== undefined) checkArena(x.impl, state.arena, state.live);
  };
  return {
    impl: x.impl,
    ops,
    ...(x.note === undefined ? {} : { note: x.note }),
    run(sw) {
      if (state === undefined) {
        const arena = makeArena();
        // The stack takes its region from the heap on its first alloca: take it now.
        const mark = arena.context.stack.mark();
        arena.context.stack.alloc(0, 1);
        arena.context.stack.release(mark);
        state = { arena, loop: x.make(arena, inputs, out), live: arena.heap.stats().liveBytes };
        state.loop(SLOTS);
        check();
      }
      out.fill(undefined);
      sw.start();
      state.loop(ops);
      sw.stop();
      check();
      return {};
    },
  };
};

export interface AllocaParams {
  readonly ops: number;
  /** Ops per run of the slow cells. */
  readonly slowOps: number;
}

const FULL: AllocaParams = { ops: 1_000_000, slowOps: 100_000 };
const QUICK: AllocaParams = { ops: 20_000, slowOps: 2_048 };

const within = (impl: string, reference: string, limit: number, note = ''): Target =>
  ratioTarget(`${impl} within ${limit}x of ${reference}${note}`, impl, reference, limit);

/** The workload over the given implementations. */
export const allocaWorkload = (impls: readonly AllocaImpl[], p: AllocaParams): Workload => {
  const inputs = particleInputs();
  const has = (impl: string): boolean => impls.some((x) => x.impl === impl);
  return {
    name: 'alloca',
    interleave: true,
    runs: 15,
    title:
      'per op: temporary room for a Particle, poke inputs[i mod 1024], peek it into a new ' +
      'object, release',
    cells: impls.map((x) => allocaCell(x, x.slow === true ? p.slowOps : p.ops, inputs)),
    targets: [
      ...(has(ALLOCA) ? [within(ALLOCA, REF, 2, ' (the reference)')] : []),
      ...(has(ALLOCA) && has(HEAP) ? [within(ALLOCA, HEAP, 2)] : []),
    ],
    notes: [
      '15 timed runs per cell, taken round-robin (the median of a few runs of a cell this fast moves with bursts of load).',
      `${ALLOCA}: const { alloca, poke, peek } = foreign(ctx); alloca(Particle, (p) => () => ` +
        '{ poke(Particle, p, v)(); return peek(Particle, p)(); })() in the loop. Its poke ' +
        'validates v; the hand-written cells do not.',
      'every implementation is verified before timing (the 1,024 inputs back exactly, no open ' +
        'mark, an empty stack, heap.check() and the same live bytes) and every timed run is ' +
        'checked after.',
    ],
  };
};

export const suite: Suite = {
  name: 'alloca',
  title: 'alloca(Particle, poke then peek) as an IO program vs the same work by hand',
  reference: REF,
  workloads({ quick }) {
    return [
      allocaWorkload([allocaProgram, stackByHand, heapByHand, allocaFlatMap], quick ? QUICK : FULL),
    ];
  },
};
