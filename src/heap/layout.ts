/**
 * The layout of a heap inside its memory: named constants, as the allocator's users and
 * `check()` read them. Everything the allocator knows lives in these bytes, so a heap in a
 * `SharedArrayBuffer` can be attached from another worker and a copy of the bytes is a copy of
 * the heap.
 *
 * ```
 *  base                                                                        region end
 *  │ control block                │ blocks ...                  │ [bitmap] │ sentinel │
 *  └──────────── CONTROL_BYTES ───┴─────────────────────────────┴──────────┴──────────┘
 *
 *  A block (its address b is 4 mod 8, so that its payload b + 4 is 8-aligned):
 *
 *   b           b + 4                                                  b + size
 *   ├───────────┼──────────────────────────────────────────────────────┤
 *   │ size|tags │ payload (size − 4 usable bytes)                       │  in use
 *   ├───────────┼───────────┬───────────┬───────────────┬──────────────┤
 *   │ size|tags │ prev free │ next free │ (unused)      │ back = b     │  free
 *   └───────────┴───────────┴───────────┴───────────────┴──────────────┘
 *
 *   size: bytes from this header to the next one, a multiple of 8, at least 16.
 *   tags: FREE (bit 0) this block is free; LEFT_FREE (bit 1) the block just before is free,
 *         so its `back` word (the 4 bytes before b) gives its address: that is the boundary
 *         tag that makes coalescing O(1). An in-use block has no footer, so its header is the
 *         only overhead: 4 bytes.
 * ```
 *
 * The sentinel is a 4-byte header of size 0 that is never free: coalescing stops there, and
 * growing the heap turns it into the header of the new free space.
 *
 * In a checked heap a bitmap block sits just before the sentinel: one bit per 8 bytes of the
 * region, set at the payload address of every live block, so that `free` of an address that
 * is not a live block is always caught.
 *
 * @since 0.1.0
 */
import { MAX_ALLOCATION_ALIGNMENT } from '../arguments/index.js';

/** Alignment of every payload: 8 bytes, the largest alignment of any C scalar in wasm32. */
export const AL_BITS = 3;
export const AL_SIZE = 1 << AL_BITS;
export const AL_MASK = AL_SIZE - 1;

/** The largest alignment `alignedAlloc` (and the alloca stack) accepts: 2^30. */
export const MAX_HEAP_ALIGNMENT = MAX_ALLOCATION_ALIGNMENT;

/** Block header: one 32-bit word holding the size and the tags. */
export const HEADER_BYTES = 4;
/** The smallest block: header, two list links and the back word. */
export const MIN_BLOCK = 16;

/** Tag: this block is free. */
export const FREE = 1;
/** Tag: the block just before this one is free. */
export const LEFT_FREE = 2;
/**
 * Tag: this block sits in the cache of recently freed blocks: free to its user, in use to the
 * free lists (its neighbours do not merge with it, and the block after it is not LEFT_FREE).
 */
export const CACHED = 4;
/** The bits of a header word that are tags. */
export const TAGS = 7;

/** Second level: 2^SL_BITS lists per power of two. */
export const SL_BITS = 5;
export const SL_COUNT = 1 << SL_BITS;
/** Sizes below SMALL_SIZE (256) have one list per 8-byte size (first level 0). */
export const SMALL_BITS = SL_BITS + AL_BITS;
export const SMALL_SIZE = 1 << SMALL_BITS;
/** First levels: level 0 for small blocks, then one per power of two up to 2^31. */
export const FL_COUNT = 32 - SMALL_BITS + 1;

/** Identifies a heap: the bytes `TLSF` read as a little-endian word. */
export const MAGIC = 0x46534c54;
/** Layout version; `attach` refuses another. */
export const VERSION = 2;

/** Flags word bits. */
export const FLAG_SHARED = 1;
export const FLAG_CHECKED = 2;
export const FLAG_GROWABLE = 4;

/** Byte offsets of the control block's fields from the heap's base (base is 8-aligned). */
export const F_MAGIC = 0;
export const F_VERSION = 4;
export const F_FLAGS = 8;
export const F_LOCK = 12;
/** Address of the first block. */
export const F_START = 16;
/** Address of the sentinel header; the region ends 4 bytes later. */
export const F_SENTINEL = 20;
/** The largest region end this heap may grow to. */
export const F_LIMIT = 24;
/** Address of the bitmap block (checked heaps), else 0. */
export const F_BITMAP = 28;
/** The highest block end ever reached (an address). */
export const F_HIGH = 32;
/** First-level bitmap: bit f is set when some list of level f is non-empty. */
export const F_FL_MAP = 36;
/** Bytes of live blocks (32-bit). The other figures are derived from it and the counters. */
export const F_LIVE_BYTES = 40;
/** Unused, zero (keeps the counters 8-aligned). */
export const F_SPARE = 44;
/** Counters, float64 (exact to 2^53). Live blocks = mallocs − frees. */
export const F_MALLOCS = 48;
export const F_FREES = 56;
export const F_REALLOCS = 64;
export const F_FAILURES = 72;
/** Second-level bitmaps, one 32-bit word per first level. */
export const F_SL_MAP = 80;
/** List heads: FL_COUNT × SL_COUNT block addresses. */
export const F_HEADS = F_SL_MAP + 4 * FL_COUNT;
/**
 * The cache of recently freed blocks: one list per block size below CACHE_LIMIT, indexed by
 * block size / 8, threaded through the blocks' first payload word (singly linked), and a count
 * per list. A list holds at most CACHE_DEPTH blocks.
 */
export const CACHE_CLASSES = 32;
export const CACHE_LIMIT = CACHE_CLASSES * AL_SIZE;
/** The largest block size the cache keeps, and the largest request it serves. */
export const CACHE_MAX_BLOCK = CACHE_LIMIT - AL_SIZE;
export const CACHE_MAX_REQUEST = CACHE_MAX_BLOCK - HEADER_BYTES;
export const CACHE_DEPTH = 32;
/** Cache list heads (block addresses), then the count of each list. */
export const F_CACHE_HEADS = F_HEADS + 4 * FL_COUNT * SL_COUNT;
export const F_CACHE_COUNTS = F_CACHE_HEADS + 4 * CACHE_CLASSES;
/** Bytes of the control block; the first block's header follows (4 mod 8). */
export const CONTROL_BYTES = F_CACHE_COUNTS + 4 * CACHE_CLASSES;

/** Round `n` up to a multiple of the power of two `align`. */
export const alignUp = (n: number, align: number): number => Math.ceil(n / align) * align;

/**
 * The block size that holds `size` payload bytes: header + payload, 8-aligned, ≥ 16. Integer
 * arithmetic below 2^31, where every real request lies; floating point above.
 */
export const blockSizeFor = (size: number): number =>
  size < 0x7fff_fff0
    ? Math.max(MIN_BLOCK, (size + HEADER_BYTES + AL_MASK) & ~AL_MASK)
    : alignUp(size + HEADER_BYTES, AL_SIZE);

/**
 * Bytes of the bitmap block of a checked heap whose block area runs from `start` to `top`: a
 * header and one bit per 8 bytes, as a block size. The bitmap block of a heap whose sentinel is
 * at `s` is `bitmapBlockSize(start, s)` bytes and ends at `s`.
 */
export const bitmapBlockSize = (start: number, top: number): number =>
  blockSizeFor(alignUp(Math.ceil((top - start) / AL_SIZE / 8), 4));

/** The flag bits that mean something; any other bit set in the flags word is corruption. */
export const KNOWN_FLAGS = FLAG_SHARED | FLAG_CHECKED | FLAG_GROWABLE;
