/**
 * What area-pool.ts and its workers share: the job, the sample struct, the face over a pool,
 * and how a refusal is told.
 */
import { CDouble, CInt, Stack, foreign, struct } from 'foreign-ts';
import type { AreaPool, SharedPool } from 'foreign-ts/area';

export const WORKERS = 2;
export const SAMPLES = 1000;

export const Sample = struct({ worker: CInt, index: CInt, value: CDouble }, 'Sample');

export interface Job {
  readonly role: 'fill' | 'read' | 'wait';
  readonly pool: SharedPool;
  /** The table of sample pointers (a CUInt per sample), allocated by the page. */
  readonly table: number;
  readonly worker?: number;
}

/** The Haskell face over a pool: every allocation and alloca region comes from it. */
export const faceOf = (pool: AreaPool) =>
  foreign({ memory: pool.memory, allocator: pool, stack: new Stack(pool, { size: 4096 }) });

/** The value of sample `index` of worker `worker`. */
export const sampleValue = (worker: number, index: number): number => worker * 1000 + index / 4;

/** The name of the error `f` throws, or `allowed` when it throws none. */
export const refusal = (f: () => unknown): string => {
  try {
    f();
    return 'allowed';
  } catch (e) {
    return (e as Error).name;
  }
};
