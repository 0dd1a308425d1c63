/*
 * C's qsort sorting an array of structs laid out from TypeScript, with a comparator written in
 * TypeScript and passed as a function pointer (test/wasm/programs.test.ts).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ffi.h"

typedef struct {
  int32_t id;
  double score;
  char name[12];
} Record;

typedef int (*compare_fn)(const void *, const void *);

EXPORT void sort_records(Record *records, size_t n, compare_fn compare) {
  qsort(records, n, sizeof(Record), compare);
}

/* Whether the n records are in order by compare: 1 or 0 (C checks what TypeScript's comparator said). */
EXPORT int is_sorted(const Record *records, size_t n, compare_fn compare) {
  for (size_t i = 1; i < n; i++)
    if (compare(&records[i - 1], &records[i]) > 0) return 0;
  return 1;
}

EXPORT size_t record_size(void) { return sizeof(Record); }
EXPORT size_t record_score_offset(void) { return offsetof(Record, score); }
EXPORT size_t record_name_offset(void) { return offsetof(Record, name); }
