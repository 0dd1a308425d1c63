/**
 * The ranges `create_pool`, `share` and `attach_pool` accept.
 *
 * @internal
 */
import {
  B_32_BIT_CONTIGUOUS,
  B_CLONEABLE_AREA,
  B_EXECUTE_AREA,
  B_KERNEL_READ_AREA,
  B_KERNEL_WRITE_AREA,
  B_RANDOMIZED_BASE_ADDRESS,
  B_READ_AREA,
  B_WRITE_AREA,
} from './constants.js';

/** The protection bits `create_pool` accepts. */
export const KNOWN_PROTECTION =
  B_READ_AREA |
  B_WRITE_AREA |
  B_EXECUTE_AREA |
  B_KERNEL_READ_AREA |
  B_KERNEL_WRITE_AREA |
  B_CLONEABLE_AREA;

/** The largest pool address spec and lock spec values. */
export const LAST_ADDRESS_SPEC = B_RANDOMIZED_BASE_ADDRESS;
export const LAST_LOCK_SPEC = B_32_BIT_CONTIGUOUS;

/** `B_LOMEM`: every byte below this address. */
export const LOMEM_LIMIT = 16 * 1024 * 1024;
