/*
 * A module with no libc and no allocator: the wasm context places this library's heap in its
 * memory above __heap_base. It reads what TypeScript wrote, writes what TypeScript reads, and
 * grows the memory itself. test/wasm/context.test.ts.
 */
#include <stddef.h>
#include <stdint.h>

#define EXPORT __attribute__((visibility("default")))

EXPORT uint32_t sum_bytes(const uint8_t *p, size_t n) {
  uint32_t s = 0;
  for (size_t i = 0; i < n; i++) s += p[i];
  return s;
}

EXPORT void fill(uint8_t *p, size_t n, uint8_t v) {
  for (size_t i = 0; i < n; i++) p[i] = v;
}

EXPORT int grow_pages(int n) { return (int)__builtin_wasm_memory_grow(0, (size_t)n); }

EXPORT size_t memory_bytes(void) { return __builtin_wasm_memory_size(0) * 65536; }
