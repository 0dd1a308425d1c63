/**
 * The checks of a set of named types against a C oracle (helpers/oracle.ts), shared by the
 * tests on committed tables and modules (test/foreign/layouts.test.ts) and those on live
 * compilers (test/c/layouts-live.test.ts):
 *   - the table: size, alignment, every whole-byte member's offset, every bit-field's position,
 *     and the same set of types and members on both sides;
 *   - C's member-by-member copy of random poked values gives the same bytes (codegen and the
 *     interpreter agree), and peek gives the values back; for a live oracle, the table's model
 *     of the copy (`copyByTable`) gives what C gave;
 *   - C's checksum (sum_T, reading every member where the compiler put it) of random poked
 *     values is the checksum of the values (helpers/checksum.ts), for oracles that run C;
 *   - peek reads the constants C stored, and poke writes them to the same bytes; the checksum C
 *     recorded of them is theirs.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { Memory } from '../../../src/memory/index.js';
import {
  compileLayout,
  offsetOf,
  peekPoke,
  wordPtrToPtr,
  type Storable,
} from '../../../src/foreign/index.js';
import { sameValue, valueOf } from './arbitrary.js';
import { checksum, checksumHex } from './checksum.js';
import { copyByTable, toHex, type Oracle, type Request } from './oracle.js';

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

/** The names of the whole-byte members of a struct, whose offsets C reports. */
export const wholeByteFields = (S: Storable<any>): string[] =>
  S.layout?.tag === 'struct'
    ? S.layout.members.filter((m) => m.tag === 'field').map((m) => m.key)
    : [];

/** The named bit-fields of a struct, as [first bit, width]. */
const bitFields = (S: Storable<any>): Record<string, [number, number]> =>
  S.layout?.tag === 'struct'
    ? Object.fromEntries(
        S.layout.members.flatMap((m) =>
          m.tag === 'bits' ? [[m.key, [m.bitOffset, m.width]]] : [],
        ),
      )
    : {};

/** The entries `T.f` of a table map for type `name`, keyed by `f`. */
const membersOf = <V>(map: Readonly<Record<string, V>>, name: string): Record<string, V> =>
  Object.fromEntries(
    Object.entries(map)
      .filter(([k]) => k.startsWith(`${name}.`))
      .map(([k, v]) => [k.slice(name.length + 1), v]),
  );

/**
 * Registers the checks of `types` against `oracle()` (called when the tests run). `sums`: the
 * oracle runs C's sum_T (a table alone cannot).
 */
export const checkTypes = (
  oracle: () => Oracle,
  types: Record<string, Storable<any>>,
  fills: Record<string, unknown> | undefined,
  seed: number,
  sums = true,
): void => {
  it('agrees on size, alignment, member offsets and bit-field positions', () => {
    const { table } = oracle();
    expect(Object.keys(table.types)).toEqual(Object.keys(types));
    for (const [name, S] of Object.entries(types)) {
      const c = table.types[name];
      const ours = {
        size: S.sizeOf,
        align: S.alignment,
        offsets: Object.fromEntries(wholeByteFields(S).map((f) => [f, offsetOf(S as any, f)])),
        bits: bitFields(S),
      };
      expect({ name, ...ours }).toEqual({
        name,
        size: c?.size,
        align: c?.align,
        offsets: membersOf(table.offsets, name),
        bits: membersOf(table.bits, name),
      });
    }
  });

  it("C's member-by-member copy of poked values gives the same bytes, and peek gives the values back", () => {
    const requests: Array<Request & { op: 'copy' }> = [];
    const expected: Array<{ name: string; value: unknown }> = [];
    for (const [name, S] of Object.entries(types)) {
      const values = fc.sample(valueOf(S, { firstMember: true, noNaN: true }), {
        seed,
        numRuns: 12,
      });
      for (const value of values) {
        const bytes = bytesOf(S, value, 'codegen');
        expect(toHex(bytesOf(S, value, 'interpreter'))).toBe(toHex(bytes));
        requests.push({ op: 'copy', type: name, bytes });
        expected.push({ name, value });
      }
    }
    const o = oracle();
    const answers = o.run(requests);
    expected.forEach(({ name, value }, i) => {
      const { bytes } = requests[i] as { bytes: Uint8Array };
      const copied = answers[i] as Uint8Array;
      expect({ name, bytes: toHex(copied) }).toEqual({ name, bytes: toHex(bytes) });
      expect(sameValue(peekBytes(types[name] as Storable<any>, copied), value)).toBe(true);
      if (o.live) {
        const model = copyByTable(o.table, name, bytes);
        expect({ name, model: toHex(model) }).toEqual({ name, model: toHex(copied) });
      }
    });
  });

  if (sums) {
    it("C's checksum of poked values, reading every member, is the checksum of the values", () => {
      const o = oracle();
      if (o.sum === undefined) throw new Error(`${o.source} does not run sum_T`);
      const requests: Array<{ type: string; bytes: Uint8Array; value: unknown }> = [];
      for (const [name, S] of Object.entries(types)) {
        const values = fc.sample(valueOf(S, { firstMember: true, noNaN: true }), {
          seed: seed + 1,
          numRuns: 12,
        });
        for (const value of values) {
          requests.push({ type: name, bytes: bytesOf(S, value, 'codegen'), value });
        }
      }
      const answers = o.sum(requests);
      requests.forEach(({ type, value }, i) => {
        const expected = checksum(types[type] as Storable<any>, value);
        expect({ type, sum: checksumHex(answers[i] as bigint) }).toEqual({
          type,
          sum: checksumHex(expected),
        });
      });
    });
  }

  if (fills !== undefined) {
    it('peeks the constants C stored, and pokes them to the same bytes', () => {
      const names = Object.keys(types);
      const answers = oracle().run(names.map((type) => ({ op: 'fill', type })));
      names.forEach((name, i) => {
        const S = types[name] as Storable<any>;
        const filled = answers[i] as Uint8Array;
        const value = fills[name];
        expect({ name, value: peekBytes(S, filled) }).toEqual({ name, value });
        expect({ name, bytes: toHex(bytesOf(S, value, 'codegen')) }).toEqual({
          name,
          bytes: toHex(filled),
        });
        expect({ name, sum: checksumHex(checksum(S, value)) }).toEqual({
          name,
          sum: oracle().table.types[name]?.sum,
        });
      });
    });
  }
};
