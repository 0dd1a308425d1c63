/**
 * C as an oracle for layouts, with no compiler at test time. A file of types built with
 * c/layouts/harness.h answers the same questions on every target: the table of what the
 * compiler reports (describe(): sizes, alignments, offsets, bit-field positions, the bytes of
 * fill_T and their checksum, and the bits copy_T carries), the bytes of copy_T (C copies a value
 * member by member) and fill_T (C stores constants), and the checksum sum_T (C reads every
 * member of a value) of any bytes.
 *
 * Oracles here: a wasm32 module run in this process (the committed c/build/layouts.wasm, or
 * one test/c/ compiles), and a committed table alone (c/build/layouts.x86_64.json, for the
 * data model whose C this process cannot run). The live native program is in
 * test/c/helpers/compile.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputOf } from '../../../c/artifacts.js';
import { readCString } from '../../../scripts/lib/c-build.js';
import { ROOT } from '../../../scripts/lib/run-ts.js';

/** What a compiler reports about one type. */
export interface TypeEntry {
  readonly size: number;
  readonly align: number;
  /** Hex of fill_T over a buffer of 0xa5. */
  readonly fill: string;
  /** sum_T of those bytes, as 16 hex digits. */
  readonly sum: string;
  /** Hex of copy_T of an all-ones source over a buffer of 0xa5: the bits a copy carries. */
  readonly copy: string;
}

/** The table describe() writes (see c/layouts/harness.h). */
export interface LayoutTable {
  readonly target: 'wasm32' | 'x86_64';
  readonly compiler: string;
  readonly types: Readonly<Record<string, TypeEntry>>;
  /** `T.f` -> offsetof(T, f). */
  readonly offsets: Readonly<Record<string, number>>;
  /** `T.f` -> [first bit, width] of bit-field f. */
  readonly bits: Readonly<Record<string, readonly [number, number]>>;
}

/** A request to the C side: copy these bytes of type T, or fill a T. */
export type Request =
  | { readonly op: 'copy'; readonly type: string; readonly bytes: Uint8Array }
  | { readonly op: 'fill'; readonly type: string };

/** The C side of a file of types, for one target. */
export interface Oracle {
  /** Where the answers come from, for messages. */
  readonly source: string;
  readonly table: LayoutTable;
  /** Whether `run` executes the C code (a module or a program), not the table's model. */
  readonly live: boolean;
  /** Answers the requests in order: the bytes C produced. */
  run(requests: readonly Request[]): Uint8Array[];
  /**
   * C's checksum (sum_T) of each value, as uint64 (live oracles only: a table cannot read
   * bytes it has not seen).
   */
  readonly sum?: (requests: readonly SumRequest[]) => bigint[];
}

/** A request for sum_T of these bytes of type T. */
export interface SumRequest {
  readonly type: string;
  readonly bytes: Uint8Array;
}

export const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
export const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

/** Parses describe()'s text; `what` names where it came from. */
export const parseTable = (text: string, what: string): LayoutTable => {
  try {
    return JSON.parse(text) as LayoutTable;
  } catch (error) {
    throw new Error(`${what}: not a layout table (${(error as Error).message})`, { cause: error });
  }
};

const entryOf = (table: LayoutTable, type: string, source: string): TypeEntry => {
  const entry = table.types[type];
  if (entry === undefined) throw new Error(`${source} has no type ${type}`);
  return entry;
};

/**
 * What C's member-by-member copy gives for `bytes`, from the table alone: the bits its copy of
 * an all-ones value carries, the rest zero. That is exact for values whose members are valid
 * (no NaN, `_Bool` 0 or 1), which is what the tests send; test/c/ checks it against the live
 * programs on every request.
 */
export const copyByTable = (table: LayoutTable, type: string, bytes: Uint8Array): Uint8Array => {
  const mask = fromHex(entryOf(table, type, `the ${table.target} table`).copy);
  return mask.map((m, i) => m & (bytes[i] ?? 0));
};

/** The committed table of artifact `name` (c/build/NAME). */
export const committedTable = (name: string): LayoutTable => {
  const path = outputOf(name);
  return parseTable(readFileSync(join(ROOT, path), 'utf8'), path);
};

/** The committed bytes of artifact `name`. */
export const committedBytes = (name: string): Uint8Array<ArrayBuffer> =>
  readFileSync(join(ROOT, outputOf(name)));

/** An oracle that answers from a table alone: fill_T's recorded bytes, copy_T by its mask. */
export const tableOracle = (table: LayoutTable, source: string): Oracle => ({
  source,
  table,
  live: false,
  run: (requests) =>
    requests.map((r) =>
      r.op === 'copy'
        ? copyByTable(table, r.type, r.bytes)
        : fromHex(entryOf(table, r.type, source).fill),
    ),
});

/** A wasm32 oracle, with the module's exports and memory for direct use. */
export interface WasmOracle extends Oracle {
  readonly exports: Record<string, unknown>;
  readonly memory: WebAssembly.Memory;
}

/** The oracle of a module built with the harness for wasm32, run in this process. */
export const wasmOracle = (wasm: Uint8Array<ArrayBuffer>, source: string): WasmOracle => {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  const exports = instance.exports as Record<string, unknown>;
  const memory = exports.memory as WebAssembly.Memory;
  const call = <R = number>(name: string, ...args: number[]): R => {
    const f = exports[name];
    if (typeof f !== 'function') throw new Error(`${source} exports no ${name}`);
    return f(...args) as R;
  };
  const describe = call('describe');
  if (describe === 0) throw new Error(`${source}: describe() returned NULL (the table is too big)`);
  const table = parseTable(readCString(memory, describe), `${source} describe()`);
  const src = memory.grow(2) * 65536;
  const dst = src + 65536;
  return {
    source,
    table,
    live: true,
    exports,
    memory,
    run: (requests) =>
      requests.map((r) => {
        const { size } = entryOf(table, r.type, source);
        const u8 = new Uint8Array(memory.buffer);
        u8.fill(0xa5, dst, dst + size);
        if (r.op === 'copy') {
          u8.set(r.bytes, src);
          call(`copy_${r.type}`, dst, src);
        } else {
          call(`fill_${r.type}`, dst);
        }
        return new Uint8Array(memory.buffer).slice(dst, dst + size);
      }),
    sum: (requests) =>
      requests.map((r) => {
        entryOf(table, r.type, source);
        new Uint8Array(memory.buffer).set(r.bytes, src);
        return BigInt.asUintN(64, call<bigint>(`sum_${r.type}`, src));
      }),
  };
};
