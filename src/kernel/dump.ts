/**
 * Kernel dumps: `dump(kernel)` makes a snapshot of the kernel's memory in which the pages of
 * M_NODUMP allocations are zeroed, and `readDump(bytes)` loads one back for inspection (types,
 * live blocks, `vmstat`, `check`). Because all of the allocator's state lives in its memory, a
 * copy of the bytes is a copy of the kernel.
 *
 * File format (all integers little-endian u32):
 *
 * ```
 *  offset  size     field
 *  0       8        magic "FTSKDUMP"
 *  8       4        format version (1)
 *  12      4        header bytes H (the data of the first extent starts there)
 *  16      4        total bytes of the kernel's memory
 *  20      4        page size (4096)
 *  24      4        E, the number of extents
 *  28      4        N, the number of M_NODUMP ranges
 *  32      8·E      extents: { address, length }, ascending, page-aligned: the pages that are
 *                   not all zero (every other byte of the memory is zero)
 *  32+8E   8·N      M_NODUMP ranges: { address, length }, the allocations left out (zeroed)
 *  H       …        the bytes of each extent, in order
 * ```
 *
 * The lock words in the copy are cleared, so a dump taken while some thread held a lock reads
 * as unlocked.
 */
import { Memory } from '../memory/index.js';
import { MALLOC_MAX_NAME, PAGE_SIZE } from './constants.js';
import { Kernel, kernelArg } from './kernel.js';
import { isLarge, largePages } from './large.js';
import {
  DH_LOCK,
  KH_LOCK,
  KH_MG_BASE,
  KH_MG_PAGES,
  KH_MG_TABLE,
  PT_KIND,
  PT_NODUMP,
  PT_SLAB,
  SH_BASE,
  TE_NAME,
} from './layout.js';
import { typeEntries } from './types.js';
import { allZones, bit, readName, useBits, zoneById } from './zone.js';

const MAGIC = 'FTSKDUMP';
const FORMAT = 1;

/**
 * A live allocation, as `liveBlocks` lists it.
 *
 * @category dump
 * @since 0.1.0
 */
export interface LiveBlock {
  /** Its address. */
  readonly address: number;
  /** Its usable bytes (the zone size, the pages, or a guarded block's requested size). */
  readonly size: number;
  /** Where it comes from: a zone (its name), large pages, or memguard. */
  readonly zone: string;
  /** For large allocations: made with M_NODUMP (left out of dumps). */
  readonly nodump: boolean;
}

/**
 * Every live allocation of the kernel, by address: zone items handed out (malloc zones and UMA
 * zones), large allocations, and memguard blocks. Items cached in buckets or free in slabs are
 * not live.
 *
 * @category dump
 * @since 0.1.0
 */
export const liveBlocks = (kernel: Kernel): LiveBlock[] => {
  const k = kernelArg('liveBlocks', kernel);
  const u32 = k.u32;
  const blocks: LiveBlock[] = [];
  const pages = k.total / PAGE_SIZE;
  for (let p = 0; p < pages; p++) {
    const e = u32[k.pt + p]!;
    if (e === 0) continue;
    if ((e & PT_KIND) === PT_SLAB) {
      const sh = e & ~15;
      const base = u32[(sh + SH_BASE) >>> 2]!;
      if (base !== p * PAGE_SIZE) continue;
      const z = zoneById(k, u32[sh >>> 2]!);
      for (let i = 0; i < z.ipers; i++) {
        if (bit(u32, useBits(z, sh), i))
          blocks.push({ address: base + i * z.size, size: z.size, zone: z.name, nodump: false });
      }
    } else if (isLarge(e)) {
      blocks.push({
        address: p * PAGE_SIZE,
        size: largePages(e) * PAGE_SIZE,
        zone: 'large',
        nodump: (e & PT_NODUMP) !== 0,
      });
    }
  }
  if (k.memguard) {
    const table = k.word(KH_MG_TABLE) >>> 2;
    const base = k.word(KH_MG_BASE);
    for (let p = 0; p < k.word(KH_MG_PAGES); p++) {
      const req = u32[table + 3 * p + 1]!;
      const run = u32[table + 3 * p + 2]!;
      if (u32[table + 3 * p] !== 2 || run === 0) continue;
      const guard = run > Math.ceil(req / PAGE_SIZE);
      const start = base + p * PAGE_SIZE;
      const address =
        guard && req < PAGE_SIZE ? start + PAGE_SIZE - Math.ceil(req / 16) * 16 : start;
      blocks.push({ address, size: req, zone: 'memguard', nodump: false });
    }
  }
  return blocks.sort((a, b) => a.address - b.address);
};

/** The M_NODUMP ranges of the kernel. */
const nodumpRanges = (k: Kernel): [number, number][] =>
  liveBlocks(k)
    .filter((b) => b.nodump)
    .map((b) => [b.address, b.size]);

/** Whether the page at `at` is all zero. */
const zeroPage = (u32: Uint32Array, at: number): boolean => {
  const end = (at + PAGE_SIZE) >>> 2;
  for (let i = at >>> 2; i < end; i++) if (u32[i] !== 0) return false;
  return true;
};

/**
 * A dump of the kernel (format in the module comment): every page that is not all zero, with the
 * pages of M_NODUMP allocations zeroed (FreeBSD's `M_NODUMP` applies to the page-backed path:
 * allocations larger than `kmem_zmax`, and `malloc_exec`). Taken under every domain's lock and
 * the kernel lock; other threads' buckets change without locks, so take it while they are quiet.
 *
 * @category dump
 * @since 0.1.0
 */
export const dump = (kernel: Kernel): Uint8Array => {
  const k = kernelArg('dump', kernel);
  for (let d = 0; d < k.ndomains; d++) k.lockDomain(d);
  k.lockMeta();
  try {
    const copy = k.u8.slice(0, k.total);
    const u32 = new Uint32Array(copy.buffer);
    const nodump = nodumpRanges(k);
    for (const [address, length] of nodump) copy.fill(0, address, address + length);
    u32[KH_LOCK >>> 2] = 0;
    for (const dh of k.dh) u32[(dh + DH_LOCK) >>> 2] = 0;
    const extents: [number, number][] = [];
    for (let at = 0; at < k.total; at += PAGE_SIZE) {
      if (zeroPage(u32, at)) continue;
      const last = extents[extents.length - 1];
      if (last !== undefined && last[0] + last[1] === at) last[1] += PAGE_SIZE;
      else extents.push([at, PAGE_SIZE]);
    }
    const header = 32 + 8 * extents.length + 8 * nodump.length;
    const bytes = extents.reduce((n, [, length]) => n + length, 0);
    const out = new Uint8Array(header + bytes);
    const dv = new DataView(out.buffer);
    out.set(new TextEncoder().encode(MAGIC), 0);
    dv.setUint32(8, FORMAT, true);
    dv.setUint32(12, header, true);
    dv.setUint32(16, k.total, true);
    dv.setUint32(20, PAGE_SIZE, true);
    dv.setUint32(24, extents.length, true);
    dv.setUint32(28, nodump.length, true);
    let at = 32;
    for (const [address, length] of [...extents, ...nodump]) {
      dv.setUint32(at, address, true);
      dv.setUint32(at + 4, length, true);
      at += 8;
    }
    let data = header;
    for (const [address, length] of extents) {
      out.set(copy.subarray(address, address + length), data);
      data += length;
    }
    return out;
  } finally {
    k.unlockMeta();
    for (let d = k.ndomains - 1; d >= 0; d--) k.unlockDomain(d);
  }
};

/**
 * A kernel loaded from a dump: its `kernel` is read-only (the inspection functions work on it:
 * `vmstat`, `memstat_malloc`, `memstat_uma`, `liveBlocks`, `check`, `malloc_usable_size`,
 * `malloc_desc2type`; allocating or freeing throws a `TypeError`).
 *
 * @category dump
 * @since 0.1.0
 */
export interface KernelDump {
  readonly kernel: Kernel;
  /** The M_NODUMP allocations the dump left out: `[address, length]`. */
  readonly nodump: readonly (readonly [number, number])[];
  /** The short descriptions of the registered types, newest first. */
  readonly types: readonly string[];
  /** The bytes at `[address, address + length)` as the dump holds them (a copy). */
  read(address: number, length: number): Uint8Array;
}

/**
 * Loads a dump made by {@link dump}. Throws a `TypeError` (starting with `readDump`) for bytes
 * that are not a dump of this format, or that are cut short.
 *
 * @category dump
 * @since 0.1.0
 */
export const readDump = (bytes: Uint8Array): KernelDump => {
  const bad = (why: string): never => {
    throw new TypeError(`readDump: not a kernel dump: ${why}`);
  };
  if (!(bytes instanceof Uint8Array)) bad('expected a Uint8Array');
  if (bytes.length < 32 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC)
    bad('wrong magic');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const word = (at: number): number => dv.getUint32(at, true);
  if (word(8) !== FORMAT) bad(`format version ${word(8)}, expected ${FORMAT}`);
  const header = word(12);
  const total = word(16);
  const extents = word(24);
  const ranges = word(28);
  if (word(20) !== PAGE_SIZE || header !== 32 + 8 * (extents + ranges) || header > bytes.length)
    bad('a broken header');
  const buffer = new ArrayBuffer(total);
  const memory = new Uint8Array(buffer);
  let data = header;
  for (let i = 0; i < extents; i++) {
    const address = word(32 + 8 * i);
    const length = word(36 + 8 * i);
    if (address + length > total || data + length > bytes.length)
      bad('an extent beyond the memory or the file');
    memory.set(bytes.subarray(data, data + length), address);
    data += length;
  }
  const nodump: [number, number][] = [];
  for (let i = 0; i < ranges; i++)
    nodump.push([word(32 + 8 * (extents + i)), word(36 + 8 * (extents + i))]);
  let kernel: Kernel;
  try {
    kernel = Kernel.inspect(Memory.from(buffer));
  } catch (error) {
    return bad(`the memory holds no kernel (${(error as Error).message})`);
  }
  allZones(kernel);
  const types = liveTypes(kernel);
  return {
    kernel,
    nodump,
    types,
    read: (address, length) => memory.slice(address, address + length),
  };
};

const liveTypes = (k: Kernel): string[] =>
  typeEntries(k).map((entry) => readName(k.u8, entry + TE_NAME, MALLOC_MAX_NAME));
