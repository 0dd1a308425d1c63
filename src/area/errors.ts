/**
 * The errors of the area pools: a pool used after `delete_pool` (or a handle used after
 * `detach`), and an allocation from a pool without `B_WRITE_AREA`.
 *
 * @since 0.1.0
 */

/**
 * A pool id used after its pool was deleted (`delete_pool`, or the final `put_module`), in this
 * worker or in any other: BeOS leaves it undefined ("don't call delete_pool() until you know the
 * other routines are not in use"); here every worker's next call on the pool throws this, and
 * nothing is read or written in the pool. Also thrown for a handle used after its `detach()`.
 *
 * @category errors
 * @since 0.1.0
 */
export class DeletedPoolError extends Error {
  override readonly name = 'DeletedPoolError';
  constructor(
    /** The function that was called. */
    readonly call: string,
    /** The pool's id (the same number in every worker). */
    readonly pool: number,
    /** Whether only this handle was detached (the pool itself may still live). */
    readonly detached: boolean,
  ) {
    super(
      detached
        ? `${call}: this handle of pool ${pool} was detached (detach); attach the pool again to use it`
        : `${call}: pool ${pool} was deleted (delete_pool): its id and every pointer from it are invalid`,
    );
  }
}

/**
 * An allocation, resize or free in a pool handle without `B_WRITE_AREA`: the area is read-only,
 * so it cannot take the allocator's own writes either. Nothing is changed when it is thrown.
 *
 * @category errors
 * @since 0.1.0
 */
export class PoolProtectionError extends Error {
  override readonly name = 'PoolProtectionError';
  constructor(
    /** The function that was called. */
    readonly call: string,
    /** The pool's id. */
    readonly pool: number,
    /** The handle's protection bits. */
    readonly protection: number,
  ) {
    super(
      `${call}: pool ${pool} is not writable (its protection ${protection} has no B_WRITE_AREA)`,
    );
  }
}

/**
 * A worker holds its cache of the pool and does not give it back: `stats`, `check`, `drain`
 * (and a double-free check that needs that cache) waited for it in vain. The worker holds it
 * from its first cache operation of a job to the end of that job, and gives it back at its next
 * operation when asked; one that blocks in the middle of a job (`Atomics.wait`) after using the
 * pool, or ended without `detach()`, does not. Nothing has been changed when it is thrown.
 *
 * @category errors
 * @since 0.1.0
 */
export class PoolBusyError extends Error {
  override readonly name = 'PoolBusyError';
  constructor(
    /** The function that was called. */
    readonly call: string,
    /** The pool's id. */
    readonly pool: number,
    /** The cache slot that was not given back. */
    readonly slot: number,
    /** How long the call waited, in milliseconds. */
    readonly waited: number,
  ) {
    super(
      `${call}: worker cache ${slot} of pool ${pool} was not given back within ${waited} ms ` +
        '(its worker is blocked in the middle of a job, or ended without detach(); see park())',
    );
  }
}
