/**
 * FreeBSD's constants, at FreeBSD's values: the malloc(9) flags (`sys/sys/malloc.h`), the UMA
 * zone flags and alignments (`sys/vm/uma.h`), the domainset policies (`sys/sys/domainset.h`),
 * the page size of amd64 and the size classes of `kmemzones[]` (`sys/kern/kern_malloc.c`).
 */

// ---------------------------------------------------------------------------------------------
// malloc(9) flags

/**
 * Do not sleep: the call may return NULL (0).
 *
 * @category flags
 * @since 0.1.0
 */
export const M_NOWAIT = 0x0001;
/**
 * May sleep until memory is available; `malloc`, `mallocarray`, `realloc` and `reallocf` never
 * return NULL with it (see docs/kernel.md for how a JavaScript thread sleeps).
 *
 * @category flags
 * @since 0.1.0
 */
export const M_WAITOK = 0x0002;
/**
 * FreeBSD 15 only: do not reclaim after failure. Accepted and ignored in 14 mode.
 *
 * @category flags
 * @since 0.1.0
 */
export const M_NORECLAIM = 0x0080;
/**
 * Zero the allocation (the whole zone item, or every page of a large allocation).
 *
 * @category flags
 * @since 0.1.0
 */
export const M_ZERO = 0x0100;
/**
 * Do not ask the VM for pages: only items already cached or free in existing slabs are used.
 *
 * @category flags
 * @since 0.1.0
 */
export const M_NOVM = 0x0200;
/**
 * May use the domain's reserve. Only with {@link M_NOWAIT}.
 *
 * @category flags
 * @since 0.1.0
 */
export const M_USE_RESERVE = 0x0400;
/**
 * Leave the pages of this allocation out of a dump (`Kernel.dump`). As in FreeBSD it applies to
 * allocations that take whole pages (larger than `kmem_zmax`, and `malloc_exec`).
 *
 * @category flags
 * @since 0.1.0
 */
export const M_NODUMP = 0x0800;
/**
 * vmem only in FreeBSD (fast fit); no effect here.
 *
 * @category flags
 * @since 0.1.0
 */
export const M_FIRSTFIT = 0x1000;
/**
 * vmem only in FreeBSD (low fragmentation); no effect here.
 *
 * @category flags
 * @since 0.1.0
 */
export const M_BESTFIT = 0x2000;
/**
 * Executable memory: set by the `*_exec` functions only; `malloc` refuses it.
 *
 * @category flags
 * @since 0.1.0
 */
export const M_EXEC = 0x4000;
/**
 * vmem only in FreeBSD (follow the cursor); no effect here.
 *
 * @category flags
 * @since 0.1.0
 */
export const M_NEXTFIT = 0x8000;
/**
 * FreeBSD 15 only, internal: with INVARIANTS, a caller passing it panics.
 *
 * @category flags
 * @since 0.1.0
 */
export const M_NEVERFREED = 0x10000;

// ---------------------------------------------------------------------------------------------
// Versions and sizes

/**
 * The malloc type version of FreeBSD 14 (`M_VERSION`, 2020110501).
 *
 * @category constants
 * @since 0.1.0
 */
export const M_VERSION_14 = 2020110501;
/**
 * The malloc type version of FreeBSD 15 (`M_VERSION`, 2024042901).
 *
 * @category constants
 * @since 0.1.0
 */
export const M_VERSION_15 = 2024042901;
/**
 * The longest type name kept (`MALLOC_MAX_NAME`, with its NUL).
 *
 * @category constants
 * @since 0.1.0
 */
export const MALLOC_MAX_NAME = 32;
/**
 * The version of the `kern.malloc_stats` stream.
 *
 * @category constants
 * @since 0.1.0
 */
export const MALLOC_TYPE_STREAM_VERSION = 0x00000001;
/**
 * The page size: FreeBSD's on amd64.
 *
 * @category constants
 * @since 0.1.0
 */
export const PAGE_SIZE = 4096;
/**
 * The smallest unit UMA hands out (`UMA_SMALLEST_UNIT`, MINALLOCSIZE in 14 and 15).
 *
 * @category constants
 * @since 0.1.0
 */
export const MINALLOCSIZE = 8;
/** `KMEM_ZSHIFT`, `KMEM_ZBASE`, `KMEM_ZMAX`. */
export const KMEM_ZSHIFT = 4;
export const KMEM_ZBASE = 16;
export const KMEM_ZMAX = 65536;

/**
 * The malloc size classes of FreeBSD 14 and 15, in zone-index order (`kmemzones[]`).
 *
 * @category constants
 * @since 0.1.0
 */
export const KMEM_ZONE_SIZES: readonly number[] = [
  16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536,
];

// ---------------------------------------------------------------------------------------------
// UMA

/** Flags of `uma_zcreate` (`sys/vm/uma.h`). */
export const UMA_ZONE_ZINIT = 0x0002;
export const UMA_ZONE_NOTOUCH = 0x0008;
export const UMA_ZONE_MALLOC = 0x0010;
export const UMA_ZONE_NOFREE = 0x0020;
export const UMA_ZONE_NOBUCKET = 0x0400;
export const UMA_ZONE_MAXBUCKET = 0x0800;
export const UMA_ZONE_NODUMP = 0x4000;
export const UMA_ZONE_FIRSTTOUCH = 0x10000;
export const UMA_ZONE_ROUNDROBIN = 0x20000;

/** Alignment masks of `uma_zcreate` (LP64: pointers and longs are 8 bytes). */
export const UMA_ALIGN_PTR = 7;
export const UMA_ALIGN_LONG = 7;
export const UMA_ALIGN_INT = 3;
export const UMA_ALIGN_SHORT = 1;
export const UMA_ALIGN_CHAR = 0;
/** Cache-line alignment: `0 - 1` in FreeBSD, meaning the machine's cache line (64 bytes). */
export const UMA_ALIGN_CACHE = -1;
/** The cache line `UMA_ALIGN_CACHE` stands for. */
export const UMA_CACHE_LINE = 64;
/** Special domain value: any domain. */
export const UMA_ANYDOMAIN = -1;

/** `uma_reclaim` requests. */
export const UMA_RECLAIM_DRAIN = 1;
export const UMA_RECLAIM_DRAIN_CPU = 2;
export const UMA_RECLAIM_TRIM = 3;

// ---------------------------------------------------------------------------------------------
// domainset(9)

/** Policies of a domainset (`sys/sys/domainset.h`). */
export const DOMAINSET_POLICY_INVALID = 0;
export const DOMAINSET_POLICY_ROUNDROBIN = 1;
export const DOMAINSET_POLICY_FIRSTTOUCH = 2;
export const DOMAINSET_POLICY_PREFER = 3;
export const DOMAINSET_POLICY_INTERLEAVE = 4;
export const DOMAINSET_POLICY_MAX = DOMAINSET_POLICY_INTERLEAVE;

/**
 * The most memory domains a kernel can have (`MAXMEMDOM` here; FreeBSD amd64 has 8). A
 * domainset mask is one 32-bit word.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAXMEMDOM = 32;
/**
 * The most CPUs (threads attached at once) a kernel can have: one 32-bit word of the CPU map.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAXCPU = 32;

// ---------------------------------------------------------------------------------------------
// memguard(9) and redzone(9)

/** `vm.memguard.options` bits. */
export const MG_GUARD_AROUND = 0x1;
export const MG_ALLLARGE = 0x2;
export const MG_GUARD_NOFREE = 0x4;

/** The junk pattern of INVARIANTS (`uma_junk`). */
export const UMA_JUNK = 0xdeadc0de;
