/**
 * Stubs for the WASI functions a module built against wasi-libc imports but does not need to
 * compute: `snprintf` links stdio, which imports `fd_write`, `fd_seek` and `fd_close`.
 *
 * @since 0.1.0
 */
import { showValue } from '../arguments/index.js';

/** WASI's `errno` for "function not supported". */
const ENOSYS = 52;

/**
 * The imports object that instantiates `module` when it imports only WASI functions
 * (`wasi_snapshot_preview1`): each one returns `ENOSYS` (52) without doing anything, except
 * `proc_exit`, which throws an `Error` naming the exit code (a C `exit` ends the call; C leaves
 * returning from it impossible). A `printf` to stdout then fails as C's `printf` fails, with -1;
 * `snprintf`, `qsort`, `malloc` and `string.h` need no WASI function at all. For a program that
 * must print or read files, give it a real WASI (Node's `node:wasi`, or a browser shim) instead.
 *
 * Throws a `TypeError` naming `wasiStubs` when `module` is not a `WebAssembly.Module`, or when it
 * imports something that is not a WASI function (name it in your own imports object).
 *
 * @category utils
 * @since 0.1.0
 */
export const wasiStubs = (module: WebAssembly.Module): WebAssembly.Imports => {
  if (!(module instanceof WebAssembly.Module))
    throw new TypeError(`wasiStubs: ${showValue(module)} is not a WebAssembly.Module`);
  const wasi: Record<string, (...xs: unknown[]) => number> = {};
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.module !== 'wasi_snapshot_preview1' || i.kind !== 'function') {
      throw new TypeError(
        `wasiStubs: the module imports ${i.module}.${i.name} (a ${i.kind}), which is not a WASI function`,
      );
    }
    wasi[i.name] =
      i.name === 'proc_exit'
        ? (code) => {
            throw new Error(`proc_exit: the C program called exit(${String(code)})`);
          }
        : () => ENOSYS;
  }
  return { wasi_snapshot_preview1: wasi };
};
