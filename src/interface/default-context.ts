/**
 * The default context: the analogue of the C heap, made on first use — a growable heap
 * (`Heap.create()`, 64 KiB growing up to 2 GiB) with its alloca stack — that lives as long as
 * the program. The package root's Haskell-named functions are bound to it (`foreign/`), and
 * Allegro's `al_*` functions allocate from its heap when no memory interface is installed.
 *
 * A test or a harness can replace it (`setDefaultContext`, `withDefaultContext`): the package
 * root's functions then allocate through the replacement, so that a whole program written
 * against the root runs over a memory interface.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';
import { Heap } from '../heap/index.js';
import { checkContext, plainContextOf, type Context } from './context.js';
import { isThenable } from './thenable.js';

let context: Context | undefined;
let heap: Heap | undefined;
let replacement: Context | null = null;
const listeners = new Set<() => void>();

/**
 * The original default context (made on first use), whatever replaces it: the context of
 * {@link defaultHeap}, where the `al_*` functions allocate with no interface installed.
 *
 * @internal
 */
export const originalDefaultContext = (): Context => {
  if (context === undefined) {
    heap = Heap.create();
    context = plainContextOf(heap); // no heap-context hook: the default is replaced otherwise
  }
  return context;
};

/**
 * The default context: the one {@link setDefaultContext} installed, or else the original (a
 * growable heap and its alloca stack, made on first use). The package root's functions are
 * bound to it.
 *
 * @category default context
 * @since 0.1.0
 */
export const defaultContext = (): Context => replacement ?? originalDefaultContext();

/**
 * The heap of the original default context (made on first use): for `check()` and `stats()`.
 * It stays that heap while another context replaces the default.
 *
 * @category default context
 * @since 0.1.0
 */
export const defaultHeap = (): Heap => {
  originalDefaultContext();
  return heap!;
};

/**
 * Registers `listener`, called after each replacement of the default context (by
 * {@link setDefaultContext}, {@link withDefaultContext} or their restores): `foreign/` clears
 * the families it bound to the old one, so that the package root's functions rebind. Returns
 * the function that unregisters it.
 *
 * @internal
 */
export const onDefaultContextReplaced = (listener: () => void): (() => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/**
 * Throws an `Error` naming `call` while an alloca bracket is open on the default stack (its
 * depth above `allowed`: the depth it had when a `withDefaultContext` made it the default).
 */
const checkNoOpenBracket = (call: string, allowed: number): void => {
  const depth = defaultContext().stack.depth;
  if (depth > allowed) {
    throw new Error(
      `${call}: an alloca bracket is open on the default context's stack (depth ${depth}); ` +
        'replace the default context outside every alloca, with* and task bracket',
    );
  }
};

/**
 * Replaces the default context by `ctx` (a {@link Context}, such as one made by
 * `contextWithInterface`), or restores the original with `null`: from the next call on, the
 * package root's functions (`malloc`, `alloca`, `withArray`, pools, `ForeignPtr`s, …) and
 * {@link defaultContext} use it. {@link defaultHeap} stays the original heap, and the `al_*`
 * functions with no interface installed still allocate from it. Blocks are given back through
 * the context that gave them: replace the default before a program allocates, and restore it
 * once the program has given everything back (a block of one context freed through another
 * context's memory interface is an `InterfaceMismatchError`). Objects bound before the
 * replacement (`defaultForeign()`'s value) keep their context.
 *
 * Throws an `Error` naming `setDefaultContext`, and replaces nothing, while an alloca bracket
 * is open on the current default context's stack (its `depth` above 0, brackets opened before
 * it became the default included), so that no alloca region straddles two contexts; a `TypeError` naming it when `ctx` is neither a context nor
 * `null`.
 *
 * @category default context
 * @since 0.1.0
 */
export const setDefaultContext = (ctx: Context | null): void => {
  replaceDefault('setDefaultContext', ctx);
};

const replaceDefault = (call: string, ctx: Context | null, allowed = 0): void => {
  if (ctx !== null) checkContext(call, ctx);
  checkNoOpenBracket(call, allowed);
  replacement = ctx === originalDefaultContext() ? null : ctx;
  for (const listener of listeners) listener();
};

/** Runs `restore` after `program` failed with `e`: a refused restore is thrown, caused by `e`. */
const restoreAfter = (restore: () => void, e: unknown): void => {
  try {
    restore();
  } catch (refused) {
    if (refused instanceof Error) refused.cause = e;
    throw refused;
  }
};

/**
 * Runs `program` with `ctx` as the default context, then puts back the context that was the
 * default before, on every path: when `program` returns, throws, or (when it returns a promise)
 * once that promise settles. Returns what `program` returned (its promise, settling after the
 * restore). Brackets nest: an inner one restores the outer one's context.
 *
 * Throws what {@link setDefaultContext} throws (naming `withDefaultContext`) before running
 * anything: a `TypeError` for a `ctx` that is not a context, an `Error` while an alloca bracket
 * is open on the default stack; and a `TypeError` when `program` is not a function. When
 * `program` leaves an alloca bracket open on `ctx`'s stack (one it opened: brackets open on it
 * before it became the default are not counted), the restore is refused: an `Error` naming
 * `withDefaultContext` (caused by `program`'s own error when it threw), and `ctx` stays the
 * default until the bracket closes and the caller restores it.
 *
 * @category default context
 * @since 0.1.0
 */
export const withDefaultContext = <A>(ctx: Context, program: () => A): A => {
  const call = 'withDefaultContext';
  if (typeof program !== 'function') {
    throw new TypeError(`${call}: program ${showValue(program)} is not a function`);
  }
  if (ctx === null) throw new TypeError(`${call}: null is not a context`);
  const previous = defaultContext();
  replaceDefault(call, ctx);
  const depth = ctx.stack.depth; // brackets open on ctx before it became the default stay open
  const restore = (): void => replaceDefault(call, previous, depth);
  let result: A;
  try {
    result = program();
  } catch (e) {
    restoreAfter(restore, e);
    throw e;
  }
  if (!isThenable(result)) {
    restore();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      restore();
      return value;
    },
    (e: unknown) => {
      restoreAfter(restore, e);
      throw e;
    },
  ) as A;
};
