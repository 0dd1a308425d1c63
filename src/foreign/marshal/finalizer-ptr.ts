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
