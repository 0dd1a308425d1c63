/**
 * `Foreign.Marshal.Pool`: allocations that belong to a {@link Pool} and are all freed together,
 * when the pool is freed (`freePool`), when `withPool`'s body ends, or when a `using` scope
 * holding the pool ends.
 *
 * The blocks come from the pool's context's allocator, one block per allocation, as in GHC's
 * older implementation (an `IORef` of `malloc`ed pointers), not from an arena as in recent GHC.
 * So:
 *
 * - every pooled pointer is aligned for its type (8 bytes for the `Bytes` forms; recent GHC
 *   gives only 8, older GHC `malloc`'s 16), also above 16 bytes;
 * - `pooledRealloc` keeps the first `min(old, new)` bytes and never reads past the old block
 *   (recent GHC copies the *new* size out of the old block, an over-read), and the old block
 *   is released at once rather than at `freePool`;
 * - `pooledRealloc` of a pointer that is not in the pool is a {@link PoolError}, as in older GHC
 *   (`user error (pointer not in pool)`); recent GHC does not check;
 * - an allocation that cannot be met gives `nullPtr`, as every allocation of the Haskell 2010
 *   report (GHC throws, or the RTS aborts), and nothing is added to the pool;
 * - a pooled block is the pool's: `free` or `reallocBytes` of it is an `InvalidPointerError`
 *   (undefined in Haskell, where the pool would free it a second time).
 *
 * The `pooled*` functions and `freePool` take the pool (which knows its context) and need no
 * context; `newPool` and `withPool` are bound to one, in `foreign(ctx)` and at the package root.
 * The argument order is Haskell's with the instance first, as everywhere in this library:
 * `pooledMalloc(S, pool)`, `pooledNew(S, pool, value)`, `pooledReallocArray(S, pool, p, n)`.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import { MALLOC_ALIGNMENT, checkSize } from '../../arguments/index.js';
import {
  bytesAt,
  marshalErrorOf,
  storableArg,
  writableBytesAt,
  type Storable,
} from '../storable/index.js';
import {
  POOL,
  allocateAligned,
  allocateFilled,
  checkContext,
  freeFor,
  ownershipOf,
  reallocFor,
  releaseOwned,
  type Context,
  type Ownership,
} from '../../interface/index.js';
import {
  asyncDisposeKey,
  disposeKey,
  disposeNow,
  type AsyncReleasable,
  type Releasable,
} from '../../dispose/index.js';
import { arrayBytes, checkArray, writeArray } from './array.js';
import { checkPtr, nullPtr, type Ptr } from '../ptr.js';
import { programOf, synchronous } from './synchronous.js';

/**
 * A misuse of a pool: a pool used or freed after it was freed, or a pointer given to
 * `pooledRealloc` that is not in the pool. Nothing has changed when it is thrown.
 *
 * @category errors
 * @since 0.1.0
 */
export class PoolError extends Error {
  override readonly name = 'PoolError';
  constructor(
    /** The function that was called. */
    readonly call: string,
    /** What is wrong. */
    readonly reason: string,
  ) {
    super(`${call}: ${reason}`);
  }
}

/**
 * A pool of allocations, freed together (Haskell's `Pool`). Made by `newPool` or `withPool`;
 * freed by `freePool`, at the end of `withPool`, or by `using` (`using pool = newPool()()`:
 * it is `Disposable`, and disposing a pool that is already freed does nothing).
 *
 * @category model
 * @since 0.1.0
 */
export class Pool implements Releasable, AsyncReleasable {
  /** @internal The live blocks, in the order they were allocated: address → bytes asked for. */
  readonly blocks = new Map<number, number>();
  /** @internal Whether the pool has not been freed. */
  open = true;

  /** @internal Made by `newPool` and `withPool`. */
  constructor(
    /** The context whose allocator the pool's blocks come from. */
    readonly context: Context,
    /** @internal The ownership record of the context's memory. */
    readonly ownership: Ownership,
  ) {}

  /** Whether the pool has been freed. */
  get freed(): boolean {
    return !this.open;
  }

  /** The number of blocks in the pool (0 once it is freed). */
  get size(): number {
    return this.blocks.size;
  }

  /** Frees the pool unless it is already freed (for `using`); errors as `freePool`. */
  [disposeKey](): void {
    if (this.open) release('Pool[Symbol.dispose]', this);
  }

  /** As `[Symbol.dispose]`, for `await using`. */
  [asyncDisposeKey](): Promise<void> {
    return disposeNow(() => this[disposeKey]());
  }
}

/** `pool` when it is a pool that has not been freed; throws otherwise. */
const live = (call: string, pool: Pool): Pool => {
  if (!(pool instanceof Pool)) throw new TypeError(`${call}: ${String(pool)} is not a Pool`);
  if (!pool.open) throw new PoolError(call, 'the pool has been freed');
  return pool;
};

/**
 * Frees every block of `pool`, the latest first, all of them even if some fail; the errors
 * name `call`.
 *
 * @internal
 */
export const release = (call: string, pool: Pool): void => {
  pool.open = false;
  const addresses = [...pool.blocks.keys()].reverse();
  pool.blocks.clear();
  const errors: unknown[] = [];
  for (const p of addresses) {
    try {
      releaseOwned(pool.context, call, p);
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new AggregateError(errors, `${call}: ${errors.length} blocks could not be freed`);
  }
};

/** Records the block `p` (unless it is `nullPtr`) as the pool's, of `size` bytes. */
const adopt = (pool: Pool, p: number, size: number): number => {
  if (p !== nullPtr) {
    pool.blocks.set(p, size);
    pool.ownership.take(p, POOL);
  }
  return p;
};

/**
 * `size` bytes aligned to `align` in `pool`, or `nullPtr`; with `fill`, written by it (the block
 * is freed, not kept, when `fill` throws).
 */
const allocateIn = (
  call: string,
  pool: Pool,
  size: number | bigint,
  align: number,
  fill?: (p: number) => void,
): number => {
  live(call, pool);
  const n = checkSize(call, 'size', size);
  const ctx = pool.context;
  return adopt(
    pool,
    fill === undefined
      ? allocateAligned(ctx, call, n, align, false)
      : allocateFilled(ctx, call, n, align, fill),
    n,
  );
};

/** The error for a pointer that is not in `pool`, saying what it is when that is known. */
const notInPool = (call: string, pool: Pool, p: number): PoolError => {
  const owner = pool.ownership.ownerOf(p);
  const what =
    owner.kind === 'pool'
      ? ' (it belongs to another pool)'
      : owner.kind === 'caller'
        ? ''
        : ` (${owner.reason})`;
  return new PoolError(call, `pointer ${p} not in pool${what}`);
};

/**
 * Resizes the pooled block `p` to `size` bytes aligned to `align`, keeping `min(old, size)`
 * bytes. Size 0 frees it (it leaves the pool) and gives `nullPtr`; failure gives `nullPtr` and
 * leaves `p` in the pool, unchanged.
 */
const reallocIn = (
  call: string,
  pool: Pool,
  p: number,
  bytes: number | bigint,
  align: number,
): number => {
  live(call, pool);
  const size = checkSize(call, 'size', bytes);
  checkPtr(call, p);
  const old = pool.blocks.get(p);
  if (old === undefined) throw notInPool(call, pool, p);
  const { allocator, memory } = pool.context;
  if (size === 0) {
    pool.blocks.delete(p);
    releaseOwned(pool.context, call, p);
    return nullPtr;
  }
  let q: number;
  if (align <= MALLOC_ALIGNMENT) {
    q = reallocFor(allocator, call, p, size); // copies min(old, new): never past the old block
  } else {
    // The allocator's realloc keeps only 8-byte alignment when it moves a block: move it here.
    q = allocateAligned(pool.context, call, size, align, false);
    if (q !== nullPtr) {
      const keep = Math.min(old, size);
      try {
        bytesAt(memory, call, p, keep);
        writableBytesAt(memory, call, q, keep).u8.copyWithin(q, p, p + keep);
      } catch (e) {
        freeFor(allocator, call, q); // a memory that refuses the copy: `p` stays as it was
        throw e;
      }
      freeFor(allocator, call, p);
    }
  }
  if (q === nullPtr) return nullPtr;
  pool.blocks.delete(p);
  pool.ownership.disown(p);
  return adopt(pool, q, size);
};

/**
 * Frees every block of the pool, the latest allocated first, and the pool with them (Haskell's
 * `freePool`). Every pointer the pool handed out is dead afterwards.
 *
 * Freeing a pool twice, or a pool `withPool` has freed, is a {@link PoolError} (in Haskell it
 * frees every block again: undefined). Disposing a freed pool (`using`) does nothing. If the
 * allocator refuses a block (it was freed behind the pool's back, through the heap itself), the
 * other blocks are still freed and then the error is thrown (an `AggregateError` for several).
 *
 * @category pools
 * @since 0.1.0
 */
export const freePool =
  (pool: Pool): IO<void> =>
  () => {
    if (pool instanceof Pool && !pool.open) {
      throw new PoolError('freePool', 'the pool has already been freed');
    }
    release('freePool', live('freePool', pool));
  };

/**
 * Room for one value of `S` in the pool, aligned for `S` (Haskell's `pooledMalloc`), or
 * `nullPtr` when the allocator cannot give it; then nothing is added to the pool. The contents
 * are undefined. A freed pool is a {@link PoolError}.
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledMalloc =
  <A>(S: Storable<A>, pool: Pool): IO<Ptr<A>> =>
  () =>
    allocateIn('pooledMalloc', pool, storableArg('pooledMalloc', S).sizeOf, S.alignment) as Ptr<A>;

/**
 * `size` bytes in the pool, 8-aligned (Haskell's `pooledMallocBytes`), or `nullPtr`. Size 0
 * gives a unique pointer, freed with the pool. A size that is not a non-negative safe integer
 * is a `RangeError` (Haskell does not check); a freed pool is a {@link PoolError}.
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledMallocBytes =
  <A = any>(pool: Pool, size: number | bigint): IO<Ptr<A>> =>
  () =>
    allocateIn('pooledMallocBytes', pool, size, MALLOC_ALIGNMENT) as Ptr<A>;

/**
 * Resizes the pooled block `p` to hold one value of `S` (Haskell's `pooledRealloc`). See
 * {@link pooledReallocBytes}; a type aligned above 8 bytes keeps its alignment (the block is
 * moved to an aligned one when it must move).
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledRealloc =
  <A>(S: Storable<A>, pool: Pool, p: Ptr<A>): IO<Ptr<A>> =>
  () =>
    reallocIn(
      'pooledRealloc',
      pool,
      p,
      storableArg('pooledRealloc', S).sizeOf,
      S.alignment,
    ) as Ptr<A>;

/**
 * Resizes the pooled block `p` to `size` bytes (Haskell's `pooledReallocBytes`) and returns its
 * address, which may be new; the old pointer is then dead. The first `min(old, new)` bytes are
 * kept, and nothing past the old block is read (recent GHC copies `size` bytes out of the old
 * block). The block stays in the pool.
 *
 * - Size 0 frees the block, which leaves the pool, and returns `nullPtr` (as `reallocBytes`).
 * - When the allocator cannot meet it: `nullPtr`, and `p` is still valid, unchanged, pooled.
 * - A `p` not in this pool (`nullPtr` included) is a {@link PoolError}
 *   `pointer P not in pool`, as older GHC's `user error (pointer not in pool)`; a freed pool is
 *   a {@link PoolError}; a bad size, a `RangeError`. Nothing changes then.
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledReallocBytes =
  <A>(pool: Pool, p: Ptr<A>, size: number | bigint): IO<Ptr<A>> =>
  () =>
    reallocIn('pooledReallocBytes', pool, p, size, MALLOC_ALIGNMENT) as Ptr<A>;

/** `n` elements of `S` (and a terminator when `extra` is 1) in the pool, or `nullPtr`. */
const mallocArrayIn = <A>(
  call: string,
  S: Storable<A>,
  pool: Pool,
  n: number | bigint,
  extra: 0 | 1,
): Ptr<A> => allocateIn(call, pool, arrayBytes(call, S, n, extra), S.alignment) as Ptr<A>;

/** The pooled array `p` resized to `n` elements of `S` (and a terminator when `extra` is 1). */
const reallocArrayIn = <A>(
  call: string,
  S: Storable<A>,
  pool: Pool,
  p: Ptr<A>,
  n: number | bigint,
  extra: 0 | 1,
): Ptr<A> => reallocIn(call, pool, p, arrayBytes(call, S, n, extra), S.alignment) as Ptr<A>;

/**
 * Room for `n` elements of `S` in the pool, aligned for `S` (Haskell's `pooledMallocArray`), or
 * `nullPtr`. `n` not a non-negative safe integer, or `n * sizeOf(S)` overflowing, is a
 * `RangeError` (Haskell does not check), before anything is allocated.
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledMallocArray =
  <A>(S: Storable<A>, pool: Pool, n: number | bigint): IO<Ptr<A>> =>
  () =>
    mallocArrayIn('pooledMallocArray', S, pool, n, 0);

/**
 * As {@link pooledMallocArray}, with room for one more element: the terminator.
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledMallocArray0 =
  <A>(S: Storable<A>, pool: Pool, n: number | bigint): IO<Ptr<A>> =>
  () =>
    mallocArrayIn('pooledMallocArray0', S, pool, n, 1);

/**
 * Resizes the pooled array `p` to `n` elements of `S`, keeping the first `min(old, n)`
 * (Haskell's `pooledReallocArray`). `n = 0` frees it and returns `nullPtr`; otherwise as
 * {@link pooledReallocBytes}, with the alignment of `S` kept.
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledReallocArray =
  <A>(S: Storable<A>, pool: Pool, p: Ptr<A>, n: number | bigint): IO<Ptr<A>> =>
  () =>
    reallocArrayIn('pooledReallocArray', S, pool, p, n, 0);

/**
 * As {@link pooledReallocArray}, with room for one more element: the terminator (never frees).
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledReallocArray0 =
  <A>(S: Storable<A>, pool: Pool, p: Ptr<A>, n: number | bigint): IO<Ptr<A>> =>
  () =>
    reallocArrayIn('pooledReallocArray0', S, pool, p, n, 1);

/**
 * Allocates room for `a` in the pool and stores it there (Haskell's `pooledNew`). Returns
 * `nullPtr` when the allocation fails. A value that does not fit `S` is a `MarshalError`, and
 * then nothing is allocated; a freed pool is a {@link PoolError}.
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledNew =
  <A>(S: Storable<A>, pool: Pool, a: A): IO<Ptr<A>> =>
  () => {
    live('pooledNew', pool);
    if (!storableArg('pooledNew', S).codec.is(a)) throw marshalErrorOf('pooledNew', S.codec, a);
    const memory = pool.context.memory;
    return allocateIn('pooledNew', pool, S.sizeOf, S.alignment, (p) =>
      S.write(writableBytesAt(memory, 'pooledNew', p, S.sizeOf), p, a),
    ) as Ptr<A>;
  };

/** `xs` (then `marker`) in a new pooled array, checked first; `nullPtr` on failure. */
const newArrayIn = <A>(
  call: string,
  S: Storable<A>,
  pool: Pool,
  xs: readonly A[],
  marker?: { readonly value: A },
): Ptr<A> => {
  live(call, pool);
  const bytes = checkArray(call, S, xs, marker);
  return allocateIn(call, pool, bytes, S.alignment, (p) =>
    writeArray(pool.context.memory, call, S, p, bytes, xs, marker),
  ) as Ptr<A>;
};

/**
 * Allocates an array for `xs` in the pool and writes the elements there (Haskell's
 * `pooledNewArray`); `nullPtr` when the allocation fails. Every element is validated first: one
 * that does not fit `S` is a `MarshalError` naming it (`[3]`, `[3].x`), and nothing is
 * allocated.
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledNewArray =
  <A>(S: Storable<A>, pool: Pool, xs: readonly A[]): IO<Ptr<A>> =>
  () =>
    newArrayIn('pooledNewArray', S, pool, xs);

/**
 * As {@link pooledNewArray}, with `marker` written after the elements (Haskell's
 * `pooledNewArray0`; a marker that does not fit is a `MarshalError` at `marker`).
 *
 * @category pools
 * @since 0.1.0
 */
export const pooledNewArray0 =
  <A>(S: Storable<A>, pool: Pool, marker: A, xs: readonly A[]): IO<Ptr<A>> =>
  () =>
    newArrayIn('pooledNewArray0', S, pool, xs, { value: marker });

/**
 * The functions of `Foreign.Marshal.Pool` bound to a context: what {@link marshalPool} returns.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarshalPool {
  /**
   * A new, empty pool over the context's allocator (Haskell's `newPool`). Free it with
   * `freePool`, or declare it with `using` (`using pool = newPool()()`). A pool that is never
   * freed leaks its blocks, like `malloc` without `free`: pools have no finalizer, and
   * `shutdown` does not free them.
   */
  readonly newPool: () => IO<Pool>;
  /**
   * Runs `f` with a new pool and frees the pool, with every block in it, when `f`'s program
   * ends: when it returns (a `Left` too) or throws; the exception passes through (Haskell's
   * `withPool`). If `f` frees the pool itself, nothing more is done. The pointers must not
   * be used afterwards.
   *
   * The body is synchronous: a body that returns a promise is a `TypeError` (its pool would
   * be freed before the promise settles). For asynchronous bodies use `task.withPool`.
   */
  readonly withPool: <B>(f: (pool: Pool) => IO<B>) => IO<B>;
}

/**
 * The functions of `Foreign.Marshal.Pool` that make pools, bound to a context: the pools'
 * blocks come from its allocator.
 *
 * @category constructors
 * @since 0.1.0
 */
export const marshalPool = (ctx: Context): MarshalPool => {
  const ownership = ownershipOf(checkContext('marshalPool', ctx).memory);
  return {
    newPool: (): IO<Pool> => () => new Pool(ctx, ownership),

    withPool:
      <B>(f: (pool: Pool) => IO<B>): IO<B> =>
      () => {
        const pool = new Pool(ctx, ownership);
        try {
          return synchronous('withPool', programOf('withPool', 'the body', f, pool)());
        } finally {
          if (pool.open) release('withPool', pool);
        }
      },
  };
};
