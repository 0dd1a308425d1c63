/*
 * C on UTF-8 strings from TypeScript: length in code points, reverse by code points in place,
 * and snprintf into a buffer (test/wasm/programs.test.ts).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ffi.h"

static int is_continuation(unsigned char c) { return (c & 0xc0) == 0x80; }

/* The number of code points of a valid UTF-8 string. */
EXPORT size_t utf8_length(const char *s) {
  size_t n = 0;
  for (; *s != '\0'; s++)
    if (!is_continuation((unsigned char)*s)) n++;
  return n;
}

static void reverse_bytes(char *a, char *b) {
  while (a < b) {
    char t = *a;
    *a++ = *b;
    *b-- = t;
  }
}

/* Reverses a valid UTF-8 string by code points, in place: bytes first, then each code point. */
EXPORT void utf8_reverse(char *s) {
  size_t len = strlen(s);
  if (len == 0) return;
  reverse_bytes(s, s + len - 1);
  /* Each code point is now backwards: its continuation bytes come before its lead byte. */
  char *start = s;
  for (char *p = s; p < s + len; p++) {
    if (!is_continuation((unsigned char)*p)) {
      reverse_bytes(start, p);
      start = p + 1;
    }
  }
}

/* snprintf of a named point; returns what snprintf returns (the untruncated length). */
EXPORT int format_point(char *buf, size_t size, const char *name, int x, double y) {
  return snprintf(buf, size, "%s = (%d, %.3f)", name, x, y);
}
