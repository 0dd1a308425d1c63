/**
 * Alignments: the one check of an alignment argument (for the heap's `alignedAlloc`, the alloca
 * stack, `alignPtr`, the layout combinators and the brackets of the Haskell face), the alignment
 * every allocator gives without asking, and the arithmetic of aligned addresses.
 *
 * @since 0.1.0
 */
import { describe } from './describe.js';
import { safeNumber } from './integers.js';

/**
 * The alignment every allocator gives without asking: 8 bytes, the largest alignment of any C
 * scalar in wasm32 (C's `alignof(max_align_t)` there). A `Heap`'s payloads are 8-aligned, and an
 * allocation aligned above it needs the allocator's `alignedAlloc`.
 *
 * @category constants
 * @since 0.1.0
 */
export const MALLOC_ALIGNMENT = 8;

/**
 * The largest alignment any check accepts unless it says otherwise: 2^52, the largest power of
 * two below 2^53 (an address is a safe integer).
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_ALIGNMENT = 2 ** 52;

/**
 * The largest alignment an allocation may ask for: 2^30. A `Heap`'s `alignedAlloc` and the alloca
 * stack accept up to this, and the Haskell face checks it before it asks its context's allocator,
 * so that a larger one is a `RangeError` naming the user's call.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_ALLOCATION_ALIGNMENT = 2 ** 30;

const isPowerOfTwo = (a: number): boolean => {
  if (!Number.isSafeInteger(a) || a <= 0) return false;
  if (a <= 0x40000000) return (a & (a - 1)) === 0;
  return Number.isSafeInteger(a / 0x40000000) && isPowerOfTwo(a / 0x40000000);
};

/**
 * Returns `value` as a number when it is a positive power of two up to `max` (a number, or a
 * bigint whose value is one); throws a `RangeError` naming `call` otherwise, including for 0,
 * which GHC's `allocaBytesAligned` lets through and which makes `alignPtr` divide by zero.
 * `max` is 2^52 by default (`MAX_ALIGNMENT`); a heap allocation passes 2^30.
 *
 * @category utils
 * @since 0.1.0
 */
export const checkAlignment = (call: string, value: unknown, max = MAX_ALIGNMENT): number => {
  const a = typeof value === 'bigint' ? safeNumber(value) : value;
  if (typeof a === 'number' && a > 0 && a <= max && isPowerOfTwo(a)) return a;
  if (typeof a === 'number' && a > max && isPowerOfTwo(a)) {
    throw new RangeError(`${call}: alignment ${describe(value)} is above 2^${Math.log2(max)}`);
  }
  throw new RangeError(`${call}: alignment ${describe(value)} is not a positive power of two`);
};

/**
 * Rounds `n` up to a multiple of `align` (a power of two).
 *
 * @category utils
 * @since 0.1.0
 */
export const roundUp = (n: number, align: number): number => Math.ceil(n / align) * align;

/**
 * The largest power of two dividing `n` (`Infinity` for 0): what is known of the alignment of
 * `p + n` when `p` is aligned.
 *
 * @category utils
 * @since 0.1.0
 */
export const lowBit = (n: number): number => {
  if (n === 0) return Infinity;
  let bit = 1;
  while (bit < 2 ** 52 && n % (bit * 2) === 0) bit *= 2;
  return bit;
};
