/**
 * The sysctl(3) names of malloc(9), UMA, memguard(9) and redzone(9) that a program reads or
 * tunes, with FreeBSD's names and meanings. Names that exist only with an option (memguard,
 * redzone, MALLOC_MAKE_FAILURES) are unknown without it, as in FreeBSD.
 */
import { describeValue, toSize } from './arguments.js';
import { KMEM_ZONE_SIZES, PAGE_SIZE } from './constants.js';
import { type Kernel, kernelArg } from './kernel.js';
import {
  DH_CAP_PAGES,
  DH_USED_PAGES,
  KH_FAILURE_COUNT,
  KH_FAILURE_RATE,
  KH_MG_BASE,
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
  KH_MG_USED,
  KH_MG_WASTED,
  KH_REDZONE_EXTRA,
  KH_REDZONE_PANIC,
  KH_TYPECOUNT,
} from './layout.js';
import { memguardDesc } from './memguard.js';
import { kern_malloc_stats } from './stats.js';
import { writeName } from './zone.js';

/**
 * A value a sysctl name holds.
 *
 * @category sysctl
 * @since 0.1.0
 */
export type SysctlValue = number | string | readonly number[] | Uint8Array;

interface Oid {
  readonly when?: (k: Kernel) => boolean;
  get(k: Kernel): SysctlValue;
  set?(k: Kernel, value: unknown): void;
}

const counter =
  (field: number): Oid['get'] =>
  (k) =>
    k.f64[field >>> 3]!;
const word =
  (field: number): Oid['get'] =>
  (k) =>
    k.word(field);
const setWord = (field: number) => (k: Kernel, value: unknown) => {
  k.u32[field >>> 2] = toSize('sysctl', 'value', value);
};
const memguard = (k: Kernel): boolean => k.memguard;

const pagesInUse = (k: Kernel): number =>
  k.dh.reduce((n, dh) => n + k.u32[(dh + DH_USED_PAGES) >>> 2]!, 0) * PAGE_SIZE;
const pagesCap = (k: Kernel): number =>
  k.dh.reduce((n, dh) => n + k.u32[(dh + DH_CAP_PAGES) >>> 2]!, 0) * PAGE_SIZE;

const OIDS: Record<string, Oid> = {
  'kern.malloc_count': { get: word(KH_TYPECOUNT) },
  'kern.malloc_stats': { get: (k) => kern_malloc_stats(k) },
  'vm.malloc.zone_count': { get: () => KMEM_ZONE_SIZES.length + 1 },
  'vm.malloc.zone_sizes': { get: () => [...KMEM_ZONE_SIZES, 0] },
  'vm.kmem_zmax': { get: (k) => k.kmem_zmax },
  'vm.kmem_size': { get: pagesCap },
  'vm.kmem_map_size': { get: pagesInUse },
  'vm.kmem_map_free': { get: (k) => Math.max(0, pagesCap(k) - pagesInUse(k)) },
  'vm.ndomains': { get: (k) => k.ndomains },
  'debug.malloc.failure_rate': {
    when: (k) => k.makeFailures,
    get: word(KH_FAILURE_RATE),
    set: setWord(KH_FAILURE_RATE),
  },
  'debug.malloc.failure_count': { when: (k) => k.makeFailures, get: word(KH_FAILURE_COUNT) },
  'vm.memguard.desc': {
    when: memguard,
    get: memguardDesc,
    set: (k, value) => {
      if (typeof value !== 'string')
        throw new TypeError(`sysctl: vm.memguard.desc takes a string, got ${describeValue(value)}`);
      writeName(k.u8, KH_MG_DESC, 32, value);
    },
  },
  'vm.memguard.options': { when: memguard, get: word(KH_MG_OPTIONS), set: setWord(KH_MG_OPTIONS) },
  'vm.memguard.minsize': { when: memguard, get: word(KH_MG_MINSIZE), set: setWord(KH_MG_MINSIZE) },
  'vm.memguard.frequency': {
    when: memguard,
    get: word(KH_MG_FREQUENCY),
    set: setWord(KH_MG_FREQUENCY),
  },
  'vm.memguard.mapsize': { when: memguard, get: (k) => k.word(KH_MG_PAGES) * PAGE_SIZE },
  'vm.memguard.phys_limit': { when: memguard, get: word(KH_MG_PHYSLIMIT) },
  'vm.memguard.mapstart': { when: memguard, get: word(KH_MG_BASE) },
  'vm.memguard.maplimit': {
    when: memguard,
    get: (k) => k.word(KH_MG_BASE) + k.word(KH_MG_PAGES) * PAGE_SIZE,
  },
  'vm.memguard.mapused': { when: memguard, get: (k) => k.word(KH_MG_USED) * PAGE_SIZE },
  'vm.memguard.wasted': { when: memguard, get: counter(KH_MG_WASTED) },
  'vm.memguard.numalloc': { when: memguard, get: counter(KH_MG_NUMALLOC) },
  'vm.memguard.fail_kva': { when: memguard, get: counter(KH_MG_FAIL_KVA) },
  'vm.memguard.fail_pgs': { when: memguard, get: counter(KH_MG_FAIL_PGS) },
  'vm.memguard.minsize_reject': { when: memguard, get: counter(KH_MG_MINSIZE_REJECT) },
  'vm.memguard.frequency_hits': { when: memguard, get: counter(KH_MG_FREQUENCY_HITS) },
  'vm.redzone.panic': {
    when: (k) => k.redzone,
    get: word(KH_REDZONE_PANIC),
    set: (k, value) => {
      k.u32[KH_REDZONE_PANIC >>> 2] = toSize('sysctl', 'value', value) === 0 ? 0 : 1;
    },
  },
  'vm.redzone.extra_mem': { when: (k) => k.redzone, get: counter(KH_REDZONE_EXTRA) },
};

/**
 * Reads the sysctl `name` (`sysctlbyname(3)`), and with `value` writes it first (for the
 * writable ones: `debug.malloc.failure_rate`, `vm.memguard.desc`, `.options`, `.minsize`,
 * `.frequency`, `vm.redzone.panic`). Returns the value (the old one when writing, as
 * `sysctlbyname`'s oldp does). Throws a `RangeError` for a name the kernel does not have (ENOENT)
 * and a `TypeError` for writing a read-only name (EPERM).
 *
 * @category sysctl
 * @since 0.1.0
 */
export const sysctl = (kernel: Kernel, name: string, value?: unknown): SysctlValue => {
  kernelArg('sysctl', kernel);
  const oid = Object.prototype.hasOwnProperty.call(OIDS, name) ? OIDS[name] : undefined;
  if (oid === undefined || (oid.when !== undefined && !oid.when(kernel))) {
    throw new RangeError(`sysctl: unknown oid ${JSON.stringify(name)}`);
  }
  const old = oid.get(kernel);
  if (value !== undefined) {
    if (oid.set === undefined) throw new TypeError(`sysctl: ${name} is read-only`);
    kernel.writable('sysctl');
    oid.set(kernel, value);
  }
  return old;
};

/**
 * The sysctl names this kernel has.
 *
 * @category sysctl
 * @since 0.1.0
 */
export const sysctl_names = (kernel: Kernel): string[] =>
  Object.keys(OIDS).filter((name) => OIDS[name]!.when?.(kernel) ?? true);
