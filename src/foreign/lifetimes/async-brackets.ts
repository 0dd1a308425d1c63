/**
 * Asynchronous brackets: `alloca`, `allocaBytes`, `allocaBytesAligned`, `allocaArray`, the
 * `with*` family and `withPool` for bodies that are fp-ts `Task`s (`task.*`) or `TaskEither`s
 * (`taskEither.*`). The memory lives until the body's promise settles — it resolves, rejects,
 * or (for `TaskEither`) holds a `Left` — and is released then, before the bracket's own promise
 * settles.
 *
 * Asynchronous bodies interleave: a bracket opened first may end last or first. So these
 * brackets never take from the context's LIFO alloca stack; each takes one block from the
 * context's allocator and frees it when its own promise settles, in whatever order the promises
 * settle. Synchronous brackets (`alloca`, `withArray`, …) inside an asynchronous body are fine:
 * they end before the body's next `await`.
 *
 * Failure. The `task` forms keep the rules of their synchronous twins: `task.alloca`,
 * `task.allocaBytes`, `task.allocaBytesAligned`, `task.allocaArray` and `task.allocaArray0`
 * give the body `nullPtr` when the allocator cannot meet them (the Haskell 2010 report's rule);
 * `task.with*` reject with an `AllocationError` without running the body (there is no value to
 * hand over). The `taskEither` forms give `Left(AllocationError)` without running the body,
 * for every function. Bad arguments (a bad size or alignment, a value that does not fit its
 * instance, a string that cannot be encoded, an instance that is not one, a body that is not a
 * function) reject the promise before anything is allocated, in both forms: they are bugs, not
 * data. A body that returns no `Task` rejects the promise too, after its memory is freed.
 *
 * @since 0.1.0
 */
import * as E from '#fp-ts/Either.js';
import type { Task } from 'fp-ts/lib/Task.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { MALLOC_ALIGNMENT, checkAlignment, checkSize } from '../../arguments/index.js';
import { marshalErrorOf, storableArg, writableBytesAt, type Storable } from '../storable/index.js';
import {
  BRACKET,
  allocateAligned,
  checkContext,
  checkParts,
  ownershipOf,
  releaseOwned,
  type Context,
} from '../../interface/index.js';
import { encodedLength, writeCString, type CString, type CStringLen } from '../c/index.js';
import {
  arrayBytes,
  checkArray,
  writeArray,
  AllocationError,
  checkFunction,
  programOf,
  programOf2,
  release,
  type MarshalPool,
  type Pool,
} from '../marshal/index.js';
import { nullPtr, type Ptr } from '../ptr.js';

/** What a bracket does when its block cannot be had: reject, or return a `Left`. */
type OnFailure = <R>(error: AllocationError) => R;

const reject: OnFailure = (error) => {
  throw error;
};
const left: OnFailure = <R>(error: AllocationError): R => E.left(error) as R;

/**
 * The asynchronous brackets bound to a context: `task` and `taskEither`, each with the same
 * functions. `pools` is the context's `Foreign.Marshal.Pool` (for `withPool`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const asyncBrackets = (ctx: Context, pools: MarshalPool): AsyncBrackets => {
  const { memory } = checkContext('asyncBrackets', ctx);
  checkParts('asyncBrackets', 'pools', pools, ['newPool']);
  const ownership = ownershipOf(memory);

  /**
   * Takes `size` bytes aligned to `align` from the allocator, runs `body` with their address
   * (`nullPtr` when they cannot be had), and frees them once the body's promise has settled.
   * The block is owned meanwhile: `free` of it is refused.
   */
  const within = async <R>(
    call: string,
    size: number,
    align: number | bigint,
    body: (p: number) => Promise<R>,
  ): Promise<R> => {
    const p = allocateAligned(ctx, call, size, checkAlignment(call, align), false);
    if (p === nullPtr) return body(p);
    ownership.take(p, BRACKET);
    try {
      return await body(p);
    } finally {
      releaseOwned(ctx, call, p);
    }
  };

  /** `within`, for the alloca forms: the body gets `nullPtr`, or fails as `onFailure` says. */
  const allocaWithin = async <A, R>(
    call: string,
    bytes: number | bigint,
    align: number | bigint,
    onFailure: OnFailure | undefined,
    body: (p: Ptr<A>) => () => Promise<R>,
  ): Promise<R> => {
    checkFunction(call, 'the body', body);
    const size = checkSize(call, 'size', bytes);
    return within(call, size, align, async (p) =>
      p === nullPtr && onFailure !== undefined
        ? onFailure<R>(new AllocationError(call, size))
        : programOf(call, 'the body', body, p as Ptr<A>)(),
    );
  };

  /** `allocaWithin` for `n` elements of `S` (and a terminator when `extra` is 1). */
  const arrayWithin = <A, R>(
    call: string,
    S: Storable<A>,
    n: number | bigint,
    extra: 0 | 1,
    onFailure: OnFailure | undefined,
    body: (p: Ptr<A>) => () => Promise<R>,
  ): Promise<R> => allocaWithin(call, arrayBytes(call, S, n, extra), S.alignment, onFailure, body);

  /** `within`, for the with forms: `fill` writes the value, or the bracket fails first. */
  const filledWithin = <R>(
    call: string,
    size: number,
    align: number,
    onFailure: OnFailure,
    fill: (p: number) => void,
    body: (p: number) => Promise<R>,
  ): Promise<R> =>
    within(call, size, align, async (p) => {
      if (p === nullPtr) return onFailure<R>(new AllocationError(call, size));
      fill(p);
      return body(p);
    });

  const withValue = <A, R>(
    call: string,
    onFailure: OnFailure,
    S: Storable<A>,
    a: A,
    body: (p: Ptr<A>) => () => Promise<R>,
  ): Promise<R> => {
    if (!storableArg(call, S).codec.is(a)) throw marshalErrorOf(call, S.codec, a);
    checkFunction(call, 'the body', body);
    return filledWithin(
      call,
      S.sizeOf,
      S.alignment,
      onFailure,
      (p) => S.write(writableBytesAt(memory, call, p, S.sizeOf), p, a),
      (p) => programOf(call, 'the body', body, p as Ptr<A>)(),
    );
  };

  const withArrayOf = async <A, R>(
    call: string,
    onFailure: OnFailure,
    S: Storable<A>,
    xs: readonly A[],
    marker: { readonly value: A } | undefined,
    withLength: boolean,
    body: ((n: number, p: Ptr<A>) => () => Promise<R>) | ((p: Ptr<A>) => () => Promise<R>),
  ): Promise<R> => {
    const bytes = checkArray(call, S, xs, marker);
    checkFunction(call, 'the body', body);
    const n = xs.length;
    return filledWithin(
      call,
      bytes,
      S.alignment,
      onFailure,
      (p) => writeArray(memory, call, S, p, bytes, xs, marker),
      (p) =>
        (withLength
          ? programOf2(
              call,
              'the body',
              body as (n: number, p: Ptr<A>) => () => Promise<R>,
              n,
              p as Ptr<A>,
            )
          : programOf(call, 'the body', body as (p: Ptr<A>) => () => Promise<R>, p as Ptr<A>))(),
    );
  };

  const withString = async <R>(
    call: string,
    onFailure: OnFailure,
    s: string,
    terminate: boolean,
    body: ((p: CString) => () => Promise<R>) | ((csl: CStringLen) => () => Promise<R>),
  ): Promise<R> => {
    const n = encodedLength(call, terminate ? 'CString' : 'CStringLen', s);
    checkFunction(call, 'the body', body);
    return filledWithin(
      call,
      terminate ? n + 1 : n,
      MALLOC_ALIGNMENT,
      onFailure,
      (p) => writeCString(memory, call, s, n, p, terminate),
      (p) =>
        (terminate
          ? programOf(call, 'the body', body as (p: CString) => () => Promise<R>, p as CString)
          : programOf(
              call,
              'the body',
              body as (csl: CStringLen) => () => Promise<R>,
              [p as CString, n] as const,
            ))(),
    );
  };

  const withPoolOf = async <R>(call: string, f: (pool: Pool) => () => Promise<R>): Promise<R> => {
    checkFunction(call, 'the body', f);
    const pool = pools.newPool()();
    try {
      return await programOf(call, 'the body', f, pool)();
    } finally {
      if (!pool.freed) release(call, pool);
    }
  };

  /**
   * The thirteen brackets, one body for both families: `prefix` names the calls (`task.alloca`,
   * `taskEither.alloca`), `allocaFailure` is what the alloca forms do without memory (`undefined`:
   * the body gets `nullPtr`), `withFailure` what the `with*` forms do (reject, or `Left`).
   */
  const bracketsOf = (
    prefix: 'task' | 'taskEither',
    allocaFailure: OnFailure | undefined,
    withFailure: OnFailure,
  ) => {
    const name = Object.fromEntries(BRACKET_KEYS.map((k) => [k, `${prefix}.${k}`])) as Record<
      (typeof BRACKET_KEYS)[number],
      string
    >;
    type Body<A, R> = (p: Ptr<A>) => () => Promise<R>;
    type LenBody<A, R> = (n: number, p: Ptr<A>) => () => Promise<R>;
    const brackets = {
      alloca:
        <A, R>(S: Storable<A>, f: Body<A, R>) =>
        async () =>
          allocaWithin(
            name.alloca,
            storableArg(name.alloca, S).sizeOf,
            S.alignment,
            allocaFailure,
            f,
          ),
      allocaBytes:
        <A, R>(size: number | bigint, f: Body<A, R>) =>
        async () =>
          allocaWithin(name.allocaBytes, size, MALLOC_ALIGNMENT, allocaFailure, f),
      allocaBytesAligned:
        <A, R>(size: number | bigint, align: number | bigint, f: Body<A, R>) =>
        async () =>
          allocaWithin(name.allocaBytesAligned, size, align, allocaFailure, f),
      allocaArray:
        <A, R>(S: Storable<A>, n: number | bigint, f: Body<A, R>) =>
        async () =>
          arrayWithin(name.allocaArray, S, n, 0, allocaFailure, f),
      allocaArray0:
        <A, R>(S: Storable<A>, n: number | bigint, f: Body<A, R>) =>
        async () =>
          arrayWithin(name.allocaArray0, S, n, 1, allocaFailure, f),
      with:
        <A, R>(S: Storable<A>, a: A, f: Body<A, R>) =>
        async () =>
          withValue(name.with, withFailure, S, a, f),
      withArray:
        <A, R>(S: Storable<A>, xs: readonly A[], f: Body<A, R>) =>
        async () =>
          withArrayOf(name.withArray, withFailure, S, xs, undefined, false, f),
      withArray0:
        <A, R>(S: Storable<A>, marker: A, xs: readonly A[], f: Body<A, R>) =>
        async () =>
          withArrayOf(name.withArray0, withFailure, S, xs, { value: marker }, false, f),
      withArrayLen:
        <A, R>(S: Storable<A>, xs: readonly A[], f: LenBody<A, R>) =>
        async () =>
          withArrayOf(name.withArrayLen, withFailure, S, xs, undefined, true, f),
      withArrayLen0:
        <A, R>(S: Storable<A>, marker: A, xs: readonly A[], f: LenBody<A, R>) =>
        async () =>
          withArrayOf(name.withArrayLen0, withFailure, S, xs, { value: marker }, true, f),
      withCString:
        <R>(s: string, f: (p: CString) => () => Promise<R>) =>
        async () =>
          withString(name.withCString, withFailure, s, true, f),
      withCStringLen:
        <R>(s: string, f: (csl: CStringLen) => () => Promise<R>) =>
        async () =>
          withString(name.withCStringLen, withFailure, s, false, f),
      withPool:
        <R>(f: (pool: Pool) => () => Promise<R>) =>
        async () =>
          withPoolOf(name.withPool, f),
    } satisfies Record<(typeof BRACKET_KEYS)[number], unknown>;
    return brackets;
  };

  return {
    task: bracketsOf('task', undefined, reject) as TaskBrackets,
    taskEither: bracketsOf('taskEither', left, left) as unknown as TaskEitherBrackets,
  };
};

/**
 * The keys of {@link TaskBrackets} and {@link TaskEitherBrackets}, the same thirteen brackets:
 * the one list the package root and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const BRACKET_KEYS = [
  'alloca',
  'allocaBytes',
  'allocaBytesAligned',
  'allocaArray',
  'allocaArray0',
  'with',
  'withArray',
  'withArray0',
  'withArrayLen',
  'withArrayLen0',
  'withCString',
  'withCStringLen',
  'withPool',
] as const;

/**
 * Brackets whose bodies are `Task`s: the memory is released when the body's promise settles,
 * resolved or rejected, and a rejection passes through.
 *
 * @category model
 * @since 0.1.0
 */
export interface TaskBrackets {
  /**
   * Runs `f` with room for one value of `S` (its size and alignment) from the context's
   * allocator, freed when `f`'s promise settles. `f` gets `nullPtr` when the allocator cannot
   * give it, as `alloca` does.
   */
  readonly alloca: <A, B>(S: Storable<A>, f: (p: Ptr<A>) => Task<B>) => Task<B>;
  /**
   * Runs `f` with `size` bytes aligned to 8, freed when `f`'s promise settles (`nullPtr` when
   * they cannot be had). A bad size rejects with a `RangeError`; size 0 gives a valid, distinct
   * pointer.
   */
  readonly allocaBytes: <B, A = any>(size: number | bigint, f: (p: Ptr<A>) => Task<B>) => Task<B>;
  /**
   * As `task.allocaBytes`, aligned to `align`, a power of two (a `RangeError` otherwise,
   * including 0, which GHC lets through).
   */
  readonly allocaBytesAligned: <B, A = any>(
    size: number | bigint,
    align: number | bigint,
    f: (p: Ptr<A>) => Task<B>,
  ) => Task<B>;
  /**
   * Runs `f` with room for `n` elements of `S`, freed when `f`'s promise settles (`nullPtr`
   * when it cannot be had). A bad `n` or an overflow rejects with a `RangeError`.
   */
  readonly allocaArray: <A, B>(
    S: Storable<A>,
    n: number | bigint,
    f: (p: Ptr<A>) => Task<B>,
  ) => Task<B>;
  /** As `task.allocaArray`, with room for one more element: the terminator. */
  readonly allocaArray0: <A, B>(
    S: Storable<A>,
    n: number | bigint,
    f: (p: Ptr<A>) => Task<B>,
  ) => Task<B>;
  /**
   * Runs `f` with a pointer to `a`, stored in memory freed when `f`'s promise settles (Haskell's
   * `with`). A value that does not fit `S` rejects with a `MarshalError`, and a failed
   * allocation with an `AllocationError`, before `f` runs.
   */
  readonly with: <A, B>(S: Storable<A>, a: A, f: (p: Ptr<A>) => Task<B>) => Task<B>;
  /**
   * Runs `f` with a pointer to the elements of `xs`, freed when `f`'s promise settles. An
   * element that does not fit `S` rejects with a `MarshalError` naming it, and a failed
   * allocation with an `AllocationError`, before anything is written and before `f` runs.
   */
  readonly withArray: <A, B>(
    S: Storable<A>,
    xs: readonly A[],
    f: (p: Ptr<A>) => Task<B>,
  ) => Task<B>;
  /** As `task.withArray`, with `marker` written after the elements. */
  readonly withArray0: <A, B>(
    S: Storable<A>,
    marker: A,
    xs: readonly A[],
    f: (p: Ptr<A>) => Task<B>,
  ) => Task<B>;
  /** As `task.withArray`, passing `f` the number of elements too. */
  readonly withArrayLen: <A, B>(
    S: Storable<A>,
    xs: readonly A[],
    f: (n: number, p: Ptr<A>) => Task<B>,
  ) => Task<B>;
  /** As `task.withArray0`, passing `f` the number of elements, without the terminator. */
  readonly withArrayLen0: <A, B>(
    S: Storable<A>,
    marker: A,
    xs: readonly A[],
    f: (n: number, p: Ptr<A>) => Task<B>,
  ) => Task<B>;
  /**
   * Runs `f` with `s` as a NUL-terminated UTF-8 string, freed when `f`'s promise settles. A
   * string that is not a string, holds a NUL or a lone surrogate rejects with a `MarshalError`,
   * a failed allocation with an `AllocationError`, before `f` runs.
   */
  readonly withCString: <B>(s: string, f: (p: CString) => Task<B>) => Task<B>;
  /**
   * Runs `f` with `s` as UTF-8 bytes (pointer and length in bytes, no terminator, NULs kept),
   * freed when `f`'s promise settles. Errors as `task.withCString`, NULs allowed.
   */
  readonly withCStringLen: <B>(s: string, f: (csl: CStringLen) => Task<B>) => Task<B>;
  /**
   * Runs `f` with a new pool and frees the pool, with every block in it, when `f`'s promise
   * settles (Haskell's `withPool`). If `f` frees the pool itself, nothing more is done.
   */
  readonly withPool: <B>(f: (pool: Pool) => Task<B>) => Task<B>;
}

/**
 * Brackets whose bodies are `TaskEither`s: the memory is released when the body's promise
 * settles, whether it holds a `Right` or a `Left`, or rejects. A failed allocation is
 * `Left(AllocationError)`, and the body does not run.
 *
 * @category model
 * @since 0.1.0
 */
export interface TaskEitherBrackets {
  /** As `task.alloca`; a failed allocation is `Left(AllocationError)`. */
  readonly alloca: <A, E, B>(
    S: Storable<A>,
    f: (p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.allocaBytes`; a failed allocation is `Left(AllocationError)`. */
  readonly allocaBytes: <E, B, A = any>(
    size: number | bigint,
    f: (p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.allocaBytesAligned`; a failed allocation is `Left(AllocationError)`. */
  readonly allocaBytesAligned: <E, B, A = any>(
    size: number | bigint,
    align: number | bigint,
    f: (p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.allocaArray`; a failed allocation is `Left(AllocationError)`. */
  readonly allocaArray: <A, E, B>(
    S: Storable<A>,
    n: number | bigint,
    f: (p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.allocaArray0`; a failed allocation is `Left(AllocationError)`. */
  readonly allocaArray0: <A, E, B>(
    S: Storable<A>,
    n: number | bigint,
    f: (p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.with`; a failed allocation is `Left(AllocationError)`. */
  readonly with: <A, E, B>(
    S: Storable<A>,
    a: A,
    f: (p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.withArray`; a failed allocation is `Left(AllocationError)`. */
  readonly withArray: <A, E, B>(
    S: Storable<A>,
    xs: readonly A[],
    f: (p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.withArray0`; a failed allocation is `Left(AllocationError)`. */
  readonly withArray0: <A, E, B>(
    S: Storable<A>,
    marker: A,
    xs: readonly A[],
    f: (p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.withArrayLen`; a failed allocation is `Left(AllocationError)`. */
  readonly withArrayLen: <A, E, B>(
    S: Storable<A>,
    xs: readonly A[],
    f: (n: number, p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.withArrayLen0`; a failed allocation is `Left(AllocationError)`. */
  readonly withArrayLen0: <A, E, B>(
    S: Storable<A>,
    marker: A,
    xs: readonly A[],
    f: (n: number, p: Ptr<A>) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.withCString`; a failed allocation is `Left(AllocationError)`. */
  readonly withCString: <E, B>(
    s: string,
    f: (p: CString) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /** As `task.withCStringLen`; a failed allocation is `Left(AllocationError)`. */
  readonly withCStringLen: <E, B>(
    s: string,
    f: (csl: CStringLen) => TaskEither<E, B>,
  ) => TaskEither<E | AllocationError, B>;
  /**
   * As `task.withPool`: the pool is freed when the body's promise settles, `Left` or `Right`.
   * (Making a pool allocates nothing, so there is no `AllocationError` here; pooled allocations
   * give `nullPtr` as everywhere.)
   */
  readonly withPool: <E, B>(f: (pool: Pool) => TaskEither<E, B>) => TaskEither<E, B>;
}

/**
 * The asynchronous brackets bound to a context: what {@link asyncBrackets} returns.
 *
 * @category model
 * @since 0.1.0
 */
export interface AsyncBrackets {
  /** The brackets whose bodies are `Task`s. */
  readonly task: TaskBrackets;
  /** The brackets whose bodies are `TaskEither`s. */
  readonly taskEither: TaskEitherBrackets;
}
