/**
 * A FreeBSD panic (or failed `KASSERT`) raised by the kernel personality: the misuse FreeBSD
 * itself stops on, with FreeBSD's own message in {@link KernelPanic.panicstr} (the name of the
 * kernel variable that holds the panic message), formatted as FreeBSD's `printf` would (`%p`
 * as `0x…` hexadecimal addresses, `%zu` in decimal).
 *
 * Unlike a real panic, nothing is lost: the kernel is left as it was before the call, so
 * `Kernel.check()` passes and the statistics are unchanged (the one exception, FreeBSD's too,
 * is the memory a write after free or a redzone overrun has already damaged).
 *
 * @category errors
 * @since 0.1.0
 */
export class KernelPanic extends Error {
  override readonly name = 'KernelPanic';
  constructor(
    /** The function the program called. */
    readonly call: string,
    /** FreeBSD's panic message, exactly (a trailing newline included where FreeBSD has one). */
    readonly panicstr: string,
  ) {
    super(`${call}: panic: ${panicstr.replace(/\n$/, '')}`);
  }
}

/**
 * Throws a {@link KernelPanic}.
 *
 * @internal
 */
export const panic = (call: string, panicstr: string): never => {
  throw new KernelPanic(call, panicstr);
};
