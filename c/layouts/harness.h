/*
 * The harness around a file of C types, for foreign-ts's layout tests. The including file
 * defines its types and, for every type T:
 *   copy_T(T *dst, const T *src)  zeroes *dst, then copies every member one by one (so C
 *                                 reads each member where the compiler put it, and writes it
 *                                 back; a union copies its first member);
 *   fill_T(T *dst)                zeroes *dst, then stores constants in the members;
 * then the lists, and HARNESS:
 *   ALL_TYPES(X)   X(T) for every type T;
 *   ALL_FIELDS(F)  F(T, f) for every whole-byte member f of a struct T;
 *   ALL_BITS(B)    B(T, f) for every named bit-field f of a struct T (may be empty).
 *
 * describe() writes what the compiler says about the types, as JSON (see below). It is the same
 * code on both targets, so the tables the two compilers give have the same form:
 *   - wasm32: every function is exported (describe returns the address of the NUL-terminated
 *     text; copy_T and fill_T take addresses in the module's memory);
 *   - native: `program describe` prints the table; `program` with no argument answers lines on
 *     stdin: "copy T HEX" -> the hex of copy_T(dst, bytes), "fill T" -> the hex of fill_T(dst).
 *
 * The table, one entry per line (the C compiler is the only source of every number in it):
 *   "target"    "wasm32" or "x86_64"; "compiler": the compiler's name and __VERSION__;
 *   "types"     T -> {"size": sizeof, "align": _Alignof,
 *                     "fill": the bytes of fill_T over a buffer of 0xa5,
 *                     "copy": the bytes of copy_T of an all-ones source over a buffer of 0xa5,
 *                             that is the bits a member-by-member copy carries};
 *   "offsets"   "T.f" -> offsetof(T, f);
 *   "bits"      "T.f" -> [first bit, width]: the bits that are set when f alone is set to -1 in
 *               a zeroed T (bit 0 is the least significant bit of byte 0).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ZERO(p) __builtin_memset((p), 0, sizeof *(p))

#ifdef __wasm__
#define EXPORT __attribute__((visibility("default")))
#define HARNESS_TARGET "wasm32"
#elif defined(__x86_64__)
#define EXPORT
#define HARNESS_TARGET "x86_64"
#else
#error "the layout harness knows wasm32 and x86_64"
#endif

#ifdef __clang__
#define HARNESS_COMPILER __VERSION__ /* "Debian Clang 14.0.6" */
#else
#define HARNESS_COMPILER "gcc " __VERSION__ /* "gcc 12.2.0" */
#endif

struct entry {
  const char *name;
  size_t size;
  size_t align;
  void (*copy)(void *, const void *);
  void (*fill)(void *);
};

#define HARNESS_ENTRY(T)                                                                          \
  {#T, sizeof(T), _Alignof(T), (void (*)(void *, const void *))copy_##T, (void (*)(void *))fill_##T},

static _Alignas(64) unsigned char harness_src[1 << 16], harness_dst[1 << 16];

/* ---- a text buffer (no libc on wasm32) ---- */

static char harness_text[1 << 20];
static size_t harness_used;
static int harness_full;

static void put_c(char c) {
  if (harness_used + 1 >= sizeof harness_text) {
    harness_full = 1;
    return;
  }
  harness_text[harness_used++] = c;
}

static void put_s(const char *s) {
  while (*s != '\0') put_c(*s++);
}

static void put_u(unsigned long long v) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) put_c(digits[--n]);
}

static void put_hex(const unsigned char *p, size_t n) {
  static const char hex[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    put_c(hex[p[i] >> 4]);
    put_c(hex[p[i] & 15]);
  }
}

/* `"key": ` on a line of its own, after a comma when it is not the first of its object. */
static void put_key(int *first, const char *a, const char *b) {
  put_s(*first ? "\n    \"" : ",\n    \"");
  *first = 0;
  put_s(a);
  if (b != NULL) {
    put_c('.');
    put_s(b);
  }
  put_s("\": ");
}

static void put_type(int *first, const struct entry *e) {
  put_key(first, e->name, NULL);
  put_s("{\"size\": ");
  put_u(e->size);
  put_s(", \"align\": ");
  put_u(e->align);
  put_s(", \"fill\": \"");
  __builtin_memset(harness_dst, 0xa5, e->size);
  e->fill(harness_dst);
  put_hex(harness_dst, e->size);
  put_s("\", \"copy\": \"");
  __builtin_memset(harness_src, 0xff, e->size);
  __builtin_memset(harness_dst, 0xa5, e->size);
  e->copy(harness_dst, harness_src);
  put_hex(harness_dst, e->size);
  put_s("\"}");
}

static void put_bits(int *first, const char *type, const char *field, const unsigned char *p,
                     size_t size) {
  unsigned long long low = 0, width = 0;
  for (size_t i = 0; i < size * 8; i++) {
    if ((p[i / 8] >> (i % 8)) & 1) {
      if (width == 0) low = i;
      width++;
    }
  }
  put_key(first, type, field);
  put_c('[');
  put_u(low);
  put_s(", ");
  put_u(width);
  put_c(']');
}

#define HARNESS_OFFSET(T, f) put_key(&first, #T, #f), put_u(offsetof(T, f));
#define HARNESS_BITS(T, f)                                                                        \
  {                                                                                               \
    T value;                                                                                      \
    ZERO(&value);                                                                                 \
    value.f = -1;                                                                                 \
    put_bits(&first, #T, #f, (const unsigned char *)&value, sizeof value);                        \
  }

#define HARNESS_DESCRIBE                                                                          \
  EXPORT const char *describe(void) {                                                             \
    int first = 1;                                                                                \
    harness_used = 0;                                                                             \
    harness_full = 0;                                                                             \
    put_s("{\n  \"target\": \"" HARNESS_TARGET "\",\n  \"compiler\": \"" HARNESS_COMPILER "\",\n");\
    put_s("  \"types\": {");                                                                      \
    for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++) {                             \
      if (entries[i].size > sizeof harness_dst) return NULL;                                      \
      put_type(&first, &entries[i]);                                                              \
    }                                                                                             \
    put_s("\n  },\n  \"offsets\": {");                                                            \
    first = 1;                                                                                    \
    ALL_FIELDS(HARNESS_OFFSET)                                                                    \
    put_s(first ? "},\n  \"bits\": {" : "\n  },\n  \"bits\": {");                                 \
    first = 1;                                                                                    \
    ALL_BITS(HARNESS_BITS)                                                                        \
    put_s(first ? "}\n}\n" : "\n  }\n}\n");                                                       \
    harness_text[harness_used] = '\0';                                                            \
    return harness_full ? NULL : harness_text;                                                    \
  }

#ifdef __wasm__
#define HARNESS                                                                                   \
  static const struct entry entries[] = {ALL_TYPES(HARNESS_ENTRY)};                               \
  HARNESS_DESCRIBE
#else
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_hex(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) printf("%02x", p[i]);
  printf("\n");
}

static void read_hex(const char *hex, unsigned char *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (unsigned char)v;
  }
}

#define HARNESS                                                                                   \
  static const struct entry entries[] = {ALL_TYPES(HARNESS_ENTRY)};                               \
  HARNESS_DESCRIBE                                                                                \
  int main(int argc, char **argv) {                                                               \
    if (argc > 1 && strcmp(argv[1], "describe") == 0) {                                           \
      const char *text = describe();                                                              \
      if (text == NULL) {                                                                         \
        fprintf(stderr, "describe: the table does not fit in the harness's buffers\n");           \
        return 1;                                                                                 \
      }                                                                                           \
      fputs(text, stdout);                                                                        \
      return 0;                                                                                   \
    }                                                                                             \
    char *line = NULL;                                                                            \
    size_t cap = 0;                                                                               \
    while (getline(&line, &cap, stdin) > 0) {                                                     \
      char op[8], name[64];                                                                       \
      int used = 0;                                                                               \
      if (sscanf(line, "%7s %63s %n", op, name, &used) < 2) continue;                              \
      const struct entry *e = NULL;                                                               \
      for (size_t i = 0; i < sizeof entries / sizeof entries[0]; i++)                              \
        if (strcmp(entries[i].name, name) == 0) e = &entries[i];                                  \
      if (e == NULL) {                                                                            \
        printf("unknown %s\n", name);                                                             \
      } else if (strcmp(op, "copy") == 0) {                                                       \
        read_hex(line + used, harness_src, e->size);                                              \
        memset(harness_dst, 0xa5, e->size);                                                       \
        e->copy(harness_dst, harness_src);                                                        \
        print_hex(harness_dst, e->size);                                                          \
      } else {                                                                                    \
        memset(harness_dst, 0xa5, e->size);                                                       \
        e->fill(harness_dst);                                                                     \
        print_hex(harness_dst, e->size);                                                          \
      }                                                                                           \
      fflush(stdout);                                                                             \
    }                                                                                             \
    free(line);                                                                                   \
    return 0;                                                                                     \
  }
#endif
