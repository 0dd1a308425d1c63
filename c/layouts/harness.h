/*
 * The harness around a file of C types, for foreign-ts's layout tests. For every type T the
 * including file has:
 *   copy_T(T *dst, const T *src)  zeroes *dst, then copies every member one by one (so C
 *                                 reads each member where the compiler put it, and writes it
 *                                 back; a union copies its first member);
 *   sum_T(const T *src)           reads every member (a union: its first) and returns their
 *                                 checksum (see "Checksums" below);
 *   fill_T(T *dst)                zeroes *dst, then stores constants in the members.
 * It ends with one of two macros:
 *
 *   HARNESS           after the lists ALL_TYPES(X) (X(T) for every type T), ALL_FIELDS(F)
 *                     (F(T, f) for every whole-byte member f of a struct T) and ALL_BITS(B)
 *                     (B(T, f) for every named bit-field f of a struct T; may be empty), with
 *                     copy_T and sum_T written out (test/c/helpers/cgen.ts writes them so);
 *   HARNESS_MEMBERS   after the lists ALL_TYPES(X) and ALL_STRUCTS(X) (the types that are
 *                     structs), and for every type T a member list MEMBERS_T(M, T), from which
 *                     copy_T, sum_T and the lists of offsets and bit-fields are made
 *                     (c/layouts/layouts.c); see "Member lists".
 *
 * describe() writes what the compiler says about the types, as JSON (see below). It is the same
 * code on both targets, so the tables the two compilers give have the same form:
 *   - wasm32: every function is exported (describe returns the address of the NUL-terminated
 *     text; copy_T, sum_T and fill_T take addresses in the module's memory);
 *   - native: `program describe` prints the table; `program` with no argument answers lines on
 *     stdin: "copy T HEX" -> the hex of copy_T(dst, bytes), "sum T HEX" -> sum_T(bytes) as 16
 *     hex digits, "fill T" -> the hex of fill_T(dst).
 *
 * The table, one entry per line (the C compiler is the only source of every number in it):
 *   "target"    "wasm32" or "x86_64"; "compiler": the compiler's name and __VERSION__;
 *   "types"     T -> {"size": sizeof, "align": _Alignof,
 *                     "fill": the bytes of fill_T over a buffer of 0xa5,
 *                     "sum": sum_T of those bytes, as 16 hex digits,
 *                     "copy": the bytes of copy_T of an all-ones source over a buffer of 0xa5,
 *                             that is the bits a member-by-member copy carries};
 *   "offsets"   "T.f" -> offsetof(T, f);
 *   "bits"      "T.f" -> [first bit, width]: the bits that are set when f alone is set to -1 in
 *               a zeroed T (bit 0 is the least significant bit of byte 0).
 *
 * Checksums. sum_T mixes the value of every member, in declaration order, into a 64-bit state
 * that starts at HARNESS_SEED: h = (h ^ x) * 0x100000001b3, then h ^= h >> 32 (mod 2^64), where
 * x is the member's value converted to uint64_t (integers, enums, _Bool and bit-fields: C's
 * conversion, so negative values are sign-extended; pointers: their address), or the bits of a
 * float (its 32 bits, zero-extended) or a double (its 64). Arrays mix every element in order
 * (a char array is an array of chars: signed on both targets); a nested struct or union mixes
 * its own members where it stands. test/foreign/helpers/checksum.ts computes the same from the
 * values this library poked.
 *
 * Member lists. MEMBERS_T(M, T) expands M(T, kind, f) or M(T, kind, f, U) for every member f of
 * T, in declaration order (a union lists only its first member; unnamed bit-fields hold
 * nothing and are not listed), where kind is one of:
 *   ONE(f)       a whole-byte scalar: an integer, an enum, _Bool, float or double;
 *   PTR(f)       a pointer (to an object or a function);
 *   ARR(f)       a one-dimensional array of scalars (char arrays too);
 *   ARR2(f)      a two-dimensional array of scalars;
 *   PTRS(f)      an array of pointers;
 *   SUB(f, U)    a member of type U, a struct or union of the file (listed before T);
 *   SUBS(f, U)   an array of U;
 *   BITS(f)      a named bit-field.
 * HARNESS_WALKS(T), after the type and its member list, defines copy_T and sum_T.
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
  uint64_t (*sum)(const void *);
  void (*fill)(void *);
};

#define HARNESS_ENTRY(T)                                                                          \
  {#T,                                                                                            \
   sizeof(T),                                                                                     \
   _Alignof(T),                                                                                   \
   (void (*)(void *, const void *))copy_##T,                                                      \
   (uint64_t(*)(const void *))sum_##T,                                                            \
   (void (*)(void *))fill_##T},

/* ---- checksums (see the top of this file) ---- */

#define HARNESS_SEED 0xcbf29ce484222325ull

__attribute__((unused)) static uint64_t harness_mix(uint64_t h, uint64_t x) {
  h = (h ^ x) * 0x100000001b3ull;
  return h ^ (h >> 32);
}

__attribute__((unused)) static uint64_t harness_mix_f(uint64_t h, float x) {
  uint32_t bits;
  __builtin_memcpy(&bits, &x, sizeof bits);
  return harness_mix(h, bits);
}

__attribute__((unused)) static uint64_t harness_mix_d(uint64_t h, double x) {
  uint64_t bits;
  __builtin_memcpy(&bits, &x, sizeof bits);
  return harness_mix(h, bits);
}

/* Mixes the scalar x (not a pointer: see HARNESS_MIX_PTR) into h. */
#define MIX(h, x) _Generic((x), float: harness_mix_f, double: harness_mix_d, default: harness_mix)((h), (x))
#define HARNESS_MIX_PTR(h, p) harness_mix((h), (uint64_t)(uintptr_t)(p))

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

static void put_sum(uint64_t h) {
  unsigned char bytes[8];
  for (int i = 0; i < 8; i++) bytes[i] = (unsigned char)(h >> (56 - 8 * i));
  put_hex(bytes, sizeof bytes);
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
  put_s("\", \"sum\": \"");
  put_sum(e->sum(harness_dst));
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

#define HARNESS_OFFSET(T, f)                                                                      \
  {                                                                                               \
    put_key(&first, #T, #f);                                                                      \
    put_u(offsetof(T, f));                                                                        \
  }
#define HARNESS_BITS(T, f)                                                                        \
  {                                                                                               \
    T value;                                                                                      \
    ZERO(&value);                                                                                 \
    value.f = -1;                                                                                 \
    put_bits(&first, #T, #f, (const unsigned char *)&value, sizeof value);                        \
  }

/* describe(), with the statements that write the offsets and the bit-fields. */
#define HARNESS_DESCRIBE(OFFSETS, BITS)                                                           \
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
    OFFSETS                                                                                       \
    put_s(first ? "},\n  \"bits\": {" : "\n  },\n  \"bits\": {");                                 \
    first = 1;                                                                                    \
    BITS                                                                                          \
    put_s(first ? "}\n}\n" : "\n  }\n}\n");                                                       \
    harness_text[harness_used] = '\0';                                                            \
    return harness_full ? NULL : harness_text;                                                    \
  }

/* ---- member lists (see the top of this file) ---- */

#define HARNESS_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define HARNESS_COPY_M(T, kind, ...) HARNESS_COPY_##kind(__VA_ARGS__)
#define HARNESS_COPY_ONE(f) d->f = s->f;
#define HARNESS_COPY_PTR HARNESS_COPY_ONE
#define HARNESS_COPY_BITS HARNESS_COPY_ONE
#define HARNESS_COPY_ARR(f)                                                                       \
  for (size_t i = 0; i != HARNESS_LEN(d->f); i++) d->f[i] = s->f[i];
#define HARNESS_COPY_PTRS HARNESS_COPY_ARR
#define HARNESS_COPY_ARR2(f)                                                                      \
  for (size_t i = 0; i != HARNESS_LEN(d->f); i++)                                                  \
    for (size_t j = 0; j != HARNESS_LEN(d->f[0]); j++) d->f[i][j] = s->f[i][j];
#define HARNESS_COPY_SUB(f, U) HARNESS_COPY_NESTED(d->f, s->f, U)
#define HARNESS_COPY_SUBS(f, U)                                                                   \
  for (size_t i = 0; i != HARNESS_LEN(d->f); i++) HARNESS_COPY_NESTED(d->f[i], s->f[i], U)

#define HARNESS_SUM_M(T, kind, ...) HARNESS_SUM_##kind(__VA_ARGS__)
#define HARNESS_SUM_ONE(f) h = MIX(h, s->f);
#define HARNESS_SUM_BITS HARNESS_SUM_ONE
#define HARNESS_SUM_PTR(f) h = HARNESS_MIX_PTR(h, s->f);
#define HARNESS_SUM_ARR(f)                                                                        \
  for (size_t i = 0; i != HARNESS_LEN(s->f); i++) h = MIX(h, s->f[i]);
#define HARNESS_SUM_PTRS(f)                                                                       \
  for (size_t i = 0; i != HARNESS_LEN(s->f); i++) h = HARNESS_MIX_PTR(h, s->f[i]);
#define HARNESS_SUM_ARR2(f)                                                                       \
  for (size_t i = 0; i != HARNESS_LEN(s->f); i++)                                                  \
    for (size_t j = 0; j != HARNESS_LEN(s->f[0]); j++) h = MIX(h, s->f[i][j]);
#define HARNESS_SUM_SUB(f, U) HARNESS_SUM_NESTED(s->f, U)
#define HARNESS_SUM_SUBS(f, U)                                                                    \
  for (size_t i = 0; i != HARNESS_LEN(s->f); i++) HARNESS_SUM_NESTED(s->f[i], U)

/*
 * A nested value is copied into an aligned local with memcpy, walked there, and the result
 * copied back with memcpy: no pointer to a member of a packed struct is ever made, and every
 * padding byte of the result is the zero copy_in_U stored (a struct assignment, or a struct
 * passed by value, would let the compiler carry any bytes there).
 */
#define HARNESS_COPY_NESTED(dst, src, U)                                                          \
  {                                                                                               \
    U from, to;                                                                                   \
    __builtin_memcpy(&from, &(src), sizeof from);                                                 \
    copy_in_##U(&to, &from);                                                                      \
    __builtin_memcpy(&(dst), &to, sizeof to);                                                     \
  }
#define HARNESS_SUM_NESTED(src, U)                                                                \
  {                                                                                               \
    U from;                                                                                       \
    __builtin_memcpy(&from, &(src), sizeof from);                                                 \
    h = sum_in_##U(h, &from);                                                                     \
  }

/* copy_T and sum_T from MEMBERS_T. */
#define HARNESS_WALKS(T)                                                                          \
  static void copy_in_##T(T *d, const T *s) {                                                     \
    ZERO(d);                                                                                      \
    MEMBERS_##T(HARNESS_COPY_M, T)                                                                \
  }                                                                                               \
  static uint64_t sum_in_##T(uint64_t h, const T *s) {                                            \
    MEMBERS_##T(HARNESS_SUM_M, T) return h;                                                       \
  }                                                                                               \
  EXPORT void copy_##T(T *d, const T *s) { copy_in_##T(d, s); }                                   \
  EXPORT uint64_t sum_##T(const T *s) { return sum_in_##T(HARNESS_SEED, s); }

#define HARNESS_FIELD_M(T, kind, f, ...) HARNESS_FIELD_##kind(T, f)
#define HARNESS_FIELD_ONE HARNESS_OFFSET
#define HARNESS_FIELD_PTR HARNESS_OFFSET
#define HARNESS_FIELD_ARR HARNESS_OFFSET
#define HARNESS_FIELD_ARR2 HARNESS_OFFSET
#define HARNESS_FIELD_PTRS HARNESS_OFFSET
#define HARNESS_FIELD_SUB HARNESS_OFFSET
#define HARNESS_FIELD_SUBS HARNESS_OFFSET
#define HARNESS_FIELD_BITS(T, f)
#define HARNESS_STRUCT_FIELDS(T) MEMBERS_##T(HARNESS_FIELD_M, T)

#define HARNESS_BIT_M(T, kind, f, ...) HARNESS_BIT_##kind(T, f)
#define HARNESS_BIT_ONE(T, f)
#define HARNESS_BIT_PTR(T, f)
#define HARNESS_BIT_ARR(T, f)
#define HARNESS_BIT_ARR2(T, f)
#define HARNESS_BIT_PTRS(T, f)
#define HARNESS_BIT_SUB(T, f)
#define HARNESS_BIT_SUBS(T, f)
#define HARNESS_BIT_BITS HARNESS_BITS
#define HARNESS_STRUCT_BITS(T) MEMBERS_##T(HARNESS_BIT_M, T)

#define HARNESS                                                                                   \
  HARNESS_MAIN(ALL_FIELDS(HARNESS_OFFSET), ALL_BITS(HARNESS_BITS))
#define HARNESS_MEMBERS                                                                           \
  HARNESS_MAIN(ALL_STRUCTS(HARNESS_STRUCT_FIELDS), ALL_STRUCTS(HARNESS_STRUCT_BITS))

#ifdef __wasm__
#define HARNESS_MAIN(OFFSETS, BITS)                                                               \
  static const struct entry entries[] = {ALL_TYPES(HARNESS_ENTRY)};                               \
  HARNESS_DESCRIBE(OFFSETS, BITS)
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

#define HARNESS_MAIN(OFFSETS, BITS)                                                               \
  static const struct entry entries[] = {ALL_TYPES(HARNESS_ENTRY)};                               \
  HARNESS_DESCRIBE(OFFSETS, BITS)                                                                 \
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
      } else if (strcmp(op, "sum") == 0) {                                                        \
        read_hex(line + used, harness_src, e->size);                                              \
        printf("%016llx\n", (unsigned long long)e->sum(harness_src));                             \
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
