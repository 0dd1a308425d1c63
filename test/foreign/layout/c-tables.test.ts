/**
 * Struct layouts checked against what the C compilers report for the corpus c/layouts/layouts.c,
 * with no compiler at test time (the files are built by `npm run build:c` and committed):
 *
 * - wasm32: the module clang made (c/build/layouts.wasm) runs here, so its copy_T and fill_T
 *   are C code answering live; its describe() must be the committed table
 *   c/build/layouts.wasm32.json;
 * - LP64 (x86-64): the table gcc's program printed (c/build/layouts.x86_64.json). The program
 *   itself cannot run on every machine, so the table records fill_T's bytes and the bits
 *   copy_T carries; helpers/oracle.ts's `copyByTable` models the copy from those, and test/c/
 *   (`npm run test:c`) checks the model against the live program.
 *
 * For every type: size, alignment, member offsets and bit-field positions; the bytes of C's
 * member-by-member copy of values poked here (so C finds every member, bit-fields included,
 * where this library put it); and the values and bytes of constants stored by C. Random layouts
 * need a live compiler: test/c/layouts-live.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Memory } from '../../../src/memory/index.js';
import {
  lp64,
  peekPoke,
  wasm32,
  wordPtrToPtr,
  type StorableOf,
} from '../../../src/foreign/index.js';
import { cFills, cTypes } from '../helpers/c-types.js';
import { checkTypes } from '../helpers/layout-checks.js';
import {
  committedBytes,
  committedTable,
  tableOracle,
  wasmOracle,
  type WasmOracle,
} from '../helpers/oracle.js';

const module = (): WasmOracle => wasmOracle(committedBytes('layouts.wasm'), 'c/build/layouts.wasm');

describe('c/layouts/layouts.c on wasm32, run in c/build/layouts.wasm (clang)', () => {
  const oracle = module();
  checkTypes(() => oracle, cTypes(wasm32), cFills(wasm32), 42);

  it('describes its types as c/build/layouts.wasm32.json records them', () => {
    expect(oracle.table).toEqual(committedTable('layouts.wasm32.json'));
    expect(oracle.table).toMatchObject({
      target: 'wasm32',
      compiler: expect.stringMatching(/clang/i),
    });
  });
});

describe('c/layouts/layouts.c on lp64, as c/build/layouts.x86_64.json records it (gcc)', () => {
  const table = committedTable('layouts.x86_64.json');
  checkTypes(
    () => tableOracle(table, 'c/build/layouts.x86_64.json'),
    cTypes(lp64),
    cFills(lp64),
    42,
    false, // the table records the checksum of C's fill; test/c/ has gcc checksum poked values
  );

  it('was made by gcc for x86-64', () => {
    expect(table).toMatchObject({ target: 'x86_64', compiler: expect.stringMatching(/^gcc /) });
  });
});

describe('a WebAssembly module reading and writing what this library pokes into its memory', () => {
  it('C copies a Particle poked through Memory.from(exports.memory); peek reads the copy', () => {
    const oracle = module();
    const { Particle } = cTypes(wasm32);
    const wasmMemory = Memory.from(oracle.memory);
    const { peek, poke } = peekPoke(wasmMemory);
    const base = oracle.memory.grow(1) * 65536;
    const src = wordPtrToPtr<any>(base);
    const dst = wordPtrToPtr<any>(base + 128);
    const value = cFills(wasm32).Particle as StorableOf<typeof Particle>;
    poke(Particle, src, value)();
    (oracle.exports.copy_Particle as (d: number, s: number) => void)(dst, src);
    expect(peek(Particle, dst)()).toEqual(value);
  });
});
