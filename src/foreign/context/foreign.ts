/**
 * `foreign(ctx)`: the whole Haskell face bound to one context — the `Storable` methods, and
 * `Foreign.Marshal.Alloc`, `.Array`, `.Utils` and `Foreign.C.String` over the context's memory,
 * allocator and alloca stack.
 * Also `Foreign.Marshal.Pool` (`newPool`, `withPool`), the asynchronous brackets (`task.*`,
 * `taskEither.*`) and the allocations for `using` (`scoped.*`).
 *
 * @since 0.1.0
 */
import { Heap } from '../../heap/index.js';
import { contextOf, type Context } from '../../interface/index.js';
import { cString } from '../c/index.js';
import { foreignPtrs, asyncBrackets, scopedAllocations } from '../lifetimes/index.js';
import { marshalAlloc, marshalArray, marshalUtils, marshalPool } from '../marshal/index.js';
import { peekPoke } from '../storable/index.js';

/**
 * The Haskell face bound to `ctx` (a {@link Context}, or a `Heap`, which gets a new alloca
 * stack). The functions do not use `this`: destructure them freely.
 *
 * ```ts
 * const { alloca, peek, poke } = foreign(Heap.create())
 * ```
 *
 * @category constructors
 * @since 0.1.0
 */
export const foreign = (ctx: Context | Heap) => {
  const context = ctx instanceof Heap ? contextOf(ctx) : ctx;
  const storable = peekPoke(context.memory);
  const alloc = marshalAlloc(context);
  const utils = marshalUtils(context, alloc, storable);
  const arrays = marshalArray(context, alloc);
  const strings = cString(context, alloc);
  const pools = marshalPool(context);
  const brackets = asyncBrackets(context, pools);
  const scoped = scopedAllocations(context, alloc, utils, arrays, strings, pools);
  return {
    /** The context these functions are bound to. */
    context,
    ...storable,
    ...alloc,
    ...utils,
    ...arrays,
    ...foreignPtrs(context, alloc),
    ...strings,
    ...pools,
    /** The asynchronous brackets whose bodies are `Task`s, released when the promise settles. */
    task: brackets.task,
    /** The asynchronous brackets whose bodies are `TaskEither`s. */
    taskEither: brackets.taskEither,
    /** Allocations for `using`, released when the declaring block ends. */
    scoped,
    /** Every function that has an `either` flavour, returning errors as `Left` values. */
    either: { ...storable.either, ...alloc.either, ...arrays.either, ...strings.either },
  };
};

/**
 * The Haskell face bound to one context: what {@link foreign} returns.
 *
 * @category model
 * @since 0.1.0
 */
export type Foreign = ReturnType<typeof foreign>;
