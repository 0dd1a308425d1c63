/**
 * A context over a WebAssembly instance: the module's memory, an allocator in it (the module's
 * own `malloc` and `free` when it exports them, else this library's heap above `__heap_base`),
 * an alloca stack, the function table, the C stack pointer and the errno hook. It is a
 * `Context`, so `foreign(wasmCtx)` and every function bound to it work on the module's memory.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import { Heap, type StackOptions } from '../heap/index.js';
import { Memory, type WasmMemory } from '../memory/index.js';
import {
  contextOf,
  contextOver,
  contextWithInterface,
  moduleContextHooked,
  type Allocator,
  type Context,
} from '../interface/index.js';
import { foreign, type Foreign, type Ptr } from '../foreign/index.js';
import { moduleInterface, type ModuleAllocator } from './module-interface.js';

// -------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------

/**
 * Where a wasm context allocates: `'module'`, the module's own `malloc`/`free` (wasi-libc's
 * dlmalloc, for a module linked against it); `'heap'`, this library's TLSF heap placed in the
 * module's memory from `__heap_base` up.
 *
 * @category model
 * @since 0.1.0
 */
export type WasmAllocatorKind = 'module' | 'heap';

/**
 * Options of {@link wasmContext}.
 *
 * @category model
 * @since 0.1.0
 */
export interface WasmContextOptions {
  /**
   * Call the module's `_initialize` export (a WASI reactor's static constructors) before
   * anything else. Default `true` when the module exports `_initialize`. Pass `false` when it was
   * already called: calling it twice runs the constructors twice (C leaves that undefined;
   * wasi-libc's reset its state).
   */
  readonly initialize?: boolean;
  /**
   * Where to allocate. Default `'module'` when the module exports `malloc` and `free`, else
   * `'heap'`. `'module'` without those exports, or `'heap'` without `__heap_base`, is a
   * `TypeError`.
   */
  readonly allocator?: WasmAllocatorKind;
  /**
   * The memory, for a module that imports its memory rather than exporting it. Default: the
   * `memory` export.
   */
  readonly memory?: WasmMemory;
  /** The alloca stack's options (its region's size; default 64 KiB, taken at first use). */
  readonly stack?: StackOptions;
}

/**
 * A context over a WebAssembly instance: a {@link Context} (the module's memory, the door it
 * allocates through, the alloca stack) with the instance's parts.
 *
 * @category model
 * @since 0.1.0
 */
export interface WasmContext extends Context {
  /** The instance's exports. */
  readonly exports: WebAssembly.Exports;
  /** Where this context allocates: see {@link WasmAllocatorKind}. */
  readonly allocatorKind: WasmAllocatorKind;
  /** The heap placed above `__heap_base`, when `allocatorKind` is `'heap'`. */
  readonly heap: Heap | undefined;
  /** The module's function table (`__indirect_function_table`), when it exports one. */
  readonly table: WebAssembly.Table | undefined;
  /**
   * The module's C stack pointer (`__stack_pointer`), when it exports it (wasm-ld:
   * `-mmutable-globals -Wl,--export=__stack_pointer`): put back after a call that trapped.
   */
  readonly stackPointer: WebAssembly.Global | undefined;
  /** The Haskell face bound to this context: `peek`, `poke`, `malloc`, `withCString`, … */
  readonly foreign: Foreign;
  /**
   * The address of the module's `errno` (a C `int`), from its `__errno_location` export (the
   * musl and glibc name; the programs of c/ffi/ export it, see c/ffi/ffi.h), or `undefined` when
   * the module has none. Each call asks the module (the address of a thread's errno may differ
   * between threads). This is the hook `Foreign.C.Error` reads errno through.
   */
  errnoLocation(): Ptr<number> | undefined;
}

// -------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------

const CALL = 'wasmContext';

/**
 * A context over `instance` (a `WebAssembly.Instance`, or any object with its `exports`).
 *
 * - Its memory is the `memory` export (or `options.memory`), as a {@link Memory}: every view is
 *   renewed after growth, whether the module grew the memory (its `malloc`, or `memory.grow`)
 *   or this library did.
 * - It allocates through the module's `malloc`, `calloc`, `realloc` and `free` (as a memory
 *   interface: `contextWithInterface`), or, for a module without an allocator, through a heap
 *   of this library placed from `__heap_base` (8-aligned up) to the end of the memory, which it
 *   grows as it needs. A module that also grows the memory for its own use (`memory.grow`
 *   without an allocator) must not share it with that heap: the heap takes the pages beyond its
 *   region when it grows (see docs/wasm.md).
 * - `_initialize` is called first when the module exports it (see
 *   {@link WasmContextOptions.initialize}).
 *
 * Throws a `TypeError` naming `wasmContext` when `instance` has no exports, the module has no
 * memory, the options are not an object, or the allocator asked for is not there; the errors of
 * `Heap.over` naming `wasmContext` when the memory has no room for a heap above `__heap_base`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const wasmContext = (
  instance: WebAssembly.Instance | { readonly exports: WebAssembly.Exports },
  options: WasmContextOptions = {},
): WasmContext => {
  const exports = exportsOf(instance);
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${CALL}: options must be an object, got ${showValue(options)}`);
  const memory = Memory.from(memoryOf(exports, options), CALL);
  const kind = kindOf(exports, options.allocator);
  if (options.initialize ?? typeof exports['_initialize'] === 'function') initialize(exports);
  const { context, heap } =
    kind === 'module'
      ? {
          context: moduleContext(memory, exports, options),
          heap: undefined,
        }
      : heapContext(memory, exports, options);
  const table = exports['__indirect_function_table'];
  const sp = exports['__stack_pointer'];
  const errno = exports['__errno_location'];
  const wasm: WasmContext = {
    ...context,
    exports,
    allocatorKind: kind,
    heap,
    table: table instanceof WebAssembly.Table ? table : undefined,
    stackPointer: sp instanceof WebAssembly.Global ? sp : undefined,
    foreign: undefined as unknown as Foreign,
    errnoLocation: () =>
      typeof errno === 'function' ? (((errno as () => number)() >>> 0) as Ptr<number>) : undefined,
  };
  (wasm as { foreign: Foreign }).foreign = foreign(wasm);
  return wasm;
};

// -------------------------------------------------------------------------------------------
// implementation
// -------------------------------------------------------------------------------------------

const exportsOf = (instance: unknown): WebAssembly.Exports => {
  const x = (instance as { exports?: unknown } | null)?.exports;
  if (typeof instance !== 'object' || instance === null || typeof x !== 'object' || x === null) {
    throw new TypeError(
      `${CALL}: ${showValue(instance)} is not a WebAssembly instance (an object with exports)`,
    );
  }
  return x as WebAssembly.Exports;
};

const memoryOf = (exports: WebAssembly.Exports, options: WasmContextOptions): WasmMemory => {
  const m = options.memory ?? exports['memory'];
  if (m === undefined) {
    throw new TypeError(
      `${CALL}: the module exports no memory; pass the memory it imports as options.memory`,
    );
  }
  return m as WasmMemory;
};

const hasAllocator = (x: WebAssembly.Exports): boolean =>
  typeof x['malloc'] === 'function' && typeof x['free'] === 'function';

const kindOf = (exports: WebAssembly.Exports, asked: unknown): WasmAllocatorKind => {
  if (asked !== undefined && asked !== 'module' && asked !== 'heap') {
    throw new TypeError(
      `${CALL}: options.allocator must be 'module' or 'heap', got ${showValue(asked)}`,
    );
  }
  const kind =
    (asked as WasmAllocatorKind | undefined) ?? (hasAllocator(exports) ? 'module' : 'heap');
  if (kind === 'module' && !hasAllocator(exports))
    throw new TypeError(`${CALL}: the module exports no malloc and free to allocate with`);
  if (kind === 'heap' && heapBaseOf(exports) === undefined) {
    throw new TypeError(
      `${CALL}: the module exports neither malloc and free nor __heap_base ` +
        '(link with -Wl,--export=__heap_base), so there is nowhere to allocate',
    );
  }
  return kind;
};

const heapBaseOf = (exports: WebAssembly.Exports): number | undefined => {
  const g = exports['__heap_base'];
  if (g instanceof WebAssembly.Global && typeof g.value === 'number') return g.value >>> 0;
  return typeof g === 'number' ? g : undefined;
};

const initialize = (exports: WebAssembly.Exports): void => {
  const init = exports['_initialize'];
  if (typeof init !== 'function')
    throw new TypeError(`${CALL}: options.initialize is true, but the module has no _initialize`);
  (init as () => void)();
};

/**
 * The context whose door is the module's allocator, as a memory interface; the hook of
 * `setModuleContextHook` may hand out another.
 */
const moduleContext = (
  memory: Memory,
  exports: WebAssembly.Exports,
  options: WasmContextOptions,
): Context => {
  const sp = exports['__stack_pointer'];
  const iface = moduleInterface(
    memory,
    exports as unknown as ModuleAllocator,
    sp instanceof WebAssembly.Global ? sp : undefined,
  );
  // The base context only carries the memory to contextWithInterface; its stack is never used
  // (a stack takes its region at its first allocation).
  const direct: Allocator = {
    malloc: (n) => iface.mi_malloc(n, 0, '', ''),
    calloc: (c, n) => iface.mi_calloc(c, n, 0, '', ''),
    realloc: (p, n) => iface.mi_realloc(p, n, 0, '', ''),
    free: (p) => iface.mi_free(p, 0, '', ''),
  };
  const ctx = rename(() => contextWithInterface(contextOver(memory, direct), iface, options.stack));
  return moduleContextHooked(CALL, ctx, iface);
};

/** The context of a heap placed above `__heap_base`. */
const heapContext = (
  memory: Memory,
  exports: WebAssembly.Exports,
  options: WasmContextOptions,
): { context: Context; heap: Heap } => {
  const base = Math.ceil((heapBaseOf(exports) as number) / 8) * 8;
  const heap = rename(() => Heap.over(memory, { base }));
  return { context: rename(() => contextOf(heap, options.stack)), heap };
};

/** Runs `f`, reporting its plain `RangeError` or `TypeError` as `wasmContext`'s. */
const rename = <A>(f: () => A): A => {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && (e.constructor === RangeError || e.constructor === TypeError)) {
      const C = e.constructor as RangeErrorConstructor;
      throw new C(`${CALL}: ${e.message}`, { cause: e });
    }
    throw e;
  }
};
