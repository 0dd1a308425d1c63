/**
 * `Foreign.Marshal.Alloc`: `alloca` and its kin on the context's LIFO stack, released in
 * `finally`; `malloc`, `calloc`, `realloc` and `free` through the context's allocator.
 *
 * As the Haskell 2010 report says, an allocation that cannot be met gives `nullPtr` (GHC throws
 * instead); the `either` flavours return an {@link AllocationError} on the left, and
 * `throwIfNull` turns a `nullPtr` into an error. Sizes that are not non-negative safe integers
 * and alignments that are not powers of two are `RangeError`s when the program runs; an instance
 * that is not one, or a body that is not a function returning a program, a `TypeError` naming the
 * call.
 *
 * @since 0.1.0
 */
import * as E from 'fp-ts/lib/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import { bigintAddress, checkSize } from '../../heap/arguments.js';
import { InvalidPointerError } from '../../heap/errors.js';
import type { Stack } from '../../heap/stack.js';
import { writableBytesAt } from '../access.js';
import { programOf, synchronous } from '../synchronous.js';
import { checkContext, type Allocator, type Context } from '../context.js';
import type { FinalizerPtr } from '../finalizer.js';
import { ownersOf } from '../owners.js';
import { nullPtr, type Ptr } from '../ptr.js';
import { storableArg, type Storable } from '../storable.js';
import { AllocationError } from './errors.js';

/**
 * The alignment every allocator gives without asking: 8 bytes.
 *
 * @internal
 */
export const MALLOC_ALIGNMENT = 8;

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
  size: number | bigint,
  align: number,
  zero: boolean,
): number => {
  const { allocator } = ctx;
  size = checkSize(call, 'size', size);
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
 * {@link allocateAligned} (not zeroed), then `fill` writes the block's contents: the block, or
 * 0 when the allocator cannot give it. When `fill` throws, the block is freed before the error
 * goes on, so nothing is leaked (a memory that refuses the write: an area pool handle without
 * `B_WRITE_AREA`). The allocation of `new`, `newArray` and `newCString`.
 *
 * @internal
 */
export const allocateFilled = (
  ctx: Context,
  call: string,
  size: number,
  align: number,
  fill: (p: number) => void,
): number => {
  const p = allocateAligned(ctx, call, size, align, false);
  if (p === 0) return p;
  try {
    fill(p);
  } catch (e) {
    ctx.allocator.free(p);
    throw e;
  }
  return p;
};

/**
 * Runs `f` with `size` bytes aligned to `align` from the alloca `stack` (`nullPtr` when neither
 * the stack nor the heap can give them) and releases them when `f`'s program ends: it returns,
 * throws, or returns a `Left`. The bracket under `alloca`, `allocaBytes`, `allocaArray` and the
 * `with*` family: a bad size or alignment is a `RangeError` naming `call`; a body that is not a
 * function returning a program, or whose program returns a promise, a `TypeError` naming `call`.
 *
 * @internal
 */
export const allocaRun = <A, B>(
  stack: Stack,
  call: string,
  size: number | bigint,
  align: number | bigint,
  f: (p: Ptr<A>) => IO<B>,
): B => {
  const mark = stack.mark();
  try {
    const p = stack.alloc(size, align, call) as Ptr<A>;
    return synchronous(call, programOf(call, 'the body', f, p)());
  } finally {
    stack.release(mark);
  }
};

/**
 * {@link allocaRun} for the brackets that hand over a value (`with`, `withArray`,
 * `withCString`, …): `fill` writes the value at the pointer, then `f` runs. When there is no
 * room it throws an {@link AllocationError} naming `call`, without running `fill` or `f` (there
 * is no pointer to hand over with the value in it).
 *
 * @internal
 */
export const allocaFilled = <A, B>(
  stack: Stack,
  call: string,
  size: number,
  align: number,
  fill: (p: Ptr<A>) => void,
  f: (p: Ptr<A>) => IO<B>,
): B =>
  allocaRun(stack, call, size, align, (p: Ptr<A>) => () => {
    if (p === nullPtr) throw new AllocationError(call, size);
    fill(p);
    return programOf(call, 'the body', f, p)();
  });

/**
 * Refuses, with an {@link InvalidPointerError} naming `call`, an address handed out by alloca
 * (the stack releases it itself) and a block owned by a pool, an asynchronous bracket or a
 * `using` scope (they free it themselves): the check of `free`, `reallocBytes` and
 * `reallocArray` before they hand `p` to the allocator.
 *
 * @internal
 */
export const checkReleasable = (ctx: Context, call: string, p: number): void => {
  if (typeof p === 'bigint') throw bigintAddress(call, 'pointer', p);
  if (p !== 0 && ctx.stack.owns(p)) {
    throw new InvalidPointerError(
      call,
      p,
      'it was allocated by alloca, which releases it when its body ends',
    );
  }
  const owners = ownersOf(ctx);
  const owner = owners.size > 0 ? owners.get(p) : undefined;
  if (owner !== undefined) throw new InvalidPointerError(call, p, owner);
};

/** `e` as thrown by `call`: an allocator's {@link InvalidPointerError} names the user's call. */
const renamed = (call: string, e: unknown): unknown =>
  e instanceof InvalidPointerError && e.call !== call
    ? new InvalidPointerError(call, e.pointer, e.reason)
    : e;

/**
 * `allocator.free(p)` for `call`: an {@link InvalidPointerError} of the allocator (which names
 * its own `free`) names `call`.
 *
 * @internal
 */
export const freeFor = (allocator: Allocator, call: string, p: number): void => {
  try {
    allocator.free(p);
  } catch (e) {
    throw renamed(call, e);
  }
};

/**
 * `allocator.realloc(p, size)` for `call`, as {@link freeFor}.
 *
 * @internal
 */
export const reallocFor = (allocator: Allocator, call: string, p: number, size: number): number => {
  try {
    return allocator.realloc(p, size);
  } catch (e) {
    throw renamed(call, e);
  }
};

/**
 * The functions of `Foreign.Marshal.Alloc` bound to a context.
 *
 * @category constructors
 * @since 0.1.0
 */
export const marshalAlloc = (ctx: Context) => {
  const { allocator, stack } = checkContext('marshalAlloc', ctx);

  const allocate = (call: string, size: number | bigint, align: number, zero: boolean): number =>
    allocateAligned(ctx, call, size, align, zero);

  const notFromAlloca = (call: string, p: number): void => checkReleasable(ctx, call, p);

  const allocaBytesAligned =
    <B, A = any>(size: number | bigint, align: number | bigint, f: (p: Ptr<A>) => IO<B>): IO<B> =>
    () =>
      allocaRun(stack, 'allocaBytesAligned', size, align, f);

  const mallocBytes =
    <A = any>(size: number | bigint): IO<Ptr<A>> =>
    () =>
      allocate('mallocBytes', size, MALLOC_ALIGNMENT, false) as Ptr<A>;

  const callocBytes =
    <A = any>(size: number | bigint): IO<Ptr<A>> =>
    () =>
      allocate('callocBytes', size, MALLOC_ALIGNMENT, true) as Ptr<A>;

  const reallocNamed = <A>(call: string, p: Ptr<A>, size: number | bigint): Ptr<A> => {
    const n = checkSize(call, 'size', size);
    notFromAlloca(call, p);
    return reallocFor(allocator, call, p, n) as Ptr<A>;
  };

  const reallocBytes =
    <A>(p: Ptr<A>, size: number | bigint): IO<Ptr<A>> =>
    () =>
      reallocNamed('reallocBytes', p, size);

  const freeNamed = (call: string, p: Ptr<any>): void => {
    notFromAlloca(call, p);
    freeFor(allocator, call, p);
  };

  const free =
    (p: Ptr<any>): IO<void> =>
    () =>
      freeNamed('free', p);

  return {
    /**
     * Runs `f` with a pointer to room for one value of `S` (its size and alignment), released
     * when `f`'s program ends: it returns, throws, or returns a `Left`. Haskell: `alloca`.
     * The pointer must not be used after that; `free` of it is an `InvalidPointerError`.
     */
    alloca:
      <A, B>(S: Storable<A>, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      () =>
        allocaRun(stack, 'alloca', storableArg('alloca', S).sizeOf, S.alignment, f),

    /**
     * Runs `f` with `size` temporary bytes aligned for any scalar (8), released when `f`'s
     * program ends. Haskell does not check `size`; here a bad one is a `RangeError`. A size of
     * 0 gives a valid, distinct pointer.
     */
    allocaBytes:
      <B, A = any>(size: number | bigint, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      () =>
        allocaRun(stack, 'allocaBytes', size, MALLOC_ALIGNMENT, f),

    /**
     * As `allocaBytes` with an explicit alignment, a power of two (GHC lets 0 through; here it
     * is a `RangeError` like every other non-power of two).
     */
    allocaBytesAligned,

    /** Room for one value of `S` from the allocator, or `nullPtr`. Free it with `free`. */
    malloc:
      <A>(S: Storable<A>): IO<Ptr<A>> =>
      () =>
        allocate('malloc', storableArg('malloc', S).sizeOf, S.alignment, false) as Ptr<A>,

    /**
     * `size` bytes from the allocator, 8-aligned, or `nullPtr`. `mallocBytes(0)` is a unique
     * pointer that must be freed.
     */
    mallocBytes,

    /** As `malloc`, zeroed. */
    calloc:
      <A>(S: Storable<A>): IO<Ptr<A>> =>
      () =>
        allocate('calloc', storableArg('calloc', S).sizeOf, S.alignment, true) as Ptr<A>,

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
        if (storableArg('realloc', S).alignment > MALLOC_ALIGNMENT) {
          throw new RangeError(
            `realloc: ${S.name} needs alignment ${S.alignment}; a moved block keeps only 8`,
          );
        }
        return reallocNamed('realloc', p, S.sizeOf) as unknown as Ptr<B>;
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
      finalize: (p: Ptr<any>) => freeNamed('finalizerFree', p),
    } as FinalizerPtr<any>,

    /** The allocations with an {@link AllocationError} on the left instead of `nullPtr`. */
    either: {
      malloc: <A>(S: Storable<A>): IOEither<AllocationError, Ptr<A>> =>
        orError(
          'either.malloc',
          () => S.sizeOf,
          () =>
            allocate(
              'either.malloc',
              storableArg('either.malloc', S).sizeOf,
              S.alignment,
              false,
            ) as Ptr<A>,
        ),
      mallocBytes: <A = any>(size: number | bigint): IOEither<AllocationError, Ptr<A>> =>
        orError(
          'either.mallocBytes',
          () => Number(size),
          () => allocate('either.mallocBytes', size, MALLOC_ALIGNMENT, false) as Ptr<A>,
        ),
      calloc: <A>(S: Storable<A>): IOEither<AllocationError, Ptr<A>> =>
        orError(
          'either.calloc',
          () => S.sizeOf,
          () =>
            allocate(
              'either.calloc',
              storableArg('either.calloc', S).sizeOf,
              S.alignment,
              true,
            ) as Ptr<A>,
        ),
      callocBytes: <A = any>(size: number | bigint): IOEither<AllocationError, Ptr<A>> =>
        orError(
          'either.callocBytes',
          () => Number(size),
          () => allocate('either.callocBytes', size, MALLOC_ALIGNMENT, true) as Ptr<A>,
        ),
      /** As `reallocBytes`; resizing to 0 bytes frees `p` and is `Right(nullPtr)`. */
      reallocBytes:
        <A>(p: Ptr<A>, size: number | bigint): IOEither<AllocationError, Ptr<A>> =>
        () => {
          const n = checkSize('either.reallocBytes', 'size', size);
          const q = reallocNamed('either.reallocBytes', p, n);
          return q === nullPtr && n > 0
            ? E.left(new AllocationError('either.reallocBytes', n))
            : E.right(q);
        },
      /**
       * Runs `f` with room for a value of `S`, or returns `Left` without running it. A body
       * that returns a promise is a `TypeError`, as for `alloca` (use `taskEither.alloca`).
       */
      alloca:
        <A, B>(S: Storable<A>, f: (p: Ptr<A>) => IO<B>): IOEither<AllocationError, B> =>
        () =>
          allocaRun(
            stack,
            'either.alloca',
            storableArg('either.alloca', S).sizeOf,
            S.alignment,
            (p: Ptr<A>): IO<E.Either<AllocationError, B>> =>
              () =>
                p === nullPtr
                  ? E.left(new AllocationError('either.alloca', S.sizeOf))
                  : E.right(
                      synchronous('either.alloca', programOf('either.alloca', 'the body', f, p)()),
                    ),
          ),
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
