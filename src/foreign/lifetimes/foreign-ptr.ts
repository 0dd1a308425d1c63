/**
 * `Foreign.ForeignPtr` and `Foreign.Concurrent`: pointers whose memory is released by
 * finalizers — when the `ForeignPtr` becomes unreachable (a `FinalizationRegistry`), when
 * `finalizeForeignPtr` is called, or when its context shuts down, whichever comes first, and
 * only once.
 *
 * A `ForeignPtr` is an object, because only objects have the identity a garbage collector can
 * watch (a `Ptr` is a number). `plusForeignPtr` and `castForeignPtr` share its finalizers, which
 * always receive the original address. Finalizers run latest-added first, at most once, all of
 * them even when one throws.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import type { Eq } from 'fp-ts/lib/Eq.js';
import type { Ord } from 'fp-ts/lib/Ord.js';
import type { Ordering } from 'fp-ts/lib/Ordering.js';
import { MALLOC_ALIGNMENT, checkSize, showValue } from '../../arguments/index.js';
import {
  FOREIGN_PTR,
  allocateAligned,
  checkContext,
  ownershipOf,
  releaseOwned,
  type Context,
} from '../../interface/index.js';
import {
  AllocationError,
  arrayBytes,
  isFinalizerFree,
  programOf,
  type FinalizerPtr,
  type MarshalAlloc,
} from '../marshal/index.js';
import { FinalizerState, lifetimesOf, type Lifetimes } from './finalizers.js';
import { storableArg, type Storable } from '../storable/index.js';
import { checkOffset, checkPtr, nullPtr, type Ptr } from '../ptr.js';

/**
 * A finalizer that also receives a fixed environment pointer: Haskell's `FinalizerEnvPtr env a`,
 * a C function `Ptr env -> Ptr a -> IO ()`. Like {@link FinalizerPtr}, it only releases memory.
 *
 * @category model
 * @since 0.1.0
 */
export interface FinalizerEnvPtr<Env, A> {
  readonly name: string;
  readonly finalize: (env: Ptr<Env>, p: Ptr<A>) => void;
}

/**
 * A misuse of a `ForeignPtr`: a finalizer added after it was finalized, JavaScript and C
 * finalizers mixed on one `ForeignPtr` (GHC refuses it too), or a finalized `ForeignPtr` used.
 * Nothing has changed when it is thrown.
 *
 * @category errors
 * @since 0.1.0
 */
export class ForeignPtrError extends Error {
  override readonly name = 'ForeignPtrError';
  constructor(
    readonly call: string,
    readonly reason: string,
  ) {
    super(`${call}: ${reason}`);
  }
}

/** The object the garbage collector watches, shared by a ForeignPtr and the ones made from it. */
class Contents {
  constructor(readonly state: FinalizerState) {}
}

/**
 * A pointer with finalizers. Equality, order and `toString` go by address, as in Haskell:
 * compare them with {@link eqForeignPtr} and {@link compareForeignPtr}. **`===` compares objects,
 * not addresses**: `plusForeignPtr(fp, 0) === fp` is `false` (a new object), and two foreign
 * pointers made for one address are two objects; Haskell's `==` is true for both.
 *
 * @category model
 * @since 0.1.0
 */
export class ForeignPtr<A> {
  declare private readonly phantom: (a: A) => A;

  /** @internal Made by `newForeignPtr` and friends. */
  constructor(
    /** @internal */
    readonly contents: Contents,
    /** @internal */
    readonly address: number,
  ) {}

  /** The address as Haskell shows a pointer: `0x` and eight hex digits. */
  toString(): string {
    return `0x${this.address.toString(16).padStart(8, '0')}`;
  }
}

const stateOf = (fp: ForeignPtr<any>): FinalizerState => fp.contents.state;

/**
 * `fp` when it is a `ForeignPtr`; a `TypeError` naming `call` otherwise.
 *
 * @internal
 */
export const checkForeignPtr = (call: string, fp: unknown): ForeignPtr<any> => {
  if (fp instanceof ForeignPtr) return fp;
  throw new TypeError(`${call}: ${showValue(fp)} is not a ForeignPtr`);
};

/** The finalizer state of a foreign pointer that takes finalizers (not a final pointer). */
type OpenState = FinalizerState & { readonly lifetimes: Lifetimes };

/** The state of `fp` when a finalizer of `kind` may be added; throws otherwise. */
const openTo = (call: string, fp: ForeignPtr<any>, kind: 'c' | 'js'): OpenState => {
  const state = stateOf(checkForeignPtr(call, fp));
  if (state.lifetimes === undefined) {
    throw new ForeignPtrError(call, 'nullForeignPtr takes no finalizer (it points to no memory)');
  }
  if (state.finalizers === undefined)
    throw new ForeignPtrError(call, 'the ForeignPtr has been finalized');
  if (state.kind !== undefined && state.kind !== kind) {
    throw new ForeignPtrError(
      call,
      'attempt to mix JavaScript and C finalizers in the same ForeignPtr',
    );
  }
  return state as OpenState;
};

/** Adds a finalizer of `kind` to `fp`'s state, refusing finalized pointers and mixed kinds. */
const addFinalizer = (
  call: string,
  fp: ForeignPtr<any>,
  kind: 'c' | 'js',
  finalize: () => void,
): void => {
  const state = openTo(call, fp, kind);
  state.kind = kind;
  state.finalizers!.unshift(finalize);
  state.lifetimes.watch(fp.contents, state);
};

/**
 * The closures that run C finalizers. They are made here, in scopes that hold nothing but the
 * finalizer and the addresses: a closure made next to a reference to the `ForeignPtr` would
 * keep it alive through V8's shared closure context, and it would never be collected.
 */
const callFinalizer =
  <A>(finalizer: FinalizerPtr<A>, address: Ptr<A>) =>
  (): void =>
    finalizer.finalize(address);

/**
 * The closure of a `finalizerFree`: frees `address` into the memory of `ctx`, the context the
 * `ForeignPtr` belongs to, giving the block back to the caller in its ownership record first.
 */
const callFinalizerFree = (ctx: Context, address: number) => (): void =>
  releaseOwned(ctx, 'finalizerFree', address);

const callFinalizerEnv =
  <Env, A>(finalizer: FinalizerEnvPtr<Env, A>, env: Ptr<Env>, address: Ptr<A>) =>
  (): void =>
    finalizer.finalize(env, address);

/** Throws the errors of finalizers that threw: the one, or an AggregateError of several. */
const rethrow = (call: string, errors: unknown[]): void => {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new AggregateError(errors, `${call}: ${errors.length} finalizers threw`);
};

/**
 * Checks that `finalizer` is a {@link FinalizerPtr} or {@link FinalizerEnvPtr}: an object with a
 * `finalize` function. Throws a `TypeError` naming `call` otherwise, when the finalizer is
 * given rather than when it would run (at `shutdown`, or from the garbage collector).
 */
const checkFinalizerPtr = (call: string, finalizer: unknown): void => {
  const f = finalizer as { finalize?: unknown } | null;
  if (typeof f === 'object' && f !== null && typeof f.finalize === 'function') return;
  throw new TypeError(
    `${call}: ${showValue(finalizer)} is not a finalizer (an object with a finalize function, ` +
      'such as finalizerFree)',
  );
};

/** Checks that a `Foreign.Concurrent` finalizer is an `IO<void>` (a function). */
const checkConcFinalizer = (call: string, finalizer: unknown): void => {
  if (typeof finalizer === 'function') return;
  throw new TypeError(
    `${call}: ${showValue(finalizer)} is not a finalizer (an IO<void>: a function of no arguments)`,
  );
};

/**
 * Adds the C finalizer `finalizer` to `fp` for `call`, every argument checked first. A
 * `finalizerFree` (of any context, or the root's) frees into the memory of `fp`'s own context,
 * and the block is claimed for `fp` in that memory's ownership record: `free` of it is refused
 * until the finalizer has run, and so is a block something else already owns (an alloca stack,
 * a pool, another `ForeignPtr`), here, before anything is added.
 */
const addC = <A>(call: string, finalizer: FinalizerPtr<A>, fp: ForeignPtr<A>): void => {
  const state = stateOf(checkForeignPtr(call, fp));
  const address = state.address as Ptr<A>;
  checkFinalizerPtr(call, finalizer);
  if (!isFinalizerFree(finalizer)) {
    addFinalizer(call, fp, 'c', callFinalizer(finalizer, address));
    return;
  }
  const { context } = openTo(call, fp, 'c').lifetimes;
  ownershipOf(context.memory).claim(call, address, FOREIGN_PTR);
  addFinalizer(call, fp, 'c', callFinalizerFree(context, address));
};

/** Adds the C finalizer `finalizer` with `env` to `fp` for `call`, every argument checked first. */
const addCEnv = <Env, A>(
  call: string,
  finalizer: FinalizerEnvPtr<Env, A>,
  env: Ptr<Env>,
  fp: ForeignPtr<A>,
): void => {
  checkPtr(call, env, 'environment pointer');
  const address = stateOf(checkForeignPtr(call, fp)).address as Ptr<A>;
  checkFinalizerPtr(call, finalizer);
  addFinalizer(call, fp, 'c', callFinalizerEnv(finalizer, env, address));
};

/** Adds the JavaScript finalizer `finalizer` to `fp` for `call`, every argument checked first. */
const addJs = <A>(call: string, fp: ForeignPtr<A>, finalizer: IO<void>): void => {
  checkForeignPtr(call, fp);
  checkConcFinalizer(call, finalizer);
  addFinalizer(call, fp, 'js', finalizer);
};

/**
 * Adds a C-style finalizer, run before those already there (Haskell's
 * `addForeignPtrFinalizer`). Throws {@link ForeignPtrError} when `fp` has been finalized or
 * has JavaScript finalizers, and a `TypeError` when `finalizer` is not a finalizer (an object
 * with a `finalize` function): checked now, not when it would run.
 *
 * @category combinators
 * @since 0.1.0
 */
export const addForeignPtrFinalizer =
  <A>(finalizer: FinalizerPtr<A>, fp: ForeignPtr<A>): IO<void> =>
  () =>
    addC('addForeignPtrFinalizer', finalizer, fp);

/**
 * Adds a finalizer that also receives `env` (Haskell's `addForeignPtrFinalizerEnv`). Errors as
 * {@link addForeignPtrFinalizer}.
 *
 * @category combinators
 * @since 0.1.0
 */
export const addForeignPtrFinalizerEnv =
  <Env, A>(finalizer: FinalizerEnvPtr<Env, A>, env: Ptr<Env>, fp: ForeignPtr<A>): IO<void> =>
  () =>
    addCEnv('addForeignPtrFinalizerEnv', finalizer, env, fp);

/**
 * Runs `f` with the pointer, keeping `fp` reachable — so not finalized by the garbage collector
 * — until `f`'s program has finished; when it returns a promise (a `Task`), until the promise
 * settles. The pointer must not be used after that. A finalized `fp` is a
 * {@link ForeignPtrError} (undefined in Haskell).
 *
 * @category combinators
 * @since 0.1.0
 */
export const withForeignPtr =
  <A, B>(fp: ForeignPtr<A>, f: (p: Ptr<A>) => IO<B>): IO<B> =>
  () => {
    if (stateOf(checkForeignPtr('withForeignPtr', fp)).finalized) {
      throw new ForeignPtrError('withForeignPtr', 'the ForeignPtr has been finalized');
    }
    const result = programOf('withForeignPtr', 'the body', f, fp.address as Ptr<A>)();
    if (result instanceof Promise) return result.finally(() => touch(fp)) as B;
    touch(fp);
    return result;
  };

/** Keeps its argument reachable up to the call. */
const touch = (fp: ForeignPtr<any>): void => {
  if (fp.contents === undefined) throw new ForeignPtrError('touchForeignPtr', 'not a ForeignPtr');
};

/**
 * Runs the finalizers of `fp` now, latest first, once (Haskell's `finalizeForeignPtr`). A
 * second call, or a call on a pointer without finalizers, does nothing. All finalizers run even
 * when some throw; then the error is thrown (an `AggregateError` when several threw). `fp` must
 * not be used afterwards.
 *
 * @category combinators
 * @since 0.1.0
 */
export const finalizeForeignPtr =
  <A>(fp: ForeignPtr<A>): IO<void> =>
  () =>
    rethrow('finalizeForeignPtr', stateOf(checkForeignPtr('finalizeForeignPtr', fp)).run());

/**
 * Keeps `fp` reachable up to this point of the program (Haskell's `touchForeignPtr`); a
 * `TypeError` when it is not a `ForeignPtr`. Prefer {@link withForeignPtr}.
 *
 * @category combinators
 * @since 0.1.0
 */
export const touchForeignPtr =
  <A>(fp: ForeignPtr<A>): IO<void> =>
  () =>
    touch(checkForeignPtr('touchForeignPtr', fp));

/**
 * The same foreign pointer at another type: the same object (Haskell's `castForeignPtr`).
 *
 * @category combinators
 * @since 0.1.0
 */
export const castForeignPtr = <B>(fp: ForeignPtr<any>): ForeignPtr<B> =>
  checkForeignPtr('castForeignPtr', fp);

/**
 * A foreign pointer `n` bytes further, sharing `fp`'s finalizers, which still receive the
 * original address (Haskell's `plusForeignPtr`). A result below 0 is a `RangeError`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const plusForeignPtr = <B>(fp: ForeignPtr<any>, n: number | bigint): ForeignPtr<B> => {
  checkForeignPtr('plusForeignPtr', fp);
  return new ForeignPtr<B>(
    fp.contents,
    checkPtr('plusForeignPtr', fp.address + checkOffset('plusForeignPtr', n), 'resulting address'),
  );
};

/**
 * The address of `fp`, without keeping `fp` alive (Haskell's `unsafeForeignPtrToPtr`): if
 * this is the last use of `fp`, its finalizers may run while the address is still in use.
 *
 * @category combinators
 * @since 0.1.0
 */
export const unsafeForeignPtrToPtr = <A>(fp: ForeignPtr<A>): Ptr<A> =>
  checkForeignPtr('unsafeForeignPtrToPtr', fp).address as Ptr<A>;

/**
 * Equality of foreign pointers by address, as Haskell's `Eq (ForeignPtr a)`. Anything else than
 * a `ForeignPtr` is a `TypeError` naming `eqForeignPtr.equals`.
 *
 * @category instances
 * @since 0.1.0
 */
export const eqForeignPtr: Eq<ForeignPtr<any>> = {
  equals: (x, y) =>
    checkForeignPtr('eqForeignPtr.equals', x).address ===
    checkForeignPtr('eqForeignPtr.equals', y).address,
};

/**
 * The order of foreign pointers by address, as Haskell's `Ord (ForeignPtr a)` (fp-ts `Ord`, for
 * `sort` and friends; `equals` is {@link eqForeignPtr}'s). Anything else than a `ForeignPtr` is
 * a `TypeError` naming `ordForeignPtr.compare` or `ordForeignPtr.equals`.
 *
 * @category instances
 * @since 0.1.0
 */
export const ordForeignPtr: Ord<ForeignPtr<any>> = {
  equals: (x, y) =>
    checkForeignPtr('ordForeignPtr.equals', x).address ===
    checkForeignPtr('ordForeignPtr.equals', y).address,
  compare: (x, y) => orderOf('ordForeignPtr.compare', x, y),
};

const orderOf = (call: string, x: ForeignPtr<any>, y: ForeignPtr<any>): Ordering => {
  const a = checkForeignPtr(call, x).address;
  const b = checkForeignPtr(call, y).address;
  return a < b ? -1 : a > b ? 1 : 0;
};

/**
 * Haskell's `compare` on foreign pointers: `-1`, `0` or `1` as `x`'s address is below, at or
 * above `y`'s (fp-ts's `Ordering`). Anything else than a `ForeignPtr` is a `TypeError` naming
 * `compareForeignPtr`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const compareForeignPtr = (x: ForeignPtr<any>, y: ForeignPtr<any>): Ordering =>
  orderOf('compareForeignPtr', x, y);

/**
 * The byte offset from `fp1` to `fp2`, so that `plusForeignPtr(fp1, minusForeignPtr(fp2, fp1))`
 * points where `fp2` does (`minusPtr` of their addresses; GHC has no `minusForeignPtr`, and
 * `minusPtr` of two `unsafeForeignPtrToPtr`s is what Haskell code writes). The two need not share
 * an allocation (C leaves that undefined; here it is the difference of the addresses). Neither
 * is kept alive by this. Anything else than a `ForeignPtr` is a `TypeError` naming
 * `minusForeignPtr`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const minusForeignPtr = (fp2: ForeignPtr<any>, fp1: ForeignPtr<any>): number =>
  checkForeignPtr('minusForeignPtr', fp2).address - checkForeignPtr('minusForeignPtr', fp1).address;

/**
 * The foreign pointer to `nullPtr` (bytestring's `nullForeignPtr`, GHC's final pointer): it
 * belongs to no context and owns no memory. `withForeignPtr` gives it `nullPtr`, and
 * `finalizeForeignPtr` and `touchForeignPtr` do nothing; adding a finalizer is a
 * `ForeignPtrError` (GHC: "attempt to add a finalizer to … a final pointer").
 * `plusForeignPtr(nullForeignPtr, n)` is a final pointer too.
 *
 * @category constructors
 * @since 0.1.0
 */
export const nullForeignPtr: ForeignPtr<any> = /* @__PURE__ */ new ForeignPtr<any>(
  /* @__PURE__ */ new Contents(/* @__PURE__ */ new FinalizerState(0, undefined)),
  0,
);

/**
 * `Foreign.Concurrent`'s `addForeignPtrFinalizer`: adds a JavaScript finalizer, run before those
 * already there. Throws {@link ForeignPtrError} when `fp` has been finalized or has C
 * finalizers, and a `TypeError` when `finalizer` is not a function (checked now, not when it
 * would run). The finalizer must not refer to `fp` (or anything that does): it would keep `fp`
 * reachable, and then only `finalizeForeignPtr` or shutdown would run it.
 *
 * @category combinators
 * @since 0.1.0
 */
export const addForeignPtrConcFinalizer =
  <A>(fp: ForeignPtr<A>, finalizer: IO<void>): IO<void> =>
  () =>
    addJs('addForeignPtrConcFinalizer', fp, finalizer);

/**
 * The makers of foreign pointers of a context, with the name of the user's call for their
 * errors: the bodies of `newForeignPtr*`, `mallocForeignPtr*` and their `scoped` forms. A `ctx`
 * that is not a context, or an `alloc` without `finalizerFree`, is a `TypeError` naming `call`
 * (the factory the user called).
 *
 * @internal
 */
export const foreignPtrMakers = (ctx: Context, alloc: MarshalAlloc, call = 'foreignPtrs') => {
  const lifetimes = lifetimesOf(checkContext(call, ctx));
  const free = (alloc as Partial<MarshalAlloc> | null | undefined)?.finalizerFree;
  if (typeof free?.finalize !== 'function') {
    throw new TypeError(`${call}: alloc ${showValue(alloc)} has no finalizerFree`);
  }
  /** A new foreign pointer to `p`, with no finalizer. */
  const make = <A>(call: string, p: Ptr<A>): ForeignPtr<A> =>
    new ForeignPtr<A>(new Contents(new FinalizerState(checkPtr(call, p), lifetimes)), p);
  /** A foreign pointer to the new block `p` of `size` bytes, freed by `finalizerFree`. */
  const freedBy = <A>(call: string, size: number, p: number): ForeignPtr<A> => {
    if (p === nullPtr) throw new AllocationError(call, size);
    const fp = make(call, p as Ptr<A>);
    addC(call, alloc.finalizerFree, fp);
    return fp;
  };
  return {
    lifetimes,
    make,
    /** `size` bytes aligned to `align`, freed by `finalizerFree`; `AllocationError` if none. */
    malloc: <A>(call: string, size: number | bigint, align: number): ForeignPtr<A> => {
      const n = checkSize(call, 'size', size);
      return freedBy<A>(call, n, allocateAligned(ctx, call, n, align, false));
    },
    /** `n` elements of `S` (and a terminator when `extra` is 1), as `malloc`. */
    mallocArray: <A>(
      call: string,
      S: Storable<A>,
      n: number | bigint,
      extra: 0 | 1,
    ): ForeignPtr<A> => {
      const size = arrayBytes(call, S, n, extra);
      return freedBy<A>(call, size, allocateAligned(ctx, call, size, S.alignment, false));
    },
  };
};

/**
 * The keys of `ForeignPtrs['concurrent']` (`Foreign.Concurrent`): the one list the package root
 * and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const CONCURRENT_KEYS = ['newForeignPtr', 'addForeignPtrFinalizer'] as const;

/**
 * The functions of `Foreign.ForeignPtr` that make foreign pointers, bound to a context.
 *
 * @category model
 * @since 0.1.0
 */
export interface ForeignPtrs {
  /**
   * A foreign pointer to `p` whose finalizer runs when it becomes unreachable, when
   * `finalizeForeignPtr` is called, or when the context shuts down, whichever comes first
   * (Haskell's `newForeignPtr`; `newForeignPtr(finalizerFree, p)` frees `p`). A `finalizer`
   * that is not one (an object with a `finalize` function) is a `TypeError`, and so is a
   * bigint `p`; a `p` that is not an address is a `RangeError`: nothing is made then.
   */
  readonly newForeignPtr: <A>(finalizer: FinalizerPtr<A>, p: Ptr<A>) => IO<ForeignPtr<A>>;
  /** A foreign pointer with no finalizer yet (Haskell's `newForeignPtr_`). */
  readonly newForeignPtr_: <A>(p: Ptr<A>) => IO<ForeignPtr<A>>;
  /** As `newForeignPtr`, with a finalizer that also receives `env`. */
  readonly newForeignPtrEnv: <Env, A>(
    finalizer: FinalizerEnvPtr<Env, A>,
    env: Ptr<Env>,
    p: Ptr<A>,
  ) => IO<ForeignPtr<A>>;
  /**
   * Room for one value of `S` from the context's allocator, freed by its finalizer
   * (`malloc` then `newForeignPtr(finalizerFree, p)`, as Haskell documents it). More
   * finalizers can be added; they run before the free. Not being in the Haskell 2010
   * allocation rules, a failed allocation throws an `AllocationError`, as GHC does.
   */
  readonly mallocForeignPtr: <A>(S: Storable<A>) => IO<ForeignPtr<A>>;
  /** As `mallocForeignPtr`, for `size` bytes (a negative size is a `RangeError`, as GHC's `error`). */
  readonly mallocForeignPtrBytes: <A = any>(size: number | bigint) => IO<ForeignPtr<A>>;
  /**
   * Room for `n` values of `S`, aligned for `S` (GHC's ignores alignments above 16), freed by
   * its finalizer. A count that is not a non-negative safe integer, or a size that overflows,
   * is a `RangeError`; a failed allocation an `AllocationError`.
   */
  readonly mallocForeignPtrArray: <A>(S: Storable<A>, n: number | bigint) => IO<ForeignPtr<A>>;
  /** As `mallocForeignPtrArray`, with room for one more element (a terminator). */
  readonly mallocForeignPtrArray0: <A>(S: Storable<A>, n: number | bigint) => IO<ForeignPtr<A>>;
  /** `Foreign.Concurrent`: foreign pointers with JavaScript finalizers. */
  readonly concurrent: Concurrent;
  /**
   * Runs every pending finalizer of the context's foreign pointers now, as GHC's runtime runs
   * C finalizers at exit: the foreign pointers in the order they were made, the oldest first,
   * and within one the latest-added finalizer first. So a program can end with no live
   * blocks. All run even when some throw; then the error is thrown (an `AggregateError` for
   * several). The context can still be used afterwards.
   */
  readonly shutdown: () => IO<void>;
  /** How many foreign pointers of the context have finalizers that have not run. */
  readonly pendingFinalizers: () => IO<number>;
}

/**
 * `Foreign.Concurrent`: foreign pointers with JavaScript finalizers.
 *
 * @category model
 * @since 0.1.0
 */
export interface Concurrent {
  /**
   * A foreign pointer to `p` with a JavaScript finalizer (Foreign.Concurrent's
   * `newForeignPtr`). Unlike GHC's, it is guaranteed to run: at the latest when the context
   * shuts down.
   */
  readonly newForeignPtr: <A>(p: Ptr<A>, finalizer: IO<void>) => IO<ForeignPtr<A>>;
  /**
   * Foreign.Concurrent's `addForeignPtrFinalizer`: as {@link addForeignPtrConcFinalizer},
   * with errors naming `concurrent.addForeignPtrFinalizer`.
   */
  readonly addForeignPtrFinalizer: <A>(fp: ForeignPtr<A>, finalizer: IO<void>) => IO<void>;
}

/**
 * The functions of `Foreign.ForeignPtr` (and `Foreign.Concurrent`) that make foreign pointers,
 * bound to a context: its finalizers run at the latest when the context shuts down.
 *
 * @category constructors
 * @since 0.1.0
 */
export const foreignPtrs = (ctx: Context, alloc: MarshalAlloc): ForeignPtrs => {
  const makers = foreignPtrMakers(ctx, alloc);
  const { lifetimes, make } = makers;
  const mallocArrayWith =
    <A>(call: string, S: Storable<A>, n: number | bigint, extra: 0 | 1): IO<ForeignPtr<A>> =>
    () =>
      makers.mallocArray(call, S, n, extra);
  return {
    newForeignPtr:
      <A>(finalizer: FinalizerPtr<A>, p: Ptr<A>): IO<ForeignPtr<A>> =>
      () => {
        checkFinalizerPtr('newForeignPtr', finalizer);
        const fp = make('newForeignPtr', p);
        addC('newForeignPtr', finalizer, fp);
        return fp;
      },

    newForeignPtr_:
      <A>(p: Ptr<A>): IO<ForeignPtr<A>> =>
      () =>
        make('newForeignPtr_', p),

    newForeignPtrEnv:
      <Env, A>(finalizer: FinalizerEnvPtr<Env, A>, env: Ptr<Env>, p: Ptr<A>): IO<ForeignPtr<A>> =>
      () => {
        checkFinalizerPtr('newForeignPtrEnv', finalizer);
        checkPtr('newForeignPtrEnv', env, 'environment pointer');
        const fp = make('newForeignPtrEnv', p);
        addCEnv('newForeignPtrEnv', finalizer, env, fp);
        return fp;
      },

    mallocForeignPtr:
      <A>(S: Storable<A>): IO<ForeignPtr<A>> =>
      () =>
        makers.malloc('mallocForeignPtr', storableArg('mallocForeignPtr', S).sizeOf, S.alignment),

    mallocForeignPtrBytes:
      <A = any>(size: number | bigint): IO<ForeignPtr<A>> =>
      () =>
        makers.malloc('mallocForeignPtrBytes', size, MALLOC_ALIGNMENT),

    mallocForeignPtrArray: <A>(S: Storable<A>, n: number | bigint): IO<ForeignPtr<A>> =>
      mallocArrayWith('mallocForeignPtrArray', S, n, 0),

    mallocForeignPtrArray0: <A>(S: Storable<A>, n: number | bigint): IO<ForeignPtr<A>> =>
      mallocArrayWith('mallocForeignPtrArray0', S, n, 1),

    concurrent: {
      newForeignPtr:
        <A>(p: Ptr<A>, finalizer: IO<void>): IO<ForeignPtr<A>> =>
        () => {
          checkConcFinalizer('concurrent.newForeignPtr', finalizer);
          const fp = make('concurrent.newForeignPtr', p);
          addJs('concurrent.newForeignPtr', fp, finalizer);
          return fp;
        },
      addForeignPtrFinalizer:
        <A>(fp: ForeignPtr<A>, finalizer: IO<void>): IO<void> =>
        () =>
          addJs('concurrent.addForeignPtrFinalizer', fp, finalizer),
    },

    shutdown: (): IO<void> => () => rethrow('shutdown', lifetimes.shutdown()),

    pendingFinalizers: (): IO<number> => () => lifetimes.size,
  };
};
