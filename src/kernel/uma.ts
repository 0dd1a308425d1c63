/**
 * The zone API of UMA(9): `uma_zcreate`, `uma_zalloc`, `uma_zfree`, `uma_zdestroy` and the
 * zone settings, over the same kegs, slabs and per-CPU buckets as the malloc zones.
 */
import { describeValue, toFlags, toIndex, toSize } from './arguments.js';
import { countSleep, handOut, slabFits, takeBack, zoneAttempt } from './cache.js';
import {
  DOMAINSET_POLICY_FIRSTTOUCH,
  DOMAINSET_POLICY_ROUNDROBIN,
  M_NOVM,
  M_NOWAIT,
  M_USE_RESERVE,
  PAGE_SIZE,
  UMA_ALIGN_CACHE,
  UMA_ANYDOMAIN,
  UMA_RECLAIM_DRAIN,
  UMA_RECLAIM_DRAIN_CPU,
  UMA_RECLAIM_TRIM,
  UMA_ZONE_ROUNDROBIN,
} from './constants.js';
import { DOMAINSET_FIXED } from './domainset.js';
import { panic } from './errors.js';
import { type Kernel, kernelArg } from './kernel.js';
import {
  BR_ALLOCS,
  BR_COUNT,
  BR_FAILS,
  BR_FREES,
  KR_BUCKETS,
  KR_NSLABS,
  ZD_FLAGS,
  ZD_ITEMS,
  ZD_LIMIT,
  ZF_CALLBACKS,
  ZF_DESTROYED,
} from './layout.js';
import { flushRuns } from './pages.js';
import { allocSync, type Request } from './wait.js';
import {
  KEEP_FREE_SLABS,
  UmaZone,
  ZF_TRASH,
  allZones,
  bucketOf,
  checkFree,
  createZone,
  destroyed,
  drainBucket,
  drainCpu,
  foreignCallbacks,
  slabOf,
  trashable,
  trimFreeSlabs,
  zoneLimit,
  type uma_ctor,
  type uma_dtor,
  type uma_fini,
  type uma_init,
} from './zone.js';

const zoneArg = (call: string, zone: unknown): UmaZone => {
  if (!(zone instanceof UmaZone)) {
    throw new TypeError(`${call}: zone must be a zone (uma_zcreate), got ${describeValue(zone)}`);
  }
  zone.kernel.writable(call);
  if (destroyed(zone))
    throw new TypeError(`${call}: the zone ${JSON.stringify(zone.name)} was destroyed`);
  if (foreignCallbacks(zone)) {
    throw new TypeError(
      `${call}: the zone ${JSON.stringify(zone.name)} has constructor or init functions of another thread`,
    );
  }
  return zone;
};

const callbackArg = <F>(call: string, name: string, f: F | null | undefined): F | undefined => {
  if (f === null || f === undefined) return undefined;
  if (typeof f !== 'function') throw new TypeError(`${call}: ${name} must be a function or null`);
  return f;
};

/**
 * Creates a zone of items of `size` bytes (`uma_zcreate`). `ctor`/`dtor` run on every
 * allocation and free, `uminit`/`fini` once per item as its slab is made and given back (all may
 * be null); `align` is an alignment mask (`UMA_ALIGN_PTR`, `UMA_ALIGN_CACHE`, …) and `flags`
 * UMA_ZONE_* flags (UMA_ZONE_ZINIT, UMA_ZONE_NOFREE, UMA_ZONE_NOBUCKET, UMA_ZONE_MAXBUCKET,
 * UMA_ZONE_ROUNDROBIN; first-touch is the default policy). Under INVARIANTS a zone without
 * init/fini, NOTOUCH and ZINIT gets FreeBSD's trash checks.
 *
 * JavaScript functions cannot be shared between workers: a zone made with callbacks can be used
 * only in the thread that made it. Throws a `RangeError` for a bad size or alignment.
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zcreate = (
  kernel: Kernel,
  name: string,
  size: number,
  ctor: uma_ctor | null,
  dtor: uma_dtor | null,
  uminit: uma_init | null,
  fini: uma_fini | null,
  align: number,
  flags: number,
): UmaZone => {
  const call = 'uma_zcreate';
  kernelArg(call, kernel).writable(call);
  if (typeof name !== 'string' || name.length === 0)
    throw new TypeError(`${call}: name must be a non-empty string`);
  const bytes = toSize(call, 'size', size);
  if (bytes === 0 || bytes > 16 * 1024 * 1024) {
    throw new RangeError(`${call}: size must be from 1 to 16 MiB, got ${bytes}`);
  }
  if (
    align !== UMA_ALIGN_CACHE &&
    (!Number.isInteger(align) || align < 0 || align >= PAGE_SIZE || (align & (align + 1)) !== 0)
  ) {
    throw new RangeError(
      `${call}: align must be an alignment mask (2^n − 1 below the page size), got ${describeValue(align)}`,
    );
  }
  const f = toFlags(call, flags);
  const callbacks = {
    ctor: callbackArg(call, 'ctor', ctor),
    dtor: callbackArg(call, 'dtor', dtor),
    init: callbackArg(call, 'uminit', uminit),
    fini: callbackArg(call, 'fini', fini),
  };
  const any = Object.values(callbacks).some((c) => c !== undefined);
  const extra =
    (any ? ZF_CALLBACKS : 0) |
    (kernel.invariants && trashable(f, callbacks.init, callbacks.fini) ? ZF_TRASH : 0);
  const zone = createZone(kernel, call, name, bytes, align, f, extra);
  Object.assign(
    zone,
    Object.fromEntries(Object.entries(callbacks).filter(([, c]) => c !== undefined)),
  );
  return zone;
};

/**
 * A zone of the kernel by name, as this thread's handle (for a worker that uses a zone the
 * booting thread made; FreeBSD passes the `uma_zone_t` around instead). Returns `null` when
 * there is none; the first match in creation order.
 *
 * @category uma
 * @since 0.1.0
 */
export const findZone = (kernel: Kernel, name: string): UmaZone | null =>
  allZones(kernel).find((z) => z.name === name && !destroyed(z)) ?? null;

const items = (z: UmaZone): number => z.kernel.i32[(z.zd + ZD_ITEMS) >>> 2]!;

const zoneRequest = (
  call: string,
  z: UmaZone,
  arg: unknown,
  flags: number,
  domain: number,
): Request => {
  const k = z.kernel;
  const i32 = k.i32;
  return {
    call,
    flags,
    ds: domain === UMA_ANYDOMAIN ? null : DOMAINSET_FIXED(domain),
    policy:
      (z.flags() & UMA_ZONE_ROUNDROBIN) !== 0
        ? DOMAINSET_POLICY_ROUNDROBIN
        : DOMAINSET_POLICY_FIRSTTOUCH,
    bytes: z.size,
    neverWait: (flags & M_NOVM) !== 0,
    attempt: (d) => {
      const limit = zoneLimit(z);
      const at = (z.zd + ZD_ITEMS) >>> 2;
      if (Atomics.add(i32, at, 1) >= limit && limit !== 0) {
        Atomics.sub(i32, at, 1);
        return 0;
      }
      const item = zoneAttempt(k, z, d, flags);
      const va = item === 0 ? 0 : handOut(k, call, z, d, item, flags, arg);
      if (va === 0) Atomics.sub(i32, at, 1);
      // A constructor that failed ends the allocation (no other domain is tried).
      return item !== 0 && va === 0 ? -1 : va;
    },
    fits: (d) => slabFits(k, z, d),
    onSleep: () => countSleep(k, z),
  };
};

const zalloc = (
  call: string,
  zone: unknown,
  arg: unknown,
  domain: number,
  flags: unknown,
): number => {
  const z = zoneArg(call, zone);
  const f = toFlags(call, flags);
  const k = z.kernel;
  if ((f & M_USE_RESERVE) !== 0 && (f & M_NOWAIT) === 0)
    panic(call, 'M_USE_RESERVE requires M_NOWAIT');
  const va = Math.max(0, allocSync(k, zoneRequest(call, z, arg, f, domain)));
  if (va === 0) k.f64[(bucketOf(k, z, k.home) >>> 1) + BR_FAILS / 8]! += 1;
  return va;
};

/**
 * An item of the zone (`uma_zalloc`): with M_WAITOK never 0 (it sleeps as malloc does, also
 * when the zone is at its limit); with M_NOWAIT 0 when none can be had. M_ZERO zeroes it.
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zalloc = (zone: UmaZone, flags: number): number =>
  zalloc('uma_zalloc', zone, undefined, UMA_ANYDOMAIN, flags);

/**
 * {@link uma_zalloc} with an argument for the constructor (`uma_zalloc_arg`).
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zalloc_arg = (zone: UmaZone, arg: unknown, flags: number): number =>
  zalloc('uma_zalloc_arg', zone, arg, UMA_ANYDOMAIN, flags);

/**
 * An item from domain `domain` (`uma_zalloc_domain`): only that domain, so M_WAITOK waits for
 * it; `UMA_ANYDOMAIN` is {@link uma_zalloc_arg}.
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zalloc_domain = (
  zone: UmaZone,
  arg: unknown,
  domain: number,
  flags: number,
): number => {
  const z = zoneArg('uma_zalloc_domain', zone);
  const d =
    domain === UMA_ANYDOMAIN
      ? domain
      : toIndex('uma_zalloc_domain', 'domain', domain, z.kernel.ndomains);
  return zalloc('uma_zalloc_domain', z, arg, d, flags);
};

/**
 * Gives `item` back to the zone (`uma_zfree_arg`); `uma_zfree(zone, 0)` does nothing. Panics
 * with UMA's messages for an item of another zone (`uma: Freed item … did not belong to zone
 * …`), a duplicate free and a pointer inside an item.
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zfree_arg = (zone: UmaZone, item: number, arg: unknown): void => {
  const call = 'uma_zfree_arg';
  const z = zoneArg(call, zone);
  if (item === 0) return;
  if (typeof item !== 'number' || !Number.isSafeInteger(item) || item < 0) {
    throw new TypeError(
      `${call}: item must be an address (a non-negative integer), got ${describeValue(item)}`,
    );
  }
  const k = z.kernel;
  const sh = checkFree(k, call, z, item, slabOf(k, item));
  takeBack(k, call, z, k.u32[(sh >>> 2) + 1]!, item, sh, arg);
  Atomics.sub(k.i32, (z.zd + ZD_ITEMS) >>> 2, 1);
};

/**
 * {@link uma_zfree_arg} without an argument (`uma_zfree`).
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zfree = (zone: UmaZone, item: number): void =>
  uma_zfree_arg(zone, item, undefined);

/**
 * Limits the zone to `nitems` items handed out at once (`uma_zone_set_max`); 0 removes the
 * limit. Returns the limit in effect.
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zone_set_max = (zone: UmaZone, nitems: number): number => {
  const z = zoneArg('uma_zone_set_max', zone);
  const n = toSize('uma_zone_set_max', 'nitems', nitems);
  z.kernel.u32[(z.zd + ZD_LIMIT) >>> 2] = Math.min(n, 0x7fffffff);
  return n;
};

/**
 * The zone's limit (`uma_zone_get_max`), 0 for none.
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zone_get_max = (zone: UmaZone): number =>
  zoneLimit(zoneArg('uma_zone_get_max', zone));

/**
 * Items of the zone handed out now (`uma_zone_get_cur`).
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zone_get_cur = (zone: UmaZone): number => items(zoneArg('uma_zone_get_cur', zone));

/**
 * Releases cached memory (`uma_reclaim`): UMA_RECLAIM_DRAIN_CPU drains this thread's buckets
 * and gives every empty slab back; UMA_RECLAIM_DRAIN gives back the empty slabs a keg keeps and
 * UMA_RECLAIM_TRIM all but one per keg; then the domains' page caches go back to their heaps. Other threads' buckets are theirs (FreeBSD drains them
 * with an IPI, which JavaScript has no equivalent of): they go back when those threads call
 * `uma_reclaim` themselves, or detach.
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_reclaim = (kernel: Kernel, req: number): void => {
  kernelArg('uma_reclaim', kernel);
  kernel.writable('uma_reclaim');
  reclaim(kernel, allZones(kernel), req);
};

/**
 * {@link uma_reclaim} for one zone (`uma_zone_reclaim`).
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zone_reclaim = (zone: UmaZone, req: number): void => {
  const z = zoneArg('uma_zone_reclaim', zone);
  reclaim(z.kernel, [z], req);
};

const reclaim = (k: Kernel, zones: UmaZone[], req: number): void => {
  if (req !== UMA_RECLAIM_DRAIN && req !== UMA_RECLAIM_DRAIN_CPU && req !== UMA_RECLAIM_TRIM) {
    throw new RangeError(
      `uma_reclaim: req must be UMA_RECLAIM_DRAIN, _DRAIN_CPU or _TRIM, got ${describeValue(req)}`,
    );
  }
  if (req === UMA_RECLAIM_DRAIN_CPU && zones.length > 1) {
    drainCpu(k, 0);
    flushAll(k);
    return;
  }
  for (const z of zones) {
    if (destroyed(z)) continue;
    for (let d = 0; d < k.ndomains; d++) {
      k.lockDomain(d);
      try {
        const br = k.u32[((z.kegs[d]! + KR_BUCKETS) >>> 2) + k.cpu]!;
        if (req === UMA_RECLAIM_DRAIN_CPU && br !== 0)
          drainBucket(k, z, d, br >>> 2, k.u32[(br + BR_COUNT) >>> 2]!);
        trimFreeSlabs(k, z, d, req === UMA_RECLAIM_TRIM ? KEEP_FREE_SLABS : 0);
      } finally {
        k.unlockDomain(d);
      }
    }
  }
  if (zones.length > 1) flushAll(k);
};

/** Gives every domain's cached page runs back to its heap. */
const flushAll = (k: Kernel): void => {
  for (let d = 0; d < k.ndomains; d++) {
    k.lockDomain(d);
    try {
      flushRuns(k, d);
    } finally {
      k.unlockDomain(d);
    }
  }
};

/**
 * Destroys the zone (`uma_zdestroy`): drains every CPU's buckets (no thread may use the zone any
 * more, as in FreeBSD), gives its empty slabs back, and when items are still allocated prints
 * FreeBSD's warning — `Freed UMA keg (name) was not empty (n items).  Lost p pages of memory.` —
 * and leaves those pages allocated. The handle cannot be used afterwards.
 *
 * @category uma
 * @since 0.1.0
 */
export const uma_zdestroy = (zone: UmaZone): void => {
  const z = zoneArg('uma_zdestroy', zone);
  const k = z.kernel;
  if (z.malloc) throw new TypeError('uma_zdestroy: the malloc zones cannot be destroyed');
  let used = 0;
  let pages = 0;
  for (let d = 0; d < k.ndomains; d++) {
    k.lockDomain(d);
    try {
      for (let c = 0; c < k.maxCpus; c++) {
        const br = k.u32[((z.kegs[d]! + KR_BUCKETS) >>> 2) + c]!;
        if (br === 0) continue;
        drainBucket(k, z, d, br >>> 2, k.u32[(br + BR_COUNT) >>> 2]!);
        used += k.f64[(br + BR_ALLOCS) >>> 3]! - k.f64[(br + BR_FREES) >>> 3]!;
      }
      trimFreeSlabs(k, z, d, 0);
      pages += k.u32[(z.kegs[d]! + KR_NSLABS) >>> 2]! * z.slabPages;
    } finally {
      k.unlockDomain(d);
    }
  }
  if (pages !== 0) {
    k.printf(
      `Freed UMA keg (${z.name}) was not empty (${used} items).  Lost ${pages} pages of memory.\n`,
    );
  }
  k.u32[(z.zd + ZD_FLAGS) >>> 2]! |= ZF_DESTROYED;
};
