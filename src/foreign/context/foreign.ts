/**
 * `foreign(ctx)`: the whole Haskell face bound to one context — the `Storable` methods, the field
 * accessors (`peekField`, `pokeField`), and `Foreign.Marshal.Alloc`, `.Array`, `.Utils` and
 * `Foreign.C.String` over the context's memory, allocator and alloca stack, and
 * `Foreign.StablePtr` over the context's table of values.
 * Also `Foreign.Marshal.Pool` (`newPool`, `withPool`), the asynchronous brackets (`task.*`,
 * `taskEither.*`) and the allocations for `using` (`scoped.*`).
 *
 * @since 0.1.0
 */
import { Heap } from '../../heap/index.js';
import { checkContext, contextOf, type Context } from '../../interface/index.js';
import {
  EITHER_ERRNO_KEYS,
  cError,
  type CError,
  type EitherErrno,
  EITHER_CASTRING_KEYS,
  EITHER_CSTRING_KEYS,
  EITHER_CWSTRING_KEYS,
  cAString,
  cString,
  cWString,
  type CAStringFunctions,
  type CStringFunctions,
  type CWStringFunctions,
  type EitherCAStrings,
  type EitherCStrings,
  type EitherCWStrings,
} from '../c/index.js';
import {
  asyncBrackets,
  foreignPtrs,
  scopedAllocations,
  type ForeignPtrs,
  type ScopedAllocations,
  type TaskBrackets,
  type TaskEitherBrackets,
} from '../lifetimes/index.js';
import {
  EITHER_ALLOC_KEYS,
  EITHER_ARRAY_KEYS,
  marshalAlloc,
  marshalPool,
  marshalUtils,
  type EitherMarshalAlloc,
  type EitherMarshalArray,
  type MarshalAlloc,
  type MarshalArray,
  type MarshalPool,
  type MarshalUtils,
} from '../marshal/index.js';
import { fieldAccess, type FieldAccess } from '../layout/index.js';
import { marshalArrays } from './marshal-arrays.js';
import { stablePtrs, type StablePtrs } from '../stable-ptr.js';
import {
  EITHER_PEEK_POKE_KEYS,
  peekPoke,
  type EitherPeekPoke,
  type PeekPoke,
} from '../storable/index.js';

/**
 * Every function that has an `either` flavour, returning errors as `Left` values: those of
 * `Foreign.Storable`, `Foreign.Marshal.Alloc`, `.Array` and `Foreign.C.String`. `foreign(ctx)`
 * and the package root build it from the four families' key lists, so a key missing from a
 * list does not compile.
 *
 * @category model
 * @since 0.1.0
 */
export interface EitherFunctions
  extends
    EitherPeekPoke,
    EitherMarshalAlloc,
    EitherMarshalArray,
    EitherCStrings,
    EitherCWStrings,
    EitherCAStrings,
    EitherErrno {}

/**
 * The Haskell face bound to one context: what {@link foreign} returns.
 *
 * @category model
 * @since 0.1.0
 */
export interface Foreign
  extends
    Omit<PeekPoke, 'either'>,
    FieldAccess,
    Omit<MarshalAlloc, 'either'>,
    MarshalUtils,
    Omit<MarshalArray, 'either'>,
    ForeignPtrs,
    Omit<CStringFunctions, 'either'>,
    Omit<CWStringFunctions, 'either'>,
    Omit<CAStringFunctions, 'either'>,
    Omit<CError, 'either'>,
    MarshalPool,
    StablePtrs {
  /** The context these functions are bound to. */
  readonly context: Context;
  /** The asynchronous brackets whose bodies are `Task`s, released when the promise settles. */
  readonly task: TaskBrackets;
  /** The asynchronous brackets whose bodies are `TaskEither`s. */
  readonly taskEither: TaskEitherBrackets;
  /** Allocations for `using`, released when the declaring block ends. */
  readonly scoped: ScopedAllocations;
  /** Every function that has an `either` flavour, returning errors as `Left` values. */
  readonly either: EitherFunctions;
}

/**
 * The keys of {@link EitherFunctions}: the four families' key lists, which `foreign(ctx)` and
 * the package root both bind.
 *
 * @category model
 * @since 0.1.0
 */
export const EITHER_KEYS: readonly (keyof EitherFunctions)[] = [
  ...EITHER_PEEK_POKE_KEYS,
  ...EITHER_ALLOC_KEYS,
  ...EITHER_ARRAY_KEYS,
  ...EITHER_CSTRING_KEYS,
  ...EITHER_CWSTRING_KEYS,
  ...EITHER_CASTRING_KEYS,
  ...EITHER_ERRNO_KEYS,
];

/** A family's functions without its `either` object (the face has one `either`, of all). */
const withoutEither = <T extends { either: unknown }>(family: T): Omit<T, 'either'> => {
  const { either: _, ...rest } = family;
  return rest;
};

/** The functions of `keys` in `from`: a family's functions by its one key list. */
const pick = <T, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> => {
  const out = {} as Pick<T, K>;
  for (const k of keys) out[k] = from[k];
  return out;
};

/**
 * The `either` functions of four families, by their key lists: `foreign(ctx).either`, and the
 * package root's `either`.
 *
 * @internal
 */
export const eitherOf = (
  storable: PeekPoke,
  alloc: MarshalAlloc,
  arrays: MarshalArray,
  strings: CStringFunctions,
  wide: CWStringFunctions,
  ascii: CAStringFunctions,
  errno: CError,
): EitherFunctions => ({
  ...pick(storable.either, EITHER_PEEK_POKE_KEYS),
  ...pick(alloc.either, EITHER_ALLOC_KEYS),
  ...pick(arrays.either, EITHER_ARRAY_KEYS),
  ...pick(strings.either, EITHER_CSTRING_KEYS),
  ...pick(wide.either, EITHER_CWSTRING_KEYS),
  ...pick(ascii.either, EITHER_CASTRING_KEYS),
  ...pick(errno.either, EITHER_ERRNO_KEYS),
});

/**
 * The Haskell face bound to `ctx` (a {@link Context}, or a `Heap`, which gets a new alloca
 * stack). The functions do not use `this`: destructure them freely. Throws a `TypeError` when
 * `ctx` is neither.
 *
 * ```ts
 * const { alloca, peek, poke } = foreign(Heap.create())
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const foreign = (ctx: Context | Heap): Foreign => {
  const context = ctx instanceof Heap ? contextOf(ctx) : checkContext('foreign', ctx);
  const storable = peekPoke(context.memory);
  const alloc = marshalAlloc(context);
  const utils = marshalUtils(context, alloc, storable);
  const arrays = marshalArrays(context, alloc);
  const strings = cString(context, alloc);
  const wide = cWString(context, alloc);
  const ascii = cAString(context, alloc);
  const errno = cError(context);
  const pools = marshalPool(context);
  const brackets = asyncBrackets(context, pools);
  const scoped = scopedAllocations(context, alloc, utils, arrays, strings, pools);
  return {
    context,
    ...storable,
    ...fieldAccess(context.memory),
    ...alloc,
    ...utils,
    ...arrays,
    ...foreignPtrs(context, alloc),
    ...strings,
    ...withoutEither(wide),
    ...withoutEither(ascii),
    ...withoutEither(errno),
    ...pools,
    ...stablePtrs(context),
    task: brackets.task,
    taskEither: brackets.taskEither,
    scoped,
    either: eitherOf(storable, alloc, arrays, strings, wide, ascii, errno),
  };
};
