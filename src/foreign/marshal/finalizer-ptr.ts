import type { Ptr } from '../ptr.js';

/**
 * A finalizer of memory at a pointer: Haskell's `FinalizerPtr a`, there a C function
 * `Ptr a -> IO ()` such as `free`. It releases memory and nothing else: like a C finalizer in
 * GHC, it must not call back into the program (use a JavaScript finalizer, `Foreign.Concurrent`
 * style, for that). `finalizerFree` is the one that frees through a context's allocator.
 *
 * @category model
 * @since 0.1.0
 */
export interface FinalizerPtr<A> {
  /** A name for messages, such as `finalizerFree`. */
  readonly name: string;
  /** Releases the memory at `p`. */
  readonly finalize: (p: Ptr<A>) => void;
}

const frees = new WeakSet<object>();

/**
 * Marks `finalizer` as a `finalizerFree`: attached to a `ForeignPtr`, it frees into the memory
 * of that `ForeignPtr`'s context, whichever context's `finalizerFree` it is, and the block is
 * claimed for the `ForeignPtr` until then. Returns `finalizer`.
 *
 * @internal
 */
export const asFinalizerFree = <F extends FinalizerPtr<any>>(finalizer: F): F => {
  frees.add(finalizer);
  return finalizer;
};

/**
 * Whether `finalizer` is a `finalizerFree` (of any context, or of the package root).
 *
 * @internal
 */
export const isFinalizerFree = (finalizer: unknown): boolean =>
  typeof finalizer === 'object' && finalizer !== null && frees.has(finalizer);
