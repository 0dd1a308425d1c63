/*
 * C types whose layouts foreign-ts must reproduce, for wasm32 and x86-64 (LP64). Each one is
 * described with the library's combinators in test/foreign/helpers/c-types.ts.
 *
 * `npm run build:c` (registry: c/artifacts.ts) compiles this file with clang for wasm32
 * (c/build/layouts.wasm) and with gcc for x86-64, and records what each compiler reports
 * (sizes, alignments, offsets, bit-field positions, the bytes of fill_T and of copy_T) in
 * c/build/layouts.wasm32.json and c/build/layouts.x86_64.json. test/foreign/layouts.test.ts
 * checks the library against those, with no compiler; test/c/layouts-live.test.ts
 * (`npm run test:c`) against the live gcc program.
 */
#include "harness.h"

/* The benchmark struct of the project. */
typedef struct {
  uint8_t kind;
  double x, y, z;
  float mass;
  int32_t id;
  uint64_t flags;
  int16_t tag[4];
} Particle;

typedef struct {
  float x, y, z;
} Vec3;

/* Nested structs, a char array and a struct after a struct. */
typedef struct {
  char name[12];
  Vec3 pos;
  Vec3 vel;
  double mass;
  Particle core;
  uint16_t count;
} Body;

/* A union whose first member is smaller than the union. */
typedef union {
  int32_t i;
  float f;
  double d;
  uint8_t bytes[8];
} Num;

typedef struct {
  uint8_t tag;
  Num value;
  int8_t after;
} Tagged;

typedef struct __attribute__((packed)) {
  uint8_t a;
  uint32_t b;
  uint16_t c;
  double d;
  Vec3 v;
} Packed;

typedef struct {
  char c;
  int32_t x __attribute__((aligned(16)));
  char d;
} AlignedMember;

typedef struct __attribute__((aligned(32))) {
  int32_t a;
  char b;
} Aligned32;

typedef struct {
  char c;
  Aligned32 inner;
} HoldsAligned;

typedef struct __attribute__((packed)) {
  char c;
  int32_t x __attribute__((aligned(4)));
  char d;
} PackedAligned;

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

typedef struct __attribute__((packed)) {
  uint8_t a : 3;
  uint32_t b : 30;
  uint16_t c : 12;
  uint64_t d : 60;
} PackedBits;

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

typedef struct {
  char name[8]; /* chars(8, { terminated: true }) */
  char code[3];
  int32_t n;
  char full[4]; /* may be filled with no NUL */
} Strings;

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

enum Color { RED, GREEN = 5, BLUE = -1 };

typedef struct {
  enum Color color;
  uint8_t x;
  enum Color more[2];
} WithEnum;

typedef struct {
  _Bool b;
  int32_t i;
  wchar_t w;
  uint32_t cp; /* Haskell's Char: a code point */
  float f;
  int32_t truth; /* Haskell's Bool: a C int */
} Misc;

#define ALL_TYPES(X)                                                                              \
  X(Particle) X(Vec3) X(Body) X(Num) X(Tagged) X(Packed) X(AlignedMember) X(Aligned32)            \
  X(HoldsAligned) X(PackedAligned) X(Bits) X(PackedBits) X(ZeroWidth) X(Strings) X(Words)         \
  X(WithEnum) X(Misc)

#define ALL_FIELDS(F)                                                                             \
  F(Particle, kind) F(Particle, x) F(Particle, y) F(Particle, z) F(Particle, mass)                \
  F(Particle, id) F(Particle, flags) F(Particle, tag)                                             \
  F(Vec3, x) F(Vec3, y) F(Vec3, z)                                                                \
  F(Body, name) F(Body, pos) F(Body, vel) F(Body, mass) F(Body, core) F(Body, count)              \
  F(Tagged, tag) F(Tagged, value) F(Tagged, after)                                                \
  F(Packed, a) F(Packed, b) F(Packed, c) F(Packed, d) F(Packed, v)                                \
  F(AlignedMember, c) F(AlignedMember, x) F(AlignedMember, d)                                     \
  F(Aligned32, a) F(Aligned32, b)                                                                 \
  F(HoldsAligned, c) F(HoldsAligned, inner)                                                       \
  F(PackedAligned, c) F(PackedAligned, x) F(PackedAligned, d)                                     \
  F(Bits, tail)                                                                                   \
  F(ZeroWidth, before) F(ZeroWidth, after) F(ZeroWidth, x)                                        \
  F(Strings, name) F(Strings, code) F(Strings, n) F(Strings, full)                                \
  F(Words, c) F(Words, l) F(Words, s) F(Words, p) F(Words, d) F(Words, ip) F(Words, up)           \
  F(Words, ul) F(Words, fn) F(Words, ll) F(Words, last)                                           \
  F(WithEnum, color) F(WithEnum, x) F(WithEnum, more)                                             \
  F(Misc, b) F(Misc, i) F(Misc, w) F(Misc, cp) F(Misc, f) F(Misc, truth)

#define ALL_BITS(B)                                                                               \
  B(Bits, a) B(Bits, b) B(Bits, c) B(Bits, d) B(Bits, e) B(Bits, f) B(Bits, g) B(Bits, h)         \
  B(PackedBits, a) B(PackedBits, b) B(PackedBits, c) B(PackedBits, d)                             \
  B(ZeroWidth, s)

/* ---- copies: every member, one by one ---- */

static void copy_bytes(char *d, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) d[i] = s[i];
}

EXPORT void copy_Particle(Particle *d, const Particle *s) {
  ZERO(d);
  d->kind = s->kind;
  d->x = s->x;
  d->y = s->y;
  d->z = s->z;
  d->mass = s->mass;
  d->id = s->id;
  d->flags = s->flags;
  for (int i = 0; i < 4; i++) d->tag[i] = s->tag[i];
}

static void copy_vec3(Vec3 *d, const Vec3 *s) {
  d->x = s->x;
  d->y = s->y;
  d->z = s->z;
}

EXPORT void copy_Vec3(Vec3 *d, const Vec3 *s) {
  ZERO(d);
  copy_vec3(d, s);
}

EXPORT void copy_Body(Body *d, const Body *s) {
  ZERO(d);
  copy_bytes(d->name, s->name, sizeof d->name);
  copy_vec3(&d->pos, &s->pos);
  copy_vec3(&d->vel, &s->vel);
  d->mass = s->mass;
  Particle core;
  copy_Particle(&core, &s->core);
  __builtin_memcpy(&d->core, &core, sizeof core);
  d->count = s->count;
}

EXPORT void copy_Num(Num *d, const Num *s) {
  ZERO(d);
  d->i = s->i;
}

EXPORT void copy_Tagged(Tagged *d, const Tagged *s) {
  ZERO(d);
  d->tag = s->tag;
  d->value.i = s->value.i;
  d->after = s->after;
}

EXPORT void copy_Packed(Packed *d, const Packed *s) {
  ZERO(d);
  d->a = s->a;
  d->b = s->b;
  d->c = s->c;
  d->d = s->d;
  d->v.x = s->v.x;
  d->v.y = s->v.y;
  d->v.z = s->v.z;
}

EXPORT void copy_AlignedMember(AlignedMember *d, const AlignedMember *s) {
  ZERO(d);
  d->c = s->c;
  d->x = s->x;
  d->d = s->d;
}

EXPORT void copy_Aligned32(Aligned32 *d, const Aligned32 *s) {
  ZERO(d);
  d->a = s->a;
  d->b = s->b;
}

EXPORT void copy_HoldsAligned(HoldsAligned *d, const HoldsAligned *s) {
  ZERO(d);
  d->c = s->c;
  d->inner.a = s->inner.a;
  d->inner.b = s->inner.b;
}

EXPORT void copy_PackedAligned(PackedAligned *d, const PackedAligned *s) {
  ZERO(d);
  d->c = s->c;
  d->x = s->x;
  d->d = s->d;
}

EXPORT void copy_Bits(Bits *d, const Bits *s) {
  ZERO(d);
  d->a = s->a;
  d->b = s->b;
  d->c = s->c;
  d->d = s->d;
  d->e = s->e;
  d->f = s->f;
  d->g = s->g;
  d->h = s->h;
  d->tail = s->tail;
}

EXPORT void copy_PackedBits(PackedBits *d, const PackedBits *s) {
  ZERO(d);
  d->a = s->a;
  d->b = s->b;
  d->c = s->c;
  d->d = s->d;
}

EXPORT void copy_ZeroWidth(ZeroWidth *d, const ZeroWidth *s) {
  ZERO(d);
  d->before = s->before;
  d->after = s->after;
  d->s = s->s;
  d->x = s->x;
}

EXPORT void copy_Strings(Strings *d, const Strings *s) {
  ZERO(d);
  copy_bytes(d->name, s->name, sizeof d->name);
  copy_bytes(d->code, s->code, sizeof d->code);
  d->n = s->n;
  copy_bytes(d->full, s->full, sizeof d->full);
}

EXPORT void copy_Words(Words *d, const Words *s) {
  ZERO(d);
  d->c = s->c;
  d->l = s->l;
  d->s = s->s;
  d->p = s->p;
  d->d = s->d;
  d->ip = s->ip;
  d->up = s->up;
  d->ul = s->ul;
  d->fn = s->fn;
  d->ll = s->ll;
  d->last = s->last;
}

EXPORT void copy_WithEnum(WithEnum *d, const WithEnum *s) {
  ZERO(d);
  d->color = s->color;
  d->x = s->x;
  d->more[0] = s->more[0];
  d->more[1] = s->more[1];
}

EXPORT void copy_Misc(Misc *d, const Misc *s) {
  ZERO(d);
  d->b = s->b;
  d->i = s->i;
  d->w = s->w;
  d->cp = s->cp;
  d->f = s->f;
  d->truth = s->truth;
}

/* ---- fills: constants the test expects to peek back ---- */

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

EXPORT void fill_Vec3(Vec3 *d) {
  ZERO(d);
  d->x = 1;
  d->y = -0.5f;
  d->z = 3e38f;
}

EXPORT void fill_Body(Body *d) {
  ZERO(d);
  copy_bytes(d->name, "Sirius \xc3\xa9t\xc3\xa9", 12);
  d->pos.x = 1;
  d->pos.y = 2;
  d->pos.z = 3;
  d->vel.x = -1;
  d->vel.y = -2;
  d->vel.z = -3;
  d->mass = 2.02;
  fill_particle(&d->core);
  d->count = 65535;
}

EXPORT void fill_Num(Num *d) {
  ZERO(d);
  d->f = 1.5f;
}

EXPORT void fill_Tagged(Tagged *d) {
  ZERO(d);
  d->tag = 2;
  d->value.i = -1;
  d->after = -128;
}

EXPORT void fill_Packed(Packed *d) {
  ZERO(d);
  d->a = 255;
  d->b = 0xdeadbeef;
  d->c = 0xabcd;
  d->d = -0.0;
  d->v.x = 0.25f;
  d->v.y = 0.5f;
  d->v.z = 0.75f;
}

EXPORT void fill_AlignedMember(AlignedMember *d) {
  ZERO(d);
  d->c = 'c';
  d->x = 0x01020304;
  d->d = 'd';
}

EXPORT void fill_Aligned32(Aligned32 *d) {
  ZERO(d);
  d->a = -5;
  d->b = 'b';
}

EXPORT void fill_HoldsAligned(HoldsAligned *d) {
  ZERO(d);
  d->c = 1;
  d->inner.a = 2;
  d->inner.b = 3;
}

EXPORT void fill_PackedAligned(PackedAligned *d) {
  ZERO(d);
  d->c = -1;
  d->x = -2;
  d->d = -3;
}

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

EXPORT void fill_PackedBits(PackedBits *d) {
  ZERO(d);
  d->a = 6;
  d->b = 0x3fffffff;
  d->c = 0x123;
  d->d = 0xfedcba987654321ull;
}

EXPORT void fill_ZeroWidth(ZeroWidth *d) {
  ZERO(d);
  d->before = 1;
  d->after = 2;
  d->s = -8;
  d->x = 4;
}

EXPORT void fill_Strings(Strings *d) {
  ZERO(d);
  copy_bytes(d->name, "na\xc3\xafve", 6);
  copy_bytes(d->code, "EU", 2);
  d->n = 42;
  copy_bytes(d->full, "full", 4);
}

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

EXPORT void fill_WithEnum(WithEnum *d) {
  ZERO(d);
  d->color = BLUE;
  d->x = 9;
  d->more[0] = GREEN;
  d->more[1] = RED;
}

EXPORT void fill_Misc(Misc *d) {
  ZERO(d);
  d->b = 1;
  d->i = 2147483647;
  d->w = L'\u00e9';
  d->cp = 0x1f600;
  d->f = 16777217.0f;
  d->truth = 1;
}

HARNESS
