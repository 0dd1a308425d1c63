/**
 * Malloc types (`struct malloc_type`): the unit of accounting. Each type has an entry in the
 * kernel's meta heap (name, version, link of the type list) and per-CPU statistics (64 bytes per
 * CPU, `struct malloc_type_stats`), written by their CPU without locks and summed by readers.
 */
import { describeValue } from './arguments.js';
import { MALLOC_MAX_NAME } from './constants.js';
import { panic } from './errors.js';
import { type Kernel, kernelArg } from './kernel.js';
import {
  KH_TYPECOUNT,
  KH_TYPES,
  MTS_STRIDE,
  MTS_MEMALLOCED,
  MTS_MEMFREED,
  MTS_NUMALLOCS,
  MTS_NUMFREES,
  MTS_SIZE,
  TE_BYTES,
  TE_FLAGS,
  TE_NAME,
  TE_NEXT,
  TE_REGISTERED,
  TE_SEQ,
  TE_STATS,
  TE_VERSION,
} from './layout.js';
import { readName, writeName } from './zone.js';

/**
 * A malloc type (`struct malloc_type`), as this thread sees it. Made by {@link MALLOC_DEFINE}
 * (or {@link malloc_type} and {@link malloc_init}), found by {@link MALLOC_DECLARE} in another
 * thread. The malloc(9) functions take the kernel from their type.
 *
 * @category types
 * @since 0.1.0
 */
export class MallocType {
  /** The short description (`ks_shortdesc`): the name `vmstat -m` prints. */
  readonly ks_shortdesc: string;
  /** @internal Address of the type's entry in the meta heap. */
  readonly entry: number;
  /**
   * @internal Float64 index of this CPU's statistics, or −1 while the type is not registered
   * (in this thread's view).
   */
  slot = -1;

  /** @internal */
  constructor(
    /** The kernel the type belongs to. */
    readonly kernel: Kernel,
    entry: number,
    shortdesc: string,
  ) {
    this.entry = entry;
    this.ks_shortdesc = shortdesc;
    this.refresh();
  }

  /**
   * The type's version (`ks_version`), which must be the kernel's `M_VERSION`. Writable, as the
   * field of a C struct is: a type whose version is wrong is what INVARIANTS' checks catch.
   */
  get ks_version(): number {
    return this.kernel.u32[(this.entry + TE_VERSION) >>> 2]!;
  }

  set ks_version(version: number) {
    this.kernel.u32[(this.entry + TE_VERSION) >>> 2] = version >>> 0;
  }

  /** Whether the type is in the kernel's type list (between malloc_init and malloc_uninit). */
  get registered(): boolean {
    return (this.kernel.u32[(this.entry + TE_FLAGS) >>> 2]! & TE_REGISTERED) !== 0;
  }

  /** @internal Reads where this CPU's statistics are. */
  refresh(): void {
    const stats = this.kernel.u32[(this.entry + TE_STATS) >>> 2]!;
    this.slot =
      this.registered && stats !== 0 && this.kernel.cpu >= 0
        ? (stats + MTS_STRIDE * this.kernel.cpu) >>> 3
        : -1;
  }
}

/** This thread's handle of the type entry at `entry`. */
export const typeAt = (k: Kernel, entry: number): MallocType => {
  let type = k.types.get(entry) as MallocType | undefined;
  if (type === undefined) {
    type = new MallocType(k, entry, readName(k.u8, entry + TE_NAME, MALLOC_MAX_NAME));
    k.types.set(entry, type);
  }
  return type;
};

const checkDesc = (call: string, shortdesc: unknown): string => {
  if (typeof shortdesc === 'string' && shortdesc.length > 0) return shortdesc;
  throw new TypeError(
    `${call}: shortdesc must be a non-empty string, got ${describeValue(shortdesc)}`,
  );
};

/**
 * A malloc type that is not registered yet: `struct malloc_type` with `ks_version` (default the
 * kernel's `M_VERSION`) and `ks_shortdesc`, as `MALLOC_DEFINE` lays it out before its SYSINIT
 * runs {@link malloc_init}. The name is kept to 31 bytes, as `MALLOC_MAX_NAME` allows.
 *
 * @category types
 * @since 0.1.0
 */
export const malloc_type = (
  kernel: Kernel,
  shortdesc: string,
  options: { readonly version?: number } = {},
): MallocType => {
  const k = kernelArg('malloc_type', kernel);
  k.writable('malloc_type');
  const desc = checkDesc('malloc_type', shortdesc);
  k.lockMeta();
  try {
    const entry = k.metaAlloc('malloc_type', TE_BYTES);
    writeName(k.u8, entry + TE_NAME, MALLOC_MAX_NAME, desc);
    k.u32[(entry + TE_VERSION) >>> 2] = (options.version ?? k.M_VERSION) >>> 0;
    const type = new MallocType(k, entry, desc);
    k.types.set(entry, type);
    return type;
  } finally {
    k.unlockMeta();
  }
};

/**
 * Registers a type (`malloc_init`): panics with FreeBSD's message when its version is not the
 * kernel's `M_VERSION`; otherwise gives it zeroed per-CPU statistics and puts it at the head of
 * the type list (newest first, as `vmstat -m` lists them). Registering a registered type does
 * nothing (FreeBSD would corrupt its list).
 *
 * @category types
 * @since 0.1.0
 */
export const malloc_init = (type: MallocType): void => {
  if (!(type instanceof MallocType)) throw new TypeError('malloc_init: not a malloc type');
  const k = type.kernel;
  k.writable('malloc_init');
  if (type.ks_version !== k.M_VERSION) {
    panic(
      'malloc_init',
      `malloc_init: type ${type.ks_shortdesc} with unsupported version ${type.ks_version}`,
    );
  }
  if (type.registered) return;
  k.lockMeta();
  try {
    const u32 = k.u32;
    const e = type.entry >>> 2;
    let stats = u32[e + TE_STATS / 4]!;
    if (stats === 0) stats = k.metaAllocPerCpu('malloc_init', MTS_STRIDE * k.maxCpus);
    else k.u8.fill(0, stats, stats + MTS_STRIDE * k.maxCpus);
    u32[e + TE_STATS / 4] = stats;
    u32[e + TE_NEXT / 4] = k.word(KH_TYPES);
    u32[e + TE_SEQ / 4] = k.word(KH_TYPECOUNT);
    u32[KH_TYPES >>> 2] = type.entry;
    u32[KH_TYPECOUNT >>> 2]! += 1;
    u32[e + TE_FLAGS / 4]! |= TE_REGISTERED;
  } finally {
    k.unlockMeta();
  }
  type.refresh();
};

/**
 * Defines and registers a malloc type (`MALLOC_DEFINE(type, shortdesc, longdesc)`) in `kernel`.
 * `longdesc` is discarded, as FreeBSD discards it. Returns the type.
 *
 * @category types
 * @since 0.1.0
 */
export const MALLOC_DEFINE = (
  kernel: Kernel,
  shortdesc: string,
  _longdesc?: string,
): MallocType => {
  const type = malloc_type(kernel, shortdesc);
  malloc_init(type);
  return type;
};

/**
 * The registered type named `shortdesc` (`MALLOC_DECLARE`): how another thread (a worker that
 * attached the kernel) uses a type the booting thread defined. Throws a `TypeError` when no
 * registered type has that name.
 *
 * @category types
 * @since 0.1.0
 */
export const MALLOC_DECLARE = (kernel: Kernel, shortdesc: string): MallocType => {
  const type = malloc_desc2type(kernel, shortdesc);
  if (type === null) {
    throw new TypeError(
      `MALLOC_DECLARE: no malloc type named ${JSON.stringify(shortdesc)} is registered`,
    );
  }
  return type;
};

/**
 * Unregisters a type (`malloc_uninit`): unlinks it and, when its statistics show memory still
 * allocated, prints FreeBSD's leak warning. Under INVARIANTS a wrong version or a type not in the
 * list panics, as FreeBSD's KASSERTs do; without, they are ignored.
 *
 * @category types
 * @since 0.1.0
 */
export const malloc_uninit = (type: MallocType): void => {
  if (!(type instanceof MallocType)) throw new TypeError('malloc_uninit: not a malloc type');
  const k = type.kernel;
  k.writable('malloc_uninit');
  if (k.invariants && type.ks_version !== k.M_VERSION) {
    panic('malloc_uninit', 'malloc_uninit: bad malloc type version');
  }
  if (!type.registered) {
    if (k.invariants)
      panic('malloc_uninit', `malloc_uninit: type '${type.ks_shortdesc}' not found`);
    return;
  }
  k.lockMeta();
  try {
    const u32 = k.u32;
    const next = u32[(type.entry + TE_NEXT) >>> 2]!;
    let at = KH_TYPES;
    while (u32[at >>> 2] !== type.entry) at = u32[at >>> 2]! + TE_NEXT;
    u32[at >>> 2] = next;
    u32[KH_TYPECOUNT >>> 2]! -= 1;
    u32[(type.entry + TE_FLAGS) >>> 2]! &= ~TE_REGISTERED;
  } finally {
    k.unlockMeta();
  }
  const { allocs, bytes } = leakOf(k, type.entry);
  type.refresh();
  if (allocs > 0n || bytes > 0n) {
    k.printf(
      `Warning: memory type ${type.ks_shortdesc} leaked memory on destroy ` +
        `(${allocs} allocations, ${bytes} bytes leaked).\n`,
    );
  }
};

/**
 * A type's statistics summed over every CPU (each CPU writes its own 64 bytes without a lock;
 * readers add them up): bytes and calls allocated and freed, and the zone bits of `mts_size`.
 *
 * @internal
 */
export const sumStats = (
  k: Kernel,
  entry: number,
): { memalloced: number; memfreed: number; numallocs: number; numfrees: number; size: number } => {
  const stats = k.u32[(entry + TE_STATS) >>> 2]!;
  let memalloced = 0;
  let memfreed = 0;
  let numallocs = 0;
  let numfrees = 0;
  let size = 0;
  for (let c = 0; c < k.maxCpus; c++) {
    const s = stats + MTS_STRIDE * c;
    memalloced += k.f64[(s + MTS_MEMALLOCED) >>> 3]!;
    memfreed += k.f64[(s + MTS_MEMFREED) >>> 3]!;
    numallocs += k.f64[(s + MTS_NUMALLOCS) >>> 3]!;
    numfrees += k.f64[(s + MTS_NUMFREES) >>> 3]!;
    size |= k.u32[(s + MTS_SIZE) >>> 2]!;
  }
  return { memalloced, memfreed, numallocs, numfrees, size };
};

/** The `long` differences malloc_uninit computes (negative after frees charged to the type). */
const leakOf = (k: Kernel, entry: number): { allocs: bigint; bytes: bigint } => {
  const t = sumStats(k, entry);
  return { allocs: BigInt(t.numallocs - t.numfrees), bytes: BigInt(t.memalloced - t.memfreed) };
};

/**
 * The registered type named `desc` (`malloc_desc2type`), or `null`.
 *
 * @category types
 * @since 0.1.0
 */
export const malloc_desc2type = (kernel: Kernel, desc: string): MallocType | null => {
  const k = kernelArg('malloc_desc2type', kernel);
  for (const entry of typeEntries(k)) {
    if (readName(k.u8, entry + TE_NAME, MALLOC_MAX_NAME) === desc) return typeAt(k, entry);
  }
  return null;
};

/**
 * Calls `fn` with every registered type (`malloc_type_list`), newest first, after taking a
 * snapshot of the list (so `fn` may register and unregister types).
 *
 * @category types
 * @since 0.1.0
 */
export const malloc_type_list = <A>(
  kernel: Kernel,
  fn: (type: MallocType, arg: A) => void,
  arg: A,
): void => {
  const k = kernelArg('malloc_type_list', kernel);
  for (const entry of typeEntries(k)) fn(typeAt(k, entry), arg);
};

/**
 * The entries of the type list, newest first (a snapshot, taken under the kernel lock).
 *
 * @internal
 */
export const typeEntries = (k: Kernel): number[] => {
  const entries: number[] = [];
  k.lockMeta();
  try {
    for (let e = k.word(KH_TYPES); e !== 0; e = k.u32[(e + TE_NEXT) >>> 2]!) entries.push(e);
  } finally {
    k.unlockMeta();
  }
  return entries;
};
