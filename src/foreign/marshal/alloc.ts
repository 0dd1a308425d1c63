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
import type { Either } from 'fp-ts/lib/Either.js';
import * as E from '#fp-ts/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import { MALLOC_ALIGNMENT, checkSize } from '../../arguments/index.js';
import type { Stack } from '../../heap/index.js';
import {
  allocateAligned,
  checkContext,
  checkReleasable,
  freeFor,
  reallocFor,
  type Context,
} from '../../interface/index.js';
import { nullPtr, type Ptr } from '../ptr.js';
import { storableArg, type Storable } from '../storable/index.js';
import { AllocationError } from './allocation-error.js';
import { asFinalizerFree, type FinalizerPtr } from './finalizer-ptr.js';
import { programOf, synchronous } from './synchronous.js';

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
 * The keys of `MarshalAlloc['either']`: the one list the package root and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const EITHER_ALLOC_KEYS = [
  'malloc',
  'mallocBytes',
  'calloc',
  'callocBytes',
  'reallocBytes',
  'alloca',
] as const;

/**
 * The functions of `Foreign.Marshal.Alloc` bound to a context.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarshalAlloc {
  /**
   * Runs `f` with a pointer to room for one value of `S` (its size and alignment), released
   * when `f`'s program ends: it returns, throws, or returns a `Left`. Haskell: `alloca`.
   * The pointer must not be used after that; `free` of it is an `InvalidPointerError`.
   */
  readonly alloca: <A, B>(S: Storable<A>, f: (p: Ptr<A>) => IO<B>) => IO<B>;
  /**
   * Runs `f` with `size` temporary bytes aligned for any scalar (8), released when `f`'s
   * program ends. Haskell does not check `size`; here a bad one is a `RangeError`. A size of
   * 0 gives a valid, distinct pointer.
   */
  readonly allocaBytes: <B, A = any>(size: number | bigint, f: (p: Ptr<A>) => IO<B>) => IO<B>;
  /**
   * As `allocaBytes` with an explicit alignment, a power of two (GHC lets 0 through; here it
   * is a `RangeError` like every other non-power of two).
   */
  readonly allocaBytesAligned: <B, A = any>(
    size: number | bigint,
    align: number | bigint,
    f: (p: Ptr<A>) => IO<B>,
  ) => IO<B>;
  /** Room for one value of `S` from the allocator, or `nullPtr`. Free it with `free`. */
  readonly malloc: <A>(S: Storable<A>) => IO<Ptr<A>>;
  /**
   * `size` bytes from the allocator, 8-aligned, or `nullPtr`. `mallocBytes(0)` is a unique
   * pointer that must be freed.
   */
  readonly mallocBytes: <A = any>(size: number | bigint) => IO<Ptr<A>>;
  /** As `malloc`, zeroed. */
  readonly calloc: <A>(S: Storable<A>) => IO<Ptr<A>>;
  /** As `mallocBytes`, zeroed. */
  readonly callocBytes: <A = any>(size: number | bigint) => IO<Ptr<A>>;
  /**
   * Resizes the block at `p` to hold one value of `S`, keeping the contents up to the smaller
   * size; `nullPtr` in is `malloc`. Returns the new pointer (the old one is dead), or `nullPtr`
   * with `p` still valid. A type aligned above 8 bytes is a `RangeError` here: a moved block
   * keeps only 8-byte alignment.
   */
  readonly realloc: <A, B>(S: Storable<B>, p: Ptr<A>) => IO<Ptr<B>>;
  /**
   * Resizes the block at `p` to `size` bytes. Size 0 frees `p` and returns `nullPtr`;
   * `nullPtr` in is `mallocBytes`. On failure returns `nullPtr` and `p` stays valid.
   * A pointer from `alloca` is an `InvalidPointerError` (undefined in Haskell), and so is a
   * block owned by a pool (use `pooledReallocBytes`), an asynchronous bracket or a `using`
   * scope.
   */
  readonly reallocBytes: <A>(p: Ptr<A>, size: number | bigint) => IO<Ptr<A>>;
  /**
   * Frees a block from `malloc`, `new`, `newArray`, `newCString`, … `free(nullPtr)` does
   * nothing. A pointer that is not a live block, or one from `alloca`, is an
   * `InvalidPointerError` and nothing is freed (undefined in Haskell). So is a block that
   * something else frees: a pool's (`freePool`), an asynchronous bracket's, a `using`
   * scope's; the error names the owner.
   */
  readonly free: (p: Ptr<any>) => IO<void>;
  /**
   * The finalizer that frees, for `newForeignPtr`: attached to a `ForeignPtr`, it frees into
   * the memory that `ForeignPtr` belongs to (through its context's door), and the block is the
   * `ForeignPtr`'s until then (`free` of it is an `InvalidPointerError`); called directly, it
   * frees through this context's door.
   */
  readonly finalizerFree: FinalizerPtr<any>;
  /** The allocations with an {@link AllocationError} on the left instead of `nullPtr`. */
  readonly either: EitherMarshalAlloc;
}

/**
 * The allocations with an {@link AllocationError} on the left instead of `nullPtr`.
 *
 * @category model
 * @since 0.1.0
 */
export interface EitherMarshalAlloc {
  /** As `malloc`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly malloc: <A>(S: Storable<A>) => IOEither<AllocationError, Ptr<A>>;
  /** As `mallocBytes`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly mallocBytes: <A = any>(size: number | bigint) => IOEither<AllocationError, Ptr<A>>;
  /** As `calloc`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly calloc: <A>(S: Storable<A>) => IOEither<AllocationError, Ptr<A>>;
  /** As `callocBytes`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly callocBytes: <A = any>(size: number | bigint) => IOEither<AllocationError, Ptr<A>>;
  /** As `reallocBytes`; resizing to 0 bytes frees `p` and is `Right(nullPtr)`. */
  readonly reallocBytes: <A>(p: Ptr<A>, size: number | bigint) => IOEither<AllocationError, Ptr<A>>;
  /**
   * Runs `f` with room for a value of `S`, or returns `Left` without running it. A body
   * that returns a promise is a `TypeError`, as for `alloca` (use `taskEither.alloca`).
   */
  readonly alloca: <A, B>(S: Storable<A>, f: (p: Ptr<A>) => IO<B>) => IOEither<AllocationError, B>;
}

/**
 * The functions of `Foreign.Marshal.Alloc` bound to a context.
 *
 * @category constructors
 * @since 0.1.0
 */
export const marshalAlloc = (ctx: Context): MarshalAlloc => {
  const { allocator, stack } = checkContext('marshalAlloc', ctx);

  const allocate = (call: string, size: number | bigint, align: number, zero: boolean): number =>
    allocateAligned(ctx, call, size, align, zero);

  /** Room for one value of `S` (`malloc`, `calloc` and their `either` forms). */
  const allocateFor = <A>(call: string, S: Storable<A>, zero: boolean): Ptr<A> =>
    allocate(call, storableArg(call, S).sizeOf, S.alignment, zero) as Ptr<A>;

  /** `allocateFor`, with an `AllocationError` on the left instead of `nullPtr`. */
  const eitherFor = <A>(
    call: string,
    S: Storable<A>,
    zero: boolean,
  ): IOEither<AllocationError, Ptr<A>> =>
    orError(
      call,
      () => S.sizeOf,
      () => allocateFor(call, S, zero),
    );

  /** `size` bytes, 8-aligned, with an `AllocationError` on the left instead of `nullPtr`. */
  const eitherBytes = <A>(
    call: string,
    size: number | bigint,
    zero: boolean,
  ): IOEither<AllocationError, Ptr<A>> =>
    orError(
      call,
      () => Number(size),
      () => allocate(call, size, MALLOC_ALIGNMENT, zero) as Ptr<A>,
    );

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
    alloca:
      <A, B>(S: Storable<A>, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      () =>
        allocaRun(stack, 'alloca', storableArg('alloca', S).sizeOf, S.alignment, f),

    allocaBytes:
      <B, A = any>(size: number | bigint, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      () =>
        allocaRun(stack, 'allocaBytes', size, MALLOC_ALIGNMENT, f),

    allocaBytesAligned,

    malloc:
      <A>(S: Storable<A>): IO<Ptr<A>> =>
      () =>
        allocateFor('malloc', S, false),

    mallocBytes,

    calloc:
      <A>(S: Storable<A>): IO<Ptr<A>> =>
      () =>
        allocateFor('calloc', S, true),

    callocBytes,

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

    reallocBytes,

    free,

    finalizerFree: asFinalizerFree({
      name: 'finalizerFree',
      finalize: (p: Ptr<any>) => freeNamed('finalizerFree', p),
    }) as FinalizerPtr<any>,

    either: {
      malloc: <A>(S: Storable<A>) => eitherFor('either.malloc', S, false),
      mallocBytes: <A = any>(size: number | bigint) =>
        eitherBytes<A>('either.mallocBytes', size, false),
      calloc: <A>(S: Storable<A>) => eitherFor('either.calloc', S, true),
      callocBytes: <A = any>(size: number | bigint) =>
        eitherBytes<A>('either.callocBytes', size, true),
      reallocBytes:
        <A>(p: Ptr<A>, size: number | bigint): IOEither<AllocationError, Ptr<A>> =>
        () => {
          const n = checkSize('either.reallocBytes', 'size', size);
          const q = reallocNamed('either.reallocBytes', p, n);
          return q === nullPtr && n > 0
            ? E.left(new AllocationError('either.reallocBytes', n))
            : E.right(q);
        },
      alloca:
        <A, B>(S: Storable<A>, f: (p: Ptr<A>) => IO<B>): IOEither<AllocationError, B> =>
        () =>
          allocaRun(
            stack,
            'either.alloca',
            storableArg('either.alloca', S).sizeOf,
            S.alignment,
            (p: Ptr<A>): IO<Either<AllocationError, B>> =>
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
