/**
 * A worker of area-pool.ts: attaches the page's pool and fills it, reads it through a
 * read-only handle, or waits for the page to delete the pool and then tries a malloc.
 */
import { CDouble, CUInt, type Ptr } from 'foreign-ts';
import { attach_pool } from 'foreign-ts/area';
import {
  SAMPLES,
  Sample,
  WORKERS,
  faceOf,
  refusal,
  sampleValue,
  type Job,
} from './area-pool-job.js';

self.onmessage = (event: MessageEvent<Job>) => {
  const job = event.data;
  const pool = attach_pool(job.pool);
  const face = faceOf(pool);
  const table = job.table as Ptr<number>;
  if (job.role === 'fill') {
    const worker = job.worker!;
    const scratch: Ptr<any>[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const p = face.new(Sample, { worker, index: i, value: sampleValue(worker, i) })();
      face.pokeElemOff(CUInt, table, worker * SAMPLES + i, p)();
      scratch.push(face.new(CDouble, i)());
    }
    for (const p of scratch) face.free(p)();
    pool.detach(); // its cached blocks go back to the pool
    postMessage(SAMPLES);
  } else if (job.role === 'read') {
    let total = 0;
    for (let k = 0; k < WORKERS * SAMPLES; k++) {
      total += face.peek(Sample, face.peekElemOff(CUInt, table, k)() as Ptr<any>)().value;
    }
    postMessage({
      total,
      poke: refusal(() => face.poke(CUInt, table, 0)()),
      malloc: refusal(() => pool.malloc(8)),
    });
  } else {
    self.onmessage = () => postMessage(refusal(() => pool.malloc(8)));
    postMessage('ready');
  }
};
