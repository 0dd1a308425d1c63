/**
 * A memory interface as a context's door: every allocation of the Haskell face bound to the
 * context (`malloc`, `new`, arrays, strings, pools, `ForeignPtr`, the asynchronous brackets,
 * `using`, and the alloca stack's region and spills) goes through the interface's hooks.
 *
 * @since 0.1.0
 */
import { MALLOC_ALIGNMENT } from '../arguments/index.js';
import type { StackOptions } from '../heap/index.js';
import type { Allocator } from './allocator.js';
import { checkBase } from './base.js';
import { NO_CALL_SITE, userCallSite, type CallSite } from './call-site.js';
import { checkReturned, hookOf } from './checks.js';
import { checkContext, contextOver, isMemory, renamed, type Context } from './context.js';
import type { Memory } from '../memory/index.js';
import { AddressSet } from './address-set.js';
import { InterfaceMismatchError } from './interface-mismatch-error.js';
import type { ALLEGRO_MEMORY_INTERFACE } from './memory-interface.js';

const THIS = "this context's memory interface";
const OTHER = 'another allocator';

/**
 * The door over `iface`: C's four functions as its hooks, told the user's call site (the first
 * frame outside this library) when the interface asks for call sites (`callSites` not `false`,
 * read at each call), `0, '', ''` otherwise. It keeps the set of blocks it handed out (a bitmap,
 * {@link AddressSet}), so that `free` or `realloc` of any other block is an
 * `InterfaceMismatchError` (nothing is freed). Its `free(0)` does nothing (the door's contract;
 * `al_free(0)` does reach `mi_free`). Allegro's interface has no aligned allocation, so its
 * `alignedAlloc(align, size)` asks `mi_malloc` for `align - 8` bytes more and hands out the
 * aligned address inside (given back as the block it lies in); `realloc` of such a block keeps
 * its offset in the block, and so 8-alignment only, as C's.
 */
const interfaceDoor = (iface: ALLEGRO_MEMORY_INTERFACE & Record<string, unknown>): Allocator => {
  /** Each address handed out. */
  const given = new AddressSet();
  /** Each address handed out aligned up inside its block → that block (only those). */
  const inside = new Map<number, number>();
  const site = (): CallSite => (iface.callSites === false ? NO_CALL_SITE : userCallSite());
  /** The interface's block that `p`, handed out by this door, lies in. */
  const blockOf = (call: string, p: number): number => {
    if (p === 0) return 0;
    if (!given.has(p)) throw new InterfaceMismatchError(call, p, OTHER, THIS);
    return inside.size === 0 ? p : (inside.get(p) ?? p);
  };
  const malloc = (call: string, size: number): number => {
    const s = site();
    const r = hookOf(call, 'mi_malloc', iface.mi_malloc).call(iface, size, s.line, s.file, s.func);
    return checkReturned(call, 'mi_malloc', r);
  };
  /** Records `p`, handed out in the interface's block `raw` (0: nothing was handed out). */
  const give = (p: number, raw: number): number => {
    if (raw === 0) return 0;
    given.add(p);
    if (p !== raw) inside.set(p, raw);
    return p;
  };
  /** `p` is no longer handed out. */
  const forget = (p: number): void => {
    given.delete(p);
    if (inside.size !== 0) inside.delete(p);
  };
  return {
    malloc: (size) => {
      const p = malloc('malloc', size);
      return give(p, p);
    },
    calloc(count, size) {
      const s = site();
      const hook = hookOf('calloc', 'mi_calloc', iface.mi_calloc);
      const r = hook.call(iface, count, size, s.line, s.file, s.func);
      const p = checkReturned('calloc', 'mi_calloc', r);
      return give(p, p);
    },
    alignedAlloc(align, size) {
      // mi_malloc gives 8-aligned blocks: align - 8 bytes more always hold an aligned address
      const raw = malloc('alignedAlloc', size + align - MALLOC_ALIGNMENT);
      return give(raw + ((align - (raw % align)) % align), raw);
    },
    realloc(p, size) {
      const raw = blockOf('realloc', p);
      const offset = p - raw; // an aligned block keeps its offset: realloc gives 8-alignment only
      const s = site();
      const hook = hookOf('realloc', 'mi_realloc', iface.mi_realloc);
      const n = size === 0 ? 0 : size + offset;
      const q = checkReturned(
        'realloc',
        'mi_realloc',
        hook.call(iface, raw, n, s.line, s.file, s.func),
      );
      if (p !== 0 && (q !== 0 || size === 0)) forget(p);
      return give(q + offset, q);
    },
    free(p) {
      if (p === 0) return;
      const raw = blockOf('free', p);
      const s = site();
      hookOf('free', 'mi_free', iface.mi_free).call(iface, raw, s.line, s.file, s.func);
      forget(p);
    },
  };
};

/**
 * A context over `ctx`'s memory (or over `ctx` itself when it is a `Memory`: the `memory` of a
 * `kernelInterface` or an `areaInterface`) whose door is the memory interface `iface`: the
 * functions of `foreign(…)` bound to it allocate through `iface`'s hooks, and so does its new
 * alloca stack (`options.size` bytes, default 64 KiB), which takes its region (16-aligned, from
 * a `mi_malloc` of 8 bytes more; `ctx.stack.dispose()` gives it back) and its spills through
 * the hooks. Allocations aligned above 8 bytes take `align - 8` bytes more from `mi_malloc`.
 * The hooks are told the user's call site (the first frame outside this library and fp-ts: the
 * line that called `malloc`, `withArray`, …) when the interface asks for call sites, which
 * costs a stack trace per call; `0, '', ''` when it sets `callSites: false`. `ctx` itself is
 * unchanged (contexts are values): use the new one. The blocks `iface` gives must lie in that
 * memory (a `heapInterface` of the context's heap, or an interface over it).
 *
 * A block freed or resized through this context that its interface did not give (one of
 * another context, or of the heap itself) is an `InterfaceMismatchError` naming the user's call;
 * the other way round (a block of this context freed through a plain heap context) is not yet
 * detected. Throws a `TypeError` naming `contextWithInterface` for a `ctx` that is neither a
 * context nor a memory, or an interface without its four hooks.
 *
 * @category constructors
 * @since 0.1.0
 */
export const contextWithInterface = (
  ctx: Context | Memory,
  iface: ALLEGRO_MEMORY_INTERFACE,
  options: StackOptions = {},
): Context => {
  const call = 'contextWithInterface';
  const memory = isMemory(ctx) ? ctx : checkContext(call, ctx).memory;
  const door = interfaceDoor(checkBase(call, iface));
  try {
    return contextOver(memory, door, options);
  } catch (e) {
    throw renamed(e, 'Stack', call);
  }
};
