/**
 * Where the kernel keeps its state: all of it lives in the one memory the kernel manages (a
 * `SharedArrayBuffer` for a shared kernel), so that a worker attaches the kernel from the buffer
 * alone and a copy of the bytes is a copy of the kernel (a dump).
 *
 * ```
 *  0          1024            metaEnd        domain 0            domain 1        memguard
 *  │ kernel   │ meta heap      │              │ domain heap      │ domain heap   │ arena
 *  │ header   │ (types, stats, │              │ (slabs, large    │               │ (guarded
 *  │ (KH_*)   │  zones, kegs,  │              │  allocations)    │               │  pages)
 *  │          │  buckets, page │              │                  │               │
 *  │          │  table)        │              │                  │               │
 *  └──────────┴────────────────┴──────────────┴──────────────────┴───────────────┴──────────
 *
 *  The page table has one u32 per 4 KiB page of the whole memory (the analogue of FreeBSD's
 *  vtoslab): 0 for a page that is not kernel memory, `slabHeader | PT_SLAB` for every page of a
 *  slab, and for the first page of a large allocation
 *  `PT_LARGE | domain << 3 | NODUMP/EXEC bits | pages << 10`; the first page of a run in a
 *  domain's page cache holds `PT_CACHED | kind << 3 | pages << 10`.
 *
 *  A slab: `pages` whole pages from its domain's heap, page-aligned, items from its start, and
 *  its header near its end (FreeBSD's inline slab header):
 *
 *   base                                                     base + hdrOff        base + pages·4096
 *   ├──────┬──────┬──────┬─────────────────────┬──── … ──────┼──────────────┬──────┤
 *   │ item │ item │ item │ …                   │ (unused)     │ slab header  │ next │
 *   │  0   │  1   │  2   │                     │              │ + 2 bitmaps  │ hdr  │
 *   └──────┴──────┴──────┴─────────────────────┴──── … ──────┴──────────────┴──────┘
 *
 *  The last 4 bytes of a slab's span hold the heap's header of the next block: a slab is asked
 *  of the heap as `pages·4096 − 8` bytes at a page boundary, which makes consecutive slabs tile
 *  the heap without gaps.
 * ```
 *
 * Every offset below is a byte offset from the structure's address; structures with 64-bit
 * counters are 8-aligned.
 */

/** The kernel header, at address 0. */
export const KH_MAGIC = 0;
export const KH_LAYOUT = 4;
export const KH_COMPAT = 8;
export const KH_OPTIONS = 12;
export const KH_NDOMAINS = 16;
export const KH_MAXCPUS = 20;
export const KH_DOMAIN_BYTES = 24;
export const KH_RESERVE = 28;
export const KH_TOTAL = 32;
export const KH_PT = 36;
export const KH_META_BASE = 40;
export const KH_ZMAX = 44;
/** Lock of the type list, the zone table and the CPU map. */
export const KH_LOCK = 48;
/** Bitmap of attached CPUs. */
export const KH_CPUS = 52;
/** Threads sleeping (or awaiting) for memory, synchronously or not. */
export const KH_WAITERS = 56;
/** Bumped (and notified) whenever memory is returned while someone waits. */
export const KH_FREEGEN = 60;
/** The once-per-boot latch of "Bad malloc flags". */
export const KH_BADFLAGS = 64;
/** Head of the type list (newest first, `kmemstatistics`) and its length (`kmemcount`). */
export const KH_TYPES = 68;
export const KH_TYPECOUNT = 72;
/** The zone table (addresses of zone descriptors) and the number of zones. */
export const KH_ZONES = 76;
export const KH_NZONES = 80;
/** `debug.malloc.failure_rate`, the M_NOWAIT call counter and `failure_count`. */
export const KH_FAILURE_RATE = 84;
export const KH_NOWAIT_COUNT = 88;
export const KH_FAILURE_COUNT = 92;
/** `vm.redzone.panic`. */
export const KH_REDZONE_PANIC = 96;
/** Bitmap of CPUs sleeping in M_WAITOK. */
export const KH_SLEEPING = 100;
/** The memguard arena: first page address, pages, NEXTFIT cursor (page index), its table. */
export const KH_MG_BASE = 104;
export const KH_MG_PAGES = 108;
export const KH_MG_CURSOR = 112;
export const KH_MG_TABLE = 116;
export const KH_MG_OPTIONS = 120;
export const KH_MG_MINSIZE = 124;
export const KH_MG_FREQUENCY = 128;
export const KH_MG_USED = 132;
export const KH_MG_PHYSLIMIT = 136;
/** `vm.memguard.desc`, 32 bytes. */
export const KH_MG_DESC = 144;
/** memguard counters, float64. */
export const KH_MG_WASTED = 176;
export const KH_MG_NUMALLOC = 184;
export const KH_MG_FAIL_KVA = 192;
export const KH_MG_FAIL_PGS = 200;
export const KH_MG_MINSIZE_REJECT = 208;
export const KH_MG_FREQUENCY_HITS = 216;
/** `vm.redzone.extra_mem`, float64 (under the kernel lock). */
export const KH_REDZONE_EXTRA = 224;
/** A 32-bit random state for memguard's frequency (`random()`). */
export const KH_RANDOM = 232;
/** Domain header addresses, MAXMEMDOM words. */
export const KH_DOMAINS = 256;
/** Bytes of the header; the meta heap starts here. */
export const KH_BYTES = 1024;

export const KERNEL_MAGIC = 0x4e524b46; // 'FKRN'
/** 2: per-CPU records (statistics, buckets) on 128-byte boundaries of their own. */
export const KERNEL_LAYOUT = 2;

/**
 * What one CPU's records are aligned and padded to: two 64-byte cache lines, because x86 cores
 * fetch lines in adjacent pairs (the spatial prefetcher), so two CPUs writing neighbouring
 * 64-byte lines still slow each other down. Every record that one CPU writes on its fast path
 * (its `malloc_type_stats`, its buckets) starts on such a boundary and is padded to a multiple
 * of it, so no two CPUs ever write the same 128 bytes (docs/kernel.md, "Performance").
 */
export const PER_CPU_ALIGN = 128;

/** KH_OPTIONS bits: the kernel's compiled-in options. */
export const OPT_INVARIANTS = 1;
export const OPT_REDZONE = 2;
export const OPT_MEMGUARD = 4;
export const OPT_MAKE_FAILURES = 8;
export const OPT_SHARED = 16;

/** A domain header (in the meta heap). */
export const DH_LOCK = 0;
export const DH_INDEX = 4;
export const DH_BASE = 8;
export const DH_CAP_PAGES = 12;
export const DH_RESERVE_PAGES = 16;
export const DH_USED_PAGES = 20;
export const DH_SLAB_PAGES = 24;
export const DH_LARGE_PAGES = 28;
export const DH_LARGE_COUNT = 32;
/** The domain's page cache: address of its list heads (see `pages.ts`), pages and runs cached. */
export const DH_CACHE = 36;
export const DH_CACHED_PAGES = 40;
export const DH_CACHED_RUNS = 44;
/** Bytes of a domain header's fields (the header is given PER_CPU_ALIGN bytes of its own). */
export const DH_BYTES = 64;

/** A zone descriptor (in the meta heap); the keg record addresses follow, one per domain. */
export const ZD_ID = 0;
export const ZD_FLAGS = 4;
export const ZD_SIZE = 8;
export const ZD_REQSIZE = 12;
export const ZD_ALIGN = 16;
export const ZD_SLAB_PAGES = 20;
export const ZD_IPERS = 24;
export const ZD_HDR_OFF = 28;
export const ZD_BUCKET_CAP = 32;
export const ZD_LIMIT = 36;
/** Items handed out of the kegs (for the limit), atomic. */
export const ZD_ITEMS = 40;
export const ZD_NAME = 48;
export const ZD_KEGS = 80;

/** ZD_FLAGS bits above the UMA ones (UMA uses the bits below 0x100000). */
export const ZF_MALLOC = 0x100000;
export const ZF_DESTROYED = 0x200000;
export const ZF_CALLBACKS = 0x400000;

/** A keg record: one per zone and domain (in the meta heap); bucket addresses follow, one per CPU. */
export const KR_PARTIAL = 0;
export const KR_FULL = 4;
export const KR_FREE = 8;
export const KR_NSLABS = 12;
export const KR_NFREESLABS = 16;
export const KR_FREE_ITEMS = 20;
export const KR_PAGES = 24;
export const KR_ZONE = 28;
export const KR_DOMAIN = 32;
export const KR_BUCKETS = 64;

/** A bucket record: one per zone, domain and CPU (in the meta heap), 8-aligned. */
export const BR_COUNT = 0;
export const BR_CAP = 4;
export const BR_CPU = 8;
export const BR_DOMAIN = 12;
/** Per-CPU zone counters, float64. */
export const BR_ALLOCS = 16;
export const BR_FREES = 24;
export const BR_FAILS = 32;
export const BR_SLEEPS = 40;
export const BR_XDOMAIN = 48;
export const BR_ITEMS = 56;

/** A malloc type entry (in the meta heap). */
export const TE_NEXT = 0;
export const TE_VERSION = 4;
export const TE_FLAGS = 8;
export const TE_STATS = 12;
export const TE_NAME = 16;
export const TE_SEQ = 48;
export const TE_BYTES = 64;
/** TE_FLAGS: linked into the type list. */
export const TE_REGISTERED = 1;

/**
 * `struct malloc_type_stats`: 64 bytes per CPU, `MTS_STRIDE` apart. Counters are float64 (exact
 * to 2^53).
 */
export const MTS_MEMALLOCED = 0;
export const MTS_MEMFREED = 8;
export const MTS_NUMALLOCS = 16;
export const MTS_NUMFREES = 24;
/** `mts_size`, a 64-bit bitmask of zone indices: its low word (14 zones fit). */
export const MTS_SIZE = 32;
/** Bytes of FreeBSD's `struct malloc_type_stats` (as `kern.malloc_stats` writes it). */
export const MTS_BYTES = 64;
/** Bytes from one CPU's statistics to the next in memory: padded to {@link PER_CPU_ALIGN}. */
export const MTS_STRIDE = PER_CPU_ALIGN;

/** A slab header. */
export const SH_ZONE = 0;
export const SH_DOMAIN = 4;
export const SH_PREV = 8;
export const SH_NEXT = 12;
export const SH_FREE = 16;
export const SH_BASE = 20;
export const SH_LIST = 24;
export const SH_MAGIC = 28;
/** Two bitmaps follow: free in the keg (bit set: free), then handed to a caller (bit set: in use). */
export const SH_BITS = 32;
export const SLAB_MAGIC = 0x51ab51ab;

/** SH_LIST values. */
export const LIST_PARTIAL = 0;
export const LIST_FULL = 1;
export const LIST_FREE = 2;

/** Page table entries. */
export const PT_SLAB = 1;
export const PT_LARGE = 2;
/** The first page of a run in a domain's page cache (`PT_CACHED | kind << 3 | pages << 10`). */
export const PT_CACHED = 3;
export const PT_KIND = 3;
export const PT_NODUMP = 0x100;
export const PT_EXEC = 0x200;
export const PT_PAGES_SHIFT = 10;

/** Bytes of a slab header for `ipers` items: fields and two bitmaps, 16-aligned. */
export const slabHeaderBytes = (ipers: number): number =>
  (SH_BITS + 8 * Math.ceil(ipers / 32) + 15) & ~15;
