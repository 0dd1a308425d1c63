/**
 * The free-list paths of `Heap.malloc` and `Heap.free` in a heap that is neither shared nor
 * checked and whose views reach its top (docs/heap.md, "The fast path"): what `take` and
 * `retire` do, written out in one function each over local variables, with the list mapping
 * (`Math.clz32`), the unlinking, the split and the merges inline, so that V8 compiles each into
 * one piece of straight code with no call inside. They leave the heap exactly as the general
 * functions of tlsf.ts and blocks.ts would (test/heap/fast.test.ts replays the same programs
 * both ways and compares every byte).
 *
 * @internal
 */
import {
  AL_BITS,
  FREE,
  LEFT_FREE,
  MIN_BLOCK,
  SL_BITS,
  SL_COUNT,
  SMALL_BITS,
  SMALL_SIZE,
  TAGS,
} from './layout.js';
import type { HeapState } from './state.js';

/**
 * Takes a free block of at least `want` bytes (a block size) out of the free lists, splits off
 * what it does not need and marks it used, as `take` in operations.ts does when a list holds
 * one: the head of the size's own list if it is large enough, else the head of the first
 * non-empty list from the size rounded up to the next list boundary. Raises the high-water mark
 * and counts the malloc. Returns the block's address, or 0, having changed nothing, when no list
 * holds a block or the heap is not one the fast path may work on (the caller then takes the
 * general path, which may use the top block, empty the cache or grow the heap).
 */
export const takeFast = (s: HeapState, want: number): number => {
  const u32 = s.u32;
  // 0 in a shared or checked heap; beyond the views when someone else grew the memory (a
  // WebAssembly.Memory detaches the old buffer).
  const top = s.fastTop;
  if (top === 0 || u32.length * 4 <= top) return 0;
  const heads = s.headsAt;
  let fl = 0;
  let sl = want >>> AL_BITS;
  let f = 0;
  if (want >= SMALL_SIZE) {
    f = 31 - Math.clz32(want);
    fl = f - (SMALL_BITS - 1);
    sl = (want >>> (f - SL_BITS)) ^ SL_COUNT;
  }
  let at = heads + ((fl << SL_BITS) | sl);
  let b = u32[at]!;
  if (b === 0 || (want >= SMALL_SIZE && (u32[b >>> 2]! & ~TAGS) < want)) {
    if (want >= SMALL_SIZE) {
      const rounded = want + (1 << (f - SL_BITS)) - 1;
      if (rounded > 0xffffffff) return 0;
      f = 31 - Math.clz32(rounded);
      fl = f - (SMALL_BITS - 1);
      sl = (rounded >>> (f - SL_BITS)) ^ SL_COUNT;
    }
    let slBits = u32[s.slMapAt + fl]! & (~0 << sl);
    if (slBits === 0) {
      const flBits = u32[s.flMapAt]! & (~0 << (fl + 1));
      if (flBits === 0) return 0;
      fl = 31 - Math.clz32(flBits & -flBits);
      slBits = u32[s.slMapAt + fl]!;
    }
    sl = 31 - Math.clz32(slBits & -slBits);
    at = heads + ((fl << SL_BITS) | sl);
    b = u32[at]!;
  }
  // Unlink b, the head of list (fl, sl).
  const next = u32[(b + 8) >>> 2]!;
  u32[at] = next;
  if (next !== 0) u32[(next + 4) >>> 2] = 0;
  else {
    const slMap = s.slMapAt + fl;
    const bits = u32[slMap]! & ~(1 << sl);
    u32[slMap] = bits;
    if (bits === 0) u32[s.flMapAt]! &= ~(1 << fl);
  }
  const header = u32[b >>> 2]!;
  const size = header & ~TAGS;
  const rest = size - want;
  let end = b + size;
  if (rest < MIN_BLOCK) {
    u32[b >>> 2] = size | (header & LEFT_FREE);
    u32[end >>> 2]! &= ~LEFT_FREE;
    u32[s.liveAt]! += size;
  } else {
    // The rest becomes a free block after b: its right neighbour (b's old one) is in use, as
    // no two free blocks lie side by side, and already tagged LEFT_FREE.
    u32[b >>> 2] = want | (header & LEFT_FREE);
    u32[s.liveAt]! += want;
    const r = b + want;
    u32[r >>> 2] = rest | FREE;
    let rfl = 0;
    let rsl = rest >>> AL_BITS;
    if (rest >= SMALL_SIZE) {
      const g = 31 - Math.clz32(rest);
      rfl = g - (SMALL_BITS - 1);
      rsl = (rest >>> (g - SL_BITS)) ^ SL_COUNT;
    }
    const head = heads + ((rfl << SL_BITS) | rsl);
    const first = u32[head]!;
    u32[(r + 4) >>> 2] = 0;
    u32[(r + 8) >>> 2] = first;
    if (first !== 0) u32[(first + 4) >>> 2] = r;
    else {
      u32[s.flMapAt]! |= 1 << rfl;
      u32[s.slMapAt + rfl]! |= 1 << rsl;
    }
    u32[head] = r;
    u32[(end - 4) >>> 2] = r;
    end = r;
  }
  if (end > u32[s.highAt]!) u32[s.highAt] = end;
  s.f64[s.mallocsAt]! += 1;
  return b;
};

/**
 * Gives the used block `b` (header `header`, already found to be a live block's) back to the
 * free lists, merged with its free neighbours, as `retire` in blocks.ts does, and counts the
 * free. Returns whether that free was of the last live block (the caller then empties the
 * cache).
 */
export const retireFast = (s: HeapState, b: number, header: number): boolean => {
  const u32 = s.u32;
  const heads = s.headsAt;
  const size = header & ~TAGS;
  // FREE stays on this header even if the block merges into its left neighbour, so that a
  // second free of the same pointer is still recognised.
  u32[b >>> 2] = header | FREE;
  u32[s.liveAt]! -= size;
  let start = b;
  let length = size;
  const right = b + size;
  const rightHeader = u32[right >>> 2]!;
  if ((rightHeader & FREE) !== 0) {
    const rsize = rightHeader & ~TAGS;
    unlink(s, u32, heads, right, rsize);
    length += rsize;
  }
  if ((header & LEFT_FREE) !== 0) {
    const left = u32[(b - 4) >>> 2]!;
    const lsize = u32[left >>> 2]! & ~TAGS;
    unlink(s, u32, heads, left, lsize);
    start = left;
    length += lsize;
  }
  u32[start >>> 2] = length | FREE;
  let fl = 0;
  let sl = length >>> AL_BITS;
  if (length >= SMALL_SIZE) {
    const f = 31 - Math.clz32(length);
    fl = f - (SMALL_BITS - 1);
    sl = (length >>> (f - SL_BITS)) ^ SL_COUNT;
  }
  const head = heads + ((fl << SL_BITS) | sl);
  const first = u32[head]!;
  u32[(start + 4) >>> 2] = 0;
  u32[(start + 8) >>> 2] = first;
  if (first !== 0) u32[(first + 4) >>> 2] = start;
  else {
    u32[s.flMapAt]! |= 1 << fl;
    u32[s.slMapAt + fl]! |= 1 << sl;
  }
  u32[head] = start;
  const end = start + length;
  u32[(end - 4) >>> 2] = start;
  u32[end >>> 2]! |= LEFT_FREE;
  const f64 = s.f64;
  const frees = f64[s.freesAt]! + 1;
  f64[s.freesAt] = frees;
  return frees === f64[s.mallocsAt];
};

/** Takes the free block `b` of `size` bytes out of its list. */
const unlink = (s: HeapState, u32: Uint32Array, heads: number, b: number, size: number): void => {
  const prev = u32[(b + 4) >>> 2]!;
  const next = u32[(b + 8) >>> 2]!;
  if (next !== 0) u32[(next + 4) >>> 2] = prev;
  if (prev !== 0) {
    u32[(prev + 8) >>> 2] = next;
    return;
  }
  let fl = 0;
  let sl = size >>> AL_BITS;
  if (size >= SMALL_SIZE) {
    const f = 31 - Math.clz32(size);
    fl = f - (SMALL_BITS - 1);
    sl = (size >>> (f - SL_BITS)) ^ SL_COUNT;
  }
  u32[heads + ((fl << SL_BITS) | sl)] = next;
  if (next === 0) {
    const slMap = s.slMapAt + fl;
    const bits = u32[slMap]! & ~(1 << sl);
    u32[slMap] = bits;
    if (bits === 0) u32[s.flMapAt]! &= ~(1 << fl);
  }
};
