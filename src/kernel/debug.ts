/**
 * The debugging options of malloc(9) that are not memguard: the INVARIANTS checks of
 * `malloc_dbg` ("Bad malloc flags", once per boot, with a backtrace), `MALLOC_MAKE_FAILURES`
 * (every n-th M_NOWAIT call fails), `free_save_type` (the freeing type in the item's last
 * pointer-sized word), and redzone(9) (`options DEBUG_REDZONE`): 16 guard bytes of 0x42 on each
 * side of every allocation, checked on free.
 *
 * Redzone layout of an allocation of n bytes, as FreeBSD lays it out (`redzone.c`):
 *
 * ```
 *  raddr                                       addr = raddr + roundup(n)        addr + n
 *  │ (unused) │ struct stack │ u_long n │ 16 × 0x42 │ user data (n bytes) │ 16 × 0x42 │
 *             └──────────── REDZONE_HSIZE ─────────┘
 * ```
 *
 * `struct stack` keeps FreeBSD's size (152 bytes); it holds the allocating CPU and a number that
 * names the allocation's backtrace in that thread (a JavaScript stack does not fit in memory).
 */
import { M_NOWAIT, PAGE_SIZE } from './constants.js';
import { panic } from './errors.js';
import { hex, plural } from './format.js';
import type { Kernel } from './kernel.js';
import {
  KH_BADFLAGS,
  KH_FAILURE_COUNT,
  KH_FAILURE_RATE,
  KH_NOWAIT_COUNT,
  KH_REDZONE_EXTRA,
  KH_REDZONE_PANIC,
} from './layout.js';

// ---------------------------------------------------------------------------------------------
// INVARIANTS and MALLOC_MAKE_FAILURES

/** The frames of the current JavaScript stack, below the kernel's own. */
const frames = (): string[] =>
  (new Error().stack ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim())
    .filter((line) => !/\/(src|dist)\/kernel\//.test(line));

/** `kdb_backtrace()`: the stack, printed. */
export const kdbBacktrace = (k: Kernel): void => {
  const lines = frames().map((frame, i) => `#${i} ${frame.replace(/^at /, '')}\n`);
  k.printf(`KDB: stack backtrace:\n${lines.join('')}`);
};

/**
 * INVARIANTS: "exactly one of M_WAITOK or M_NOWAIT". Prints `Bad malloc flags: %x` and a
 * backtrace the first time in a boot (every thread of the kernel shares the latch); never fails.
 */
export const checkFlags = (k: Kernel, flags: number): void => {
  const indx = flags & 3;
  if (indx === 1 || indx === 2) return;
  if (Atomics.compareExchange(k.i32, KH_BADFLAGS >>> 2, 0, 1) !== 0) return;
  k.printf(`Bad malloc flags: ${indx.toString(16)}\n`);
  kdbBacktrace(k);
};

/** MALLOC_MAKE_FAILURES: whether this M_NOWAIT call is the n-th that must fail. */
export const injectedFailure = (k: Kernel, flags: number): boolean => {
  const rate = k.word(KH_FAILURE_RATE);
  if ((flags & M_NOWAIT) === 0 || rate === 0) return false;
  const count = Atomics.add(k.i32, KH_NOWAIT_COUNT >>> 2, 1) + 1;
  if (count % rate !== 0) return false;
  Atomics.add(k.i32, KH_FAILURE_COUNT >>> 2, 1);
  return true;
};

/** INVARIANTS `free_save_type`: the freeing type in the item's last 8 bytes. */
export const saveType = (k: Kernel, item: number, size: number, entry: number): void => {
  const at = (item + size - 8) >>> 2;
  k.u32[at] = entry;
  k.u32[at + 1] = 0;
};

// ---------------------------------------------------------------------------------------------
// redzone(9)

/** `sizeof(struct stack)` on amd64: `int depth; vm_offset_t pcs[18]`. */
const STACK_BYTES = 152;
/** `REDZONE_CHSIZE`, `REDZONE_CFSIZE`: guard bytes before and after. */
export const REDZONE_CHSIZE = 16;
export const REDZONE_CFSIZE = 16;
/** `REDZONE_HSIZE`: the header (stack, size, guard). */
export const REDZONE_HSIZE = STACK_BYTES + 8 + REDZONE_CHSIZE;
const GUARD = 0x42;

/** `redzone_roundup`: the header room for `n` bytes. */
export const redzoneRoundup = (n: number): number => {
  const m = Math.max(n, REDZONE_HSIZE);
  for (const step of [128, 256, 512, 1024, 2048]) if (m <= step) return step;
  return PAGE_SIZE;
};

/** `redzone_size_ntor`: the underlying allocation for `n` bytes. */
export const redzoneSize = (n: number): number => n + redzoneRoundup(n) + REDZONE_CFSIZE;

/** The user size recorded in the header of the redzoned allocation at `addr`. */
export const redzoneGetSize = (k: Kernel, addr: number): number => {
  const at = addr - REDZONE_CHSIZE - 8;
  return k.u32[at >>> 2]! + k.u32[(at >>> 2) + 1]! * 2 ** 32;
};

/** `redzone_addr_ntor`: the underlying allocation of the user address `addr`. */
export const redzoneReal = (k: Kernel, addr: number): number =>
  addr - redzoneRoundup(redzoneGetSize(k, addr));

let backtraceIds = 0;

const extra = (k: Kernel, delta: number): void => {
  k.lockMeta();
  k.f64[KH_REDZONE_EXTRA >>> 3]! += delta;
  k.unlockMeta();
};

/** `redzone_setup`: lays out header and footer around `n` user bytes in `raddr`; returns the user address. */
export const redzoneSetup = (k: Kernel, raddr: number, n: number): number => {
  const addr = raddr + redzoneRoundup(n);
  const header = addr - REDZONE_HSIZE;
  const id = ++backtraceIds;
  k.u8.fill(0, header, header + STACK_BYTES);
  k.u32[header >>> 2] = k.cpu;
  k.u32[(header >>> 2) + 1] = id;
  const size = header + STACK_BYTES;
  k.u32[size >>> 2] = n % 2 ** 32;
  k.u32[(size >>> 2) + 1] = Math.floor(n / 2 ** 32);
  k.u8.fill(GUARD, addr - REDZONE_CHSIZE, addr);
  k.u8.fill(GUARD, addr + n, addr + n + REDZONE_CFSIZE);
  k.backtraces.set(addr, `${id}\n${frames().join('\n')}`);
  extra(k, redzoneSize(n) - n);
  return addr;
};

/** `stack_print_ddb` of the allocation at `addr`, then of this free. */
const printBacktraces = (k: Kernel, addr: number): void => {
  const header = addr - REDZONE_HSIZE;
  const cpu = k.u32[header >>> 2]!;
  const id = k.u32[(header >>> 2) + 1]!;
  const recorded = k.backtraces.get(addr);
  const lines =
    cpu === k.cpu && recorded !== undefined && recorded.startsWith(`${id}\n`)
      ? recorded.split('\n').slice(1)
      : [`(allocated on cpu ${cpu}: its backtrace is kept by that thread)`];
  k.printf(
    `Allocation backtrace:\n${lines.map((l, i) => `#${i} ${l.replace(/^at /, '')}\n`).join('')}`,
  );
  k.printf(
    `Free backtrace:\n${frames()
      .map((l, i) => `#${i} ${l.replace(/^at /, '')}\n`)
      .join('')}`,
  );
};

/**
 * `redzone_check`: counts damaged guard bytes before and after the allocation at `addr` and
 * reports each side with FreeBSD's messages; panics ("Stopping here.") when `vm.redzone.panic`
 * is set. Returns the underlying address.
 */
export const redzoneCheck = (k: Kernel, call: string, addr: number): number => {
  const n = redzoneGetSize(k, addr);
  let before = 0;
  for (let i = addr - REDZONE_CHSIZE; i < addr; i++) if (k.u8[i] !== GUARD) before++;
  let after = 0;
  for (let i = addr + n; i < addr + n + REDZONE_CFSIZE; i++) if (k.u8[i] !== GUARD) after++;
  const stop = k.word(KH_REDZONE_PANIC) !== 0;
  if (before > 0) {
    k.printf(
      `REDZONE: Buffer underflow detected. ${before} byte${plural(before)} corrupted before ` +
        `${hex(addr)} (${n} bytes allocated).\n`,
    );
    printBacktraces(k, addr);
    if (stop) panic(call, 'Stopping here.');
  }
  if (after > 0) {
    k.printf(
      `REDZONE: Buffer overflow detected. ${after} byte${plural(after)} corrupted after ` +
        `${hex(addr + n)} (${n} bytes allocated).\n`,
    );
    printBacktraces(k, addr);
    if (stop) panic(call, 'Stopping here.');
  }
  return addr - redzoneRoundup(n);
};

/** Forgets the backtrace of a freed redzone allocation and its extra memory. */
export const redzoneForget = (k: Kernel, addr: number, n: number): void => {
  k.backtraces.delete(addr);
  extra(k, -(redzoneSize(n) - n));
};
