/**
 * Scoped allocations for `using` and `await using` (explicit resource management): memory from
 * the context's allocator that is released when the block that declares it ends — normally, by
 * `return`, `break`, or an exception passing through — the latest declared first.
 *
 * ```ts no-run
 * {
 *   using buf = scoped.mallocBytes(64);    // freed second
 *   using name = scoped.newCString('hi');  // freed first
 *   call(buf.ptr, name.ptr);
 * }
 * ```
 *
 * Unlike the rest of the Haskell face, these are not `IO` programs: `using` is a statement,
 * so `scoped.mallocBytes(64)` allocates when it is called and returns a {@link ScopedPtr}
 * (`{ ptr, [Symbol.dispose]() }`). A failed allocation throws an `AllocationError` (there is
 * no `nullPtr` to hand over that a `using` declaration could check), and bad arguments throw
 * before anything is allocated.
 *
 * Disposing twice is harmless: the second call does nothing (as `DisposableStack`'s
 * `dispose`, and as `finalizeForeignPtr`). A scoped block is owned by its scope: `free` of it
 * is an `InvalidPointerError`; `take()` moves it out of the scope, and then it is the caller's
 * to free.
 *
 * Every scoped value has both `[Symbol.dispose]` and `[Symbol.asyncDispose]`, so it can be
 * declared with `using` and `await using`, and put in a `DisposableStack` or
 * `AsyncDisposableStack` where they exist. TypeScript and esbuild compile `using` for Node 20,
 * which has the symbols but not the syntax.
 *
 * @since 0.1.0
 */
import {
  SCOPED,
  allocateAligned,
  checkContext,
  checkParts,
  ownershipOf,
  releaseOwned,
  type Context,
} from '../../interface/index.js';
import { newEncoded, type CStringFunctions, type CStringLen } from '../c/index.js';
import {
  asyncDisposeKey,
  disposeKey,
  disposeNow,
  type AsyncReleasable,
  type Releasable,
} from '../../dispose/index.js';
import { MALLOC_ALIGNMENT, checkSize } from '../../arguments/index.js';
import {
  checkForeignPtr,
  finalizeForeignPtr,
  foreignPtrMakers,
  unsafeForeignPtrToPtr,
  type ForeignPtr,
} from './foreign-ptr.js';
import {
  type MarshalAlloc,
  arrayBytes,
  newArrayFor,
  type MarshalArray,
  AllocationError,
  newValue,
  type MarshalUtils,
  type MarshalPool,
  type Pool,
} from '../marshal/index.js';
import { nullPtr, type Ptr } from '../ptr.js';
import { storableArg, type Storable } from '../storable/index.js';

/**
 * Something released when its `using` scope ends: the base of the scoped values. Disposing
 * runs the release once; later calls do nothing.
 *
 * @category scoped
 * @since 0.1.0
 */
export abstract class Scoped implements Releasable, AsyncReleasable {
  #disposed = false;

  /** Whether it has been disposed (or taken out of its scope). */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Releases it, the first time; later calls do nothing. If the release throws, it is still
   * disposed, and the error passes through (with `using`, it becomes the block's exception, or
   * a `SuppressedError` over the exception already passing through).
   */
  [disposeKey](): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.release();
  }

  /** As `[Symbol.dispose]`, for `await using`: released at once, the promise settles after. */
  [asyncDisposeKey](): Promise<void> {
    return disposeNow(() => this[disposeKey]());
  }

  /** Marks it disposed without releasing anything (for `take`). */
  protected forget(): void {
    this.#disposed = true;
  }

  /** What disposing does. */
  protected abstract release(): void;
}

/**
 * A block of the context's allocator, freed when its `using` scope ends: `ptr` is its address.
 *
 * @category scoped
 * @since 0.1.0
 */
export class ScopedPtr<A> extends Scoped {
  /** @internal Made by the `scoped` functions. */
  constructor(
    /** The address of the block. Dead once disposed. */
    readonly ptr: Ptr<A>,
    private readonly context: Context,
  ) {
    super();
    ownershipOf(context.memory).take(ptr, SCOPED);
  }

  /**
   * Moves the block out of the scope and returns its address: disposing will not free it, and
   * it is the caller's, to `free`. A disposed (or already taken) block is a `ReferenceError`.
   */
  take(): Ptr<A> {
    if (this.disposed) {
      throw new ReferenceError(`take: the scoped block at ${this.ptr} has been disposed`);
    }
    this.forget();
    ownershipOf(this.context.memory).disown(this.ptr);
    return this.ptr;
  }

  protected release(): void {
    releaseOwned(this.context, 'ScopedPtr[Symbol.dispose]', this.ptr);
  }
}

/**
 * A C string with its length (a `CStringLen`), freed when its `using` scope ends.
 *
 * @category scoped
 * @since 0.1.0
 */
export class ScopedCStringLen extends ScopedPtr<number> {
  /** @internal Made by `scoped.newCStringLen`. */
  constructor(
    ptr: Ptr<number>,
    /** Its length in bytes (no terminator). */
    readonly length: number,
    context: Context,
  ) {
    super(ptr, context);
  }

  /** The `[pointer, length]` pair the `CStringLen` functions take. */
  get cStringLen(): CStringLen {
    return [this.ptr, this.length];
  }
}

/**
 * A `ForeignPtr` finalized when its `using` scope ends (`finalizeForeignPtr`): its finalizers
 * run then, the latest added first, unless they have already run. Until then the scoped value
 * keeps the `ForeignPtr` reachable, so the garbage collector does not finalize it during the
 * scope and `ptr` is safe to use there.
 *
 * @category scoped
 * @since 0.1.0
 */
export class ScopedForeignPtr<A> extends Scoped {
  /** @internal Made by the `scoped` functions. */
  constructor(
    /** The foreign pointer. */
    readonly foreignPtr: ForeignPtr<A>,
  ) {
    super();
    unsafeForeignPtrToPtr(foreignPtr); // a TypeError for anything else than a ForeignPtr
  }

  /** The address of the foreign pointer (valid until disposed). */
  get ptr(): Ptr<A> {
    return unsafeForeignPtrToPtr(this.foreignPtr);
  }

  protected release(): void {
    finalizeForeignPtr(this.foreignPtr)();
  }
}

/**
 * The keys of {@link ScopedAllocations}: the one list the package root and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const SCOPED_KEYS = [
  'malloc',
  'mallocBytes',
  'calloc',
  'callocBytes',
  'mallocArray',
  'mallocArray0',
  'new',
  'newArray',
  'newArray0',
  'newCString',
  'newCStringLen',
  'pool',
  'mallocForeignPtr',
  'mallocForeignPtrBytes',
  'mallocForeignPtrArray',
  'foreignPtr',
] as const;

/**
 * The scoped allocations bound to a context: what {@link scopedAllocations} returns.
 *
 * @category model
 * @since 0.1.0
 */
export interface ScopedAllocations {
  /** Room for one value of `S` (`malloc`), freed when the scope ends. */
  readonly malloc: <A>(S: Storable<A>) => ScopedPtr<A>;
  /** `size` bytes, 8-aligned (`mallocBytes`), freed when the scope ends. */
  readonly mallocBytes: <A = any>(size: number | bigint) => ScopedPtr<A>;
  /** As `scoped.malloc`, zeroed. */
  readonly calloc: <A>(S: Storable<A>) => ScopedPtr<A>;
  /** As `scoped.mallocBytes`, zeroed. */
  readonly callocBytes: <A = any>(size: number | bigint) => ScopedPtr<A>;
  /** Room for `n` elements of `S` (`mallocArray`), freed when the scope ends. */
  readonly mallocArray: <A>(S: Storable<A>, n: number | bigint) => ScopedPtr<A>;
  /** As `scoped.mallocArray`, with room for a terminator. */
  readonly mallocArray0: <A>(S: Storable<A>, n: number | bigint) => ScopedPtr<A>;
  /**
   * `a` stored in a new block (`new`), freed when the scope ends. A value that does not fit
   * `S` is a `MarshalError`, thrown before anything is allocated.
   */
  readonly new: <A>(S: Storable<A>, a: A) => ScopedPtr<A>;
  /** The elements of `xs` in a new array (`newArray`), freed when the scope ends. */
  readonly newArray: <A>(S: Storable<A>, xs: readonly A[]) => ScopedPtr<A>;
  /** As `scoped.newArray`, with `marker` after the elements (`newArray0`). */
  readonly newArray0: <A>(S: Storable<A>, marker: A, xs: readonly A[]) => ScopedPtr<A>;
  /**
   * `s` as a NUL-terminated UTF-8 string in a new block (`newCString`), freed when the scope
   * ends. The `MarshalError`s of `newCString` are thrown before anything is allocated.
   */
  readonly newCString: (s: string) => ScopedPtr<number>;
  /** `s` as UTF-8 bytes with their length (`newCStringLen`), freed when the scope ends. */
  readonly newCStringLen: (s: string) => ScopedCStringLen;
  /**
   * A new pool (`newPool`), freed with every block in it when the scope ends; a `Pool` is
   * itself disposable, so this is `newPool()()`.
   */
  readonly pool: () => Pool;
  /**
   * A `ForeignPtr` to room for a value of `S` (`mallocForeignPtr`), finalized — so freed —
   * when the scope ends, if nothing finalized it before.
   */
  readonly mallocForeignPtr: <A>(S: Storable<A>) => ScopedForeignPtr<A>;
  /** As `scoped.mallocForeignPtr`, for `size` bytes (`mallocForeignPtrBytes`). */
  readonly mallocForeignPtrBytes: <A = any>(size: number | bigint) => ScopedForeignPtr<A>;
  /** As `scoped.mallocForeignPtr`, for `n` elements (`mallocForeignPtrArray`). */
  readonly mallocForeignPtrArray: <A>(S: Storable<A>, n: number | bigint) => ScopedForeignPtr<A>;
  /**
   * Scopes an existing `ForeignPtr`: `finalizeForeignPtr` runs when the scope ends (its
   * finalizers, if they have not run; nothing for a pointer without finalizers). Anything
   * else than a `ForeignPtr` is a `TypeError`.
   */
  readonly foreignPtr: <A>(fp: ForeignPtr<A>) => ScopedForeignPtr<A>;
}

/**
 * The scoped allocations bound to a context, built from the same bodies as its
 * `Foreign.Marshal.Alloc`, `.Utils`, `.Array`, `.Pool` and `Foreign.C.String` functions: they
 * check their arguments the same way, before allocating, and their errors name the scoped call
 * (`scoped.mallocBytes: size must be…`). `utils`, `arrays` and `strings` are taken for the
 * uniformity of the composition. A context or a part that is not one is a `TypeError` naming
 * `scopedAllocations`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const scopedAllocations = (
  ctx: Context,
  alloc: MarshalAlloc,
  utils: MarshalUtils,
  arrays: MarshalArray,
  strings: CStringFunctions,
  pools: MarshalPool,
): ScopedAllocations => {
  const call = 'scopedAllocations';
  checkContext(call, ctx);
  checkParts(call, 'utils', utils, ['new']);
  checkParts(call, 'arrays', arrays, ['mallocArray', 'mallocArray0', 'newArray', 'newArray0']);
  checkParts(call, 'strings', strings, ['newCString', 'newCStringLen']);
  checkParts(call, 'pools', pools, ['newPool']);
  const makers = foreignPtrMakers(ctx, alloc, call);

  /** The block `p` made by `call`, scoped; an `AllocationError` of `size` bytes if null. */
  const scope = <A>(call: string, size: number, p: number): ScopedPtr<A> => {
    if (p === nullPtr) throw new AllocationError(call, size);
    return new ScopedPtr(p as Ptr<A>, ctx);
  };

  /** `size` bytes aligned to `align` (zeroed when `zero`), scoped. */
  const block = <A>(
    call: string,
    size: number | bigint,
    align: number,
    zero: boolean,
  ): ScopedPtr<A> => {
    const n = checkSize(call, 'size', size);
    return scope(call, n, allocateAligned(ctx, call, n, align, zero));
  };

  /** `n` elements of `S` (and a terminator when `extra` is 1), scoped. */
  const arrayBlock = <A>(
    call: string,
    S: Storable<A>,
    n: number | bigint,
    extra: 0 | 1,
  ): ScopedPtr<A> => block(call, arrayBytes(call, S, n, extra), S.alignment, false);

  /** `xs` (then `marker`) in a new array, scoped. */
  const newArrayBlock = <A>(
    call: string,
    S: Storable<A>,
    xs: readonly A[],
    marker?: { readonly value: A },
  ): ScopedPtr<A> => {
    const p = newArrayFor(ctx, call, S, xs, marker);
    return scope(call, p === nullPtr ? arrayBytes(call, S, xs.length, marker ? 1 : 0) : 0, p);
  };

  return {
    malloc: <A>(S: Storable<A>): ScopedPtr<A> =>
      block('scoped.malloc', storableArg('scoped.malloc', S).sizeOf, S.alignment, false),

    mallocBytes: <A = any>(size: number | bigint): ScopedPtr<A> =>
      block('scoped.mallocBytes', size, MALLOC_ALIGNMENT, false),

    calloc: <A>(S: Storable<A>): ScopedPtr<A> =>
      block('scoped.calloc', storableArg('scoped.calloc', S).sizeOf, S.alignment, true),

    callocBytes: <A = any>(size: number | bigint): ScopedPtr<A> =>
      block('scoped.callocBytes', size, MALLOC_ALIGNMENT, true),

    mallocArray: <A>(S: Storable<A>, n: number | bigint): ScopedPtr<A> =>
      arrayBlock('scoped.mallocArray', S, n, 0),

    mallocArray0: <A>(S: Storable<A>, n: number | bigint): ScopedPtr<A> =>
      arrayBlock('scoped.mallocArray0', S, n, 1),

    new: <A>(S: Storable<A>, a: A): ScopedPtr<A> =>
      scope('scoped.new', storableArg('scoped.new', S).sizeOf, newValue(ctx, 'scoped.new', S, a)),

    newArray: <A>(S: Storable<A>, xs: readonly A[]): ScopedPtr<A> =>
      newArrayBlock('scoped.newArray', S, xs),

    newArray0: <A>(S: Storable<A>, marker: A, xs: readonly A[]): ScopedPtr<A> =>
      newArrayBlock('scoped.newArray0', S, xs, { value: marker }),

    newCString: (s: string): ScopedPtr<number> => {
      const [p, n] = newEncoded(ctx, 'scoped.newCString', s, true);
      return scope('scoped.newCString', n + 1, p);
    },

    newCStringLen: (s: string): ScopedCStringLen => {
      const [p, n] = newEncoded(ctx, 'scoped.newCStringLen', s, false);
      if (p === nullPtr) throw new AllocationError('scoped.newCStringLen', n);
      return new ScopedCStringLen(p, n, ctx);
    },

    pool: (): Pool => pools.newPool()(),

    mallocForeignPtr: <A>(S: Storable<A>): ScopedForeignPtr<A> =>
      new ScopedForeignPtr(
        makers.malloc<A>(
          'scoped.mallocForeignPtr',
          storableArg('scoped.mallocForeignPtr', S).sizeOf,
          S.alignment,
        ),
      ),

    mallocForeignPtrBytes: <A = any>(size: number | bigint): ScopedForeignPtr<A> =>
      new ScopedForeignPtr(
        makers.malloc<A>('scoped.mallocForeignPtrBytes', size, MALLOC_ALIGNMENT),
      ),

    mallocForeignPtrArray: <A>(S: Storable<A>, n: number | bigint): ScopedForeignPtr<A> =>
      new ScopedForeignPtr(makers.mallocArray('scoped.mallocForeignPtrArray', S, n, 0)),

    foreignPtr: <A>(fp: ForeignPtr<A>): ScopedForeignPtr<A> =>
      new ScopedForeignPtr(checkForeignPtr('scoped.foreignPtr', fp) as ForeignPtr<A>),
  };
};
