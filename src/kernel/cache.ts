/**
 * An item's way out of a zone and back (`uma_zalloc_arg` / `uma_zfree_arg` below the domain
 * choice): pop from this CPU's bucket (refilled from the keg), the INVARIANTS trash check, the
 * zone's constructor, M_ZERO; and on free the destructor, the trash fill, and the push onto the
 * bucket (drained to the keg when full, or straight to the keg while someone waits for memory).
 */
import { M_ZERO, MALLOC_MAX_NAME } from './constants.js';
import { panic } from './errors.js';
import { hex } from './format.js';
import type { Kernel } from './kernel.js';
import {
  BR_ALLOCS,
  BR_COUNT,
  BR_FREES,
  BR_ITEMS,
  BR_SLEEPS,
  BR_XDOMAIN,
  DH_CAP_PAGES,
  DH_RESERVE_PAGES,
  TE_NAME,
} from './layout.js';
import { wakeup } from './wait.js';
import {
  KEEP_FREE_SLABS,
  type UmaZone,
  ZF_TRASH,
  bucketOf,
  checkFree,
  drainBucket,
  kegPut,
  kegTake,
  markFree,
  markInUse,
  readName,
  slabOf,
  trash,
  trashDamage,
  trimFreeSlabs,
} from './zone.js';

/**
 * Pops an item of zone `z` from this CPU's bucket for domain `d`, refilling the bucket from the
 * keg (under the domain's lock) when it is empty. Returns the item (not yet handed out), or 0.
 *
 * @internal
 */
export const zoneAttempt = (k: Kernel, z: UmaZone, d: number, flags: number): number => {
  const u32 = k.u32;
  const b = bucketOf(k, z, d);
  let n = u32[b + BR_COUNT / 4]!;
  if (n === 0) {
    k.lockDomain(d);
    try {
      n = kegTake(k, z, d, b, Math.max(1, z.bucketCap >> 1), flags);
    } finally {
      k.unlockDomain(d);
    }
    if (n === 0) return 0;
  }
  u32[b + BR_COUNT / 4] = n - 1;
  return u32[b + BR_ITEMS / 4 + n - 1]!;
};

/** Puts the just-popped `item` back on top of this CPU's bucket for domain `d`. */
const unpop = (k: Kernel, z: UmaZone, d: number, item: number): void => {
  const b = bucketOf(k, z, d);
  const n = k.u32[b + BR_COUNT / 4]!;
  k.u32[b + BR_ITEMS / 4 + n] = item;
  k.u32[b + BR_COUNT / 4] = n + 1;
};

/** The short description of the type entry at `entry` (0: "none"). */
const typeName = (k: Kernel, entry: number): string =>
  entry === 0 || entry >= k.total ? 'none' : readName(k.u8, entry + TE_NAME, MALLOC_MAX_NAME);

/**
 * INVARIANTS: the trash check of a popped item (mtrash_ctor / trash_ctor). On damage it puts the
 * item back, trashed again, and panics with FreeBSD's messages.
 */
const checkTrash = (k: Kernel, call: string, z: UmaZone, d: number, item: number): void => {
  const keep = z.malloc ? 8 : 0;
  const at = trashDamage(k, item, z.size, keep);
  if (at < 0) return;
  const size = z.size - keep;
  const report = `Memory modified after free ${hex(item)}(${size}) val=${k.u32[at >>> 2]!.toString(16)} @ ${hex(at)}\n`;
  const last = z.malloc ? k.u32[(item + z.size - 8) >>> 2]! : 0;
  trash(k, item, z.size, keep);
  unpop(k, z, d, item);
  if (!z.malloc) panic(call, report);
  k.printf(report);
  panic(call, `Most recently used by ${typeName(k, last)}\n`);
};

/**
 * Hands the popped `item` (of domain `d`) to the caller: the INVARIANTS trash check, the zone's
 * constructor (a failing one sends the item back and returns 0), the in-use mark, the zone's
 * allocation counter, and M_ZERO.
 *
 * @internal
 */
export const handOut = (
  k: Kernel,
  call: string,
  z: UmaZone,
  d: number,
  item: number,
  flags: number,
  arg: unknown,
): number => {
  if ((z.flags() & ZF_TRASH) !== 0) checkTrash(k, call, z, d, item);
  if (z.ctor !== undefined && z.ctor(item, z.size, arg, flags) !== 0) {
    unpop(k, z, d, item);
    return 0;
  }
  markInUse(k, z, slabOf(k, item), item);
  k.f64[(bucketOf(k, z, d) >>> 1) + BR_ALLOCS / 8]! += 1;
  if ((flags & M_ZERO) !== 0) k.u8.fill(0, item, item + z.size);
  return item;
};

/**
 * Takes back `item` (its slab `sh`, its domain `d`), already checked by `checkFree`: the zone's
 * destructor, the INVARIANTS trash fill (a malloc zone keeps its last 8 bytes, which hold the
 * type that freed it), the zone's free counters, then the bucket.
 *
 * @internal
 */
export const takeBack = (
  k: Kernel,
  call: string,
  z: UmaZone,
  d: number,
  item: number,
  sh: number,
  arg: unknown,
): void => {
  // Another thread may have freed the same item since checkFree looked: it panics now.
  if (!markFree(k, z, sh, item)) checkFree(k, call, z, item, sh);
  z.dtor?.(item, z.size, arg);
  if ((z.flags() & ZF_TRASH) !== 0) trash(k, item, z.size, z.malloc ? 8 : 0);
  const b = bucketOf(k, z, d);
  const f = b >>> 1;
  k.f64[f + BR_FREES / 8]! += 1;
  if (d !== k.home) k.f64[f + BR_XDOMAIN / 8]! += 1;
  const n = k.u32[b + BR_COUNT / 4]!;
  if (n < z.bucketCap && k.waiters() === 0) {
    k.u32[b + BR_ITEMS / 4 + n] = item;
    k.u32[b + BR_COUNT / 4] = n + 1;
    return;
  }
  release(k, z, d, b, item, sh);
};

/**
 * The free path's slow half (`bucket_drain`): a full bucket gives half of its items back to the
 * keg; a zone without buckets gives the item itself; and while someone waits for memory the item
 * and this CPU's whole bucket go back, the keg's empty slabs go back to the heap, and the
 * sleepers are woken.
 *
 * @internal
 */
export const release = (
  k: Kernel,
  z: UmaZone,
  d: number,
  b: number,
  item: number,
  sh: number,
): void => {
  const waiting = k.waiters() !== 0;
  const u32 = k.u32;
  k.lockDomain(d);
  try {
    if (waiting || z.bucketCap === 0) {
      kegPut(k, z, d, item, sh);
      if (waiting) drainBucket(k, z, d, b, u32[b + BR_COUNT / 4]!);
    } else {
      drainBucket(k, z, d, b, z.bucketCap - (z.bucketCap >> 1));
      const n = u32[b + BR_COUNT / 4]!;
      u32[b + BR_ITEMS / 4 + n] = item;
      u32[b + BR_COUNT / 4] = n + 1;
    }
    trimFreeSlabs(k, z, d, waiting ? 0 : KEEP_FREE_SLABS);
  } finally {
    k.unlockDomain(d);
  }
  if (waiting) wakeup(k);
};

/**
 * Whether domain `d` could ever hold a slab of zone `z` (its capacity less its reserve).
 *
 * @internal
 */
export const slabFits = (k: Kernel, z: UmaZone, d: number): boolean => {
  const dh = k.dh[d]! >>> 2;
  return z.slabPages <= k.u32[dh + DH_CAP_PAGES / 4]! - k.u32[dh + DH_RESERVE_PAGES / 4]!;
};

/**
 * Counts one sleep of an allocation from zone `z` (its SLEEP column).
 *
 * @internal
 */
export const countSleep = (k: Kernel, z: UmaZone): void => {
  k.f64[(bucketOf(k, z, k.home) >>> 1) + BR_SLEEPS / 8]! += 1;
};
