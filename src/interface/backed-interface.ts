/**
 * A memory interface that knows the memory its blocks lie in and can check its allocator: what
 * the kernel and area adapters are, and what the harness runs a program over.
 *
 * @since 0.1.0
 */
import type { Memory } from '../memory/index.js';
import type { ALLEGRO_MEMORY_INTERFACE } from './memory-interface.js';

/**
 * An {@link ALLEGRO_MEMORY_INTERFACE} over an allocator of this library: the memory its blocks
 * lie in (give it to `contextWithInterface`) and the allocator's whole check.
 *
 * @category model
 * @since 0.1.0
 */
export interface BackedInterface extends ALLEGRO_MEMORY_INTERFACE {
  /** The memory the blocks lie in. */
  readonly memory: Memory;
  /** Checks the allocator under the interface (a heap, a kernel, a pool); throws at the first problem. */
  check(): void;
}
