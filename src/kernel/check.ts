/**
 * `check(kernel)`: walks the whole kernel — every heap, the page table, every zone's kegs and
 * slabs on every domain, every CPU's buckets, the large allocations, the type list and the
 * memguard arena — and throws `HeapCorruptionError` at the first broken invariant. Exact when no
 * other thread is changing the kernel meanwhile (buckets are changed without locks).
 *
 * The invariants of a zone in a domain: each slab is on the list its free count says (partial,
 * full, free), its bitmaps agree with its count, no item is both free in the keg and in use,
 * every bucketed item is an item of the zone and domain that is neither free nor in use and is
 * in one bucket only, and slab items = keg-free + bucketed + in-use, where in-use = the CPUs'
 * allocations − frees of the zone in that domain.
 */
import { HeapCorruptionError } from '../heap/index.js';
import { PAGE_SIZE } from './constants.js';
import { type Kernel, kernelArg } from './kernel.js';
import { isLarge, largeDomain, largePages } from './large.js';
import { cachedBytes, cachedRun } from './pages.js';
import {
  BR_ALLOCS,
  BR_CAP,
  BR_COUNT,
  BR_FREES,
  BR_ITEMS,
  DH_BASE,
  DH_CACHED_PAGES,
  DH_CACHED_RUNS,
  DH_LARGE_COUNT,
  DH_LARGE_PAGES,
  DH_SLAB_PAGES,
  DH_USED_PAGES,
  KH_DOMAIN_BYTES,
  KH_TYPECOUNT,
  KR_BUCKETS,
  KR_FREE,
  KR_FREE_ITEMS,
  KR_FULL,
  KR_NFREESLABS,
  KR_NSLABS,
  KR_PAGES,
  KR_PARTIAL,
  LIST_FREE,
  LIST_FULL,
  LIST_PARTIAL,
  PT_KIND,
  PT_SLAB,
  SH_BASE,
  SH_DOMAIN,
  SH_FREE,
  SH_LIST,
  SH_MAGIC,
  SH_NEXT,
  SH_ZONE,
  SLAB_MAGIC,
} from './layout.js';
import { typeEntries } from './types.js';
import { type UmaZone, allZones, bit, kegBits, useBits } from './zone.js';

const fail = (address: number, problem: string): never => {
  throw new HeapCorruptionError(address, problem);
};

const popcount = (x: number): number => {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
};

/** Checks one zone in one domain; returns the pages of its slabs. */
const checkKeg = (k: Kernel, z: UmaZone, d: number): number => {
  const u32 = k.u32;
  const kr = z.kegs[d]!;
  let slabs = 0;
  let freeSlabs = 0;
  let kegFree = 0;
  let inUse = 0;
  for (const [field, list] of [
    [KR_PARTIAL, LIST_PARTIAL],
    [KR_FULL, LIST_FULL],
    [KR_FREE, LIST_FREE],
  ] as const) {
    for (let sh = u32[(kr + field) >>> 2]!; sh !== 0; sh = u32[(sh + SH_NEXT) >>> 2]!) {
      if (++slabs > 1 << 22) fail(kr, `${z.name}: a slab list loops`);
      if (u32[(sh + SH_MAGIC) >>> 2] !== SLAB_MAGIC) fail(sh, `${z.name}: not a slab header`);
      if (u32[(sh + SH_ZONE) >>> 2] !== z.id || u32[(sh + SH_DOMAIN) >>> 2] !== d) {
        fail(sh, `${z.name}: slab of another zone or domain on domain ${d}'s lists`);
      }
      if (u32[(sh + SH_LIST) >>> 2] !== list)
        fail(sh, `${z.name}: slab on list ${list} says ${u32[(sh + SH_LIST) >>> 2]}`);
      const base = u32[(sh + SH_BASE) >>> 2]!;
      if (base % PAGE_SIZE !== 0 || base + z.hdrOff !== sh)
        fail(sh, `${z.name}: slab base ${base} does not match its header`);
      for (let p = 0; p < z.slabPages; p++) {
        if (u32[k.pt + (base >>> 12) + p] !== (sh | PT_SLAB))
          fail(base + p * PAGE_SIZE, `${z.name}: page not mapped to its slab`);
      }
      let free = 0;
      let used = 0;
      for (let w = 0; w < z.words; w++) {
        const kw = u32[(kegBits(sh) >>> 2) + w]!;
        const uw = u32[(useBits(z, sh) >>> 2) + w]!;
        if ((kw & uw) !== 0) fail(sh, `${z.name}: an item is both free and in use`);
        if (w === z.words - 1 && z.ipers % 32 !== 0 && (kw | uw) >>> (z.ipers % 32) !== 0) {
          fail(sh, `${z.name}: bits set beyond the slab's items`);
        }
        free += popcount(kw);
        used += popcount(uw);
      }
      if (free !== u32[(sh + SH_FREE) >>> 2])
        fail(sh, `${z.name}: free count ${u32[(sh + SH_FREE) >>> 2]}, bitmap ${free}`);
      const expected = free === 0 ? LIST_FULL : free === z.ipers ? LIST_FREE : LIST_PARTIAL;
      if (expected !== list) {
        fail(sh, `${z.name}: slab with ${free} of ${z.ipers} free items is on list ${list}`);
      }
      if (list === LIST_FREE) freeSlabs++;
      kegFree += free;
      inUse += used;
    }
  }
  const word = (f: number): number => u32[(kr + f) >>> 2]!;
  if (word(KR_NSLABS) !== slabs)
    fail(kr, `${z.name}: ${word(KR_NSLABS)} slabs counted, ${slabs} listed`);
  if (word(KR_NFREESLABS) !== freeSlabs)
    fail(kr, `${z.name}: ${word(KR_NFREESLABS)} free slabs counted, ${freeSlabs} listed`);
  if (word(KR_FREE_ITEMS) !== kegFree)
    fail(kr, `${z.name}: ${word(KR_FREE_ITEMS)} free items counted, ${kegFree} in bitmaps`);
  if (word(KR_PAGES) !== slabs * z.slabPages)
    fail(kr, `${z.name}: ${word(KR_PAGES)} pages counted`);
  let bucketed = 0;
  let allocated = 0;
  const seen = new Set<number>();
  for (let c = 0; c < k.maxCpus; c++) {
    const br = u32[((kr + KR_BUCKETS) >>> 2) + c]!;
    if (br === 0) continue;
    const count = u32[(br + BR_COUNT) >>> 2]!;
    if (count > Math.max(1, u32[(br + BR_CAP) >>> 2]!))
      fail(br, `${z.name}: bucket of cpu ${c} holds ${count} items`);
    allocated += k.f64[(br + BR_ALLOCS) >>> 3]! - k.f64[(br + BR_FREES) >>> 3]!;
    for (let j = 0; j < count; j++) {
      const item = u32[((br + BR_ITEMS) >>> 2) + j]!;
      const e = item < k.total ? u32[k.pt + (item >>> 12)]! : 0;
      const sh = e & ~15;
      if (
        (e & PT_KIND) !== PT_SLAB ||
        u32[(sh + SH_ZONE) >>> 2] !== z.id ||
        u32[(sh + SH_DOMAIN) >>> 2] !== d
      ) {
        fail(
          item,
          `${z.name}: bucket of cpu ${c} holds an address that is no item of the zone in domain ${d}`,
        );
      }
      const base = u32[(sh + SH_BASE) >>> 2]!;
      const i = z.index(item, base);
      if (base + i * z.size !== item || i >= z.ipers)
        fail(item, `${z.name}: bucketed address inside an item`);
      if (bit(u32, kegBits(sh), i) || bit(u32, useBits(z, sh), i))
        fail(item, `${z.name}: bucketed item is free or in use`);
      if (seen.has(item)) fail(item, `${z.name}: item in two buckets, or twice in one`);
      seen.add(item);
    }
    bucketed += count;
  }
  if (slabs * z.ipers !== kegFree + bucketed + inUse) {
    fail(
      kr,
      `${z.name}: ${slabs * z.ipers} items, ${kegFree} free + ${bucketed} cached + ${inUse} in use`,
    );
  }
  if (allocated !== inUse)
    fail(kr, `${z.name}: counters say ${allocated} in use in domain ${d}, bitmaps ${inUse}`);
  return slabs * z.slabPages;
};

/** Checks the large allocations of the page table against the domains' counters. */
const checkPages = (k: Kernel, slabPages: number[]): void => {
  const u32 = k.u32;
  const pages = k.total / PAGE_SIZE;
  const large = new Array<number>(k.ndomains).fill(0);
  const count = new Array<number>(k.ndomains).fill(0);
  const span = k.word(KH_DOMAIN_BYTES);
  const cached = new Array<number>(k.ndomains).fill(0);
  const runs = new Array<number>(k.ndomains).fill(0);
  for (let p = 0; p < pages; p++) {
    const e = u32[k.pt + p]!;
    const run = cachedRun(e);
    if (run !== null) {
      const va = p * PAGE_SIZE;
      const d = k.dh.findIndex(
        (dh) => va >= u32[(dh + DH_BASE) >>> 2]! && va < u32[(dh + DH_BASE) >>> 2]! + span,
      );
      if (d < 0) fail(va, 'a cached page run outside every domain');
      let usable = 0;
      try {
        usable = k.heaps[d]!.usableSize(va);
      } catch {
        fail(va, `a cached run of ${run.pages} pages is no live block of domain ${d}'s heap`);
      }
      if (usable < cachedBytes(run.pages, run.kind))
        fail(va, 'a cached run bigger than its heap block');
      cached[d]! += run.pages;
      runs[d]! += 1;
      continue;
    }
    if (e === 0 || !isLarge(e)) continue;
    const va = p * PAGE_SIZE;
    const d = largeDomain(e);
    const base = u32[(k.dh[d]! + DH_BASE) >>> 2]!;
    if (d >= k.ndomains || va < base || va + largePages(e) * PAGE_SIZE > base + span) {
      fail(va, `large allocation outside its domain ${d}`);
    }
    let usable = 0;
    try {
      usable = k.heaps[d]!.usableSize(va);
    } catch {
      fail(va, `large allocation of ${largePages(e)} pages is no live block of domain ${d}'s heap`);
    }
    if (usable < largePages(e) * PAGE_SIZE) fail(va, `large allocation bigger than its heap block`);
    large[d]! += largePages(e);
    count[d]! += 1;
  }
  for (let d = 0; d < k.ndomains; d++) {
    const dh = k.dh[d]!;
    const word = (f: number): number => u32[(dh + f) >>> 2]!;
    if (word(DH_LARGE_PAGES) !== large[d] || word(DH_LARGE_COUNT) !== count[d]) {
      fail(
        dh,
        `domain ${d}: ${word(DH_LARGE_COUNT)} large allocations of ${word(DH_LARGE_PAGES)} pages counted, ${count[d]} of ${large[d]} found`,
      );
    }
    if (word(DH_CACHED_PAGES) !== cached[d] || word(DH_CACHED_RUNS) !== runs[d]) {
      fail(
        dh,
        `domain ${d}: ${word(DH_CACHED_RUNS)} cached runs of ${word(DH_CACHED_PAGES)} pages counted, ${runs[d]} of ${cached[d]} found`,
      );
    }
    if (word(DH_SLAB_PAGES) !== slabPages[d])
      fail(dh, `domain ${d}: ${word(DH_SLAB_PAGES)} slab pages counted, ${slabPages[d]} found`);
    if (word(DH_USED_PAGES) !== large[d]! + slabPages[d]!)
      fail(dh, `domain ${d}: ${word(DH_USED_PAGES)} pages in use counted`);
  }
};

/**
 * Checks the whole kernel (see the module comment); throws `HeapCorruptionError` naming the first
 * address where an invariant is broken. O(size of the kernel); meant for tests and debugging.
 *
 * @category kernel
 * @since 0.1.0
 */
export const check = (kernel: Kernel): void => {
  const k = kernelArg('check', kernel);
  if (!k.readonly) {
    k.meta.check();
    for (const heap of k.heaps) heap.check();
  }
  const slabPages = new Array<number>(k.ndomains).fill(0);
  for (const z of allZones(k)) {
    for (let d = 0; d < k.ndomains; d++) {
      k.lockDomain(d);
      try {
        slabPages[d]! += checkKeg(k, z, d);
      } finally {
        k.unlockDomain(d);
      }
    }
  }
  checkPages(k, slabPages);
  const types = typeEntries(k).length;
  if (types !== k.word(KH_TYPECOUNT))
    fail(KH_TYPECOUNT, `${types} types listed, ${k.word(KH_TYPECOUNT)} counted`);
};
