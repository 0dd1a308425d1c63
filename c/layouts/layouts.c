/*
 * C types whose layouts foreign-ts must reproduce, for wasm32 and x86-64 (LP64): scalars of
 * every C type the library has, padding, nested structs and unions, arrays (of structs, of
 * arrays, of pointers, of length 0), packed types, `_Alignas` and the `aligned` attribute,
 * bit-fields (named, unnamed, zero-width, across storage units, packed) and enums (of int,
 * wider than int, packed). Each one is described with the library's combinators in
 * test/foreign/helpers/c-types.ts, in the same order.
 *
 * Every type has a member list (MEMBERS_T: see c/layouts/harness.h), from which the harness
 * makes copy_T (a member-by-member copy) and sum_T (a checksum of every member, read by C),
 * and a fill_T written here by hand, storing the constants that c-types.ts's cFills expects.
 *
 * `npm run build:c` (registry: c/artifacts.ts) compiles this file with clang for wasm32
 * (c/build/layouts.wasm) and with gcc for x86-64, and records what each compiler reports
 * (sizes, alignments, offsets, bit-field positions, the bytes of fill_T, their checksum, and
 * the bits copy_T carries) in c/build/layouts.wasm32.json and c/build/layouts.x86_64.json.
 * test/foreign/layouts.test.ts checks the library against those, with no compiler;
 * test/c/layouts-live.test.ts (`npm run test:c`) against the live gcc program.
 */
#include "../particle.h"
#include "harness.h"

static void copy_bytes(char *d, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) d[i] = s[i];
}

/* ================================ the first corpus ================================ */

/* The benchmark struct of the project (c/particle.h). */
#define MEMBERS_Particle(M, T)                                                                    \
  M(T, ONE, kind) M(T, ONE, x) M(T, ONE, y) M(T, ONE, z) M(T, ONE, mass) M(T, ONE, id)            \
  M(T, ONE, flags) M(T, ARR, tag)
HARNESS_WALKS(Particle)

static void fill_particle(Particle *d) {
  d->kind = 7;
  d->x = 1.5;
  d->y = -2.25;
  d->z = 1e100;
  d->mass = 0.1f;
  d->id = -123456;
  d->flags = 0xfedcba9876543210ull;
  d->tag[0] = 1;
  d->tag[1] = -2;
  d->tag[2] = 300;
  d->tag[3] = -32768;
}

EXPORT void fill_Particle(Particle *d) {
  ZERO(d);
  fill_particle(d);
}

typedef struct {
  float x, y, z;
} Vec3;
#define MEMBERS_Vec3(M, T) M(T, ONE, x) M(T, ONE, y) M(T, ONE, z)
HARNESS_WALKS(Vec3)

static void set_vec3(Vec3 *v, float x, float y, float z) {
  v->x = x;
  v->y = y;
  v->z = z;
}

EXPORT void fill_Vec3(Vec3 *d) {
  ZERO(d);
  set_vec3(d, 1, -0.5f, 3e38f);
}

/* Nested structs, a char array and a struct after a struct. */
typedef struct {
  char name[12];
  Vec3 pos;
  Vec3 vel;
  double mass;
  Particle core;
  uint16_t count;
} Body;
#define MEMBERS_Body(M, T)                                                                        \
  M(T, ARR, name) M(T, SUB, pos, Vec3) M(T, SUB, vel, Vec3) M(T, ONE, mass)                       \
  M(T, SUB, core, Particle) M(T, ONE, count)
HARNESS_WALKS(Body)

EXPORT void fill_Body(Body *d) {
  ZERO(d);
  copy_bytes(d->name, "Sirius \xc3\xa9t\xc3\xa9", 12);
  set_vec3(&d->pos, 1, 2, 3);
  set_vec3(&d->vel, -1, -2, -3);
  d->mass = 2.02;
  fill_particle(&d->core);
  d->count = 65535;
}

/* A union whose first member is smaller than the union. */
typedef union {
  int32_t i;
  float f;
  double d;
  uint8_t bytes[8];
} Num;
#define MEMBERS_Num(M, T) M(T, ONE, i)
HARNESS_WALKS(Num)

EXPORT void fill_Num(Num *d) {
  ZERO(d);
  d->f = 1.5f;
}

typedef struct {
  uint8_t tag;
  Num value;
  int8_t after;
} Tagged;
#define MEMBERS_Tagged(M, T) M(T, ONE, tag) M(T, SUB, value, Num) M(T, ONE, after)
HARNESS_WALKS(Tagged)

EXPORT void fill_Tagged(Tagged *d) {
  ZERO(d);
  d->tag = 2;
  d->value.i = -1;
  d->after = -128;
}

typedef struct __attribute__((packed)) {
  uint8_t a;
  uint32_t b;
  uint16_t c;
  double d;
  Vec3 v;
} Packed;
#define MEMBERS_Packed(M, T)                                                                      \
  M(T, ONE, a) M(T, ONE, b) M(T, ONE, c) M(T, ONE, d) M(T, SUB, v, Vec3)
HARNESS_WALKS(Packed)

static void fill_packed(Packed *d) {
  d->a = 255;
  d->b = 0xdeadbeef;
  d->c = 0xabcd;
  d->d = -0.0;
  d->v.x = 0.25f;
  d->v.y = 0.5f;
  d->v.z = 0.75f;
}

EXPORT void fill_Packed(Packed *d) {
  ZERO(d);
  fill_packed(d);
}

typedef struct {
  char c;
  int32_t x __attribute__((aligned(16)));
  char d;
} AlignedMember;
#define MEMBERS_AlignedMember(M, T) M(T, ONE, c) M(T, ONE, x) M(T, ONE, d)
HARNESS_WALKS(AlignedMember)

EXPORT void fill_AlignedMember(AlignedMember *d) {
  ZERO(d);
  d->c = 'c';
  d->x = 0x01020304;
  d->d = 'd';
}

typedef struct __attribute__((aligned(32))) {
  int32_t a;
  char b;
} Aligned32;
#define MEMBERS_Aligned32(M, T) M(T, ONE, a) M(T, ONE, b)
HARNESS_WALKS(Aligned32)

EXPORT void fill_Aligned32(Aligned32 *d) {
  ZERO(d);
  d->a = -5;
  d->b = 'b';
}

typedef struct {
  char c;
  Aligned32 inner;
} HoldsAligned;
#define MEMBERS_HoldsAligned(M, T) M(T, ONE, c) M(T, SUB, inner, Aligned32)
HARNESS_WALKS(HoldsAligned)

EXPORT void fill_HoldsAligned(HoldsAligned *d) {
  ZERO(d);
  d->c = 1;
  d->inner.a = 2;
  d->inner.b = 3;
}

typedef struct __attribute__((packed)) {
  char c;
  int32_t x __attribute__((aligned(4)));
  char d;
} PackedAligned;
#define MEMBERS_PackedAligned(M, T) M(T, ONE, c) M(T, ONE, x) M(T, ONE, d)
HARNESS_WALKS(PackedAligned)

EXPORT void fill_PackedAligned(PackedAligned *d) {
  ZERO(d);
  d->c = -1;
  d->x = -2;
  d->d = -3;
}

/* Bit-fields: straddling, zero-width, unnamed, several storage types, _Bool, 64-bit. */
typedef struct {
  unsigned a : 3;
  signed int b : 5;
  unsigned c : 30; /* would straddle the first int: moves to the next one */
  unsigned : 0;    /* the next bit-field starts at an int boundary */
  unsigned char d : 4;
  unsigned char : 2;
  uint64_t e : 40;
  int16_t f : 9;
  _Bool g : 1;
  long long h : 33;
  char tail;
} Bits;
#define MEMBERS_Bits(M, T)                                                                        \
  M(T, BITS, a) M(T, BITS, b) M(T, BITS, c) M(T, BITS, d) M(T, BITS, e) M(T, BITS, f)             \
  M(T, BITS, g) M(T, BITS, h) M(T, ONE, tail)
HARNESS_WALKS(Bits)

EXPORT void fill_Bits(Bits *d) {
  ZERO(d);
  d->a = 5;
  d->b = -3;
  d->c = 0x2aaaaaaa;
  d->d = 9;
  d->e = 0xfedcba9876ull;
  d->f = -200;
  d->g = 1;
  d->h = -4294967296ll;
  d->tail = 'z';
}

typedef struct __attribute__((packed)) {
  uint8_t a : 3;
  uint32_t b : 30;
  uint16_t c : 12;
  uint64_t d : 60;
} PackedBits;
#define MEMBERS_PackedBits(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c) M(T, BITS, d)
HARNESS_WALKS(PackedBits)

EXPORT void fill_PackedBits(PackedBits *d) {
  ZERO(d);
  d->a = 6;
  d->b = 0x3fffffff;
  d->c = 0x123;
  d->d = 0xfedcba987654321ull;
}

/* Zero-width bit-fields of types whose size differs between the models. */
typedef struct {
  char before;
  long : 0;
  char after;
  int : 0;
  short s : 4;
  char : 0;
  char x;
} ZeroWidth;
#define MEMBERS_ZeroWidth(M, T) M(T, ONE, before) M(T, ONE, after) M(T, BITS, s) M(T, ONE, x)
HARNESS_WALKS(ZeroWidth)

EXPORT void fill_ZeroWidth(ZeroWidth *d) {
  ZERO(d);
  d->before = 1;
  d->after = 2;
  d->s = -8;
  d->x = 4;
}

typedef struct {
  char name[8]; /* chars(8, { terminated: true }) */
  char code[3];
  int32_t n;
  char full[4]; /* may be filled with no NUL */
} Strings;
#define MEMBERS_Strings(M, T) M(T, ARR, name) M(T, ARR, code) M(T, ONE, n) M(T, ARR, full)
HARNESS_WALKS(Strings)

EXPORT void fill_Strings(Strings *d) {
  ZERO(d);
  copy_bytes(d->name, "na\xc3\xafve", 6);
  copy_bytes(d->code, "EU", 2);
  d->n = 42;
  copy_bytes(d->full, "full", 4);
}

/* Types whose size differs between wasm32 and LP64. */
typedef struct {
  char c;
  long l;
  size_t s;
  void *p;
  ptrdiff_t d;
  intptr_t ip;
  uintptr_t up;
  unsigned long ul;
  void (*fn)(void);
  long long ll;
  char last;
} Words;
#define MEMBERS_Words(M, T)                                                                       \
  M(T, ONE, c) M(T, ONE, l) M(T, ONE, s) M(T, PTR, p) M(T, ONE, d) M(T, ONE, ip) M(T, ONE, up)    \
  M(T, ONE, ul) M(T, PTR, fn) M(T, ONE, ll) M(T, ONE, last)
HARNESS_WALKS(Words)

EXPORT void fill_Words(Words *d) {
  ZERO(d);
  d->c = 'w';
  d->l = -5;
  d->s = 1000000;
  d->p = (void *)(uintptr_t)4096;
  d->d = -16;
  d->ip = -1;
  d->up = 65536;
  d->ul = 3000000000ul;
  d->fn = (void (*)(void))(uintptr_t)3;
  d->ll = -9007199254740993ll;
  d->last = 'L';
}

enum Color { RED, GREEN = 5, BLUE = -1 };

typedef struct {
  enum Color color;
  uint8_t x;
  enum Color more[2];
} WithEnum;
#define MEMBERS_WithEnum(M, T) M(T, ONE, color) M(T, ONE, x) M(T, ARR, more)
HARNESS_WALKS(WithEnum)

EXPORT void fill_WithEnum(WithEnum *d) {
  ZERO(d);
  d->color = BLUE;
  d->x = 9;
  d->more[0] = GREEN;
  d->more[1] = RED;
}

typedef struct {
  _Bool b;
  int32_t i;
  wchar_t w;
  uint32_t cp; /* Haskell's Char: a code point */
  float f;
  int32_t truth; /* Haskell's Bool: a C int */
} Misc;
#define MEMBERS_Misc(M, T)                                                                        \
  M(T, ONE, b) M(T, ONE, i) M(T, ONE, w) M(T, ONE, cp) M(T, ONE, f) M(T, ONE, truth)
HARNESS_WALKS(Misc)

EXPORT void fill_Misc(Misc *d) {
  ZERO(d);
  d->b = 1;
  d->i = 2147483647;
  d->w = L'\u00e9';
  d->cp = 0x1f600;
  d->f = 16777217.0f;
  d->truth = 1;
}

/* ================================ scalars, every C type ================================ */

typedef struct {
  int8_t a;
  uint8_t b;
  char c;
  signed char d;
  unsigned char e;
} Ints8;
#define MEMBERS_Ints8(M, T) M(T, ONE, a) M(T, ONE, b) M(T, ONE, c) M(T, ONE, d) M(T, ONE, e)
HARNESS_WALKS(Ints8)

EXPORT void fill_Ints8(Ints8 *d) {
  ZERO(d);
  d->a = -128;
  d->b = 255;
  d->c = 'A';
  d->d = -1;
  d->e = 128;
}

typedef struct {
  char c;
  int16_t a;
  uint16_t b;
  short s;
  unsigned short us;
} Ints16;
#define MEMBERS_Ints16(M, T) M(T, ONE, c) M(T, ONE, a) M(T, ONE, b) M(T, ONE, s) M(T, ONE, us)
HARNESS_WALKS(Ints16)

EXPORT void fill_Ints16(Ints16 *d) {
  ZERO(d);
  d->c = 1;
  d->a = -32768;
  d->b = 65535;
  d->s = -2;
  d->us = 40000;
}

typedef struct {
  char c;
  int32_t a;
  uint32_t b;
  int i;
  unsigned u;
} Ints32;
#define MEMBERS_Ints32(M, T) M(T, ONE, c) M(T, ONE, a) M(T, ONE, b) M(T, ONE, i) M(T, ONE, u)
HARNESS_WALKS(Ints32)

EXPORT void fill_Ints32(Ints32 *d) {
  ZERO(d);
  d->c = 2;
  d->a = INT32_MIN;
  d->b = UINT32_MAX;
  d->i = -7;
  d->u = 3000000000u;
}

typedef struct {
  char c;
  int64_t a;
  uint64_t b;
  long long ll;
  unsigned long long ull;
  intmax_t im;
  uintmax_t um;
  int64_t small; /* asNumber(Int64) */
} Ints64;
#define MEMBERS_Ints64(M, T)                                                                      \
  M(T, ONE, c) M(T, ONE, a) M(T, ONE, b) M(T, ONE, ll) M(T, ONE, ull) M(T, ONE, im)               \
  M(T, ONE, um) M(T, ONE, small)
HARNESS_WALKS(Ints64)

EXPORT void fill_Ints64(Ints64 *d) {
  ZERO(d);
  d->c = 3;
  d->a = INT64_MIN;
  d->b = UINT64_MAX;
  d->ll = -1;
  d->ull = 1ull << 63;
  d->im = -9007199254740991ll;
  d->um = 12345678901234567890ull;
  d->small = -9007199254740991ll;
}

/* Tail padding that depends on the model: 8 bytes on wasm32, 16 on LP64. */
typedef struct {
  size_t n;
  char c;
} Tails;
#define MEMBERS_Tails(M, T) M(T, ONE, n) M(T, ONE, c)
HARNESS_WALKS(Tails)

EXPORT void fill_Tails(Tails *d) {
  ZERO(d);
  d->n = 4000000000u;
  d->c = 't';
}

typedef struct {
  char c;
  float f;
  double d;
  float g;
  float sub;
  double tiny;
} Floats;
#define MEMBERS_Floats(M, T)                                                                      \
  M(T, ONE, c) M(T, ONE, f) M(T, ONE, d) M(T, ONE, g) M(T, ONE, sub) M(T, ONE, tiny)
HARNESS_WALKS(Floats)

EXPORT void fill_Floats(Floats *d) {
  ZERO(d);
  d->c = 4;
  d->f = 0x1p-126f;       /* FLT_MIN */
  d->d = -0.0;            /* the sign survives */
  d->g = 0x1.fffffep127f; /* FLT_MAX */
  d->sub = 0x1p-149f;     /* the smallest subnormal float */
  d->tiny = 0x1p-1074;    /* the smallest subnormal double */
}

typedef struct {
  _Bool a;
  _Bool b;
  int32_t truth; /* Haskell's Bool */
  _Bool c;
} Bools;
#define MEMBERS_Bools(M, T) M(T, ONE, a) M(T, ONE, b) M(T, ONE, truth) M(T, ONE, c)
HARNESS_WALKS(Bools)

EXPORT void fill_Bools(Bools *d) {
  ZERO(d);
  d->a = 1;
  d->b = 0;
  d->truth = 0;
  d->c = 1;
}

typedef struct {
  char c;
  uint32_t cp; /* Haskell's Char */
  wchar_t w;
  uint32_t ascii; /* Haskell's Char */
} Chars32;
#define MEMBERS_Chars32(M, T) M(T, ONE, c) M(T, ONE, cp) M(T, ONE, w) M(T, ONE, ascii)
HARNESS_WALKS(Chars32)

EXPORT void fill_Chars32(Chars32 *d) {
  ZERO(d);
  d->c = 'x';
  d->cp = 0x10ffff;
  d->w = -1;
  d->ascii = 'A';
}

typedef struct {
  char c;
  void *p;
  void (*fn)(void);
  const char *s;
  int (*cmp)(const void *, const void *);
} Pointers;
#define MEMBERS_Pointers(M, T)                                                                    \
  M(T, ONE, c) M(T, PTR, p) M(T, PTR, fn) M(T, PTR, s) M(T, PTR, cmp)
HARNESS_WALKS(Pointers)

EXPORT void fill_Pointers(Pointers *d) {
  ZERO(d);
  d->c = 5;
  d->p = (void *)(uintptr_t)8;
  d->fn = (void (*)(void))(uintptr_t)1;
  d->s = (const char *)(uintptr_t)16;
  d->cmp = (int (*)(const void *, const void *))(uintptr_t)2;
}

/* ================================ padding ================================ */

typedef struct {
  char c;
  double d;
  char e;
} CharDouble;
#define MEMBERS_CharDouble(M, T) M(T, ONE, c) M(T, ONE, d) M(T, ONE, e)
HARNESS_WALKS(CharDouble)

EXPORT void fill_CharDouble(CharDouble *d) {
  ZERO(d);
  d->c = -1;
  d->d = 0.5;
  d->e = 1;
}

typedef struct {
  short s;
  char a, b, c;
} ShortChars;
#define MEMBERS_ShortChars(M, T) M(T, ONE, s) M(T, ONE, a) M(T, ONE, b) M(T, ONE, c)
HARNESS_WALKS(ShortChars)

EXPORT void fill_ShortChars(ShortChars *d) {
  ZERO(d);
  d->s = -300;
  d->a = 1;
  d->b = 2;
  d->c = 3;
}

typedef struct {
  char c;
} OneChar;
#define MEMBERS_OneChar(M, T) M(T, ONE, c)
HARNESS_WALKS(OneChar)

EXPORT void fill_OneChar(OneChar *d) {
  ZERO(d);
  d->c = -128;
}

typedef struct {
  long long v;
  char c;
} LongLongTail;
#define MEMBERS_LongLongTail(M, T) M(T, ONE, v) M(T, ONE, c)
HARNESS_WALKS(LongLongTail)

EXPORT void fill_LongLongTail(LongLongTail *d) {
  ZERO(d);
  d->v = -2;
  d->c = 9;
}

/* ================================ nested ================================ */

typedef struct {
  Vec3 a;
  Vec3 b;
} Line;
#define MEMBERS_Line(M, T) M(T, SUB, a, Vec3) M(T, SUB, b, Vec3)
HARNESS_WALKS(Line)

EXPORT void fill_Line(Line *d) {
  ZERO(d);
  set_vec3(&d->a, 1, 2, 3);
  set_vec3(&d->b, 4, 5, 6);
}

typedef struct {
  Vec3 v[3];
  uint32_t color;
} Triangle;
#define MEMBERS_Triangle(M, T) M(T, SUBS, v, Vec3) M(T, ONE, color)
HARNESS_WALKS(Triangle)

EXPORT void fill_Triangle(Triangle *d) {
  ZERO(d);
  for (int i = 0; i < 3; i++) set_vec3(&d->v[i], (float)i, (float)i + 0.5f, (float)-i);
  d->color = 0xff00ff00u;
}

typedef struct {
  char c;
  short s;
} Inner;
#define MEMBERS_Inner(M, T) M(T, ONE, c) M(T, ONE, s)
HARNESS_WALKS(Inner)

EXPORT void fill_Inner(Inner *d) {
  ZERO(d);
  d->c = 5;
  d->s = -5;
}

typedef struct {
  Inner in;
  int32_t x;
  Inner more[2];
} Mid;
#define MEMBERS_Mid(M, T) M(T, SUB, in, Inner) M(T, ONE, x) M(T, SUBS, more, Inner)
HARNESS_WALKS(Mid)

static void fill_mid(Mid *d) {
  d->in.c = 1;
  d->in.s = 2;
  d->x = 3;
  d->more[0].c = 4;
  d->more[0].s = 5;
  d->more[1].c = 6;
  d->more[1].s = 7;
}

EXPORT void fill_Mid(Mid *d) {
  ZERO(d);
  fill_mid(d);
}

typedef struct {
  char c;
  Mid m;
  double d;
} Deep;
#define MEMBERS_Deep(M, T) M(T, ONE, c) M(T, SUB, m, Mid) M(T, ONE, d)
HARNESS_WALKS(Deep)

EXPORT void fill_Deep(Deep *d) {
  ZERO(d);
  d->c = 8;
  fill_mid(&d->m);
  d->d = 9.5;
}

typedef union {
  Vec3 v;
  Particle p;
  char raw[7];
} UnionOfStructs;
#define MEMBERS_UnionOfStructs(M, T) M(T, SUB, v, Vec3)
HARNESS_WALKS(UnionOfStructs)

EXPORT void fill_UnionOfStructs(UnionOfStructs *d) {
  ZERO(d);
  set_vec3(&d->v, 1, -1, 0.5f);
}

typedef struct {
  Num n[3];
  char c;
} ArrayOfUnions;
#define MEMBERS_ArrayOfUnions(M, T) M(T, SUBS, n, Num) M(T, ONE, c)
HARNESS_WALKS(ArrayOfUnions)

EXPORT void fill_ArrayOfUnions(ArrayOfUnions *d) {
  ZERO(d);
  d->n[0].i = 1;
  d->n[1].i = -1;
  d->n[2].i = 7;
  d->c = 3;
}

typedef union {
  int16_t s;
  char c[3];
} Small;
#define MEMBERS_Small(M, T) M(T, ONE, s)
HARNESS_WALKS(Small)

EXPORT void fill_Small(Small *d) {
  ZERO(d);
  d->s = -2;
}

typedef struct {
  char tag;
  Small u;
  int8_t end;
} WithSmall;
#define MEMBERS_WithSmall(M, T) M(T, ONE, tag) M(T, SUB, u, Small) M(T, ONE, end)
HARNESS_WALKS(WithSmall)

EXPORT void fill_WithSmall(WithSmall *d) {
  ZERO(d);
  d->tag = 'u';
  d->u.s = 1000;
  d->end = -9;
}

/* A packed struct inside a plain one: aligned to 1 there too. */
typedef struct {
  char c;
  Packed p;
  int32_t x;
} HoldsPacked;
#define MEMBERS_HoldsPacked(M, T) M(T, ONE, c) M(T, SUB, p, Packed) M(T, ONE, x)
HARNESS_WALKS(HoldsPacked)

EXPORT void fill_HoldsPacked(HoldsPacked *d) {
  ZERO(d);
  d->c = 1;
  fill_packed(&d->p);
  d->x = -1;
}

/* ================================ arrays ================================ */

typedef struct {
  float m[3][3];
} Matrix;
#define MEMBERS_Matrix(M, T) M(T, ARR2, m)
HARNESS_WALKS(Matrix)

EXPORT void fill_Matrix(Matrix *d) {
  ZERO(d);
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 3; j++) d->m[i][j] = (float)(i * 3 + j) + 0.25f;
}

typedef struct {
  char c;
  int16_t g[2][3];
} Grid;
#define MEMBERS_Grid(M, T) M(T, ONE, c) M(T, ARR2, g)
HARNESS_WALKS(Grid)

EXPORT void fill_Grid(Grid *d) {
  ZERO(d);
  d->c = 'g';
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 3; j++) d->g[i][j] = (int16_t)(i * 100 - j);
}

typedef struct {
  char names[3][4];
} CharGrid;
#define MEMBERS_CharGrid(M, T) M(T, ARR2, names)
HARNESS_WALKS(CharGrid)

EXPORT void fill_CharGrid(CharGrid *d) {
  ZERO(d);
  copy_bytes(d->names[0], "abcd", 4);
  copy_bytes(d->names[1], "de", 2);
}

/* GNU C's zero-length array: no bytes, but its alignment counts. */
typedef struct {
  uint8_t n;
  int32_t items[0];
} EmptyArray;
#define MEMBERS_EmptyArray(M, T) M(T, ONE, n) M(T, ARR, items)
HARNESS_WALKS(EmptyArray)

EXPORT void fill_EmptyArray(EmptyArray *d) {
  ZERO(d);
  d->n = 200;
}

typedef struct {
  _Bool flags[5];
  int32_t n;
} BoolArray;
#define MEMBERS_BoolArray(M, T) M(T, ARR, flags) M(T, ONE, n)
HARNESS_WALKS(BoolArray)

EXPORT void fill_BoolArray(BoolArray *d) {
  ZERO(d);
  d->flags[0] = 1;
  d->flags[2] = 1;
  d->flags[3] = 1;
  d->n = 5;
}

typedef struct {
  char c;
  void *p[3];
} PtrArray;
#define MEMBERS_PtrArray(M, T) M(T, ONE, c) M(T, PTRS, p)
HARNESS_WALKS(PtrArray)

EXPORT void fill_PtrArray(PtrArray *d) {
  ZERO(d);
  d->c = 1;
  for (int i = 0; i < 3; i++) d->p[i] = (void *)(uintptr_t)(4 * (i + 1));
}

typedef struct {
  void (*table[2])(void);
  int32_t n;
} FunPtrs;
#define MEMBERS_FunPtrs(M, T) M(T, PTRS, table) M(T, ONE, n)
HARNESS_WALKS(FunPtrs)

EXPORT void fill_FunPtrs(FunPtrs *d) {
  ZERO(d);
  d->table[0] = (void (*)(void))(uintptr_t)5;
  d->table[1] = (void (*)(void))(uintptr_t)6;
  d->n = 2;
}

typedef struct {
  char c;
  double d[2];
  float f[3];
} FloatArrays;
#define MEMBERS_FloatArrays(M, T) M(T, ONE, c) M(T, ARR, d) M(T, ARR, f)
HARNESS_WALKS(FloatArrays)

EXPORT void fill_FloatArrays(FloatArrays *d) {
  ZERO(d);
  d->c = 2;
  d->d[0] = 1e-300;
  d->d[1] = -1e300;
  for (int i = 0; i < 3; i++) d->f[i] = (float)(i + 1);
}

typedef struct {
  uint8_t c;
  uint64_t v[2];
} U64Array;
#define MEMBERS_U64Array(M, T) M(T, ONE, c) M(T, ARR, v)
HARNESS_WALKS(U64Array)

EXPORT void fill_U64Array(U64Array *d) {
  ZERO(d);
  d->c = 9;
  d->v[0] = 1;
  d->v[1] = UINT64_MAX;
}

/* ================================ packed ================================ */

typedef struct __attribute__((packed)) {
  char c;
  Vec3 v;
  double d;
} PackedNested;
#define MEMBERS_PackedNested(M, T) M(T, ONE, c) M(T, SUB, v, Vec3) M(T, ONE, d)
HARNESS_WALKS(PackedNested)

EXPORT void fill_PackedNested(PackedNested *d) {
  ZERO(d);
  d->c = 1;
  d->v.x = 1;
  d->v.y = 2;
  d->v.z = 3;
  d->d = 4;
}

typedef struct __attribute__((packed)) {
  uint8_t n;
  uint32_t v[3];
  uint16_t t;
} PackedArray;
#define MEMBERS_PackedArray(M, T) M(T, ONE, n) M(T, ARR, v) M(T, ONE, t)
HARNESS_WALKS(PackedArray)

EXPORT void fill_PackedArray(PackedArray *d) {
  ZERO(d);
  d->n = 3;
  d->v[0] = 1;
  d->v[1] = 0x80000000u;
  d->v[2] = UINT32_MAX;
  d->t = 0xbeef;
}

typedef union __attribute__((packed)) {
  uint8_t b;
  uint32_t w;
  double d;
} PackedUnion;
#define MEMBERS_PackedUnion(M, T) M(T, ONE, b)
HARNESS_WALKS(PackedUnion)

EXPORT void fill_PackedUnion(PackedUnion *d) {
  ZERO(d);
  d->b = 0x7f;
}

typedef struct __attribute__((packed)) {
  char c;
  long l;
  size_t n;
  void *p;
} PackedWords;
#define MEMBERS_PackedWords(M, T) M(T, ONE, c) M(T, ONE, l) M(T, ONE, n) M(T, PTR, p)
HARNESS_WALKS(PackedWords)

EXPORT void fill_PackedWords(PackedWords *d) {
  ZERO(d);
  d->c = 1;
  d->l = -1;
  d->n = 7;
  d->p = (void *)(uintptr_t)32;
}

/* Packed, then aligned as a whole: no padding inside, 3 bytes of tail. */
typedef struct __attribute__((packed, aligned(4))) {
  char c;
  int32_t x;
} PackedAligned4;
#define MEMBERS_PackedAligned4(M, T) M(T, ONE, c) M(T, ONE, x)
HARNESS_WALKS(PackedAligned4)

EXPORT void fill_PackedAligned4(PackedAligned4 *d) {
  ZERO(d);
  d->c = 1;
  d->x = 0x11223344;
}

typedef struct {
  char c;
  PackedAligned4 p;
} HoldsPackedAligned4;
#define MEMBERS_HoldsPackedAligned4(M, T) M(T, ONE, c) M(T, SUB, p, PackedAligned4)
HARNESS_WALKS(HoldsPackedAligned4)

EXPORT void fill_HoldsPackedAligned4(HoldsPackedAligned4 *d) {
  ZERO(d);
  d->c = 2;
  d->p.c = 3;
  d->p.x = -4;
}

typedef struct __attribute__((packed)) {
  char c;
  enum Color col;
} EnumInPacked;
#define MEMBERS_EnumInPacked(M, T) M(T, ONE, c) M(T, ONE, col)
HARNESS_WALKS(EnumInPacked)

EXPORT void fill_EnumInPacked(EnumInPacked *d) {
  ZERO(d);
  d->c = 6;
  d->col = GREEN;
}

/* ================================ _Alignas and aligned ================================ */

typedef struct {
  char c;
  _Alignas(8) int32_t x;
  char d;
} Alignas8;
#define MEMBERS_Alignas8(M, T) M(T, ONE, c) M(T, ONE, x) M(T, ONE, d)
HARNESS_WALKS(Alignas8)

EXPORT void fill_Alignas8(Alignas8 *d) {
  ZERO(d);
  d->c = 1;
  d->x = 2;
  d->d = 3;
}

typedef struct {
  _Alignas(16) char c;
} Alignas16Char;
#define MEMBERS_Alignas16Char(M, T) M(T, ONE, c)
HARNESS_WALKS(Alignas16Char)

EXPORT void fill_Alignas16Char(Alignas16Char *d) {
  ZERO(d);
  d->c = 'q';
}

typedef struct {
  char c;
  _Alignas(16) float v[4];
} AlignasArray;
#define MEMBERS_AlignasArray(M, T) M(T, ONE, c) M(T, ARR, v)
HARNESS_WALKS(AlignasArray)

EXPORT void fill_AlignasArray(AlignasArray *d) {
  ZERO(d);
  d->c = 1;
  for (int i = 0; i < 4; i++) d->v[i] = (float)(i + 1);
}

/* `_Alignas(type)`: the alignment of another type. */
typedef struct {
  char c;
  _Alignas(double) char d;
} AlignasType;
#define MEMBERS_AlignasType(M, T) M(T, ONE, c) M(T, ONE, d)
HARNESS_WALKS(AlignasType)

EXPORT void fill_AlignasType(AlignasType *d) {
  ZERO(d);
  d->c = 1;
  d->d = 2;
}

/* An alignment below the natural one does not lower it (outside a packed struct). */
typedef struct {
  char c;
  int32_t x __attribute__((aligned(2)));
} AlignedLow;
#define MEMBERS_AlignedLow(M, T) M(T, ONE, c) M(T, ONE, x)
HARNESS_WALKS(AlignedLow)

EXPORT void fill_AlignedLow(AlignedLow *d) {
  ZERO(d);
  d->c = 1;
  d->x = -1;
}

typedef struct __attribute__((aligned(16))) {
  double d;
} Over16;
#define MEMBERS_Over16(M, T) M(T, ONE, d)
HARNESS_WALKS(Over16)

EXPORT void fill_Over16(Over16 *d) {
  ZERO(d);
  d->d = 1.5;
}

/* An array of an over-aligned type: each element padded to 16. */
typedef struct {
  char c;
  Over16 a[2];
} Over16Array;
#define MEMBERS_Over16Array(M, T) M(T, ONE, c) M(T, SUBS, a, Over16)
HARNESS_WALKS(Over16Array)

EXPORT void fill_Over16Array(Over16Array *d) {
  ZERO(d);
  d->c = 3;
  d->a[0].d = 1;
  d->a[1].d = 2;
}

typedef union __attribute__((aligned(16))) {
  int32_t i;
  char c[3];
} AlignedUnion;
#define MEMBERS_AlignedUnion(M, T) M(T, ONE, i)
HARNESS_WALKS(AlignedUnion)

EXPORT void fill_AlignedUnion(AlignedUnion *d) {
  ZERO(d);
  d->i = 0x01020304;
}

/* ================================ bit-fields ================================ */

typedef struct {
  unsigned a : 1;
  unsigned b : 1;
  unsigned c : 1;
  unsigned rest : 29;
} Flags;
#define MEMBERS_Flags(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c) M(T, BITS, rest)
HARNESS_WALKS(Flags)

EXPORT void fill_Flags(Flags *d) {
  ZERO(d);
  d->a = 1;
  d->b = 0;
  d->c = 1;
  d->rest = 0x1fffffff;
}

/* Across storage units: a field that does not fit the rest of its unit starts the next one. */
typedef struct {
  uint8_t a : 5;
  uint8_t b : 5;
  uint8_t c : 6;
} StraddleByte;
#define MEMBERS_StraddleByte(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c)
HARNESS_WALKS(StraddleByte)

EXPORT void fill_StraddleByte(StraddleByte *d) {
  ZERO(d);
  d->a = 31;
  d->b = 17;
  d->c = 42;
}

typedef struct {
  uint16_t a : 10;
  uint16_t b : 10;
  uint16_t c : 12;
} StraddleShort;
#define MEMBERS_StraddleShort(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c)
HARNESS_WALKS(StraddleShort)

EXPORT void fill_StraddleShort(StraddleShort *d) {
  ZERO(d);
  d->a = 1023;
  d->b = 512;
  d->c = 4095;
}

typedef struct {
  uint32_t a : 20;
  uint32_t b : 20;
  uint64_t c : 30;
} StraddleWide;
#define MEMBERS_StraddleWide(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c)
HARNESS_WALKS(StraddleWide)

EXPORT void fill_StraddleWide(StraddleWide *d) {
  ZERO(d);
  d->a = 0xfffff;
  d->b = 1;
  d->c = 0x3fffffff;
}

typedef struct {
  int a : 4;
  int : 4;
  int b : 4;
  int : 0;
  int c : 4;
  unsigned : 3;
  unsigned d : 5;
} Unnamed;
#define MEMBERS_Unnamed(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c) M(T, BITS, d)
HARNESS_WALKS(Unnamed)

EXPORT void fill_Unnamed(Unnamed *d) {
  ZERO(d);
  d->a = -8;
  d->b = 7;
  d->c = -1;
  d->d = 31;
}

/* char bit-fields (a GNU C extension) and zero-width fields of char and short. */
typedef struct {
  char a : 3;
  char : 0;
  char b : 3;
  short : 0;
  char c;
} ZeroWidthChar;
#define MEMBERS_ZeroWidthChar(M, T) M(T, BITS, a) M(T, BITS, b) M(T, ONE, c)
HARNESS_WALKS(ZeroWidthChar)

EXPORT void fill_ZeroWidthChar(ZeroWidthChar *d) {
  ZERO(d);
  d->a = -4;
  d->b = 3;
  d->c = 5;
}

typedef struct {
  int : 3;
  int a : 5;
  char c;
} UnnamedFirst;
#define MEMBERS_UnnamedFirst(M, T) M(T, BITS, a) M(T, ONE, c)
HARNESS_WALKS(UnnamedFirst)

EXPORT void fill_UnnamedFirst(UnnamedFirst *d) {
  ZERO(d);
  d->a = -16;
  d->c = 1;
}

/* A zero-width field first: no bytes, and (on both targets) no alignment either. */
typedef struct {
  int : 0;
  char c;
} ZeroFirst;
#define MEMBERS_ZeroFirst(M, T) M(T, ONE, c)
HARNESS_WALKS(ZeroFirst)

EXPORT void fill_ZeroFirst(ZeroFirst *d) {
  ZERO(d);
  d->c = 7;
}

/* Bit-fields after a whole-byte member share its storage unit. */
typedef struct {
  char c;
  int a : 20;
  short s : 10;
  long long b : 40;
} MixedBits;
#define MEMBERS_MixedBits(M, T) M(T, ONE, c) M(T, BITS, a) M(T, BITS, s) M(T, BITS, b)
HARNESS_WALKS(MixedBits)

EXPORT void fill_MixedBits(MixedBits *d) {
  ZERO(d);
  d->c = 1;
  d->a = -524288;
  d->s = 511;
  d->b = -1;
}

typedef struct {
  signed char a : 3;
  short b : 7;
  int c : 17;
  long long d : 63;
} SignedBits;
#define MEMBERS_SignedBits(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c) M(T, BITS, d)
HARNESS_WALKS(SignedBits)

EXPORT void fill_SignedBits(SignedBits *d) {
  ZERO(d);
  d->a = -4;
  d->b = 63;
  d->c = -65536;
  d->d = -4611686018427387904ll;
}

typedef struct {
  _Bool a : 1;
  _Bool b : 1;
  uint8_t c : 6;
} BoolBits;
#define MEMBERS_BoolBits(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c)
HARNESS_WALKS(BoolBits)

EXPORT void fill_BoolBits(BoolBits *d) {
  ZERO(d);
  d->a = 1;
  d->b = 0;
  d->c = 63;
}

/* long bit-fields: 32-bit units on wasm32 (b starts the next one), one 64-bit unit on LP64. */
typedef struct {
  long a : 20;
  unsigned long b : 30;
  char c;
} LongBits;
#define MEMBERS_LongBits(M, T) M(T, BITS, a) M(T, BITS, b) M(T, ONE, c)
HARNESS_WALKS(LongBits)

EXPORT void fill_LongBits(LongBits *d) {
  ZERO(d);
  d->a = -1;
  d->b = 0x3fffffff;
  d->c = 2;
}

typedef struct __attribute__((packed)) {
  uint8_t a : 7;
  uint16_t b : 12;
  uint32_t c : 25;
} PackedStraddle;
#define MEMBERS_PackedStraddle(M, T) M(T, BITS, a) M(T, BITS, b) M(T, BITS, c)
HARNESS_WALKS(PackedStraddle)

EXPORT void fill_PackedStraddle(PackedStraddle *d) {
  ZERO(d);
  d->a = 127;
  d->b = 0xabc;
  d->c = 0x1ffffff;
}

typedef union {
  Flags f;
  uint32_t raw;
} UnionBits;
#define MEMBERS_UnionBits(M, T) M(T, SUB, f, Flags)
HARNESS_WALKS(UnionBits)

EXPORT void fill_UnionBits(UnionBits *d) {
  ZERO(d);
  d->f.a = 1;
  d->f.c = 1;
  d->f.rest = 5;
}

typedef struct {
  uint64_t a : 1;
  uint64_t b : 63;
} Bits64;
#define MEMBERS_Bits64(M, T) M(T, BITS, a) M(T, BITS, b)
HARNESS_WALKS(Bits64)

EXPORT void fill_Bits64(Bits64 *d) {
  ZERO(d);
  d->a = 1;
  d->b = 0x7fffffffffffffffull;
}

/* A whole-byte member between bit-fields: it starts at the next byte, and b after it. */
typedef struct {
  unsigned a : 3;
  uint8_t arr[3];
  unsigned b : 9;
} BitsAroundArray;
#define MEMBERS_BitsAroundArray(M, T) M(T, BITS, a) M(T, ARR, arr) M(T, BITS, b)
HARNESS_WALKS(BitsAroundArray)

EXPORT void fill_BitsAroundArray(BitsAroundArray *d) {
  ZERO(d);
  d->a = 5;
  for (int i = 0; i < 3; i++) d->arr[i] = (uint8_t)(i + 1);
  d->b = 300;
}

/* ================================ enums ================================ */

enum Small3 { S0, S1, S2 };

typedef struct {
  char c;
  enum Small3 e;
  char d;
} WithSmallEnum;
#define MEMBERS_WithSmallEnum(M, T) M(T, ONE, c) M(T, ONE, e) M(T, ONE, d)
HARNESS_WALKS(WithSmallEnum)

EXPORT void fill_WithSmallEnum(WithSmallEnum *d) {
  ZERO(d);
  d->c = 1;
  d->e = S2;
  d->d = 2;
}

/* An enumerator beyond int makes the enum 8 bytes (a GNU C extension before C23). */
enum Wide64 { W_SMALL = 1, W_BIG = 0x100000000 };

typedef struct {
  char c;
  enum Wide64 e;
} WithWideEnum;
#define MEMBERS_WithWideEnum(M, T) M(T, ONE, c) M(T, ONE, e)
HARNESS_WALKS(WithWideEnum)

EXPORT void fill_WithWideEnum(WithWideEnum *d) {
  ZERO(d);
  d->c = 1;
  d->e = W_BIG;
}

enum Extremes { E_MIN = -2147483647 - 1, E_MAX = 2147483647 };

typedef struct {
  enum Extremes a;
  enum Extremes b;
} WithExtremes;
#define MEMBERS_WithExtremes(M, T) M(T, ONE, a) M(T, ONE, b)
HARNESS_WALKS(WithExtremes)

EXPORT void fill_WithExtremes(WithExtremes *d) {
  ZERO(d);
  d->a = E_MIN;
  d->b = E_MAX;
}

/* Packed enums take the smallest integer type that holds their values. */
enum __attribute__((packed)) Tiny { T0, T1 = 200 };
enum __attribute__((packed)) SignedTiny { NEG1 = -1, POS1 = 1 };
enum __attribute__((packed)) Mid16 { M0 = 0, M1 = 300 };

typedef struct {
  enum Tiny t;
  enum SignedTiny s;
  enum Mid16 m;
  char c;
  enum Tiny arr[3];
} PackedEnums;
#define MEMBERS_PackedEnums(M, T)                                                                 \
  M(T, ONE, t) M(T, ONE, s) M(T, ONE, m) M(T, ONE, c) M(T, ARR, arr)
HARNESS_WALKS(PackedEnums)

EXPORT void fill_PackedEnums(PackedEnums *d) {
  ZERO(d);
  d->t = T1;
  d->s = NEG1;
  d->m = M1;
  d->c = -1;
  d->arr[0] = T0;
  d->arr[1] = T1;
  d->arr[2] = T0;
}

/* ================================ unions and strings ================================ */

typedef union {
  char c;
  double d;
  int32_t i[3];
} UnionMixed;
#define MEMBERS_UnionMixed(M, T) M(T, ONE, c)
HARNESS_WALKS(UnionMixed)

EXPORT void fill_UnionMixed(UnionMixed *d) {
  ZERO(d);
  d->c = 'm';
}

typedef union {
  char s[5];
  uint16_t w;
} UnionChars;
#define MEMBERS_UnionChars(M, T) M(T, ARR, s)
HARNESS_WALKS(UnionChars)

EXPORT void fill_UnionChars(UnionChars *d) {
  ZERO(d);
  copy_bytes(d->s, "hey", 3);
}

typedef union {
  Num n;
  Small s;
} UnionOfUnions;
#define MEMBERS_UnionOfUnions(M, T) M(T, SUB, n, Num)
HARNESS_WALKS(UnionOfUnions)

EXPORT void fill_UnionOfUnions(UnionOfUnions *d) {
  ZERO(d);
  d->n.i = 42;
}

typedef struct {
  char first[6]; /* chars(6, { terminated: true }) */
  char last[10]; /* filled to the last byte, no NUL */
  uint8_t age;
} Names;
#define MEMBERS_Names(M, T) M(T, ARR, first) M(T, ARR, last) M(T, ONE, age)
HARNESS_WALKS(Names)

EXPORT void fill_Names(Names *d) {
  ZERO(d);
  copy_bytes(d->first, "Zo\xc3\xab", 4);
  copy_bytes(d->last, "\xc3\x85ngstr\xc3\xb6m", 10);
  d->age = 99;
}

/* ================================ the lists ================================ */

#define ALL_STRUCTS(X)                                                                            \
  X(Particle) X(Vec3) X(Body) X(Tagged) X(Packed) X(AlignedMember) X(Aligned32) X(HoldsAligned)   \
  X(PackedAligned) X(Bits) X(PackedBits) X(ZeroWidth) X(Strings) X(Words) X(WithEnum) X(Misc)     \
  X(Ints8) X(Ints16) X(Ints32) X(Ints64) X(Tails) X(Floats) X(Bools) X(Chars32) X(Pointers)       \
  X(CharDouble) X(ShortChars) X(OneChar) X(LongLongTail) X(Line) X(Triangle) X(Inner) X(Mid)      \
  X(Deep) X(ArrayOfUnions) X(WithSmall) X(HoldsPacked) X(Matrix) X(Grid) X(CharGrid)              \
  X(EmptyArray) X(BoolArray) X(PtrArray) X(FunPtrs) X(FloatArrays) X(U64Array) X(PackedNested)    \
  X(PackedArray) X(PackedWords) X(PackedAligned4) X(HoldsPackedAligned4) X(EnumInPacked)          \
  X(Alignas8) X(Alignas16Char) X(AlignasArray) X(AlignasType) X(AlignedLow) X(Over16)             \
  X(Over16Array) X(Flags) X(StraddleByte) X(StraddleShort) X(StraddleWide) X(Unnamed)             \
  X(ZeroWidthChar) X(UnnamedFirst) X(ZeroFirst) X(MixedBits) X(SignedBits) X(BoolBits)            \
  X(LongBits) X(PackedStraddle) X(Bits64) X(BitsAroundArray) X(WithSmallEnum) X(WithWideEnum)     \
  X(WithExtremes) X(PackedEnums) X(Names)

#define ALL_TYPES(X)                                                                              \
  X(Particle) X(Vec3) X(Body) X(Num) X(Tagged) X(Packed) X(AlignedMember) X(Aligned32)            \
  X(HoldsAligned) X(PackedAligned) X(Bits) X(PackedBits) X(ZeroWidth) X(Strings) X(Words)         \
  X(WithEnum) X(Misc) X(Ints8) X(Ints16) X(Ints32) X(Ints64) X(Tails) X(Floats) X(Bools)          \
  X(Chars32) X(Pointers) X(CharDouble) X(ShortChars) X(OneChar) X(LongLongTail) X(Line)           \
  X(Triangle) X(Inner) X(Mid) X(Deep) X(UnionOfStructs) X(ArrayOfUnions) X(Small) X(WithSmall)    \
  X(HoldsPacked) X(Matrix) X(Grid) X(CharGrid) X(EmptyArray) X(BoolArray) X(PtrArray)             \
  X(FunPtrs) X(FloatArrays) X(U64Array) X(PackedNested) X(PackedArray) X(PackedUnion)             \
  X(PackedWords) X(PackedAligned4) X(HoldsPackedAligned4) X(EnumInPacked) X(Alignas8)             \
  X(Alignas16Char) X(AlignasArray) X(AlignasType) X(AlignedLow) X(Over16) X(Over16Array)          \
  X(AlignedUnion) X(Flags) X(StraddleByte) X(StraddleShort) X(StraddleWide) X(Unnamed)            \
  X(ZeroWidthChar) X(UnnamedFirst) X(ZeroFirst) X(MixedBits) X(SignedBits) X(BoolBits)            \
  X(LongBits) X(PackedStraddle) X(UnionBits) X(Bits64) X(BitsAroundArray) X(WithSmallEnum)        \
  X(WithWideEnum) X(WithExtremes) X(PackedEnums) X(UnionMixed) X(UnionChars) X(UnionOfUnions)     \
  X(Names)

HARNESS_MEMBERS
