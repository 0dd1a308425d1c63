/**
 * The context the Haskell-named functions are bound to: a memory, the allocator they allocate
 * through, and an alloca stack. `foreign(ctx)` returns the whole API bound to one; the package
 * root exports it bound to a default context (a growable heap made on first use). Nothing else
 * is global.
 *
 * @since 0.1.0
 */
import { Heap } from '../heap/heap.js';
import { Stack, type StackOptions } from '../heap/stack.js';
import type { Memory } from '../memory/memory.js';
import { showValue } from './errors.js';

/**
 * The one door through which the Haskell face allocates: C's four functions over the context's
 * memory, addresses as numbers, `0` for NULL. A `Heap` is one; a later layer puts memory
 * interfaces (tracking, failure-injecting, kernel-typed) here.
 *
 * The contract is the heap's: `malloc` and `calloc` return 8-aligned addresses or 0;
 * `realloc(0, n)` is `malloc(n)`; `realloc(p, 0)` frees `p` and returns 0; a failed `realloc`
 * returns 0 and leaves `p` as it was; `free(0)` does nothing.
 *
 * @category model
 * @since 0.1.0
 */
export interface Allocator {
  /** At least `size` bytes, 8-aligned, or 0. */
  malloc(size: number): number;
  /** `count * size` zeroed bytes, or 0. */
  calloc(count: number, size: number): number;
  /** The block at `ptr` resized to `size` bytes (moved if need be), or 0 with `ptr` unchanged. */
  realloc(ptr: number, size: number): number;
  /** Gives back the block at `ptr`; does nothing for 0. */
  free(ptr: number): void;
  /**
   * Optional: an address aligned to `align` (a power of two above 8). Without it, allocating a
   * type whose alignment is above 8 bytes is a `RangeError`.
   */
  alignedAlloc?(align: number, size: number): number;
}

/**
 * A memory, the allocator that manages it, and the alloca stack.
 *
 * @category model
 * @since 0.1.0
 */
export interface Context {
  /** The bytes pointers point into. */
  readonly memory: Memory;
  /** Where `malloc`, `new`, `newArray`, `newCString`, … allocate. */
  readonly allocator: Allocator;
  /** Where `alloca` and the `with*` family allocate, LIFO. */
  readonly stack: Stack;
}

/**
 * The context of a heap: its memory, the heap as the allocator, and a new alloca stack taking
 * its region from the heap (`options.size` bytes, default 64 KiB). Throws a `TypeError` when
 * `heap` is not a `Heap`, and the errors of `new Stack` for bad `options` (a `RangeError` for a
 * bad size, a `TypeError` for options that are not an object), both naming `contextOf`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const contextOf = (heap: Heap, options: StackOptions = {}): Context => {
  if (!(heap instanceof Heap)) throw new TypeError(`contextOf: ${showValue(heap)} is not a Heap`);
  return { memory: heap.memory, allocator: heap, stack: stackOf('contextOf', heap, options) };
};

/** A new stack over `heap`, its errors reported by `call`. */
const stackOf = (call: string, heap: Heap, options: StackOptions): Stack => {
  try {
    return new Stack(heap, options);
  } catch (e) {
    throw renamed(e, 'Stack', call);
  }
};

/**
 * The plain `RangeError` or `TypeError` `e` of `from` as reported by `to`; other errors as they
 * are.
 */
const renamed = (e: unknown, from: string, to: string): unknown => {
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
 * `ctx` when it is a {@link Context}: an object with a `Memory`, an allocator (`malloc`, `calloc`,
 * `realloc`, `free`) and a `Stack` (recognised by their methods, not by `instanceof`). Throws a `TypeError` naming `call` otherwise, so that a
 * function bound to a broken context fails when it is made, not at its first use.
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
