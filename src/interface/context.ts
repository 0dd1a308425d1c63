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
export const contextOf = (heap: Heap, options: StackOptions = {}): Context => {
  const ctx = plainContextOf(heap, options);
  if (heapContextHook === null || hooking) return ctx;
  hooking = true; // a context the hook makes of a heap is not given to it again
  try {
    return checkContext('contextOf', heapContextHook(ctx, heap));
  } finally {
    hooking = false;
  }
};

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
 * What {@link setHeapContextHook} installs: given each context {@link contextOf} makes of a heap
 * and that heap, the context to hand out instead.
 *
 * @category model
 * @since 0.1.0
 */
export type HeapContextHook = (ctx: Context, heap: Heap) => Context;

let heapContextHook: HeapContextHook | null = null;
let hooking = false;

/**
 * For tests and harnesses: installs `hook`, a process-wide function that {@link contextOf}
 * consults for each context it makes of a heap — and so `foreign(heap)` and `newContext()` —
 * handing out what it returns (a `TypeError` naming `contextOf` when that is not a context; say `contextWithInterface(ctx, trackingInterface(…))`, to put a
 * program's contexts of its own under a memory interface); `null` removes it. The hook is not
 * consulted for the contexts it makes itself, for contexts made over a memory and a door
 * (`contextWithInterface`, a wasm module's), nor for the default context. Contexts made while
 * a hook was installed keep what it gave. Throws a `TypeError` naming `setHeapContextHook` when
 * `hook` is neither a function nor `null`.
 *
 * @category utils
 * @since 0.1.0
 */
export const setHeapContextHook = (hook: HeapContextHook | null): void => {
  if (hook !== null && typeof hook !== 'function') {
    throw new TypeError(`setHeapContextHook: ${showValue(hook)} is not a function or null`);
  }
  heapContextHook = hook;
};

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
