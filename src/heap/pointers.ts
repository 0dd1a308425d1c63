/**
 * Pointer validation: whether an address is the payload of a live block (the live-block bitmap
 * of a checked heap, boundary-tag plausibility otherwise), and the error that says why not.
 *
 * @internal
 */
import { bigintAddress, describe } from '../arguments/index.js';
import { InvalidPointerError } from './errors.js';
import {
  AL_SIZE,
  CACHED,
  FREE,
  F_BITMAP,
  F_START,
  HEADER_BYTES,
  LEFT_FREE,
  MIN_BLOCK,
  TAGS,
} from './layout.js';
import { type HeapState, areaTop, word } from './state.js';

/** Sets or clears the live-block bit of the payload address `p` (checked heaps). */
export const setLiveBit = (s: HeapState, p: number, on: boolean): void => {
  const bit = (p - word(s, F_START) - HEADER_BYTES) >>> 3;
  const at = word(s, F_BITMAP) + HEADER_BYTES + (bit >>> 3);
  if (on) s.u8[at]! |= 1 << (bit & 7);
  else s.u8[at]! &= ~(1 << (bit & 7));
};

/** Whether the live-block bit of the payload address `p` is set (checked heaps). */
export const liveBit = (s: HeapState, p: number): boolean => {
  const bit = (p - word(s, F_START) - HEADER_BYTES) >>> 3;
  return (s.u8[word(s, F_BITMAP) + HEADER_BYTES + (bit >>> 3)]! & (1 << (bit & 7))) !== 0;
};

/** The block whose payload starts at `ptr`, or an {@link InvalidPointerError} saying why not. */
export const blockOf = (s: HeapState, call: string, ptr: number): number => {
  if (isLive(s, ptr)) return ptr - HEADER_BYTES;
  throw invalid(s, call, ptr);
};

/**
 * Whether `ptr` is the payload address of a live block: inside the block area, 8-aligned,
 * not tagged free, and — in a checked heap — marked in the live bitmap, or otherwise with a
 * header whose size and boundary tags agree with its neighbours.
 */
export const isLive = (s: HeapState, ptr: number): boolean => {
  if (typeof ptr !== 'number' || ptr >>> 0 !== ptr || (ptr & 7) !== 0) return false;
  if (ptr < word(s, F_START) + HEADER_BYTES || ptr >= areaTop(s)) return false;
  const header = s.u32[(ptr - HEADER_BYTES) >>> 2]!;
  if ((header & (FREE | CACHED)) !== 0) return false;
  return s.checked ? liveBit(s, ptr) : plausible(s, ptr - HEADER_BYTES, header, areaTop(s));
};

/**
 * The usable size of the live block at `ptr`, read without the lock; 0 when `ptr` is not one,
 * and -1 when the views do not reach what must be read (another worker grew the heap: renew
 * them and ask again). Never throws and writes nothing. In a checked heap it reads three words
 * (the bitmap's address, the block's header, its live bit): the area pools call it on every
 * free. Exact for a block the caller owns; for any other block, a guess another worker may
 * falsify at any moment (`Heap.liveSizeUnlocked`).
 */
export const liveSize = (s: HeapState, ptr: number): number => {
  if (typeof ptr !== 'number' || !(ptr > 0 && (ptr & 7) === 0 && ptr >>> 0 === ptr)) return 0;
  const u32 = s.u32;
  if (ptr >= u32.length * 4) return -1;
  if (!s.checked) {
    if (areaTop(s) + HEADER_BYTES > u32.length * 4) return -1;
    return isLive(s, ptr) ? s.tlsf.sizeOf(ptr - HEADER_BYTES) - HEADER_BYTES : 0;
  }
  // The bitmap block moves when the heap grows: its address is read each time, and a bit
  // beyond the views means another worker grew the heap.
  const bitmap = u32[(s.base + F_BITMAP) >>> 2]!;
  if (ptr < s.first || ptr >= bitmap) return 0;
  const bit = (ptr - s.first) >>> 3;
  const byte = s.u8[bitmap + HEADER_BYTES + (bit >>> 3)];
  if (byte === undefined) return -1;
  const header = u32[(ptr - HEADER_BYTES) >>> 2]!;
  if ((header & (FREE | CACHED)) !== 0 || (byte & (1 << (bit & 7))) === 0) return 0;
  return (header & ~TAGS) - HEADER_BYTES;
};

/**
 * The error for a pointer `isLive` refused, saying what is wrong with it: a `TypeError` for a
 * bigint (addresses are numbers), an {@link InvalidPointerError} otherwise.
 */
export const invalid = (s: HeapState, call: string, ptr: unknown): Error => {
  if (typeof ptr === 'bigint') return bigintAddress(call, 'pointer', ptr, 'Number(x)');
  const refuse = (reason: string) => new InvalidPointerError(call, ptr as number, reason);
  if (typeof ptr !== 'number' || !Number.isInteger(ptr))
    return refuse(`not an address (${describe(ptr)})`);
  const first = word(s, F_START) + HEADER_BYTES;
  const top = areaTop(s);
  if (ptr < first || ptr >= top) return refuse(`outside the heap's blocks [${first}, ${top})`);
  if (ptr % AL_SIZE !== 0) return refuse('not 8-aligned, so inside a block');
  if ((s.tlsf.word(ptr - HEADER_BYTES) & (FREE | CACHED)) !== 0)
    return refuse('already freed (double free)');
  return refuse('not the start of a live block');
};

/**
 * Whether the used block header `header` at `b` looks like a block's: a sane size, a next
 * block that does not say its left neighbour is free, and, if it says its own left neighbour
 * is free, a back word pointing to a free block that ends at `b`.
 */
export const plausible = (s: HeapState, b: number, header: number, top: number): boolean => {
  const u32 = s.u32;
  const size = header & ~TAGS;
  if (size < MIN_BLOCK || b + size > top) return false;
  if ((u32[(b + size) >>> 2]! & LEFT_FREE) !== 0) return false;
  return (header & LEFT_FREE) === 0 || leftAgrees(s, b);
};

/** Whether the back word before `b` points to a free block that ends at `b`. */
export const leftAgrees = (s: HeapState, b: number): boolean => {
  const u32 = s.u32;
  const left = u32[(b - 4) >>> 2]!;
  if (left < word(s, F_START) || left >= b) return false;
  const leftHeader = u32[left >>> 2]!;
  return (leftHeader & FREE) !== 0 && left + (leftHeader & ~TAGS) === b;
};
