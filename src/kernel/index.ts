/**
 * The FreeBSD malloc(9) personality: a kernel of memory domains (each a heap of its own, in one
 * memory that workers can share), malloc types with per-CPU statistics, UMA zones with per-CPU
 * buckets, FreeBSD's flags at FreeBSD's values, `vmstat -m` and `vmstat -z`, INVARIANTS,
 * redzone(9), memguard(9), domainset(9) policies, dumps, and M_WAITOK that sleeps until another
 * thread frees memory. FreeBSD's names throughout; see docs/kernel.md.
 *
 * @packageDocumentation
 */
export { boot, attach, detach } from './boot.js';
export { Kernel } from './kernel.js';
export type {
  BootOptions,
  AttachOptions,
  MemguardOptions,
  Compat,
  EventHandlerTag,
} from './kernel.js';
export { KernelPanic } from './errors.js';
export {
  MallocType,
  MALLOC_DEFINE,
  MALLOC_DECLARE,
  malloc_type,
  malloc_init,
  malloc_uninit,
  malloc_desc2type,
  malloc_type_list,
} from './types.js';
export {
  malloc,
  free,
  zfree,
  realloc,
  reallocf,
  mallocarray,
  mallocarray_domainset,
  malloc_domainset,
  malloc_exec,
  malloc_domainset_exec,
  malloc_aligned,
  malloc_domainset_aligned,
  malloc_usable_size,
  malloc_size,
  mallocAsync,
} from './malloc.js';
export { UmaZone, type uma_ctor, type uma_dtor, type uma_init, type uma_fini } from './zone.js';
export {
  uma_zcreate,
  uma_zdestroy,
  uma_zalloc,
  uma_zalloc_arg,
  uma_zalloc_domain,
  uma_zfree,
  uma_zfree_arg,
  uma_zone_set_max,
  uma_zone_get_max,
  uma_zone_get_cur,
  uma_reclaim,
  uma_zone_reclaim,
  findZone,
} from './uma.js';
export {
  type Domainset,
  ALL_DOMAINS,
  DOMAINSET_RR,
  DOMAINSET_FT,
  DOMAINSET_IL,
  DOMAINSET_FIXED,
  DOMAINSET_PREF,
  domainset_create,
} from './domainset.js';
export {
  vmstat,
  memstat_malloc,
  memstat_uma,
  kern_malloc_stats,
  type MallocStatistics,
  type ZoneStatistics,
} from './stats.js';
export { check } from './check.js';
export { dump, readDump, liveBlocks, type KernelDump, type LiveBlock } from './dump.js';
export { sysctl, sysctl_names, type SysctlValue } from './sysctl.js';
export { copyin, copyout, bcopy, bzero, memset, vm_phys_domain } from './access.js';
export { VM_LOW_KMEM } from './wait.js';
export {
  M_NOWAIT,
  M_WAITOK,
  M_NORECLAIM,
  M_ZERO,
  M_NOVM,
  M_USE_RESERVE,
  M_NODUMP,
  M_FIRSTFIT,
  M_BESTFIT,
  M_EXEC,
  M_NEXTFIT,
  M_NEVERFREED,
  M_VERSION_14,
  M_VERSION_15,
  MALLOC_MAX_NAME,
  MALLOC_TYPE_STREAM_VERSION,
  PAGE_SIZE,
  MINALLOCSIZE,
  KMEM_ZMAX,
  KMEM_ZONE_SIZES,
  MAXMEMDOM,
  MAXCPU,
  UMA_ZONE_ZINIT,
  UMA_ZONE_NOTOUCH,
  UMA_ZONE_NOFREE,
  UMA_ZONE_NOBUCKET,
  UMA_ZONE_MAXBUCKET,
  UMA_ZONE_NODUMP,
  UMA_ZONE_FIRSTTOUCH,
  UMA_ZONE_ROUNDROBIN,
  UMA_ALIGN_PTR,
  UMA_ALIGN_LONG,
  UMA_ALIGN_INT,
  UMA_ALIGN_SHORT,
  UMA_ALIGN_CHAR,
  UMA_ALIGN_CACHE,
  UMA_ANYDOMAIN,
  UMA_RECLAIM_DRAIN,
  UMA_RECLAIM_DRAIN_CPU,
  UMA_RECLAIM_TRIM,
  DOMAINSET_POLICY_INVALID,
  DOMAINSET_POLICY_ROUNDROBIN,
  DOMAINSET_POLICY_FIRSTTOUCH,
  DOMAINSET_POLICY_PREFER,
  DOMAINSET_POLICY_INTERLEAVE,
  MG_GUARD_AROUND,
  MG_ALLLARGE,
  MG_GUARD_NOFREE,
} from './constants.js';
