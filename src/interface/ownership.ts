/**
 * The blocks of a context's allocator that belong to something other than the program: a pool,
 * an asynchronous bracket, a scoped allocation. Each releases its blocks itself, so `free`,
 * `reallocBytes` and `reallocArray` refuse them with an `InvalidPointerError` that names the
 * owner, and the block is not freed twice (Haskell leaves freeing a pooled pointer undefined).
 *
 * @since 0.1.0
 */
import type { Context } from './context.js';

/**
 * The owned blocks of one context: address → why the program must not free it (the reason
 * of the `InvalidPointerError`).
 *
 * @internal
 */
export type Owners = Map<number, string>;

const byContext = new WeakMap<Context, Owners>();

/**
 * The owned blocks of a context (made on first use).
 *
 * @internal
 */
export const ownersOf = (ctx: Context): Owners => {
  let owners = byContext.get(ctx);
  if (owners === undefined) {
    owners = new Map();
    byContext.set(ctx, owners);
  }
  return owners;
};

/**
 * Why `free` refuses a block of an asynchronous bracket.
 *
 * @internal
 */
export const OWNED_BY_BRACKET =
  'it was allocated by an asynchronous bracket, which releases it when its promise settles';

/**
 * Why `free` refuses a pooled block.
 *
 * @internal
 */
export const OWNED_BY_POOL =
  'it belongs to a pool, which frees it (freePool, or when withPool ends)';

/**
 * Why `free` refuses a scoped block.
 *
 * @internal
 */
export const OWNED_BY_SCOPE =
  'it is a scoped allocation, freed when its `using` scope ends (call take() to keep it)';
