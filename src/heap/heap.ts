import { Memory, type MemorySource } from '../memory/memory.js';
import { checkAlignment, checkProduct, checkSize, describe } from './arguments.js';
import { InvalidPointerError, HeapCorruptionError } from './errors.js';
import {
  AL_SIZE,
  CONTROL_BYTES,
  F_BITMAP,
  F_FAILURES,
  F_FLAGS,
  F_FREES,
  F_HIGH,
  F_LIMIT,
  F_LIVE_BYTES,
  F_LOCK,
  F_MAGIC,
  F_MALLOCS,
  F_REALLOCS,
  F_SENTINEL,
  F_START,
  F_VERSION,
  FLAG_CHECKED,
  FLAG_GROWABLE,
  FLAG_SHARED,
  FREE,
  HEADER_BYTES,
  LEFT_FREE,
  MAGIC,
  MIN_BLOCK,
  TAGS,
  VERSION,
  alignUp,
  blockSizeFor,
} from './layout.js';
import { lock, unlock } from './lock.js';
import { checkHeap } from './check.js';
import { readStats, type HeapStats } from './stats.js';
import { Tlsf } from './tlsf.js';

/**
 * Options of {@link Heap.create}.
 *
 * @since 0.1.0
 */
export interface HeapOptions {
  /** Bytes of memory at the start (whole 64 KiB pages). Default 64 KiB. */
  readonly initialBytes?: number;
  /** The most bytes the heap's memory may grow to. Default 2 GiB. */
  readonly maxBytes?: number;
  /** Put the heap in a `SharedArrayBuffer`, usable from several workers at once. */
  readonly shared?: boolean;
  /** Catch every invalid pointer (costs a bitmap of 1/64 of the heap). Default `false`. */
  readonly checked?: boolean;
}

/**
 * Options of {@link Heap.over}.
 *
 * @since 0.1.0
 */
export interface OverOptions {
  /** Address of the region's start (8-aligned); the heap's control block goes there. */
  readonly base: number;
  /** Bytes of the region. Without it the heap owns the memory from `base` to its end and grows it. */
  readonly size?: number;
  /** As {@link HeapOptions.checked}. */
  readonly checked?: boolean;
  /**
   * Whether every operation takes the heap's lock in memory. Default: when the memory is shared.
   * `false` is for a caller that serialises every operation on this heap itself, in every
   * worker (an area pool does, under a lock of its own); workers that attach it get the same.
   */
  readonly locked?: boolean;
}

/**
 * Options of {@link Heap.attach}.
 *
 * @since 0.1.0
 */
export interface AttachOptions {
  /** Address of the heap's control block. Default 0. */
  readonly base?: number;
}

type Op<R> = (this: Heap, a: number, b: number) => R;

const toMemory = (memory: Memory | MemorySource): Memory =>
  memory instanceof Memory ? memory : Memory.from(memory);

/** Bytes of bitmap block needed for a block area from `start` to `top`: one bit per 8 bytes. */
const bitmapBlockSize = (start: number, top: number): number =>
  blockSizeFor(alignUp(Math.ceil((top - start) / AL_SIZE / 8), 4));

/**
 * A TLSF allocator over one region of a {@link Memory}: O(1) `malloc`, `free` and `realloc`,
 * 4 bytes of header per block, every payload 8-byte aligned, and all of its state inside the
 * memory it manages (see `layout.ts` for the picture).
 *
 * Addresses are numbers; `0` is NULL. Every allocation function returns `0` when the request
 * cannot be met, even after growing the memory to its maximum, and leaves the heap as it was.
 * Arguments that are not sizes (`RangeError`) or not live blocks ({@link InvalidPointerError})
 * are errors that leave the heap as it was.
 *
 * A heap in shared memory takes a lock in that memory (with `Atomics`) around every
 * operation, so workers that {@link Heap.attach} it may use it at the same time.
 *
 * @category heap
 * @since 0.1.0
 */
export class Heap {
  private u8!: Uint8Array;
  private u32!: Uint32Array;
  private i32!: Int32Array;
  private f64!: Float64Array;
  private readonly tlsf: Tlsf;
  private readonly controlEnd: number;

  private constructor(
    /** The memory the heap lives in. */
    readonly memory: Memory,
    /** Address of the heap's control block. */
    readonly base: number,
    /** Whether operations take the lock in memory (the heap is in shared memory). */
    readonly shared: boolean,
    /** Whether every invalid pointer is caught (the heap keeps a bitmap of live blocks). */
    readonly checked: boolean,
  ) {
    this.controlEnd = base + CONTROL_BYTES;
    this.tlsf = new Tlsf(memory.views.u32, base);
    this.adopt(memory.ensure(base, CONTROL_BYTES, 'Heap'));
  }

  /**
   * A heap in a new memory of its own, from address 0 to the memory's end, growing on demand
   * up to `maxBytes`. `shared: true` puts it in a `SharedArrayBuffer`.
   *
   * Throws a `RangeError` for sizes that are not non-negative safe integers, or too small to
   * hold a heap.
   */
  static create(options: HeapOptions = {}): Heap {
    const memory = Memory.create({
      initialBytes: options.initialBytes ?? 65536,
      maxBytes: options.maxBytes ?? 2 ** 31,
      shared: options.shared ?? false,
    });
    return Heap.format(
      memory,
      0,
      memory.byteLength,
      memory.maxByteLength,
      options.checked ?? false,
      memory.shared,
    );
  }

  /**
   * A heap managing a region of an existing memory: `[base, base + size)`, or from `base` to
   * the end of the memory, growing it on demand, when `size` is left out. Use it for the part of
   * a WebAssembly module's memory above `__heap_base`. Whatever the region held is overwritten.
   *
   * Throws a `RangeError` when `base` is not 8-aligned, the region is outside the memory, or it
   * is too small for a heap (about 3.5 KiB of control block plus one block).
   */
  static over(source: Memory | MemorySource, options: OverOptions): Heap {
    const memory = toMemory(source);
    const base = checkSize('Heap.over', 'base', options.base);
    if (base % AL_SIZE !== 0)
      throw new RangeError(`Heap.over: base must be 8-aligned, got ${base}`);
    const length = memory.byteLength;
    const checked = options.checked ?? false;
    const locked = options.locked ?? memory.shared;
    if (options.size === undefined) {
      return Heap.format(memory, base, length, memory.maxByteLength, checked, locked);
    }
    const size = checkSize('Heap.over', 'size', options.size);
    if (base + size > length) {
      throw new RangeError(
        `Heap.over: region [${base}, ${base + size}) is outside the memory (${length} bytes)`,
      );
    }
    return Heap.format(memory, base, base + size, base + size, checked, locked);
  }

  /**
   * Attaches to a heap that already lives in `memory` at `base` (default 0): the way a worker
   * uses a heap another worker created in a `SharedArrayBuffer`. Nothing is written.
   *
   * Throws {@link HeapCorruptionError} when there is no heap of this version at `base`.
   */
  static attach(source: Memory | MemorySource, options: AttachOptions = {}): Heap {
    const memory = toMemory(source);
    const base = checkSize('Heap.attach', 'base', options.base ?? 0);
    if (base % AL_SIZE !== 0 || base + CONTROL_BYTES > memory.byteLength) {
      throw new HeapCorruptionError(base, 'no heap here: the address cannot hold a control block');
    }
    const u32 = memory.ensure(base, CONTROL_BYTES, 'Heap.attach').u32;
    if (u32[(base + F_MAGIC) >>> 2] !== MAGIC)
      throw new HeapCorruptionError(base, 'no heap here: wrong magic number');
    const version = u32[(base + F_VERSION) >>> 2]!;
    if (version !== VERSION)
      throw new HeapCorruptionError(base, `heap layout version ${version}, expected ${VERSION}`);
    const flags = u32[(base + F_FLAGS) >>> 2]!;
    return new Heap(memory, base, (flags & FLAG_SHARED) !== 0, (flags & FLAG_CHECKED) !== 0);
  }

  /** Writes a fresh heap over `[base, end)` that may grow up to `limit`. */
  private static format(
    memory: Memory,
    base: number,
    end: number,
    limit: number,
    checked: boolean,
    locked: boolean,
  ): Heap {
    const regionEnd = Math.floor(end / AL_SIZE) * AL_SIZE;
    const start = base + CONTROL_BYTES;
    const sentinel = regionEnd - HEADER_BYTES;
    const bitmapSize = checked ? bitmapBlockSize(start, sentinel) : 0;
    if (sentinel - bitmapSize - start < MIN_BLOCK) {
      throw new RangeError(
        `Heap: ${end - base} bytes are too few for a heap (${CONTROL_BYTES + 24} at least)`,
      );
    }
    const v = memory.ensure(base, regionEnd - base, 'Heap');
    v.u8.fill(0, base, start);
    const u32 = v.u32;
    const flags =
      (locked ? FLAG_SHARED : 0) |
      (checked ? FLAG_CHECKED : 0) |
      (limit > regionEnd ? FLAG_GROWABLE : 0);
    u32[(base + F_MAGIC) >>> 2] = MAGIC;
    u32[(base + F_VERSION) >>> 2] = VERSION;
    u32[(base + F_FLAGS) >>> 2] = flags;
    u32[(base + F_START) >>> 2] = start;
    u32[(base + F_SENTINEL) >>> 2] = sentinel;
    u32[(base + F_LIMIT) >>> 2] =
      Math.floor(Math.min(limit, 2 ** 32 - AL_SIZE) / AL_SIZE) * AL_SIZE;
    u32[(base + F_HIGH) >>> 2] = start;
    const heap = new Heap(memory, base, locked, checked);
    heap.layTop(start, sentinel, 0);
    return heap;
  }

  // ---------------------------------------------------------------------------------------
  // The public operations. Each checks its arguments, then runs its unlocked form, under the
  // lock when the heap is shared.

  /**
   * Allocates a block of at least `size` bytes and returns its 8-aligned address. `malloc(0)`
   * returns a unique minimal block. Returns `0` when the request cannot be met even after
   * growing to the maximum (the heap is left unchanged).
   *
   * Throws a `RangeError` when `size` is not a non-negative safe integer.
   */
  malloc(size: number): number {
    if (size >>> 0 !== size) checkSize('malloc', 'size', size);
    return this.shared ? this.exclusive(this.allocate, size, 0) : this.allocate(size, 0);
  }

  /**
   * Allocates `count * size` zeroed bytes (as {@link Heap.malloc}); returns `0` on failure.
   *
   * Throws a `RangeError` when either is not a non-negative safe integer or the product
   * overflows 2^53 − 1 (C leaves the overflow to the implementation; here it is an error).
   */
  calloc(count: number, size: number): number {
    const total = checkProduct('calloc', count, size);
    return this.shared
      ? this.exclusive(this.allocateZeroed, total, 0)
      : this.allocateZeroed(total, 0);
  }

  /**
   * Resizes the block at `ptr` to at least `size` bytes, keeping its contents up to the smaller
   * of the two sizes, and returns its (possibly new) address. It shrinks in place, grows in
   * place into a free right neighbour or at the end of the heap, and otherwise moves the block
   * and frees the old one.
   *
   * `realloc(0, n)` is `malloc(n)`. `realloc(p, 0)` frees `p` and returns `0`, as Haskell's
   * `reallocBytes` (C23 leaves it undefined); so `realloc(0, 0)` returns `0`. When the request
   * cannot be met it returns `0` and `ptr` stays valid and unchanged.
   *
   * Throws a `RangeError` for a bad size and {@link InvalidPointerError} when `ptr` is not a
   * live block.
   */
  realloc(ptr: number, size: number): number {
    checkSize('realloc', 'size', size);
    return this.shared ? this.exclusive(this.resize, ptr, size) : this.resize(ptr, size);
  }

  /**
   * Frees the block at `ptr`, merging it with free neighbours. `free(0)` does nothing.
   *
   * Throws {@link InvalidPointerError} when `ptr` is not a live block. A block freed twice (with
   * no allocation reusing its bytes in between) and an address outside the heap are always
   * caught; in a checked heap every address that is not the start of a live block is (C leaves
   * all of these undefined).
   */
  free(ptr: number): void {
    if (ptr === 0) return;
    if (this.shared) this.exclusive(this.release, ptr, 0);
    else this.release(ptr, 0);
  }

  /**
   * The number of usable bytes of the live block at `ptr` (at least what was asked for).
   *
   * Throws {@link InvalidPointerError} when `ptr` is not a live block (`usableSize(0)` too).
   */
  usableSize(ptr: number): number {
    return this.shared ? this.exclusive(this.usable, ptr, 0) : this.usable(ptr, 0);
  }

  /**
   * The usable size of the block at `ptr` if, looked at without taking the lock, it is a live
   * block; 0 otherwise. Never throws and changes nothing.
   *
   * Exact for a block the calling worker owns, since no other worker may change that block's
   * header or live bit. For any other address it is a guess that another worker may falsify at
   * any moment: a caller that gets 0 must ask again under the lock (`usableSize`, `free`),
   * which says precisely what is wrong. When another worker has grown the heap, the views are
   * renewed first. This is how an area pool's per-worker cache takes freed
   * blocks without the pool's lock.
   *
   * @internal
   */
  liveSizeUnlocked(ptr: number): number {
    if (!(ptr > 0 && (ptr & 7) === 0 && ptr >>> 0 === ptr)) return 0;
    if (ptr >= this.u32.length * 4) {
      // Another worker may have grown the heap since this one last looked: renew the views
      // (that reads the control block and writes nothing), or answer 0.
      if (ptr >= this.memory.byteLength) return 0;
      try {
        this.sync();
      } catch {
        return 0;
      }
    }
    const u32 = this.u32;
    if (ptr >= u32.length * 4) return 0;
    if (!this.checked)
      return this.isLive(ptr) ? this.tlsf.sizeOf(ptr - HEADER_BYTES) - HEADER_BYTES : 0;
    // isLive for a checked heap, with each word read once (the area pools call it on every free).
    const start = u32[(this.base + F_START) >>> 2]!;
    const bitmap = u32[(this.base + F_BITMAP) >>> 2]!;
    if (ptr < start + HEADER_BYTES || ptr >= bitmap) return 0;
    const header = u32[(ptr - HEADER_BYTES) >>> 2]!;
    const bit = (ptr - start - HEADER_BYTES) >>> 3;
    const byte = this.u8[bitmap + HEADER_BYTES + (bit >>> 3)];
    if ((header & FREE) !== 0 || byte === undefined || (byte & (1 << (bit & 7))) === 0) return 0;
    return (header & ~TAGS) - HEADER_BYTES;
  }

  /**
   * Allocates at least `size` bytes at an address that is a multiple of `align`, a power of
   * two up to 2^30 (64 KiB and beyond). Alignments up to 8 are plain `malloc`. The block is an
   * ordinary block: `free`, `realloc` (which keeps only 8-byte alignment if it moves) and
   * `usableSize` accept it. Returns `0` when the request cannot be met.
   *
   * Throws a `RangeError` when `align` is not a power of two or `size` not a size.
   */
  alignedAlloc(align: number, size: number): number {
    checkAlignment('alignedAlloc', align);
    checkSize('alignedAlloc', 'size', size);
    if (align <= AL_SIZE) return this.malloc(size);
    return this.shared
      ? this.exclusive(this.allocateAligned, align, size)
      : this.allocateAligned(align, size);
  }

  /**
   * Walks the whole heap — every block's header and boundary tag, every free list, both
   * bitmap levels, the live-block bitmap of a checked heap and every counter — and throws
   * {@link HeapCorruptionError} naming the first address where something is wrong.
   * O(number of blocks); meant for tests and debugging.
   */
  check(): void {
    if (this.shared) this.exclusive(this.verify, 0, 0);
    else this.verify(0, 0);
  }

  /** Figures about the heap now; see {@link HeapStats}. */
  stats(): HeapStats {
    return this.shared ? this.exclusive(this.measure, 0, 0) : this.measure(0, 0);
  }

  // ---------------------------------------------------------------------------------------
  // Locking and views

  private exclusive<R>(op: Op<R>, a: number, b: number): R {
    const index = (this.base + F_LOCK) >>> 2;
    lock(this.i32, index);
    try {
      return op.call(this, a, b);
    } finally {
      unlock(this.i32, index);
    }
  }

  private adopt(v: { u8: Uint8Array; u32: Uint32Array; i32: Int32Array; f64: Float64Array }): void {
    this.u8 = v.u8;
    this.u32 = v.u32;
    this.i32 = v.i32;
    this.f64 = v.f64;
    this.tlsf.u32 = v.u32;
  }

  /** Makes sure the views reach the whole heap; renews them when the memory has grown. */
  private sync(): void {
    const u32 = this.u32;
    if (u32.length * 4 >= this.controlEnd && this.word(F_SENTINEL) + HEADER_BYTES <= u32.length * 4)
      return;
    this.adopt(this.memory.ensure(this.base, CONTROL_BYTES, 'Heap'));
    const sentinel = this.word(F_SENTINEL);
    if (sentinel + HEADER_BYTES > this.memory.byteLength) {
      throw new HeapCorruptionError(sentinel, 'the heap reaches past the end of its memory');
    }
    this.adopt(this.memory.ensure(0, sentinel + HEADER_BYTES, 'Heap'));
  }

  private word(field: number): number {
    return this.u32[(this.base + field) >>> 2]!;
  }

  private setWord(field: number, value: number): void {
    this.u32[(this.base + field) >>> 2] = value;
  }

  private count(field: number): void {
    this.f64[(this.base + field) >>> 3]! += 1;
  }

  /** The first address after the block area: the bitmap block, or the sentinel. */
  private top(): number {
    return this.checked ? this.word(F_BITMAP) : this.word(F_SENTINEL);
  }

  // ---------------------------------------------------------------------------------------
  // The unlocked operations

  private allocate(size: number, _: number): number {
    this.sync();
    const b = this.take(blockSizeFor(size));
    if (b === 0) {
      this.count(F_FAILURES);
      return 0;
    }
    this.count(F_MALLOCS);
    this.raiseHigh(b);
    return b + HEADER_BYTES;
  }

  private allocateZeroed(size: number, _: number): number {
    const p = this.allocate(size, 0);
    if (p !== 0) this.u8.fill(0, p, p + size);
    return p;
  }

  private release(ptr: number, _: number): void {
    this.sync();
    const b = this.blockOf('free', ptr);
    this.count(F_FREES);
    this.retire(b);
  }

  private usable(ptr: number, _: number): number {
    this.sync();
    return this.tlsf.sizeOf(this.blockOf('usableSize', ptr)) - HEADER_BYTES;
  }

  private resize(ptr: number, size: number): number {
    if (ptr === 0) return size === 0 ? 0 : this.allocate(size, 0);
    this.sync();
    const b = this.blockOf('realloc', ptr);
    if (size === 0) {
      this.count(F_FREES);
      this.retire(b);
      return 0;
    }
    const want = blockSizeFor(size);
    if (this.resizeInPlace(b, want)) {
      this.count(F_REALLOCS);
      this.raiseHigh(b);
      return ptr;
    }
    const moved = this.take(want);
    if (moved === 0) {
      this.count(F_FAILURES);
      return 0;
    }
    const keep = Math.min(this.tlsf.sizeOf(b), want) - HEADER_BYTES;
    this.u8.copyWithin(moved + HEADER_BYTES, ptr, ptr + keep);
    this.retire(b);
    this.count(F_REALLOCS);
    this.raiseHigh(moved);
    return moved + HEADER_BYTES;
  }

  private allocateAligned(align: number, size: number): number {
    this.sync();
    const want = blockSizeFor(size);
    const b = this.take(want + align + MIN_BLOCK);
    if (b === 0) {
      this.count(F_FAILURES);
      return 0;
    }
    this.count(F_MALLOCS);
    let p = alignUp(b + HEADER_BYTES, align);
    if (p - HEADER_BYTES !== b && p - HEADER_BYTES - b < MIN_BLOCK) p += align;
    const aligned = p - HEADER_BYTES;
    if (aligned !== b) this.splitFront(b, aligned);
    this.shrink(aligned, want);
    this.raiseHigh(aligned);
    return p;
  }

  private verify(_a: number, _b: number): void {
    this.sync();
    checkHeap(this.u32, this.f64, this.base, this.tlsf);
  }

  private measure(_a: number, _b: number): HeapStats {
    this.sync();
    return readStats(this.u32, this.f64, this.base, this.tlsf);
  }

  // ---------------------------------------------------------------------------------------
  // Blocks

  /**
   * Takes a free block of at least `want` bytes (a block size), growing the heap if none fits,
   * marks it used and trims it to `want`. Returns its address, or 0 with nothing changed.
   */
  private take(want: number): number {
    let b = this.tlsf.take(want);
    if (b === 0) {
      b = this.tailFit(want);
      if (b === 0 && this.grow(want)) b = this.tailFit(want);
      if (b === 0) return 0;
      this.tlsf.remove(b);
    }
    const u32 = this.u32;
    const header = u32[b >>> 2]!;
    const size = header & ~TAGS;
    u32[b >>> 2] = size | (header & LEFT_FREE);
    u32[(b + size) >>> 2]! &= ~LEFT_FREE;
    u32[(this.base + F_LIVE_BYTES) >>> 2]! += size;
    if (this.checked) this.setLiveBit(b + HEADER_BYTES, true);
    this.shrink(b, want);
    return b;
  }

  /** The free block at the top of the block area if it holds `want` bytes, else 0. */
  private tailFit(want: number): number {
    const top = this.top();
    if ((this.tlsf.word(top) & LEFT_FREE) === 0) return 0;
    const tail = this.tlsf.word(top - 4);
    return this.tlsf.sizeOf(tail) >= want ? tail : 0;
  }

  /** Records that the used block `b` reaches its end (the high-water mark). */
  private raiseHigh(b: number): void {
    const end = b + this.tlsf.sizeOf(b);
    if (end > this.word(F_HIGH)) this.setWord(F_HIGH, end);
  }

  /** Cuts the used block `b` down to `want` bytes, freeing the rest if it makes a block. */
  private shrink(b: number, want: number): void {
    const u32 = this.u32;
    const header = u32[b >>> 2]!;
    const rest = (header & ~TAGS) - want;
    if (rest < MIN_BLOCK) return;
    u32[b >>> 2] = want | (header & TAGS);
    u32[(this.base + F_LIVE_BYTES) >>> 2]! -= rest;
    this.freeRange(b + want, rest, 0);
  }

  /** Gives the used block `b` back: merges it with free neighbours and lists it. */
  private retire(b: number): void {
    const u32 = this.u32;
    const header = u32[b >>> 2]!;
    const size = header & ~TAGS;
    // FREE stays on this header even if the block merges into its left neighbour, so that a
    // second free of the same pointer is still recognised.
    u32[b >>> 2] = header | FREE;
    u32[(this.base + F_LIVE_BYTES) >>> 2]! -= size;
    if (this.checked) this.setLiveBit(b + HEADER_BYTES, false);
    this.freeRange(b, size, header & LEFT_FREE);
  }

  /**
   * Makes `[at, at + size)` one free block, merged with its free neighbours, and lists it. The
   * range holds no live block; `leftFree` (LEFT_FREE or 0) says whether its left neighbour is
   * free.
   */
  private freeRange(at: number, size: number, leftFree: number): void {
    const u32 = this.u32;
    const tlsf = this.tlsf;
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
  }

  /** Splits the front `[b, aligned)` off the used block `b` as a free block. */
  private splitFront(b: number, aligned: number): void {
    const u32 = this.u32;
    const header = u32[b >>> 2]!;
    const front = aligned - b;
    u32[aligned >>> 2] = (header & ~TAGS) - front;
    if (this.checked) {
      this.setLiveBit(b + HEADER_BYTES, false);
      this.setLiveBit(aligned + HEADER_BYTES, true);
    }
    u32[(this.base + F_LIVE_BYTES) >>> 2]! -= front;
    u32[b >>> 2] = front | FREE | (header & LEFT_FREE);
    this.tlsf.insert(b, front);
  }

  /** Whether the used block `b` is the last block, or only a free block lies after it. */
  private endsAtTop(b: number): boolean {
    const tlsf = this.tlsf;
    const next = b + tlsf.sizeOf(b);
    const top = this.top();
    return next === top || (tlsf.isFree(next) && next + tlsf.sizeOf(next) === top);
  }

  /**
   * Resizes the used block `b` to `want` bytes without moving it, if it can: shrinking, taking
   * in a free right neighbour, or growing the heap when `b` is at its top.
   */
  private resizeInPlace(b: number, want: number): boolean {
    const tlsf = this.tlsf;
    const size = tlsf.sizeOf(b);
    if (want <= size) {
      this.shrink(b, want);
      return true;
    }
    const next = b + size;
    const room = size + (tlsf.isFree(next) ? tlsf.sizeOf(next) : 0);
    if (room < want && !(this.endsAtTop(b) && this.grow(want - size))) return false;
    const gained = tlsf.sizeOf(next);
    tlsf.remove(next);
    const u32 = this.u32;
    u32[b >>> 2]! += gained;
    u32[(next + gained) >>> 2]! &= ~LEFT_FREE;
    u32[(this.base + F_LIVE_BYTES) >>> 2]! += gained;
    this.shrink(b, want);
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // Growth

  /**
   * Grows the memory so that the free block at the top of the block area holds at least
   * `want` bytes. Grows geometrically (doubling the region) where the limit allows, to keep
   * growth rare. Returns false, changing nothing, when the limit or the memory refuses.
   */
  private grow(want: number): boolean {
    if ((this.word(F_FLAGS) & FLAG_GROWABLE) === 0) return false;
    const tlsf = this.tlsf;
    const top = this.top();
    const leftTag = tlsf.word(top) & LEFT_FREE;
    const tail = leftTag !== 0 ? tlsf.sizeOf(tlsf.word(top - 4)) : 0;
    const regionEnd = this.word(F_SENTINEL) + HEADER_BYTES;
    const limit = this.word(F_LIMIT);
    const needed = this.regionEndFor(top - tail + Math.max(want, MIN_BLOCK));
    if (needed > limit) return false;
    const doubled = Math.min(limit, 2 * regionEnd - this.base);
    if (!this.memory.grow(Math.max(needed, doubled)) && !this.memory.grow(needed)) return false;
    this.adopt(this.memory.views);
    const newEnd = Math.floor(Math.min(this.memory.byteLength, limit) / AL_SIZE) * AL_SIZE;
    this.layTop(top, newEnd - HEADER_BYTES, leftTag);
    return true;
  }

  /** The region end that leaves the block area free up to `blocksEnd`: room for the bitmap and sentinel. */
  private regionEndFor(blocksEnd: number): number {
    let end = alignUp(blocksEnd, AL_SIZE) + HEADER_BYTES + 4;
    if (this.checked) {
      const start = this.word(F_START);
      end += bitmapBlockSize(start, end + Math.ceil((end - start) / 32) + 64);
    }
    return alignUp(end, AL_SIZE);
  }

  /**
   * Lays out the top of the region from `from` (the old top, or the first block) to the new
   * sentinel: a free block (merged with a free left neighbour when `leftTag` says there is
   * one), then the bitmap block of a checked heap (its bits moved from the old one), then the
   * sentinel.
   */
  private layTop(from: number, sentinel: number, leftTag: number): void {
    const u32 = this.u32;
    let freeEnd = sentinel;
    if (this.checked) {
      const bitmapSize = bitmapBlockSize(this.word(F_START), sentinel);
      freeEnd = sentinel - bitmapSize;
      this.moveBitmap(this.word(F_BITMAP), freeEnd, bitmapSize);
      u32[freeEnd >>> 2] = bitmapSize;
      this.setWord(F_BITMAP, freeEnd);
    }
    u32[sentinel >>> 2] = 0;
    this.setWord(F_SENTINEL, sentinel);
    this.freeRange(from, freeEnd - from, leftTag);
  }

  /** Copies the live-block bits from the old bitmap block (0: none) to the new one, zeroing the rest. */
  private moveBitmap(from: number, to: number, size: number): void {
    const oldBytes = from === 0 ? 0 : this.tlsf.sizeOf(from) - HEADER_BYTES;
    const u8 = this.u8;
    if (oldBytes > 0)
      u8.copyWithin(to + HEADER_BYTES, from + HEADER_BYTES, from + HEADER_BYTES + oldBytes);
    u8.fill(0, to + HEADER_BYTES + oldBytes, to + size);
  }

  // ---------------------------------------------------------------------------------------
  // Pointer validation

  private setLiveBit(p: number, on: boolean): void {
    const bit = (p - this.word(F_START) - HEADER_BYTES) >>> 3;
    const at = this.word(F_BITMAP) + HEADER_BYTES + (bit >>> 3);
    if (on) this.u8[at]! |= 1 << (bit & 7);
    else this.u8[at]! &= ~(1 << (bit & 7));
  }

  private liveBit(p: number): boolean {
    const bit = (p - this.word(F_START) - HEADER_BYTES) >>> 3;
    return (this.u8[this.word(F_BITMAP) + HEADER_BYTES + (bit >>> 3)]! & (1 << (bit & 7))) !== 0;
  }

  /** The block whose payload starts at `ptr`, or an {@link InvalidPointerError} saying why not. */
  private blockOf(call: string, ptr: number): number {
    if (this.isLive(ptr)) return ptr - HEADER_BYTES;
    throw this.invalid(call, ptr);
  }

  /**
   * Whether `ptr` is the payload address of a live block: inside the block area, 8-aligned,
   * not tagged free, and — in a checked heap — marked in the live bitmap, or otherwise with a
   * header whose size and boundary tags agree with its neighbours.
   */
  private isLive(ptr: number): boolean {
    if (ptr >>> 0 !== ptr || (ptr & 7) !== 0) return false;
    if (ptr < this.word(F_START) + HEADER_BYTES || ptr >= this.top()) return false;
    const header = this.u32[(ptr - HEADER_BYTES) >>> 2]!;
    if ((header & FREE) !== 0) return false;
    return this.checked
      ? this.liveBit(ptr)
      : this.plausible(ptr - HEADER_BYTES, header, this.top());
  }

  /** The error for a pointer `isLive` refused, saying what is wrong with it. */
  private invalid(call: string, ptr: number): InvalidPointerError {
    const refuse = (reason: string) => new InvalidPointerError(call, ptr, reason);
    if (typeof ptr !== 'number' || !Number.isInteger(ptr))
      return refuse(`not an address (${describe(ptr)})`);
    const first = this.word(F_START) + HEADER_BYTES;
    const top = this.top();
    if (ptr < first || ptr >= top) return refuse(`outside the heap's blocks [${first}, ${top})`);
    if (ptr % AL_SIZE !== 0) return refuse('not 8-aligned, so inside a block');
    if (this.tlsf.isFree(ptr - HEADER_BYTES)) return refuse('already freed (double free)');
    return refuse('not the start of a live block');
  }

  /**
   * Whether the used block header `header` at `b` looks like a block's: a sane size, a next
   * block that does not say its left neighbour is free, and, if it says its own left neighbour
   * is free, a back word pointing to a free block that ends at `b`.
   */
  private plausible(b: number, header: number, top: number): boolean {
    const u32 = this.u32;
    const size = header & ~TAGS;
    if (size < MIN_BLOCK || b + size > top) return false;
    if ((u32[(b + size) >>> 2]! & LEFT_FREE) !== 0) return false;
    if ((header & LEFT_FREE) === 0) return true;
    const left = u32[(b - 4) >>> 2]!;
    if (left < this.word(F_START) || left >= b) return false;
    const leftHeader = u32[left >>> 2]!;
    return (leftHeader & FREE) !== 0 && left + (leftHeader & ~TAGS) === b;
  }
}

/**
 * A small heap that lives as long as the program, so that V8 keeps the hidden classes of `Heap`,
 * `Tlsf`, `Memory` and the views alive. V8 reaches an instance's hidden class through
 * transitions that it holds only weakly: when every heap of a program has been collected, those
 * classes are collected too, the next heap gets new ones, and every optimized function compiled
 * against the old ones is thrown away and compiled again while the new heap is already working.
 * A program that makes short-lived heaps (one per test, per request, per benchmark run) would
 * run part of each heap's life unoptimized: measured, about 1.4x slower on a churn of small
 * blocks. It is exported (not from the package) because V8 does not keep a module variable that
 * nothing refers to beyond the module's evaluation.
 *
 * @internal
 */
export const shapeKeeper = Heap.create({ initialBytes: 65536, maxBytes: 65536 });
