/**
 * Allegro 5's memory functions: `al_set_memory_interface` and the `al_*` allocation functions
 * with their `_with_context` forms, with Allegro's semantics (`src/memory.c`): one registered
 * interface, stored by reference; with none, the default allocator (here the heap of the
 * default context, where C's Allegro calls the C library).
 *
 * What Allegro leaves to chance and this library defines: a block given back through another
 * interface than the one that gave it is an `InterfaceMismatchError` (the record of which
 * allocator gave each live `al_*` block is this library's); a hook that returns something
 * other than an address is a `TypeError`; bad arguments are errors naming the call.
 *
 * @since 0.1.0
 */
import { checkProduct, checkSize } from '../arguments/index.js';
import { checkReleasable, freeFor, reallocFor, thrownFor } from './allocation.js';
import { NO_CALL_SITE, callSite, type CallSite } from './call-site.js';
import { checkAddress, checkReturned, checkSite, hookOf } from './checks.js';
import { originalDefaultContext } from './default-context.js';
import { InterfaceMismatchError } from './interface-mismatch-error.js';
import type { ALLEGRO_MEMORY_INTERFACE } from './memory-interface.js';

type Hooks = ALLEGRO_MEMORY_INTERFACE & Record<string, unknown>;

/** The registered interface; `null`: the default. */
let current: Hooks | null = null;

/** Which allocator gave each live block the `al_*` functions handed out (`null`: the default). */
const givenBy = new Map<number, Hooks | null>();
/** A number for each interface named in a message, in the order they were first named. */
const numbers = new WeakMap<object, number>();
let named = 0;

const nameOf = (source: Hooks | null): string => {
  if (source === null) return 'the default allocator (the default heap)';
  let n = numbers.get(source);
  if (n === undefined) {
    n = ++named;
    numbers.set(source, n);
  }
  return `memory interface #${n}`;
};

/**
 * Registers `iface` as the memory interface of every `al_*` function, or, with `null`, restores
 * the default (the heap of the default context). The object itself is stored, as in Allegro:
 * changing a hook afterwards takes effect at the next call, and its hooks are looked up only
 * when called (a missing one is a `TypeError` naming that call).
 *
 * Allegro warns that switching while blocks are live frees them into the wrong allocator; here
 * such a block given to `al_free` or `al_realloc` is an `InterfaceMismatchError` and stays live.
 * Throws a `TypeError` naming `al_set_memory_interface` when `iface` is neither an object nor
 * `null` (`undefined` included: pass `null` to restore the default).
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_set_memory_interface = (iface: ALLEGRO_MEMORY_INTERFACE | null): void => {
  if (iface !== null && typeof iface !== 'object') {
    throw new TypeError(
      `al_set_memory_interface: ${String(iface)} is not a memory interface (null restores the default)`,
    );
  }
  current = iface as Hooks | null;
};

/** The caller's call site for an interface that asks for it, read two frames above. */
const siteFor = (iface: Hooks | null): CallSite =>
  iface === null || iface.callSites === false ? NO_CALL_SITE : callSite(1);

/** Throws when `p` is a live `al_*` block another allocator than `source` gave. */
const checkSource = (call: string, p: number, source: Hooks | null): void => {
  const by = givenBy.get(p);
  if (by !== undefined && by !== source) {
    throw new InterfaceMismatchError(call, p, nameOf(by), nameOf(source));
  }
};

const given = (p: number, source: Hooks | null): number => {
  if (p !== 0) givenBy.set(p, source);
  return p;
};

const mallocFor = (call: string, n: unknown, line: number, file: string, func: string): number => {
  const size = checkSize(call, 'n', n);
  const iface = current;
  if (iface === null) return given(originalDefaultContext().allocator.malloc(size), null);
  const r = hookOf(call, 'mi_malloc', iface.mi_malloc).call(iface, size, line, file, func);
  return given(checkReturned(call, 'mi_malloc', r), iface);
};

const callocFor = (
  call: string,
  count: unknown,
  n: unknown,
  line: number,
  file: string,
  func: string,
): number => {
  const iface = current;
  if (iface === null) {
    const total = checkProduct(call, count, n);
    return given(originalDefaultContext().allocator.calloc(1, total), null);
  }
  const c = checkSize(call, 'count', count);
  const size = checkSize(call, 'n', n);
  const r = hookOf(call, 'mi_calloc', iface.mi_calloc).call(iface, c, size, line, file, func);
  return given(checkReturned(call, 'mi_calloc', r), iface);
};

const freeWith = (call: string, ptr: unknown, line: number, file: string, func: string): void => {
  const p = checkAddress(call, ptr);
  const iface = current;
  checkSource(call, p, iface);
  if (iface === null) {
    const ctx = originalDefaultContext();
    checkReleasable(ctx, call, p);
    freeFor(ctx.allocator, call, p);
  } else {
    const hook = hookOf(call, 'mi_free', iface.mi_free);
    try {
      hook.call(iface, p, line, file, func);
    } catch (e) {
      throw thrownFor(call, e);
    }
  }
  givenBy.delete(p);
};

const reallocWith = (
  call: string,
  ptr: unknown,
  n: unknown,
  line: number,
  file: string,
  func: string,
): number => {
  const p = checkAddress(call, ptr);
  const size = checkSize(call, 'n', n);
  const iface = current;
  checkSource(call, p, iface);
  let q: number;
  if (iface === null) {
    const ctx = originalDefaultContext();
    checkReleasable(ctx, call, p);
    q = reallocFor(ctx.allocator, call, p, size);
  } else {
    const hook = hookOf(call, 'mi_realloc', iface.mi_realloc);
    let r: unknown;
    try {
      r = hook.call(iface, p, size, line, file, func);
    } catch (e) {
      throw thrownFor(call, e);
    }
    q = checkReturned(call, 'mi_realloc', r);
  }
  // Moved or resized: the old address is gone. Failed (0 for n > 0): the block stays as it was.
  // realloc(p, 0) frees p and returns 0 (this library's contract; C23 leaves it undefined).
  if (p !== 0 && (q !== 0 || size === 0)) givenBy.delete(p);
  return given(q, iface);
};

/**
 * `n` bytes from the registered interface's `mi_malloc(n, line, file, func)`, with the caller's
 * call site (captured only when the interface does not set `callSites: false`), or from the
 * default heap when none is registered: the address, or 0 when the allocator has none to give
 * (exactly what the hook returned). Throws a `RangeError` for a bad `n`, a `TypeError` when the
 * interface has no `mi_malloc` or it returned something other than an address; a hook's own
 * error goes through as it is.
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_malloc = (n: number | bigint): number => {
  const s = siteFor(current);
  return mallocFor('al_malloc', n, s.line, s.file, s.func);
};

/**
 * Gives the block at `ptr` back, through `mi_free(ptr, line, file, func)` or the default heap.
 * **`al_free(0)` calls `mi_free(0, …)`**, as in Allegro (the default does nothing with it). A
 * live block that another allocator gave (an interface registered since) is an
 * `InterfaceMismatchError` and is not freed. With the default: an `InvalidPointerError` for a
 * pointer that is no live block of the default heap, or one that alloca, a pool or a
 * `ForeignPtr` owns. A bigint `ptr` is a `TypeError`. All name `al_free`.
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_free = (ptr: number): void => {
  const s = siteFor(current);
  freeWith('al_free', ptr, s.line, s.file, s.func);
};

/**
 * The block at `ptr` resized to `n` bytes, through `mi_realloc(ptr, n, line, file, func)` or
 * the default heap. **`al_realloc(0, n)` and `al_realloc(ptr, 0)` reach the hook unchanged**;
 * the default treats them as `malloc(n)` and as `free(ptr)` returning 0. A 0 result for `n > 0`
 * leaves `ptr` live and unchanged. Errors as {@link al_free} and {@link al_malloc}.
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_realloc = (ptr: number, n: number | bigint): number => {
  const s = siteFor(current);
  return reallocWith('al_realloc', ptr, n, s.line, s.file, s.func);
};

/**
 * `count * n` zeroed bytes through `mi_calloc(count, n, line, file, func)` (in that order) or
 * the default heap. **Allegro checks nothing for overflow**: a hook gets `count` and `n` as they
 * are, each a valid size; the default refuses a product beyond 2^53 − 1 with a `RangeError`.
 * Otherwise as {@link al_malloc}.
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_calloc = (count: number | bigint, n: number | bigint): number => {
  const s = siteFor(current);
  return callocFor('al_calloc', count, n, s.line, s.file, s.func);
};

/**
 * {@link al_malloc} with the call site given: what C's `al_malloc` macro expands to. `line`
 * must be an integer that fits a C `int`, `file` and `func` strings (a `RangeError` or
 * `TypeError` naming `al_malloc_with_context` otherwise); they reach the hook as they are.
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_malloc_with_context = (
  n: number | bigint,
  line: number,
  file: string,
  func: string,
): number => {
  const call = 'al_malloc_with_context';
  return mallocFor(call, n, checkSite(call, line, file, func), file, func);
};

/**
 * {@link al_free} with the call site given (see {@link al_malloc_with_context}).
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_free_with_context = (
  ptr: number,
  line: number,
  file: string,
  func: string,
): void => {
  const call = 'al_free_with_context';
  freeWith(call, ptr, checkSite(call, line, file, func), file, func);
};

/**
 * {@link al_realloc} with the call site given (see {@link al_malloc_with_context}).
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_realloc_with_context = (
  ptr: number,
  n: number | bigint,
  line: number,
  file: string,
  func: string,
): number => {
  const call = 'al_realloc_with_context';
  return reallocWith(call, ptr, n, checkSite(call, line, file, func), file, func);
};

/**
 * {@link al_calloc} with the call site given (see {@link al_malloc_with_context}).
 *
 * @category Allegro
 * @since 0.1.0
 */
export const al_calloc_with_context = (
  count: number | bigint,
  n: number | bigint,
  line: number,
  file: string,
  func: string,
): number => {
  const call = 'al_calloc_with_context';
  return callocFor(call, count, n, checkSite(call, line, file, func), file, func);
};
