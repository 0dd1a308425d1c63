/**
 * UMA underneath: zones of fixed-size items, carved from slabs that the domains' heaps provide,
 * with per-CPU buckets.
 *
 * - A **zone** (`uma_zone_t`) is kernel-wide: a descriptor in the meta heap.
 * - Its **keg** has one record per domain: the domain's slabs of this zone on three lists
 *   (partial, full, free) and their counts. The keg is changed under the domain's lock.
 * - Each CPU (thread) has a **bucket** per zone and domain: a stack of item addresses it
 *   allocates from and frees to without any lock, refilled from and drained to the keg in
 *   batches. Buckets and their counters live in the meta heap too, so statistics and `check()`
 *   see every item, wherever it is cached.
 *
 * An item is in one of three states, told by two bitmaps of its slab: free in the keg (keg bit
 * set), cached in a bucket (neither bit), or handed to a caller (in-use bit set). The in-use bit
 * is what catches a duplicate free in O(1), with or without INVARIANTS.
 */
import {
  M_NOVM,
  M_NOWAIT,
  M_USE_RESERVE,
  MINALLOCSIZE,
  PAGE_SIZE,
  UMA_ALIGN_CACHE,
  UMA_CACHE_LINE,
  UMA_JUNK,
  UMA_ZONE_MAXBUCKET,
  UMA_ZONE_NOBUCKET,
  UMA_ZONE_NOFREE,
  UMA_ZONE_NOTOUCH,
  UMA_ZONE_ZINIT,
} from './constants.js';
import { panic } from './errors.js';
import { hex } from './format.js';
import { MAX_ZONES, type Kernel } from './kernel.js';
import { RUN_SLAB, putRun, takeRun } from './pages.js';
import {
  BR_CAP,
  BR_COUNT,
  BR_CPU,
  BR_DOMAIN,
  BR_ITEMS,
  DH_CAP_PAGES,
  DH_RESERVE_PAGES,
  DH_SLAB_PAGES,
  DH_USED_PAGES,
  KH_NZONES,
  KH_ZONES,
  KR_BUCKETS,
  KR_DOMAIN,
  KR_FREE,
  KR_FREE_ITEMS,
  KR_FULL,
  KR_NFREESLABS,
  KR_NSLABS,
  KR_PAGES,
  KR_PARTIAL,
  KR_ZONE,
  LIST_FREE,
  LIST_FULL,
  LIST_PARTIAL,
  PT_KIND,
  PT_SLAB,
  SH_BASE,
  SH_BITS,
  SH_DOMAIN,
  SH_FREE,
  SH_LIST,
  SH_MAGIC,
  SH_NEXT,
  SH_PREV,
  SH_ZONE,
  SLAB_MAGIC,
  ZD_ALIGN,
  ZD_BUCKET_CAP,
  ZD_FLAGS,
  ZD_HDR_OFF,
  ZD_ID,
  ZD_IPERS,
  ZD_KEGS,
  ZD_LIMIT,
  ZD_NAME,
  ZD_REQSIZE,
  ZD_SIZE,
  ZD_SLAB_PAGES,
  ZF_CALLBACKS,
  ZF_DESTROYED,
  ZF_MALLOC,
  slabHeaderBytes,
} from './layout.js';

/**
 * `uma_ctor`: called on every allocation with the item's address; a non-zero return (an errno)
 * fails the allocation, and the item goes back to the zone.
 *
 * @category uma
 * @since 0.1.0
 */
export type uma_ctor = (mem: number, size: number, arg: unknown, flags: number) => number;
/**
 * `uma_dtor`: called on every free.
 *
 * @category uma
 * @since 0.1.0
 */
export type uma_dtor = (mem: number, size: number, arg: unknown) => void;
/**
 * `uma_init`: called once per item when its slab is made; a non-zero return fails the slab.
 *
 * @category uma
 * @since 0.1.0
 */
export type uma_init = (mem: number, size: number, flags: number) => number;
/**
 * `uma_fini`: called once per item when its slab goes back to the domain's heap.
 *
 * @category uma
 * @since 0.1.0
 */
export type uma_fini = (mem: number, size: number) => void;

/** Internal zone flag: INVARIANTS trashes free items and checks them on allocation. */
export const ZF_TRASH = 0x800000;

/** A keg keeps this many empty slabs per domain; the others go back to the heap at once. */
export const KEEP_FREE_SLABS = 1;

/**
 * A zone (`uma_zone_t`), as this thread sees it: its geometry, its keg records, and this CPU's
 * buckets. Made by `uma_zcreate`; the malloc zones (`malloc-16` … `malloc-65536`) are made at
 * boot.
 *
 * @category uma
 * @since 0.1.0
 */
export class UmaZone {
  /** The zone's name, as `vmstat -z` prints it (up to 31 bytes there). */
  readonly name: string;
  /** The size of its items (`uz_size`: the requested size rounded to the alignment). */
  readonly size: number;
  /** @internal The zone's index in the zone table. */
  readonly id: number;
  /** @internal Address of the descriptor. */
  readonly zd: number;
  /** @internal log2 of the size, or −1 when it is not a power of two. */
  readonly shift: number;
  /** @internal Items per slab. */
  readonly ipers: number;
  /** @internal Words of each bitmap of a slab. */
  readonly words: number;
  /** @internal Offset of the slab header from the slab's base. */
  readonly hdrOff: number;
  /** @internal Pages per slab. */
  readonly slabPages: number;
  /** @internal Items a bucket holds (0: no buckets). */
  readonly bucketCap: number;
  /** @internal A malloc zone (`UMA_ZONE_MALLOC`). */
  readonly malloc: boolean;
  /** @internal The zone's bit in a malloc type's `mts_size` (malloc zones only). */
  readonly bit: number;
  /** @internal Keg record address per domain. */
  readonly kegs: number[];
  /** @internal This CPU's bucket record (u32 index) per domain, 0 until first used. */
  readonly mine: Int32Array;
  /** @internal Callbacks, in the thread that created the zone. */
  ctor?: uma_ctor;
  dtor?: uma_dtor;
  init?: uma_init;
  fini?: uma_fini;

  /** @internal */
  constructor(
    /** The kernel the zone belongs to. */
    readonly kernel: Kernel,
    zd: number,
    name: string,
  ) {
    const word = (f: number): number => kernel.u32[(zd + f) >>> 2]!;
    this.zd = zd;
    this.name = name;
    this.id = word(ZD_ID);
    this.size = word(ZD_SIZE);
    this.shift = (this.size & (this.size - 1)) === 0 ? 31 - Math.clz32(this.size) : -1;
    this.ipers = word(ZD_IPERS);
    this.words = Math.ceil(this.ipers / 32);
    this.hdrOff = word(ZD_HDR_OFF);
    this.slabPages = word(ZD_SLAB_PAGES);
    this.bucketCap = word(ZD_BUCKET_CAP);
    this.malloc = (word(ZD_FLAGS) & ZF_MALLOC) !== 0;
    this.bit = this.malloc && this.id < 32 ? 1 << this.id : 0;
    this.kegs = [];
    for (let d = 0; d < kernel.ndomains; d++) this.kegs.push(word(ZD_KEGS + 4 * d));
    this.mine = new Int32Array(kernel.ndomains);
  }

  /** @internal The zone's flags word (UMA flags and the internal ones). */
  flags(): number {
    return this.kernel.u32[(this.zd + ZD_FLAGS) >>> 2]!;
  }

  /** @internal Index of `item` in the slab whose items start at `base`. */
  index(item: number, base: number): number {
    const off = item - base;
    return this.shift >= 0 ? off >>> this.shift : Math.floor(off / this.size);
  }
}

// ---------------------------------------------------------------------------------------------
// Creating zones

/** Reads a NUL-terminated name of at most `max` bytes. */
export const readName = (u8: Uint8Array, at: number, max: number): string => {
  let end = at;
  while (end < at + max && u8[end] !== 0) end++;
  return new TextDecoder().decode(u8.slice(at, end));
};

/** Writes `name` as FreeBSD's strlcpy into `max` bytes: at most `max − 1` bytes and a NUL. */
export const writeName = (u8: Uint8Array, at: number, max: number, name: string): void => {
  let bytes = new TextEncoder().encode(name);
  if (bytes.length > max - 1) {
    bytes = bytes.slice(0, max - 1);
    // Do not cut a UTF-8 sequence in half.
    while (bytes.length > 0 && (bytes[bytes.length - 1]! & 0xc0) === 0x80)
      bytes = bytes.slice(0, -1);
    if (bytes.length > 0 && bytes[bytes.length - 1]! >= 0xc0) bytes = bytes.slice(0, -1);
  }
  u8.fill(0, at, at + max);
  u8.set(bytes, at);
};

/**
 * The slab geometry of items of `rsize` bytes: the fewest pages whose waste is at most 10 % of
 * the slab (UMA's `UMA_MAX_WASTE`), or else the pages with the least waste.
 */
export const slabGeometry = (rsize: number): { pages: number; ipers: number; hdrOff: number } => {
  const first = Math.max(1, Math.ceil((rsize + 64) / PAGE_SIZE));
  let best = { pages: 0, ipers: 0, hdrOff: 0, waste: Infinity };
  for (let pages = first; pages < first + 32; pages++) {
    const usable = pages * PAGE_SIZE - 4;
    let n = Math.floor((usable - 48) / rsize);
    while (n > 0 && ((usable - slabHeaderBytes(n)) & ~15) < n * rsize) n--;
    if (n === 0) continue;
    const hdrOff = (usable - slabHeaderBytes(n)) & ~15;
    const waste = (pages * PAGE_SIZE - n * rsize) / (pages * PAGE_SIZE);
    if (waste <= 0.1) return { pages, ipers: n, hdrOff };
    if (waste < best.waste) best = { pages, ipers: n, hdrOff, waste };
  }
  return { pages: best.pages, ipers: best.ipers, hdrOff: best.hdrOff };
};

/**
 * Creates a zone in the kernel's zone table (under the kernel lock) and returns its handle.
 * `align` is a mask (UMA_ALIGN_*), `flags` UMA_ZONE_* flags.
 *
 * @internal
 */
export const createZone = (
  k: Kernel,
  call: string,
  name: string,
  size: number,
  align: number,
  flags: number,
  extra: number,
): UmaZone => {
  const mask = align === UMA_ALIGN_CACHE ? UMA_CACHE_LINE - 1 : align;
  const rsize = Math.ceil(Math.max(size, MINALLOCSIZE) / (mask + 1)) * (mask + 1);
  const geometry = slabGeometry(rsize);
  const cap =
    (flags & UMA_ZONE_NOBUCKET) !== 0
      ? 0
      : (flags & UMA_ZONE_MAXBUCKET) !== 0
        ? 256
        : Math.min(128, Math.max(4, Math.floor(32768 / rsize)));
  k.lockMeta();
  try {
    const id = k.word(KH_NZONES);
    if (id >= MAX_ZONES)
      throw new RangeError(`${call}: the kernel holds ${MAX_ZONES} zones at most`);
    const zd = k.metaAlloc(call, ZD_KEGS + 4 * k.ndomains);
    const set = (f: number, v: number): void => {
      k.u32[(zd + f) >>> 2] = v;
    };
    set(ZD_ID, id);
    set(ZD_FLAGS, (flags & 0xfffff) | extra);
    set(ZD_SIZE, rsize);
    set(ZD_REQSIZE, size);
    set(ZD_ALIGN, mask);
    set(ZD_SLAB_PAGES, geometry.pages);
    set(ZD_IPERS, geometry.ipers);
    set(ZD_HDR_OFF, geometry.hdrOff);
    set(ZD_BUCKET_CAP, cap);
    writeName(k.u8, zd + ZD_NAME, 32, name);
    for (let d = 0; d < k.ndomains; d++) {
      const kr = k.metaAlloc(call, KR_BUCKETS + 4 * k.maxCpus);
      k.u32[(kr + KR_ZONE) >>> 2] = id;
      k.u32[(kr + KR_DOMAIN) >>> 2] = d;
      set(ZD_KEGS + 4 * d, kr);
    }
    k.u32[(k.word(KH_ZONES) >>> 2) + id] = zd;
    k.u32[KH_NZONES >>> 2] = id + 1;
    const zone = new UmaZone(k, zd, name);
    k.zones[id] = zone;
    return zone;
  } finally {
    k.unlockMeta();
  }
};

/**
 * This thread's handle of zone `id` (made from the zone table for a zone another thread made).
 *
 * @internal
 */
export const zoneById = (k: Kernel, id: number): UmaZone => {
  let zone = k.zones[id] as UmaZone | undefined;
  if (zone === undefined) {
    const zd = k.u32[(k.word(KH_ZONES) >>> 2) + id]!;
    zone = new UmaZone(k, zd, readName(k.u8, zd + ZD_NAME, 32));
    k.zones[id] = zone;
  }
  return zone;
};

/**
 * Every zone of the kernel, in creation order.
 *
 * @internal
 */
export const allZones = (k: Kernel): UmaZone[] => {
  const n = k.word(KH_NZONES);
  const zones: UmaZone[] = [];
  for (let id = 0; id < n; id++) zones.push(zoneById(k, id));
  return zones;
};

/**
 * Flags the zone with INVARIANTS trashing when FreeBSD's `uma_zcreate` would inject
 * trash_init/trash_fini: the memory may be touched, is not zero-initialised, and the zone has
 * no init or fini of its own.
 *
 * @internal
 */
export const trashable = (flags: number, init: unknown, fini: unknown): boolean =>
  (flags & (UMA_ZONE_NOTOUCH | UMA_ZONE_ZINIT)) === 0 && init === undefined && fini === undefined;

// ---------------------------------------------------------------------------------------------
// Slabs, lists and bits

/** The slab header of a kernel address, or 0 when its page is not a slab page. */
export const slabOf = (k: Kernel, addr: number): number => {
  if (addr >= k.total) return 0;
  const e = k.u32[k.pt + (addr >>> 12)]!;
  return (e & PT_KIND) === PT_SLAB ? e & ~15 : 0;
};

/** Whether bit `i` of the bitmap at byte address `at` is set. */
export const bit = (u32: Uint32Array, at: number, i: number): boolean =>
  (u32[(at >>> 2) + (i >>> 5)]! & (1 << (i & 31))) !== 0;

const setBit = (u32: Uint32Array, at: number, i: number): void => {
  u32[(at >>> 2) + (i >>> 5)]! |= 1 << (i & 31);
};

const clearBit = (u32: Uint32Array, at: number, i: number): void => {
  u32[(at >>> 2) + (i >>> 5)]! &= ~(1 << (i & 31));
};

/** Byte address of a slab's keg-free bitmap. */
export const kegBits = (sh: number): number => sh + SH_BITS;
/** Byte address of a slab's in-use bitmap. */
export const useBits = (z: UmaZone, sh: number): number => sh + SH_BITS + 4 * z.words;

const head = (kr: number, list: number): number =>
  kr + (list === LIST_PARTIAL ? KR_PARTIAL : list === LIST_FULL ? KR_FULL : KR_FREE);

const unlink = (u32: Uint32Array, kr: number, sh: number): void => {
  const prev = u32[(sh + SH_PREV) >>> 2]!;
  const next = u32[(sh + SH_NEXT) >>> 2]!;
  if (prev === 0) u32[head(kr, u32[(sh + SH_LIST) >>> 2]!) >>> 2] = next;
  else u32[(prev + SH_NEXT) >>> 2] = next;
  if (next !== 0) u32[(next + SH_PREV) >>> 2] = prev;
};

const link = (u32: Uint32Array, kr: number, sh: number, list: number): void => {
  const h = head(kr, list) >>> 2;
  const first = u32[h]!;
  u32[(sh + SH_PREV) >>> 2] = 0;
  u32[(sh + SH_NEXT) >>> 2] = first;
  if (first !== 0) u32[(first + SH_PREV) >>> 2] = sh;
  u32[h] = sh;
  u32[(sh + SH_LIST) >>> 2] = list;
};

const move = (u32: Uint32Array, kr: number, sh: number, list: number): void => {
  unlink(u32, kr, sh);
  link(u32, kr, sh, list);
};

// ---------------------------------------------------------------------------------------------
// Slabs from and to the domain's heap (domain lock held)

/** Fills `size` bytes at `at` with the INVARIANTS junk, leaving `keep` bytes at the end. */
export const trash = (k: Kernel, at: number, size: number, keep: number): void => {
  const u32 = k.u32;
  const end = (at + size - keep) >>> 2;
  for (let i = at >>> 2; i < end; i++) u32[i] = UMA_JUNK;
};

/**
 * Makes a new slab of zone `z` in domain `d` and lists it as free; returns its header, or 0
 * when the domain's page budget (its reserve kept back unless `reserveOk`) or its heap refuses.
 */
const newSlab = (k: Kernel, z: UmaZone, d: number, flags: number, reserveOk: boolean): number => {
  const u32 = k.u32;
  const dh = k.dh[d]! >>> 2;
  const pages = z.slabPages;
  const limit = u32[dh + DH_CAP_PAGES / 4]! - (reserveOk ? 0 : u32[dh + DH_RESERVE_PAGES / 4]!);
  if (u32[dh + DH_USED_PAGES / 4]! + pages > limit) return 0;
  const base = takeRun(k, d, pages, RUN_SLAB);
  if (base === 0) return 0;
  const zflags = z.flags();
  if (z.init !== undefined) {
    for (let i = 0; i < z.ipers; i++) {
      if (z.init(base + i * z.size, z.size, flags) !== 0) {
        for (let j = 0; j < i; j++) z.fini?.(base + j * z.size, z.size);
        putRun(k, d, base, pages, RUN_SLAB);
        return 0;
      }
    }
  }
  const sh = base + z.hdrOff;
  k.u8.fill(0, sh, sh + slabHeaderBytes(z.ipers));
  u32[(sh + SH_ZONE) >>> 2] = z.id;
  u32[(sh + SH_DOMAIN) >>> 2] = d;
  u32[(sh + SH_FREE) >>> 2] = z.ipers;
  u32[(sh + SH_BASE) >>> 2] = base;
  u32[(sh + SH_MAGIC) >>> 2] = SLAB_MAGIC;
  const bits = kegBits(sh) >>> 2;
  for (let w = 0; w < z.words; w++) {
    const left = z.ipers - 32 * w;
    u32[bits + w] = left >= 32 ? 0xffffffff : (1 << left) - 1;
  }
  for (let p = 0; p < pages; p++) u32[k.pt + (base >>> 12) + p] = sh | PT_SLAB;
  if ((zflags & UMA_ZONE_ZINIT) !== 0) k.u8.fill(0, base, base + z.ipers * z.size);
  if ((zflags & ZF_TRASH) !== 0) {
    // mtrash_init / trash_init: junk, and for malloc zones a NULL "last freed by" type.
    const keep = z.malloc ? 8 : 0;
    for (let i = 0; i < z.ipers; i++) {
      const item = base + i * z.size;
      trash(k, item, z.size, keep);
      if (z.malloc) u32.fill(0, (item + z.size - 8) >>> 2, (item + z.size) >>> 2);
    }
  }
  const kr = z.kegs[d]! >>> 2;
  u32[kr + KR_NSLABS / 4]! += 1;
  u32[kr + KR_NFREESLABS / 4]! += 1;
  u32[kr + KR_FREE_ITEMS / 4]! += z.ipers;
  u32[kr + KR_PAGES / 4]! += pages;
  u32[dh + DH_USED_PAGES / 4]! += pages;
  u32[dh + DH_SLAB_PAGES / 4]! += pages;
  link(u32, z.kegs[d]!, sh, LIST_FREE);
  return sh;
};

/** Gives the empty slab `sh` of zone `z` in domain `d` back to the domain's heap. */
const releaseSlab = (k: Kernel, z: UmaZone, d: number, sh: number): void => {
  const u32 = k.u32;
  const base = u32[(sh + SH_BASE) >>> 2]!;
  if (z.fini !== undefined) for (let i = 0; i < z.ipers; i++) z.fini(base + i * z.size, z.size);
  const kr = z.kegs[d]!;
  unlink(u32, kr, sh);
  u32[(sh + SH_MAGIC) >>> 2] = 0;
  for (let p = 0; p < z.slabPages; p++) u32[k.pt + (base >>> 12) + p] = 0;
  putRun(k, d, base, z.slabPages, RUN_SLAB);
  const kri = kr >>> 2;
  const dh = k.dh[d]! >>> 2;
  u32[kri + KR_NSLABS / 4]! -= 1;
  u32[kri + KR_NFREESLABS / 4]! -= 1;
  u32[kri + KR_FREE_ITEMS / 4]! -= z.ipers;
  u32[kri + KR_PAGES / 4]! -= z.slabPages;
  u32[dh + DH_USED_PAGES / 4]! -= z.slabPages;
  u32[dh + DH_SLAB_PAGES / 4]! -= z.slabPages;
};

/**
 * INVARIANTS: checks a trashed item before it leaves for the heap or a caller. Returns the
 * address of the first damaged word, or −1.
 */
export const trashDamage = (k: Kernel, item: number, size: number, keep: number): number => {
  const u32 = k.u32;
  const end = (item + size - keep) >>> 2;
  for (let i = item >>> 2; i < end; i++) if (u32[i] !== UMA_JUNK) return i << 2;
  return -1;
};

/** Releases empty slabs of a keg beyond `keep` (none for UMA_ZONE_NOFREE zones). */
export const trimFreeSlabs = (k: Kernel, z: UmaZone, d: number, keep: number): number => {
  if ((z.flags() & UMA_ZONE_NOFREE) !== 0) return 0;
  const u32 = k.u32;
  const kr = z.kegs[d]! >>> 2;
  let released = 0;
  while (u32[kr + KR_NFREESLABS / 4]! > keep) {
    const sh = u32[kr + KR_FREE / 4]!;
    if (sh === 0) break;
    releaseSlab(k, z, d, sh);
    released++;
  }
  return released;
};

// ---------------------------------------------------------------------------------------------
// Buckets and kegs

/** This CPU's bucket record of zone `z` in domain `d` (u32 index), made on first use. */
export const bucketOf = (k: Kernel, z: UmaZone, d: number): number => {
  const mine = z.mine[d]!;
  if (mine !== 0) return mine;
  const slot = ((z.kegs[d]! + KR_BUCKETS) >>> 2) + k.cpu;
  let br = k.u32[slot]!;
  if (br === 0) {
    br = k.metaAllocPerCpu('uma_zalloc', BR_ITEMS + 4 * Math.max(1, z.bucketCap));
    k.u32[(br + BR_CAP) >>> 2] = z.bucketCap;
    k.u32[(br + BR_CPU) >>> 2] = k.cpu;
    k.u32[(br + BR_DOMAIN) >>> 2] = d;
    k.u32[slot] = br;
  }
  z.mine[d] = br >>> 2;
  return br >>> 2;
};

/**
 * Moves up to `want` items of domain `d`'s keg into the bucket `b` (which has room), making
 * slabs when the keg has no free item (unless M_NOVM). Returns how many moved. Domain lock held.
 */
export const kegTake = (
  k: Kernel,
  z: UmaZone,
  d: number,
  b: number,
  want: number,
  flags: number,
): number => {
  const u32 = k.u32;
  const kr = z.kegs[d]!;
  const kri = kr >>> 2;
  const reserveOk = (flags & (M_USE_RESERVE | M_NOWAIT)) === (M_USE_RESERVE | M_NOWAIT);
  let count = u32[b + BR_COUNT / 4]!;
  let moved = 0;
  while (moved < want) {
    let sh = u32[kri + KR_PARTIAL / 4]!;
    if (sh === 0) {
      sh = u32[kri + KR_FREE / 4]!;
      if (sh === 0) {
        if ((flags & M_NOVM) !== 0) break;
        sh = newSlab(k, z, d, flags, reserveOk);
        if (sh === 0) break;
      }
      u32[kri + KR_NFREESLABS / 4]! -= 1;
      move(u32, kr, sh, LIST_PARTIAL);
    }
    const base = u32[(sh + SH_BASE) >>> 2]!;
    const bits = kegBits(sh) >>> 2;
    let free = u32[(sh + SH_FREE) >>> 2]!;
    for (let w = 0; w < z.words && moved < want; w++) {
      let word = u32[bits + w]!;
      while (word !== 0 && moved < want) {
        const low = word & -word;
        word ^= low;
        u32[b + BR_ITEMS / 4 + count++] = base + ((w << 5) + 31 - Math.clz32(low)) * z.size;
        moved++;
        free--;
      }
      u32[bits + w] = word;
    }
    u32[(sh + SH_FREE) >>> 2] = free;
    if (free === 0) move(u32, kr, sh, LIST_FULL);
  }
  u32[b + BR_COUNT / 4] = count;
  u32[kri + KR_FREE_ITEMS / 4]! -= moved;
  return moved;
};

/** Gives the cached item `item` (of slab `sh`) back to its keg. Domain lock held. */
export const kegPut = (k: Kernel, z: UmaZone, d: number, item: number, sh: number): void => {
  const u32 = k.u32;
  const kr = z.kegs[d]!;
  const i = z.index(item, u32[(sh + SH_BASE) >>> 2]!);
  setBit(u32, kegBits(sh), i);
  const free = u32[(sh + SH_FREE) >>> 2]! + 1;
  u32[(sh + SH_FREE) >>> 2] = free;
  u32[(kr + KR_FREE_ITEMS) >>> 2]! += 1;
  if (free === 1 && z.ipers > 1) move(u32, kr, sh, LIST_PARTIAL);
  if (free === z.ipers) {
    move(u32, kr, sh, LIST_FREE);
    u32[(kr + KR_NFREESLABS) >>> 2]! += 1;
  }
};

/** Moves the top `n` items of bucket `b` back to domain `d`'s keg. Domain lock held. */
export const drainBucket = (k: Kernel, z: UmaZone, d: number, b: number, n: number): void => {
  const u32 = k.u32;
  let count = u32[b + BR_COUNT / 4]!;
  for (let j = 0; j < n && count > 0; j++) {
    const item = u32[b + BR_ITEMS / 4 + --count]!;
    kegPut(k, z, d, item, slabOf(k, item));
  }
  u32[b + BR_COUNT / 4] = count;
};

/** Marks `item` of slab `sh` handed to a caller. */
export const markInUse = (k: Kernel, z: UmaZone, sh: number, item: number): void => {
  const i = z.index(item, k.u32[(sh + SH_BASE) >>> 2]!);
  // Items of one slab may be in the hands of several threads: in a shared kernel the in-use
  // words are changed atomically (the keg's bits are changed under the domain lock).
  if (k.shared) Atomics.or(k.i32, (useBits(z, sh) >>> 2) + (i >>> 5), 1 << (i & 31));
  else setBit(k.u32, useBits(z, sh), i);
};

/**
 * Marks `item` of slab `sh` back from its caller; returns whether it was in use (false: another
 * thread freed it first, a duplicate free).
 */
export const markFree = (k: Kernel, z: UmaZone, sh: number, item: number): boolean => {
  const i = z.index(item, k.u32[(sh + SH_BASE) >>> 2]!);
  const at = (useBits(z, sh) >>> 2) + (i >>> 5);
  const m = 1 << (i & 31);
  if (k.shared) return (Atomics.and(k.i32, at, ~m) & m) !== 0;
  const was = (k.u32[at]! & m) !== 0;
  clearBit(k.u32, useBits(z, sh), i);
  return was;
};

/**
 * Checks that `item` may be freed into zone `z` (uma_dbg_free: it is an item of the zone, at an
 * item's start, and in use) and returns its slab header; panics with UMA's messages otherwise.
 * `call` names the caller's function; `slab` is the item's slab header (0 when its page is
 * not a slab page of any zone).
 */
export const checkFree = (
  k: Kernel,
  call: string,
  z: UmaZone,
  item: number,
  sh: number,
): number => {
  const u32 = k.u32;
  if (sh === 0 || u32[(sh + SH_ZONE) >>> 2] !== z.id) {
    panic(call, `uma: Freed item ${hex(item)} did not belong to zone ${z.name}\n`);
  }
  const base = u32[(sh + SH_BASE) >>> 2]!;
  const i = z.index(item, base);
  const where = `of ${hex(item)} from zone ${hex(z.zd)}(${z.name}) slab ${hex(sh)}(${i})\n`;
  if (i >= z.ipers) panic(call, `Invalid free ${where}`);
  if (base + i * z.size !== item) panic(call, `Unaligned free ${where}`);
  if (!bit(u32, useBits(z, sh), i)) panic(call, `Duplicate free ${where}`);
  return sh;
};

/** Whether the zone has been destroyed (its handle must not be used). */
export const destroyed = (z: UmaZone): boolean => (z.flags() & ZF_DESTROYED) !== 0;

/** Whether the zone's callbacks live in another thread (its items cannot be made here). */
export const foreignCallbacks = (z: UmaZone): boolean =>
  (z.flags() & ZF_CALLBACKS) !== 0 &&
  z.ctor === undefined &&
  z.dtor === undefined &&
  z.init === undefined &&
  z.fini === undefined;

/** The zone's item limit (`uma_zone_set_max`), 0 for none. */
export const zoneLimit = (z: UmaZone): number => z.kernel.u32[(z.zd + ZD_LIMIT) >>> 2]!;

/** Requested size (`uth_size`) and alignment mask of a zone. */
export const zoneShape = (z: UmaZone): { reqSize: number; align: number } => ({
  reqSize: z.kernel.u32[(z.zd + ZD_REQSIZE) >>> 2]!,
  align: z.kernel.u32[(z.zd + ZD_ALIGN) >>> 2]!,
});

/**
 * Drains this CPU's buckets of every zone in every domain back to the kegs and gives the kegs'
 * empty slabs beyond `keep` back to the heaps (`uma_reclaim(UMA_RECLAIM_DRAIN_CPU)`, for the
 * calling CPU: the other CPUs' buckets are theirs). Returns the slabs released.
 *
 * @internal
 */
export const drainCpu = (k: Kernel, keep: number): number => {
  let released = 0;
  for (const z of allZones(k)) {
    if (destroyed(z)) continue;
    for (let d = 0; d < k.ndomains; d++) {
      const br = k.u32[((z.kegs[d]! + KR_BUCKETS) >>> 2) + k.cpu]!;
      k.lockDomain(d);
      try {
        if (br !== 0) drainBucket(k, z, d, br >>> 2, k.u32[(br + BR_COUNT) >>> 2]!);
        released += trimFreeSlabs(k, z, d, keep);
      } finally {
        k.unlockDomain(d);
      }
    }
  }
  return released;
};
