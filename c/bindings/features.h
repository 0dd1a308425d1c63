/* What `foreign-ts bind` writes and what it refuses, one small declaration each: a header of
   this repository, bound for both data models like the Debian headers (c/bindings/bindings.ts).
   docs/bindings.md shows the module written from it; the tests check every layout against what
   clang reports for it. */
#ifndef FEATURES_H
#define FEATURES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* ---- constants */

#define FEATURES_VERSION "1.0 \xe2\x9c\x93"
#define FEATURES_GREETING "gr\u00fc\u00dfe, " "\U0001F600"
#define BUFFER_SIZE 4096
#define FLAG_A (1u << 0)
#define FLAG_B (1u << 1)
#define FLAGS_ALL (FLAG_A | FLAG_B)
#define MINUS_ONE (-1)
#define BIG 0xFFFFFFFFFFFFFFFFull
#define LETTER 'A'
#define HALF 0.5
#define THIRD_F 0.333333333f
#define TINY 0x1p-1074
#define NEGATIVE_TENTH (-0.1)
#define LONG_DOUBLE_ONE 1.0L
#define WIDE L"wide"
#define EMPTY_FLAG
#define POINTER ((void *)0)
#define SQUARE(x) ((x) * (x))

/* ---- enumerations */

enum color { RED, GREEN = 5, BLUE };
typedef enum { SMALL = -2, LARGE = 2000000000 } size_class;
enum big_values { HUGE_VALUE = 0x100000000 };

/* ---- structs and unions */

typedef struct point {
  int32_t x, y;
} point;

struct shape {
  enum color color;
  uint8_t kind;
  point corners[4];
  double area;
  const char *name;
  struct shape *next;
  bool filled;
};

/* bit-fields: named, unnamed, zero-width, of an enum type */
struct flags {
  unsigned int ready : 1;
  unsigned int mode : 3;
  unsigned int : 4;
  signed int delta : 5;
  unsigned int : 0;
  unsigned char tail : 2;
  enum color hue : 4;
};

/* C11 anonymous members: a union in a struct, a struct in a union, nested */
struct variant {
  int tag;
  union {
    int i;
    double d;
    struct {
      uint16_t lo, hi;
    };
  };
};

union word {
  uint32_t whole;
  struct {
    uint16_t low, high;
  };
};

/* a named nested struct, arrays of arrays, char arrays, a flexible array member */
struct record {
  struct inner {
    int16_t a;
    int64_t b;
  } inner;
  char label[12];
  float matrix[2][3];
  size_t count;
  uint32_t items[];
};

/* packed and aligned */
struct __attribute__((packed)) wire {
  uint8_t type;
  uint32_t length;
  uint16_t check;
};

struct aligned_member {
  char c;
  _Alignas(16) int x;
};

struct __attribute__((aligned(32))) cache_line {
  uint64_t a;
};

/* function pointers and opaque types */
struct handle;
typedef int (*compare_fn)(const void *, const void *);
typedef void (*callback)(struct handle *, void *user);

struct callbacks {
  compare_fn compare;
  callback on_event;
  void *user;
  struct handle *owner;
};

/* types that refer to themselves: through a typedef, through another struct, in a union */
typedef struct list_node *list_ptr;
struct list_node {
  int value;
  list_ptr next;
  struct list_node *prev;
};

struct tree;
struct forest {
  struct tree *trees;
  size_t count;
};
struct tree {
  struct forest children;
  int label;
};

union cell {
  union cell *next;
  double value;
};

/* a typedef name that JavaScript reserves */
typedef int new;

/* ---- functions */

int point_distance2(const point *a, const point *b);
void shape_init(struct shape *s, enum color color);
struct handle *handle_open(const char *name, uint32_t flags);
void handle_close(struct handle *h);
int sum_ints(int n, ...);
size_t count_items(const struct record *r);
point make_point(int32_t x, int32_t y);
void sort(void *base, size_t n, size_t size, compare_fn compare);

/* ---- refused: each of these is listed in the module with the reason */

struct has_long_double {
  long double x;
};

struct has_complex {
  _Complex double z;
};

#pragma pack(push, 2)
struct pragma_packed {
  char c;
  int x;
};
#pragma pack(pop)

union bits_in_union {
  unsigned int a : 3;
  unsigned int b;
};

struct uses_refused {
  struct has_long_double inner;
  int n;
};

typedef _Atomic int atomic_counter;

extern int global_counter;

static inline int twice(int x) { return 2 * x; }

int no_prototype();

long double long_double_result(void);

#endif
