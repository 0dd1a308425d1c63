/**
 * The errors of foreign-ts/wasm: a C function that trapped, and a function pointer used after
 * it was released.
 *
 * @since 0.1.0
 */

/**
 * A call into the module that did not return: the C function trapped (`unreachable`, an
 * out-of-bounds access, a division by zero, a call through a bad function pointer, a stack
 * overflow), or a JavaScript callback it called threw. `cause` is what the engine threw (a
 * `WebAssembly.RuntimeError` for a trap, the callback's error otherwise).
 *
 * When it is thrown the call has been undone as far as the library can: the strings and arrays
 * passed for the call are released, and the module's C stack pointer (`__stack_pointer`, when
 * the module exports it) is put back where it was before the call. What the C function wrote
 * before it trapped stays written (C leaves the state after a trap undefined; the library does
 * not restore the module's memory).
 *
 * @category errors
 * @since 0.1.0
 */
export class ForeignCallError extends Error {
  override readonly name = 'ForeignCallError';
  constructor(
    /** The C name of the function that was called. */
    readonly call: string,
    /** `'trap'` for a trap of the module, `'callback'` for an error thrown by a JavaScript callback. */
    readonly kind: 'trap' | 'callback',
    cause: unknown,
  ) {
    super(
      kind === 'trap'
        ? `${call}: the C function trapped (${messageOf(cause)})`
        : `${call}: a JavaScript callback called by the C function threw (${messageOf(cause)})`,
      { cause },
    );
  }
}

/**
 * A `FunPtr` made by `wrapper` that was used after `freeHaskellFunPtr` released it (called from
 * C, passed to `foreignImport`'s function, or released again), or a `FunPtr` that is not a slot of
 * the module's table. GHC leaves a call through a freed `FunPtr` undefined (it usually crashes);
 * here it is this error, naming the call.
 *
 * @category errors
 * @since 0.1.0
 */
export class FunPtrError extends Error {
  override readonly name = 'FunPtrError';
  constructor(
    /** The call that was refused. */
    readonly call: string,
    /** The function pointer (a table index). */
    readonly funPtr: number,
    /** Why it was refused: `was released by freeHaskellFunPtr`, … */
    readonly reason: string,
  ) {
    super(`${call}: FunPtr ${funPtr} ${reason}`);
  }
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
