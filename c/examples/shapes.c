/* The functions of shapes.h, for examples/13-bindings.ts. */
#pragma GCC visibility push(default)
#include "shapes.h"
#pragma GCC visibility pop

#include <string.h>

int shape_rect(shape *s, const char *name, double width, double height) {
  size_t len = strlen(name);
  if (len >= SHAPES_NAME_SIZE) return -1;
  memset(s, 0, sizeof *s);
  s->kind = SHAPE_RECT;
  memcpy(s->name, name, len + 1);
  s->size.x = width;
  s->size.y = height;
  return 0;
}

double shape_area(const shape *s) {
  switch (s->kind) {
  case SHAPE_CIRCLE:
    return 3.14159265358979323846 * s->radius * s->radius;
  case SHAPE_RECT:
    return s->size.x * s->size.y;
  case SHAPE_POLYGON: {
    double twice = 0;
    uint32_t n = s->npoints > SHAPES_MAX_POINTS ? SHAPES_MAX_POINTS : s->npoints;
    for (uint32_t i = 0; i < n; i++) {
      const vec2 *a = &s->points[i], *b = &s->points[(i + 1) % n];
      twice += a->x * b->y - b->x * a->y;
    }
    return (twice < 0 ? -twice : twice) / 2;
  }
  }
  return -1;
}

void shape_translate(shape *s, double dx, double dy) {
  s->origin.x += dx;
  s->origin.y += dy;
}

size_t shape_find(const shape *shapes, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strncmp(shapes[i].name, name, SHAPES_NAME_SIZE) == 0) return i;
  return n;
}

vec2 shape_centroid(const shape *s) {
  vec2 c = {0, 0};
  uint32_t n = s->npoints > SHAPES_MAX_POINTS ? SHAPES_MAX_POINTS : s->npoints;
  for (uint32_t i = 0; i < n; i++) {
    c.x += s->points[i].x / n;
    c.y += s->points[i].y / n;
  }
  return c;
}
