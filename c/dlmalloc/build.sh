#!/bin/sh
# Builds c/build/dlmalloc.wasm from c/dlmalloc/dlmalloc.c and wasi-libc's libc.a (Debian: clang,
# lld, wasi-libc, libclang-rt-14-dev-wasm32). A stopgap until the repository's registry of C
# artifacts (npm run build:c) takes this module over. Runs in the repository root, with
# relative paths; the output is committed so that the bench needs no compiler. Rebuilding with
# the same package versions gives the same bytes.
set -eu
cd "$(dirname "$0")/../.."
clang --target=wasm32-wasi --sysroot=/usr -O2 -mexec-model=reactor -Wall -Wextra -Werror \
  -o c/build/dlmalloc.wasm c/dlmalloc/dlmalloc.c \
  -Wl,--no-entry \
  -Wl,--export=malloc -Wl,--export=free -Wl,--export=realloc -Wl,--export=malloc_usable_size \
  -Wl,--max-memory=2147483648 -Wl,-z,stack-size=65536 -Wl,--strip-debug
