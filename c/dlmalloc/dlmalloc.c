/*
 * The C allocator a WebAssembly module carries: wasi-libc's dlmalloc (2.8.6, from Debian's
 * wasi-libc package), linked into a module of its own for the heap benchmark (bench/suites/heap.ts).
 *
 * The module exports the allocator itself (malloc, free, realloc and malloc_usable_size, straight
 * from libc.a, by the linker's --export), so JavaScript can call it as a program that lays data
 * out in a module's memory does, plus replay loops that run a whole trace inside WebAssembly: the
 * limit for a native allocator in wasm, with no JS→wasm call per operation.
 *
 * This file holds only glue written for this repository; dlmalloc comes from the system's libc.a
 * at link time and is not copied here.
 *
 * A churn trace is the bench's (bench/lib/trace.ts): an array of doubles where a value ≥ 1 is a
 * malloc of that many bytes and a value in [0, 1) frees the live block at index floor(value · n)
 * of the live array (n live blocks), swap-removed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <malloc.h>

#define EXPORT(name) __attribute__((export_name(name)))

/* The highest chunk end seen by a tracking replay, and the lowest payload address. */
static uintptr_t high_end = 0;
static uintptr_t low_start = UINTPTR_MAX;

/* Records the extent of the block at p (a payload address, or 0). */
static void track(void *p) {
  if (p == NULL) return;
  uintptr_t at = (uintptr_t)p;
  uintptr_t end = at + malloc_usable_size(p);
  if (at < low_start) low_start = at;
  if (end > high_end) high_end = end;
}

/*
 * The high-water extent of the blocks the tracking replays have handed out: from the lowest
 * chunk (its payload less dlmalloc's two size words) to the highest end of a chunk's usable
 * bytes. 0 before any tracked allocation.
 */
EXPORT("extent")
uint32_t extent(void) {
  return high_end == 0 ? 0 : (uint32_t)(high_end - (low_start - 2 * sizeof(size_t)));
}

/* Forgets the extent measured so far. */
EXPORT("extent_reset")
void extent_reset(void) {
  high_end = 0;
  low_start = UINTPTR_MAX;
}

/*
 * Allocates `n` blocks of the sizes in `sizes` into `live`; returns how many allocations failed
 * (a failure leaves 0 in its slot). With `tracking`, records each block's extent.
 */
EXPORT("prefill")
uint32_t prefill(const double *sizes, uint32_t n, uint32_t *live, int tracking) {
  uint32_t failures = 0;
  for (uint32_t i = 0; i < n; i++) {
    void *p = malloc((size_t)sizes[i]);
    if (p == NULL) failures++;
    if (tracking) track(p);
    live[i] = (uint32_t)(uintptr_t)p;
  }
  return failures;
}

/*
 * Replays `n` ops of a churn trace over the `*count` live blocks in `live`, updating `*count`;
 * returns how many mallocs failed. With `tracking`, records each new block's extent.
 */
EXPORT("churn")
uint32_t churn(const double *ops, uint32_t n, uint32_t *live, uint32_t *count, int tracking) {
  uint32_t failures = 0;
  uint32_t c = *count;
  for (uint32_t i = 0; i < n; i++) {
    double x = ops[i];
    if (x >= 1) {
      void *p = malloc((size_t)x);
      if (p == NULL) failures++;
      if (tracking) track(p);
      live[c++] = (uint32_t)(uintptr_t)p;
    } else {
      uint32_t j = (uint32_t)(x * c);
      void *p = (void *)(uintptr_t)live[j];
      live[j] = live[--c];
      free(p);
    }
  }
  *count = c;
  return failures;
}

/*
 * Rounds of doubling realloc over `buffers` blocks in `h` (the bench's W3): round s = 1..rounds
 * reallocs every block, in order, to 16 << s bytes. A realloc that fails leaves 0 in its slot and
 * counts as a failure; a 0 slot is skipped. With `tracking`, records each block's extent.
 */
EXPORT("realloc_rounds")
uint32_t realloc_rounds(uint32_t *h, uint32_t buffers, uint32_t rounds, int tracking) {
  uint32_t failures = 0;
  for (uint32_t s = 1; s <= rounds; s++) {
    size_t size = (size_t)16 << s;
    for (uint32_t i = 0; i < buffers; i++) {
      void *p = (void *)(uintptr_t)h[i];
      if (p == NULL) continue;
      void *q = realloc(p, size);
      if (q == NULL) failures++;
      if (tracking) track(q);
      h[i] = (uint32_t)(uintptr_t)q;
    }
  }
  return failures;
}
