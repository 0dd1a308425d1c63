/**
 * memguard(9) (`options DEBUG_MEMGUARD`): a replacement allocator for one malloc type, chosen by
 * its short description (`vm.memguard.desc`), that catches tamper-after-free. Guarded
 * allocations come from an arena of their own with a NEXTFIT cursor, so freed addresses are not
 * reused until the cursor wraps; each sits between two guard pages, right-aligned (16-byte
 * granularity) against the page after it.
 *
 * JavaScript has no MMU, so the "page fault" is this library's: the arena's page table says
 * which pages are mapped, and every access made through the kernel's access functions
 * (`copyin`, `copyout`, `bcopy`, `bzero`, `memset`, and the kernel's own copies in `realloc` and
 * `zfree`) is checked against it. A raw typed-array view of the memory is not checked.
 */
import { M_ZERO, MG_ALLLARGE, MG_GUARD_AROUND, PAGE_SIZE } from './constants.js';
import { panic } from './errors.js';
import { hex } from './format.js';
import type { Kernel } from './kernel.js';
import {
  KH_MG_BASE,
  KH_MG_CURSOR,
  KH_MG_DESC,
  KH_MG_FAIL_KVA,
  KH_MG_FAIL_PGS,
  KH_MG_FREQUENCY,
  KH_MG_FREQUENCY_HITS,
  KH_MG_MINSIZE,
  KH_MG_MINSIZE_REJECT,
  KH_MG_NUMALLOC,
  KH_MG_OPTIONS,
  KH_MG_PAGES,
  KH_MG_PHYSLIMIT,
  KH_MG_TABLE,
  KH_MG_USED,
  KH_MG_WASTED,
  KH_RANDOM,
} from './layout.js';
import { readName } from './zone.js';

/** Page states of the arena's table (3 words per page: state, requested size, run pages). */
const UNMAPPED = 0;
const GUARD_PAGE = 1;
const MAPPED = 2;

const entry = (k: Kernel, page: number): number => (k.word(KH_MG_TABLE) >>> 2) + 3 * page;

/** Whether `addr` is in the memguard arena (`is_memguard_addr`). */
export const isMemguardAddr = (k: Kernel, addr: number): boolean => {
  if (!k.memguard) return false;
  const base = k.word(KH_MG_BASE);
  return addr >= base && addr < base + k.word(KH_MG_PAGES) * PAGE_SIZE;
};

/** `vm.memguard.desc` now. */
export const memguardDesc = (k: Kernel): string => readName(k.u8, KH_MG_DESC, 32);

/** `random() % 100000` from the kernel's shared generator (a 32-bit xorshift). */
const random100k = (k: Kernel): number => {
  let x = k.i32[KH_RANDOM >>> 2]!;
  x ^= x << 13;
  x ^= x >>> 17;
  x ^= x << 5;
  k.i32[KH_RANDOM >>> 2] = x;
  return (x >>> 0) % 100000;
};

/**
 * `memguard_cmp_mtp`: whether an allocation of `size` bytes of the type named `desc` is guarded:
 * not below `minsize`; every allocation of a page or more with MG_ALLLARGE; a random share with
 * `frequency`; otherwise when `desc` is the guarded description.
 */
export const memguardCmp = (k: Kernel, desc: string, size: number): boolean => {
  if (size < k.word(KH_MG_MINSIZE)) {
    k.f64[KH_MG_MINSIZE_REJECT >>> 3]! += 1;
    return false;
  }
  if ((k.word(KH_MG_OPTIONS) & MG_ALLLARGE) !== 0 && size >= PAGE_SIZE) return true;
  const frequency = k.word(KH_MG_FREQUENCY);
  if (frequency > 0 && random100k(k) < frequency) {
    k.f64[KH_MG_FREQUENCY_HITS >>> 3]! += 1;
    return true;
  }
  return desc === memguardDesc(k);
};

/** Finds `run` unmapped pages from `from` (not wrapping); returns the first page or −1. */
const findRun = (k: Kernel, from: number, run: number): number => {
  const pages = k.word(KH_MG_PAGES);
  const u32 = k.u32;
  let start = from;
  let length = 0;
  for (let p = from; p < pages; p++) {
    if (u32[entry(k, p)] === UNMAPPED) {
      if (length === 0) start = p;
      if (++length === run) return start;
    } else length = 0;
  }
  return -1;
};

/** `memguard_alloc`: a guarded block of `req` bytes, or 0 (the caller then uses malloc). */
export const memguardAlloc = (k: Kernel, req: number, flags: number): number => {
  const sizeP = Math.ceil(req / PAGE_SIZE);
  if (sizeP === 0) return 0;
  const guard = (k.word(KH_MG_OPTIONS) & MG_GUARD_AROUND) !== 0;
  const run = sizeP + (guard ? 2 : 0);
  const u32 = k.u32;
  const f64 = k.f64;
  k.lockMeta();
  try {
    if (k.word(KH_MG_USED) >= k.word(KH_MG_PHYSLIMIT) && req < PAGE_SIZE) {
      f64[KH_MG_FAIL_PGS >>> 3]! += 1;
      return 0;
    }
    let first = findRun(k, k.word(KH_MG_CURSOR), run);
    if (first < 0) first = findRun(k, 0, run);
    if (first < 0) {
      f64[KH_MG_FAIL_KVA >>> 3]! += 1;
      return 0;
    }
    u32[KH_MG_CURSOR >>> 2] = first + run;
    const data = first + (guard ? 1 : 0);
    for (let p = first; p < first + run; p++)
      u32[entry(k, p)] = p >= data && p < data + sizeP ? MAPPED : GUARD_PAGE;
    u32[entry(k, data) + 1] = req;
    u32[entry(k, data) + 2] = run;
    u32[KH_MG_USED >>> 2]! += sizeP;
    f64[KH_MG_NUMALLOC >>> 3]! += 1;
    let addr = k.word(KH_MG_BASE) + data * PAGE_SIZE;
    if ((flags & M_ZERO) !== 0) k.u8.fill(0, addr, addr + sizeP * PAGE_SIZE);
    if (req < PAGE_SIZE) {
      f64[KH_MG_WASTED >>> 3]! += PAGE_SIZE - req;
      if (guard) addr += PAGE_SIZE - Math.ceil(req / 16) * 16;
    }
    return addr;
  } finally {
    k.unlockMeta();
  }
};

/** The first data page of the guarded block at `addr`, or panics with memguard's double-free message. */
const blockPage = (k: Kernel, call: string, addr: number): number => {
  const page = Math.floor((addr - k.word(KH_MG_BASE)) / PAGE_SIZE);
  const e = entry(k, page);
  if (k.u32[e] !== MAPPED || k.u32[e + 2] === 0)
    panic(call, `MemGuard detected double-free of ${hex(addr)}`);
  return page;
};

/** `memguard_get_req_size`: the requested size of the guarded block at `addr`. */
export const memguardReqSize = (k: Kernel, call: string, addr: number): number =>
  k.u32[entry(k, blockPage(k, call, addr)) + 1]!;

/** `memguard_free`: writes 'M' over the block's pages, unmaps them and its guards. */
export const memguardFree = (k: Kernel, call: string, addr: number): void => {
  k.lockMeta();
  try {
    const page = blockPage(k, call, addr);
    const e = entry(k, page);
    const req = k.u32[e + 1]!;
    const run = k.u32[e + 2]!;
    const sizeP = Math.ceil(req / PAGE_SIZE);
    const guard = run > sizeP;
    const start = k.word(KH_MG_BASE) + page * PAGE_SIZE;
    k.u8.fill(0x4d, start, start + sizeP * PAGE_SIZE);
    const first = page - (guard ? 1 : 0);
    for (let p = first; p < first + run; p++) k.u32.fill(0, entry(k, p), entry(k, p) + 3);
    k.u32[KH_MG_USED >>> 2]! -= sizeP;
  } finally {
    k.unlockMeta();
  }
};

/**
 * The page fault of an access to `[addr, addr + len)` that touches memory that is not mapped: a
 * memguard guard page or a freed guarded block, or beyond the kernel's memory. Prints the trap
 * as FreeBSD does and panics ("page fault").
 */
export const checkAccess = (k: Kernel, call: string, addr: number, len: number): void => {
  if (len === 0) return;
  const end = addr + len;
  let fault = -1;
  if (end > k.total) fault = Math.max(addr, k.total);
  else if (k.memguard) {
    const base = k.word(KH_MG_BASE);
    const limit = base + k.word(KH_MG_PAGES) * PAGE_SIZE;
    if (end > base && addr < limit) {
      for (
        let p = Math.max(addr, base);
        p < Math.min(end, limit);
        p = (Math.floor((p - base) / PAGE_SIZE) + 1) * PAGE_SIZE + base
      ) {
        if (k.u32[entry(k, Math.floor((p - base) / PAGE_SIZE))] !== MAPPED) {
          fault = p;
          break;
        }
      }
    }
  }
  if (fault < 0) return;
  k.printf(
    `\n\nFatal trap 12: page fault while in kernel mode\nfault virtual address\t= ${hex(fault)}\n`,
  );
  panic(call, 'page fault');
};
