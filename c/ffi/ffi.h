/*
 * What every C program of c/ffi/ shares: the attribute that exports a function, and the errno
 * hook src/wasm/ reads (wasmContext's errnoLocation()).
 *
 * The programs are built by `npm run build:c` (c/artifacts.ts) for wasm32-wasi against Debian's
 * wasi-libc, and called from TypeScript through foreign-ts/wasm (test/wasm/).
 */
#ifndef FFI_H
#define FFI_H

#include <errno.h>

#define EXPORT __attribute__((visibility("default")))

/*
 * Where errno is. musl and glibc have this function; this wasi-libc (0.0~git20220510) keeps
 * errno in a plain global and has no such function, so each program exports one: the wasm
 * context asks it for the address and reads errno there (Foreign.C.Error builds on it).
 */
EXPORT int *__errno_location(void) { return &errno; }

#endif
