/**
 * A pool: the handle `create_pool` and `attach_pool` return (BeOS's opaque `pool_id`), one per
 * worker that uses the pool. Its methods are the pool functions with the pool as `this`, so a
 * pool is an allocator as `foreign(ctx)` and the alloca `Stack` want one:
 *
 * ```ts
 * const ctx = { memory: pool.memory, allocator: pool, stack: new Stack(pool) }
 * ```
 *
 * Under the pool's lock sits a TLSF heap (`foreign-ts/heap`, checked: it knows every live block)
 * in the pool's bytes; in front of the lock, a cache of free small blocks per worker (see
 * control.ts), so that most `malloc`s and `free`s of a busy worker take no lock and no atomic
 * operation: the worker holds its cache's guard as a lease for the rest of its job.
 *
 * @since 0.1.0
 */
import {
  HeapCorruptionError,
  InvalidPointerError,
  type Heap,
  type HeapStats,
} from '../heap/index.js';
import type { Memory, WasmMemory } from '../memory/index.js';
import { lock as mutexLock, unlock as mutexUnlock } from '../mutex/index.js';
import { describe, notAPointer, toAlignment, toSize } from './arguments.js';
import { B_NO_LOCK, B_READ_AREA, B_WRITE_AREA, type status_t, B_OK, B_ERROR } from './constants.js';
import {
  CLASSES,
  D_FLUSHES,
  D_HITS,
  D_PUSHES,
  D_REALLOCS,
  D_REFILLS,
  D_UNCOUNTED,
  HEADER_BYTES,
  DELETED,
  REFILL,
  S_GUARD,
  S_OWNER,
  TAG,
  W_ADDRESS_SPEC,
  W_BASE,
  W_BUDGET,
  W_ID,
  W_LOCK,
  W_LOCK_SPEC,
  W_NONCE,
  W_SIZE,
  W_SLOTS,
  W_TOKENS,
  classFor,
  controlViews,
  slotWord,
  usableOf,
  type ControlViews,
} from './control.js';
import * as control from './control.js';

// The constants of the inline paths, bound in this module: V8 11 folds a module's own `const`s
// into the code it compiles, but reads an imported binding from its cell, with a check, at every
// use (docs/heap.md, "How the fast path is written").
const {
  BIN_MAX,
  LARGEST,
  LIVE,
  SMALLEST,
  S_BYTES,
  S_COUNTS,
  S_HEADS,
  S_REQUESTS,
  TAG_HIGH,
  W_STATE,
} = control;
import { DeletedPoolError, PoolBusyError, PoolProtectionError } from './errors.js';
import { KNOWN_PROTECTION } from './limits.js';
import type { PoolStats } from './stats.js';

// -------------------------------------------------------------------------------------------
// model

/**
 * What `pool.share()` returns and `attach_pool` takes in another worker: a plain object of
 * shared buffers that `postMessage` copies by reference, so that every worker sees the same
 * pool.
 *
 * @category pools
 * @since 0.1.0
 */
export interface SharedPool {
  readonly kind: 'foreign-ts/area pool';
  readonly version: 1;
  /** The pool's memory: a `SharedArrayBuffer` or a shared WebAssembly memory. */
  readonly source: SharedArrayBuffer | WasmMemory;
  /** The pool's control block. */
  readonly control: SharedArrayBuffer;
  /** The protection the attached handle gets. */
  readonly protection: number;
}

/**
 * Options of `pool.share()`.
 *
 * @category pools
 * @since 0.1.0
 */
export interface ShareOptions {
  /**
   * The protection of the handle the other worker attaches: at most this handle's read and
   * write rights (a writer can hand a reader a `B_READ_AREA` handle). Default: this handle's.
   */
  readonly protection?: number;
}

/** What `create.ts` and `attach_pool` give the constructor. @internal */
export interface PoolParts {
  /** The memory the heap and the caches work through: always readable and writable. */
  readonly internal: Memory;
  /** What the program reads and writes through: a `Memory` of its own, protected. */
  readonly memory: Memory;
  readonly heap: Heap;
  readonly control: ControlViews;
  /** This handle's protection. */
  readonly protection: number;
}

/**
 * Waits a little while `i32[index]` is `value`: in `Atomics.wait` where this thread may block,
 * else by returning at once (the caller spins).
 */
const pause = (i32: Int32Array, index: number, value: number): void => {
  try {
    Atomics.wait(i32, index, value, 10);
  } catch {
    // A browser's main thread may not wait: spin.
  }
};

/**
 * How long `stats`, `check`, `drain`, `delete_pool` and a double-free check wait for a worker
 * to give its cache back before they give up; and how long an allocation about to fail waits
 * for each other worker's cache.
 */
const BUSY_MS = 10_000;
const DRAIN_MS = 50;

/** The handles of this realm that hold a lease on their cache now. */
const leases = new Set<AreaPool>();

/** The control block of a detached handle: state DELETED, no slots. */
const DETACHED = controlViews(new ArrayBuffer(HEADER_BYTES));
DETACHED.i32[W_STATE] = DELETED;

/** The request size that fails: a `calloc` whose product is not a safe integer. */
const OVERFLOW = Number.MAX_SAFE_INTEGER;

// -------------------------------------------------------------------------------------------
// the pool

/**
 * One worker's handle of a pool: BeOS's `pool_id`. Made by the module's `create_pool` or by
 * `attach_pool`; put away by `delete_pool` (the pool, for everyone) or `detach` (this handle).
 *
 * Every allocation function returns an 8-aligned address, or 0 (NULL) when the pool cannot meet
 * the request even after emptying every worker's cache into it; then nothing has changed. The
 * pool never grows past its size. Arguments that are not sizes are a `RangeError`, pointers that
 * are not live blocks of the pool an `InvalidPointerError`, use after `delete_pool` a
 * {@link DeletedPoolError} and allocation without `B_WRITE_AREA` a {@link PoolProtectionError},
 * each naming the call; after any of them the pool is as it was.
 *
 * @category pools
 * @since 0.1.0
 */
export class AreaPool {
  /** The pool's id: the same number in every worker (for messages; not an address). */
  readonly id: number;
  /**
   * The bytes the pool's blocks are in, as this handle may touch them: pokes through it are
   * refused without `B_WRITE_AREA`, peeks without `B_READ_AREA`, and both once the pool is
   * deleted. A `Memory` of its own over the pool's source (another `Memory` over the same bytes
   * is not protected).
   */
  readonly memory: Memory;
  /** This handle's protection bits (`B_READ_AREA | B_WRITE_AREA`, …). */
  readonly protection: number;
  /** The address spec the pool was made with. */
  readonly addressSpec: number;
  /** The lock spec the pool was made with. */
  readonly lockSpec: number;
  /** The first address of the pool in its memory (0 for a memory of its own). */
  readonly base: number;
  /** The pool's size in bytes: the most it ever spans. */
  readonly size: number;

  private readonly heap: Heap;
  private readonly internal: Memory;
  private readonly locked: boolean;
  private readonly writable: boolean;
  private readonly budget: number;
  private ci: Int32Array;
  private cu: Uint32Array;
  private cf: Float64Array;
  private control: ControlViews;
  /** This handle's cache slot, or -1; `g` is the slot's first word (its guard), or -1. */
  private slot = -1;
  private g = -1;
  /** The cache tag of this handle's slot (the second payload word of its cached blocks). */
  private tag = 0;
  /**
   * Cache hits and pushes made under the lease and not yet added to the slot's counters (a
   * number field costs less than a float64 in shared memory): `park` adds them, before anyone
   * else may read the slot.
   */
  private hits = 0;
  private pushes = 0;
  /**
   * The internal views' words as `words` last saw them, for the inline paths (one load fewer);
   * a set that does not reach a block (stale after growth) sends them to the full path.
   */
  private m32: Uint32Array;
  private detached = false;
  /** Whether this handle holds its cache's guard (its lease), and whether its end is scheduled. */
  private leased = false;
  private scheduled = false;
  /** Tells this pool's control block from others. */
  private readonly nonce: number;

  /** @internal Use `create_pool` or `attach_pool`. */
  constructor(parts: PoolParts) {
    const { i32, u32, f64 } = parts.control;
    this.control = parts.control;
    this.ci = i32;
    this.cu = u32;
    this.cf = f64;
    this.id = u32[W_ID]!;
    this.memory = parts.memory;
    this.internal = parts.internal;
    this.heap = parts.heap;
    this.m32 = parts.internal.views.u32;
    this.protection = parts.protection;
    this.addressSpec = u32[W_ADDRESS_SPEC]!;
    this.lockSpec = u32[W_LOCK_SPEC]!;
    this.base = u32[W_BASE]!;
    this.size = u32[W_SIZE]!;
    this.budget = u32[W_BUDGET]!;
    this.nonce = u32[W_NONCE]! * 2 ** 32 + u32[W_NONCE + 1]!;
    this.locked = this.lockSpec !== B_NO_LOCK;
    this.writable = (parts.protection & B_WRITE_AREA) !== 0;
    if (this.writable) this.claimSlot();
    protectMemory(parts.memory, this.id, parts.protection);
  }

  /** `'live'`, `'deleted'` (by `delete_pool`, in any worker) or `'detached'` (this handle). */
  get state(): 'live' | 'deleted' | 'detached' {
    if (this.detached) return 'detached';
    return this.ci[W_STATE] === LIVE ? 'live' : 'deleted';
  }

  // -----------------------------------------------------------------------------------------
  // The pool functions

  /**
   * `malloc(pool, size)`: at least `size` bytes, 8-aligned, or 0 when the pool has no room.
   * `malloc(0)` returns a unique minimal block.
   */
  malloc(size: number): number {
    if (typeof size === 'number' && size <= LARGEST && size >>> 0 === size && this.leased) {
      // The inline path: the head of this worker's cache list of the size's class, taken under
      // the lease this worker holds (no lock, no atomic operation), when nobody asks for the
      // lease and the pool lives (what `pop` checks).
      const g = this.g;
      const cu = this.cu;
      if (cu[g + S_REQUESTS] === 0 && cu[W_STATE] === LIVE) {
        const c = size <= SMALLEST ? 0 : (size - 5) >>> 3;
        const head = g + S_HEADS + c;
        const p = cu[head]!;
        const u32 = this.m32;
        if (p !== 0 && p + 8 <= u32.length * 4) {
          cu[head] = u32[p >>> 2]!;
          u32[(p + 4) >>> 2] = 0;
          cu[g + S_COUNTS + c]! -= 1;
          cu[g + S_BYTES]! -= SMALLEST + 4 + 8 * c;
          this.hits += 1;
          return p;
        }
      }
    }
    const n =
      typeof size === 'number' && size >>> 0 === size ? size : toSize('malloc', 'size', size);
    return this.allocate('malloc', n, false);
  }

  /**
   * `calloc(pool, count, size)`: `count * size` zeroed bytes, or 0. A product beyond 2^53 − 1 is
   * a request no pool can meet: 0, as C's `calloc` returns NULL on overflow.
   */
  calloc(count: number, size: number): number {
    const c =
      typeof count === 'number' && count >>> 0 === count ? count : toSize('calloc', 'count', count);
    const s =
      typeof size === 'number' && size >>> 0 === size ? size : toSize('calloc', 'size', size);
    const total = c * s;
    return this.allocate('calloc', Number.isSafeInteger(total) ? total : OVERFLOW, true);
  }

  /**
   * `realloc(pool, ptr, size)`: the block at `ptr` resized to `size` bytes, keeping its contents
   * up to the smaller size; the same address when it fits in place, else a new one (the old block
   * is freed). `realloc(0, n)` is `malloc(n)`; `realloc(p, 0)` frees `p` and returns 0 (C leaves
   * it to the implementation). When the pool has no room it returns 0 and `ptr` is unchanged.
   */
  realloc(ptr: number, size: number): number {
    const n =
      typeof size === 'number' && size >>> 0 === size ? size : toSize('realloc', 'size', size);
    if (ptr === 0) return this.allocate('realloc', n, false);
    if (typeof ptr !== 'number') throw notAPointer('realloc', ptr);
    if (!this.writable) throw this.readOnly('realloc');
    if (n === 0) {
      this.release('realloc', ptr);
      return 0;
    }
    const g = this.g;
    if (g >= 0) {
      const u = this.heap.liveSizeUnlocked(ptr);
      if (u !== 0 && u <= LARGEST && n <= u && n > u >>> 1 && !this.tagged(ptr, 'realloc')) {
        if (!this.leased || this.cu[g + S_REQUESTS] !== 0 || this.ci[W_STATE] !== LIVE)
          this.lease('realloc');
        this.cf[(g >>> 1) + D_REALLOCS]! += 1;
        return ptr;
      }
    }
    return this.lockedResize(ptr, n);
  }

  /**
   * `free(pool, ptr)`: gives the block back. `free(0)` does nothing. A pointer that is not a live
   * block of this pool (freed already, in any worker's cache or in the heap, or never allocated)
   * is an `InvalidPointerError`.
   */
  free(ptr: number): void {
    if (typeof ptr === 'number' && ptr > 0 && this.leased) {
      // The inline path: a live block of a cached size that carries no cache tag goes into
      // this worker's cache, under its lease, when its class and budget have room (what
      // `release` and `push` do).
      const g = this.g;
      const cu = this.cu;
      if (cu[g + S_REQUESTS] === 0 && cu[W_STATE] === LIVE) {
        const u = this.heap.liveSizeUnlocked(ptr);
        const u32 = this.m32;
        if (u !== 0 && u <= LARGEST && ptr + 8 <= u32.length * 4) {
          const c = (u - SMALLEST) >>> 3;
          const n = cu[g + S_COUNTS + c]!;
          const bytes = cu[g + S_BYTES]! + u + 4;
          if (u32[(ptr + 4) >>> 2]! >>> 8 !== TAG_HIGH && n < BIN_MAX && bytes <= this.budget) {
            u32[ptr >>> 2] = cu[g + S_HEADS + c]!;
            u32[(ptr + 4) >>> 2] = this.tag;
            cu[g + S_HEADS + c] = ptr;
            cu[g + S_COUNTS + c] = n + 1;
            cu[g + S_BYTES] = bytes;
            this.pushes += 1;
            return;
          }
        }
      }
    }
    if (ptr === 0) {
      if (this.ci[W_STATE] !== LIVE) throw this.gone('free');
      return;
    }
    this.release('free', ptr);
  }

  /**
   * At least `size` bytes at a multiple of `align` (a power of two up to 2^30), or 0: for the
   * alloca `Stack` and for types aligned above 8 bytes. An ordinary block otherwise.
   */
  alignedAlloc(align: number, size: number): number {
    const a =
      typeof align === 'number' &&
      align >>> 0 === align &&
      align > 0 &&
      align <= 2 ** 30 &&
      (align & (align - 1)) === 0
        ? align
        : toAlignment('alignedAlloc', align);
    const n =
      typeof size === 'number' && size >>> 0 === size ? size : toSize('alignedAlloc', 'size', size);
    if (a <= 8) return this.allocate('alignedAlloc', n, false);
    if (!this.writable) throw this.readOnly('alignedAlloc');
    this.enter('alignedAlloc');
    try {
      return this.retry(n, () => this.heap.alignedAlloc(a, n));
    } finally {
      this.leave();
    }
  }

  /** The usable bytes of the live block at `ptr`; an `InvalidPointerError` when it is not one. */
  usableSize(ptr: number): number {
    if (typeof ptr !== 'number') throw notAPointer('usableSize', ptr);
    this.enter('usableSize');
    try {
      this.refuseCached('usableSize', ptr);
      return this.heap.usableSize(ptr);
    } finally {
      this.leave();
    }
  }

  // -----------------------------------------------------------------------------------------
  // Checks, figures, workers

  /**
   * Checks the whole pool: the heap (`Heap.check`), and every worker's cache — each cached block
   * a live block of its class, tagged with its slot, in one cache only, and every count and
   * counter in agreement. Throws `HeapCorruptionError` at the first problem. It holds the pool's
   * lock and one cache at a time, so it may run while other workers use the pool.
   */
  check(): void {
    this.enter('check');
    try {
      this.heap.check();
      const seen = new Set<number>();
      for (let i = 0; i < this.slots(); i++)
        this.withSlot(i, 'check', (g) => this.checkSlot(i, g, seen));
    } finally {
      this.leave();
    }
  }

  /** Figures about the pool now, every worker's cache accounted for: see {@link PoolStats}. */
  stats(): PoolStats {
    this.enter('stats');
    try {
      return this.measure(this.heap.stats());
    } finally {
      this.leave();
    }
  }

  /**
   * Gives every block waiting in any worker's cache back to the heap, so that free neighbours
   * merge; returns how many. Allocation does this by itself before it returns NULL.
   */
  drain(): number {
    this.enter('drain');
    try {
      return this.drainAll(BUSY_MS, 'drain');
    } finally {
      this.leave();
    }
  }

  /**
   * A description of the pool to `postMessage` to another worker, which attaches it with
   * `attach_pool`. Throws a `TypeError` for a `B_NO_LOCK` pool (it takes no lock, so one worker
   * only) and for options that are not an object, a `RangeError` when `protection` grants more
   * than this handle has, and a {@link DeletedPoolError} once the pool is deleted.
   */
  share(options: ShareOptions = {}): SharedPool {
    if (typeof options !== 'object' || options === null)
      throw new TypeError(`share: options must be an object, got ${describe(options)}`);
    if (this.ci[W_STATE] !== LIVE) throw this.gone('share');
    if (!this.locked) {
      throw new TypeError(
        `share: pool ${this.id} has B_NO_LOCK: it takes no lock, so only one worker may use it`,
      );
    }
    const protection = options.protection ?? this.protection;
    const rights = B_READ_AREA | B_WRITE_AREA;
    if (
      !Number.isInteger(protection) ||
      (protection & ~KNOWN_PROTECTION) !== 0 ||
      (protection & rights & ~this.protection) !== 0
    ) {
      throw new RangeError(
        `share: protection ${String(protection)} is not this handle's protection ` +
          `(${this.protection}) or less`,
      );
    }
    return {
      kind: 'foreign-ts/area pool',
      version: 1,
      source: this.internal.source as SharedArrayBuffer | WasmMemory,
      control: this.control.buffer as SharedArrayBuffer,
      protection,
    };
  }

  /**
   * Puts this handle away: gives its cached blocks back to the pool and frees its cache slot for
   * another worker. The pool lives on for the other handles. Call it before a worker ends: the
   * cache of a worker that ends without it keeps its blocks until another worker drains it (as
   * allocation does before returning NULL). Afterwards every use of this handle is a
   * {@link DeletedPoolError}. Does nothing on a deleted pool or a detached handle.
   */
  detach(): void {
    if (this.detached) return;
    this.park();
    if (this.ci[W_STATE] === LIVE) {
      this.enter('detach');
      try {
        if (this.g >= 0) {
          this.withSlot(this.slot, 'detach', (g) => this.flushSlot(g));
          Atomics.store(this.ci, this.g + S_OWNER, 0);
        }
      } finally {
        this.leave();
      }
    }
    this.detached = true;
    this.slot = this.g = -1;
    this.control = DETACHED;
    this.ci = DETACHED.i32;
    this.cu = DETACHED.u32;
    this.cf = DETACHED.f64;
    this.revoke(`this handle of pool ${this.id} was detached`);
  }

  /**
   * `delete_pool`'s work: marks the pool deleted for every worker (under its lock), then waits
   * until no worker is inside a cache operation, so that once it returns nothing touches the
   * pool's bytes again. Returns `B_ERROR` when the pool is deleted already or the handle is
   * detached.
   *
   * @internal
   */
  deletePool(): status_t {
    if (this.detached) return B_ERROR;
    this.park();
    if (this.locked) mutexLock(this.ci, W_LOCK);
    const live = this.ci[W_STATE] === LIVE;
    if (live) Atomics.store(this.ci, W_STATE, DELETED);
    if (this.locked) mutexUnlock(this.ci, W_LOCK);
    if (!live) return B_ERROR;
    // Wait until no worker is inside a cache operation. A cache whose owner does not give it
    // back (blocked, or ended without detach) is left: that owner checks the state at its next
    // operation.
    for (let i = 0; i < this.slots(); i++) this.trySlot(i, BUSY_MS, () => undefined);
    this.revoke(`pool ${this.id} was deleted`);
    return B_OK;
  }

  // -----------------------------------------------------------------------------------------
  // Locks and state

  private slots(): number {
    return this.ci[W_SLOTS]!;
  }

  /** Takes the pool's lock (a locked pool) and checks that the pool lives. */
  private enter(call: string): void {
    this.park(); // the lock comes before any guard
    if (this.locked) mutexLock(this.ci, W_LOCK);
    if (this.ci[W_STATE] !== LIVE) {
      this.leave();
      throw this.gone(call);
    }
  }

  private leave(): void {
    if (this.locked) mutexUnlock(this.ci, W_LOCK);
  }

  /**
   * Takes (or takes again, when others wait for it) this handle's lease on its cache: its guard,
   * held until the end of the current job (a microtask), until the pool's lock is taken, or until
   * someone asks for it at one of the owner's next operations. Checks that the pool lives. So a
   * worker's cache operations take no atomic operation but the first of each job.
   */
  private lease(call: string): void {
    const ci = this.ci;
    const g = this.g;
    if (this.leased) this.park(); // someone waits for this cache: let them in first
    // Fairness: while others wait for the guard, they go first (they hold it briefly).
    for (let r = Atomics.load(ci, g + S_REQUESTS); r !== 0; r = Atomics.load(ci, g + S_REQUESTS))
      pause(ci, g + S_REQUESTS, r);
    mutexLock(ci, g + S_GUARD);
    if (ci[W_STATE] !== LIVE) {
      mutexUnlock(ci, g + S_GUARD);
      throw this.gone(call);
    }
    this.leased = true;
    leases.add(this);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.endOfJob);
    }
  }

  /**
   * Gives this handle's lease back, so that other workers may read or empty its cache (`stats`,
   * `check`, `drain`, `delete_pool`) until its next cache operation. The lease is given back at
   * the end of every job by itself; call `park()` before blocking (`Atomics.wait`) or a long
   * computation in the middle of a job, so that those calls in other workers do not wait for it.
   */
  park(): void {
    if (!this.leased) return;
    this.leased = false;
    leases.delete(this);
    const d = this.g >>> 1;
    this.cf[d + D_HITS]! += this.hits;
    this.cf[d + D_PUSHES]! += this.pushes;
    this.hits = this.pushes = 0;
    mutexUnlock(this.ci, this.g + S_GUARD);
  }

  private readonly endOfJob = (): void => {
    this.scheduled = false;
    this.park();
  };

  /**
   * Runs `f` with slot `i`'s guard held (the caller holds the pool's lock, and no lease). A lease
   * of this realm on it is given back first (its owner is not inside an operation: this thread
   * is here); another worker gives its lease back at its next operation, or at the end of its
   * job.
   */
  private withSlot<R>(i: number, call: string, f: (g: number) => R): R {
    const done = this.trySlot(i, BUSY_MS, f);
    if (done === undefined) throw new PoolBusyError(call, this.id, i, BUSY_MS);
    return done.value;
  }

  /** As `withSlot`, but gives up after `ms` milliseconds: `undefined` then. */
  private trySlot<R>(i: number, ms: number, f: (g: number) => R): { value: R } | undefined {
    const g = slotWord(i);
    const ci = this.ci;
    for (const h of leases) if (h.slot === i && h.nonce === this.nonce) h.park();
    Atomics.add(ci, g + S_REQUESTS, 1);
    const taken = mutexLock(ci, g + S_GUARD, ms);
    try {
      return taken ? { value: f(g) } : undefined;
    } finally {
      if (taken) mutexUnlock(ci, g + S_GUARD);
      if (Atomics.sub(ci, g + S_REQUESTS, 1) === 1) Atomics.notify(ci, g + S_REQUESTS);
    }
  }

  private claimSlot(): void {
    const ci = this.ci;
    const token = (Atomics.add(ci, W_TOKENS, 1) + 1) | 0 || 1;
    for (let i = 0; i < this.slots(); i++) {
      if (Atomics.compareExchange(ci, slotWord(i) + S_OWNER, 0, token) === 0) {
        this.slot = i;
        this.g = slotWord(i);
        this.tag = (TAG | i) >>> 0;
        return;
      }
    }
  }

  private gone(call: string): DeletedPoolError {
    if (!this.detached) this.revoke(`pool ${this.id} was deleted`);
    return new DeletedPoolError(call, this.id, this.detached);
  }

  private readOnly(call: string): PoolProtectionError {
    return new PoolProtectionError(call, this.id, this.protection);
  }

  /** Refuses every access through the program's memory from now on. */
  private revoke(reason: string): void {
    if (this.memory.access.read || this.memory.access.write)
      this.memory.protect({ read: false, write: false, reason });
  }

  // -----------------------------------------------------------------------------------------
  // Allocation

  private allocate(call: string, size: number, zero: boolean): number {
    if (!this.writable) throw this.readOnly(call);
    if (this.g >= 0 && size <= LARGEST) {
      const c = classFor(size);
      const p = this.pop(call, c);
      if (p !== 0) {
        if (zero) this.zero(p, size, call);
        return p;
      }
      return this.refill(call, size, c, zero);
    }
    this.enter(call);
    try {
      return this.retry(size, () => (zero ? this.heap.calloc(1, size) : this.heap.malloc(size)));
    } finally {
      this.leave();
    }
  }

  /** Takes a cached block of class `c` without the pool's lock; 0 when there is none. */
  private pop(call: string, c: number): number {
    const g = this.g;
    const cu = this.cu;
    if (!this.leased || cu[g + S_REQUESTS] !== 0 || this.ci[W_STATE] !== LIVE) this.lease(call);
    const head = g + S_HEADS + c;
    const p = cu[head]!;
    if (p !== 0) {
      const u32 = this.words(p, call);
      cu[head] = u32[p >>> 2]!;
      u32[(p + 4) >>> 2] = 0;
      cu[g + S_COUNTS + c]! -= 1;
      cu[g + S_BYTES]! -= usableOf(c) + 4;
      this.hits += 1;
    }
    return p;
  }

  /**
   * Class `c` is empty: under the pool's lock, takes a block for the caller and up to
   * `REFILL − 1` more of the class for the cache, so that the lock is taken once per few
   * allocations of a class.
   */
  private refill(call: string, size: number, c: number, zero: boolean): number {
    const want = usableOf(c);
    let p: number;
    this.enter(call);
    try {
      p = this.retry(want, () => this.heap.malloc(want));
      if (p !== 0) this.withSlot(this.slot, call, (g) => this.stock(g, c, want));
    } finally {
      this.leave();
    }
    if (p !== 0 && zero) this.zero(p, size, call);
    return p;
  }

  /** Puts up to `REFILL − 1` new blocks of `want` bytes in the cache (lock and guard held). */
  private stock(g: number, c: number, want: number): void {
    const cu = this.cu;
    for (let k = 1; k < REFILL && cu[g + S_COUNTS + c]! < BIN_MAX / 2; k++) {
      // The heap may hand out one class more than asked (a remainder too small to split off).
      if (cu[g + S_BYTES]! + want + 12 > this.budget) return;
      const p = this.heap.malloc(want);
      if (p === 0) {
        this.cf[D_UNCOUNTED]! += 1;
        return;
      }
      // A block the heap could not trim to `want` may be one class larger: cache it there, or,
      // above the largest class, give it back (a refill and a flush, so the figures balance).
      const u = this.heap.liveSizeUnlocked(p);
      this.cf[(g >>> 1) + D_REFILLS]! += 1;
      if (u <= LARGEST) {
        this.link(g, p, u, 'malloc');
      } else {
        this.heap.free(p);
        this.cf[(g >>> 1) + D_FLUSHES]! += 1;
      }
    }
  }

  /**
   * Runs a heap allocation (lock held); when it fails and blocks wait in caches, empties every
   * cache into the heap and tries once more. The first failure is then not the caller's.
   */
  private retry(size: number, attempt: () => number): number {
    const p = attempt();
    if (p !== 0 || size > this.size || !this.anyCached()) return p;
    this.cf[D_UNCOUNTED]! += 1;
    this.drainAll();
    return attempt();
  }

  private zero(p: number, size: number, call: string): void {
    this.internal.ensure(p, size, call).u8.fill(0, p, p + size);
  }

  // -----------------------------------------------------------------------------------------
  // Release and resize

  private release(call: string, ptr: number): void {
    if (typeof ptr !== 'number') throw notAPointer(call, ptr);
    if (!this.writable) throw this.readOnly(call);
    if (this.g >= 0) {
      const u = this.heap.liveSizeUnlocked(ptr);
      if (u !== 0 && u <= LARGEST && !this.tagged(ptr, call) && this.push(call, ptr, u)) return;
    }
    this.enter(call);
    try {
      this.refuseCached(call, ptr);
      const u = this.heap.liveSizeUnlocked(ptr);
      const cached =
        this.g >= 0 &&
        u !== 0 &&
        u <= LARGEST &&
        this.withSlot(this.slot, call, (g) => {
          if (!this.room(g, u)) return false;
          this.link(g, ptr, u, call);
          return true;
        });
      if (!cached) this.heap.free(ptr);
    } finally {
      this.leave();
    }
  }

  /** Puts the live block `ptr` of `u` usable bytes in the cache without the pool's lock, if there is room. */
  private push(call: string, ptr: number, u: number): boolean {
    const g = this.g;
    const c = (u - SMALLEST) >>> 3;
    const cu = this.cu;
    if (!this.leased || cu[g + S_REQUESTS] !== 0 || this.ci[W_STATE] !== LIVE) this.lease(call);
    const room = cu[g + S_COUNTS + c]! < BIN_MAX && cu[g + S_BYTES]! + u + 4 <= this.budget;
    if (room) {
      this.link(g, ptr, u, call);
      this.pushes += 1;
    }
    return room;
  }

  /** Links the block `ptr` of `u` usable bytes into its class of this handle's slot, at `g` (guard held). */
  private link(g: number, ptr: number, u: number, call: string): void {
    const cu = this.cu;
    const c = (u - SMALLEST) >>> 3;
    const u32 = this.words(ptr, call);
    u32[ptr >>> 2] = cu[g + S_HEADS + c]!;
    u32[(ptr + 4) >>> 2] = this.tag;
    cu[g + S_HEADS + c] = ptr;
    cu[g + S_COUNTS + c]! += 1;
    cu[g + S_BYTES]! += u + 4;
  }

  /**
   * Makes room in the slot at `g` for a block of `u` usable bytes (lock and guard held): gives
   * half of a full class back to the heap, and the whole cache when it is over its budget. Counts
   * the push it makes room for. Returns false when even an empty cache cannot take the block.
   */
  private room(g: number, u: number): boolean {
    if (u + 4 > this.budget) return false;
    const c = (u - SMALLEST) >>> 3;
    const cu = this.cu;
    if (cu[g + S_COUNTS + c]! >= BIN_MAX) this.flushClass(g, c, BIN_MAX / 2);
    if (cu[g + S_BYTES]! + u + 4 > this.budget) this.flushSlot(g);
    this.cf[(g >>> 1) + D_PUSHES]! += 1;
    return true;
  }

  private lockedResize(ptr: number, size: number): number {
    this.enter('realloc');
    try {
      this.refuseCached('realloc', ptr);
      return this.retry(size, () => this.heap.realloc(ptr, size));
    } finally {
      this.leave();
    }
  }

  /** Whether the second payload word of the live block `ptr` carries a cache tag. */
  private tagged(ptr: number, call: string): boolean {
    return this.words(ptr, call)[(ptr + 4) >>> 2]! >>> 8 === TAG_HIGH;
  }

  /**
   * Throws an `InvalidPointerError` when `ptr` is a block waiting in a worker's cache: freed
   * already (lock held). A tag that the block's slot does not confirm is the program's data.
   */
  private refuseCached(call: string, ptr: number): void {
    const u = this.heap.liveSizeUnlocked(ptr);
    if (u === 0 || u > LARGEST || !this.tagged(ptr, call)) return;
    const i = this.words(ptr, call)[(ptr + 4) >>> 2]! & 0xff;
    if (i >= this.slots()) return;
    const c = (u - SMALLEST) >>> 3;
    const cached = this.withSlot(i, call, (g) => {
      let p = this.cu[g + S_HEADS + c]!;
      for (let n = this.cu[g + S_COUNTS + c]!; p !== 0 && n > 0; n--) {
        if (p === ptr) return true;
        p = this.words(p, call)[p >>> 2]!;
      }
      return false;
    });
    if (cached) {
      throw new InvalidPointerError(
        call,
        ptr,
        'already freed (double free): it waits in a worker cache of free blocks',
      );
    }
  }

  // -----------------------------------------------------------------------------------------
  // Caches as a whole (the pool's lock held)

  private anyCached(): boolean {
    for (let i = 0; i < this.slots(); i++) {
      if (Atomics.load(this.ci, slotWord(i) + S_BYTES) !== 0) return true;
    }
    return false;
  }

  /**
   * Empties every cache into the heap; a cache whose owner does not give it back within
   * `patience` milliseconds is left (`drain()` says so with a PoolBusyError).
   */
  private drainAll(patience = DRAIN_MS, call?: string): number {
    let n = 0;
    for (let i = 0; i < this.slots(); i++) {
      const done = this.trySlot(i, patience, (g) => this.flushSlot(g));
      if (done !== undefined) n += done.value;
      else if (call !== undefined) throw new PoolBusyError(call, this.id, i, patience);
    }
    return n;
  }

  private flushSlot(g: number): number {
    let n = 0;
    for (let c = 0; c < CLASSES; c++) n += this.flushClass(g, c, 0);
    return n;
  }

  /** Gives all but `keep` cached blocks of class `c` of the slot at `g` back to the heap. */
  private flushClass(g: number, c: number, keep: number): number {
    const cu = this.cu;
    let p = cu[g + S_HEADS + c]!;
    let n = cu[g + S_COUNTS + c]!;
    let freed = 0;
    while (n > keep && p !== 0) {
      const u32 = this.words(p, 'drain');
      const next = u32[p >>> 2]!;
      u32[(p + 4) >>> 2] = 0;
      this.heap.free(p);
      p = next;
      n -= 1;
      freed += 1;
    }
    cu[g + S_HEADS + c] = p;
    cu[g + S_COUNTS + c] = n;
    cu[g + S_BYTES]! -= freed * (usableOf(c) + 4);
    this.cf[(g >>> 1) + D_FLUSHES]! += freed;
    return freed;
  }

  /** The internal views' words, reaching the 8 bytes at `p`. */
  private words(p: number, call: string): Uint32Array {
    const v = this.internal.views;
    this.m32 = v.u32;
    return p + 8 <= v.u8.length ? v.u32 : (this.m32 = this.internal.ensure(p, 8, call).u32);
  }

  private measure(h: HeapStats): PoolStats {
    let blocks = 0;
    let bytes = 0;
    let hits = 0;
    let pushes = 0;
    let refills = 0;
    let flushes = 0;
    let reallocs = 0;
    let workers = 0;
    for (let i = 0; i < this.slots(); i++) {
      this.withSlot(i, 'stats', (g) => {
        const d = g >>> 1;
        if (this.cu[g + S_OWNER] !== 0) workers += 1;
        for (let c = 0; c < CLASSES; c++) blocks += this.cu[g + S_COUNTS + c]!;
        bytes += this.cu[g + S_BYTES]!;
        hits += this.cf[d + D_HITS]!;
        pushes += this.cf[d + D_PUSHES]!;
        refills += this.cf[d + D_REFILLS]!;
        flushes += this.cf[d + D_FLUSHES]!;
        reallocs += this.cf[d + D_REALLOCS]!;
      });
    }
    return {
      poolBytes: this.size,
      committedBytes: h.heapBytes,
      controlBytes: h.controlBytes,
      liveBytes: h.liveBytes - bytes,
      liveBlocks: h.liveBlocks - blocks,
      cachedBytes: bytes,
      cachedBlocks: blocks,
      freeBytes: h.freeBytes,
      freeBlocks: h.freeBlocks,
      largestFree: h.largestFree,
      highWater: h.highWater,
      mallocs: h.mallocs - refills + hits,
      frees: h.frees - flushes + pushes,
      reallocs: h.reallocs + reallocs,
      failures: h.failures - this.cf[D_UNCOUNTED]!,
      workers,
    };
  }

  /** Checks one cache slot (lock and guard held); `seen` gathers the cached blocks of all. */
  private checkSlot(i: number, g: number, seen: Set<number>): void {
    const cu = this.cu;
    const d = g >>> 1;
    const fail = (address: number, problem: string): never => {
      throw new HeapCorruptionError(address, `pool ${this.id}, worker cache ${i}: ${problem}`);
    };
    let blocks = 0;
    let bytes = 0;
    for (let c = 0; c < CLASSES; c++) {
      let n = 0;
      for (let p = cu[g + S_HEADS + c]!; p !== 0; p = this.words(p, 'check')[p >>> 2]!) {
        if (n >= BIN_MAX) fail(p, `class ${c} holds more than ${BIN_MAX} blocks (a cycle?)`);
        if (seen.has(p)) fail(p, 'a block is cached twice');
        seen.add(p);
        const u = this.heap.liveSizeUnlocked(p);
        if (u !== usableOf(c))
          fail(p, `block of class ${c} is not a live block of ${usableOf(c)} bytes`);
        if (this.words(p, 'check')[(p + 4) >>> 2] !== (TAG | i) >>> 0)
          fail(p, 'cached block does not carry its cache tag');
        n += 1;
      }
      if (cu[g + S_COUNTS + c] !== n)
        fail(this.base, `class ${c} counts ${cu[g + S_COUNTS + c]} blocks, holds ${n}`);
      blocks += n;
      bytes += n * (usableOf(c) + 4);
    }
    if (cu[g + S_BYTES] !== bytes)
      fail(this.base, `counts ${cu[g + S_BYTES]} cached bytes, holds ${bytes}`);
    if (bytes > this.budget)
      fail(this.base, `holds ${bytes} bytes, above its budget ${this.budget}`);
    const counted =
      this.cf[d + D_PUSHES]! +
      this.cf[d + D_REFILLS]! -
      this.cf[d + D_HITS]! -
      this.cf[d + D_FLUSHES]!;
    if (counted !== blocks)
      fail(this.base, `its counters say ${counted} cached blocks, it holds ${blocks}`);
    if (cu[g + S_OWNER] === 0 && blocks !== 0) fail(this.base, 'a free slot holds blocks');
  }
}

/** Sets the program's memory of a handle to its protection. */
const protectMemory = (memory: Memory, id: number, protection: number): void => {
  const read = (protection & B_READ_AREA) !== 0;
  const write = (protection & B_WRITE_AREA) !== 0;
  if (read && write) return;
  const missing = [read ? '' : 'B_READ_AREA', write ? '' : 'B_WRITE_AREA'].filter((s) => s !== '');
  memory.protect({ read, write, reason: `pool ${id} has no ${missing.join(' nor ')}` });
};
