/*
 * The rest of GHC's FFI surface, checked against a real libc (wasi-libc): functions that fail
 * with ENOENT and ERANGE for Foreign.C.Error, wcslen/wcscmp and a wide string made by C for the
 * wide strings, strerror for the errno table, and a qsort_r-style sort whose comparator gets a
 * StablePtr as its user data (test/wasm/ghc.test.ts).
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ffi.h"

/* --- Foreign.C.Error --------------------------------------------------------------------- */

/* strtol of s in base 10: on overflow it returns LONG_MAX or LONG_MIN and sets errno to ERANGE
 * (C11 7.22.1.4). errno is left as it was otherwise, as strtol leaves it. */
EXPORT long parse_long(const char *s) { return strtol(s, NULL, 10); }

/* A small table of names, as a library keeps one: the value of `key`, or -1 with errno ENOENT
 * when there is no such key. */
static const struct {
  const char *key;
  int value;
} TABLE[] = {{"one", 1}, {"two", 2}, {"three", 3}};

EXPORT int lookup(const char *key) {
  for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++)
    if (strcmp(TABLE[i].key, key) == 0) return TABLE[i].value;
  errno = ENOENT;
  return -1;
}

/* The address of a key's entry, or NULL with errno ENOENT (for throwErrnoIfNull). */
EXPORT const int *find(const char *key) {
  for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++)
    if (strcmp(TABLE[i].key, key) == 0) return &TABLE[i].value;
  errno = ENOENT;
  return NULL;
}

/* Fails with EINTR the first `times` calls after reset_interrupts, then returns 7: what
 * throwErrnoIfMinus1Retry retries. */
static int interrupts;
EXPORT void reset_interrupts(int times) { interrupts = times; }
EXPORT int interrupted_read(void) {
  if (interrupts > 0) {
    interrupts--;
    errno = EINTR;
    return -1;
  }
  return 7;
}

/* errno as C sees it, and the values of the constants, to check the TypeScript side. */
EXPORT int c_errno(void) { return errno; }
EXPORT int c_enoent(void) { return ENOENT; }
EXPORT int c_erange(void) { return ERANGE; }
EXPORT int c_eintr(void) { return EINTR; }
EXPORT const char *c_strerror(int e) { return strerror(e); }

/* --- wide strings ------------------------------------------------------------------------ */

EXPORT size_t c_wcslen(const wchar_t *s) { return wcslen(s); }
EXPORT int c_wcscmp(const wchar_t *a, const wchar_t *b) { return wcscmp(a, b); }
EXPORT size_t c_sizeof_wchar(void) { return sizeof(wchar_t); }
/* A wide string made by C, outside the BMP too: a, U+1F600, e acute, U+1D11E. */
EXPORT const wchar_t *c_wide_sample(void) { return L"a\U0001F600\u00e9\U0001D11E"; }

/* --- a StablePtr as a callback's user data ------------------------------------------------ */

/* The user data the last sort_r passed to its comparator, as C saw it. */
static void *last_user;
EXPORT void *sort_r_last_user(void) { return last_user; }

/* Sorts n ints with cmp(a, b, user), qsort_r-style (GNU argument order; this wasi-libc has no
 * qsort_r): an insertion sort, stable. */
EXPORT void sort_r(int *xs, size_t n, int (*cmp)(const int *, const int *, void *), void *user) {
  last_user = user;
  for (size_t i = 1; i < n; i++) {
    int x = xs[i];
    size_t j = i;
    while (j > 0 && cmp(&xs[j - 1], &x, user) > 0) {
      xs[j] = xs[j - 1];
      j--;
    }
    xs[j] = x;
  }
}
