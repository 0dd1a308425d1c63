/**
 * Block surgery: taking a free block out of the lists, splitting, merging with free neighbours
 * through the boundary tags, and the high-water mark. Every function is O(1).
 *
 * @internal
 */
import { FREE, F_HIGH, F_LIVE_BYTES, HEADER_BYTES, LEFT_FREE, MIN_BLOCK, TAGS } from './layout.js';
import { type HeapState, areaTop, setWord, word } from './state.js';
import { setLiveBit } from './pointers.js';

/** A free block of at least `want` bytes, taken out of the lists, or 0. */
export const find = (s: HeapState, want: number): number => {
  const b = s.tlsf.take(want);
  if (b !== 0) return b;
  const tail = tailFit(s, want);
  if (tail !== 0) s.tlsf.remove(tail);
  return tail;
};

/** The free block at the top of the block area if it holds `want` bytes, else 0. */
export const tailFit = (s: HeapState, want: number): number => {
  const top = areaTop(s);
  if ((s.tlsf.word(top) & LEFT_FREE) === 0) return 0;
  const tail = s.tlsf.word(top - 4);
  return s.tlsf.sizeOf(tail) >= want ? tail : 0;
};

/** Records that the used block `b` reaches its end (the high-water mark). */
export const raiseHigh = (s: HeapState, b: number): void => {
  const end = b + s.tlsf.sizeOf(b);
  if (end > word(s, F_HIGH)) setWord(s, F_HIGH, end);
};

/** Cuts the used block `b` down to `want` bytes, freeing the rest if it makes a block. */
export const shrink = (s: HeapState, b: number, want: number): void => {
  const u32 = s.u32;
  const header = u32[b >>> 2]!;
  const rest = (header & ~TAGS) - want;
  if (rest < MIN_BLOCK) return;
  u32[b >>> 2] = want | (header & TAGS);
  u32[(s.base + F_LIVE_BYTES) >>> 2]! -= rest;
  freeRange(s, b + want, rest, 0);
};

/** Gives the used block `b` back: merges it with free neighbours and lists it. */
export const retire = (s: HeapState, b: number): void => {
  const u32 = s.u32;
  const header = u32[b >>> 2]!;
  const size = header & ~TAGS;
  // FREE stays on this header even if the block merges into its left neighbour, so that a
  // second free of the same pointer is still recognised.
  u32[b >>> 2] = header | FREE;
  u32[(s.base + F_LIVE_BYTES) >>> 2]! -= size;
  if (s.checked) setLiveBit(s, b + HEADER_BYTES, false);
  freeRange(s, b, size, header & LEFT_FREE);
};

/**
 * Makes `[at, at + size)` one free block, merged with its free neighbours, and lists it. The
 * range holds no live block; `leftFree` (LEFT_FREE or 0) says whether its left neighbour is
 * free.
 */
export const freeRange = (s: HeapState, at: number, size: number, leftFree: number): void => {
  const u32 = s.u32;
  const tlsf = s.tlsf;
  let start = at;
  let length = size;
  const next = at + size;
  const nextHeader = u32[next >>> 2]!;
  if ((nextHeader & FREE) !== 0) {
    tlsf.remove(next);
    length += nextHeader & ~TAGS;
  }
  if (leftFree !== 0) {
    const left = u32[(at - 4) >>> 2]!;
    tlsf.remove(left);
    start = left;
    length += u32[left >>> 2]! & ~TAGS;
  }
  u32[start >>> 2] = length | FREE;
  tlsf.insert(start, length);
};

/** Splits the front `[b, aligned)` off the used block `b` as a free block. */
export const splitFront = (s: HeapState, b: number, aligned: number): void => {
  const u32 = s.u32;
  const header = u32[b >>> 2]!;
  const front = aligned - b;
  u32[aligned >>> 2] = (header & ~TAGS) - front;
  if (s.checked) {
    setLiveBit(s, b + HEADER_BYTES, false);
    setLiveBit(s, aligned + HEADER_BYTES, true);
  }
  u32[(s.base + F_LIVE_BYTES) >>> 2]! -= front;
  u32[b >>> 2] = front | FREE | (header & LEFT_FREE);
  s.tlsf.insert(b, front);
};

/** Whether the used block `b` is the last block, or only a free block lies after it. */
export const endsAtTop = (s: HeapState, b: number): boolean => {
  const tlsf = s.tlsf;
  const next = b + tlsf.sizeOf(b);
  const top = areaTop(s);
  return next === top || (tlsf.isFree(next) && next + tlsf.sizeOf(next) === top);
};
