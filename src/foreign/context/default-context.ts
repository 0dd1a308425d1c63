/**
 * The default context: what the package root's Haskell-named functions are bound to, the
 * analogue of the C heap. It is made on first use — a growable heap (`Heap.create()`, 64 KiB
 * growing up to 2 GiB) with its alloca stack — and lives as long as the program.
 *
 * @since 0.1.0
 */
import { Heap } from '../../heap/index.js';
import { contextOf, type Context } from '../../interface/index.js';
import { foreign, type Foreign } from './foreign.js';

let made: { heap: Heap; api: Foreign } | undefined;

const made_ = (): { heap: Heap; api: Foreign } => {
  if (made === undefined) {
    const heap = Heap.create();
    made = { heap, api: foreign(contextOf(heap)) };
  }
  return made;
};

/**
 * The Haskell face bound to the default context (made on first use).
 *
 * @category default context
 * @since 0.1.0
 */
export const defaultForeign = (): Foreign => made_().api;

/**
 * The default context (made on first use).
 *
 * @category default context
 * @since 0.1.0
 */
export const defaultContext = (): Context => made_().api.context;

/**
 * The heap of the default context (made on first use): for `check()` and `stats()`.
 *
 * @category default context
 * @since 0.1.0
 */
export const defaultHeap = (): Heap => made_().heap;

type Fn = (...args: never[]) => unknown;

/** A function of the default API that makes the default context on its first call. */
export const bound = <K extends keyof Foreign>(key: K): Foreign[K] =>
  ((...args: never[]) => (defaultForeign()[key] as Fn)(...args)) as Foreign[K];

/**
 * An object of functions of the default API (such as `either`), each making the default context
 * on its first call. `keys` must list every function of the object (a test checks it).
 */
export const boundAll = <T extends object>(get: () => T, keys: readonly (keyof T & string)[]): T =>
  Object.fromEntries(
    keys.map((k) => [k, (...args: never[]) => (get()[k] as Fn)(...args)]),
  ) as unknown as T;
