/**
 * The malloc(9) functions, with FreeBSD 14's semantics (15's where `compat: 'fbsd15'` says so):
 * `malloc`, `mallocarray`, `free`, `zfree`, `realloc`, `reallocf`, `malloc_usable_size`,
 * `malloc_size`, `malloc_aligned`, `malloc_exec` and their `_domainset` forms, and `mallocAsync`.
 *
 * Each takes its kernel from its malloc type. Sizes up to `kmem_zmax` come from the malloc zones
 * (the home domain's per-CPU bucket first: no lock); larger ones take whole pages. Statistics are
 * charged to the type passed, per CPU, exactly as FreeBSD charges them (bucket-rounded sizes,
 * the zone bit even on failure, the type given to `free` never checked).
 *
 * `malloc` and `free` have a fast path for the common case — a non-debug kernel, a size class
 * whose bucket has an item (or room), flags M_WAITOK or M_NOWAIT with or without M_ZERO — and
 * take the general path for everything else.
 */
import { describeValue, toAddress, toFlags, toSize } from './arguments.js';
import { countSleep, handOut, release, slabFits, takeBack, zoneAttempt } from './cache.js';
import {
  DOMAINSET_POLICY_FIRSTTOUCH,
  DOMAINSET_POLICY_ROUNDROBIN,
  KMEM_ZMAX,
  KMEM_ZONE_SIZES,
  M_EXEC,
  M_NEVERFREED,
  M_NODUMP,
  M_NOVM,
  M_NOWAIT,
  M_USE_RESERVE,
  M_WAITOK,
  M_ZERO,
  MINALLOCSIZE,
  PAGE_SIZE,
} from './constants.js';
import {
  checkFlags,
  injectedFailure,
  redzoneCheck,
  redzoneForget,
  redzoneGetSize,
  redzoneRoundup,
  redzoneSetup,
  redzoneSize,
  saveType,
} from './debug.js';
import { DOMAINSET_RR, type Domainset, isDomainset } from './domainset.js';
import { panic } from './errors.js';
import { hex } from './format.js';
import { type Kernel, kernelArg, threadCanSleep } from './kernel.js';
import { isLarge, largeAlloc, largeFits, largeFree, largePages } from './large.js';
import {
  BR_FAILS,
  KH_WAITERS,
  MTS_MEMALLOCED,
  MTS_MEMFREED,
  MTS_NUMALLOCS,
  MTS_NUMFREES,
  MTS_SIZE,
  PT_KIND,
  PT_SLAB,
} from './layout.js';
import {
  isMemguardAddr,
  memguardAlloc,
  memguardCmp,
  memguardFree,
  memguardReqSize,
} from './memguard.js';
import { MallocType } from './types.js';
import { allocAsync, allocSync, wakeup, type Request } from './wait.js';
import { type UmaZone, bit, bucketOf, checkFree, slabOf, useBits, zoneById } from './zone.js';

/** `kmemsize[]`: size >> 4 → zone index, for every size up to KMEM_ZMAX. */
const KMEMSIZE = (() => {
  const table = new Uint8Array(KMEM_ZMAX / 16 + 1);
  let zone = 0;
  for (let i = 0; i < table.length; i++) {
    while (KMEM_ZONE_SIZES[zone]! < i * 16) zone++;
    table[i] = zone;
  }
  return table;
})();

/**
 * The constants the fast paths use, bound here: V8 11 folds a module's own `const`s into the
 * code it compiles, but reads an imported binding from its cell, with a check, at every use
 * (the heap's lesson: docs/heap.md, "How the fast path is written").
 */
const FAST_FLAGS = M_WAITOK | M_NOWAIT | M_ZERO;
const FAST_ZERO = M_ZERO;
const FAST_PT_KIND = PT_KIND;
const FAST_PT_SLAB = PT_SLAB;
const FAST_WAITERS = KH_WAITERS >>> 2;

/** Flags the fast paths take: exactly one of M_WAITOK and M_NOWAIT, maybe M_ZERO. */
const fastFlags = (flags: number): boolean =>
  typeof flags === 'number' &&
  (flags | 0) === flags &&
  (flags & ~FAST_FLAGS) === 0 &&
  ((flags + 1) & 2) !== 0;

/**
 * Whether `type` may take the fast paths: an object whose class is MallocType, tested by its
 * prototype's `constructor`, which V8 folds to a constant. `instanceof` costs a call of V8's
 * generic InstanceOf on every use once the class's `name` has been redefined, which esbuild's
 * `keepNames` does (tsx, vitest): under tsx that took W2 from 70–90 to 105–165 ns/op
 * (docs/kernel.md, "Performance"). Anything else takes the general path, whose `typeArg` tests
 * with `instanceof`.
 */
const fastType = (type: unknown): type is MallocType =>
  typeof type === 'object' && type !== null && type.constructor === MallocType;

// ---------------------------------------------------------------------------------------------
// Arguments

const typeArg = (call: string, type: unknown): MallocType => {
  if (type instanceof MallocType) {
    type.kernel.writable(call);
    return type;
  }
  throw new TypeError(
    `${call}: type must be a malloc type (MALLOC_DEFINE), got ${describeValue(type)}`,
  );
};

const registered = (call: string, type: MallocType): void => {
  if (type.slot < 0) {
    throw new TypeError(
      `${call}: the malloc type ${JSON.stringify(type.ks_shortdesc)} is not registered (malloc_init)`,
    );
  }
};

const domainsetArg = (call: string, ds: unknown): Domainset => {
  if (isDomainset(ds)) return ds;
  throw new TypeError(
    `${call}: ds must be a domainset (DOMAINSET_RR(), DOMAINSET_FIXED(d), …), got ${describeValue(ds)}`,
  );
};

// ---------------------------------------------------------------------------------------------
// Statistics (`malloc_type_zone_allocated`, `malloc_type_allocated`, `malloc_type_freed`)

const charge = (k: Kernel, type: MallocType, bytes: number, zoneBit: number): void => {
  const s = type.slot;
  if (bytes > 0) {
    k.f64[s + MTS_MEMALLOCED / 8]! += bytes;
    k.f64[s + MTS_NUMALLOCS / 8]! += 1;
  }
  if (zoneBit !== 0) k.u32[(s << 1) + MTS_SIZE / 4]! |= zoneBit;
};

const credit = (k: Kernel, type: MallocType, bytes: number): void => {
  const s = type.slot;
  k.f64[s + MTS_MEMFREED / 8]! += bytes;
  k.f64[s + MTS_NUMFREES / 8]! += 1;
};

// ---------------------------------------------------------------------------------------------
// Planning an allocation: the debug hooks, then a zone or a large request

/** What an allocation does once the domains have been searched. */
interface Plan {
  readonly req: Request;
  finish(va: number): number;
}

const zoneRequest = (
  k: Kernel,
  call: string,
  z: UmaZone,
  flags: number,
  ds: Domainset | null,
): Request => ({
  call,
  flags,
  ds,
  policy: DOMAINSET_POLICY_FIRSTTOUCH,
  bytes: z.size,
  neverWait: (flags & M_NOVM) !== 0,
  attempt: (d) => {
    const item = zoneAttempt(k, z, d, flags);
    return item === 0 ? 0 : handOut(k, call, z, d, item, flags, undefined);
  },
  fits: (d) => slabFits(k, z, d),
  onSleep: () => countSleep(k, z),
});

const largeRequest = (
  k: Kernel,
  call: string,
  pages: number,
  flags: number,
  ds: Domainset | null,
  exec: boolean,
): Request => ({
  call,
  flags,
  ds,
  policy: DOMAINSET_POLICY_ROUNDROBIN,
  bytes: pages * PAGE_SIZE,
  attempt: (d) => largeAlloc(k, d, pages, flags, (flags & M_NODUMP) !== 0, exec),
  fits: (d) => largeFits(k, d, pages),
});

/**
 * The general allocation path of malloc, malloc_domainset and malloc_exec: FreeBSD's
 * `malloc_dbg` (when a debugging option is compiled in), then a zone or a large request.
 * Returns the address when it is already known (memguard, an injected failure), or the plan.
 */
const plan = (
  call: string,
  sizeArg: unknown,
  type: MallocType,
  flagsArg: unknown,
  ds: Domainset | null,
  exec: boolean,
): Plan | number => {
  const k = type.kernel;
  let size = toSize(call, 'size', sizeArg);
  let flags = toFlags(call, flagsArg);
  if (exec) flags |= M_EXEC;
  else if ((flags & M_EXEC) !== 0 && k.invariants) {
    panic(call, 'Assertion (flags & M_EXEC) == 0 failed at kern_malloc.c');
  }
  registered(call, type);
  const osize = size;
  if (k.debug) {
    if (k.invariants) {
      if (type.ks_version !== k.M_VERSION) panic(call, 'malloc: bad malloc type version');
      checkFlags(k, flags);
      if (k.compat === 'fbsd15') {
        if ((flags & M_NEVERFREED) !== 0)
          panic(call, 'malloc: M_NEVERFREED is for internal use only');
        if ((flags & M_WAITOK) !== 0 && !threadCanSleep()) {
          panic(call, 'malloc(M_WAITOK) with sleeping prohibited');
        }
      }
    }
    if (k.makeFailures && injectedFailure(k, flags)) return 0;
    if (k.memguard && memguardCmp(k, type.ks_shortdesc, size)) {
      const va = memguardAlloc(k, size, flags);
      if (va !== 0) return va;
    }
    if (k.redzone) size = redzoneSize(size);
  }
  if ((flags & M_USE_RESERVE) !== 0 && (flags & M_NOWAIT) === 0) {
    panic(call, 'M_USE_RESERVE requires M_NOWAIT');
  }
  const waitok = (va: number): void => {
    if (va === 0 && k.invariants && (flags & M_WAITOK) !== 0)
      panic(call, 'malloc(M_WAITOK) returned NULL');
  };
  const redzone = (va: number): number => (k.redzone && va !== 0 ? redzoneSetup(k, va, osize) : va);
  if (!exec && size <= k.kmem_zmax) {
    const z = zoneById(k, KMEMSIZE[(size + 15) >>> 4]!);
    return {
      req: zoneRequest(k, call, z, flags, ds),
      finish: (va) => {
        waitok(va);
        charge(k, type, va === 0 ? 0 : z.size, z.bit);
        if (va === 0) k.f64[(bucketOf(k, z, k.home) >>> 1) + BR_FAILS / 8]! += 1;
        return redzone(va);
      },
    };
  }
  const pages = Math.ceil(size / PAGE_SIZE);
  // malloc and malloc_exec: DOMAINSET_RR(); malloc_domainset[_exec]: the set in 14 ("policy is
  // handled by kmem"), DOMAINSET_RR() in 15.
  const policy = ds === null || (k.compat === 'fbsd15' && !exec) ? DOMAINSET_RR() : ds;
  return {
    req: largeRequest(k, call, pages, flags, policy, exec),
    finish: (va) => {
      waitok(va);
      charge(k, type, va === 0 ? 0 : pages * PAGE_SIZE, 0);
      return redzone(va);
    },
  };
};

const allocate = (
  call: string,
  size: unknown,
  type: MallocType,
  flags: unknown,
  ds: Domainset | null,
  exec: boolean,
): number => {
  const p = plan(call, size, type, flags, ds, exec);
  return typeof p === 'number' ? p : p.finish(Math.max(0, allocSync(type.kernel, p.req)));
};

// ---------------------------------------------------------------------------------------------
// Finding an allocation: memguard, redzone, the page table

/** Where an address's memory comes from. */
type Found =
  | { readonly kind: 'zone'; readonly z: UmaZone; readonly sh: number; readonly size: number }
  | { readonly kind: 'large'; readonly entry: number; readonly size: number }
  | { readonly kind: 'none' };

const find = (k: Kernel, addr: number): Found => {
  const e = addr < k.total ? k.u32[k.pt + (addr >>> 12)]! : 0;
  if ((e & PT_KIND) === PT_SLAB) {
    const sh = e & ~15;
    const z = zoneById(k, k.u32[sh >>> 2]!);
    return { kind: 'zone', z, sh, size: z.size };
  }
  if (isLarge(e) && addr % PAGE_SIZE === 0)
    return { kind: 'large', entry: e, size: largePages(e) * PAGE_SIZE };
  return { kind: 'none' };
};

/**
 * Redzone mode: the underlying allocation of the user address `addr`, when `addr` is where a
 * live redzoned allocation puts its user bytes; −1 otherwise.
 */
const redzoneUnder = (k: Kernel, addr: number): number => {
  let raddr = -1;
  const sh = addr > 0 ? slabOf(k, addr - 1) : 0;
  if (sh !== 0) {
    const z = zoneById(k, k.u32[sh >>> 2]!);
    const base = k.u32[(sh >>> 2) + 5]!;
    const i = z.index(addr - 1, base);
    if (i < z.ipers && bit(k.u32, useBits(z, sh), i)) raddr = base + i * z.size;
  } else if (
    addr >= PAGE_SIZE &&
    addr % PAGE_SIZE === 0 &&
    isLarge(k.u32[k.pt + ((addr - PAGE_SIZE) >>> 12)]!)
  ) {
    raddr = addr - PAGE_SIZE;
  }
  if (raddr < 0) return -1;
  const n = redzoneGetSize(k, addr);
  return raddr + redzoneRoundup(n) === addr ? raddr : -1;
};

const notAllocated = (k: Kernel, call: string, addr: number, zero: boolean): never => {
  const page = hex(addr - (addr % PAGE_SIZE));
  return k.compat === 'fbsd15'
    ? panic(call, `_free(${zero ? 1 : 0}): address ${hex(addr)}(${page}) has not been allocated`)
    : panic(call, `free: address ${hex(addr)}(${page}) has not been allocated.\n`);
};

// ---------------------------------------------------------------------------------------------
// free

const release_ = (call: string, addrArg: unknown, type: MallocType, zero: boolean): void => {
  const k = type.kernel;
  if (k.invariants && type.ks_version !== k.M_VERSION) panic(call, 'free: bad malloc type version');
  if (addrArg === 0) return;
  let addr = toAddress(call, addrArg);
  registered(call, type);
  if (k.memguard && isMemguardAddr(k, addr)) {
    memguardFree(k, call, addr);
    return;
  }
  const user = addr;
  let n = 0;
  if (k.redzone) {
    const raddr = redzoneUnder(k, addr);
    if (raddr >= 0) {
      n = redzoneGetSize(k, addr);
      redzoneCheck(k, call, addr);
      addr = raddr;
    }
  }
  const found = find(k, addr);
  if (found.kind === 'none') notAllocated(k, call, user, zero);
  if (found.kind === 'zone') {
    const { z, sh } = found;
    checkFree(k, call, z, addr, sh);
    if (k.invariants && z.malloc) saveType(k, addr, z.size, type.entry);
    if (zero) k.u8.fill(0, addr, addr + z.size);
    takeBack(k, call, z, k.u32[(sh >>> 2) + 1]!, addr, sh, undefined);
  } else if (found.kind === 'large') {
    if (zero) k.u8.fill(0, addr, addr + found.size);
    largeFree(k, addr, found.entry);
    if (k.waiters() !== 0) wakeup(k);
  }
  if (k.redzone && user !== addr) redzoneForget(k, user, n);
  credit(k, type, found.kind === 'none' ? 0 : found.size);
};

/**
 * Frees the allocation at `addr` (`free(9)`), charging the free to `type` — FreeBSD never checks
 * that it is the type the memory was allocated with (see `vmstat -m` for what a wrong type does
 * to the statistics). `free(0, type)` does nothing. `free` never sleeps.
 *
 * Panics (KernelPanic) with FreeBSD's messages for an address that is not allocated
 * (`free: address 0x…(0x…) has not been allocated.`), and with UMA's INVARIANTS messages for a
 * duplicate free (`Duplicate free of …`) and a pointer inside an item (`Unaligned free of …`) —
 * checked here whether or not INVARIANTS is on (FreeBSD leaves them undefined without it).
 * Throws a `TypeError` for an address that is not a number or a type that is not registered.
 *
 * @category malloc
 * @since 0.1.0
 */
export const free = (addr: number, type: MallocType): void => {
  if (fastType(type)) {
    const s = type.slot;
    const k = type.kernel;
    if (s >= 0 && !k.debug && typeof addr === 'number' && addr >>> 0 === addr && addr < k.total) {
      if (addr === 0) return;
      const u32 = k.u32;
      const e = u32[k.pt + (addr >>> 12)]!;
      if ((e & FAST_PT_KIND) === FAST_PT_SLAB) {
        const shi = (e & ~15) >>> 2;
        const z = k.zones[u32[shi]!] as UmaZone | undefined;
        if (z !== undefined && z.malloc) {
          const off = addr - u32[shi + 5]!;
          const i = z.shift >= 0 ? off >>> z.shift : Math.floor(off / z.size);
          const w = shi + 8 + z.words + (i >>> 5);
          const m = 1 << (i & 31);
          const d = u32[shi + 1]!;
          const b = z.mine[d]!;
          let had = 0;
          if (i < z.ipers && i * z.size === off && b !== 0) {
            // Another thread may hold items of this slab: change the word atomically then.
            if (k.shared) had = Atomics.and(k.i32, w, ~m) & m;
            else {
              had = u32[w]! & m;
              u32[w] = u32[w]! & ~m;
            }
          }
          if (had !== 0) {
            const f64 = k.f64;
            f64[s + 1]! += z.size;
            f64[s + 3]! += 1;
            const f = b >>> 1;
            f64[f + 3]! += 1;
            if (d !== k.home) f64[f + 6]! += 1;
            const n = u32[b]!;
            if (n < z.bucketCap && k.i32[FAST_WAITERS] === 0) {
              u32[b + 14 + n] = addr;
              u32[b] = n + 1;
            } else {
              release(k, z, d, b, addr, e & ~15);
            }
            return;
          }
        }
      }
    }
  }
  release_('free', addr, typeArg('free', type), false);
};

/**
 * Zeroes the whole allocation at `addr` (the zone item, or every page: its usable size, not the
 * size asked for), then frees it as {@link free}.
 *
 * @category malloc
 * @since 0.1.0
 */
export const zfree = (addr: number, type: MallocType): void => {
  release_('zfree', addr, typeArg('zfree', type), true);
};

// ---------------------------------------------------------------------------------------------
// malloc and friends

/** `call`'s allocation from the domains of `ds` (the type checked first, then the set). */
const fromSet = (
  call: string,
  size: unknown,
  type: unknown,
  ds: unknown,
  flags: unknown,
  exec: boolean,
): number => allocate(call, size, typeArg(call, type), flags, domainsetArg(call, ds), exec);

/**
 * Allocates at least `size` bytes of memory charged to `type` (`malloc(9)`) and returns the
 * address. Sizes up to `kmem_zmax` (64 KiB) come from the malloc zones (16, 32, 64, 128, 256,
 * 384, 512, 1024 … 65536 bytes, naturally aligned up to a page; 384 to 8 bytes); `malloc(0)`
 * returns a 16-byte item. Larger sizes take whole pages, page-aligned.
 *
 * `flags`: exactly one of M_WAITOK and M_NOWAIT (INVARIANTS prints "Bad malloc flags" once per
 * boot otherwise; the call still proceeds, sleeping only with M_WAITOK alone), with M_ZERO,
 * M_NOVM, M_USE_RESERVE (only with M_NOWAIT: otherwise a KernelPanic), M_NODUMP. Returns 0
 * (NULL) when M_NOWAIT and no domain has the memory. With M_WAITOK it never returns 0: it grows
 * the domains' heaps, runs the `vm_lowmem` handlers, then sleeps until another thread frees
 * memory (a shared kernel, in a thread that may block), and panics where nothing could wake it
 * or the request can never be met; {@link mallocAsync} waits without blocking.
 *
 * Throws a `RangeError` for a size that is not a non-negative safe integer (number or bigint),
 * a `TypeError` for flags that are not an integer or a type that is not a registered malloc type.
 *
 * @category malloc
 * @since 0.1.0
 */
export const malloc = (size: number, type: MallocType, flags: number): number => {
  if (fastType(type)) {
    const s = type.slot;
    const k = type.kernel;
    if (
      s >= 0 &&
      typeof size === 'number' &&
      size >>> 0 === size &&
      size <= k.kmem_zmax &&
      !k.debug &&
      fastFlags(flags)
    ) {
      const z = k.zones[KMEMSIZE[(size + 15) >>> 4]!] as UmaZone;
      const b = z.mine[k.home]!;
      const u32 = k.u32;
      const n = b === 0 ? 0 : u32[b]!;
      if (n !== 0) {
        const item = u32[b + 13 + n]!;
        u32[b] = n - 1;
        // A one-page slab starts at its item's page, its header at hdrOff: no page table read.
        const page = item & -4096;
        const one = z.slabPages === 1;
        const shi = one ? (page + z.hdrOff) >>> 2 : (u32[k.pt + (item >>> 12)]! & ~15) >>> 2;
        const off = one ? item - page : item - u32[shi + 5]!;
        const i = z.shift >= 0 ? off >>> z.shift : Math.floor(off / z.size);
        const w = shi + 8 + z.words + (i >>> 5);
        if (k.shared) Atomics.or(k.i32, w, 1 << (i & 31));
        else u32[w]! |= 1 << (i & 31);
        const f64 = k.f64;
        f64[(b >>> 1) + 2]! += 1;
        f64[s]! += z.size;
        f64[s + 2]! += 1;
        u32[(s << 1) + 8]! |= z.bit;
        if ((flags & FAST_ZERO) !== 0) k.u8.fill(0, item, item + z.size);
        return item;
      }
    }
  }
  return allocate('malloc', size, typeArg('malloc', type), flags, null, false);
};

/**
 * `malloc` from the domains of `ds`, in the order of its policy (`malloc_domainset`). Requests
 * up to `kmem_zmax` follow the set; larger ones follow it too in FreeBSD 14 ("policy is handled
 * by kmem") and use DOMAINSET_RR() in 15.
 *
 * @category malloc
 * @since 0.1.0
 */
export const malloc_domainset = (
  size: number,
  type: MallocType,
  ds: Domainset,
  flags: number,
): number => fromSet('malloc_domainset', size, type, ds, flags, false);

/**
 * Executable memory (`malloc_exec`): always whole pages, page-aligned, even for one byte, round
 * robin over the domains. JavaScript has no executable memory: the pages are ordinary ones,
 * recorded as executable; what is reproduced is FreeBSD's path and sizes.
 *
 * @category malloc
 * @since 0.1.0
 */
export const malloc_exec = (size: number, type: MallocType, flags: number): number =>
  allocate('malloc_exec', size, typeArg('malloc_exec', type), flags, DOMAINSET_RR(), true);

/**
 * {@link malloc_exec} from the domains of `ds` (`malloc_domainset_exec`).
 *
 * @category malloc
 * @since 0.1.0
 */
export const malloc_domainset_exec = (
  size: number,
  type: MallocType,
  ds: Domainset,
  flags: number,
): number => fromSet('malloc_domainset_exec', size, type, ds, flags, true);

/**
 * `nmemb * size` after FreeBSD's `WOULD_OVERFLOW` check, in this library's size domain (safe
 * integers: size_t is 2^53 wide here); panics `call: N * M overflowed` otherwise.
 */
const arrayBytes = (call: string, nmemb: unknown, size: unknown): number => {
  const n = toSize(call, 'nmemb', nmemb);
  const s = toSize(call, 'size', size);
  if (n > 0 && s > Math.floor(Number.MAX_SAFE_INTEGER / n))
    panic(call, `${call}: ${n} * ${s} overflowed`);
  return n * s;
};

/**
 * `malloc(nmemb * size)` after an overflow check (`mallocarray`): an overflowing product panics
 * with FreeBSD's message (`mallocarray: N * M overflowed`), even with M_NOWAIT. Sizes here are
 * safe integers, so the product overflows above 2^53 − 1 (FreeBSD's size_t: 2^64 − 1).
 *
 * @category malloc
 * @since 0.1.0
 */
export const mallocarray = (
  nmemb: number,
  size: number,
  type: MallocType,
  flags: number,
): number => {
  const t = typeArg('mallocarray', type);
  return allocate('mallocarray', arrayBytes('mallocarray', nmemb, size), t, flags, null, false);
};

/**
 * {@link mallocarray} from the domains of `ds` (`mallocarray_domainset`, FreeBSD 15; offered in
 * both modes).
 *
 * @category malloc
 * @since 0.1.0
 */
export const mallocarray_domainset = (
  nmemb: number,
  size: number,
  type: MallocType,
  ds: Domainset,
  flags: number,
): number => {
  const call = 'mallocarray_domainset';
  const t = typeArg(call, type);
  const set = domainsetArg(call, ds);
  return allocate(call, arrayBytes(call, nmemb, size), t, flags, set, false);
};

/**
 * `size` bytes at an address that is a multiple of `align` (`malloc_domainset_aligned`): the
 * request is rounded up to a power of two at least `align` (zones give alignment equal to their
 * size), so `(100, 64)` uses 128 bytes. `align` must be a power of two up to the page size; 0 is
 * refused in 14 mode, and in 15 mode (which tests only `powerof2`) fails the result check.
 * FreeBSD checks these only under INVARIANTS; here always, with FreeBSD's messages.
 *
 * @category malloc
 * @since 0.1.0
 */
export const malloc_domainset_aligned = (
  size: number,
  align: number,
  type: MallocType,
  ds: Domainset,
  flags: number,
): number => aligned('malloc_domainset_aligned', size, align, type, ds, flags);

/**
 * {@link malloc_domainset_aligned} over every domain round-robin (`malloc_aligned`, FreeBSD 15;
 * offered in both modes).
 *
 * @category malloc
 * @since 0.1.0
 */
export const malloc_aligned = (
  size: number,
  align: number,
  type: MallocType,
  flags: number,
): number => aligned('malloc_aligned', size, align, type, DOMAINSET_RR(), flags);

const aligned = (
  call: string,
  sizeArg: unknown,
  alignArg: unknown,
  typeArg_: unknown,
  ds: unknown,
  flags: unknown,
): number => {
  const type = typeArg(call, typeArg_);
  const set = domainsetArg(call, ds);
  let size = toSize(call, 'size', sizeArg);
  const align = toSize(call, 'align', alignArg);
  const k = type.kernel;
  const pow2 = (align & (align - 1)) === 0;
  if (!pow2 || (align === 0 && k.compat === 'fbsd14')) {
    panic(call, `malloc_domainset_aligned: wrong align ${hex(align)} size ${hex(size)}`);
  }
  if (align > PAGE_SIZE)
    panic(call, `malloc_domainset_aligned: align ${hex(align)} (size ${hex(size)}) too large`);
  if (k.compat === 'fbsd15' && size === 0) size = 1;
  const asize = size <= align ? align : 2 ** Math.ceil(Math.log2(size));
  const res = allocate(call, asize, type, flags, set, false);
  if (res !== 0 && (align === 0 || res % align !== 0)) {
    release_(call, res, type, false);
    panic(
      call,
      `malloc_domainset_aligned: result not aligned ${hex(res)} size ${hex(size)} allocsize ${hex(asize)} align ${hex(align)}`,
    );
  }
  return res;
};

/**
 * The promise form of {@link malloc} (and {@link malloc_domainset} with `ds`): with M_WAITOK it
 * resolves when the request can be met — at once when memory is free, otherwise after a free in
 * this thread or, in a shared kernel, in any thread — without blocking the thread. Errors are
 * rejections. With M_NOWAIT it resolves at once, possibly with 0.
 *
 * @category malloc
 * @since 0.1.0
 */
export const mallocAsync = async (
  size: number,
  type: MallocType,
  flags: number,
  ds?: Domainset,
): Promise<number> => {
  const t = typeArg('mallocAsync', type);
  const set = ds === undefined ? null : domainsetArg('mallocAsync', ds);
  const p = plan('mallocAsync', size, t, flags, set, false);
  if (typeof p === 'number') return p;
  return p.finish(Math.max(0, await allocAsync(t.kernel, p.req)));
};

// ---------------------------------------------------------------------------------------------
// realloc

/** The usable size of a live allocation, or −1 (redzone: its user size). */
const allocatedSize = (k: Kernel, addr: number): number => {
  if (k.redzone) return redzoneUnder(k, addr) >= 0 ? redzoneGetSize(k, addr) : -1;
  const found = find(k, addr);
  if (found.kind === 'zone') {
    const i = found.z.index(addr, k.u32[(found.sh >>> 2) + 5]!);
    const live =
      i < found.z.ipers &&
      i * found.z.size === addr - k.u32[(found.sh >>> 2) + 5]! &&
      bit(k.u32, useBits(found.z, found.sh), i);
    return live ? found.size : -1;
  }
  return found.kind === 'large' ? found.size : -1;
};

/**
 * Resizes the allocation at `addr` to `size` bytes (`realloc(9)`), charging `type`. The block is
 * reused in place when `size` fits its usable size and is more than half of it (REALLOC_FRACTION
 * 1); otherwise a new block is allocated, the smaller of `size` and the old usable size is
 * copied, and the old block is freed. `realloc(0, n)` is `malloc(n)`; `realloc(p, 0)` returns a
 * new 16-byte block (it is not a free). On failure it returns 0 and `addr` is untouched and still
 * allocated. A memguard block always moves to a new guarded block; in redzone mode every realloc
 * moves.
 *
 * Panics with `realloc: address 0x… out of range` for an address that is no allocation, and for
 * an item that is not allocated (FreeBSD reuses such a block silently).
 *
 * @category malloc
 * @since 0.1.0
 */
export const realloc = (addr: number, size: number, type: MallocType, flags: number): number => {
  const call = 'realloc';
  const t = typeArg(call, type);
  const k = t.kernel;
  if (k.invariants && t.ks_version !== k.M_VERSION) panic(call, 'realloc: bad malloc type version');
  if (addr === 0) return allocate(call, size, t, flags, null, false);
  const p = toAddress(call, addr);
  const n = toSize(call, 'size', size);
  toFlags(call, flags);
  registered(call, t);
  if (k.memguard && isMemguardAddr(k, p)) {
    const old = memguardReqSize(k, call, p);
    const moved = memguardAlloc(k, n, flags);
    if (moved === 0) return 0;
    k.u8.copyWithin(moved, p, p + Math.min(n, old));
    memguardFree(k, call, p);
    return moved;
  }
  const alloc = allocatedSize(k, p);
  if (alloc < 0) {
    if (find(k, p).kind === 'none' && !k.redzone)
      panic(call, `realloc: address ${hex(p)} out of range`);
    panic(call, `realloc: address ${hex(p)} is not an allocated block (freed, or inside one)`);
  }
  if (!k.redzone && n <= alloc && (n > alloc >> 1 || alloc === MINALLOCSIZE)) return p;
  const moved = allocate(call, n, t, flags, null, false);
  if (moved === 0) return 0;
  k.u8.copyWithin(moved, p, p + Math.min(n, alloc));
  release_(call, p, t, false);
  return moved;
};

/**
 * {@link realloc}, but on failure the old block is freed (`reallocf`): it returns 0 and `addr`
 * is gone.
 *
 * @category malloc
 * @since 0.1.0
 */
export const reallocf = (addr: number, size: number, type: MallocType, flags: number): number => {
  const moved = realloc(addr, size, type, flags);
  if (moved === 0) release_('reallocf', addr, type, false);
  return moved;
};

// ---------------------------------------------------------------------------------------------
// Sizes

/**
 * The usable size of the allocation at `addr` (`malloc_usable_size`): the zone size, or the
 * page-rounded size of a large allocation; a memguard block's and (in redzone mode) every
 * block's exact requested size. `malloc_usable_size(kernel, 0)` is 0. As FreeBSD, the size of a
 * freed zone item is its zone's size. The kernel comes first, as FreeBSD's only argument is the
 * address.
 *
 * Panics with `malloc_usable_size: address 0x…(0x…) is not allocated.` for an address that is
 * no allocation.
 *
 * @category malloc
 * @since 0.1.0
 */
export const malloc_usable_size = (kernel: Kernel, addr: number): number => {
  const call = 'malloc_usable_size';
  const k = kernelArg(call, kernel);
  if (addr === 0) return 0;
  const p = toAddress(call, addr);
  if (k.memguard && isMemguardAddr(k, p)) return memguardReqSize(k, call, p);
  if (k.redzone && redzoneUnder(k, p) >= 0) return redzoneGetSize(k, p);
  const found = find(k, p);
  if (found.kind === 'none' || k.redzone) {
    const page = hex(p - (p % PAGE_SIZE));
    const tail = k.compat === 'fbsd15' ? '' : '.\n';
    panic(call, `malloc_usable_size: address ${hex(p)}(${page}) is not allocated${tail}`);
  }
  return (found as { size: number }).size;
};

/**
 * The size `malloc` would give a request of `size` bytes (`malloc_size`): the zone size up to
 * `kmem_zmax`; above it 0 in FreeBSD 14 and the page-rounded size in 15.
 *
 * @category malloc
 * @since 0.1.0
 */
export const malloc_size = (kernel: Kernel, size: number): number => {
  const k = kernelArg('malloc_size', kernel);
  const n = toSize('malloc_size', 'size', size);
  if (n > k.kmem_zmax) return k.compat === 'fbsd15' ? Math.ceil(n / PAGE_SIZE) * PAGE_SIZE : 0;
  return KMEM_ZONE_SIZES[KMEMSIZE[(n + 15) >>> 4]!]!;
};
