/**
 * Booting a kernel, joining it from a worker, and leaving it.
 */
import { describeValue, toSize } from './arguments.js';
import { KMEM_ZONE_SIZES, UMA_ALIGN_PTR, UMA_ZONE_MALLOC } from './constants.js';
import { Kernel, kernelArg, type AttachOptions, type BootOptions } from './kernel.js';
import { KH_CPUS, KH_MG_DESC, KH_MG_FREQUENCY, ZF_MALLOC } from './layout.js';
import type { Memory, MemorySource } from '../memory/index.js';
import { MALLOC_DEFINE } from './types.js';
import { KEEP_FREE_SLABS, ZF_TRASH, createZone, drainCpu, writeName, zoneById } from './zone.js';

/**
 * Boots a kernel (`mallocinit` and the SYSINITs of kern_malloc.c): makes its memory (a
 * `SharedArrayBuffer` with `shared: true`), one heap per domain, the malloc zones
 * (`malloc-16` … `malloc-65536`, with INVARIANTS' trash checks when `invariants` is on) and the
 * types kern_malloc.c defines — `cache`, `devbuf`, `temp` (M_CACHE, M_DEVBUF, M_TEMP: reach them
 * with `MALLOC_DECLARE(kernel, 'temp')`). The calling thread is CPU 0, home domain 0.
 *
 * The memory is reserved at boot for every domain at its largest (`domainBytes`); a domain's
 * heap starts at `initialBytes` and grows on demand. Pages nobody has written cost nothing:
 * engines and operating systems commit them lazily.
 *
 * Throws a `RangeError` starting with `boot` for an option out of range, or when the domains
 * need more than 4 GiB.
 *
 * @category kernel
 * @since 0.1.0
 */
export const boot = (options: BootOptions = {}): Kernel => {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`boot: options must be an object, got ${describeValue(options)}`);
  }
  shapeKeeper.kernel ??= setUp(Kernel.format(TINY), TINY);
  return setUp(Kernel.format(options), options);
};

/** The smallest kernel: what the shape keeper boots. */
const TINY: BootOptions = { domainBytes: 128 * 1024, initialBytes: 128 * 1024, maxCpus: 1 };

/**
 * A small kernel that lives as long as the program (booted with the first kernel), so that V8
 * keeps the hidden classes of `Kernel`, `UmaZone`, `MallocType` and the heaps alive between
 * short-lived kernels (one per test, per request, per benchmark run): without it every optimized
 * malloc and free is thrown away when the last kernel is collected, and compiled again while the
 * next one works (the lesson of `shapeKeepers` in heap/heap.ts). `boot()` reads it, so a bundler
 * keeps it too. Exported so that V8 keeps it.
 *
 * @internal
 */
export const shapeKeeper: { kernel?: Kernel } = {};

/** The zones, memguard settings and predefined types of a formatted kernel. */
const setUp = (k: Kernel, options: BootOptions): Kernel => {
  const mg = typeof options.memguard === 'object' ? options.memguard : undefined;
  if (mg !== undefined) {
    if (mg.desc !== undefined && typeof mg.desc !== 'string')
      throw new TypeError('boot: memguard.desc must be a string');
    writeName(k.u8, KH_MG_DESC, 32, mg.desc ?? '');
    k.u32[KH_MG_FREQUENCY >>> 2] = toSize('boot', 'memguard.frequency', mg.frequency ?? 0);
  }
  for (const size of KMEM_ZONE_SIZES) {
    createZone(
      k,
      'boot',
      `malloc-${size}`,
      size,
      UMA_ALIGN_PTR,
      UMA_ZONE_MALLOC,
      ZF_MALLOC | (k.invariants ? ZF_TRASH : 0),
    );
  }
  MALLOC_DEFINE(k, 'cache', 'Various Dynamically allocated caches');
  MALLOC_DEFINE(k, 'devbuf', 'device driver memory');
  MALLOC_DEFINE(k, 'temp', 'misc temporary data buffers');
  return k;
};

/**
 * Joins a kernel from another thread: `source` is the kernel's memory (`kernel.memory.source`,
 * the `SharedArrayBuffer` a worker receives). Takes a free CPU number; `domain` sets the
 * thread's home domain (what first-touch allocations use; default its CPU number modulo the
 * domains). Types and zones are reached by name (`MALLOC_DECLARE`, `findZone`).
 *
 * Throws a `TypeError` when `source` holds no kernel, and a `RangeError` when all CPUs are
 * attached (`maxCpus`) or `domain` is not one of the kernel's.
 *
 * @category kernel
 * @since 0.1.0
 */
export const attach = (source: Memory | MemorySource, options: AttachOptions = {}): Kernel => {
  const k = Kernel.join(source, options);
  for (let id = 0; id < KMEM_ZONE_SIZES.length; id++) zoneById(k, id);
  return k;
};

/**
 * Leaves the kernel from this thread: gives every item cached in this CPU's buckets back to
 * the kegs and frees the CPU number (FreeBSD's CPUs do not go away; a worker that ends should
 * detach, or its cached items stay in its buckets). The `Kernel` object must not be used after.
 *
 * @category kernel
 * @since 0.1.0
 */
export const detach = (kernel: Kernel): void => {
  kernelArg('detach', kernel);
  kernel.writable('detach');
  drainCpu(kernel, KEEP_FREE_SLABS);
  Atomics.and(kernel.i32, KH_CPUS >>> 2, ~(1 << kernel.cpu));
};
