/**
 * `Foreign.Marshal.Array`: arrays of `Storable` values in the context's memory — allocation
 * (`mallocArray`, `callocArray`, `allocaArray`, `reallocArray`), marshalling of JavaScript
 * arrays (`peekArray`, `pokeArray`, `newArray`, `withArray`), arrays ended by a marker (the
 * `…0` forms, as C strings end with NUL), copying (`copyArray`, `moveArray`) and
 * {@link advancePtr}.
 *
 * The sizes are `n * sizeOf(S)`, checked: a count that is not a non-negative safe integer, or a
 * size that overflows, is a `RangeError` (Haskell multiplies without a check). Allocations take
 * the alignment of the element, also above 16 bytes. As the Haskell 2010 report says, an
 * allocation that cannot be met gives `nullPtr`; the `either` flavours return an
 * `AllocationError` on the left instead.
 *
 * An instance that is not a Storable instance, or a body that is not a function returning a
 * program, is a `TypeError` naming the call. One element (or the marker of the `…0` forms) that
 * does not fit is a `MarshalError` whose path names it (`[3]`, `[3].x`, `marker`), and then
 * nothing is written, allocated or leaked: the allocating forms check every element before they
 * allocate; `pokeArray` and `pokeArray0` check each element as they write it, over a snapshot of
 * the destination's bytes that they put back on the error (see {@link MarshalArray.pokeArray}).
 * The bounds of the whole array are checked once, then the elements are read or written
 * directly.
 *
 * @since 0.1.0
 */
import * as E from '#fp-ts/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import {
  MALLOC_ALIGNMENT,
  checkProduct,
  checkSize,
  integerArgument,
} from '../../arguments/index.js';
import { type Memory, makeViews, type Views } from '../../memory/index.js';
import {
  arrayWriterOf,
  bytesAt,
  MarshalError,
  elementPath,
  marshalErrorOf,
  rootLabel,
  storableArg,
  writableBytesAt,
  type Storable,
} from '../storable/index.js';
import {
  allocateAligned,
  allocateFilled,
  checkContext,
  checkParts,
  checkReleasable,
  reallocFor,
  type Context,
} from '../../interface/index.js';
import { checkOffset, checkPtr, nullPtr, type Ptr } from '../ptr.js';
import { allocaFilled, allocaRun, orError, type MarshalAlloc } from './alloc.js';
import { AllocationError } from './allocation-error.js';
import { OverlapError } from './overlap-error.js';
import { programOf, programOf2 } from './synchronous.js';

/**
 * The address `n` elements of `S` after `p` (before, for negative `n`): `p + n * sizeOf(S)`
 * (Haskell's `advancePtr`). A pure function, not bound to a context.
 *
 * Haskell does no check; here a `p` that is not a pointer, an `n` that is not a safe integer, or
 * a result that is not an address (below 0, beyond 2^53 − 1) is a `RangeError`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const advancePtr = <A>(S: Storable<A>, p: Ptr<A>, count: number | bigint): Ptr<A> => {
  storableArg('advancePtr', S);
  checkPtr('advancePtr', p);
  const n = checkOffset('advancePtr', count, 'count');
  const by = n * S.sizeOf;
  const q = p + by;
  if (!Number.isSafeInteger(by) || !Number.isSafeInteger(q) || q < 0) {
    throw new RangeError(
      `advancePtr: ${p} + ${n} × ${S.sizeOf} is not an address (a non-negative safe integer)`,
    );
  }
  return q as Ptr<A>;
};

/** The part of an error's path below the root of a value of `S` (`.x` of `Point.x`). */
const below = (path: string, S: Storable<any>): string => {
  for (const name of [S.codec.name, S.name]) {
    const root = rootLabel(name);
    if (path === root) return '';
    const next = path.charAt(root.length);
    if (path.startsWith(root) && (next === '.' || next === '[')) return path.slice(root.length);
  }
  return '';
};

/** The `MarshalError` `e` as reported by `call`, at `at` (`[3]`, `marker`) in place of the root. */
const relabel = (e: MarshalError, call: string, at: string, S: Storable<any>): MarshalError =>
  new MarshalError(call, at + below(e.path, S), e.value, e.instance, e.reason, e.errors);

/** Throws the `MarshalError` of `x`, which does not fit `S`, found at `at`. */
const misfit = (call: string, S: Storable<any>, at: string, x: unknown): never => {
  throw relabel(marshalErrorOf(call, S.codec, x), call, at, S);
};

/** Checks that `xs` is an array whose every element fits `S`, before anything happens. */
const checkElements = <A>(call: string, S: Storable<A>, xs: readonly A[]): void => {
  storableArg(call, S);
  if (!Array.isArray(xs)) {
    throw new TypeError(`${call}: the elements must be an array, got ${typeof xs}`);
  }
  // Property reads in the loops, not cached functions: a layout installs its compiled
  // `is`, `read` and `write` on first use.
  for (let i = 0; i < xs.length; i++) {
    if (!S.codec.is(xs[i])) misfit(call, S, elementPath('', i), xs[i]);
  }
};

/** Checks that the marker of a `…0` form fits `S`. */
const checkMarker = <A>(call: string, S: Storable<A>, marker: A): void => {
  if (!storableArg(call, S).codec.is(marker)) misfit(call, S, 'marker', marker);
};

/**
 * The bytes of `n` elements of `S` (plus one terminator slot when `extra` is 1). Throws a
 * `RangeError` naming `call` when `n` is not a count or the size overflows (Haskell does not
 * check), and a `TypeError` when `S` is not an instance.
 *
 * @category utils
 * @since 0.1.0
 */
export const arrayBytes = (
  call: string,
  S: Storable<any>,
  n: number | bigint,
  extra: 0 | 1,
): number => {
  storableArg(call, S);
  return checkProduct(call, checkSize(call, 'n', n) + extra, S.sizeOf);
};

/** Writes `xs` (then `marker`, if given) at `p`, whose bytes `v` reaches. No checks. */
const writeAll = <A>(
  S: Storable<A>,
  v: Views,
  p: number,
  xs: readonly A[],
  marker?: { readonly value: A },
): void => {
  const size = S.sizeOf;
  const n = xs.length;
  for (let i = 0; i < n; i++) S.write(v, p + i * size, xs[i] as A);
  if (marker !== undefined) S.write(v, p + n * size, marker.value);
};

/**
 * The largest array `pokeArray` writes in one checking pass over a snapshot of its bytes (1 MiB,
 * 18,724 structs of 56 bytes); larger ones are checked in a pass of their own, then written.
 */
const SNAPSHOT_LIMIT = 1 << 20;

/** The snapshot buffer between two calls (taken out while in use: a getter may poke again). */
let spare: Uint8Array | undefined;

/** A copy of the bytes `[p, p + bytes)` of `u8`, in the spare buffer when it is big enough. */
const snapshot = (u8: Uint8Array, p: number, bytes: number): Uint8Array => {
  let copy = spare;
  spare = undefined;
  if (copy === undefined || copy.length < bytes) copy = new Uint8Array(bytes);
  copy.set(u8.subarray(p, p + bytes));
  return copy;
};

/** Keeps `copy` as the spare buffer, unless the spare is bigger. */
const keep = (copy: Uint8Array): void => {
  if (spare === undefined || spare.length < copy.length) spare = copy;
};

/** Puts the bytes of `copy` back at `p`, through the memory's current views. */
const restore = (
  memory: Memory,
  call: string,
  p: number,
  bytes: number,
  copy: Uint8Array,
): void => {
  writableBytesAt(memory, call, p, bytes).u8.set(copy.subarray(0, bytes), p);
  keep(copy);
};

/**
 * The views that reach the `bytes` of `xs` (then `marker`) at `p`. Their errors (a size that
 * overflows, a bad pointer, the end of memory) come after the elements' own: on one of them,
 * the elements and the marker are checked first, and a misfit is what is thrown.
 */
const destination = <A>(
  memory: Memory,
  call: string,
  S: Storable<A>,
  p: number,
  xs: readonly A[],
  marker?: { readonly value: A },
): { readonly v: Views; readonly bytes: number } => {
  try {
    const bytes = arrayBytes(call, S, xs.length, marker === undefined ? 0 : 1);
    return { v: writableBytesAt(memory, call, p, bytes), bytes };
  } catch (e) {
    checkArray(call, S, xs, marker);
    throw e;
  }
};

/**
 * `pokeArray` and `pokeArray0`: writes `xs` (then `marker`) at `p`, or throws with memory
 * unchanged. Each element is checked as it is written, in one pass of the instance's array
 * writer, over a snapshot of the destination's bytes: at the first misfit (or anything an
 * element throws) the snapshot is put back and the misfit's `MarshalError` thrown, as if every
 * element had been checked first. A shared memory (other threads could see the bytes between
 * write and restore) or an array above {@link SNAPSHOT_LIMIT} is checked in a pass of its own,
 * then written.
 */
const pokeAll = <A>(
  memory: Memory,
  call: string,
  S: Storable<A>,
  p: number,
  xs: readonly A[],
  marker?: { readonly value: A },
): void => {
  storableArg(call, S);
  if (!Array.isArray(xs)) checkElements(call, S, xs);
  if (marker !== undefined && !S.codec.is(marker.value)) checkArray(call, S, xs, marker);
  const { v, bytes } = destination(memory, call, S, p, xs, marker);
  const n = xs.length;
  if (memory.shared || bytes > SNAPSHOT_LIMIT) {
    checkElements(call, S, xs);
    writeAll(S, v, p, xs, marker);
    return;
  }
  const copy = snapshot(v.u8, p, bytes);
  let bad: number;
  try {
    bad = arrayWriterOf(S)(v, p, xs, n);
  } catch (e) {
    restore(memory, call, p, bytes, copy);
    throw e;
  }
  if (bad >= 0) {
    restore(memory, call, p, bytes, copy);
    misfit(call, S, elementPath('', bad), xs[bad]);
  }
  keep(copy);
  if (marker !== undefined) S.write(v, p + n * S.sizeOf, marker.value);
};

/**
 * Validates an array about to be written for `call` — `xs` must be an array whose every
 * element fits `S`, and `marker` (for the `…0` forms) must fit too — and returns the bytes it
 * takes. Throws the `MarshalError` naming the element (`[3]`, `marker`), or the `RangeError` of
 * a size that overflows, before anything is allocated. With {@link writeArray}: the two halves
 * of `newArray` and `withArray`, for other allocators (pools, asynchronous brackets).
 *
 * @internal
 */
export const checkArray = <A>(
  call: string,
  S: Storable<A>,
  xs: readonly A[],
  marker?: { readonly value: A },
): number => {
  checkElements(call, S, xs);
  if (marker !== undefined) checkMarker(call, S, marker.value);
  return arrayBytes(call, S, xs.length, marker === undefined ? 0 : 1);
};

/**
 * Writes `xs` checked by {@link checkArray} (then `marker`) at `p`, the start of `bytes` bytes.
 *
 * @internal
 */
export const writeArray = <A>(
  memory: Memory,
  call: string,
  S: Storable<A>,
  p: number,
  bytes: number,
  xs: readonly A[],
  marker?: { readonly value: A },
): void => writeAll(S, writableBytesAt(memory, call, p, bytes), p, xs, marker);

/**
 * `xs` (then `marker`) in a new array from the context's allocator, aligned for `S`, or
 * `nullPtr`: the body of `newArray`, `newArray0` and their `either` and `scoped` forms, whose
 * errors name `call`. Every element is checked before anything is allocated.
 *
 * @internal
 */
export const newArrayFor = <A>(
  ctx: Context,
  call: string,
  S: Storable<A>,
  xs: readonly A[],
  marker?: { readonly value: A },
): Ptr<A> => {
  const bytes = checkArray(call, S, xs, marker);
  return allocateFilled(ctx, call, bytes, S.alignment, (p) =>
    writeArray(ctx.memory, call, S, p, bytes, xs, marker),
  ) as Ptr<A>;
};

/** Reads `n` elements at `p`, whose bytes `v` reaches; a bad element's error names it. */
const readAll = <A>(call: string, S: Storable<A>, v: Views, p: number, n: number): A[] => {
  const size = S.sizeOf;
  const out = new Array<A>(n);
  let i = 0;
  try {
    for (; i < n; i++) out[i] = S.read(v, p + i * size);
  } catch (e) {
    throw e instanceof MarshalError ? relabel(e, call, elementPath('', i), S) : e;
  }
  return out;
};

/**
 * The bytes of `marker` as `S` stores it: poked into scratch memory of its own. Markers are
 * compared as stored, so that whatever a `…0` form wrote (`Math.fround(0.1)` for a `Float`
 * marker 0.1, a struct marker without its extra properties), the search finds it.
 */
const storedBytes = <A>(S: Storable<A>, marker: A): Views => {
  const room = Math.max(8, Math.ceil(S.sizeOf / 8) * 8);
  const scratch = makeViews(new ArrayBuffer(room), room);
  S.write(scratch, 0, marker);
  return scratch;
};

/** The unsigned view whose elements are whole elements of `size` bytes (1, 2, 4 or 8). */
const WHOLE_VIEWS: Readonly<Record<number, 'u8' | 'u16' | 'u32' | 'u64'>> = {
  1: 'u8',
  2: 'u16',
  4: 'u32',
  8: 'u64',
};

const overlaps = (dest: number, src: number, n: number): boolean =>
  n > 0 && src < dest + n && dest < src + n;

/**
 * The keys of `MarshalArray['either']`: the one list the package root and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const EITHER_ARRAY_KEYS = [
  'mallocArray',
  'mallocArray0',
  'callocArray',
  'callocArray0',
  'newArray',
  'newArray0',
  'reallocArray',
  'reallocArray0',
] as const;

/**
 * The functions of `Foreign.Marshal.Array` bound to a context.
 *
 * @category model
 * @since 0.1.0
 */
export interface MarshalArray {
  /**
   * Room for `n` elements of `S` from the allocator, aligned for `S` (also above 16 bytes,
   * which GHC's `mallocForeignPtrArray` ignores), or `nullPtr` when it cannot be had. The
   * contents are undefined. Free it with `free`. `n = 0` gives a unique pointer that must be
   * freed, as `mallocBytes(0)`.
   *
   * `n` not a non-negative safe integer, or `n * sizeOf(S)` beyond 2^53 − 1, is a
   * `RangeError` (Haskell does not check either); so is an alignment above 8 when the
   * context's allocator has no `alignedAlloc`.
   */
  readonly mallocArray: <A>(S: Storable<A>, n: number | bigint) => IO<Ptr<A>>;
  /** As `mallocArray`, with room for one more element: the terminator. */
  readonly mallocArray0: <A>(S: Storable<A>, n: number | bigint) => IO<Ptr<A>>;
  /**
   * Runs `f` with a pointer to room for `n` elements of `S` on the alloca stack, released
   * when `f`'s program ends (returns, throws or returns a `Left`). As `alloca`, `f` gets
   * `nullPtr` when neither the stack nor the heap can hold the array. The pointer must not
   * be used afterwards; `free` or `reallocArray` of it is an `InvalidPointerError`.
   * Bad `n` or overflow: `RangeError`, before anything is allocated.
   */
  readonly allocaArray: <A, B>(
    S: Storable<A>,
    n: number | bigint,
    f: (p: Ptr<A>) => IO<B>,
  ) => IO<B>;
  /** As `allocaArray`, with room for one more element: the terminator. */
  readonly allocaArray0: <A, B>(
    S: Storable<A>,
    n: number | bigint,
    f: (p: Ptr<A>) => IO<B>,
  ) => IO<B>;
  /**
   * Resizes the block at `p` to hold `n` elements of `S`, keeping the first
   * `min(old, n)` elements. Returns the new pointer (the old one is dead), or `nullPtr` when
   * the allocator cannot meet it, and then `p` is still valid and unchanged. `nullPtr` in is
   * `mallocArray`; `n = 0` frees `p` and returns `nullPtr` (as GHC).
   *
   * A pointer from `alloca`/`allocaArray`/`withArray` is an `InvalidPointerError` (undefined
   * in Haskell), a pointer that is not a live block is the allocator's
   * `InvalidPointerError`, a bad `n` or an overflow is a `RangeError`, and so is an `S`
   * aligned above 8 bytes with a non-null `p` (a moved block keeps only 8-byte alignment;
   * allocate a new array and `copyArray` instead).
   */
  readonly reallocArray: <A>(S: Storable<A>, p: Ptr<A>, n: number | bigint) => IO<Ptr<A>>;
  /** As `reallocArray`, with room for one more element: the terminator (never frees). */
  readonly reallocArray0: <A>(S: Storable<A>, p: Ptr<A>, n: number | bigint) => IO<Ptr<A>>;
  /** As `mallocArray`, zeroed. */
  readonly callocArray: <A>(S: Storable<A>, n: number | bigint) => IO<Ptr<A>>;
  /** As `mallocArray0`, zeroed. */
  readonly callocArray0: <A>(S: Storable<A>, n: number | bigint) => IO<Ptr<A>>;
  /**
   * Reads `n` elements of `S` at `p`, in order. `n <= 0` gives `[]`, as in Haskell, without
   * touching memory; an `n` that is not a safe integer is a `RangeError`.
   *
   * Errors, with nothing returned: `p` not a pointer (`RangeError`), `nullPtr` with `n > 0`
   * (`NullPointerError`), the array running past the end of memory (`MemoryBoundsError`;
   * undefined in Haskell), an element whose bytes encode no value of `S` (`MarshalError`
   * at `[i]`).
   */
  readonly peekArray: <A>(S: Storable<A>, count: number | bigint, p: Ptr<A>) => IO<A[]>;
  /**
   * Reads the elements of `S` at `p` up to (not including) the first one equal to `marker`.
   * The marker is compared as stored: it is poked into scratch bytes, and an element is the
   * marker when its bytes are those bytes. So whatever `newArray0(S, m, xs)` or `pokeArray0`
   * wrote, `peekArray0(S, m, p)` finds: a `Float` marker 0.1 (stored as `Math.fround(0.1)`),
   * a struct marker with extra properties (not stored), a union marker, a NaN marker (its
   * bytes; Haskell's `Eq Double` never finds one). Where this differs from Haskell's `==`:
   * `-0` and `0` are different markers, and an element whose padding bytes are not zero
   * (written by C) is not a struct marker whose padding this library zeroes.
   *
   * Without a marker before the end of memory it is a `MemoryBoundsError` naming
   * `peekArray0`, never a read past the end (undefined in Haskell). A marker that does not
   * fit `S` is a `MarshalError` at `marker`; other errors as `peekArray`.
   */
  readonly peekArray0: <A>(S: Storable<A>, marker: A, p: Ptr<A>) => IO<A[]>;
  /**
   * Writes the elements of `xs` at `p`, one after another. An element that does not fit `S`
   * is a `MarshalError` whose path names it (`[3]`, `[3].x`; the first such element), and
   * memory is unchanged. The bounds of the whole array are checked once: `p` not a pointer
   * (`RangeError`), `nullPtr` with a non-empty `xs` (`NullPointerError`), past the end of
   * memory (`MemoryBoundsError`), again with nothing written; when an element does not fit
   * either, its `MarshalError` is the one thrown.
   *
   * How (for performance: one pass instead of two): each element is checked as it is written,
   * by the layout's compiled array writer, over a snapshot of the destination's bytes; at the
   * first misfit, or anything an element throws (a getter), the snapshot is put back before
   * the error is thrown. In a shared memory, or for more than 1 MiB, every element is checked
   * in a pass of its own before anything is written, so no other thread ever sees bytes that
   * are then taken back.
   */
  readonly pokeArray: <A>(S: Storable<A>, p: Ptr<A>, xs: readonly A[]) => IO<void>;
  /**
   * As `pokeArray`, then writes `marker` after the last element (at index `xs.length`).
   * The marker is validated with the elements (a `MarshalError` at `marker`).
   */
  readonly pokeArray0: <A>(S: Storable<A>, marker: A, p: Ptr<A>, xs: readonly A[]) => IO<void>;
  /**
   * Allocates an array for `xs` (as `mallocArray`) and writes the elements there. Free it
   * with `free`. Returns `nullPtr` when the allocation fails. `newArray(S, [])` is a valid
   * pointer that must be freed, as GHC's (`mallocBytes 0`).
   *
   * An element that does not fit `S` is a `MarshalError` naming it (`[3]`, `[3].x`), thrown
   * before anything is allocated: nothing is written and nothing leaks.
   */
  readonly newArray: <A>(S: Storable<A>, xs: readonly A[]) => IO<Ptr<A>>;
  /**
   * As `newArray`, with `marker` written after the elements. A marker that does not fit is a
   * `MarshalError` at `marker`, before anything is allocated.
   */
  readonly newArray0: <A>(S: Storable<A>, marker: A, xs: readonly A[]) => IO<Ptr<A>>;
  /**
   * Runs `f` with a pointer to the elements of `xs`, written in temporary memory on the
   * alloca stack that is released when `f`'s program ends: it returns, throws, or returns a
   * `Left`. The elements are validated before anything is allocated (a `MarshalError` naming
   * the element). When neither the stack nor the heap can hold the array, it throws an
   * `AllocationError` without running `f` (GHC throws too; there is no pointer to hand over
   * with the elements in it).
   */
  readonly withArray: <A, B>(S: Storable<A>, xs: readonly A[], f: (p: Ptr<A>) => IO<B>) => IO<B>;
  /** As `withArray`, with `marker` written after the elements. */
  readonly withArray0: <A, B>(
    S: Storable<A>,
    marker: A,
    xs: readonly A[],
    f: (p: Ptr<A>) => IO<B>,
  ) => IO<B>;
  /** As `withArray`, passing `f` the number of elements too. */
  readonly withArrayLen: <A, B>(
    S: Storable<A>,
    xs: readonly A[],
    f: (n: number, p: Ptr<A>) => IO<B>,
  ) => IO<B>;
  /**
   * As `withArray0`, passing `f` the number of elements too: the length **without** the
   * terminator, as GHC (`withArrayLen0(Int32, 0, [1, 2, 3], f)` calls `f(3, p)` with
   * `[1, 2, 3, 0]` at `p`).
   */
  readonly withArrayLen0: <A, B>(
    S: Storable<A>,
    marker: A,
    xs: readonly A[],
    f: (n: number, p: Ptr<A>) => IO<B>,
  ) => IO<B>;
  /**
   * Copies `n` elements of `S` from `src` to `dest` (destination first, as Haskell and C's
   * `memcpy`). The regions must not overlap: Haskell leaves that undefined; here it is an
   * `OverlapError` and nothing is copied. Bad pointers, `nullPtr` with `n > 0`, bounds, a bad
   * `n` or an overflow: the errors of `pokeArray`, with nothing copied.
   */
  readonly copyArray: <A>(
    S: Storable<A>,
    dest: Ptr<A>,
    src: Ptr<A>,
    n: number | bigint,
  ) => IO<void>;
  /**
   * Copies `n` elements of `S` from `src` to `dest`; the regions may overlap (C's
   * `memmove`). Errors as `copyArray`, except that overlapping is allowed.
   */
  readonly moveArray: <A>(
    S: Storable<A>,
    dest: Ptr<A>,
    src: Ptr<A>,
    n: number | bigint,
  ) => IO<void>;
  /**
   * The number of elements of `S` at `p` before the first one equal to `marker` (compared as
   * stored, byte for byte, as `peekArray0`: whatever `newArray0(S, marker, xs)` wrote, it
   * finds). Without a marker before the end of memory it is a `MemoryBoundsError`
   * naming `lengthArray0`, never a read past the end (undefined in Haskell, where it reads on
   * until it finds one or crashes). A marker that does not fit is a `MarshalError`.
   */
  readonly lengthArray0: <A>(S: Storable<A>, marker: A, p: Ptr<A>) => IO<number>;
  /**
   * The allocating functions with an `AllocationError` on the left instead of `nullPtr`.
   * Other errors (bad counts, elements that do not fit, bad pointers) still throw: they are
   * bugs, not data. `reallocArray` to 0 bytes frees and gives `Right(nullPtr)`.
   */
  readonly either: EitherMarshalArray;
}

/**
 * The allocating functions with an `AllocationError` on the left instead of `nullPtr`.
 * Other errors (bad counts, elements that do not fit, bad pointers) still throw: they are
 * bugs, not data. `reallocArray` to 0 bytes frees and gives `Right(nullPtr)`.
 *
 * @category model
 * @since 0.1.0
 */
export interface EitherMarshalArray {
  /** As `mallocArray`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly mallocArray: <A>(
    S: Storable<A>,
    n: number | bigint,
  ) => IOEither<AllocationError, Ptr<A>>;
  /** As `mallocArray0`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly mallocArray0: <A>(
    S: Storable<A>,
    n: number | bigint,
  ) => IOEither<AllocationError, Ptr<A>>;
  /** As `callocArray`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly callocArray: <A>(
    S: Storable<A>,
    n: number | bigint,
  ) => IOEither<AllocationError, Ptr<A>>;
  /** As `callocArray0`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly callocArray0: <A>(
    S: Storable<A>,
    n: number | bigint,
  ) => IOEither<AllocationError, Ptr<A>>;
  /** As `newArray`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly newArray: <A>(S: Storable<A>, xs: readonly A[]) => IOEither<AllocationError, Ptr<A>>;
  /** As `newArray0`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly newArray0: <A>(
    S: Storable<A>,
    marker: A,
    xs: readonly A[],
  ) => IOEither<AllocationError, Ptr<A>>;
  /** As `reallocArray`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly reallocArray: <A>(
    S: Storable<A>,
    p: Ptr<A>,
    n: number | bigint,
  ) => IOEither<AllocationError, Ptr<A>>;
  /** As `reallocArray0`, with an `AllocationError` on the left instead of `nullPtr`. */
  readonly reallocArray0: <A>(
    S: Storable<A>,
    p: Ptr<A>,
    n: number | bigint,
  ) => IOEither<AllocationError, Ptr<A>>;
}

/**
 * The functions of `Foreign.Marshal.Array` bound to a context: its memory, its allocator (for
 * `mallocArray`, `newArray`, …) and its alloca stack (for `allocaArray` and `withArray`). The
 * functions do not use `this`: destructure them freely.
 *
 * `alloc` is taken for the uniformity of the composition (`foreign(ctx)` builds every module
 * from the same values); the array functions allocate through the context with their own names
 * in errors, and read and write through the instances' raw accessors after one bounds check per
 * array, not through one `peek`/`poke` per element. A `ctx` that is not a context, or an `alloc`
 * that is not a `marshalAlloc`, is a `TypeError` naming `marshalArray`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const marshalArray = (ctx: Context, alloc: MarshalAlloc): MarshalArray => {
  const { memory, stack } = checkContext('marshalArray', ctx);
  checkParts('marshalArray', 'alloc', alloc, ['allocaBytesAligned', 'reallocBytes']);

  /** `bytes` from the allocator aligned for `S`, zeroed if asked, or 0. */
  const allocateArray = <A>(
    call: string,
    S: Storable<A>,
    n: number | bigint,
    extra: 0 | 1,
    zero: boolean,
  ): Ptr<A> =>
    allocateAligned(ctx, call, arrayBytes(call, S, n, extra), S.alignment, zero) as Ptr<A>;

  const mallocArray =
    <A>(S: Storable<A>, n: number | bigint): IO<Ptr<A>> =>
    () =>
      allocateArray('mallocArray', S, n, 0, false);

  const mallocArray0 =
    <A>(S: Storable<A>, n: number | bigint): IO<Ptr<A>> =>
    () =>
      allocateArray('mallocArray0', S, n, 1, false);

  const callocArray =
    <A>(S: Storable<A>, n: number | bigint): IO<Ptr<A>> =>
    () =>
      allocateArray('callocArray', S, n, 0, true);

  const callocArray0 =
    <A>(S: Storable<A>, n: number | bigint): IO<Ptr<A>> =>
    () =>
      allocateArray('callocArray0', S, n, 1, true);

  const allocaArrayOf =
    <A, B>(
      call: string,
      S: Storable<A>,
      n: number | bigint,
      extra: 0 | 1,
      f: (p: Ptr<A>) => IO<B>,
    ): IO<B> =>
    () =>
      allocaRun(stack, call, arrayBytes(call, S, n, extra), S.alignment, f);

  const reallocArrayOf = <A>(
    call: string,
    S: Storable<A>,
    p: Ptr<A>,
    n: number | bigint,
    extra: 0 | 1,
  ): Ptr<A> => {
    const bytes = arrayBytes(call, S, n, extra);
    checkPtr(call, p);
    checkReleasable(ctx, call, p);
    if (S.alignment > MALLOC_ALIGNMENT) {
      if (p === nullPtr) return allocateAligned(ctx, call, bytes, S.alignment, false) as Ptr<A>;
      if (bytes > 0) {
        throw new RangeError(
          `${call}: ${S.name} needs alignment ${S.alignment}; a moved block keeps only 8`,
        );
      }
    }
    return reallocFor(ctx.allocator, call, p, bytes) as Ptr<A>;
  };

  const reallocArray =
    <A>(S: Storable<A>, p: Ptr<A>, n: number | bigint): IO<Ptr<A>> =>
    () =>
      reallocArrayOf('reallocArray', S, p, n, 0);

  const reallocArray0 =
    <A>(S: Storable<A>, p: Ptr<A>, n: number | bigint): IO<Ptr<A>> =>
    () =>
      reallocArrayOf('reallocArray0', S, p, n, 1);

  const newArrayOf = <A>(
    call: string,
    S: Storable<A>,
    xs: readonly A[],
    marker?: { readonly value: A },
  ): Ptr<A> => newArrayFor(ctx, call, S, xs, marker);

  const newArray =
    <A>(S: Storable<A>, xs: readonly A[]): IO<Ptr<A>> =>
    () =>
      newArrayOf('newArray', S, xs);

  const newArray0 =
    <A>(S: Storable<A>, marker: A, xs: readonly A[]): IO<Ptr<A>> =>
    () =>
      newArrayOf('newArray0', S, xs, { value: marker });

  const withArrayOf =
    <A, B>(
      call: string,
      S: Storable<A>,
      xs: readonly A[],
      marker: { readonly value: A } | undefined,
      f: (n: number, p: Ptr<A>) => IO<B>,
    ): IO<B> =>
    () => {
      const bytes = checkArray(call, S, xs, marker);
      const n = xs.length;
      return allocaFilled(
        stack,
        call,
        bytes,
        S.alignment,
        (p: Ptr<A>) => writeArray(memory, call, S, p, bytes, xs, marker),
        (p: Ptr<A>) => programOf2(call, 'the body', f, n, p),
      );
    };

  /**
   * The index of the first element at or after `p` whose bytes are the marker's, as `S` stores
   * it: a `MemoryBoundsError` if there is none before the end of memory.
   */
  const findMarker = <A>(call: string, S: Storable<A>, marker: A, p: Ptr<A>): number => {
    checkMarker(call, S, marker);
    const size = S.sizeOf;
    let v = bytesAt(memory, call, p, size);
    if (size === 0) return 0; // every element is the same zero bytes
    const stored = storedBytes(S, marker);
    let i = 0;
    let a: number = p;
    const whole = WHOLE_VIEWS[size];
    if (whole !== undefined && p % size === 0) {
      // Elements of 1, 2, 4 or 8 bytes at an aligned address are elements of an unsigned typed
      // array, and equal bytes are equal elements: search with `indexOf` up to the end of the
      // current views; the loop below takes over from there.
      const elements = v[whole] as unknown as { indexOf(x: unknown, from: number): number };
      const found = elements.indexOf(stored[whole][0], p / size);
      if (found >= 0) return found - p / size;
      i = Math.floor((v.u8.length - p) / size);
      a = p + i * size;
    }
    const m = stored.u8;
    for (;;) {
      if (a + size > v.u8.length) v = memory.ensure(a, size, call);
      const u8 = v.u8;
      let k = 0;
      while (k < size && u8[a + k] === m[k]) k++;
      if (k === size) return i;
      a += size;
      i += 1;
    }
  };

  const copyArrayOf = (
    call: string,
    S: Storable<any>,
    dest: Ptr<any>,
    src: Ptr<any>,
    n: number | bigint,
    overlapAllowed: boolean,
  ): void => {
    const bytes = arrayBytes(call, S, n, 0);
    bytesAt(memory, call, src, bytes);
    const v = writableBytesAt(memory, call, dest, bytes);
    if (!overlapAllowed && overlaps(dest, src, bytes)) {
      throw new OverlapError(call, dest, src, bytes);
    }
    v.u8.copyWithin(dest, src, src + bytes);
  };

  /** An allocation of `n` elements (and a terminator) with its failure on the left. */
  const allocateOrError = <A>(
    call: string,
    S: Storable<A>,
    n: number | bigint,
    extra: 0 | 1,
    zero: boolean,
  ): IOEither<AllocationError, Ptr<A>> =>
    orError(
      call,
      () => arrayBytes(call, S, n, extra),
      () => allocateArray(call, S, n, extra, zero),
    );

  /** A new array with its failure on the left. */
  const newOrError = <A>(
    call: string,
    S: Storable<A>,
    xs: readonly A[],
    marker?: { readonly value: A },
  ): IOEither<AllocationError, Ptr<A>> =>
    orError(
      call,
      () => arrayBytes(call, S, xs.length, marker === undefined ? 0 : 1),
      () => newArrayOf(call, S, xs, marker),
    );

  /** A resize with its failure on the left; resizing to 0 bytes frees and is `Right(nullPtr)`. */
  const reallocOrError =
    <A>(
      call: string,
      S: Storable<A>,
      p: Ptr<A>,
      n: number | bigint,
      extra: 0 | 1,
    ): IOEither<AllocationError, Ptr<A>> =>
    () => {
      const q = reallocArrayOf(call, S, p, n, extra);
      const bytes = arrayBytes(call, S, n, extra);
      return q === nullPtr && bytes > 0 ? E.left(new AllocationError(call, bytes)) : E.right(q);
    };

  return {
    mallocArray,

    mallocArray0,

    allocaArray: <A, B>(S: Storable<A>, n: number | bigint, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      allocaArrayOf('allocaArray', S, n, 0, f),

    allocaArray0: <A, B>(S: Storable<A>, n: number | bigint, f: (p: Ptr<A>) => IO<B>): IO<B> =>
      allocaArrayOf('allocaArray0', S, n, 1, f),

    reallocArray,

    reallocArray0,

    callocArray,

    callocArray0,

    peekArray:
      <A>(S: Storable<A>, count: number | bigint, p: Ptr<A>): IO<A[]> =>
      () => {
        storableArg('peekArray', S);
        const n = integerArgument('peekArray', 'n', count) as number;
        if (!Number.isSafeInteger(n)) {
          throw new RangeError(`peekArray: n must be a safe integer, got ${String(n)}`);
        }
        if (n <= 0) return [];
        const bytes = checkProduct('peekArray', n, S.sizeOf);
        return readAll('peekArray', S, bytesAt(memory, 'peekArray', p, bytes), p, n);
      },

    peekArray0:
      <A>(S: Storable<A>, marker: A, p: Ptr<A>): IO<A[]> =>
      () => {
        const n = findMarker('peekArray0', S, marker, p);
        const v = bytesAt(memory, 'peekArray0', p, n * S.sizeOf);
        return readAll('peekArray0', S, v, p, n);
      },

    pokeArray:
      <A>(S: Storable<A>, p: Ptr<A>, xs: readonly A[]): IO<void> =>
      () =>
        pokeAll(memory, 'pokeArray', S, p, xs),

    pokeArray0:
      <A>(S: Storable<A>, marker: A, p: Ptr<A>, xs: readonly A[]): IO<void> =>
      () =>
        pokeAll(memory, 'pokeArray0', S, p, xs, { value: marker }),

    newArray,

    newArray0,

    withArray: <A, B>(S: Storable<A>, xs: readonly A[], f: (p: Ptr<A>) => IO<B>): IO<B> =>
      withArrayOf('withArray', S, xs, undefined, (_n, p) =>
        programOf('withArray', 'the body', f, p),
      ),

    withArray0: <A, B>(
      S: Storable<A>,
      marker: A,
      xs: readonly A[],
      f: (p: Ptr<A>) => IO<B>,
    ): IO<B> =>
      withArrayOf('withArray0', S, xs, { value: marker }, (_n, p) =>
        programOf('withArray0', 'the body', f, p),
      ),

    withArrayLen: <A, B>(
      S: Storable<A>,
      xs: readonly A[],
      f: (n: number, p: Ptr<A>) => IO<B>,
    ): IO<B> => withArrayOf('withArrayLen', S, xs, undefined, f),

    withArrayLen0: <A, B>(
      S: Storable<A>,
      marker: A,
      xs: readonly A[],
      f: (n: number, p: Ptr<A>) => IO<B>,
    ): IO<B> => withArrayOf('withArrayLen0', S, xs, { value: marker }, f),

    copyArray:
      <A>(S: Storable<A>, dest: Ptr<A>, src: Ptr<A>, n: number | bigint): IO<void> =>
      () =>
        copyArrayOf('copyArray', S, dest, src, n, false),

    moveArray:
      <A>(S: Storable<A>, dest: Ptr<A>, src: Ptr<A>, n: number | bigint): IO<void> =>
      () =>
        copyArrayOf('moveArray', S, dest, src, n, true),

    lengthArray0:
      <A>(S: Storable<A>, marker: A, p: Ptr<A>): IO<number> =>
      () =>
        findMarker('lengthArray0', S, marker, p),

    either: {
      mallocArray: <A>(S: Storable<A>, n: number | bigint): IOEither<AllocationError, Ptr<A>> =>
        allocateOrError('either.mallocArray', S, n, 0, false),
      mallocArray0: <A>(S: Storable<A>, n: number | bigint): IOEither<AllocationError, Ptr<A>> =>
        allocateOrError('either.mallocArray0', S, n, 1, false),
      callocArray: <A>(S: Storable<A>, n: number | bigint): IOEither<AllocationError, Ptr<A>> =>
        allocateOrError('either.callocArray', S, n, 0, true),
      callocArray0: <A>(S: Storable<A>, n: number | bigint): IOEither<AllocationError, Ptr<A>> =>
        allocateOrError('either.callocArray0', S, n, 1, true),
      newArray: <A>(S: Storable<A>, xs: readonly A[]): IOEither<AllocationError, Ptr<A>> =>
        newOrError('either.newArray', S, xs),
      newArray0: <A>(
        S: Storable<A>,
        marker: A,
        xs: readonly A[],
      ): IOEither<AllocationError, Ptr<A>> =>
        newOrError('either.newArray0', S, xs, { value: marker }),
      reallocArray: <A>(
        S: Storable<A>,
        p: Ptr<A>,
        n: number | bigint,
      ): IOEither<AllocationError, Ptr<A>> => reallocOrError('either.reallocArray', S, p, n, 0),
      reallocArray0: <A>(
        S: Storable<A>,
        p: Ptr<A>,
        n: number | bigint,
      ): IOEither<AllocationError, Ptr<A>> => reallocOrError('either.reallocArray0', S, p, n, 1),
    },
  };
};
