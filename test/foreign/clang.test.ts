/**
 * Struct layouts checked against clang, for wasm32 (compiled to WebAssembly and run here) and
 * LP64 (compiled natively for x86-64 and run as a child process). For every type: size,
 * alignment and member offsets; the bytes of C's member-by-member copy of values poked here
 * (so C finds every member, bit-fields included, where this library put it); and the values
 * and bytes of constants stored by C. Random layouts are checked the same way.
 *
 * clang and lld are required (apt-get install -y clang lld): without them these tests fail
 * with that message rather than skip.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Memory } from '../../src/memory/index.js';
import {
  compileLayout,
  lp64,
  offsetOf,
  peekPoke,
  wasm32,
  wordPtrToPtr,
  type DataModel,
  type Storable,
  type StorableOf,
} from '../../src/foreign/index.js';
import { layoutArb, runs, sameValue, valueOf } from './helpers/arbitrary.js';
import { cFills, cTypes } from './helpers/c-types.js';
import { cSource, wholeByteFields } from './helpers/cgen.js';
import {
  C_DIR,
  nativeOracle,
  requireClang,
  wasmOracle,
  type Oracle,
  type Request,
} from './helpers/clang.js';

const memory = Memory.create({ initialBytes: 1 << 17 });
const io = peekPoke(memory);
const AT = 4096;

/** The bytes this library writes for `value`, by the given compiler. */
const bytesOf = (S: Storable<any>, value: unknown, how: 'codegen' | 'interpreter'): Uint8Array => {
  const { write } = compileLayout(S, how);
  memory.views.u8.fill(0x5a, AT, AT + S.sizeOf);
  write(memory.ensure(AT, S.sizeOf), AT, value);
  return memory.views.u8.slice(AT, AT + S.sizeOf);
};

const peekBytes = (S: Storable<any>, bytes: Uint8Array): unknown => {
  memory.views.u8.set(bytes, AT);
  return io.peek(S, wordPtrToPtr(AT))();
};

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

const fieldsOf = (S: Storable<any>): string[] => wholeByteFields(S);

/** Checks layout numbers, copies of random values, and fills, for a set of named types. */
const checkTypes = (
  oracle: () => Oracle,
  types: Record<string, Storable<any>>,
  fills: Record<string, unknown> | undefined,
  seed: number,
): void => {
  it('agrees on size, alignment and member offsets', () => {
    for (const [name, S] of Object.entries(types)) {
      const fields = fieldsOf(S);
      const c = oracle().layout(name, fields);
      const ours = {
        size: S.sizeOf,
        align: S.alignment,
        offsets: Object.fromEntries(fields.map((f) => [f, offsetOf(S as any, f)])),
      };
      expect({ name, ...ours }).toEqual({ name, ...c });
    }
  });

  it("C's member-by-member copy of poked values gives the same bytes, and peek gives the values back", () => {
    const requests: Request[] = [];
    const expected: Array<{ name: string; value: unknown; bytes: Uint8Array }> = [];
    for (const [name, S] of Object.entries(types)) {
      const values = fc.sample(valueOf(S, { firstMember: true, noNaN: true }), {
        seed,
        numRuns: 12,
      });
      for (const value of values) {
        const bytes = bytesOf(S, value, 'codegen');
        expect(hex(bytesOf(S, value, 'interpreter'))).toBe(hex(bytes));
        requests.push({ op: 'copy', type: name, bytes });
        expected.push({ name, value, bytes });
      }
    }
    const answers = oracle().run(requests);
    expected.forEach(({ name, value, bytes }, i) => {
      const copied = answers[i] as Uint8Array;
      expect({ name, bytes: hex(copied) }).toEqual({ name, bytes: hex(bytes) });
      expect(sameValue(peekBytes(types[name] as Storable<any>, copied), value)).toBe(true);
    });
  });

  if (fills !== undefined) {
    it('peeks the constants C stored, and pokes them to the same bytes', () => {
      const names = Object.keys(types);
      const answers = oracle().run(names.map((type) => ({ op: 'fill', type })));
      names.forEach((name, i) => {
        const S = types[name] as Storable<any>;
        const filled = answers[i] as Uint8Array;
        const value = fills[name];
        expect({ name, value: peekBytes(S, filled) }).toEqual({ name, value });
        expect({ name, bytes: hex(bytesOf(S, value, 'codegen')) }).toEqual({
          name,
          bytes: hex(filled),
        });
      });
    });
  }
};

const source = readFileSync(join(C_DIR, 'layouts.c'), 'utf8');

const targets: Array<{ model: DataModel<any>; oracle: (src: string) => Oracle }> = [
  { model: wasm32, oracle: wasmOracle },
  { model: lp64, oracle: nativeOracle },
];

it('finds clang (the layout tests need clang and lld: apt-get install -y clang lld)', () => {
  expect(requireClang()).toMatch(/clang/);
});

for (const { model, oracle: make } of targets) {
  describe(`test/foreign/c/layouts.c on ${model.name}`, () => {
    let oracle: Oracle | undefined;
    beforeAll(() => {
      oracle = make(source);
    });
    checkTypes(() => oracle as Oracle, cTypes(model), cFills(model), 42);
  });

  describe(`random layouts on ${model.name}`, () => {
    const seed = Number(process.env.FOREIGN_TS_SEED ?? (model.name === 'wasm32' ? 7 : 11));
    const roots = fc.sample(layoutArb(model), { seed, numRuns: runs(60) });
    const types = Object.fromEntries(roots.map((S, k) => [`R${k}`, S]));
    let oracle: Oracle | undefined;
    beforeAll(() => {
      oracle = make(cSource(roots));
    });
    checkTypes(() => oracle as Oracle, types, undefined, 3);
  });
}

describe('a WebAssembly module reading and writing what this library pokes into its memory', () => {
  it('C copies a Particle poked through Memory.from(exports.memory); peek reads the copy', () => {
    const oracle = wasmOracle(source);
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
