import { HeapCorruptionError } from './errors.js';
import {
  AL_SIZE,
  CACHE_CLASSES,
  CACHE_DEPTH,
  CACHE_MAX_BLOCK,
  CACHED,
  CONTROL_BYTES,
  F_CACHE_HEADS,
  F_BITMAP,
  F_FAILURES,
  F_FL_MAP,
  F_FLAGS,
  F_FREES,
  F_HEADS,
  F_HIGH,
  F_LIMIT,
  F_LIVE_BYTES,
  F_LOCK,
  F_MAGIC,
  F_MALLOCS,
  F_REALLOCS,
  F_SENTINEL,
  F_SL_MAP,
  F_SPARE,
  F_START,
  F_VERSION,
  FL_COUNT,
  FLAG_CHECKED,
  FLAG_GROWABLE,
  FLAG_SHARED,
  FREE,
  HEADER_BYTES,
  KNOWN_FLAGS,
  LEFT_FREE,
  MAGIC,
  MIN_BLOCK,
  SL_COUNT,
  TAGS,
  VERSION,
  bitmapBlockSize,
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
  /** The live block that ends highest (its address, 0 when none), and where it ends. */
  highestLive: number;
  highestLiveEnd: number;
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
    highestLive: 0,
    highestLiveEnd: 0,
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
      walk.highestLive = b;
      walk.highestLiveEnd = b + size;
    }
    walk.lastFree = isFree;
    b += size;
  }
  return walk;
};

/** Checks every free list and both bitmap levels against the free blocks found by the walk. */
const checkLists = (u32: Uint32Array, base: number, tlsf: Tlsf, free: Set<number>): void => {
  const flMap = u32[(base + F_FL_MAP) >>> 2]!;
  if (flMap >>> FL_COUNT !== 0)
    fail(base + F_FL_MAP, `first-level bitmap has bits above level ${FL_COUNT - 1} set`);
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

const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * Checks the fields of a control block that never change once the heap is made: the magic
 * number, the layout version, the flags, the address of the first block, the limit and the
 * spare word. Throws {@link HeapCorruptionError} at the first field that no heap of this
 * version can hold. (A limit above what the memory can hold is no corruption: a copy of a
 * growable heap in a fixed buffer is a heap that cannot grow.)
 *
 * `Heap.attach` runs it before it trusts a heap, and `check()` runs it first, so `check()`
 * fails on every heap that `attach` refuses. It reads only these words, which nothing writes
 * after the heap is made, so it needs no lock.
 *
 * @internal
 */
export const checkControlBlock = (u32: Uint32Array, base: number): void => {
  const word = (field: number): number => u32[(base + field) >>> 2]!;
  const magic = word(F_MAGIC);
  if (magic !== MAGIC)
    fail(base + F_MAGIC, `wrong magic number ${hex(magic)}, expected ${hex(MAGIC)}: no heap here`);
  const version = word(F_VERSION);
  if (version !== VERSION)
    fail(base + F_VERSION, `heap layout version ${version}, expected ${VERSION}`);
  const flags = word(F_FLAGS);
  if ((flags & ~KNOWN_FLAGS) !== 0)
    fail(base + F_FLAGS, `unknown flag bits ${hex(flags & ~KNOWN_FLAGS)} are set`);
  const start = word(F_START);
  if (start !== base + CONTROL_BYTES)
    fail(base + F_START, `first block at ${start}, expected ${base + CONTROL_BYTES}`);
  const limit = word(F_LIMIT);
  if (limit % AL_SIZE !== 0) fail(base + F_LIMIT, `limit ${limit} is not a multiple of 8`);
  const spare = word(F_SPARE);
  if (spare !== 0) fail(base + F_SPARE, `spare word is ${spare}, expected 0`);
};

/**
 * What a heap object knows about its heap, for {@link checkHeap} to compare with the flags.
 *
 * @internal
 */
export interface HeapFacts {
  /** Whether the heap keeps a live-block bitmap. */
  readonly checked: boolean;
  /** Whether operations take the lock (and `check` holds it now, in shared memory). */
  readonly shared: boolean;
  /** Whether the memory is a `SharedArrayBuffer`. */
  readonly sharedMemory: boolean;
}

/** Checks the flags and the lock word against what the heap object knows. */
const checkFlags = (u32: Uint32Array, base: number, facts: HeapFacts): void => {
  const flags = u32[(base + F_FLAGS) >>> 2]!;
  const says = (flag: number, what: string): string =>
    (flags & flag) !== 0 ? what : `not ${what}`;
  if (((flags & FLAG_CHECKED) !== 0) !== facts.checked) {
    fail(base + F_FLAGS, `flags say the heap is ${says(FLAG_CHECKED, 'checked')}, it is not`);
  }
  if (((flags & FLAG_SHARED) !== 0) !== facts.shared) {
    fail(base + F_FLAGS, `flags say the heap is ${says(FLAG_SHARED, 'shared')}, it is not`);
  }
  // check() holds the lock of a heap in shared memory; a shared heap copied into other memory
  // (a snapshot) may or may not hold it; a heap that is not shared never takes it.
  const lockWord = u32[(base + F_LOCK) >>> 2]!;
  const lowest = facts.shared && facts.sharedMemory ? 1 : 0;
  const highest = facts.shared ? 2 : 0;
  if (lockWord < lowest || lockWord > highest) {
    fail(base + F_LOCK, `lock word is ${lockWord}, expected ${lowest}–${highest}`);
  }
};

/** Checks the fields that place the region's end: the sentinel, the limit and the bitmap block. */
const checkBounds = (u32: Uint32Array, base: number, facts: HeapFacts): void => {
  const word = (field: number): number => u32[(base + field) >>> 2]!;
  const start = word(F_START);
  const sentinel = word(F_SENTINEL);
  const regionEnd = sentinel + HEADER_BYTES;
  if (sentinel % 8 !== 4 || sentinel < start || regionEnd > u32.length * 4) {
    fail(
      base + F_SENTINEL,
      `sentinel address ${sentinel} is not a block address inside the memory`,
    );
  }
  const limit = word(F_LIMIT);
  if (limit < regionEnd) fail(base + F_LIMIT, 'the heap is larger than its limit');
  if ((word(F_FLAGS) & FLAG_GROWABLE) === 0 && limit !== regionEnd) {
    fail(
      base + F_LIMIT,
      `the heap cannot grow but its limit ${limit} is above its end ${regionEnd}`,
    );
  }
  const bitmap = word(F_BITMAP);
  if (facts.checked) {
    const expected = sentinel - bitmapBlockSize(start, sentinel);
    if (bitmap !== expected)
      fail(base + F_BITMAP, `bitmap block at ${bitmap}, expected ${expected}`);
  } else if (bitmap !== 0) {
    fail(base + F_BITMAP, `an unchecked heap has a bitmap block address ${bitmap}, expected 0`);
  }
};

/** Checks that each counter is a count: a non-negative safe integer. */
const checkCounters = (f64: Float64Array, base: number): void => {
  for (const [field, name] of [
    [F_MALLOCS, 'mallocs'],
    [F_FREES, 'frees'],
    [F_REALLOCS, 'reallocs'],
    [F_FAILURES, 'failures'],
  ] as const) {
    const value = f64[(base + field) >>> 3]!;
    if (!Number.isSafeInteger(value) || value < 0)
      fail(base + field, `the ${name} counter is ${value}, not a count`);
  }
};

/** Checks the high-water mark: a block end inside the block area, above every live block. */
const checkHigh = (u32: Uint32Array, base: number, top: number, walk: Walk): void => {
  const high = u32[(base + F_HIGH) >>> 2]!;
  const start = u32[(base + F_START) >>> 2]!;
  if (high < start || high > top)
    fail(base + F_HIGH, `high-water mark ${high} is outside the block area`);
  if (high % 8 !== 4) fail(base + F_HIGH, `high-water mark ${high} is not a block address`);
  if (high < walk.highestLiveEnd) {
    fail(
      base + F_HIGH,
      `high-water mark ${high} is below the end of the live block at ${walk.highestLive} (${walk.highestLiveEnd})`,
    );
  }
};

/**
 * Checks a whole heap: the control block (every field: see {@link checkControlBlock}, then the
 * flags against `facts`, the lock word, the sentinel, the limit, the place of the bitmap block,
 * the high-water mark, the first-level bitmap and the counters), every block's header and
 * boundary tags, the bitmap block and sentinel, every free list and both bitmap levels, the
 * live-block bitmap of a checked heap, and every gauge and counter against the blocks. Throws
 * {@link HeapCorruptionError} at the first problem.
 *
 * @internal
 */
export const checkHeap = (
  u32: Uint32Array,
  f64: Float64Array,
  base: number,
  tlsf: Tlsf,
  facts: HeapFacts,
): void => {
  checkControlBlock(u32, base);
  checkFlags(u32, base, facts);
  checkBounds(u32, base, facts);
  checkCounters(f64, base);
  const word = (field: number): number => u32[(base + field) >>> 2]!;
  const u8 = new Uint8Array(u32.buffer, u32.byteOffset, u32.byteLength);
  const start = word(F_START);
  const sentinel = word(F_SENTINEL);
  const checked = facts.checked;
  const bitmap = word(F_BITMAP);
  const top = checked ? bitmap : sentinel;
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
  checkHigh(u32, base, top, walk);
};
