import { HeapCorruptionError } from './errors.js';
import {
  CACHE_CLASSES,
  CACHE_DEPTH,
  CACHE_MAX_BLOCK,
  CACHED,
  CONTROL_BYTES,
  F_CACHE_HEADS,
  F_BITMAP,
  F_FL_MAP,
  F_FLAGS,
  F_FREES,
  F_HEADS,
  F_HIGH,
  F_LIMIT,
  F_LIVE_BYTES,
  F_MALLOCS,
  F_SENTINEL,
  F_SL_MAP,
  F_START,
  FL_COUNT,
  FLAG_CHECKED,
  FREE,
  HEADER_BYTES,
  LEFT_FREE,
  MIN_BLOCK,
  SL_COUNT,
  TAGS,
} from './layout.js';
import { controlBytesOf } from './stats.js';
import type { Tlsf } from './tlsf.js';

const fail = (address: number, problem: string): never => {
  throw new HeapCorruptionError(address, problem);
};

interface Walk {
  liveBlocks: number;
  liveBytes: number;
  /** Cached block addresses found by walking the blocks, and their bytes. */
  cached: Set<number>;
  cachedBytes: number;
  freeBytes: number;
  /** Free block addresses found by walking the blocks. */
  free: Set<number>;
  /** Whether the last block before the top is free. */
  lastFree: boolean;
}

/** Walks every block from `start` to `top`, checking sizes and boundary tags. */
const walkBlocks = (
  u32: Uint32Array,
  start: number,
  top: number,
  marked: ((p: number) => boolean) | undefined,
): Walk => {
  const live = (p: number): boolean => marked === undefined || marked(p);
  const walk: Walk = {
    liveBlocks: 0,
    liveBytes: 0,
    cached: new Set(),
    cachedBytes: 0,
    freeBytes: 0,
    free: new Set(),
    lastFree: false,
  };
  for (let b = start; b < top;) {
    const header = u32[b >>> 2]!;
    const size = header & ~TAGS;
    if (size < MIN_BLOCK) fail(b, `block size ${size} is below the minimum ${MIN_BLOCK}`);
    if (b + size > top)
      fail(b, `block of ${size} bytes runs past the end of the block area (${top})`);
    if (((header & LEFT_FREE) !== 0) !== walk.lastFree) {
      fail(
        b,
        `LEFT_FREE tag is ${(header & LEFT_FREE) !== 0} but the block before is ${walk.lastFree ? 'free' : 'used'}`,
      );
    }
    const isFree = (header & FREE) !== 0;
    if ((header & CACHED) !== 0) {
      if (isFree) fail(b, 'block is tagged both free and cached');
      if (size > CACHE_MAX_BLOCK) fail(b, `cached block of ${size} bytes is too large to cache`);
      if (marked?.(b + HEADER_BYTES) === true)
        fail(b + HEADER_BYTES, 'cached block is in the live-block bitmap');
      walk.cached.add(b);
      walk.cachedBytes += size;
    } else if (isFree) {
      if (walk.lastFree) fail(b, 'two free blocks side by side (not merged)');
      if (u32[(b + size - 4) >>> 2] !== b)
        fail(b + size - 4, `back word of the free block at ${b} does not point to it`);
      walk.free.add(b);
      walk.freeBytes += size;
    } else {
      if (!live(b + HEADER_BYTES))
        fail(b + HEADER_BYTES, 'live block is missing from the live-block bitmap');
      walk.liveBlocks += 1;
      walk.liveBytes += size;
    }
    walk.lastFree = isFree;
    b += size;
  }
  return walk;
};

/** Checks every free list and both bitmap levels against the free blocks found by the walk. */
const checkLists = (u32: Uint32Array, base: number, tlsf: Tlsf, free: Set<number>): void => {
  const flMap = u32[(base + F_FL_MAP) >>> 2]!;
  let listed = 0;
  for (let fl = 0; fl < FL_COUNT; fl++) {
    const slMap = u32[(base + F_SL_MAP + 4 * fl) >>> 2]!;
    if (((flMap >>> fl) & 1) !== (slMap !== 0 ? 1 : 0)) {
      fail(base + F_FL_MAP, `first-level bit ${fl} disagrees with its second-level bitmap`);
    }
    for (let sl = 0; sl < SL_COUNT; sl++) {
      const head = tlsf.head(fl, sl);
      if (((slMap >>> sl) & 1) !== (head !== 0 ? 1 : 0)) {
        fail(
          base + F_SL_MAP + 4 * fl,
          `second-level bit ${sl} of level ${fl} disagrees with its list`,
        );
      }
      let prev = 0;
      for (let b = head; b !== 0; b = u32[(b + 8) >>> 2]!) {
        if (!free.has(b)) fail(b, `list (${fl}, ${sl}) holds an address that is not a free block`);
        if (u32[(b + 4) >>> 2] !== prev)
          fail(b + 4, `previous link is ${u32[(b + 4) >>> 2]}, expected ${prev}`);
        const [f, s] = tlsf.listOf(tlsf.sizeOf(b));
        if (f !== fl || s !== sl)
          fail(
            b,
            `free block of ${tlsf.sizeOf(b)} bytes is in list (${fl}, ${sl}), not (${f}, ${s})`,
          );
        listed += 1;
        if (listed > free.size)
          fail(b, 'the free lists hold more entries than there are free blocks (a cycle?)');
        prev = b;
      }
    }
  }
  if (listed !== free.size)
    fail(base + F_HEADS, `${free.size - listed} free block(s) are missing from the free lists`);
};

/** Checks every cache list and its count against the cached blocks found by the walk. */
const checkCache = (u32: Uint32Array, base: number, cached: Set<number>): void => {
  const heads = (base + F_CACHE_HEADS) >>> 2;
  let listed = 0;
  for (let c = 0; c < CACHE_CLASSES; c++) {
    const size = c * 8;
    const count = u32[heads + CACHE_CLASSES + c]!;
    const at = base + F_CACHE_HEADS + 4 * c;
    if (count > CACHE_DEPTH) fail(at, `cache list of ${size}-byte blocks counts ${count} blocks`);
    let n = 0;
    for (let b = u32[heads + c]!; b !== 0; b = u32[(b + HEADER_BYTES) >>> 2]!) {
      if (!cached.has(b)) fail(b, `cache list of ${size}-byte blocks holds a block not cached`);
      if ((u32[b >>> 2]! & ~TAGS) !== size)
        fail(b, `cached block of ${u32[b >>> 2]! & ~TAGS} bytes is in the list of ${size}`);
      n += 1;
      if (n > count)
        fail(at, `cache list of ${size}-byte blocks is longer than its count ${count}`);
    }
    if (n !== count) fail(at, `cache list of ${size}-byte blocks holds ${n}, counts ${count}`);
    listed += n;
  }
  if (listed !== cached.size)
    fail(base + F_CACHE_HEADS, `${cached.size - listed} cached block(s) are in no cache list`);
};

const popcount = (byte: number): number => {
  let n = 0;
  for (let x = byte; x !== 0; x &= x - 1) n += 1;
  return n;
};

/**
 * Checks a whole heap: the control block, every block's header and boundary tags, the
 * bitmap block and sentinel, every free list and both bitmap levels, the live-block bitmap of
 * a checked heap, and every gauge and counter. Throws {@link HeapCorruptionError} at the
 * first problem.
 *
 * @internal
 */
export const checkHeap = (u32: Uint32Array, f64: Float64Array, base: number, tlsf: Tlsf): void => {
  const word = (field: number): number => u32[(base + field) >>> 2]!;
  const u8 = new Uint8Array(u32.buffer, u32.byteOffset, u32.byteLength);
  const start = word(F_START);
  const sentinel = word(F_SENTINEL);
  const checked = (word(F_FLAGS) & FLAG_CHECKED) !== 0;
  const bitmap = word(F_BITMAP);
  const top = checked ? bitmap : sentinel;
  if (start !== base + CONTROL_BYTES)
    fail(base + F_START, `first block at ${start}, expected ${base + CONTROL_BYTES}`);
  if (sentinel % 8 !== 4 || sentinel < start || sentinel + HEADER_BYTES > u32.length * 4) {
    fail(
      base + F_SENTINEL,
      `sentinel address ${sentinel} is not a block address inside the memory`,
    );
  }
  if (word(F_LIMIT) < sentinel + HEADER_BYTES)
    fail(base + F_LIMIT, 'the heap is larger than its limit');
  if (checked && (bitmap < start || bitmap >= sentinel))
    fail(base + F_BITMAP, `bitmap block address ${bitmap} is outside the heap`);
  const bitOf = (p: number): number => (p - start - HEADER_BYTES) >>> 3;
  const marked = checked
    ? (p: number): boolean =>
        (u8[bitmap + HEADER_BYTES + (bitOf(p) >>> 3)]! & (1 << (bitOf(p) & 7))) !== 0
    : undefined;
  const walk = walkBlocks(u32, start, top, marked);
  let lastFree = walk.lastFree;
  if (checked) {
    const header = u32[bitmap >>> 2]!;
    if ((header & FREE) !== 0 || ((header & LEFT_FREE) !== 0) !== lastFree)
      fail(bitmap, 'bitmap block header has wrong tags');
    if (bitmap + (header & ~TAGS) !== sentinel)
      fail(bitmap, 'bitmap block does not end at the sentinel');
    let bits = 0;
    for (let at = bitmap + HEADER_BYTES; at < sentinel; at++) bits += popcount(u8[at]!);
    if (bits !== walk.liveBlocks)
      fail(bitmap, `live-block bitmap has ${bits} bits set for ${walk.liveBlocks} live blocks`);
    lastFree = false;
  }
  if (u32[sentinel >>> 2] !== (lastFree ? LEFT_FREE : 0))
    fail(sentinel, 'sentinel header is not an empty used block with the right tag');
  checkLists(u32, base, tlsf, walk.free);
  checkCache(u32, base, walk.cached);
  const usedBytes = walk.liveBytes + walk.cachedBytes;
  if (word(F_LIVE_BYTES) !== usedBytes) {
    fail(
      base + F_LIVE_BYTES,
      `live bytes gauge is ${word(F_LIVE_BYTES)}, the blocks say ${usedBytes} (live and cached)`,
    );
  }
  const freeBytes = sentinel + HEADER_BYTES - base - controlBytesOf(u32, base) - usedBytes;
  if (freeBytes !== walk.freeBytes) {
    fail(
      base,
      `the blocks leave ${freeBytes} bytes free but the free blocks hold ${walk.freeBytes}`,
    );
  }
  const counted = f64[(base + F_MALLOCS) >>> 3]! - f64[(base + F_FREES) >>> 3]!;
  if (counted !== walk.liveBlocks)
    fail(base + F_MALLOCS, `mallocs − frees is ${counted}, but ${walk.liveBlocks} blocks are live`);
  const high = word(F_HIGH);
  if (high < start || high > top)
    fail(base + F_HIGH, `high-water mark ${high} is outside the block area`);
};
