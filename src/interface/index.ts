/**
 * The door: the memory interface every allocating function of the Haskell face goes through
 * (the alloca stack's region and spills included), the context that bundles it with a memory
 * and a stack, and the record of who will release each live block, per memory.
 *
 * Later layers put here Allegro's `al_*` API and the ready interfaces (tracking, counting,
 * failure-injecting, adapters to a kernel malloc type or an area pool); this is their floor.
 *
 * @packageDocumentation
 */
export type { Allocator } from './allocator.js';
export {
  checkContext,
  checkParts,
  contextOf,
  contextOver,
  isMemory,
  newContext,
  type Context,
} from './context.js';
export {
  ALLOCA,
  BRACKET,
  CALLER,
  FOREIGN_PTR,
  Ownership,
  POOL,
  SCOPED,
  ownershipOf,
  type Owner,
  type OwnerKind,
} from './ownership.js';
export { stackDoor } from './stack-door.js';
export {
  allocateAligned,
  allocateFilled,
  checkReleasable,
  freeFor,
  reallocFor,
  releaseOwned,
} from './allocation.js';
export { defaultContext, defaultHeap } from './default-context.js';
export type { ALLEGRO_MEMORY_INTERFACE } from './memory-interface.js';
export type { CallSite } from './call-site.js';
export {
  al_calloc,
  al_calloc_with_context,
  al_free,
  al_free_with_context,
  al_malloc,
  al_malloc_with_context,
  al_realloc,
  al_realloc_with_context,
  al_set_memory_interface,
} from './allegro.js';
export { InterfaceMismatchError } from './interface-mismatch-error.js';
export { heapInterface } from './heap-interface.js';
export { countingInterface, type Counts, type CountingInterface } from './counting.js';
export {
  failingInterface,
  type AllocationRequest,
  type FailingInterface,
  type FailureRule,
} from './failing.js';
export { contextWithInterface } from './interface-door.js';
