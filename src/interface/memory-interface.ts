/**
 * Allegro 5's `ALLEGRO_MEMORY_INTERFACE`: the four hooks every `al_*` allocation goes through,
 * each told the call site (`line`, `file`, `func`, in Allegro's order: the line first).
 *
 * @since 0.1.0
 */

/**
 * Allegro's memory interface: four hooks, all mandatory, with addresses as numbers and `0` for
 * NULL. As in Allegro, `al_set_memory_interface` stores the object itself, not a copy: replacing
 * a hook after registration takes effect on the next call, and a missing hook is a `TypeError` at
 * the call that needs it, not at registration.
 *
 * The call site is `line` (a C `int`; `0` when unknown), `file` and `func` (`''` when unknown).
 * `al_malloc` and the other short forms capture their caller's call site for the hook unless
 * the interface sets `callSites: false` (this library's addition: capturing costs a stack trace,
 * and an interface that ignores the call site need not pay for it); the `_with_context` forms
 * pass the caller's values as they are.
 *
 * @category model
 * @since 0.1.0
 */
export interface ALLEGRO_MEMORY_INTERFACE {
  /** At least `n` bytes, or 0. */
  mi_malloc(n: number, line: number, file: string, func: string): number;
  /** Gives back `ptr`; called for `al_free(0)` too, as in Allegro. */
  mi_free(ptr: number, line: number, file: string, func: string): void;
  /** `ptr` resized to `n` bytes; `al_realloc(0, n)` and `al_realloc(p, 0)` arrive unchanged. */
  mi_realloc(ptr: number, n: number, line: number, file: string, func: string): number;
  /** `count * n` zeroed bytes, or 0; `(count, n)` in that order, with no overflow check. */
  mi_calloc(count: number, n: number, line: number, file: string, func: string): number;
  /**
   * `false`: the short forms (`al_malloc`, …) pass `0, '', ''` instead of capturing the
   * caller's call site. Absent or `true`: they capture it.
   */
  callSites?: boolean;
}

/** The names of the four hooks. */
export type HookName = 'mi_malloc' | 'mi_free' | 'mi_realloc' | 'mi_calloc';
