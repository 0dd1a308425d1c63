/**
 * The leaf every layer may use: the checks of the numbers callers pass in (sizes, counts,
 * indices, offsets, alignments) under the library-wide bigint rule, the alignment every
 * allocator gives without asking, and how values appear in messages. It imports nothing.
 *
 * @packageDocumentation
 */
export { bigintAddress, checkProduct, checkSize, integerArgument, safeNumber } from './integers.js';
export {
  MALLOC_ALIGNMENT,
  MAX_ALIGNMENT,
  MAX_ALLOCATION_ALIGNMENT,
  checkAlignment,
  lowBit,
  roundUp,
} from './alignment.js';
export { describe, showValue } from './describe.js';
