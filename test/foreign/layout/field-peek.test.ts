/**
 * The compiled program of `peekField` for plain scalar fields (layout/field-peek.ts): it reads
 * and throws exactly what the generic program (the interpreter's, which has no compiled
 * program) reads and throws, for every plain kind, at any pointer: aligned or not, at the end
 * of memory and past it, `nullPtr`, negative, fractional, above 2^31 and 2^32, a bigint,
 * not a number; and after growth, protection and detachment of the memory.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Bool,
  CBool,
  CDouble,
  CFloat,
  CInt,
  CUInt,
  Int16,
  Int64,
  Int8,
  Word16,
  Word64,
  Word8,
  fieldAccess,
  setLayoutCompiler,
  struct,
  type Ptr,
  type Storable,
} from '../../../src/foreign/index.js';
import { Memory } from '../../../src/memory/index.js';
import { runs } from '../helpers/arbitrary.js';

const KINDS: ReadonlyArray<readonly [string, Storable<any>]> = [
  ['Int8', Int8],
  ['Word8', Word8],
  ['Int16', Int16],
  ['Word16', Word16],
  ['CInt', CInt],
  ['CUInt', CUInt],
  ['Int64', Int64],
  ['Word64', Word64],
  ['CFloat', CFloat],
  ['CDouble', CDouble],
  ['Bool', Bool],
];

/** A struct holding `T` after a byte (so its offset is `T`'s alignment) and a CBool after it. */
const holder = (T: Storable<any>) => struct({ pad: Word8, f: T, ok: CBool }, 'Holder');

/**
 * The field of the same struct peeked by its compiled program and by the generic one (the
 * interpreter's: a program is chosen when its field is first resolved).
 */
const pair = (T: Storable<any>, memory: Memory) => {
  const { peekField } = fieldAccess(memory);
  const fast = peekField(holder(T), 'f');
  setLayoutCompiler('interpreter');
  try {
    return { fast, slow: peekField(holder(T), 'f') };
  } finally {
    setLayoutCompiler('auto');
  }
};

/** What running `f` gives: its value, or its error's class and message. */
const outcome = (f: () => unknown): unknown => {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
};

const POINTERS = (bytes: number): unknown[] => [
  0,
  -1,
  -8,
  1,
  7,
  8,
  1.5,
  1e-300,
  bytes - 1,
  bytes - 8,
  bytes - 16,
  bytes,
  2 ** 31 - 8,
  2 ** 31,
  2 ** 32 - 4,
  2 ** 32,
  2 ** 53,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  8n,
  '8',
  undefined,
];

describe('the compiled peekField of a plain scalar field', () => {
  for (const [name, T] of KINDS) {
    it(`reads and throws what the generic program does (${name})`, () => {
      const memory = Memory.create({ initialBytes: 4096 });
      const { fast, slow } = pair(T, memory);
      const u8 = memory.views.u8;
      for (let i = 0; i < u8.length; i++) u8[i] = (i * 37 + 11) & 255;
      const same = (p: unknown): void =>
        expect(outcome(fast(p as Ptr<unknown>))).toEqual(outcome(slow(p as Ptr<unknown>)));
      for (const p of POINTERS(u8.length)) same(p);
      fc.assert(
        fc.property(fc.integer({ min: -16, max: u8.length + 16 }), (p) => {
          same(p);
        }),
        { numRuns: runs(300) },
      );
    });
  }

  it('follows the memory: renewed views after growth, protection, detachment', () => {
    const buffer = new ArrayBuffer(4096, { maxByteLength: 1 << 16 });
    const memory = Memory.from(buffer);
    const { fast, slow } = pair(CDouble, memory);
    const end = 8192 - 16;
    const same = (p: number): void =>
      expect(outcome(fast(p as Ptr<unknown>))).toEqual(outcome(slow(p as Ptr<unknown>)));
    same(end); // past the end: a MemoryBoundsError
    expect(memory.grow(8192)).toBe(true);
    new DataView(memory.buffer).setFloat64(end + 8, 2.5, true);
    expect(fast(end as Ptr<unknown>)()).toBe(2.5);
    same(end);
    memory.protect({ read: false, write: true, reason: 'test' });
    same(end);
    expect(outcome(fast(end as Ptr<unknown>))).toMatchObject({ error: 'MemoryProtectionError' });
    memory.protect({ read: true, write: true });
    expect(fast(end as Ptr<unknown>)()).toBe(2.5);
    structuredClone(buffer, { transfer: [buffer] });
    same(end);
    expect(outcome(fast(end as Ptr<unknown>))).toMatchObject({ error: 'DetachedMemoryError' });
  });

  it('follows a WebAssembly memory grown behind its back (its views detached)', () => {
    const wasm = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const memory = Memory.from(wasm);
    const { fast, slow } = pair(Int16, memory);
    const read = (p: number): unknown => fast(p as Ptr<unknown>)();
    new DataView(wasm.buffer).setInt16(8 + 2, -1234, true);
    for (let i = 0; i < 100; i++) expect(read(8)).toBe(-1234);
    wasm.grow(1); // the cached views are detached: the next read renews them
    new DataView(wasm.buffer).setInt16(65536 + 8 + 2, 4321, true);
    expect(read(65536 + 8)).toBe(4321);
    expect(read(8)).toBe(-1234);
    expect(outcome(fast((2 * 65536) as Ptr<unknown>))).toEqual(
      outcome(slow((2 * 65536) as Ptr<unknown>)),
    );
    expect(outcome(fast(0 as Ptr<unknown>))).toMatchObject({ error: 'NullPointerError' });
  });

  it('is one program per field: two kinds read in one loop stay right', () => {
    const memory = Memory.create({ initialBytes: 4096 });
    const S = struct({ a: Int16, b: CDouble, c: Word8 }, 'Two');
    const { peekField } = fieldAccess(memory);
    const a = peekField(S, 'a');
    const b = peekField(S, 'b');
    const c = peekField(S, 'c');
    const dv = new DataView(memory.buffer);
    for (let p = 8; p < 4096 - S.sizeOf; p += 8 * 7) {
      dv.setInt16(p, -p, true);
      dv.setFloat64(p + 8, p / 3, true);
      dv.setUint8(p + 16, p & 255);
    }
    for (let round = 0; round < 3; round++) {
      for (let p = 8; p < 4096 - S.sizeOf; p += 8 * 7) {
        expect([a(p as Ptr<unknown>)(), b(p as Ptr<unknown>)(), c(p as Ptr<unknown>)()]).toEqual([
          -p,
          p / 3,
          p & 255,
        ]);
      }
    }
  });
});
