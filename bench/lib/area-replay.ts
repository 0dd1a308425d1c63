/**
 * The replay loops of the area suite: a churn trace (bench/lib/trace.ts) on one allocator, with a
 * tag word written into every block at malloc and checked before its free, so that a block handed
 * out twice (to this thread or another) counts as bad data. One loop per allocator class (see
 * bench/README.md: a shared loop would run megamorphic).
 */
import type { AreaPool } from 'foreign-ts/area';
import type { Heap } from 'foreign-ts/heap';
import type { ChurnTrace } from './trace.js';

/** What a replay reports. */
export interface ReplayOutcome {
  failures: number;
  badData: number;
}

/** The live blocks of a replay, and their tags. */
export interface Live {
  readonly blocks: number[];
  readonly tags: number[];
  count: number;
  failures: number;
  badData: number;
}

/** A JS array of `length` small integers (packed SMI elements, like a program's handle list). */
const handles = (length: number): number[] => new Array<number>(length).fill(0);

export const liveFor = (t: ChurnTrace): Live => ({
  blocks: handles(t.maxLive + 1),
  tags: handles(t.maxLive + 1),
  count: 0,
  failures: 0,
  badData: 0,
});

// -------------------------------------------------------------------------------------------
// AreaPool

export const prefillPool = (pool: AreaPool, t: ChurnTrace, live: Live): void => {
  const u32 = pool.memory.views.u32;
  for (const size of t.prefill) {
    const p = pool.malloc(size);
    if (p === 0) live.failures++;
    else u32[p >>> 2] = live.count;
    live.tags[live.count] = live.count;
    live.blocks[live.count++] = p;
  }
};

/** The timed loop: `ops` operations of the trace (the memory must not grow: a full pool). */
export const replayPool = (pool: AreaPool, t: ChurnTrace, ops: number, live: Live): void => {
  const { blocks, tags } = live;
  const trace = t.ops;
  const u32 = pool.memory.views.u32;
  let count = live.count;
  let failures = 0;
  let bad = 0;
  for (let i = 0; i < ops; i++) {
    const x = trace[i]!;
    if (x >= 1) {
      const p = pool.malloc(x);
      if (p === 0) failures++;
      else u32[p >>> 2] = i;
      tags[count] = i;
      blocks[count++] = p;
    } else {
      const j = (x * count) | 0;
      const p = blocks[j]!;
      if (p !== 0 && u32[p >>> 2] !== tags[j]) bad++;
      blocks[j] = blocks[--count]!;
      tags[j] = tags[count]!;
      if (p !== 0) pool.free(p);
    }
  }
  live.count = count;
  live.failures += failures;
  live.badData += bad;
};

export const releasePool = (pool: AreaPool, live: Live): void => {
  const u32 = pool.memory.views.u32;
  for (let j = 0; j < live.count; j++) {
    const p = live.blocks[j]!;
    if (p === 0) continue;
    if (u32[p >>> 2] !== live.tags[j]) live.badData++;
    pool.free(p);
  }
  live.count = 0;
};

// -------------------------------------------------------------------------------------------
// Heap

export const prefillHeap = (heap: Heap, t: ChurnTrace, live: Live): void => {
  for (const size of t.prefill) {
    const p = heap.malloc(size);
    if (p === 0) live.failures++;
    else heap.memory.views.u32[p >>> 2] = live.count;
    live.tags[live.count] = live.count;
    live.blocks[live.count++] = p;
  }
};

export const replayHeap = (heap: Heap, t: ChurnTrace, ops: number, live: Live): void => {
  const { blocks, tags } = live;
  const trace = t.ops;
  const u32 = heap.memory.views.u32;
  let count = live.count;
  let failures = 0;
  let bad = 0;
  for (let i = 0; i < ops; i++) {
    const x = trace[i]!;
    if (x >= 1) {
      const p = heap.malloc(x);
      if (p === 0) failures++;
      else u32[p >>> 2] = i;
      tags[count] = i;
      blocks[count++] = p;
    } else {
      const j = (x * count) | 0;
      const p = blocks[j]!;
      if (p !== 0 && u32[p >>> 2] !== tags[j]) bad++;
      blocks[j] = blocks[--count]!;
      tags[j] = tags[count]!;
      if (p !== 0) heap.free(p);
    }
  }
  live.count = count;
  live.failures += failures;
  live.badData += bad;
};

export const releaseHeap = (heap: Heap, live: Live): void => {
  const u32 = heap.memory.views.u32;
  for (let j = 0; j < live.count; j++) {
    const p = live.blocks[j]!;
    if (p === 0) continue;
    if (u32[p >>> 2] !== live.tags[j]) live.badData++;
    heap.free(p);
  }
  live.count = 0;
};
