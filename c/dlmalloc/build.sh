#!/bin/sh
# Builds dlmalloc.wasm from dlmalloc.c and wasi-libc's libc.a (Debian: clang lld wasi-libc
# libclang-rt-14-dev-wasm32). A stopgap until the repository's C manifest (npm run build:c)
# takes this module over. Run from anywhere; the output is committed so that the bench needs
# no compiler. Rebuilding with the same package versions gives the same bytes.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
clang --target=wasm32-wasi --sysroot=/usr -O2 -mexec-model=reactor \
  "$here/dlmalloc.c" -o "$here/dlmalloc.wasm" \
  -Wl,--no-entry \
  -Wl,--export=malloc -Wl,--export=free -Wl,--export=realloc -Wl,--export=malloc_usable_size \
  -Wl,--max-memory=2147483648 -Wl,-z,stack-size=65536 -Wl,--strip-debug
