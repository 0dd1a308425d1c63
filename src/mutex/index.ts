/**
 * A mutex in one 32-bit word of shared memory: the lock that heap/, kernel/ and area/ take
 * around their operations on memory shared by workers. A leaf that those layers use; it is not
 * part of the package's public API.
 *
 * @internal
 * @packageDocumentation
 */
export { lock, unlock } from './mutex.js';
