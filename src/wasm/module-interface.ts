/**
 * The module's own allocator (its `malloc`, `calloc`, `realloc` and `free` exports) as a memory
 * interface, the door of a wasm context.
 *
 * @since 0.1.0
 */
import type { BackedInterface } from '../interface/index.js';
import type { Memory } from '../memory/index.js';

/**
 * The allocator exports of a module linked against a libc (wasm32: sizes and addresses are
 * i32s). `calloc` and `realloc` are optional: without them `calloc` is `malloc` and a fill, and
 * a `realloc` of a block is refused (it returns 0 and leaves the block as it was).
 *
 * @category model
 * @since 0.1.0
 */
export interface ModuleAllocator {
  readonly malloc: (size: number) => number;
  readonly free: (p: number) => void;
  readonly calloc?: (count: number, size: number) => number;
  readonly realloc?: (p: number, size: number) => number;
}

/**
 * The memory interface over `x`'s allocator exports, whose blocks lie in `memory`. Addresses
 * come back as unsigned numbers (a wasm i32 result is signed in JavaScript). The call site is
 * not passed on (C's `malloc` takes none). The allocator's state is the module's (dlmalloc's
 * chunks, in C), which this library cannot check: `check()` checks that the C stack pointer
 * (`stackPointer`, when the module exports it) is back at the value it had when the interface
 * was made, and throws an `Error` naming `check` otherwise.
 *
 * @internal
 */
export const moduleInterface = (
  memory: Memory,
  x: ModuleAllocator,
  stackPointer?: WebAssembly.Global,
): BackedInterface => {
  const { malloc, free, calloc, realloc } = x;
  const sp = stackPointer?.value as unknown;
  return {
    callSites: false,
    memory,
    check: () => {
      const now = stackPointer?.value as unknown;
      if (now !== sp) {
        throw new Error(
          `check: the module's C stack pointer is ${String(now)}, not ${String(sp)} as when its context was made`,
        );
      }
    },
    mi_malloc: (n) => malloc(n) >>> 0,
    mi_free: (p) => free(p),
    mi_calloc: (count, n) => {
      if (calloc !== undefined) return calloc(count, n) >>> 0;
      const bytes = count * n;
      if (!Number.isSafeInteger(bytes) || bytes > 0xffffffff) return 0;
      const p = malloc(bytes) >>> 0;
      if (p !== 0) memory.ensureWritable(p, bytes, 'calloc').u8.fill(0, p, p + bytes);
      return p;
    },
    mi_realloc: (p, n) => {
      if (realloc !== undefined) return realloc(p, n) >>> 0;
      if (p === 0) return malloc(n) >>> 0;
      if (n === 0) free(p);
      return 0;
    },
  };
};
