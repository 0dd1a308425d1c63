/*
 * The benchmark struct of the project: the Particle of bench/lib/particle.ts and
 * marshalling-peers.md §3.1. c/ffi/particles.c sums it for the wasm bench; c/layouts/layouts.c
 * checks the library's layout of it against the compilers'.
 */
#ifndef FOREIGN_TS_PARTICLE_H
#define FOREIGN_TS_PARTICLE_H

#include <stdint.h>

typedef struct {
  uint8_t kind;
  double x, y, z;
  float mass;
  int32_t id;
  uint64_t flags;
  int16_t tag[4];
} Particle;

_Static_assert(sizeof(Particle) == 56, "Particle is 56 bytes");

#endif
