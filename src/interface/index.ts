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
