/**
 * The function pointers `wrapper` made in a context's table, and which of them were released:
 * what `freeHaskellFunPtr` and every use of a `FunPtr` consult.
 *
 * @since 0.1.0
 */
import { FunPtrError } from './errors.js';

/**
 * A wrapper's slot: `live` until `freeHaskellFunPtr`, then `released` for good (the slot is
 * never given to another wrapper, so that a use after release is always caught).
 *
 * @internal
 */
export interface Registry {
  readonly slots: Map<number, { state: 'live' | 'released'; release: () => void }>;
}

const registries = new WeakMap<object, Registry>();

/**
 * The registry of the context whose table is `table`.
 *
 * @internal
 */
export const registryOf = (table: object): Registry => {
  let r = registries.get(table);
  if (r === undefined) {
    r = { slots: new Map() };
    registries.set(table, r);
  }
  return r;
};

/**
 * Throws a {@link FunPtrError} naming `call` when `fp` is a released wrapper of `table`.
 *
 * @internal
 */
export const checkNotReleased = (call: string, table: object | undefined, fp: number): void => {
  if (table === undefined) return;
  const slot = registries.get(table)?.slots.get(fp);
  if (slot?.state === 'released') throw released(call, fp);
};

/**
 * The error for a use of the released wrapper `fp`.
 *
 * @internal
 */
export const released = (call: string, fp: number): FunPtrError =>
  new FunPtrError(call, fp, 'was released by freeHaskellFunPtr');
