/**
 * The arena every implementation of the struct suite writes into and reads from: 1 024 slots of
 * 56 bytes, one block `malloc`ed from a heap of this library, so that every implementation
 * touches the same kind of memory (a WebAssembly memory) at the same addresses.
 */
import { Heap, contextOf, foreign, type Context, type Foreign, type Memory } from 'foreign-ts';
import { SIZE, SLOTS } from './particle.js';

export interface Arena {
  readonly heap: Heap;
  readonly context: Context;
  /** The Haskell face bound to `context`: what a user of this library calls. */
  readonly api: Foreign;
  readonly memory: Memory;
  /** The address of slot 0 (8-aligned); slot `s` is at `base + s * 56`. */
  readonly base: number;
}

/** A new heap, its context, and the arena malloc'ed from it. */
export const makeArena = (): Arena => {
  const heap = Heap.create({ initialBytes: 1 << 20, maxBytes: 1 << 24 });
  const context = contextOf(heap);
  const api = foreign(context);
  const base = api.mallocBytes(SLOTS * SIZE)();
  if (base === 0 || base % 8 !== 0) throw new Error(`arena: malloc gave ${base}`);
  return { heap, context, api, memory: heap.memory, base };
};
