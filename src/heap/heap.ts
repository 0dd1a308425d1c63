import { Memory, type MemorySource } from '../memory/index.js';
import {
  bigintAddress,
  checkAlignment,
  checkProduct,
  checkSize,
  describe,
} from '../arguments/index.js';
import { HeapCorruptionError } from './errors.js';
import { lock, unlock } from '../mutex/index.js';
import { checkControlBlock } from './check.js';
import type { HeapStats } from './stats.js';
import {
  AL_SIZE,
  CONTROL_BYTES,
  FLAG_CHECKED,
  FLAG_GROWABLE,
  FLAG_SHARED,
  F_FLAGS,
  F_HIGH,
  F_LIMIT,
  F_LOCK,
  F_MAGIC,
  F_SENTINEL,
  F_START,
  F_VERSION,
  HEADER_BYTES,
  MAGIC,
  MAX_HEAP_ALIGNMENT,
  MIN_BLOCK,
  VERSION,
  bitmapBlockSize,
} from './layout.js';
import { HeapState } from './state.js';
import { liveSize } from './pointers.js';
import { freeFast, mallocFast, retireFast } from './fast.js';
import { adopt, layTop, renewFastTop, sync } from './growth.js';
import {
  allocate,
  allocateAligned,
  allocateZeroed,
  measure,
  release,
  resize,
  usable,
  verify,
} from './operations.js';

/**
 * Options of {@link Heap.create}.
 *
 * @since 0.1.0
 */
export interface HeapOptions {
  /** Bytes of memory at the start, rounded up to whole 64 KiB pages. Default 64 KiB. */
  readonly initialBytes?: number | bigint;
  /**
   * The most bytes the heap's memory may ever hold, heap and control block included: a whole
   * number of 64 KiB pages (memory grows by pages). It is never exceeded, and never rounded:
   * any other number is a `RangeError` naming the nearest whole pages. Default 2 GiB.
   */
  readonly maxBytes?: number | bigint;
  /**
   * Put the heap in a `SharedArrayBuffer`, usable from several workers at once. Where there is
   * no `SharedArrayBuffer` (a browser page that is not cross-origin isolated: it needs the
   * headers `Cross-Origin-Opener-Policy: same-origin` and
   * `Cross-Origin-Embedder-Policy: require-corp`), `Heap.create` throws
   * `SharedMemoryUnavailableError`.
   */
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
  readonly size?: number | bigint;
  /**
   * The most bytes the region may grow to (with `size`; default `size`, a fixed region). The
   * heap grows into `[base + size, base + maxSize)` on demand, growing the memory if it is
   * shorter: the way several heaps share one memory, each in a region reserved for it.
   */
  readonly maxSize?: number | bigint;
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

type Op<R> = (s: HeapState, a: number, b: number) => R;

/** The memory of `source`, its views renewed (so that a buffer transferred away is caught). */
const toMemory = (call: string, source: Memory | MemorySource): Memory => {
  if (!(source instanceof Memory)) return Memory.from(source, call);
  source.refresh(call);
  return source;
};

/** `value` when it is a boolean, `false` when it is absent; a `TypeError` naming `call` otherwise. */
const checkFlag = (call: string, name: string, value: unknown): boolean => {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  throw new TypeError(`${call}: ${name} must be a boolean, got ${describe(value)}`);
};

/** `options` when it is an object; a `TypeError` naming `call` otherwise. */
const checkOptions = <O extends object>(call: string, options: O, what = ''): O => {
  if (typeof options === 'object' && options !== null) return options;
  throw new TypeError(`${call}: options must be an object${what}, got ${describe(options)}`);
};

/** A `base` option, an address: a bigint is a `TypeError` naming `call`. */
const baseAddress = (call: string, base: unknown): unknown => {
  if (typeof base === 'bigint') throw bigintAddress(call, 'base', base, 'Number(x)');
  return base;
};

/** The heaps that live as long as the program (see the static block of `Heap`). */
const shapeKeepers: Heap[] = [];

/**
 * A TLSF allocator over one region of a {@link Memory}: O(1) `malloc`, `free` and `realloc`,
 * 4 bytes of header per block, every payload 8-byte aligned, and all of its state inside the
 * memory it manages (see `layout.ts` for the picture).
 *
 * Addresses are numbers; `0` is NULL. Every allocation function returns `0` when the request
 * cannot be met, even after growing the memory to its maximum, and leaves the heap as it was.
 * Arguments that are not sizes (`RangeError`) or not live blocks ({@link InvalidPointerError})
 * are errors that leave the heap as it was. Sizes, counts and alignments may be `bigint`s whose
 * values are safe integers (converted on the slow path; beyond 2^53 − 1 a `RangeError`);
 * addresses are numbers, and a bigint pointer or `base` is a `TypeError` naming the call.
 * Once the `ArrayBuffer` it lives in has been transferred away (`postMessage` with a transfer
 * list), every operation but `free(0)` throws `DetachedMemoryError` naming itself.
 *
 * A heap in shared memory takes a lock in that memory (with `Atomics`) around every
 * operation, so workers that {@link Heap.attach} it may use it at the same time.
 *
 * @category heap
 * @since 0.1.0
 */
export class Heap {
  // Every field is `declare`d and assigned in the constructor, not an ES2022 class field, so
  // that V8 never sees one holding `undefined` (see `HeapState`): `s` is then known to be a
  // HeapState wherever `malloc` and `free` are inlined, and read with no check of its map.
  /** The memory the heap lives in. */
  declare readonly memory: Memory;
  /** Address of the heap's control block. */
  declare readonly base: number;
  /** Whether operations take the lock in memory (the heap is in shared memory). */
  declare readonly shared: boolean;
  /** Whether every invalid pointer is caught (the heap keeps a bitmap of live blocks). */
  declare readonly checked: boolean;
  /** Everything the free functions of the heap work on (state.ts). */
  declare private readonly s: HeapState;

  /**
   * A small heap that lives as long as the program, so that V8 keeps the hidden classes of
   * `Heap`, `HeapState`, `Tlsf`, `Memory` and the views alive. V8 reaches an instance's hidden
   * class through transitions that it holds only weakly: when every heap of a program has been
   * collected, those classes are collected too, the next heap gets new ones, and every optimized
   * function compiled against the old ones is thrown away and compiled again while the new heap
   * is already working. A program that makes short-lived heaps (one per test, per request, per
   * benchmark run) would run part of each heap's life unoptimized: measured, about 1.4x slower
   * on a churn of small blocks.
   *
   * It goes into `shapeKeepers`, which this block (a function) reads: V8 keeps such a variable in
   * the module's context, which every function of the module holds, bundled or not. It was an
   * exported module variable that no function read: kept while the module is a module of its
   * own, but bundled (esbuild makes it a `var` of the bundle) V8 dropped it, and on the bench's
   * churn of 16–64-byte blocks the bundled heap ran at 2.3–2.7x the time of the same code loaded
   * as modules; 1.1–1.2x with the keeper kept (docs/heap.md, "Bundled").
   */
  static {
    shapeKeepers.push(Heap.create({ initialBytes: 65536, maxBytes: 65536 }));
  }

  private constructor(memory: Memory, base: number, shared: boolean, checked: boolean) {
    this.memory = memory;
    this.base = base;
    this.shared = shared;
    this.checked = checked;
    this.s = new HeapState(memory, base, shared, checked);
    adopt(this.s, memory.ensure(base, CONTROL_BYTES, 'Heap'));
    renewFastTop(this.s);
  }

  /**
   * A heap in a new memory of its own, from address 0 to the memory's end, growing on demand
   * up to `maxBytes`. `shared: true` puts it in a `SharedArrayBuffer`.
   *
   * Errors name `Heap.create`: a `RangeError` for sizes that are not non-negative safe
   * integers, a `maxBytes` that is not a whole number of 64 KiB pages, or sizes too small to
   * hold a heap; a `TypeError` for options that are not an object or flags that are not
   * booleans; `SharedMemoryUnavailableError` for `shared: true` where there is no
   * `SharedArrayBuffer`.
   */
  static create(options: HeapOptions = {}): Heap {
    const memory = Memory.create(options, 'Heap.create');
    const checked = checkFlag('Heap.create', 'checked', options.checked);
    return Heap.format(
      memory,
      0,
      memory.byteLength,
      memory.maxByteLength,
      checked,
      memory.shared,
      'Heap.create',
    );
  }

  /**
   * A heap managing a region of an existing memory: `[base, base + size)`, or from `base` to
   * the end of the memory, growing it on demand, when `size` is left out. Use it for the part of
   * a WebAssembly module's memory above `__heap_base`. Whatever the region held is overwritten.
   *
   * Throws a `RangeError` when `base` is not 8-aligned, the region is outside the memory, or it
   * is too small for a heap (about 3.5 KiB of control block plus one block), or `locked` is
   * `true` over memory that is not shared; a `TypeError` when `source` is not a memory, `options`
   * not an object or `checked` or `locked` not a boolean. Throws `DetachedMemoryError` when the
   * buffer was transferred away.
   */
  static over(source: Memory | MemorySource, options: OverOptions): Heap {
    const memory = toMemory('Heap.over', source);
    checkOptions('Heap.over', options, ' with a base');
    const base = checkSize('Heap.over', 'base', baseAddress('Heap.over', options.base));
    const checked = checkFlag('Heap.over', 'checked', options.checked);
    if (base % AL_SIZE !== 0)
      throw new RangeError(`Heap.over: base must be 8-aligned, got ${base}`);
    const length = memory.byteLength;
    const locked =
      options.locked === undefined
        ? memory.shared
        : checkFlag('Heap.over', 'locked', options.locked);
    if (locked && !memory.shared) {
      throw new RangeError('Heap.over: locked: true needs shared memory (a SharedArrayBuffer)');
    }
    if (options.size === undefined) {
      return Heap.format(memory, base, length, memory.maxByteLength, checked, locked, 'Heap.over');
    }
    const size = checkSize('Heap.over', 'size', options.size);
    if (base + size > length) {
      throw new RangeError(
        `Heap.over: region [${base}, ${base + size}) is outside the memory (${length} bytes)`,
      );
    }
    const maxSize =
      options.maxSize === undefined ? size : checkSize('Heap.over', 'maxSize', options.maxSize);
    if (maxSize < size || base + maxSize > memory.maxByteLength) {
      throw new RangeError(
        `Heap.over: maxSize ${maxSize} must be at least size ${size} and keep the region ` +
          `inside the memory's maximum (${memory.maxByteLength} bytes)`,
      );
    }
    return Heap.format(memory, base, base + size, base + maxSize, checked, locked, 'Heap.over');
  }

  /**
   * Attaches to a heap that already lives in `memory` at `base` (default 0): the way a worker
   * uses a heap another worker created in a `SharedArrayBuffer`. Nothing is written.
   *
   * Throws {@link HeapCorruptionError} when there is no heap of this version at `base`: a wrong
   * magic number or layout version, unknown flag bits, a first block that does not follow the
   * control block, a limit that is not a multiple of 8, or a spare word that is not 0 (the
   * fields that never change once a heap is made). A heap `attach` refuses never passes
   * {@link Heap.check}. Throws `DetachedMemoryError` when the buffer was transferred away, a
   * `RangeError` when `base` is not a size, and a `TypeError` when `source` is not a memory or
   * `options` not an object. Each names `Heap.attach`.
   */
  static attach(source: Memory | MemorySource, options: AttachOptions = {}): Heap {
    const call = 'Heap.attach';
    const memory = toMemory(call, source);
    const { base: given } = checkOptions(call, options);
    const base = given === undefined ? 0 : checkSize(call, 'base', baseAddress(call, given));
    if (base % AL_SIZE !== 0 || base + CONTROL_BYTES > memory.byteLength) {
      throw new HeapCorruptionError(
        base,
        'no heap here: the address cannot hold a control block',
        call,
      );
    }
    const u32 = memory.ensure(base, CONTROL_BYTES, call).u32;
    try {
      checkControlBlock(u32, base);
    } catch (e) {
      throw e instanceof HeapCorruptionError
        ? new HeapCorruptionError(e.address, e.problem, call)
        : e;
    }
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
    call: string,
  ): Heap {
    const regionEnd = Math.floor(end / AL_SIZE) * AL_SIZE;
    const start = base + CONTROL_BYTES;
    const sentinel = regionEnd - HEADER_BYTES;
    const bitmapSize = checked ? bitmapBlockSize(start, sentinel) : 0;
    if (sentinel - bitmapSize - start < MIN_BLOCK) {
      throw new RangeError(
        `${call}: ${end - base} bytes are too few for a heap (${CONTROL_BYTES + 24} at least)`,
      );
    }
    const v = memory.ensure(base, regionEnd - base, call);
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
    layTop(heap.s, start, sentinel, 0);
    return heap;
  }

  // ---------------------------------------------------------------------------------------
  // The public operations. Each checks its arguments, then runs its unlocked form, under the
  // lock when the heap is shared.

  /**
   * Allocates a block of at least `size` bytes and returns its 8-aligned address. `malloc(0)`
   * returns a unique minimal block. Returns `0` when the request cannot be met even after
   * growing to the maximum (the heap is left unchanged). A request of up to 244 bytes first
   * takes the block most recently freed into the cache list of its block size, if there is one
   * (see docs/heap.md, "The fast path").
   *
   * Throws a `RangeError` when `size` is not a non-negative safe integer.
   */
  malloc(size: number | bigint): number {
    const p = mallocFast(this.s, size);
    return p !== 0 ? p : this.mallocSlow(size);
  }

  private mallocSlow(size: number | bigint): number {
    if (typeof size !== 'number' || size >>> 0 !== size) size = checkSize('malloc', 'size', size);
    return this.shared ? this.exclusive(allocate, size, 0) : allocate(this.s, size, 0);
  }

  /**
   * Allocates `count * size` zeroed bytes (as {@link Heap.malloc}); returns `0` on failure.
   *
   * Throws a `RangeError` when either is not a non-negative safe integer or the product
   * overflows 2^53 − 1 (C leaves the overflow to the implementation; here it is an error).
   */
  calloc(count: number | bigint, size: number | bigint): number {
    const total = checkProduct('calloc', count, size);
    return this.shared
      ? this.exclusive(allocateZeroed, total, 0)
      : allocateZeroed(this.s, total, 0);
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
  realloc(ptr: number, size: number | bigint): number {
    const n = checkSize('realloc', 'size', size);
    return this.shared ? this.exclusive(resize, ptr, n) : resize(this.s, ptr, n);
  }

  /**
   * Frees the block at `ptr`. A block of up to 248 bytes whose neighbours are both in use goes
   * into the cache list of its size (at most 32 blocks a list), to be handed out again by the
   * next `malloc` of that size; any other block merges with its free neighbours at once.
   * Cached blocks are merged when no free block fits a request and when the last live block is
   * freed. `free(0)` does nothing.
   *
   * Throws {@link InvalidPointerError} when `ptr` is not a live block. A block freed twice (with
   * no allocation reusing its bytes in between) and an address outside the heap are always
   * caught; in a checked heap every address that is not the start of a live block is (C leaves
   * all of these undefined).
   */
  free(ptr: number): void {
    const s = this.s;
    if (!freeFast(s, ptr) && !retireFast(s, ptr)) this.freeSlow(ptr);
  }

  private freeSlow(ptr: number): void {
    if (ptr === 0) return;
    if (this.shared) this.exclusive(release, ptr, 0);
    else release(this.s, ptr, 0);
  }

  /**
   * The number of usable bytes of the live block at `ptr` (at least what was asked for).
   *
   * Throws {@link InvalidPointerError} when `ptr` is not a live block (`usableSize(0)` too).
   */
  usableSize(ptr: number): number {
    return this.shared ? this.exclusive(usable, ptr, 0) : usable(this.s, ptr, 0);
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
    const n = liveSize(this.s, ptr);
    if (n >= 0) return n;
    // Another worker has grown the heap since this one last looked: renew the views (that
    // reads the control block and writes nothing) and look again, or answer 0.
    try {
      sync(this.s, 'liveSizeUnlocked');
    } catch {
      return 0;
    }
    return Math.max(liveSize(this.s, ptr), 0);
  }

  /**
   * Allocates at least `size` bytes at an address that is a multiple of `align`, a power of
   * two up to 2^30 (64 KiB and beyond). Alignments up to 8 are plain `malloc`. The block is an
   * ordinary block: `free`, `realloc` (which keeps only 8-byte alignment if it moves) and
   * `usableSize` accept it. Returns `0` when the request cannot be met.
   *
   * Throws a `RangeError` when `align` is not a power of two or `size` not a size.
   */
  alignedAlloc(align: number | bigint, size: number | bigint): number {
    const a = checkAlignment('alignedAlloc', align, MAX_HEAP_ALIGNMENT);
    const n = checkSize('alignedAlloc', 'size', size);
    if (a <= AL_SIZE) return this.malloc(n);
    return this.shared ? this.exclusive(allocateAligned, a, n) : allocateAligned(this.s, a, n);
  }

  /**
   * Walks the whole heap — every field of the control block, every block's header and boundary
   * tag, every free list, both bitmap levels, the live-block bitmap of a checked heap and every
   * counter — and throws {@link HeapCorruptionError} naming the first address where something
   * is wrong. O(number of blocks); meant for tests and debugging.
   *
   * The control block is checked field by field: what {@link Heap.attach} reads (magic number,
   * version, flags, first block, limit, spare word), then the flags against this heap (checked,
   * shared, and whether it may grow), the lock word, the sentinel, the place of the bitmap
   * block, the high-water mark (a block end at or above every live block), the first-level
   * bitmap, and each counter (a non-negative safe integer) against the blocks. What no check
   * can catch is a field changed to another value a heap could have: a lower limit or
   * high-water mark that still holds every block, or another count of reallocs or failures.
   */
  check(): void {
    if (this.shared) this.exclusive(verify, 0, 0);
    else verify(this.s, 0, 0);
  }

  /** Figures about the heap now; see {@link HeapStats}. */
  stats(): HeapStats {
    return this.shared ? this.exclusive(measure, 0, 0) : measure(this.s, 0, 0);
  }

  // ---------------------------------------------------------------------------------------
  // Locking

  private exclusive<R>(op: Op<R>, a: number, b: number): R {
    const index = (this.base + F_LOCK) >>> 2;
    // Only a shared heap copied into memory that is not shared (a snapshot) can find its view
    // of the lock detached, by growth or a transfer. No other thread reaches such memory, so
    // the operation runs unlocked, renewing its views (or reporting the transfer) as it starts.
    if (index >= this.s.i32.length) return op(this.s, a, b);
    lock(this.s.i32, index);
    try {
      return op(this.s, a, b);
    } finally {
      unlock(this.s.i32, index);
    }
  }
}
