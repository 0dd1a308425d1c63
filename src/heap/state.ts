/**
 * The state every part of a heap works on: its memory, the current views over it, its fixed
 * addresses, and the free lists. One object per `Heap`, of one shape, passed as the first
 * argument to the free functions of pointers.ts, blocks.ts, cache.ts, growth.ts and
 * operations.ts (the way check.ts works over the views).
 *
 * @internal
 */
import type { Memory } from '../memory/index.js';
import { Tlsf } from './tlsf.js';
import {
  CONTROL_BYTES,
  F_BITMAP,
  F_CACHE_HEADS,
  F_FL_MAP,
  F_FREES,
  F_HEADS,
  F_HIGH,
  F_LIVE_BYTES,
  F_MALLOCS,
  F_SL_MAP,
  F_SENTINEL,
  HEADER_BYTES,
} from './layout.js';

/**
 * The state of one heap (see the module comment).
 *
 * Every field is `declare`d and first assigned in the constructor, never an ES2022 class field:
 * a class field is defined as `undefined` before the constructor runs, and V8 then tracks a
 * field that later holds numbers as any tagged value, so that each read in optimized code checks
 * that it is a small integer before using it, and a field that later holds a typed array as an
 * object of any kind, so that each read of a view checks its map. Assigned once with their
 * final kinds, the numbers are known small integers and the views known typed arrays.
 */
export class HeapState {
  /** The memory the heap lives in. */
  declare readonly memory: Memory;
  /** Address of the heap's control block. */
  declare readonly base: number;
  /** Whether operations take the lock in memory. */
  declare readonly shared: boolean;
  /** Whether the heap keeps a bitmap of live blocks. */
  declare readonly checked: boolean;
  /** The current views (growth.ts's `adopt` renews them). */
  declare u8: Uint8Array;
  declare u32: Uint32Array;
  declare i32: Int32Array;
  declare f64: Float64Array;
  declare readonly tlsf: Tlsf;
  declare readonly controlEnd: number;
  /** The first payload address. */
  declare readonly first: number;
  /** u32 index of the cache list head of block size 0 (that of size s is `cacheAt + s / 8`). */
  declare readonly cacheAt: number;
  /** u32 indices of the free list heads, the two bitmap levels, the live bytes and the high-water mark. */
  declare readonly headsAt: number;
  declare readonly slMapAt: number;
  declare readonly flMapAt: number;
  declare readonly liveAt: number;
  declare readonly highAt: number;
  /** f64 indices of the malloc and free counters. */
  declare readonly mallocsAt: number;
  declare readonly freesAt: number;
  /**
   * The end of the block area the current views are known to cover, for the inline paths of
   * `Heap.malloc` and `Heap.free`; 0 in a shared or checked heap, which always take the full
   * path.
   */
  declare fastTop: number;

  constructor(memory: Memory, base: number, shared: boolean, checked: boolean) {
    this.memory = memory;
    this.base = base;
    this.shared = shared;
    this.checked = checked;
    const v = memory.views;
    this.u8 = v.u8;
    this.u32 = v.u32;
    this.i32 = v.i32;
    this.f64 = v.f64;
    this.tlsf = new Tlsf(v.u32, base);
    this.controlEnd = base + CONTROL_BYTES;
    this.first = base + CONTROL_BYTES + HEADER_BYTES;
    this.cacheAt = (base + F_CACHE_HEADS) >>> 2;
    this.headsAt = (base + F_HEADS) >>> 2;
    this.slMapAt = (base + F_SL_MAP) >>> 2;
    this.flMapAt = (base + F_FL_MAP) >>> 2;
    this.liveAt = (base + F_LIVE_BYTES) >>> 2;
    this.highAt = (base + F_HIGH) >>> 2;
    this.mallocsAt = (base + F_MALLOCS) >>> 3;
    this.freesAt = (base + F_FREES) >>> 3;
    this.fastTop = 0;
  }
}

/** The control-block word at `field`. */
export const word = (s: HeapState, field: number): number => {
  return s.u32[(s.base + field) >>> 2]!;
};

/** Writes the control-block word at `field`. */
export const setWord = (s: HeapState, field: number, value: number): void => {
  s.u32[(s.base + field) >>> 2] = value;
};

/** Adds one to the counter (a float64 of the control block) at `field`. */
export const count = (s: HeapState, field: number): void => {
  s.f64[(s.base + field) >>> 3]! += 1;
};

/** The first address after the block area: the bitmap block, or the sentinel. */
export const areaTop = (s: HeapState): number => {
  return s.checked ? word(s, F_BITMAP) : word(s, F_SENTINEL);
};
