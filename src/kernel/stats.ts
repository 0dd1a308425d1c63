/**
 * Statistics as FreeBSD's tools show them: libmemstat's figures as objects
 * ({@link memstat_malloc}, {@link memstat_uma}), `vmstat -m` and `vmstat -z` in FreeBSD 14's
 * exact column layouts (or libxo's JSON), and the binary `kern.malloc_stats` stream.
 *
 * The derived figures of a malloc type are FreeBSD's uint64 arithmetic: `count` (InUse) =
 * numallocs − numfrees and `bytes` = memalloced − memfreed, modulo 2^64, as bigints — so a free
 * charged to the wrong type shows as 18446744073709551615 in use, exactly as FreeBSD shows it.
 */
import { KMEM_ZONE_SIZES, MALLOC_MAX_NAME, MALLOC_TYPE_STREAM_VERSION } from './constants.js';
import { left, right } from './format.js';
import { type Kernel, kernelArg } from './kernel.js';
import {
  BR_ALLOCS,
  BR_COUNT,
  BR_FAILS,
  BR_FREES,
  BR_SLEEPS,
  BR_XDOMAIN,
  KR_BUCKETS,
  KR_FREE_ITEMS,
  MTS_BYTES,
  MTS_MEMALLOCED,
  MTS_MEMFREED,
  MTS_NUMALLOCS,
  MTS_NUMFREES,
  MTS_SIZE,
  MTS_STRIDE,
  TE_NAME,
  TE_STATS,
} from './layout.js';
import { sumStats, typeEntries } from './types.js';
import { allZones, destroyed, readName, writeName, zoneLimit, type UmaZone } from './zone.js';

const U64 = 2n ** 64n;
const u64 = (x: bigint): bigint => ((x % U64) + U64) % U64;

/**
 * One malloc type's statistics, summed over the CPUs (libmemstat's `memory_type`).
 *
 * @category statistics
 * @since 0.1.0
 */
export interface MallocStatistics {
  /** The type's short description. */
  readonly name: string;
  /** Allocations in use: numallocs − numfrees, modulo 2^64 (`memstat_get_count`). */
  readonly count: bigint;
  /** Bytes in use: memalloced − memfreed, modulo 2^64 (`memstat_get_bytes`). */
  readonly bytes: bigint;
  /** Allocations ever made (`memstat_get_numallocs`, the Requests column). */
  readonly numallocs: number;
  /** Frees ever charged to the type. */
  readonly numfrees: number;
  /** Bytes ever allocated, bucket-rounded. */
  readonly memalloced: number;
  /** Bytes ever freed. */
  readonly memfreed: number;
  /** The malloc zone sizes the type has used (its `mts_size` bits), smallest first. */
  readonly sizes: readonly number[];
}

/**
 * One zone's statistics (libmemstat's view of a UMA zone, the columns of `vmstat -z`).
 *
 * @category statistics
 * @since 0.1.0
 */
export interface ZoneStatistics {
  readonly name: string;
  /** Item size. */
  readonly size: number;
  /** Item limit (0: none). */
  readonly limit: number;
  /** Items allocated now: allocations − frees. */
  readonly used: number;
  /** Items free: in the kegs' slabs and cached in every CPU's buckets. */
  readonly free: number;
  /** Allocations ever made (REQ). */
  readonly requests: number;
  /** Allocations that failed (FAIL). */
  readonly fail: number;
  /** Allocations that slept (SLEEP). */
  readonly sleep: number;
  /** Frees of items from another domain than the freeing CPU's (XDOMAIN). */
  readonly xdomain: number;
}

/** A type's statistics from its entry. */
const typeStatistics = (k: Kernel, entry: number): MallocStatistics => {
  const { memalloced, memfreed, numallocs, numfrees, size } = sumStats(k, entry);
  return {
    name: readName(k.u8, entry + TE_NAME, MALLOC_MAX_NAME),
    count: u64(BigInt(numallocs) - BigInt(numfrees)),
    bytes: u64(BigInt(memalloced) - BigInt(memfreed)),
    numallocs,
    numfrees,
    memalloced,
    memfreed,
    sizes: KMEM_ZONE_SIZES.filter((_, i) => (size & (1 << i)) !== 0),
  };
};

/**
 * Every registered malloc type's statistics, in list order (newest registered first), as
 * `memstat_sysctl_malloc` reads them.
 *
 * @category statistics
 * @since 0.1.0
 */
export const memstat_malloc = (kernel: Kernel): MallocStatistics[] => {
  const k = kernelArg('memstat_malloc', kernel);
  return typeEntries(k).map((entry) => typeStatistics(k, entry));
};

/** One zone's figures, summed over domains and CPUs. */
const zoneStatistics = (k: Kernel, z: UmaZone): ZoneStatistics => {
  let allocs = 0;
  let frees = 0;
  let fail = 0;
  let sleep = 0;
  let xdomain = 0;
  let free = 0;
  for (let d = 0; d < k.ndomains; d++) {
    const kr = z.kegs[d]!;
    free += k.u32[(kr + KR_FREE_ITEMS) >>> 2]!;
    for (let c = 0; c < k.maxCpus; c++) {
      const br = k.u32[((kr + KR_BUCKETS) >>> 2) + c]!;
      if (br === 0) continue;
      free += k.u32[(br + BR_COUNT) >>> 2]!;
      allocs += k.f64[(br + BR_ALLOCS) >>> 3]!;
      frees += k.f64[(br + BR_FREES) >>> 3]!;
      fail += k.f64[(br + BR_FAILS) >>> 3]!;
      sleep += k.f64[(br + BR_SLEEPS) >>> 3]!;
      xdomain += k.f64[(br + BR_XDOMAIN) >>> 3]!;
    }
  }
  return {
    name: z.name,
    size: z.size,
    limit: zoneLimit(z),
    used: allocs - frees,
    free,
    requests: allocs,
    fail,
    sleep,
    xdomain,
  };
};

/**
 * Every zone's statistics, in creation order (the malloc zones first), as `memstat_sysctl_uma`
 * reads them.
 *
 * @category statistics
 * @since 0.1.0
 */
export const memstat_uma = (kernel: Kernel): ZoneStatistics[] => {
  const k = kernelArg('memstat_uma', kernel);
  return allZones(k)
    .filter((z) => !destroyed(z))
    .map((z) => zoneStatistics(k, z));
};

/** `vmstat -m`: FreeBSD 14's `domemstat_malloc`. */
const vmstatM = (k: Kernel): string => {
  const lines = [
    `${right('Type', 13)} ${right('InUse', 5)} ${right('MemUse', 6)} ${right('Requests', 8)}  Size(s)\n`,
  ];
  for (const t of memstat_malloc(k)) {
    if (t.numallocs === 0 && t.count === 0n) continue;
    const memuse = u64(t.bytes + 1023n) / 1024n;
    lines.push(
      `${right(t.name, 13)} ${right(t.count, 5)} ${right(memuse, 5)}K ${right(t.numallocs, 8)}  ${t.sizes.join(',')}\n`,
    );
  }
  return lines.join('');
};

/** `vmstat -z`: FreeBSD 14's `domemstat_zone`. */
const vmstatZ = (k: Kernel): string => {
  const header =
    `${left('ITEM', 20)} ${right('SIZE', 6)} ${right('LIMIT', 6)} ${right('USED', 8)} ${right('FREE', 8)} ` +
    `${right('REQ', 8)} ${right('FAIL', 8)}${right('SLEEP', 4)} ${right('XDOMAIN', 4)}\n`;
  const lines = [header];
  for (const z of memstat_uma(k)) {
    const name = `${shortName(z.name)}:`;
    lines.push(
      `${left(name, 20)} ${right(z.size, 6)}, ${right(z.limit, 6)},${right(z.used, 8)},${right(z.free, 8)},` +
        `${right(z.requests, 8)},${right(z.fail, 4)},${right(z.sleep, 4)},${right(z.xdomain, 4)}\n`,
    );
  }
  return lines.join('');
};

/** A name as `strlcpy(name, …, MEMTYPE_MAXNAME)` keeps it: 31 bytes. */
const shortName = (name: string): string => {
  const bytes = new Uint8Array(32);
  writeName(bytes, 0, 32, name);
  return readName(bytes, 0, 32);
};

/** `vmstat -m --libxo json`. */
const vmstatMJson = (k: Kernel): string =>
  // In-use counts are uint64 (2^64 − 1 after a wrong-type free): written as JSON numbers exactly.
  JSON.stringify({
    'malloc-statistics': {
      memory: memstat_malloc(k)
        .filter((t) => !(t.numallocs === 0 && t.count === 0n))
        .map((t) => ({
          type: t.name,
          'in-use': `${BIG}${t.count}`,
          'memory-use': Number(u64(t.bytes + 1023n) / 1024n),
          requests: t.numallocs,
          size: t.sizes,
        })),
    },
  }).replace(new RegExp(`"${BIG}(\\d+)"`, 'g'), '$1');

const BIG = '@@uint64:';

/** `vmstat -z --libxo json`. */
const vmstatZJson = (k: Kernel): string =>
  JSON.stringify({
    'memory-zone-statistics': {
      zone: memstat_uma(k).map((z) => ({
        name: shortName(z.name),
        size: z.size,
        limit: z.limit,
        used: z.used,
        free: z.free,
        requests: z.requests,
        fail: z.fail,
        sleep: z.sleep,
        xdomain: z.xdomain,
      })),
    },
  });

/**
 * `vmstat -m` (malloc types: `Type InUse MemUse Requests Size(s)`) or `vmstat -z` (zones:
 * `ITEM SIZE LIMIT USED FREE REQ FAIL SLEEP XDOMAIN`), in FreeBSD 14's exact layouts, newline
 * after each line. `-m` lists types newest registered first and leaves out a type with no
 * requests and nothing in use; `-z` lists every zone in creation order. With
 * `{ libxo: 'json' }`, libxo's JSON with FreeBSD's keys.
 *
 * @category statistics
 * @since 0.1.0
 */
export const vmstat = (
  kernel: Kernel,
  flag: '-m' | '-z',
  options: { readonly libxo?: 'json' } = {},
): string => {
  const k = kernelArg('vmstat', kernel);
  if (flag !== '-m' && flag !== '-z')
    throw new RangeError(`vmstat: flag must be '-m' or '-z', got ${String(flag)}`);
  if (options.libxo === 'json') return flag === '-m' ? vmstatMJson(k) : vmstatZJson(k);
  return flag === '-m' ? vmstatM(k) : vmstatZ(k);
};

/**
 * The `kern.malloc_stats` sysctl: a 16-byte header `{u32 version = 1, u32 maxcpus, u32 count,
 * u32 pad}`, then per type (list order) 32 bytes of name (strlcpy: 31 bytes and a NUL) and
 * `maxcpus` × the 64-byte `struct malloc_type_stats` (eight uint64s: memalloced, memfreed,
 * numallocs, numfrees, size, three reserved), little-endian. MAXCPU is the
 * kernel's `maxCpus`.
 *
 * @category statistics
 * @since 0.1.0
 */
export const kern_malloc_stats = (kernel: Kernel): Uint8Array => {
  const k = kernelArg('kern_malloc_stats', kernel);
  const entries = typeEntries(k);
  const record = MALLOC_MAX_NAME + MTS_BYTES * k.maxCpus;
  const out = new Uint8Array(16 + record * entries.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MALLOC_TYPE_STREAM_VERSION, true);
  dv.setUint32(4, k.maxCpus, true);
  dv.setUint32(8, entries.length, true);
  entries.forEach((entry, n) => {
    const at = 16 + n * record;
    writeName(out, at, MALLOC_MAX_NAME, readName(k.u8, entry + TE_NAME, MALLOC_MAX_NAME));
    const stats = k.u32[(entry + TE_STATS) >>> 2]!;
    for (let c = 0; c < k.maxCpus; c++) {
      const s = stats + MTS_STRIDE * c;
      const o = at + MALLOC_MAX_NAME + MTS_BYTES * c;
      dv.setBigUint64(o, BigInt(k.f64[(s + MTS_MEMALLOCED) >>> 3]!), true);
      dv.setBigUint64(o + 8, BigInt(k.f64[(s + MTS_MEMFREED) >>> 3]!), true);
      dv.setBigUint64(o + 16, BigInt(k.f64[(s + MTS_NUMALLOCS) >>> 3]!), true);
      dv.setBigUint64(o + 24, BigInt(k.f64[(s + MTS_NUMFREES) >>> 3]!), true);
      dv.setUint32(o + 32, k.u32[(s + MTS_SIZE) >>> 2]!, true);
    }
  });
  return out;
};
