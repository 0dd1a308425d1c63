import { expect } from 'vitest';
import { thrown } from '../support/thrown.js';
import type { Heap } from '../../src/heap/index.js';

/** A copy of every byte of the heap's region. */
export const snapshot = (heap: Heap): Uint8Array => {
  const { heapBytes } = heap.stats();
  return heap.memory.views.u8.slice(heap.base, heap.base + heapBytes);
};

/**
 * Runs `f`, which must throw an error of class `kind`, and checks that the heap is exactly as
 * it was, byte for byte, and still passes check().
 */
export const expectRefused = (
  heap: Heap,
  kind: new (...args: never[]) => Error,
  f: () => unknown,
): Error => {
  const before = snapshot(heap);
  const caught = thrown(f);
  expect(caught).toBeInstanceOf(kind);
  expect(snapshot(heap)).toEqual(before);
  heap.check();
  return caught as Error;
};

/** Fills `size` bytes at `p` with a pattern derived from `seed`. */
export const fill = (heap: Heap, p: number, size: number, seed: number): void => {
  const u8 = heap.memory.ensure(p, size).u8;
  for (let i = 0; i < size; i++) u8[p + i] = (seed * 31 + i * 7) & 0xff;
};

/** Whether the `size` bytes at `p` still hold the pattern of `seed`. */
export const holds = (heap: Heap, p: number, size: number, seed: number): boolean => {
  const u8 = heap.memory.ensure(p, size).u8;
  for (let i = 0; i < size; i++) if (u8[p + i] !== ((seed * 31 + i * 7) & 0xff)) return false;
  return true;
};
