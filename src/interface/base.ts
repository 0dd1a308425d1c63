/**
 * The check of the interface a ready interface passes its calls on to.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import type { ALLEGRO_MEMORY_INTERFACE, HookName } from './memory-interface.js';

const HOOKS: readonly HookName[] = ['mi_malloc', 'mi_free', 'mi_realloc', 'mi_calloc'];

/**
 * `base` when it is an object with the four hooks; a `TypeError` naming `call` otherwise (a
 * ready interface validates what it wraps when it is made, unlike `al_set_memory_interface`).
 *
 * @internal
 */
export const checkBase = (
  call: string,
  base: ALLEGRO_MEMORY_INTERFACE,
): ALLEGRO_MEMORY_INTERFACE & Record<string, unknown> => {
  const o = base as unknown as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null) {
    throw new TypeError(`${call}: ${showValue(base)} is not a memory interface`);
  }
  const missing = HOOKS.filter((h) => typeof o[h] !== 'function');
  if (missing.length > 0) {
    throw new TypeError(`${call}: the memory interface has no ${missing.join(', ')} function`);
  }
  return base as ALLEGRO_MEMORY_INTERFACE & Record<string, unknown>;
};
