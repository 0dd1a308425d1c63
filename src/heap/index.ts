/**
 * The allocator core: a TLSF heap whose whole state lives in the memory it manages, the alloca
 * stack, heap checks and statistics.
 *
 * @packageDocumentation
 */
export { Heap } from './heap.js';
export type { HeapOptions, OverOptions, AttachOptions } from './heap.js';
export type { HeapStats } from './stats.js';
export { heapBlocks, heapMap } from './map.js';
export type { HeapBlock, HeapBlockKind, HeapMapOptions } from './map.js';
export { Stack } from './stack.js';
export type { StackMark, StackOptions, StackAllocator } from './stack.js';
export { InvalidPointerError, HeapCorruptionError, StackOrderError } from './errors.js';
