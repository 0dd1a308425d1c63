/**
 * The fast paths of `Heap.malloc` and `Heap.free`, for a heap that is neither shared nor
 * checked and whose views reach its top (docs/heap.md, "The fast path"): the cache lists of
 * small blocks, then the free lists, each written out in one function over local variables,
 * with the list mapping (`Math.clz32`), the unlinking, the split and the merges inline, so that
 * V8 compiles each into straight code with no call inside. They leave the heap exactly as the
 * general functions of cache.ts, tlsf.ts and blocks.ts would (test/heap/fast.test.ts replays
 * the same programs both ways and compares every word).
 *
 * How they are written, and why (each measured: docs/heap.md, "How the fast path is written"):
 *
 * - The layout's constants are numeric literals, each after a comment that names the constant
 *   of layout.ts (or the expression of them) it stands for: `/* HEADER_BYTES *\/ 4`.
 *   test/heap/literals.test.ts evaluates every such comment against layout.ts. A name would cost
 *   a load at each use in optimized code: V8 11 (Node 20) reads an imported binding from its
 *   module cell, with a check that it is initialised and a small integer, and a bundler
 *   (esbuild) turns a module's own `const`s into `var`s, which V8 does not fold either. A
 *   literal is folded into the code wherever the module runs.
 * - Values that may be used as unsigned (`>>>`) and as signed in one variable make V8 keep the
 *   variable as a float64; sizes and list indices here are below 2^31, so they use `>>`.
 * - No field of `HeapState` is optional or changes type, so its reads are one load each.
 *
 * @internal
 */
import type { HeapState } from './state.js';
import { flushCache } from './cache.js';

/**
 * `malloc(size)` on the fast path: the head of the cache list of its block size, else
 * `takeFast`. Returns the payload address, or 0 when the request must take the general path.
 * Kept small (about 100 bytes of bytecode), so that V8 inlines it, and `Heap.malloc`, into the
 * caller's loop.
 */
export const mallocFast = (s: HeapState, size: unknown): number => {
  if (typeof size === 'number' && size <= /* CACHE_MAX_REQUEST */ 244 && size >>> 0 === size) {
    const u32 = s.u32;
    const at =
      s.cacheAt +
      (size < /* MIN_BLOCK - HEADER_BYTES */ 12
        ? /* MIN_BLOCK >> AL_BITS */ 2
        : (size + /* HEADER_BYTES */ 4 + /* AL_MASK */ 7) >> /* AL_BITS */ 3);
    const b = u32[at]!;
    // fastTop is 0 in a shared or checked heap; a detached view reads undefined.
    if (b !== 0 && b < s.fastTop) {
      u32[at] = u32[(b + /* HEADER_BYTES */ 4) >>> 2]!;
      u32[at + /* CACHE_CLASSES */ 32]! -= 1;
      u32[b >>> 2]! ^= /* CACHED */ 4;
      s.f64[s.mallocsAt]! += 1;
      return b + /* HEADER_BYTES */ 4;
    }
  }
  return takeFast(s, size);
};

/**
 * `free(ptr)` on the fast path, first part: a small block whose neighbours are both in use goes
 * into its cache list when it is not full. Returns false, having changed nothing, for any other
 * block: `Heap.free` then calls `retireFast`. Kept small, as `mallocFast`, and without that call:
 * V8 counts the bytecode a function's optimized code has inlined into the size of a call to it,
 * and `retireFast` (about 440 bytes, under V8's limit of 460 for an inlined function) inlined
 * here made `freeFast` too large to be inlined into the caller's loop once it had been
 * optimized on its own (`--trace-turbo-inlining`: "existing opt code's inlined bytecode size:
 * 659").
 */
export const freeFast = (s: HeapState, ptr: unknown): boolean => {
  const top = s.fastTop;
  if (typeof ptr === 'number' && ptr < top && ptr >= s.first && (ptr & /* AL_MASK */ 7) === 0) {
    const u32 = s.u32;
    const b = ptr - /* HEADER_BYTES */ 4;
    const header = u32[b >>> 2]!;
    // No tag at all: in use, and its left neighbour too. (undefined, from a detached view,
    // fails every test.)
    if (
      header <= /* CACHE_MAX_BLOCK */ 248 &&
      header >= /* MIN_BLOCK */ 16 &&
      (header & /* TAGS */ 7) === 0
    ) {
      const at = s.cacheAt + (header >> /* AL_BITS */ 3);
      const n = u32[at + /* CACHE_CLASSES */ 32]!;
      // The right neighbour is in use, and does not say its left one is free (plausible).
      if ((u32[(b + header) >>> 2]! & /* FREE | LEFT_FREE */ 3) === 0 && n < /* CACHE_DEPTH */ 32) {
        u32[ptr >>> 2] = u32[at]!;
        u32[at] = b;
        u32[at + /* CACHE_CLASSES */ 32] = n + 1;
        u32[b >>> 2] = header | /* CACHED */ 4;
        const f64 = s.f64;
        const frees = f64[s.freesAt]! + 1;
        f64[s.freesAt] = frees;
        // The last live block: empty the cache (see `discard` in operations.ts).
        if (frees === f64[s.mallocsAt]) flushCache(s);
        return true;
      }
    }
  }
  return false;
};

/**
 * `malloc(size)` from the free lists: takes a free block of at least the block size of `size`
 * out of them, splits off what it does not need and marks it used, as `take` in operations.ts
 * does when a list holds one: the head of the size's own list if it is large enough, else the
 * head of the first non-empty list from the size rounded up to the next list boundary. Raises
 * the high-water mark and counts the malloc. Returns the payload address, or 0, having changed
 * nothing, when the request must take the general path: `size` is not a plain number up to
 * 1 GiB, the heap is shared or checked, its views do not reach its top (someone else grew the
 * memory), or no list holds a block (the general path then tries the top block, empties the
 * cache and grows the heap).
 *
 * Written out whole (more than 460 bytes of bytecode), so that V8 never inlines it into
 * `mallocFast`, which would then be too large to be inlined into its callers.
 */
export const takeFast = (s: HeapState, size: unknown): number => {
  // Up to 1 GiB, so that the list indices below fit in 31 bits.
  if (typeof size !== 'number' || size >>> 0 !== size || size > 0x4000_0000) return 0;
  const u32 = s.u32;
  // 0 in a shared or checked heap; beyond the views when someone else grew the memory (a
  // WebAssembly.Memory detaches the old buffer).
  const top = s.fastTop;
  if (top === 0 || u32.length * 4 <= top) return 0;
  const want =
    size < /* MIN_BLOCK - HEADER_BYTES */ 12
      ? /* MIN_BLOCK */ 16
      : (size + /* HEADER_BYTES */ 4 + /* AL_MASK */ 7) & ~(/* AL_MASK */ 7);
  const heads = s.headsAt;
  let fl = 0;
  let sl = want >> /* AL_BITS */ 3;
  let f = 0;
  if (want >= /* SMALL_SIZE */ 256) {
    f = 31 - Math.clz32(want);
    fl = f - /* SMALL_BITS - 1 */ 7;
    sl = (want >> (f - /* SL_BITS */ 5)) ^ /* SL_COUNT */ 32;
  }
  let at = heads + ((fl << /* SL_BITS */ 5) | sl);
  let b = u32[at]!;
  if (b === 0 || (want >= /* SMALL_SIZE */ 256 && (u32[b >>> 2]! & ~(/* TAGS */ 7)) < want)) {
    if (want >= /* SMALL_SIZE */ 256) {
      const rounded = want + (1 << (f - /* SL_BITS */ 5)) - 1;
      f = 31 - Math.clz32(rounded);
      fl = f - /* SMALL_BITS - 1 */ 7;
      sl = (rounded >> (f - /* SL_BITS */ 5)) ^ /* SL_COUNT */ 32;
    }
    let slBits = u32[s.slMapAt + fl]! & (~0 << sl);
    if (slBits === 0) {
      const flBits = u32[s.flMapAt]! & (~0 << (fl + 1));
      if (flBits === 0) return 0;
      fl = 31 - Math.clz32(flBits & -flBits);
      slBits = u32[s.slMapAt + fl]!;
    }
    sl = 31 - Math.clz32(slBits & -slBits);
    at = heads + ((fl << /* SL_BITS */ 5) | sl);
    b = u32[at]!;
  }
  // Unlink b, the head of list (fl, sl).
  const next = u32[(b + 8) >>> 2]!;
  u32[at] = next;
  if (next !== 0) u32[(next + 4) >>> 2] = 0;
  else clearBits(s, u32, fl, sl);
  const header = u32[b >>> 2]!;
  const blockSize = header & ~(/* TAGS */ 7);
  const rest = blockSize - want;
  let end = b + blockSize;
  if (rest < /* MIN_BLOCK */ 16) {
    u32[b >>> 2] = blockSize | (header & /* LEFT_FREE */ 2);
    u32[end >>> 2]! &= ~(/* LEFT_FREE */ 2);
    u32[s.liveAt]! += blockSize;
  } else {
    // The rest becomes a free block after b: its right neighbour (b's old one) is in use, as
    // no two free blocks lie side by side, and already tagged LEFT_FREE.
    u32[b >>> 2] = want | (header & /* LEFT_FREE */ 2);
    u32[s.liveAt]! += want;
    const r = b + want;
    u32[r >>> 2] = rest | /* FREE */ 1;
    // Its right neighbour, b's old one, keeps its LEFT_FREE tag: only the back word changes.
    insert(s, u32, r, rest);
    end = r;
  }
  if (end > u32[s.highAt]!) u32[s.highAt] = end;
  s.f64[s.mallocsAt]! += 1;
  return b + /* HEADER_BYTES */ 4;
};

/**
 * `free(ptr)` on the fast path, second part (after `freeFast`): gives the block back to the free
 * lists, merged with its free neighbours, as
 * `retire` in blocks.ts does, and counts the free. Returns false, having changed nothing, when
 * the free must take the general path: `ptr` is not a plain 8-aligned address inside the block
 * area, the heap is shared or checked, its views do not reach its top, or the header and
 * neighbours of the block do not look like a live block's (what `plausible` in pointers.ts
 * checks): the general path then says what is wrong.
 *
 * Written out whole, over local variables; called by `Heap.free` after `freeFast`, not by
 * `freeFast` (see there).
 */
export const retireFast = (s: HeapState, ptr: unknown): boolean => {
  const top = s.fastTop;
  if (typeof ptr !== 'number' || !(ptr < top && ptr >= s.first) || (ptr & /* AL_MASK */ 7) !== 0)
    return false;
  const u32 = s.u32;
  const b = ptr - /* HEADER_BYTES */ 4;
  const header = u32[b >>> 2]!;
  const size = header & ~(/* TAGS */ 7);
  const right = b + size;
  // `header` is undefined when the view is detached: every test below is then false.
  if ((header & /* FREE | CACHED */ 5) !== 0 || !(size >= /* MIN_BLOCK */ 16 && right <= top))
    return false;
  const rightHeader = u32[right >>> 2]!;
  if ((rightHeader & /* LEFT_FREE */ 2) !== 0) return false;
  let left = b;
  if ((header & /* LEFT_FREE */ 2) !== 0) {
    // The back word must point to a free block that ends at b.
    left = u32[(b - 4) >>> 2]!;
    if (!(left >= s.first - /* HEADER_BYTES */ 4 && left < b)) return false;
    const leftHeader = u32[left >>> 2]!;
    if ((leftHeader & /* FREE */ 1) === 0 || left + (leftHeader & ~(/* TAGS */ 7)) !== b)
      return false;
  }
  // FREE stays on this header even if the block merges into its left neighbour, so that a
  // second free of the same pointer is still recognised.
  u32[b >>> 2] = header | /* FREE */ 1;
  u32[s.liveAt]! -= size;
  let length = size;
  if ((rightHeader & /* FREE */ 1) === 0) u32[right >>> 2] = rightHeader | /* LEFT_FREE */ 2;
  // Takes the free neighbours out of their lists: the right one (the block after it keeps its
  // LEFT_FREE tag, as the merged block ends where it did), then the left one. One loop, so that
  // the unlinking is written once, and inline: no call.
  for (let n = (rightHeader & /* FREE */ 1) !== 0 ? right : left; n !== b;) {
    const nSize = u32[n >>> 2]! & ~(/* TAGS */ 7);
    length += nSize;
    const prev = u32[(n + 4) >>> 2]!;
    const next = u32[(n + 8) >>> 2]!;
    if (next !== 0) u32[(next + 4) >>> 2] = prev;
    if (prev !== 0) u32[(prev + 8) >>> 2] = next;
    else {
      let fl = 0;
      let sl = nSize >> /* AL_BITS */ 3;
      if (nSize >= /* SMALL_SIZE */ 256) {
        const f = 31 - Math.clz32(nSize);
        fl = f - /* SMALL_BITS - 1 */ 7;
        sl = (nSize >> (f - /* SL_BITS */ 5)) ^ /* SL_COUNT */ 32;
      }
      u32[s.headsAt + ((fl << /* SL_BITS */ 5) | sl)] = next;
      if (next === 0) clearBits(s, u32, fl, sl);
    }
    n = n === right ? left : b;
  }
  const start = left;
  u32[start >>> 2] = length | /* FREE */ 1;
  insert(s, u32, start, length);
  const f64 = s.f64;
  const frees = f64[s.freesAt]! + 1;
  f64[s.freesAt] = frees;
  if (frees === f64[s.mallocsAt]) flushCache(s);
  return true;
};

/**
 * Puts the free block `b` of `size` bytes (its header already tagged FREE) at the head of its
 * list and writes its back word, as `Tlsf.insert` does, but leaves the next block's header to
 * the caller, who knows its value without reading it again (a cache miss when the block is
 * large): `Tlsf.insert` tags it LEFT_FREE.
 */
const insert = (s: HeapState, u32: Uint32Array, b: number, size: number): void => {
  let fl = 0;
  let sl = size >> /* AL_BITS */ 3;
  if (size >= /* SMALL_SIZE */ 256) {
    const f = 31 - Math.clz32(size);
    fl = f - /* SMALL_BITS - 1 */ 7;
    sl = (size >> (f - /* SL_BITS */ 5)) ^ /* SL_COUNT */ 32;
  }
  const head = s.headsAt + ((fl << /* SL_BITS */ 5) | sl);
  const first = u32[head]!;
  u32[(b + 4) >>> 2] = 0;
  u32[(b + 8) >>> 2] = first;
  if (first !== 0) u32[(first + 4) >>> 2] = b;
  else {
    u32[s.flMapAt]! |= 1 << fl;
    u32[s.slMapAt + fl]! |= 1 << sl;
  }
  u32[head] = b;
  u32[(b + size - 4) >>> 2] = b;
};

/** Clears the bitmap bits of list (fl, sl), which has become empty. */
const clearBits = (s: HeapState, u32: Uint32Array, fl: number, sl: number): void => {
  const slMap = s.slMapAt + fl;
  const bits = u32[slMap]! & ~(1 << sl);
  u32[slMap] = bits;
  if (bits === 0) u32[s.flMapAt]! &= ~(1 << fl);
};
