/**
 * `Foreign.Marshal.Alloc`: `alloca` and its kin on the context's LIFO stack, released in
 * `finally`; `malloc`, `calloc`, `realloc` and `free` through the context's allocator.
 *
 * As the Haskell 2010 report says, an allocation that cannot be met gives `nullPtr` (GHC throws
 * instead); the `either` flavours return an {@link AllocationError} on the left, and
 * `throwIfNull` turns a `nullPtr` into an error. Sizes that are not non-negative safe integers
 * and alignments that are not powers of two are `RangeError`s when the program runs.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import { checkSize } from '../../heap/arguments.js';
import { InvalidPointerError } from '../../heap/errors.js';
import { writableBytesAt } from '../access.js';
import { synchronous } from '../synchronous.js';
import type { Context } from '../context.js';
import type { FinalizerPtr } from '../finalizer.js';
import { ownersOf } from '../owners.js';
import { nullPtr, type Ptr } from '../ptr.js';
import type { Storable } from '../storable.js';
import { AllocationError } from './errors.js';

/** The alignment every allocator gives without asking: 8 bytes. */
const MALLOC_ALIGNMENT = 8;

/**
 * The `either` flavour of an allocating program: `io`'s pointer on the right, or, when it is
 * `nullPtr`, an {@link AllocationError} naming `call` and the `size()` bytes asked for on the
 * left (`size` is called only then). Errors `io` throws are thrown, not turned into `Left`s.
 *
 * @category combinators
 * @since 0.1.0
 */
export const orError =
  <A>(call: string, size: () => number, io: IO<Ptr<A>>): IOEither<AllocationError, Ptr<A>> =>
  () => {
    const p = io();
    return p === nullPtr ? E.left(new AllocationError(call, size())) : E.right(p);
  };

/**
 * `size` bytes aligned to `align` (a power of two) from the context's allocator, zeroed when
 * `zero`, or 0 when the allocator cannot give them: `malloc`/`calloc` up to 8 bytes of
 * alignment, `alignedAlloc` above. Throws a `RangeError` naming `call` for a bad size, and when
 * the alignment is above 8 and the allocator has no `alignedAlloc`. The allocation of
 * `Foreign.Marshal.Alloc` and `.Array`.
 *
 * @category utils
 * @since 0.1.0
 */
export const allocateAligned = (
  ctx: Context,
  call: string,
  size: number,
  align: number,
  zero: boolean,
): number => {
  const { allocator } = ctx;
  checkSize(call, 'size', size);
  if (align <= MALLOC_ALIGNMENT) return zero ? allocator.calloc(1, size) : allocator.malloc(size);
  if (allocator.alignedAlloc === undefined) {
    throw new RangeError(
      `${call}: alignment ${align} is above what the context's allocator gives (8)`,
    );
  }
  const p = allocator.alignedAlloc(align, size);
  if (p !== 0 && zero) writableBytesAt(ctx.memory, call, p, size).u8.fill(0, p, p + size);
  return p;
};

/**
 * The functions of `Foreign.Marshal.Alloc` bound to a context.
 *
 * @category constructors
 * @since 0.1.0
 */
export const marshalAlloc = (ctx: Context) => {
  const { allocator, stack } = ctx;

  const allocate = (call: string, size: number, align: number, zero: boolean): number =>
    allocateAligned(ctx, call, size, align, zero);

  const owners = ownersOf(ctx);

  /**
   * Refuses an address handed out by alloca (the stack releases it itself), and a block owned
   * by a pool, an asynchronous bracket or a `using` scope (they free it themselves).
   */
  const notFromAlloca = (call: string, p: number): void => {
    if (p !== 0 && stack.owns(p)) {
      throw new InvalidPointerError(
        call,
        p,
        'it was allocated by alloca, which releases it when its body ends',
      );
    }
    const owner = owners.size > 0 ? owners.get(p) : undefined;
    if (owner !== undefined) throw new InvalidPointerError(call, p, owner);
  };

  const allocaBytesAligned =
    <B, A = any>(size: number, align: number, f: (p: Ptr<A>) => IO<B>): IO<B> =>
    () => {
      const mark = stack.mark();
      try {
        return synchronous('alloca', f(stack.alloc(size, align) as Ptr<A>)());
      } finally {
        stack.release(mark);
      }
    };

  const mallocBytes =
    <A = any>(size: number): IO<Ptr<A>> =>
    () =>
      allocate('mallocBytes', size, MALLOC_ALIGNMENT, false) as Ptr<A>;

  const callocBytes =
    <A = any>(size: number): IO<Ptr<A>> =>
    () =>
      allocate('callocBytes', size, MALLOC_ALIGNMENT, true) as Ptr<A>;

  const reallocBytes =
    <A>(p: Ptr<A>, size: number): IO<Ptr<A>> =>
    () => {
      checkSize('reallocBytes', 'size', size);
      notFromAlloca('reallocBytes', p);
      return allocator.realloc(p, size) as Ptr<A>;
    };

  const free =
    (p: Ptr<any>): IO<void> =>
    () => {
      notFromAlloca('free', p);
      allocator.free(p);
    };

  return {
    /**
     * Runs `f` with a pointer to room for one value of `S` (its size and alignment), released
     * when `f`'s program ends: it returns, throws, or returns a `Left`. Haskell: `alloca`.
     * The pointer must not be used after that; `free` of it is an `InvalidPointerError`.
     */
    alloca: <A, B>(S: Storable<A>, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      allocaBytesAligned(S.sizeOf, S.alignment, f),

    /**
     * Runs `f` with `size` temporary bytes aligned for any scalar (8), released when `f`'s
     * program ends. Haskell does not check `size`; here a bad one is a `RangeError`. A size of
     * 0 gives a valid, distinct pointer.
     */
    allocaBytes: <B, A = any>(size: number, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      allocaBytesAligned(size, MALLOC_ALIGNMENT, f),

    /**
     * As `allocaBytes` with an explicit alignment, a power of two (GHC lets 0 through; here it
     * is a `RangeError` like every other non-power of two).
     */
    allocaBytesAligned,

    /** Room for one value of `S` from the allocator, or `nullPtr`. Free it with `free`. */
    malloc:
      <A>(S: Storable<A>): IO<Ptr<A>> =>
      () =>
        allocate('malloc', S.sizeOf, S.alignment, false) as Ptr<A>,

    /**
     * `size` bytes from the allocator, 8-aligned, or `nullPtr`. `mallocBytes(0)` is a unique
     * pointer that must be freed.
     */
    mallocBytes,

    /** As `malloc`, zeroed. */
    calloc:
      <A>(S: Storable<A>): IO<Ptr<A>> =>
      () =>
        allocate('calloc', S.sizeOf, S.alignment, true) as Ptr<A>,

    /** As `mallocBytes`, zeroed. */
    callocBytes,

    /**
     * Resizes the block at `p` to hold one value of `S`, keeping the contents up to the smaller
     * size; `nullPtr` in is `malloc`. Returns the new pointer (the old one is dead), or `nullPtr`
     * with `p` still valid. A type aligned above 8 bytes is a `RangeError` here: a moved block
     * keeps only 8-byte alignment.
     */
    realloc:
      <A, B>(S: Storable<B>, p: Ptr<A>): IO<Ptr<B>> =>
      () => {
        if (S.alignment > MALLOC_ALIGNMENT) {
          throw new RangeError(
            `realloc: ${S.name} needs alignment ${S.alignment}; a moved block keeps only 8`,
          );
        }
        return reallocBytes(p, S.sizeOf)() as unknown as Ptr<B>;
      },

    /**
     * Resizes the block at `p` to `size` bytes. Size 0 frees `p` and returns `nullPtr`;
     * `nullPtr` in is `mallocBytes`. On failure returns `nullPtr` and `p` stays valid.
     * A pointer from `alloca` is an `InvalidPointerError` (undefined in Haskell), and so is a
     * block owned by a pool (use `pooledReallocBytes`), an asynchronous bracket or a `using`
     * scope.
     */
    reallocBytes,

    /**
     * Frees a block from `malloc`, `new`, `newArray`, `newCString`, … `free(nullPtr)` does
     * nothing. A pointer that is not a live block, or one from `alloca`, is an
     * `InvalidPointerError` and nothing is freed (undefined in Haskell). So is a block that
     * something else frees: a pool's (`freePool`), an asynchronous bracket's, a `using`
     * scope's; the error names the owner.
     */
    free,

    /** The finalizer that frees through this context's allocator, for `newForeignPtr`. */
    finalizerFree: {
      name: 'finalizerFree',
      finalize: (p: Ptr<any>) => free(p)(),
    } as FinalizerPtr<any>,

    /** The allocations with an {@link AllocationError} on the left instead of `nullPtr`. */
    either: {
      malloc: <A>(S: Storable<A>): IOEither<AllocationError, Ptr<A>> =>
        orError(
          'malloc',
          () => S.sizeOf,
          () => allocate('malloc', S.sizeOf, S.alignment, false) as Ptr<A>,
        ),
      mallocBytes: <A = any>(size: number): IOEither<AllocationError, Ptr<A>> =>
        orError('mallocBytes', () => size, mallocBytes<A>(size)),
      calloc: <A>(S: Storable<A>): IOEither<AllocationError, Ptr<A>> =>
        orError(
          'calloc',
          () => S.sizeOf,
          () => allocate('calloc', S.sizeOf, S.alignment, true) as Ptr<A>,
        ),
      callocBytes: <A = any>(size: number): IOEither<AllocationError, Ptr<A>> =>
        orError('callocBytes', () => size, callocBytes<A>(size)),
      reallocBytes: <A>(p: Ptr<A>, size: number): IOEither<AllocationError, Ptr<A>> =>
        size === 0
          ? () => E.right(reallocBytes(p, 0)())
          : orError('reallocBytes', () => size, reallocBytes(p, size)),
      /** Runs `f` with room for a value of `S`, or returns `Left` without running it. */
      alloca:
        <A, B>(S: Storable<A>, f: (p: Ptr<A>) => IO<B>): IOEither<AllocationError, B> =>
        () =>
          allocaBytesAligned(
            S.sizeOf,
            S.alignment,
            (p: Ptr<A>): IO<E.Either<AllocationError, B>> =>
              () =>
                p === nullPtr ? E.left(new AllocationError('alloca', S.sizeOf)) : E.right(f(p)()),
          )(),
    },
  };
};

/**
 * The functions of `Foreign.Marshal.Alloc` bound to a context.
 *
 * @category model
 * @since 0.1.0
 */
export type MarshalAlloc = ReturnType<typeof marshalAlloc>;
