/**
 * The alloca stack's way through the door: what a context's `Stack` takes its region and its
 * spills from. Each block it hands the stack is claimed for the stack in the memory's ownership
 * record (the region with its extent, so every address in it is the stack's), and given back to
 * the caller when the stack frees it. The stack's fast path (an allocation inside its region)
 * does not come here: only taking the region and spilling do.
 *
 * @since 0.1.0
 */
import type { StackAllocator } from '../heap/index.js';
import { MALLOC_ALIGNMENT } from '../arguments/index.js';
import type { Allocator } from './allocator.js';
import { ALLOCA, type Ownership } from './ownership.js';

/**
 * A `StackAllocator` over the door `allocator` that records what the stack holds in
 * `ownership`. Alignments above 8 need the door's `alignedAlloc`; without it they give 0 (the
 * stack then spills, and an allocation aligned above 8 gets `nullPtr`).
 *
 * @category constructors
 * @since 0.1.0
 */
export const stackDoor = (allocator: Allocator, ownership: Ownership): StackAllocator => ({
  alignedAlloc(align: number, size: number): number {
    const p =
      allocator.alignedAlloc !== undefined
        ? allocator.alignedAlloc(align, size)
        : align <= MALLOC_ALIGNMENT
          ? allocator.malloc(size)
          : 0;
    if (p !== 0) ownership.take(p, ALLOCA, Math.max(size, 1));
    return p;
  },
  free(ptr: number): void {
    ownership.disown(ptr);
    allocator.free(ptr);
  },
});
