import { Heap } from '../heap/index.js';
import { lock as mutexLock, unlock as mutexUnlock } from '../mutex/index.js';
import { Memory, MAX_MEMORY_BYTES, type MemorySource } from '../memory/index.js';
import { toSize } from './arguments.js';
import {
  KMEM_ZMAX,
  KMEM_ZONE_SIZES,
  MAXCPU,
  MAXMEMDOM,
  MG_GUARD_AROUND,
  PAGE_SIZE,
} from './constants.js';
import { DomainIterator, type Domainset, orderOf } from './domainset.js';
import { CACHE_TABLE_BYTES } from './pages.js';
import {
  DH_BASE,
  DH_CACHE,
  DH_CAP_PAGES,
  DH_INDEX,
  DH_LOCK,
  DH_RESERVE_PAGES,
  DH_USED_PAGES,
  KERNEL_LAYOUT,
  KERNEL_MAGIC,
  KH_BYTES,
  KH_COMPAT,
  KH_CPUS,
  KH_DOMAINS,
  KH_DOMAIN_BYTES,
  KH_FAILURE_RATE,
  KH_LAYOUT,
  KH_LOCK,
  KH_MAGIC,
  KH_MAXCPUS,
  KH_META_BASE,
  KH_MG_BASE,
  KH_MG_MINSIZE,
  KH_MG_OPTIONS,
  KH_MG_PAGES,
  KH_MG_PHYSLIMIT,
  KH_MG_TABLE,
  KH_NDOMAINS,
  KH_NZONES,
  KH_OPTIONS,
  KH_PT,
  KH_RANDOM,
  KH_REDZONE_PANIC,
  KH_RESERVE,
  KH_TOTAL,
  KH_WAITERS,
  KH_ZMAX,
  KH_ZONES,
  OPT_INVARIANTS,
  OPT_MAKE_FAILURES,
  OPT_MEMGUARD,
  OPT_REDZONE,
  OPT_SHARED,
  PER_CPU_ALIGN,
} from './layout.js';

/**
 * FreeBSD release whose behaviour the kernel follows where 14 and 15 differ (docs/kernel.md
 * lists the differences).
 *
 * @category kernel
 * @since 0.1.0
 */
export type Compat = 'fbsd14' | 'fbsd15';

/**
 * memguard(9) settings at boot (`options DEBUG_MEMGUARD` and the `vm.memguard.*` tunables).
 *
 * @category kernel
 * @since 0.1.0
 */
export interface MemguardOptions {
  /** `vm.memguard.desc`: the short description of the type to guard. Default `""` (none). */
  readonly desc?: string;
  /** `vm.memguard.minsize`: smaller requests are not guarded. Default 0. */
  readonly minsize?: number;
  /** `vm.memguard.options`: MG_GUARD_AROUND (1, default), MG_ALLLARGE (2). */
  readonly options?: number;
  /** `vm.memguard.frequency`: guard a random share of every type, per 100 000. Default 0. */
  readonly frequency?: number;
  /** Bytes of address space of the memguard arena (`vm.memguard.mapsize`). Default 4 MiB. */
  readonly mapsize?: number;
  /** Bytes of guarded memory beyond which sub-page requests are refused (`phys_limit`). */
  readonly physLimit?: number;
}

/**
 * Options of {@link boot}.
 *
 * @category kernel
 * @since 0.1.0
 */
export interface BootOptions {
  /** Memory domains (FreeBSD's NUMA domains), each a heap of its own. Default 1, at most 32. */
  readonly domains?: number;
  /** The most bytes each domain's heap may grow to. Default 16 MiB. */
  readonly domainBytes?: number;
  /** The bytes each domain's heap starts with (it grows on demand). Default 1 MiB. */
  readonly initialBytes?: number;
  /** Bytes of each domain only M_USE_RESERVE | M_NOWAIT requests may use. Default 0. */
  readonly reserve?: number;
  /** The most threads attached at once (FreeBSD's MAXCPU). Default 16, at most 32. */
  readonly maxCpus?: number;
  /** Put the kernel in a `SharedArrayBuffer`, for workers. Default `false`. */
  readonly shared?: boolean;
  /** Follow FreeBSD 14 (default) or 15 where they differ. */
  readonly compat?: Compat;
  /** `options INVARIANTS`: FreeBSD's debugging checks and messages. Default `false`. */
  readonly invariants?: boolean;
  /** `options DEBUG_REDZONE`: guard bytes around every allocation. Default `false`. */
  readonly redzone?: boolean | { readonly panic?: boolean };
  /** `options DEBUG_MEMGUARD` and its settings. Default off. */
  readonly memguard?: boolean | MemguardOptions;
  /** `options MALLOC_MAKE_FAILURES`, with `debug.malloc.failure_rate`. Default off. */
  readonly makeFailures?: boolean | { readonly rate?: number };
  /** `vm.kmem_zmax`: the largest size served by the malloc zones (clamped as FreeBSD does). */
  readonly kmem_zmax?: number;
  /** Where the kernel's `printf` goes. Default: the message buffer ({@link Kernel.dmesg}). */
  readonly printf?: (text: string) => void;
}

/**
 * Options of {@link attach}.
 *
 * @category kernel
 * @since 0.1.0
 */
export interface AttachOptions {
  /** This thread's home domain (what FIRSTTOUCH picks). Default: its CPU number modulo domains. */
  readonly domain?: number;
  /** As {@link BootOptions.printf}, for this thread. */
  readonly printf?: (text: string) => void;
}

const MiB = 1024 * 1024;
const MEMORY_PAGE = 65536;
/** The most zones (kmem zones included) a kernel holds. */
export const MAX_ZONES = 256;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

let waitProbe: boolean | undefined;

/** Whether this thread may block in `Atomics.wait` (not a browser's main thread). */
export const threadCanSleep = (): boolean => {
  if (waitProbe === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      waitProbe = true;
    } catch {
      waitProbe = false;
    }
  }
  return waitProbe;
};

/**
 * `kernel` when it is a kernel; a `TypeError` naming `call` otherwise.
 *
 * @internal
 */
export const kernelArg = (call: string, kernel: unknown): Kernel => {
  if (kernel instanceof Kernel) return kernel;
  throw new TypeError(`${call}: the kernel argument must be a kernel (boot or attach)`);
};

/** A thread's registered handler of an event (EVENTHANDLER(9)). */
export interface EventHandlerTag {
  readonly event: string;
  readonly handler: (...args: unknown[]) => void;
}

/**
 * The kernel: one memory holding every domain's heap and all of the allocator's state (types,
 * per-CPU statistics, zones, kegs, per-CPU buckets, the page table). One `Kernel` object is one
 * thread's view of it: the thread's CPU number, home domain and caches. {@link boot} makes
 * a kernel; {@link attach} joins one from another worker.
 *
 * The malloc(9) functions take the kernel from their malloc type (`malloc(size, type, flags)`),
 * as in FreeBSD; the kernel object holds what FreeBSD keeps in globals: `vmstat`, `sysctl`,
 * `dump`, `check`, memguard's settings and the message buffer.
 *
 * @category kernel
 * @since 0.1.0
 */
export class Kernel {
  /** The memory the whole kernel lives in (a `SharedArrayBuffer` for a shared kernel). */
  readonly memory: Memory;
  /** Whether the kernel is in shared memory (takes locks, can sleep in M_WAITOK). */
  readonly shared: boolean;
  /** The FreeBSD release followed where 14 and 15 differ. */
  readonly compat: Compat;
  /** Number of memory domains. */
  readonly ndomains: number;
  /** This thread's CPU number (−1 for a kernel read from a dump). */
  readonly cpu: number;
  /** This thread's home domain. */
  readonly home: number;
  /** The most bytes of each domain. */
  readonly domainBytes: number;
  /** Number of CPU slots (FreeBSD's MAXCPU). */
  readonly maxCpus: number;
  /** `options INVARIANTS`. */
  readonly invariants: boolean;
  /** `options DEBUG_REDZONE`. */
  readonly redzone: boolean;
  /** `options DEBUG_MEMGUARD`. */
  readonly memguard: boolean;
  /** `options MALLOC_MAKE_FAILURES`. */
  readonly makeFailures: boolean;
  /** `kmem_zmax`: the largest size served by the malloc zones. */
  readonly kmem_zmax: number;
  /** The malloc type version this kernel's types carry (`M_VERSION`). */
  readonly M_VERSION: number;

  /** @internal */ readonly u8: Uint8Array;
  /** @internal */ readonly u32: Uint32Array;
  /** @internal */ readonly i32: Int32Array;
  /** @internal */ readonly f64: Float64Array;
  /** @internal u32 index of the page table. */
  readonly pt: number;
  /** @internal Bytes of the whole memory. */
  readonly total: number;
  /** @internal The meta heap (types, stats, zones, kegs, buckets). */
  readonly meta: Heap;
  /** @internal Each domain's heap. */
  readonly heaps: Heap[];
  /** @internal Each domain's header address. */
  readonly dh: number[];
  /** @internal Whether anything needs the slow paths (a debugging option is compiled in). */
  readonly debug: boolean;
  /** @internal The thread's round-robin iterator (`td_domain.dr_iter`). */
  readonly rr = { value: -1 };
  /** @internal This thread's zone handles by zone id (built on demand). */
  readonly zones: unknown[] = [];
  /** @internal This thread's handles of malloc types, by entry address. */
  readonly types = new Map<number, unknown>();
  /** @internal Registered event handlers of this thread. */
  readonly handlers: EventHandlerTag[] = [];
  /** @internal Callbacks of asynchronous waiters in a kernel that cannot sleep. */
  readonly wakeups: (() => void)[] = [];
  /** @internal Redzone allocation backtraces of this thread, by address. */
  readonly backtraces = new Map<number, string>();
  /** @internal The thread's `printf`. */
  readonly printf: (text: string) => void;
  /** @internal Whether this kernel was read from a dump (nothing may change it). */
  readonly readonly: boolean;
  /** @internal Extension state of the other modules (the predefined types, …). */
  readonly ext: Record<string, unknown> = {};

  private readonly msgbuf: string[] = [];

  private constructor(
    memory: Memory,
    cpu: number,
    home: number,
    printf: ((text: string) => void) | undefined,
    readonly_: boolean,
  ) {
    this.memory = memory;
    const v = memory.views;
    this.u8 = v.u8;
    this.u32 = v.u32;
    this.i32 = v.i32;
    this.f64 = v.f64;
    const word = (field: number): number => v.u32[field >>> 2]!;
    const options = word(KH_OPTIONS);
    // A kernel read from a dump takes no locks (the dump may hold a lock word as it was).
    this.shared = !readonly_ && (options & OPT_SHARED) !== 0;
    this.compat = word(KH_COMPAT) === 15 ? 'fbsd15' : 'fbsd14';
    this.M_VERSION = this.compat === 'fbsd15' ? 2024042901 : 2020110501;
    this.ndomains = word(KH_NDOMAINS);
    this.maxCpus = word(KH_MAXCPUS);
    this.domainBytes = word(KH_DOMAIN_BYTES);
    this.invariants = (options & OPT_INVARIANTS) !== 0;
    this.redzone = (options & OPT_REDZONE) !== 0;
    this.memguard = (options & OPT_MEMGUARD) !== 0;
    this.makeFailures = (options & OPT_MAKE_FAILURES) !== 0;
    this.debug = this.invariants || this.redzone || this.memguard || this.makeFailures;
    this.kmem_zmax = word(KH_ZMAX);
    this.pt = word(KH_PT) >>> 2;
    this.total = word(KH_TOTAL);
    this.cpu = cpu;
    this.home = home;
    this.readonly = readonly_;
    this.printf = printf ?? ((text) => this.msgbuf.push(text));
    this.meta = Heap.attach(memory, { base: word(KH_META_BASE) });
    this.dh = [];
    this.heaps = [];
    for (let d = 0; d < this.ndomains; d++) {
      const dh = word(KH_DOMAINS + 4 * d);
      this.dh.push(dh);
      this.heaps.push(Heap.attach(memory, { base: v.u32[(dh + DH_BASE) >>> 2]! }));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Making and joining a kernel

  /**
   * Makes the memory of a new kernel and formats it (header, meta heap, page table, one heap per
   * domain); `boot` then creates the zones and types. The calling thread is CPU 0.
   *
   * @internal
   */
  static format(options: BootOptions = {}): Kernel {
    const call = 'boot';
    const ndomains = toSize(call, 'domains', options.domains ?? 1);
    if (ndomains < 1 || ndomains > MAXMEMDOM) {
      throw new RangeError(`${call}: domains must be from 1 to ${MAXMEMDOM}, got ${ndomains}`);
    }
    const domainBytes = alignUp(
      toSize(call, 'domainBytes', options.domainBytes ?? 16 * MiB),
      MEMORY_PAGE,
    );
    if (domainBytes < 2 * MEMORY_PAGE) {
      throw new RangeError(`${call}: domainBytes must be at least 128 KiB, got ${domainBytes}`);
    }
    const initial = Math.min(
      domainBytes,
      alignUp(toSize(call, 'initialBytes', options.initialBytes ?? MiB), MEMORY_PAGE),
    );
    const reserve = alignUp(toSize(call, 'reserve', options.reserve ?? 0), PAGE_SIZE);
    if (reserve >= domainBytes / 2) {
      throw new RangeError(`${call}: reserve must be below half of domainBytes, got ${reserve}`);
    }
    const maxCpus = toSize(call, 'maxCpus', options.maxCpus ?? 16);
    if (maxCpus < 1 || maxCpus > MAXCPU) {
      throw new RangeError(`${call}: maxCpus must be from 1 to ${MAXCPU}, got ${maxCpus}`);
    }
    const compat = options.compat ?? 'fbsd14';
    if (compat !== 'fbsd14' && compat !== 'fbsd15') {
      throw new RangeError(`${call}: compat must be 'fbsd14' or 'fbsd15', got ${String(compat)}`);
    }
    const mg = options.memguard === true ? {} : options.memguard || undefined;
    const mgBytes =
      mg === undefined
        ? 0
        : alignUp(toSize(call, 'memguard.mapsize', mg.mapsize ?? 4 * MiB), MEMORY_PAGE);
    // kmem_zmax: tunable, clamped to [PAGE_SIZE, KMEM_ZMAX] (a value outside resets to 65536).
    let zmax = toSize(call, 'kmem_zmax', options.kmem_zmax ?? KMEM_ZMAX);
    if (zmax < PAGE_SIZE || zmax > KMEM_ZMAX) zmax = KMEM_ZMAX;

    const domainsBytes = ndomains * domainBytes;
    // Buckets: up to two per zone, domain and CPU, each padded to PER_CPU_ALIGN (about 768 bytes).
    const zonesBytes = 2 * KMEM_ZONE_SIZES.length * ndomains * maxCpus * 768 + 256 * 1024;
    let meta = alignUp(KH_BYTES + zonesBytes + MiB, MEMORY_PAGE);
    for (let i = 0; i < 3; i++) {
      const total = meta + domainsBytes + mgBytes;
      meta = alignUp(
        KH_BYTES + zonesBytes + MiB + (total / PAGE_SIZE) * 4 + (mgBytes / PAGE_SIZE) * 12,
        MEMORY_PAGE,
      );
    }
    const total = meta + domainsBytes + mgBytes;
    if (total > MAX_MEMORY_BYTES) {
      throw new RangeError(
        `${call}: ${ndomains} domain(s) of ${domainBytes} bytes need ${total} bytes of memory, ` +
          `above the largest memory (${MAX_MEMORY_BYTES})`,
      );
    }
    const shared = options.shared ?? false;
    const memory = Memory.create({ initialBytes: total, maxBytes: total, shared });
    const v = memory.views;
    const set = (field: number, value: number): void => {
      v.u32[field >>> 2] = value;
    };
    set(KH_MAGIC, KERNEL_MAGIC);
    set(KH_LAYOUT, KERNEL_LAYOUT);
    set(KH_COMPAT, compat === 'fbsd15' ? 15 : 14);
    const redzone = options.redzone !== undefined && options.redzone !== false;
    const failures = options.makeFailures !== undefined && options.makeFailures !== false;
    set(
      KH_OPTIONS,
      (options.invariants === true ? OPT_INVARIANTS : 0) |
        (redzone ? OPT_REDZONE : 0) |
        (mg !== undefined ? OPT_MEMGUARD : 0) |
        (failures ? OPT_MAKE_FAILURES : 0) |
        (shared ? OPT_SHARED : 0),
    );
    set(KH_NDOMAINS, ndomains);
    set(KH_MAXCPUS, maxCpus);
    set(KH_DOMAIN_BYTES, domainBytes);
    set(KH_RESERVE, reserve);
    set(KH_TOTAL, total);
    set(KH_META_BASE, KH_BYTES);
    set(KH_ZMAX, zmax);
    set(KH_RANDOM, 0x2545f491);
    if (typeof options.redzone === 'object' && options.redzone.panic === true)
      set(KH_REDZONE_PANIC, 1);
    if (failures && typeof options.makeFailures === 'object') {
      set(KH_FAILURE_RATE, toSize(call, 'makeFailures.rate', options.makeFailures.rate ?? 0));
    }
    const metaHeap = Heap.over(memory, { base: KH_BYTES, size: meta - KH_BYTES });
    const allocate = (bytes: number): number => {
      const p = metaHeap.calloc(1, bytes);
      if (p === 0) throw new RangeError(`${call}: the kernel's meta heap is too small`);
      return p;
    };
    set(KH_PT, allocate((total / PAGE_SIZE) * 4));
    set(KH_ZONES, allocate(MAX_ZONES * 4));
    set(KH_NZONES, 0);
    for (let d = 0; d < ndomains; d++) {
      // A domain's lock and page counts are written at every refill and drain of its buckets:
      // a header of its own lines, as the per-CPU records (PER_CPU_ALIGN).
      const dh = metaHeap.alignedAlloc(PER_CPU_ALIGN, PER_CPU_ALIGN);
      if (dh === 0) throw new RangeError(`${call}: the kernel's meta heap is too small`);
      v.u8.fill(0, dh, dh + PER_CPU_ALIGN);
      const base = meta + d * domainBytes;
      const heap = Heap.over(memory, { base, size: initial, maxSize: domainBytes });
      const overhead = heap.stats().controlBytes + 2 * PAGE_SIZE;
      set(KH_DOMAINS + 4 * d, dh);
      set(dh + DH_INDEX, d);
      set(dh + DH_BASE, base);
      set(dh + DH_CAP_PAGES, Math.floor((domainBytes - overhead) / PAGE_SIZE));
      set(dh + DH_RESERVE_PAGES, reserve / PAGE_SIZE);
      set(dh + DH_CACHE, allocate(CACHE_TABLE_BYTES));
    }
    if (mg !== undefined) {
      const pages = mgBytes / PAGE_SIZE;
      set(KH_MG_BASE, meta + domainsBytes);
      set(KH_MG_PAGES, pages);
      set(KH_MG_TABLE, allocate(pages * 12));
      set(KH_MG_OPTIONS, toSize(call, 'memguard.options', mg.options ?? MG_GUARD_AROUND));
      set(KH_MG_MINSIZE, toSize(call, 'memguard.minsize', mg.minsize ?? 0));
      set(
        KH_MG_PHYSLIMIT,
        Math.floor(toSize(call, 'memguard.physLimit', mg.physLimit ?? mgBytes / 2) / PAGE_SIZE),
      );
    }
    set(KH_CPUS, 1);
    return new Kernel(memory, 0, 0, options.printf, false);
  }

  /**
   * Joins the kernel that lives in `source`: takes a free CPU number and makes this thread's
   * view (`attach` then loads the zones).
   *
   * @internal
   */
  static join(source: Memory | MemorySource, options: AttachOptions = {}): Kernel {
    const memory = source instanceof Memory ? source : Memory.from(source);
    const u32 = memory.views.u32;
    if (u32.length < KH_BYTES / 4 || u32[KH_MAGIC >>> 2] !== KERNEL_MAGIC) {
      throw new TypeError('attach: there is no kernel in this memory');
    }
    if (u32[KH_LAYOUT >>> 2] !== KERNEL_LAYOUT) {
      throw new TypeError(
        `attach: kernel layout ${u32[KH_LAYOUT >>> 2]}, expected ${KERNEL_LAYOUT}`,
      );
    }
    const ndomains = u32[KH_NDOMAINS >>> 2]!;
    const maxCpus = u32[KH_MAXCPUS >>> 2]!;
    if (options.domain !== undefined) {
      const d = toSize('attach', 'domain', options.domain);
      if (d >= ndomains) {
        throw new RangeError(`attach: domain ${d} is not one of the kernel's ${ndomains} domains`);
      }
    }
    const i32 = memory.views.i32;
    const shared = (u32[KH_OPTIONS >>> 2]! & OPT_SHARED) !== 0;
    if (shared) mutexLock(i32, KH_LOCK >>> 2);
    let cpu = -1;
    try {
      const map = u32[KH_CPUS >>> 2]!;
      for (let c = 0; c < maxCpus; c++) {
        if ((map & (1 << c)) === 0) {
          cpu = c;
          Atomics.or(i32, KH_CPUS >>> 2, 1 << c);
          break;
        }
      }
    } finally {
      if (shared) mutexUnlock(i32, KH_LOCK >>> 2);
    }
    if (cpu < 0) {
      throw new RangeError(`attach: all ${maxCpus} CPUs of the kernel are attached (maxCpus)`);
    }
    const home = options.domain ?? cpu % ndomains;
    return new Kernel(memory, cpu, home, options.printf, false);
  }

  /**
   * A kernel that reads the bytes of a dump (see `readDump`): nothing may change it.
   *
   * @internal
   */
  static inspect(memory: Memory): Kernel {
    return new Kernel(memory, -1, 0, undefined, true);
  }

  // -------------------------------------------------------------------------------------------
  // What a thread does with its kernel

  /**
   * The kernel's message buffer in this thread (what `dmesg` prints): every line the kernel
   * has `printf`ed here, unless a `printf` option sends them elsewhere.
   */
  dmesg(): string {
    return this.msgbuf.join('');
  }

  /**
   * Registers `handler` for `event` (EVENTHANDLER_REGISTER(9)) in this thread. The kernel fires
   * `vm_lowmem` when an M_WAITOK allocation finds no memory, before it sleeps: a handler may
   * free what it caches. Returns the tag to deregister it with.
   */
  EVENTHANDLER_REGISTER(event: 'vm_lowmem', handler: (flags: number) => void): EventHandlerTag {
    if (typeof handler !== 'function') {
      throw new TypeError('EVENTHANDLER_REGISTER: the handler must be a function');
    }
    const tag: EventHandlerTag = { event, handler: handler as (...args: unknown[]) => void };
    this.handlers.push(tag);
    return tag;
  }

  /** Removes a handler registered with {@link Kernel.EVENTHANDLER_REGISTER}; unknown tags are ignored. */
  EVENTHANDLER_DEREGISTER(_event: 'vm_lowmem', tag: EventHandlerTag): void {
    const i = this.handlers.indexOf(tag);
    if (i >= 0) this.handlers.splice(i, 1);
  }

  // -------------------------------------------------------------------------------------------
  // Internals shared by the modules of the kernel

  /** @internal The calling thread may change the kernel (it is not a dump). */
  writable(call: string): void {
    if (this.readonly)
      throw new TypeError(`${call}: this kernel was read from a dump and cannot change`);
  }

  /** @internal */
  word(field: number): number {
    return this.u32[field >>> 2]!;
  }

  /** @internal */
  lockMeta(): void {
    if (this.shared) mutexLock(this.i32, KH_LOCK >>> 2);
  }

  /** @internal */
  unlockMeta(): void {
    if (this.shared) mutexUnlock(this.i32, KH_LOCK >>> 2);
  }

  /** @internal */
  lockDomain(d: number): void {
    if (this.shared) mutexLock(this.i32, (this.dh[d]! + DH_LOCK) >>> 2);
  }

  /** @internal */
  unlockDomain(d: number): void {
    if (this.shared) mutexUnlock(this.i32, (this.dh[d]! + DH_LOCK) >>> 2);
  }

  /** @internal Allocates zeroed bytes in the meta heap, or throws (the kernel's own state). */
  metaAlloc(call: string, bytes: number): number {
    const p = this.meta.calloc(1, bytes);
    if (p === 0) throw new RangeError(`${call}: the kernel's meta heap is full`);
    return p;
  }

  /**
   * @internal Allocates zeroed bytes for records that one CPU writes on its fast path: at a
   * multiple of PER_CPU_ALIGN, rounded up to one, so that no other CPU's record shares their
   * cache lines (nor the meta heap's block headers, which sit before the start).
   */
  metaAllocPerCpu(call: string, bytes: number): number {
    const n = Math.ceil(bytes / PER_CPU_ALIGN) * PER_CPU_ALIGN;
    const p = this.meta.alignedAlloc(PER_CPU_ALIGN, n);
    if (p === 0) throw new RangeError(`${call}: the kernel's meta heap is full`);
    this.u8.fill(0, p, p + n);
    return p;
  }

  /** @internal Whether domain `d` has fewer free pages than its minimum (its reserve). */
  belowMin(d: number): boolean {
    const dh = this.dh[d]! >>> 2;
    const u32 = this.u32;
    return (
      u32[dh + DH_CAP_PAGES / 4]! - u32[dh + DH_USED_PAGES / 4]! < u32[dh + DH_RESERVE_PAGES / 4]!
    );
  }

  /** @internal A domain iterator for `ds` (null: first-touch over every domain). */
  iterate(call: string, ds: Domainset | null, policy: number): DomainIterator {
    const order = ds === null ? this.allDomains() : orderOf(call, ds, this.ndomains);
    const prefer = ds === null ? -1 : ds.ds_prefer;
    if (prefer >= this.ndomains) {
      throw new RangeError(
        `${call}: the domainset prefers domain ${prefer}; the kernel has ${this.ndomains}`,
      );
    }
    return new DomainIterator(
      order,
      ds === null ? policy : ds.ds_policy,
      prefer,
      this.home,
      this.rr,
      (d) => this.belowMin(d),
    );
  }

  private all?: number[];

  /** @internal */
  allDomains(): number[] {
    return (this.all ??= Array.from({ length: this.ndomains }, (_, d) => d));
  }

  /** @internal Threads attached now (bits of the CPU map). */
  attachedCpus(): number {
    return this.i32[KH_CPUS >>> 2]!;
  }

  /** @internal Someone sleeps or awaits memory. */
  waiters(): number {
    return this.i32[KH_WAITERS >>> 2]!;
  }
}
