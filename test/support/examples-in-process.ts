/**
 * The examples run in this process, as a whole program over memory interfaces: each run
 * imports `examples/NAME.ts` afresh (a module of its own, `?run=N`), with `console.log` and
 * `process.stdout.write` captured, while the package root's default context is replaced
 * (`withDefaultContext`) and every context the example makes of a heap of its own
 * (`foreign(heap)`, `contextOf`, `newContext`) or over a wasm module's own `malloc`
 * (`wasmContext`) is handed out by a hook (`setHeapContextHook`, `setModuleContextHook`).
 */
import { format } from 'node:util';
import type { Heap } from 'foreign-ts';
import {
  setHeapContextHook,
  setModuleContextHook,
  withDefaultContext,
  type BackedInterface,
  type Context,
} from 'foreign-ts/interface';

let runs = 0;

/**
 * Runs examples/NAME.ts once, in this process; resolves to what it printed. Rejects with what
 * escaped it (a throw, a rejected top-level await), printed output lost.
 */
export const importExample = async (name: string): Promise<string> => {
  const chunks: string[] = [];
  const log = console.log;
  const write = process.stdout.write;
  console.log = (...args: unknown[]) => void chunks.push(`${format(...args)}\n`);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    runs += 1;
    const url = `../../examples/${name}.ts?run=${runs}`;
    await import(/* @vite-ignore */ url);
  } finally {
    console.log = log;
    process.stdout.write = write;
  }
  return chunks.join('');
};

/**
 * Runs examples/NAME.ts with `ctx` as the default context and `hook` making the contexts of
 * its own heaps and of its wasm modules' own allocators (given the heap, or the module's
 * allocator as a memory interface); both hooks are removed and the default restored on every
 * path.
 */
export const runExampleOver = async (
  name: string,
  ctx: Context,
  hook: (ctx: Context, source: Heap | BackedInterface) => Context,
): Promise<string> => {
  setHeapContextHook(hook);
  setModuleContextHook(hook);
  try {
    return await withDefaultContext(ctx, () => importExample(name));
  } finally {
    setHeapContextHook(null);
    setModuleContextHook(null);
  }
};
