/* The header of examples/13-bindings.ts: `foreign-ts bind` writes c/build/shapes.wasm32.ts from
   it (c/bindings/bindings.ts), and shapes.c, compiled for wasm32-wasi into
   c/build/example-shapes.wasm, defines its functions. */
#ifndef SHAPES_H
#define SHAPES_H

#include <stddef.h>
#include <stdint.h>

#define SHAPES_MAX_POINTS 8
#define SHAPES_NAME_SIZE 16

typedef struct vec2 {
  double x, y;
} vec2;

enum shape_kind { SHAPE_CIRCLE = 1, SHAPE_RECT, SHAPE_POLYGON };

/* a circle (radius), a rectangle (size) or a polygon (points[0 .. npoints)) */
typedef struct shape {
  enum shape_kind kind;
  char name[SHAPES_NAME_SIZE];
  vec2 origin;
  union {
    double radius;
    vec2 size;
  };
  uint32_t npoints;
  vec2 points[SHAPES_MAX_POINTS];
} shape;

/* Fills *s as a rectangle named `name`; -1 (and *s unchanged) when the name does not fit. */
int shape_rect(shape *s, const char *name, double width, double height);
/* The area of *s (the shoelace formula for a polygon); -1 for an unknown kind. */
double shape_area(const shape *s);
/* Moves *s by (dx, dy). */
void shape_translate(shape *s, double dx, double dy);
/* The index of the first of shapes[0 .. n) called `name`, or n. */
size_t shape_find(const shape *shapes, size_t n, const char *name);
/* The mean of a polygon's points (a struct by value: the module says why it declares none). */
vec2 shape_centroid(const shape *s);

#endif
