/**
 * `create_pool`: reads the four `create_area()` arguments (and the options that stand for
 * `create_area`'s `*addr` and this library's choices), makes the pool's memory, its heap and its
 * control block, or says with a status code why it cannot.
 *
 * @since 0.1.0
 */
import { Heap } from '../heap/index.js';
import { MAX_MEMORY_BYTES, Memory, type MemorySource } from '../memory/index.js';
import { describe, safeIndex } from './arguments.js';
import {
  B_ANY_ADDRESS,
  B_ANY_KERNEL_ADDRESS,
  B_ANY_KERNEL_BLOCK_ADDRESS,
  B_BAD_VALUE,
  B_BASE_ADDRESS,
  B_CLONE_ADDRESS,
  B_EXACT_ADDRESS,
  B_LAZY_LOCK,
  B_LOMEM,
  B_NO_LOCK,
  B_NO_MEMORY,
  B_OK,
  B_PAGE_SIZE,
  B_RANDOMIZED_ANY_ADDRESS,
  B_STACK_AREA,
  type status_t,
} from './constants.js';
import {
  DEFAULT_SLOTS,
  LIVE,
  MAGIC,
  MAX_SLOTS,
  VERSION,
  W_ADDRESS_SPEC,
  W_BASE,
  W_BUDGET,
  W_ID,
  W_LOCK_SPEC,
  W_MAGIC,
  W_NONCE,
  W_PROTECTION,
  W_SIZE,
  W_SLOTS,
  W_STATE,
  W_VERSION,
  controlBytes,
  controlViews,
} from './control.js';
import { KNOWN_PROTECTION, LAST_ADDRESS_SPEC, LAST_LOCK_SPEC, LOMEM_LIMIT } from './limits.js';
import { lowestFit, overlapping, randomFit, recordRegion } from './placement.js';
import { AreaPool } from './pool.js';

// -------------------------------------------------------------------------------------------
// model

/**
 * Options of `create_pool` and `create_pool_etc`, the fifth argument BeOS does not have.
 *
 * @category pools
 * @since 0.1.0
 */
export interface CreatePoolOptions {
  /**
   * For `B_EXACT_ADDRESS`, `B_BASE_ADDRESS` and `B_RANDOMIZED_BASE_ADDRESS`: the memory to place
   * the pool in (a `Memory`, an `ArrayBuffer`, a `SharedArrayBuffer` or a WebAssembly memory).
   * Ignored by the other address specs, which make a memory of the pool's own.
   */
  readonly memory?: Memory | MemorySource;
  /** `create_area`'s `*addr`: the exact address, or the lowest one. Page-aligned. Default 0. */
  readonly address?: number | bigint;
  /**
   * Round a size that is not a page multiple up to one, instead of refusing it with
   * `B_BAD_VALUE` as `create_area` does. Default `false`.
   */
  readonly roundUp?: boolean;
  /**
   * How many workers may have a cache of free blocks in front of the pool's lock (0 to 255;
   * default 16). Further workers work under the lock. Ignored with `B_NO_LOCK` (no cache).
   */
  readonly cacheSlots?: number | bigint;
}

/**
 * What `create_pool_etc` returns: the pool, or `null` with the status and reason of the
 * failure.
 *
 * @category pools
 * @since 0.1.0
 */
export interface CreatePoolResult {
  /** `B_OK`, `B_BAD_VALUE`, `B_NO_MEMORY` or `B_ERROR`. */
  readonly status: status_t;
  readonly pool: AreaPool | null;
  /** Why it failed, starting with `create_pool:`; empty on success. */
  readonly reason: string;
}

// -------------------------------------------------------------------------------------------
// implementation

const failure = (status: status_t, reason: string): CreatePoolResult => ({
  status,
  pool: null,
  reason: `create_pool: ${reason}`,
});
const badValue = (reason: string) => failure(B_BAD_VALUE, reason);
const noMemory = (reason: string) => failure(B_NO_MEMORY, reason);

const isSpec = (value: unknown, last: number): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= last;

/** Address specs that make a memory of the pool's own. */
const OWN = new Set([
  B_ANY_ADDRESS,
  B_ANY_KERNEL_ADDRESS,
  B_ANY_KERNEL_BLOCK_ADDRESS,
  B_RANDOMIZED_ANY_ADDRESS,
]);

let serial = 0;

/** A pool's memory of its own, as the lock spec commits it. */
const ownMemory = (bytes: number, lockSpec: number): Memory => {
  if (lockSpec === B_NO_LOCK) return Memory.from(new ArrayBuffer(bytes));
  if (lockSpec === B_LAZY_LOCK) {
    return Memory.from(new SharedArrayBuffer(Math.min(bytes, 65536), { maxByteLength: bytes }));
  }
  const buffer = new SharedArrayBuffer(bytes);
  const u8 = new Uint8Array(buffer);
  for (let at = 0; at < bytes; at += B_PAGE_SIZE) u8[at] = 0; // touch every page: commit it now
  return Memory.from(buffer);
};

interface Placed {
  readonly memory: Memory;
  readonly base: number;
  readonly source: object;
}

/** Places a pool of `bytes` in `options.memory` as `addressSpec` says, or fails. */
const place = (
  addressSpec: number,
  bytes: number,
  lockSpec: number,
  options: CreatePoolOptions,
): Placed | CreatePoolResult => {
  const given = options.memory;
  const source = given instanceof Memory ? given.source : given;
  if (!(
    source instanceof ArrayBuffer ||
    (typeof SharedArrayBuffer !== 'undefined' && source instanceof SharedArrayBuffer) ||
    (typeof WebAssembly !== 'undefined' && source instanceof WebAssembly.Memory)
  )) {
    return badValue(
      `this address spec places the pool in options.memory (a Memory, an ArrayBuffer, a ` +
        `SharedArrayBuffer or a WebAssembly.Memory), got ${describe(given)}`,
    );
  }
  const memory = Memory.from(source);
  if (lockSpec !== B_NO_LOCK && !memory.shared) {
    return badValue(
      `lock spec ${lockSpec} puts the pool in shared memory, but options.memory is not shared ` +
        '(use B_NO_LOCK, or a SharedArrayBuffer or shared WebAssembly memory)',
    );
  }
  const from = safeIndex(options.address ?? 0);
  if (from === undefined || from % B_PAGE_SIZE !== 0) {
    return badValue(
      `options.address must be a multiple of B_PAGE_SIZE (${B_PAGE_SIZE}), got ${describe(options.address)}`,
    );
  }
  const length = memory.byteLength;
  const limit = lockSpec === B_LOMEM ? Math.min(length, LOMEM_LIMIT) : length;
  if (addressSpec !== B_EXACT_ADDRESS) {
    const base =
      addressSpec === B_BASE_ADDRESS
        ? lowestFit(source, from, bytes, limit)
        : randomFit(source, from, bytes, limit);
    if (base < 0) {
      return noMemory(
        `no room for ${bytes} bytes at or above address ${from} in the memory (${limit} bytes${lockSpec === B_LOMEM ? ' below 16 MiB' : ''})`,
      );
    }
    return { memory, base, source };
  }
  if (from + bytes > length) {
    return badValue(`region [${from}, ${from + bytes}) is outside the memory (${length} bytes)`);
  }
  if (from + bytes > limit)
    return noMemory(`B_LOMEM: region [${from}, ${from + bytes}) is not below 16 MiB`);
  const taken = overlapping(source, from, bytes);
  if (taken !== undefined) {
    return badValue(
      `B_EXACT_ADDRESS: [${from}, ${from + bytes}) overlaps a live pool at [${taken.base}, ${taken.base + taken.size})`,
    );
  }
  return { memory, base: from, source };
};

/** Checks the arguments; the checked size and slot count, or the failure. */
const readArguments = (
  addressSpec: unknown,
  size: unknown,
  lockSpec: unknown,
  protection: unknown,
  options: CreatePoolOptions,
): { bytes: number; slots: number } | CreatePoolResult => {
  if (!isSpec(addressSpec, LAST_ADDRESS_SPEC))
    return badValue(`unknown address spec ${describe(addressSpec)}`);
  if (addressSpec === B_CLONE_ADDRESS) {
    return badValue(
      'B_CLONE_ADDRESS is only meaningful to clone_area; the clone of a pool is attach_pool',
    );
  }
  if (!isSpec(lockSpec, LAST_LOCK_SPEC)) return badValue(`unknown lock spec ${describe(lockSpec)}`);
  if (!Number.isInteger(protection) || (protection as number) < 0)
    return badValue(`protection must be a set of B_*_AREA bits, got ${describe(protection)}`);
  if (((protection as number) & B_STACK_AREA) !== 0)
    return badValue('B_STACK_AREA is not available: a pool is a heap (use the alloca Stack)');
  if (((protection as number) & ~KNOWN_PROTECTION) !== 0)
    return badValue(`unknown protection bits in ${describe(protection)}`);
  let bytes = safeIndex(size);
  if (bytes === undefined || bytes === 0) {
    return badValue(
      `size must be a positive safe integer (a number or a bigint), got ${describe(size)}`,
    );
  }
  if (options.roundUp !== undefined && typeof options.roundUp !== 'boolean')
    return badValue(`options.roundUp must be a boolean, got ${describe(options.roundUp)}`);
  if (bytes % B_PAGE_SIZE !== 0) {
    if (options.roundUp !== true) {
      return badValue(
        `size ${bytes} is not a multiple of B_PAGE_SIZE (${B_PAGE_SIZE}) (options.roundUp rounds it up)`,
      );
    }
    bytes = Math.ceil(bytes / B_PAGE_SIZE) * B_PAGE_SIZE;
  }
  if (bytes > MAX_MEMORY_BYTES)
    return noMemory(`size ${bytes} is above the largest memory (${MAX_MEMORY_BYTES} bytes)`);
  const slots = lockSpec === B_NO_LOCK ? 0 : safeIndex(options.cacheSlots ?? DEFAULT_SLOTS);
  if (slots === undefined || slots > MAX_SLOTS) {
    return badValue(
      `options.cacheSlots must be an integer from 0 to ${MAX_SLOTS}, got ${describe(options.cacheSlots)}`,
    );
  }
  return { bytes, slots };
};

/** Writes a fresh control block. */
const makeControl = (
  slots: number,
  locked: boolean,
  fields: {
    id: number;
    protection: number;
    lockSpec: number;
    addressSpec: number;
    base: number;
    size: number;
  },
) => {
  const bytes = controlBytes(slots);
  // Growable, so that V8 gives it whole pages of its own (control.ts): the slots' offsets are then
  // the machine's cache-line boundaries.
  const control = controlViews(
    locked ? new SharedArrayBuffer(bytes, { maxByteLength: bytes }) : new ArrayBuffer(bytes),
  );
  const u32 = control.u32;
  u32[W_MAGIC] = MAGIC;
  u32[W_VERSION] = VERSION;
  u32[W_STATE] = LIVE;
  u32[W_ID] = fields.id;
  u32[W_PROTECTION] = fields.protection;
  u32[W_LOCK_SPEC] = fields.lockSpec;
  u32[W_ADDRESS_SPEC] = fields.addressSpec;
  u32[W_SLOTS] = slots;
  u32[W_BASE] = fields.base;
  u32[W_SIZE] = fields.size;
  // A quarter of the pool at most waits in caches, shared out among the slots.
  u32[W_BUDGET] = slots === 0 ? 0 : Math.floor(fields.size / (4 * slots));
  u32[W_NONCE] = Math.floor(Math.random() * 2 ** 32);
  u32[W_NONCE + 1] = Math.floor(Math.random() * 2 ** 32);
  return control;
};

/**
 * `create_pool` with the reason of a failure: the pool and `B_OK`, or `null` with `B_BAD_VALUE`
 * (a bad argument), `B_NO_MEMORY` (no bytes for it) and the reason. It never throws.
 *
 * @internal Reached through the module (`create_pool`, `create_pool_etc`).
 */
export const createPool = (
  addressSpec: number,
  size: number | bigint,
  lockSpec: number,
  protection: number,
  options: CreatePoolOptions = {},
): CreatePoolResult => {
  if (options === null || typeof options !== 'object')
    return badValue(`options must be an object, got ${describe(options)}`);
  const args = readArguments(addressSpec, size, lockSpec, protection, options);
  if ('status' in args) return args;
  const { bytes, slots } = args;
  let placed: Placed | undefined;
  let internal: Memory;
  let base = 0;
  if (OWN.has(addressSpec)) {
    if (lockSpec === B_LOMEM && bytes > LOMEM_LIMIT)
      return noMemory(`B_LOMEM: ${bytes} bytes do not fit below 16 MiB`);
    try {
      internal = ownMemory(bytes, lockSpec);
    } catch (e) {
      return noMemory(`the engine refused ${bytes} bytes (${(e as Error).message})`);
    }
  } else {
    const where = place(addressSpec, bytes, lockSpec, options);
    if ('status' in where) return where;
    placed = where;
    internal = where.memory;
    base = where.base;
  }
  const lazy = placed === undefined && lockSpec === B_LAZY_LOCK;
  let heap: Heap;
  try {
    heap = Heap.over(
      internal,
      lazy
        ? { base, checked: true, locked: false }
        : { base, size: bytes, checked: true, locked: false },
    );
  } catch (e) {
    return badValue(`size ${bytes} is too small for a pool (${(e as Error).message})`);
  }
  serial += 1;
  const control = makeControl(slots, lockSpec !== B_NO_LOCK, {
    id: serial,
    protection,
    lockSpec,
    addressSpec,
    base,
    size: bytes,
  });
  const pool = new AreaPool({
    internal,
    memory: Memory.from(internal.source),
    heap,
    control,
    protection,
  });
  if (placed !== undefined) recordRegion(placed.source, { base, size: bytes, state: control.i32 });
  return { status: B_OK, pool, reason: '' };
};
