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

/** The state of one heap (see the module comment). */
export class HeapState {
  u8!: Uint8Array;
  u32!: Uint32Array;
  i32!: Int32Array;
  f64!: Float64Array;
  readonly tlsf: Tlsf;
  readonly controlEnd: number;
  /** The first payload address. */
  readonly first: number;
  /** u32 index of the cache list head of block size 0 (that of size s is `cacheAt + s / 8`). */
  readonly cacheAt: number;
  /** u32 indices of the free list heads, the two bitmap levels, the live bytes and the high-water mark. */
  readonly headsAt: number;
  readonly slMapAt: number;
  readonly flMapAt: number;
  readonly liveAt: number;
  readonly highAt: number;
  /** f64 indices of the malloc and free counters. */
  readonly mallocsAt: number;
  readonly freesAt: number;
  /**
   * The end of the block area the current views are known to cover, for the inline paths of
   * `Heap.malloc` and `Heap.free`; 0 in a shared or checked heap, which always take the full
   * path.
   */
  fastTop = 0;

  constructor(
    readonly memory: Memory,
    readonly base: number,
    readonly shared: boolean,
    readonly checked: boolean,
  ) {
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
    this.tlsf = new Tlsf(memory.views.u32, base);
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
