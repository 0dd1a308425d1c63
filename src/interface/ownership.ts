/**
 * Who will release each live block of a memory: the record every context over that memory
 * shares. A block belongs to the caller (who frees it with `free`) unless something else has
 * claimed it: an alloca stack (its region and its spills), an asynchronous bracket, a pool, a
 * `ForeignPtr` (whose `finalizerFree` frees it) or a scoped value (`using`). Each of those
 * releases its blocks itself, so `free`, `reallocBytes` and `reallocArray` of a claimed block,
 * through whichever context, are an `InvalidPointerError` that names the owner, and the block is
 * not freed twice (Haskell leaves freeing an alloca'd or pooled pointer undefined; in C it is a
 * double free).
 *
 * The record is kept per memory (per `Memory.source`: the `ArrayBuffer`, `SharedArrayBuffer` or
 * `WebAssembly.Memory`), not per context: two `foreign(heap)` over one heap, or two heaps
 * attached to one buffer, see the same claims. Blocks the caller owns are not stored (a block no
 * one has claimed is the caller's), so `malloc` and `free` pay one lookup at most. The record
 * lives in this thread, in JavaScript objects (an owner is an object, not bytes): a worker that
 * shares the memory has a record of its own, as it has alloca stacks of its own. A block freed
 * behind the record's back (through the `Heap` itself) keeps its claim until its owner releases
 * it.
 *
 * @since 0.1.0
 */
import { InvalidPointerError } from '../heap/index.js';
import type { Memory } from '../memory/index.js';

/**
 * Who will release a live block.
 *
 * @category model
 * @since 0.1.0
 */
export type OwnerKind = 'caller' | 'alloca' | 'bracket' | 'pool' | 'foreignPtr' | 'scoped';

/**
 * An owner of blocks: its kind, and why `free` refuses its blocks (the reason of the
 * `InvalidPointerError`).
 *
 * @category model
 * @since 0.1.0
 */
export interface Owner {
  readonly kind: OwnerKind;
  readonly reason: string;
}

const owner = (kind: OwnerKind, reason: string): Owner => ({ kind, reason });

/**
 * The caller: the owner of every block nothing else has claimed.
 *
 * @category constants
 * @since 0.1.0
 */
export const CALLER: Owner = owner('caller', 'it belongs to the caller, who frees it');

/**
 * An alloca stack: its region (every address in it) and its spilled blocks.
 *
 * @category constants
 * @since 0.1.0
 */
export const ALLOCA: Owner = owner(
  'alloca',
  'it was allocated by alloca, which releases it when its body ends',
);

/**
 * An asynchronous bracket (`task.*`, `taskEither.*`).
 *
 * @category constants
 * @since 0.1.0
 */
export const BRACKET: Owner = owner(
  'bracket',
  'it was allocated by an asynchronous bracket, which releases it when its promise settles',
);

/**
 * A pool (`Foreign.Marshal.Pool`).
 *
 * @category constants
 * @since 0.1.0
 */
export const POOL: Owner = owner(
  'pool',
  'it belongs to a pool, which frees it (freePool, or when withPool ends)',
);

/**
 * A `ForeignPtr` whose `finalizerFree` frees the block.
 *
 * @category constants
 * @since 0.1.0
 */
export const FOREIGN_PTR: Owner = owner(
  'foreignPtr',
  'it belongs to a ForeignPtr, whose finalizerFree frees it (finalizeForeignPtr, when the ' +
    'ForeignPtr is collected, or at shutdown)',
);

/**
 * A scoped value (`scoped.*`, for `using`).
 *
 * @category constants
 * @since 0.1.0
 */
export const SCOPED: Owner = owner(
  'scoped',
  'it is a scoped allocation, freed when its `using` scope ends (call take() to keep it)',
);

/**
 * The record of one memory: block address → owner, and the extents of blocks claimed with one
 * (an alloca stack's region, whose every address is the stack's).
 *
 * @category model
 * @since 0.1.0
 */
export class Ownership {
  private readonly blocks = new Map<number, Owner>();
  /** Start → end of the blocks claimed with an extent. */
  private readonly extents = new Map<number, number>();

  /** How many blocks are claimed. */
  get size(): number {
    return this.blocks.size;
  }

  /**
   * Who will release the block at `p` (or the block whose extent holds `p`): {@link CALLER} when
   * nothing has claimed it.
   */
  ownerOf(p: number): Owner {
    if (this.blocks.size === 0) return CALLER;
    const claimed = this.blocks.get(p);
    if (claimed !== undefined) return claimed;
    for (const [start, end] of this.extents) {
      if (p > start && p < end) return this.blocks.get(start)!;
    }
    return CALLER;
  }

  /**
   * Records that `owner` will release the block at `p`, which was just allocated for it (of
   * `extent` bytes, when every address in it is the owner's). A claim left on that address by
   * a block freed behind the record's back is replaced.
   */
  take(p: number, owner: Owner, extent?: number): void {
    if (p === 0) return; // nullPtr is no block: free(nullPtr) does nothing
    this.blocks.set(p, owner);
    if (extent === undefined) this.extents.delete(p);
    else this.extents.set(p, p + extent);
  }

  /**
   * Records that `owner` will release the block at `p`, which the caller hands over (as to
   * `newForeignPtr(finalizerFree, p)`). Throws an `InvalidPointerError` naming `call` and the
   * present owner when something other than the caller already will; nothing is recorded then.
   */
  claim(call: string, p: number, owner: Owner): void {
    this.refuse(call, p);
    this.take(p, owner);
  }

  /** The block at `p` goes back to the caller (its owner is releasing it). */
  disown(p: number): void {
    if (this.blocks.delete(p)) this.extents.delete(p);
  }

  /**
   * Throws an `InvalidPointerError` naming `call` and the owner when the block at `p` is not the
   * caller's: the check of every `free` and `realloc` the caller asks for.
   */
  refuse(call: string, p: number): void {
    const owner = this.ownerOf(p);
    if (owner !== CALLER) throw new InvalidPointerError(call, p, owner.reason);
  }
}

const byMemory = new WeakMap<object, Ownership>();

/**
 * The record of `memory` (made on first use), shared by every context and every `Memory` object
 * over the same source.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ownershipOf = (memory: Memory): Ownership => {
  let record = byMemory.get(memory.source);
  if (record === undefined) {
    record = new Ownership();
    byMemory.set(memory.source, record);
  }
  return record;
};
