/**
 * `foreign(ctx)`: the whole Haskell face bound to one context — the `Storable` methods, and
 * `Foreign.Marshal.Alloc`, `.Array`, `.Utils` and `Foreign.C.String` over the context's memory,
 * allocator and alloca stack.
 * Also `Foreign.Marshal.Pool` (`newPool`, `withPool`), the asynchronous brackets (`task.*`,
 * `taskEither.*`) and the allocations for `using` (`scoped.*`).
 *
 * @since 0.1.0
 */
import { Heap } from '../heap/heap.js';
import { checkContext, contextOf, type Context } from './context.js';
import { cString } from './cstring.js';
import { foreignPtrs } from './foreignptr.js';
import { marshalAlloc } from './marshal/alloc.js';
import { marshalArray } from './marshal/array.js';
import { marshalUtils } from './marshal/utils.js';
import { peekPoke } from './peekpoke.js';
import { marshalPool } from './pool.js';
import { asyncBrackets } from './async-brackets.js';
import { scopedAllocations } from './scoped.js';

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
export const foreign = (ctx: Context | Heap) => {
  const context = ctx instanceof Heap ? contextOf(ctx) : checkContext('foreign', ctx);
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
