/**
 * The default context: the analogue of the C heap, made on first use — a growable heap
 * (`Heap.create()`, 64 KiB growing up to 2 GiB) with its alloca stack — that lives as long as
 * the program. The package root's Haskell-named functions are bound to it (`foreign/`), and
 * Allegro's `al_*` functions allocate from its heap when no memory interface is installed.
 *
 * @since 0.1.0
 */
import { Heap } from '../heap/index.js';
import { contextOf, type Context } from './context.js';

let context: Context | undefined;
let heap: Heap | undefined;

/**
 * The default context (made on first use).
 *
 * @category default context
 * @since 0.1.0
 */
export const defaultContext = (): Context => {
  if (context === undefined) {
    heap = Heap.create();
    context = contextOf(heap);
  }
  return context;
};

/**
 * The heap of the default context (made on first use): for `check()` and `stats()`.
 *
 * @category default context
 * @since 0.1.0
 */
export const defaultHeap = (): Heap => {
  defaultContext();
  return heap!;
};
