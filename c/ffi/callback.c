/*
 * C calling back into TypeScript with a pointer to a struct on C's stack: TypeScript reads it,
 * and may write it, and C goes on with what TypeScript wrote (test/wasm/programs.test.ts).
 */
#include <stddef.h>
#include <stdint.h>

#include "ffi.h"

typedef struct {
  int32_t kind;
  int32_t x;
  int32_t y;
  double time;
  uint8_t handled;
} Event;

typedef void (*observe_fn)(const Event *e);
typedef int (*handle_fn)(Event *e);

/* Calls observe with n events made on C's stack. */
EXPORT void emit_events(int32_t n, observe_fn observe) {
  for (int32_t i = 0; i < n; i++) {
    Event e = {.kind = i % 3, .x = i, .y = i * i, .time = i * 0.5, .handled = 0};
    observe(&e);
  }
}

/*
 * Calls handle with n events; the callback may change x and set handled. Returns the sum of x
 * over the events marked handled, plus 1000 times the sum of handle's results.
 */
EXPORT int64_t dispatch_events(int32_t n, handle_fn handle) {
  int64_t sum = 0;
  for (int32_t i = 0; i < n; i++) {
    Event e = {.kind = i % 3, .x = i, .y = -i, .time = i * 0.25, .handled = 0};
    int r = handle(&e);
    if (e.handled) sum += e.x;
    sum += 1000 * (int64_t)r;
  }
  return sum;
}

EXPORT size_t event_size(void) { return sizeof(Event); }
