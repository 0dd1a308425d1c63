/**
 * The constants of BeOS's `area_malloc` module and of `create_area()`, with the values of the
 * BeOS and Haiku headers (`drivers/area_malloc.h`, `OS.h`, `KernelExport.h`, `Errors.h`,
 * `module.h`). What each one means here is in the doc comments and in docs/area.md.
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------------
// model

/**
 * A BeOS status code: `B_OK` (0), or a negative error (`B_ERROR`, `B_BAD_VALUE`, `B_NO_MEMORY`).
 *
 * @category model
 * @since 0.1.0
 */
export type status_t = number;

// -------------------------------------------------------------------------------------------
// module

/**
 * The module's name, for {@link get_module} and {@link put_module}.
 *
 * @category module
 * @since 0.1.0
 */
export const B_AREA_MALLOC_MODULE_NAME = 'generic/area_malloc/v1';

/**
 * `std_ops` operation: the module is being loaded (module.h).
 *
 * @category module
 * @since 0.1.0
 */
export const B_MODULE_INIT = 1;

/**
 * `std_ops` operation: the module is being unloaded (module.h).
 *
 * @category module
 * @since 0.1.0
 */
export const B_MODULE_UNINIT = 2;

// -------------------------------------------------------------------------------------------
// status codes (Errors.h: the general errors count up from B_GENERAL_ERROR_BASE = INT32_MIN)

/**
 * Success.
 *
 * @category status
 * @since 0.1.0
 */
export const B_OK: status_t = 0;

/**
 * A failure with no more precise code: here, `delete_pool` of something that is not a live
 * pool, `put_module` of a module nobody holds, and `create_pool` while nobody holds the module.
 *
 * @category status
 * @since 0.1.0
 */
export const B_ERROR: status_t = -1;

/**
 * Not enough memory (`B_GENERAL_ERROR_BASE + 0`): here, a pool whose bytes cannot be had
 * (the engine refused the buffer, no room at or above a `B_BASE_ADDRESS`, or none below 16 MiB
 * for `B_LOMEM`).
 *
 * @category status
 * @since 0.1.0
 */
export const B_NO_MEMORY: status_t = -2147483648;

/**
 * A bad argument (`B_GENERAL_ERROR_BASE + 5`): an unknown address spec, lock spec or protection
 * bit, a size or address that is not a page multiple, a region outside its memory, an occupied
 * `B_EXACT_ADDRESS`.
 *
 * @category status
 * @since 0.1.0
 */
export const B_BAD_VALUE: status_t = -2147483643;

// -------------------------------------------------------------------------------------------
// create_area(): pages

/**
 * The page: pool sizes and exact or base addresses are multiples of it.
 *
 * @category create_area
 * @since 0.1.0
 */
export const B_PAGE_SIZE = 4096;

// -------------------------------------------------------------------------------------------
// create_area(): address specs — where a pool's bytes live

/**
 * A memory of the pool's own, made for it; the pool starts at address 0 of it (which no block
 * ever has, so NULL stays distinct). `options.memory` and `options.address` are ignored, as
 * BeOS ignores `*addr`.
 *
 * @category address specs
 * @since 0.1.0
 */
export const B_ANY_ADDRESS = 0;

/**
 * Exactly at `options.address` (page-aligned) inside `options.memory`: the pool's blocks are
 * addresses of that memory (a WebAssembly module's, say). `B_BAD_VALUE` when the address is not
 * a page multiple, the region leaves the memory, or it overlaps a live pool placed there.
 *
 * @category address specs
 * @since 0.1.0
 */
export const B_EXACT_ADDRESS = 1;

/**
 * At the lowest page-aligned address ≥ `options.address` (default 0) inside `options.memory`
 * where the pool fits without overlapping a live pool placed there; `B_NO_MEMORY` when there is
 * none.
 *
 * @category address specs
 * @since 0.1.0
 */
export const B_BASE_ADDRESS = 2;

/**
 * Only meaningful to `clone_area`: here the clone of a pool is `attach_pool`, whose addresses
 * are always the source's. `create_pool` refuses it (`B_BAD_VALUE`).
 *
 * @category address specs
 * @since 0.1.0
 */
export const B_CLONE_ADDRESS = 3;

/**
 * As {@link B_ANY_ADDRESS}, and the pool belongs to the "kernel": the final `put_module` does
 * not delete it (only `delete_pool` does), as a kernel area outlives the team that made it.
 *
 * @category address specs
 * @since 0.1.0
 */
export const B_ANY_KERNEL_ADDRESS = 4;

/**
 * Kernel-only in BeOS (`B_ANY_KERNEL_ADDRESS + 1`). Here as {@link B_ANY_KERNEL_ADDRESS}: a pool
 * of its own starts at address 0, which is aligned to any block size.
 *
 * @category address specs
 * @since 0.1.0
 */
export const B_ANY_KERNEL_BLOCK_ADDRESS = 5;

/**
 * Haiku's ASLR variant of {@link B_ANY_ADDRESS}. A memory of the pool's own has no other
 * contents to hide the pool among, so here it is {@link B_ANY_ADDRESS}.
 *
 * @category address specs
 * @since 0.1.0
 */
export const B_RANDOMIZED_ANY_ADDRESS = 6;

/**
 * Haiku's ASLR variant of {@link B_BASE_ADDRESS}: a page-aligned address ≥ `options.address`
 * inside `options.memory` where the pool fits, chosen at random among all of them
 * (`Math.random`); `B_NO_MEMORY` when there is none.
 *
 * @category address specs
 * @since 0.1.0
 */
export const B_RANDOMIZED_BASE_ADDRESS = 7;

// -------------------------------------------------------------------------------------------
// create_area(): lock specs — whether the pool is shared, and how its bytes are committed

/**
 * No lock: the pool takes no lock and keeps no per-worker cache, so only one worker may use it,
 * and `share()` refuses it. A memory of its own is a plain, fixed `ArrayBuffer` (whose pages
 * the operating system commits when they are first touched: "swapped in and out as needed").
 *
 * @category lock specs
 * @since 0.1.0
 */
export const B_NO_LOCK = 0;

/**
 * Shared and locked, committed on demand: a memory of its own is a growable `SharedArrayBuffer`
 * that starts at 64 KiB (or the pool's size) and grows in 64 KiB pages up to the pool's size as
 * allocations need ("brought in through the natural order of things, then locked").
 *
 * @category lock specs
 * @since 0.1.0
 */
export const B_LAZY_LOCK = 1;

/**
 * Shared and locked, committed at creation: a memory of its own is a `SharedArrayBuffer` of the
 * pool's full size, every page of which is touched when the pool is made ("locked into RAM").
 *
 * @category lock specs
 * @since 0.1.0
 */
export const B_FULL_LOCK = 2;

/**
 * As {@link B_FULL_LOCK}: the bytes of every JavaScript buffer are contiguous.
 *
 * @category lock specs
 * @since 0.1.0
 */
export const B_CONTIGUOUS = 3;

/**
 * As {@link B_CONTIGUOUS}, and every byte of the pool lies below 16 MiB of its memory
 * (`B_NO_MEMORY` otherwise).
 *
 * @category lock specs
 * @since 0.1.0
 */
export const B_LOMEM = 4;

/**
 * As {@link B_FULL_LOCK} (Haiku: below 4 GiB): every address of this library is below 4 GiB.
 *
 * @category lock specs
 * @since 0.1.0
 */
export const B_32_BIT_FULL_LOCK = 5;

/**
 * As {@link B_CONTIGUOUS} (Haiku: below 4 GiB): every address of this library is below 4 GiB.
 *
 * @category lock specs
 * @since 0.1.0
 */
export const B_32_BIT_CONTIGUOUS = 6;

// -------------------------------------------------------------------------------------------
// create_area(): protections

/**
 * Reads through the pool's `memory` (every peek of this library) are allowed; without it they
 * are a `MemoryProtectionError`.
 *
 * @category protections
 * @since 0.1.0
 */
export const B_READ_AREA = 1;

/**
 * Writes through the pool's `memory` (every poke) and allocations from the pool are allowed;
 * without it pokes are a `MemoryProtectionError` and `malloc`, `calloc`, `realloc`, `free` and
 * `alignedAlloc` a {@link PoolProtectionError}.
 *
 * @category protections
 * @since 0.1.0
 */
export const B_WRITE_AREA = 2;

/**
 * Accepted and kept; no meaning here (the bytes of a pool never run as code).
 *
 * @category protections
 * @since 0.1.0
 */
export const B_EXECUTE_AREA = 4;

/**
 * A stack area with a guard page: "not available on most platforms", nor here. `create_pool`
 * refuses it (`B_BAD_VALUE`); the alloca `Stack` of `foreign-ts/heap` is the stack.
 *
 * @category protections
 * @since 0.1.0
 */
export const B_STACK_AREA = 8;

/**
 * Accepted and kept: this library's own access to a pool's bookkeeping, which it always has.
 *
 * @category protections
 * @since 0.1.0
 */
export const B_KERNEL_READ_AREA = 16;

/**
 * Accepted and kept: this library's own access to a pool's bookkeeping, which it always has.
 *
 * @category protections
 * @since 0.1.0
 */
export const B_KERNEL_WRITE_AREA = 32;

/**
 * Accepted and kept. Haiku needs it to clone an area from another team; BeOS R5 had no such
 * flag, and here every locked pool can be shared with workers (`share()`, `attach_pool`).
 *
 * @category protections
 * @since 0.1.0
 */
export const B_CLONEABLE_AREA = 256;

/**
 * The same bit as {@link B_CLONEABLE_AREA} (Haiku's later name).
 *
 * @category protections
 * @since 0.1.0
 */
export const B_USER_CLONEABLE_AREA = 256;
