/*
 * The wasm bench's C function (bench/suites/wasm.ts): a checksum over n Particles (the struct
 * of bench/lib/particle.ts and marshalling-peers.md §3.1) that TypeScript laid out in the
 * module's memory. Every member is read, so a wrong byte anywhere changes the result.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../particle.h"
#include "ffi.h"

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ULL; }

static uint64_t bits64(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return u;
}

static uint32_t bits32(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

/* FNV-1a-style over each member's value, as a 64-bit word (signed ones zero-extended). */
EXPORT uint64_t particles_checksum(const Particle *ps, size_t n) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (size_t i = 0; i < n; i++) {
    const Particle *p = &ps[i];
    h = mix(h, p->kind);
    h = mix(h, bits64(p->x));
    h = mix(h, bits64(p->y));
    h = mix(h, bits64(p->z));
    h = mix(h, bits32(p->mass));
    h = mix(h, (uint32_t)p->id);
    h = mix(h, p->flags);
    for (int k = 0; k < 4; k++) h = mix(h, (uint16_t)p->tag[k]);
  }
  return h;
}
