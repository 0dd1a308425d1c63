/*
 * The core FFI program: one function per C scalar type (identity and a small computation), C
 * strings and arrays passed in, errno set, memory grown by the module itself, a trap, and a
 * function pointer called and handed out. test/wasm/import.test.ts and context.test.ts call
 * it through foreignImport.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ffi.h"

EXPORT int add(int a, int b) { return a + b; }

EXPORT signed char id_schar(signed char x) { return x; }
EXPORT unsigned char id_uchar(unsigned char x) { return x; }
EXPORT short id_short(short x) { return x; }
EXPORT unsigned short id_ushort(unsigned short x) { return x; }
EXPORT int id_int(int x) { return x; }
EXPORT unsigned id_uint(unsigned x) { return x; }
EXPORT long long id_llong(long long x) { return x; }
EXPORT unsigned long long id_ullong(unsigned long long x) { return x; }
EXPORT float id_float(float x) { return x; }
EXPORT double id_double(double x) { return x; }
EXPORT bool id_bool(bool x) { return x; }
EXPORT void *id_ptr(void *p) { return p; }

/* A small computation per type, so that a wrong conversion of an argument shows. */
EXPORT unsigned char inc_uchar(unsigned char x) { return (unsigned char)(x + 1); }
EXPORT unsigned long long mul_ullong(unsigned long long a, unsigned long long b) { return a * b; }
EXPORT double mix(int i, double d, float f, long long l) { return i + d + f + (double)l; }
EXPORT bool is_odd(int x) { return (x & 1) != 0; }

EXPORT size_t c_strlen(const char *s) { return strlen(s); }
EXPORT long sum_ints(const int *xs, size_t n) {
  long s = 0;
  for (size_t i = 0; i < n; i++) s += xs[i];
  return s;
}
EXPORT double sum_doubles(const double *xs, size_t n) {
  double s = 0;
  for (size_t i = 0; i < n; i++) s += xs[i];
  return s;
}

/* Sets errno to e and returns -1, as a failing libc call does. */
EXPORT int fail_with(int e) {
  errno = e;
  return -1;
}

/* Grows the memory by n pages itself (not through malloc); returns the old size in pages or -1. */
EXPORT int grow_pages(int n) { return (int)__builtin_wasm_memory_grow(0, (size_t)n); }

/* Writes n bytes of value v at p (a block the caller owns). */
EXPORT void fill(unsigned char *p, size_t n, unsigned char v) { memset(p, v, n); }

/* Sums the n bytes at p. */
EXPORT unsigned sum_bytes(const unsigned char *p, size_t n) {
  unsigned s = 0;
  for (size_t i = 0; i < n; i++) s += p[i];
  return s;
}

/* Traps (unreachable), after using some C stack, so that a leaked stack pointer would show. */
EXPORT int trap_after(int depth) {
  volatile char buf[256];
  buf[0] = (char)depth;
  if (depth > 0) return trap_after(depth - 1) + buf[0];
  __builtin_trap();
}

typedef int (*binop)(int, int);
static int sub(int a, int b) { return a - b; }
EXPORT int apply(binop f, int a, int b) { return f(a, b); }
EXPORT binop get_add(void) { return add; }
EXPORT binop get_sub(void) { return sub; }
