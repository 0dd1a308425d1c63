/*
 * The harness around a file of C types, for foreign-ts's layout tests. The including file
 * defines its types, then:
 *   ALL_TYPES(X)   X(T) for every type T;
 *   ALL_FIELDS(F)  F(T, f) for every whole-byte member f of a struct T (no bit-fields);
 *   copy_T(T *dst, const T *src)  zeroes *dst, then copies every member one by one (so C
 *                                 reads each member where clang put it, and writes it back);
 *   fill_T(T *dst)                zeroes *dst, then stores constants in the members.
 *
 * On wasm32 every function is exported: size_T, align_T, off_T_f, copy_T, fill_T.
 * Natively, main() prints the layout as JSON, then answers lines on stdin:
 *   "copy T HEX" -> the hex of copy_T(dst, bytes)      "fill T" -> the hex of fill_T(dst)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define ZERO(p) __builtin_memset((p), 0, sizeof *(p))

#ifdef __wasm__
#define EXPORT __attribute__((visibility("default")))
#define SIZE_ALIGN(T)                                                                             \
  EXPORT unsigned size_##T(void) { return sizeof(T); }                                            \
  EXPORT unsigned align_##T(void) { return _Alignof(T); }
#define OFFSET(T, f)                                                                              \
  EXPORT unsigned off_##T##_##f(void) { return offsetof(T, f); }
#define HARNESS                                                                                   \
  ALL_TYPES(SIZE_ALIGN)                                                                           \
  ALL_FIELDS(OFFSET)
#else
#define EXPORT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
  const char *name;
  size_t size;
  void (*copy)(void *, const void *);
  void (*fill)(void *);
};

#define ENTRY(T)                                                                                  \
  {#T, sizeof(T), (void (*)(void *, const void *))copy_##T, (void (*)(void *))fill_##T},
#define PRINT_TYPE(T)                                                                             \
  printf("%s\"%s\":[%zu,%zu]", first ? "" : ",", #T, sizeof(T), _Alignof(T));                    \
  first = 0;
#define PRINT_OFFSET(T, f)                                                                        \
  printf("%s\"%s.%s\":%zu", first ? "" : ",", #T, #f, offsetof(T, f));                            \
  first = 0;

static _Alignas(64) unsigned char src[1 << 16], dst[1 << 16];

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
  static const struct entry entries[] = {ALL_TYPES(ENTRY)};                                       \
  int main(void) {                                                                                \
    int first = 1;                                                                                \
    printf("{\"types\":{");                                                                       \
    ALL_TYPES(PRINT_TYPE)                                                                         \
    printf("},\"offsets\":{");                                                                    \
    first = 1;                                                                                    \
    ALL_FIELDS(PRINT_OFFSET)                                                                      \
    printf("}}\n");                                                                               \
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
        read_hex(line + used, src, e->size);                                                      \
        memset(dst, 0xa5, e->size);                                                               \
        e->copy(dst, src);                                                                        \
        print_hex(dst, e->size);                                                                  \
      } else {                                                                                    \
        memset(dst, 0xa5, e->size);                                                               \
        e->fill(dst);                                                                             \
        print_hex(dst, e->size);                                                                  \
      }                                                                                           \
      fflush(stdout);                                                                             \
    }                                                                                             \
    free(line);                                                                                   \
    return 0;                                                                                     \
  }
#endif
