/**
 * `attach_pool`: the other end of `pool.share()`, in another worker. The closest thing BeOS has
 * is `clone_area` of the pool's area, whose address is always the source's (`B_CLONE_ADDRESS`).
 *
 * @since 0.1.0
 */
import { Heap } from '../heap/index.js';
import { Memory } from '../memory/index.js';
import { describe } from './arguments.js';
import {
  HEADER_BYTES,
  LIVE,
  MAGIC,
  VERSION,
  W_BASE,
  W_ID,
  W_MAGIC,
  W_STATE,
  W_VERSION,
  controlViews,
} from './control.js';
import { DeletedPoolError } from './errors.js';
import { KNOWN_PROTECTION } from './limits.js';
import { AreaPool, type SharedPool } from './pool.js';

const refuse = (what: string): TypeError =>
  new TypeError(`attach_pool: ${what} (pass what pool.share() returned)`);

const isSharedSource = (source: unknown): boolean =>
  (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer) ||
  (typeof WebAssembly !== 'undefined' &&
    source instanceof WebAssembly.Memory &&
    typeof SharedArrayBuffer !== 'undefined' &&
    source.buffer instanceof SharedArrayBuffer);

/**
 * A handle, in this worker, of the pool another worker shared with `pool.share()` and sent here
 * with `postMessage`: the same blocks, the same lock, a cache of this worker's own (when the
 * handle may write and a cache slot is free). Call `detach()` on it before the worker ends.
 *
 * Throws a `TypeError` for anything that is not a shared pool, and {@link DeletedPoolError} when
 * the pool was deleted in the meantime.
 *
 * @category pools
 * @since 0.1.0
 */
export const attach_pool = (shared: SharedPool): AreaPool => {
  if (shared === null || typeof shared !== 'object' || shared.kind !== 'foreign-ts/area pool')
    throw refuse(`${describe(shared)} is not a shared pool`);
  if (shared.version !== 1)
    throw refuse(`shared pool version ${describe(shared.version)}, expected 1`);
  const { source, control: buffer, protection } = shared;
  if (!(typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer))
    throw refuse(`its control block is ${describe(buffer)}, not a SharedArrayBuffer`);
  if (!isSharedSource(source)) throw refuse(`its memory is ${describe(source)}, not shared memory`);
  if (!Number.isInteger(protection) || (protection & ~KNOWN_PROTECTION) !== 0)
    throw refuse(`protection ${describe(protection)} is not a set of B_*_AREA bits`);
  const control = controlViews(buffer);
  if (
    buffer.byteLength < HEADER_BYTES ||
    control.u32[W_MAGIC] !== MAGIC ||
    control.u32[W_VERSION] !== VERSION
  )
    throw refuse('its control block is not a pool control block of this version');
  if (Atomics.load(control.i32, W_STATE) !== LIVE)
    throw new DeletedPoolError('attach_pool', control.u32[W_ID]!, false);
  const internal = Memory.from(source);
  let heap: Heap;
  try {
    heap = Heap.attach(internal, { base: control.u32[W_BASE]! });
  } catch (e) {
    throw refuse(`no pool heap in its memory: ${(e as Error).message}`);
  }
  return new AreaPool({ internal, memory: Memory.from(source), heap, control, protection });
};
