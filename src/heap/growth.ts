/**
 * Growth and views: renewing the views when the memory has grown (by this heap or by someone
 * else), growing the memory when no free block fits, and laying out the new top of the region.
 *
 * @internal
 */
import { HeapCorruptionError } from './errors.js';
import {
  AL_SIZE,
  CONTROL_BYTES,
  FLAG_GROWABLE,
  F_BITMAP,
  F_FLAGS,
  F_LIMIT,
  F_SENTINEL,
  F_START,
  HEADER_BYTES,
  LEFT_FREE,
  MIN_BLOCK,
  alignUp,
  bitmapBlockSize,
} from './layout.js';
import { type HeapState, areaTop, setWord, word } from './state.js';
import { freeRange } from './blocks.js';

/** Takes `v` as the current views (the free lists read through the same `u32`). */
export const adopt = (
  s: HeapState,
  v: { u8: Uint8Array; u32: Uint32Array; i32: Int32Array; f64: Float64Array },
): void => {
  s.u8 = v.u8;
  s.u32 = v.u32;
  s.i32 = v.i32;
  s.f64 = v.f64;
  s.tlsf.u32 = v.u32;
};

/**
 * Makes sure the views reach the whole heap; renews them when the memory has grown. Errors
 * (a memory that shrank below the heap, or was transferred away) name `call`.
 */
export const sync = (s: HeapState, call: string): void => {
  const u32 = s.u32;
  if (u32.length * 4 >= s.controlEnd && word(s, F_SENTINEL) + HEADER_BYTES <= u32.length * 4)
    return;
  adopt(s, s.memory.ensure(s.base, CONTROL_BYTES, call));
  const sentinel = word(s, F_SENTINEL);
  if (sentinel + HEADER_BYTES > s.memory.byteLength) {
    throw new HeapCorruptionError(sentinel, 'the heap reaches past the end of its memory');
  }
  adopt(s, s.memory.ensure(0, sentinel + HEADER_BYTES, call));
  renewFastTop(s);
};

/** Sets `fastTop` for views that reach the whole heap. */
export const renewFastTop = (s: HeapState): void => {
  s.fastTop = s.shared || s.checked ? 0 : areaTop(s);
};

/**
 * Grows the memory so that the free block at the top of the block area holds at least
 * `want` bytes. Grows geometrically (doubling the region) where the limit allows, to keep
 * growth rare. Returns false, changing nothing, when the limit or the memory refuses.
 */
export const grow = (s: HeapState, want: number): boolean => {
  if ((word(s, F_FLAGS) & FLAG_GROWABLE) === 0) return false;
  const tlsf = s.tlsf;
  const top = areaTop(s);
  const leftTag = tlsf.word(top) & LEFT_FREE;
  const tail = leftTag !== 0 ? tlsf.sizeOf(tlsf.word(top - 4)) : 0;
  const regionEnd = word(s, F_SENTINEL) + HEADER_BYTES;
  const limit = word(s, F_LIMIT);
  const needed = regionEndFor(s, top - tail + Math.max(want, MIN_BLOCK));
  if (needed > limit) return false;
  const doubled = Math.min(limit, 2 * regionEnd - s.base);
  if (!s.memory.grow(Math.max(needed, doubled)) && !s.memory.grow(needed)) return false;
  adopt(s, s.memory.views);
  // Take what was asked for (page-rounded), not the whole memory: the memory may already be
  // longer than this heap's region needs (a region of a memory shared by several heaps).
  const target = alignUp(Math.max(needed, doubled) - s.base, 65536) + s.base;
  const newEnd = Math.floor(Math.min(s.memory.byteLength, limit, target) / AL_SIZE) * AL_SIZE;
  layTop(s, top, newEnd - HEADER_BYTES, leftTag);
  renewFastTop(s);
  return true;
};

/** The region end that leaves the block area free up to `blocksEnd`: room for the bitmap and sentinel. */
export const regionEndFor = (s: HeapState, blocksEnd: number): number => {
  let end = alignUp(blocksEnd, AL_SIZE) + HEADER_BYTES + 4;
  if (s.checked) {
    const start = word(s, F_START);
    end += bitmapBlockSize(start, end + Math.ceil((end - start) / 32) + 64);
  }
  return alignUp(end, AL_SIZE);
};

/**
 * Lays out the top of the region from `from` (the old top, or the first block) to the new
 * sentinel: a free block (merged with a free left neighbour when `leftTag` says there is
 * one), then the bitmap block of a checked heap (its bits moved from the old one), then the
 * sentinel.
 */
export const layTop = (s: HeapState, from: number, sentinel: number, leftTag: number): void => {
  const u32 = s.u32;
  let freeEnd = sentinel;
  if (s.checked) {
    const bitmapSize = bitmapBlockSize(word(s, F_START), sentinel);
    freeEnd = sentinel - bitmapSize;
    moveBitmap(s, word(s, F_BITMAP), freeEnd, bitmapSize);
    u32[freeEnd >>> 2] = bitmapSize;
    setWord(s, F_BITMAP, freeEnd);
  }
  u32[sentinel >>> 2] = 0;
  setWord(s, F_SENTINEL, sentinel);
  freeRange(s, from, freeEnd - from, leftTag);
};

/** Copies the live-block bits from the old bitmap block (0: none) to the new one, zeroing the rest. */
export const moveBitmap = (s: HeapState, from: number, to: number, size: number): void => {
  const oldBytes = from === 0 ? 0 : s.tlsf.sizeOf(from) - HEADER_BYTES;
  const u8 = s.u8;
  if (oldBytes > 0)
    u8.copyWithin(to + HEADER_BYTES, from + HEADER_BYTES, from + HEADER_BYTES + oldBytes);
  u8.fill(0, to + HEADER_BYTES + oldBytes, to + size);
};
