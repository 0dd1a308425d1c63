/**
 * `foreign-ts/interface`: Allegro 5's memory interface (`ALLEGRO_MEMORY_INTERFACE`,
 * `al_set_memory_interface`, `al_malloc` and the rest with their `_with_context` forms), the
 * ready interfaces (the heap, a kernel malloc type, an area pool, tracking with leak reports,
 * counting, failure-injecting), a memory interface as a context's door (`contextWithInterface`,
 * which tells the hooks the user's call site), `oomTest`, the out-of-memory harness for users'
 * tests, and, for tests and harnesses, the replaceable default context (`setDefaultContext`,
 * `withDefaultContext`) and the hooks of the contexts made of heaps and of wasm modules' own
 * allocators (`setHeapContextHook`, `setModuleContextHook`), which put a whole program under an
 * interface. See docs/memory-interface.md, which also says what is
 * not built yet.
 *
 * It is also the floor of foreign/: the door (`Allocator`) every allocating function of the
 * Haskell face goes through (the alloca stack's region and spills included), the `Context`, the
 * default context, and the record of who will release each live block, per memory. The helpers
 * foreign/ allocates and frees with (`allocateAligned`, `checkReleasable`, `ownershipOf`, …) are
 * exported for it; users reach them through the Haskell face.
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
  moduleContextHooked,
  setHeapContextHook,
  setModuleContextHook,
  type Context,
  type HeapContextHook,
  type ModuleContextHook,
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
export {
  defaultContext,
  defaultHeap,
  onDefaultContextReplaced,
  setDefaultContext,
  withDefaultContext,
} from './default-context.js';
export type { ALLEGRO_MEMORY_INTERFACE } from './memory-interface.js';
export { userCallSite, type CallSite } from './call-site.js';
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
export type { BackedInterface } from './backed-interface.js';
export { kernelInterface } from './kernel-interface.js';
export { areaInterface } from './area-interface.js';
export { countingInterface, type Counts, type CountingInterface } from './counting.js';
export {
  failingInterface,
  type AllocationRequest,
  type FailingInterface,
  type FailureRule,
} from './failing.js';
export {
  trackingInterface,
  type LiveBlock,
  type ReportOptions,
  type TrackingInterface,
  type TrackingOptions,
} from './tracking.js';
export { contextWithInterface } from './interface-door.js';
export {
  oomTest,
  type Contract,
  type OomOptions,
  type OomProblem,
  type OomReport,
  type OomRun,
  type Outcome,
} from './harness.js';
