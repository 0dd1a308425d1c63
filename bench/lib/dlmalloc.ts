/**
 * The C allocator inside a WebAssembly module: wasi-libc's dlmalloc, built from
 * `c/dlmalloc/dlmalloc.c` (this repository's glue: exports and replay loops) and Debian's
 * wasi-libc `libc.a`. The built `c/build/dlmalloc.wasm` is committed, so the bench needs no
 * compiler.
 *
 * Each run gets a fresh instance (a fresh memory and a fresh allocator), as each run of the heap
 * gets a fresh heap. The module is compiled once.
 */
import { readFileSync } from 'node:fs';

/** The module's exports (wasm32: every pointer and size is an i32, a JS number). */
export interface DlmallocExports {
  readonly memory: WebAssembly.Memory;
  readonly _initialize: () => void;
  readonly malloc: (size: number) => number;
  readonly free: (p: number) => void;
  readonly realloc: (p: number, size: number) => number;
  readonly malloc_usable_size: (p: number) => number;
  /** High-water extent of the blocks of the tracking replays (see dlmalloc.c). */
  readonly extent: () => number;
  readonly extent_reset: () => void;
  readonly prefill: (sizes: number, n: number, live: number, tracking: number) => number;
  readonly churn: (ops: number, n: number, live: number, count: number, tracking: number) => number;
  readonly realloc_rounds: (h: number, buffers: number, rounds: number, tracking: number) => number;
}

const file = new URL('../../c/build/dlmalloc.wasm', import.meta.url);

let compiled: WebAssembly.Module | undefined;

/** A fresh, initialised instance of the dlmalloc module. */
export const dlmalloc = (): DlmallocExports => {
  compiled ??= new WebAssembly.Module(readFileSync(file));
  const x = new WebAssembly.Instance(compiled, {}).exports as unknown as DlmallocExports;
  // A reactor: its static constructors run once, here, before any other call.
  x._initialize();
  return x;
};

/**
 * The high-water extent of the blocks a replay driven from JS handed out, measured as the
 * module's own tracking replays do: from the lowest block (payload less dlmalloc's two size
 * words) to the highest end of a block's usable bytes, from `malloc_usable_size`.
 */
export class ExtentMeter {
  private low = Infinity;
  private high = 0;

  constructor(private readonly x: DlmallocExports) {}

  track(p: number): void {
    if (p === 0) return;
    const end = p + this.x.malloc_usable_size(p);
    if (p < this.low) this.low = p;
    if (end > this.high) this.high = end;
  }

  get bytes(): number {
    return this.high === 0 ? 0 : this.high - (this.low - 8);
  }
}

/** Copies `values` into a new block of the module's memory; returns its address. */
export const copyIn = (x: DlmallocExports, values: Float64Array | Uint32Array): number => {
  const p = x.malloc(values.byteLength);
  if (p === 0) throw new Error('dlmalloc: no room for the trace in the module memory');
  new Uint8Array(x.memory.buffer, p, values.byteLength).set(
    new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  );
  return p;
};
