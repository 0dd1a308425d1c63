import {
  AL_BITS,
  F_FL_MAP,
  F_HEADS,
  F_SL_MAP,
  FREE,
  LEFT_FREE,
  SL_BITS,
  SL_COUNT,
  SMALL_BITS,
  SMALL_SIZE,
  TAGS,
} from './layout.js';

/** Index of the highest set bit (`x > 0`). */
const fls = (x: number): number => 31 - Math.clz32(x);
/** Index of the lowest set bit (`x !== 0`). */
const ffs = (x: number): number => 31 - Math.clz32(x & -x);

/**
 * The two-level segregated free lists of one heap, over its current `Uint32Array` view.
 *
 * Every operation here is O(1): a size maps to its list by two bit scans, a search for a list
 * that can hold a size is two masked bitmap reads, and lists are doubly linked through the
 * free blocks themselves.
 *
 * @internal
 */
export class Tlsf {
  // Declared and assigned in the constructor, not class fields (see `HeapState`).
  /** The current view; the heap renews it after growth. */
  declare u32: Uint32Array;
  /** Address of the control block. */
  declare readonly base: number;
  /** First and second level of the last `map`. */
  declare private fl: number;
  declare private sl: number;

  constructor(u32: Uint32Array, base: number) {
    this.u32 = u32;
    this.base = base;
    this.fl = 0;
    this.sl = 0;
  }

  word(address: number): number {
    return this.u32[address >>> 2]!;
  }

  setWord(address: number, value: number): void {
    this.u32[address >>> 2] = value;
  }

  /** Size of block `b` (its header without tags). */
  sizeOf(b: number): number {
    return this.u32[b >>> 2]! & ~TAGS;
  }

  /** Sets the list indices for a free block of `size` bytes. */
  private map(size: number): void {
    if (size < SMALL_SIZE) {
      this.fl = 0;
      this.sl = size >>> AL_BITS;
    } else {
      const f = fls(size);
      this.fl = f - (SMALL_BITS - 1);
      this.sl = (size >>> (f - SL_BITS)) ^ SL_COUNT;
    }
  }

  private headAddress(fl: number, sl: number): number {
    return this.base + F_HEADS + 4 * (fl * SL_COUNT + sl);
  }

  /**
   * Puts the free block `b` of `size` bytes (its header already tagged FREE) at the head of its
   * list, writes its back word and tags the next block LEFT_FREE.
   */
  insert(b: number, size: number): void {
    const u32 = this.u32;
    this.map(size);
    const fl = this.fl;
    const sl = this.sl;
    const head = this.headAddress(fl, sl);
    const next = u32[head >>> 2]!;
    u32[(b + 4) >>> 2] = 0;
    u32[(b + 8) >>> 2] = next;
    if (next !== 0) {
      u32[(next + 4) >>> 2] = b;
    } else {
      u32[(this.base + F_FL_MAP) >>> 2]! |= 1 << fl;
      u32[(this.base + F_SL_MAP + 4 * fl) >>> 2]! |= 1 << sl;
    }
    u32[head >>> 2] = b;
    u32[(b + size - 4) >>> 2] = b;
    u32[(b + size) >>> 2]! |= LEFT_FREE;
  }

  /** Takes the free block `b` out of its list (its tags are left as they are). */
  remove(b: number): void {
    const u32 = this.u32;
    const prev = u32[(b + 4) >>> 2]!;
    const next = u32[(b + 8) >>> 2]!;
    if (next !== 0) u32[(next + 4) >>> 2] = prev;
    if (prev !== 0) {
      u32[(prev + 8) >>> 2] = next;
      return;
    }
    this.map(u32[b >>> 2]! & ~TAGS);
    this.unlinkHead(this.fl, this.sl, next);
  }

  /** Makes `next` the head of list (fl, sl) in place of its old head. */
  private unlinkHead(fl: number, sl: number, next: number): void {
    const u32 = this.u32;
    u32[this.headAddress(fl, sl) >>> 2] = next;
    if (next !== 0) u32[(next + 4) >>> 2] = 0;
    else this.clearBits(fl, sl);
  }

  private clearBits(fl: number, sl: number): void {
    const u32 = this.u32;
    const slMap = (this.base + F_SL_MAP + 4 * fl) >>> 2;
    const bits = u32[slMap]! & ~(1 << sl);
    u32[slMap] = bits;
    if (bits === 0) u32[(this.base + F_FL_MAP) >>> 2]! &= ~(1 << fl);
  }

  /**
   * Takes a free block of at least `size` bytes out of the lists and returns it, or 0 when no
   * list holds one. First the head of the size's own list, if it is large enough (a small list
   * holds one size, so its head always is). Then good fit, as TLSF: the size is rounded up to
   * the next list boundary, so the head of the first non-empty list from there is large enough.
   * (Looking at the first 4 blocks of the own list for the lowest-addressed fit lowered the
   * high-water mark of an 8–4096-byte churn by about 1 % before the heap had its cache of small
   * blocks; with the cache it gains nothing measurable, so the head alone is looked at.)
   */
  take(size: number): number {
    const u32 = this.u32;
    this.map(size);
    let fl = this.fl;
    let sl = this.sl;
    const head = u32[this.headAddress(fl, sl) >>> 2]!;
    if (size >= SMALL_SIZE || head === 0) {
      if (head !== 0 && (u32[head >>> 2]! & ~TAGS) >= size) {
        this.unlinkHead(fl, sl, u32[(head + 8) >>> 2]!);
        return head;
      }
      const rounded = size < SMALL_SIZE ? size : size + (1 << (fls(size) - SL_BITS)) - 1;
      if (rounded > 0xffffffff) return 0;
      this.map(rounded);
      fl = this.fl;
      let slBits = u32[(this.base + F_SL_MAP + 4 * fl) >>> 2]! & (~0 << this.sl);
      if (slBits === 0) {
        const flBits = u32[(this.base + F_FL_MAP) >>> 2]! & (~0 << (fl + 1));
        if (flBits === 0) return 0;
        fl = ffs(flBits);
        slBits = u32[(this.base + F_SL_MAP + 4 * fl) >>> 2]!;
      }
      sl = ffs(slBits);
    }
    const b = u32[this.headAddress(fl, sl) >>> 2]!;
    this.unlinkHead(fl, sl, u32[(b + 8) >>> 2]!);
    return b;
  }

  /** The list (first and second level) a free block of `size` bytes belongs in. */
  listOf(size: number): [fl: number, sl: number] {
    this.map(size);
    return [this.fl, this.sl];
  }

  /** Address of the first block of list (fl, sl), or 0. */
  head(fl: number, sl: number): number {
    return this.u32[this.headAddress(fl, sl) >>> 2]!;
  }

  /** Whether block `b` is tagged free. */
  isFree(b: number): boolean {
    return (this.u32[b >>> 2]! & FREE) !== 0;
  }
}
