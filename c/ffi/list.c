/*
 * C walking a linked list built from TypeScript, and building one TypeScript walks
 * (test/wasm/programs.test.ts).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ffi.h"

typedef struct Node {
  int32_t value;
  struct Node *next;
} Node;

EXPORT size_t list_length(const Node *n) {
  size_t k = 0;
  for (; n != NULL; n = n->next) k++;
  return k;
}

EXPORT int64_t list_sum(const Node *n) {
  int64_t s = 0;
  for (; n != NULL; n = n->next) s += n->value;
  return s;
}

/* The node at index i, or NULL. */
EXPORT Node *list_nth(Node *n, size_t i) {
  while (n != NULL && i-- > 0) n = n->next;
  return n;
}

/* Reverses the list in place; returns the new head. */
EXPORT Node *list_reverse(Node *n) {
  Node *prev = NULL;
  while (n != NULL) {
    Node *next = n->next;
    n->next = prev;
    prev = n;
    n = next;
  }
  return prev;
}

/* A new list of values from, from + 1, …, from + count - 1, allocated by C's malloc. */
EXPORT Node *list_range(int32_t from, size_t count) {
  Node *head = NULL;
  for (size_t i = count; i-- > 0;) {
    Node *n = malloc(sizeof *n);
    if (n == NULL) return NULL;
    n->value = from + (int32_t)i;
    n->next = head;
    head = n;
  }
  return head;
}

EXPORT void list_free(Node *n) {
  while (n != NULL) {
    Node *next = n->next;
    free(n);
    n = next;
  }
}
