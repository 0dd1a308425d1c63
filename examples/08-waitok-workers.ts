// M_WAITOK across workers: a worker sleeps in malloc until another thread frees memory.
//
// - A shared kernel (`boot({ shared: true })`) lives in a SharedArrayBuffer; a worker joins it
//   with `attach(buffer)` and finds the types by name (`MALLOC_DECLARE`).
// - malloc(..., M_WAITOK) never returns NULL: when no domain has the memory it runs the
//   vm_lowmem handlers, then sleeps (Atomics.wait) until a free in another thread wakes it.
// - Where nothing could wake it (a kernel that is not shared, a thread alone), it panics
//   instead of hanging; `mallocAsync` waits without blocking the thread.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  KernelPanic,
  MALLOC_DECLARE,
  MALLOC_DEFINE,
  M_NOWAIT,
  M_WAITOK,
  attach,
  boot,
  check,
  detach,
  free,
  malloc,
  mallocAsync,
  memstat_uma,
  vmstat,
} from 'foreign-ts/kernel';

const BLOCK = 60000; // a malloc-65536 item

if (isMainThread) {
  const kernel = boot({ shared: true, domainBytes: 1 << 20, initialBytes: 1 << 18 });
  const M_BUF = MALLOC_DEFINE(kernel, 'buffers', 'I/O buffers');
  const held: number[] = [];
  for (let p = malloc(BLOCK, M_BUF, M_NOWAIT); p !== 0; p = malloc(BLOCK, M_BUF, M_NOWAIT))
    held.push(p);
  console.log(`main: the 1 MiB domain is full after ${held.length} blocks of ${BLOCK} bytes`);

  // This file is also the worker. (Run by tsx, the worker registers tsx's loader first; compiled
  // to JavaScript, `new Worker(new URL(import.meta.url))` is all it takes.)
  const loader = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(loader, { eval: true, workerData: kernel.memory.source });
  const woke = new Promise<number>((resolve) => worker.once('message', resolve));
  const sleeps = () => memstat_uma(kernel).find((z) => z.name === 'malloc-65536')!.sleep;
  while (sleeps() === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  console.log('main: the worker sleeps in malloc(M_WAITOK); freeing one block');
  const freed = held.pop()!;
  free(freed, M_BUF);
  const got = await woke;
  console.log(
    `main: the worker woke with ${got === freed ? 'the block main freed' : `block ${got}`}`,
  );
  await new Promise((resolve) => worker.once('exit', resolve));
  console.log(
    vmstat(kernel, '-z')
      .split('\n')
      .filter((line) => /^(ITEM|malloc-65536)/.test(line))
      .join('\n'),
  );

  // The promise form: resolved by a later free in this same thread.
  const pending = mallocAsync(BLOCK, M_BUF, M_WAITOK);
  free(held.pop()!, M_BUF);
  console.log(`main: mallocAsync resolved with ${(await pending) !== 0 ? 'a block' : 'NULL'}`);

  // The worker has detached: main is alone, nothing could wake a sleeper. A panic, not a hang.
  try {
    malloc(BLOCK, M_BUF, M_WAITOK);
  } catch (error) {
    console.log(`main: KernelPanic: ${(error as KernelPanic).panicstr}`);
  }
  check(kernel);
} else {
  const kernel = attach(workerData as SharedArrayBuffer);
  const M_BUF = MALLOC_DECLARE(kernel, 'buffers');
  const p = malloc(BLOCK, M_BUF, M_WAITOK); // sleeps until main frees
  detach(kernel);
  parentPort!.postMessage(p);
}
