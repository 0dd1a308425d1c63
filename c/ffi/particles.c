/*
 * The wasm bench's C function (bench/suites/wasm.ts): one step of 10,000 particles laid out by
 * TypeScript, returning their kinetic energy.
 */
#include <stddef.h>
#include <stdint.h>

#include "ffi.h"

typedef struct {
  float x, y, z;
  float vx, vy, vz;
  float mass;
  uint32_t id;
  uint8_t alive;
} Particle;

EXPORT double step_particles(Particle *ps, size_t n, float dt) {
  double energy = 0;
  for (size_t i = 0; i < n; i++) {
    Particle *p = &ps[i];
    if (!p->alive) continue;
    p->x += p->vx * dt;
    p->y += p->vy * dt;
    p->z += p->vz * dt;
    energy += 0.5 * p->mass * (p->vx * p->vx + p->vy * p->vy + p->vz * p->vz);
  }
  return energy;
}

EXPORT size_t particle_size(void) { return sizeof(Particle); }
