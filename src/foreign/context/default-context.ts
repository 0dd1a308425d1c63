/**
 * The default context (made in `interface/`, on first use: a growable heap and its alloca
 * stack, the analogue of the C heap): what the package root's Haskell-named functions are bound
 * to.
 *
 * Each family of functions (`Foreign.Storable`'s, `Foreign.Marshal.Alloc`'s, …) is bound to it
 * on the first call of one of its functions, on its own: a program (or a bundled page) that
 * uses `alloca`, `peek` and `poke` builds and carries those families only. When the default
 * context is replaced (`setDefaultContext`), they are made again, bound to the new one.
 *
 * @since 0.1.0
 */
import { defaultContext, onDefaultContextReplaced, type Context } from '../../interface/index.js';
import { foreign, type Foreign } from './foreign.js';

export { defaultContext, defaultHeap } from '../../interface/index.js';

const families = new Map<(ctx: Context) => unknown, unknown>();

// a replaced default context (setDefaultContext): the families bind again, to the new one
onDefaultContextReplaced(() => families.clear());

/**
 * The family `make` builds, bound to the default context: made on first use, once.
 *
 * @internal
 */
export const defaultFamily = <T>(make: (ctx: Context) => T): T => {
  let family = families.get(make) as T | undefined;
  if (family === undefined) {
    family = make(defaultContext());
    families.set(make, family);
  }
  return family;
};

/**
 * The Haskell face bound to the default context (made on first use).
 *
 * @category default context
 * @since 0.1.0
 */
export const defaultForeign = (): Foreign => defaultFamily(foreign);

type Fn = (...args: never[]) => unknown;

/**
 * The function `key` of a family of the default context, which makes the family (and the
 * context) on its first call.
 *
 * @internal
 */
export const bound = <T, K extends keyof T>(family: () => T, key: K): T[K] =>
  ((...args: never[]) => (family()[key] as Fn)(...args)) as T[K];

/**
 * An object of functions of a family of the default context (such as `either`), each making the
 * family on its first call: the functions of `keys`, the family's one key list.
 *
 * @internal
 */
export const boundAll = <T extends object, K extends keyof T & string>(
  family: () => T,
  keys: readonly K[],
): Pick<T, K> =>
  Object.fromEntries(keys.map((k) => [k, bound(family, k)])) as unknown as Pick<T, K>;
