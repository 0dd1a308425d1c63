/**
 * A FreeBSD malloc type as a memory interface: every allocation through it is charged to the
 * type, so `vmstat -m` accounts a program's memory by type.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import {
  M_NOWAIT,
  M_ZERO,
  MallocType,
  check,
  free,
  malloc,
  mallocarray,
  realloc,
} from '../kernel/index.js';
import type { BackedInterface } from './backed-interface.js';

/**
 * The memory interface over the kernel malloc type `type`: `mi_malloc(n)` is
 * `malloc(n, type, flags)`, `mi_calloc(count, n)` is `mallocarray(count, n, type, flags |
 * M_ZERO)`, `mi_realloc(p, n)` is `realloc(p, n, type, flags)` and `mi_free(p)` is
 * `free(p, type)`, so every block is charged to `type` and shows in `vmstat -m` under its name.
 * `flags` defaults to `M_NOWAIT`, so that a kernel without room gives 0, as an interface should
 * (with `M_WAITOK` it sleeps or panics instead, FreeBSD's rule). It asks for no call site
 * (`callSites: false`). Its `memory` is the kernel's and its `check()` is the kernel's `check`.
 *
 * What this defines beyond FreeBSD: `mi_realloc(p, 0)` frees `p` and returns 0 (this library's
 * contract for every interface), where FreeBSD's `realloc(p, 0)` returns a minimal block. The
 * kernel's misuse stops (a free of an address that is no allocation, an overflowing
 * `mallocarray`) are its `KernelPanic`s, as they are; `mi_free(0)` does nothing. Throws a
 * `TypeError` naming `kernelInterface` when `type` is not a `MallocType` or `flags` not an
 * integer.
 *
 * @category ready interfaces
 * @since 0.1.0
 */
export const kernelInterface = (type: MallocType, flags: number = M_NOWAIT): BackedInterface => {
  if (!(type instanceof MallocType)) {
    throw new TypeError(`kernelInterface: ${showValue(type)} is not a MallocType`);
  }
  if (typeof flags !== 'number' || !Number.isInteger(flags)) {
    throw new TypeError(`kernelInterface: flags ${showValue(flags)} is not an integer`);
  }
  const kernel = type.kernel;
  return {
    callSites: false,
    memory: kernel.memory,
    check: () => check(kernel),
    mi_malloc: (n) => malloc(n, type, flags),
    mi_calloc: (count, n) => mallocarray(count, n, type, flags | M_ZERO),
    mi_realloc(ptr, n) {
      if (n !== 0 || ptr === 0) return realloc(ptr, n, type, flags);
      free(ptr, type);
      return 0;
    },
    mi_free: (ptr) => free(ptr, type),
  };
};
