/**
 * The context the Haskell-named functions are bound to: a memory, the door they allocate
 * through, and an alloca stack that takes its region and spills through the same door.
 * `foreign(ctx)` returns the whole API bound to one; the package root exports it bound to a
 * default context (a growable heap made on first use). Nothing else is global.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import { Heap, Stack, type StackOptions } from '../heap/index.js';
import type { Memory } from '../memory/index.js';
import type { Allocator } from './allocator.js';
import type { BackedInterface } from './backed-interface.js';
import { ownershipOf } from './ownership.js';
import { stackDoor } from './stack-door.js';

/**
 * A memory, the allocator that manages it, and the alloca stack.
 *
 * @category model
 * @since 0.1.0
 */
export interface Context {
  /** The bytes pointers point into. */
  readonly memory: Memory;
  /** The door: where `malloc`, `new`, `newArray`, `newCString`, … allocate. */
  readonly allocator: Allocator;
  /**
   * Where `alloca` and the `with*` family allocate, LIFO. A context made by {@link contextOf}
   * has one that takes its region and spills through `allocator`.
   */
  readonly stack: Stack;
}

/**
 * A context over `memory` whose door is `allocator`, with a new alloca stack that takes its
 * region (`options.size` bytes, default 64 KiB) and its spills through that door, recorded in
 * the memory's ownership record.
 *
 * @internal
 */
export const contextOver = (
  memory: Memory,
  allocator: Allocator,
  options: StackOptions = {},
): Context => ({
  memory,
  allocator,
  stack: new Stack(stackDoor(allocator, ownershipOf(memory)), options),
});

/**
 * The context of a heap: its memory, the heap as the allocator, and a new alloca stack taking
 * its region through it (`options.size` bytes, default 64 KiB). Throws a `TypeError` when
 * `heap` is not a `Heap`, and the errors of `new Stack` for bad `options` (a `RangeError` for a
 * bad size, a `TypeError` for options that are not an object), both naming `contextOf`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const contextOf = (heap: Heap, options: StackOptions = {}): Context =>
  heapHook.consult('contextOf', plainContextOf(heap, options), heap);

/** The context of a heap, as {@link contextOf} makes it, with no hook consulted. @internal */
export const plainContextOf = (heap: Heap, options: StackOptions = {}): Context => {
  if (!(heap instanceof Heap)) throw new TypeError(`contextOf: ${showValue(heap)} is not a Heap`);
  try {
    return contextOver(heap.memory, heap, options);
  } catch (e) {
    throw renamed(e, 'Stack', 'contextOf');
  }
};

/**
 * One process-wide hook point, for tests and harnesses: a hook that is given each context a
 * constructor made (and what it was made of) and hands out another. The same code serves
 * {@link setHeapContextHook} and {@link setModuleContextHook}.
 */
interface HookPoint<S> {
  /** Installs `hook`, or removes it with `null`; a `TypeError` naming `setter` otherwise. */
  set(hook: ((ctx: Context, source: S) => Context) | null): void;
  /**
   * What the hook hands out for `ctx`, made of `source` (`ctx` itself with no hook, or for a
   * context the hook makes itself): a `TypeError` naming `call` when that is not a context over
   * `ctx`'s memory.
   */
  consult(call: string, ctx: Context, source: S): Context;
}

const hookPoint = <S>(setter: string): HookPoint<S> => {
  let hook: ((ctx: Context, source: S) => Context) | null = null;
  let hooking = false;
  return {
    set(h) {
      if (h !== null && typeof h !== 'function') {
        throw new TypeError(`${setter}: ${showValue(h)} is not a function or null`);
      }
      hook = h;
    },
    consult(call, ctx, source) {
      if (hook === null || hooking) return ctx;
      hooking = true; // a context the hook makes itself is not given to it again
      try {
        const given = checkContext(call, hook(ctx, source));
        if (given.memory !== ctx.memory) {
          throw new TypeError(
            `${call}: the hook of ${setter} gave a context over another memory than the one it was given`,
          );
        }
        return given;
      } finally {
        hooking = false;
      }
    },
  };
};

/**
 * What {@link setHeapContextHook} installs: given each context {@link contextOf} makes of a heap
 * and that heap, the context to hand out instead (over the same memory).
 *
 * @category model
 * @since 0.1.0
 */
export type HeapContextHook = (ctx: Context, heap: Heap) => Context;

const heapHook = hookPoint<Heap>('setHeapContextHook');

/**
 * For tests and harnesses: installs `hook`, a process-wide function that {@link contextOf}
 * consults for each context it makes of a heap — and so `foreign(heap)`, `newContext()` and a
 * wasm context over a heap above `__heap_base` — handing out what it returns (a `TypeError`
 * naming `contextOf` when that is not a context over the heap's memory; say
 * `contextWithInterface(ctx, trackingInterface(…))`, to put a program's contexts of its own
 * under a memory interface); `null` removes it. The hook is not consulted for the contexts it
 * makes itself, for contexts made over a memory and a door (`contextWithInterface`; a wasm
 * module's own `malloc` has {@link setModuleContextHook}), nor for the default context.
 * Contexts made while a hook was installed keep what it gave. Throws a `TypeError` naming
 * `setHeapContextHook` when `hook` is neither a function nor `null`.
 *
 * @category utils
 * @since 0.1.0
 */
export const setHeapContextHook = (hook: HeapContextHook | null): void => heapHook.set(hook);

/**
 * What {@link setModuleContextHook} installs: given each context `wasmContext` makes over a
 * module's own allocator and that allocator as a memory interface (its `memory` the module's,
 * its `check()` the module's: see {@link setModuleContextHook}), the context to hand out
 * instead (over the same memory).
 *
 * @category model
 * @since 0.1.0
 */
export type ModuleContextHook = (ctx: Context, allocator: BackedInterface) => Context;

const moduleHook = hookPoint<BackedInterface>('setModuleContextHook');

/**
 * For tests and harnesses: installs `hook`, a process-wide function that `wasmContext`
 * consults for each context it makes over a WebAssembly module's own `malloc` and `free`
 * (allocator `'module'`), handing out what it returns: say
 * `contextWithInterface(ctx, trackingInterface(allocator))`, to put a program's wasm modules
 * under a memory interface, or oomTest's `run.contextOf(allocator)`. `allocator` is the
 * module's allocator as a memory interface: its `memory` is the module's, and its `check()`
 * (the module's allocator keeps its state in C, out of this library's reach) checks that the C
 * stack pointer (`__stack_pointer`, when exported) is back where it was when the context was
 * made. `null` removes the hook. The wasm context keeps its other parts (exports, table, stack
 * pointer) and its `foreign` is bound to what the hook gave. The hook is not consulted for the
 * contexts it makes itself, nor for a wasm context over a heap above `__heap_base` (that one is
 * {@link setHeapContextHook}'s). Throws a `TypeError` naming `setModuleContextHook` when `hook`
 * is neither a function nor `null`; a hook that returns no context over the module's memory is
 * a `TypeError` naming `wasmContext`.
 *
 * @category utils
 * @since 0.1.0
 */
export const setModuleContextHook = (hook: ModuleContextHook | null): void => moduleHook.set(hook);

/**
 * What the hook of {@link setModuleContextHook} hands out for `ctx`, made by `call` over the
 * module allocator `allocator`.
 *
 * @internal
 */
export const moduleContextHooked = (
  call: string,
  ctx: Context,
  allocator: BackedInterface,
): Context => moduleHook.consult(call, ctx, allocator);

/**
 * The plain `RangeError` or `TypeError` `e` of `from` as reported by `to`; other errors as they
 * are.
 *
 * @internal
 */
export const renamed = (e: unknown, from: string, to: string): unknown => {
  if (!(e instanceof Error) || !e.message.startsWith(`${from}:`)) return e;
  const message = `${to}:${e.message.slice(from.length + 1)}`;
  if (e.constructor === RangeError) return new RangeError(message);
  if (e.constructor === TypeError) return new TypeError(message);
  return e;
};

/**
 * A context over a new growable heap of its own (`Heap.create`), for a program that wants its
 * own rather than the default. Bad `options` are the errors of `Heap.create`, naming
 * `newContext`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const newContext = (options: Parameters<typeof Heap.create>[0] = {}): Context => {
  let heap: Heap;
  try {
    heap = Heap.create(options);
  } catch (e) {
    throw renamed(e, 'Heap.create', 'newContext');
  }
  return contextOf(heap);
};

const ALLOCATOR_METHODS = ['malloc', 'calloc', 'realloc', 'free'] as const;
const STACK_METHODS = ['mark', 'alloc', 'release', 'owns'] as const;

const hasMethods = (x: unknown, methods: readonly string[]): boolean =>
  typeof x === 'object' &&
  x !== null &&
  methods.every((m) => typeof (x as Record<string, unknown>)[m] === 'function');

/**
 * Whether `m` is a {@link Memory}: by its methods and views, not `instanceof`, so that a memory
 * made by another copy of this library (two bundles, a reset module registry) is one too.
 *
 * @category utils
 * @since 0.1.0
 */
export const isMemory = (m: unknown): m is Memory =>
  hasMethods(m, ['ensure', 'refresh', 'grow']) &&
  typeof (m as { views?: unknown }).views === 'object';

/**
 * `ctx` when it is a {@link Context}: an object with a `Memory`, an allocator (`malloc`,
 * `calloc`, `realloc`, `free`) and a `Stack` (recognised by their methods, not by `instanceof`).
 * Throws a `TypeError` naming `call` otherwise, so that a function bound to a broken context
 * fails when it is made, not at its first use.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkContext = (call: string, ctx: Context): Context => {
  const c = ctx as Partial<Context> | null | undefined;
  if (
    typeof c !== 'object' ||
    c === null ||
    !isMemory(c.memory) ||
    !hasMethods(c.stack, STACK_METHODS) ||
    !hasMethods(c.allocator, ALLOCATOR_METHODS)
  ) {
    throw new TypeError(
      `${call}: ${showValue(ctx)} is not a context (a memory, an allocator and a stack)`,
    );
  }
  return ctx;
};

/**
 * `x` when it is an object whose `keys` are functions: one of the parts `foreign(ctx)` is built
 * from (`marshalAlloc(ctx)`, `peekPoke(memory)`, …), passed to another factory as `what`.
 * Throws a `TypeError` naming `call` otherwise.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkParts = <T>(call: string, what: string, x: T, keys: readonly string[]): T => {
  const o = x as Record<string, unknown> | null;
  if (typeof o !== 'object' || o === null || keys.some((k) => typeof o[k] !== 'function')) {
    throw new TypeError(`${call}: ${what} ${showValue(x)} has no ${keys.join(', ')}`);
  }
  return x;
};
