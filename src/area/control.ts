/**
 * The control block of a pool: a small buffer of its own (a `SharedArrayBuffer` for a locked
 * pool) that every worker holding the pool shares. It lives outside the pool's bytes, so it
 * outlives them: once a pool placed in another memory is deleted, its bytes are that memory's
 * owner's again, and the control block still says `DELETED` to every stale handle.
 *
 * ```
 *  byte 0      header (read-mostly: one cache line that every operation reads)
 *              magic, version, state, id, protection, lock spec, address spec, slots,
 *              base, size, budget
 *  byte 128    the pool's lock, the token counter, uncounted failures (written under the lock)
 *  byte 256    slot 0 ┐ one per worker cache, SLOT_BYTES each, on 128-byte boundaries (pairs of
 *  ...         slot 1 │ cache lines, which x86 cores fetch together) of their own, so that two
 *              ...    ┘ workers never write the same line nor its neighbour
 *
 *  The buffer itself starts on a page (it is made growable: V8 reserves those in whole pages,
 *  where a small fixed one comes from malloc, 16-aligned), so these offsets are the machine's
 *  line boundaries.
 *
 *  A slot:
 *   +0   guard     held by its owner while it works (a lease: taken at the first cache
 *                  operation of a job, given back at the end of the job, before the pool's lock
 *                  is taken, or when someone asks); by others only to read the slot (check,
 *                  stats) or empty it (drain, delete)
 *   +4   owner     0 when free, else the token of the handle that claimed it
 *   +8   requests  how many others wait for the guard: the owner gives it back at its next
 *                  operation when this is not 0
 *   +12  bytes     cached bytes (block sizes)
 *   +16  hits      f64: allocations served from the cache
 *   +24  pushes    f64: frees taken by the cache
 *   +32  refills   f64: blocks taken from the heap into the cache
 *   +40  flushes   f64: cached blocks given back to the heap
 *   +48  reallocs  f64: reallocs done in place without the lock
 *   +64  heads     CLASSES words: the first cached block of each size class (0: none)
 *   +192 counts    CLASSES words: cached blocks of each size class
 *   +320 (padding to 384 bytes)
 * ```
 *
 * A cached block is a live block of the heap (so the heap's `check()` passes); its first
 * payload word links it to the next block of its class, its second holds `TAG | slot`.
 *
 * @internal
 */

/** Identifies a control block: `AREA` read as a little-endian word. */
export const MAGIC = 0x41455241;
/** 2: the lock and the slots on 128-byte boundaries. */
export const VERSION = 2;

/** Values of the state word. */
export const LIVE = 1;
export const DELETED = 2;

/** Word indices (Int32 / Uint32) of the header. */
export const W_MAGIC = 0;
export const W_VERSION = 1;
export const W_STATE = 2;
export const W_ID = 3;
export const W_PROTECTION = 4;
export const W_LOCK_SPEC = 5;
export const W_ADDRESS_SPEC = 6;
export const W_SLOTS = 7;
export const W_BASE = 8;
export const W_SIZE = 9;
export const W_BUDGET = 10;
/** Two random words that tell this control block from any other (within a realm's handles). */
export const W_NONCE = 11;
/** The pool's lock (third cache line: not a neighbour of the read-mostly first). */
export const W_LOCK = 32;
/** Counter handing out slot owner tokens. */
export const W_TOKENS = 33;
/** Float64 index: heap failures that were not the user's (a retry after draining, a refill). */
export const D_UNCOUNTED = 18;

export const HEADER_BYTES = 256;

/** Size classes: usable sizes 12, 20, …, 12 + 8 × (CLASSES − 1), the heap's usable sizes. */
export const CLASSES = 32;
export const SMALLEST = 12;
export const LARGEST = SMALLEST + 8 * (CLASSES - 1);
/** Most cached blocks per class; a full class gives back half at once. */
export const BIN_MAX = 32;
/** Blocks taken from the heap at once when a class is empty. */
export const REFILL = 8;

/** Bytes of a slot (a multiple of 128) and word offsets in it. */
export const SLOT_BYTES = 384;
export const SLOT_WORDS = SLOT_BYTES >>> 2;
export const S_GUARD = 0;
export const S_OWNER = 1;
export const S_REQUESTS = 2;
export const S_BYTES = 3;
/** Float64 offsets in a slot (slot base in doubles + these). */
export const D_HITS = 2;
export const D_PUSHES = 3;
export const D_REFILLS = 4;
export const D_FLUSHES = 5;
export const D_REALLOCS = 6;
export const S_HEADS = 16;
export const S_COUNTS = S_HEADS + CLASSES;

/** Upper 24 bits of the second payload word of a cached block; the low 8 are its slot. */
export const TAG = 0x5ca1ab00;
export const TAG_HIGH = TAG >>> 8;
/** The most slots a pool may have (the slot number fits the tag's low byte). */
export const MAX_SLOTS = 255;
/** Slots a locked pool has unless `create_pool`'s `cacheSlots` says otherwise. */
export const DEFAULT_SLOTS = 16;

/** Bytes of a control block with `slots` slots. */
export const controlBytes = (slots: number): number => HEADER_BYTES + slots * SLOT_BYTES;

/** The word index of slot `i`. */
export const slotWord = (i: number): number => (HEADER_BYTES + i * SLOT_BYTES) >>> 2;

/** The size class of a request of `size` bytes (callers check `size <= LARGEST`). */
export const classFor = (size: number): number => (size <= SMALLEST ? 0 : (size - 5) >>> 3);

/** The usable size of class `c`. */
export const usableOf = (c: number): number => SMALLEST + 8 * c;

/** The views of a control block. */
export interface ControlViews {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
}

/**
 * The views of a control block: of a fixed length, as `Memory`'s are. A view of a growable
 * buffer made without a length tracks the buffer's length, and V8 11 (Node 20) compiles no fast
 * access for those: the pool's every operation measured 3–6x slower through them.
 */
export const controlViews = (buffer: ArrayBuffer | SharedArrayBuffer): ControlViews => ({
  buffer,
  i32: new Int32Array(buffer, 0, buffer.byteLength >>> 2),
  u32: new Uint32Array(buffer, 0, buffer.byteLength >>> 2),
  f64: new Float64Array(buffer, 0, buffer.byteLength >>> 3),
});
