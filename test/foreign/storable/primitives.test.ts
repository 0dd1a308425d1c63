import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Memory } from '../../../src/memory/index.js';
import {
  Bool,
  CBool,
  Char,
  Double,
  Float,
  Int,
  Int16,
  Int32,
  Int64,
  Int8,
  MarshalError,
  Word,
  Word16,
  Word32,
  Word64,
  Word8,
  asNumber,
  checkCodec,
  lp64,
  peekPoke,
  scalar,
  wasm32,
  wordPtrToPtr,
  type Storable,
} from '../../../src/foreign/index.js';
import { runs, valueOf } from '../helpers/arbitrary.js';
import { assertGetSetOnBytes, assertStorableLaws, withCompiler } from '../helpers/laws.js';
import { refusal } from '../../support/thrown.js';

const haskell: Record<string, Storable<any>> = {
  Int8,
  Int16,
  Int32,
  Int64,
  Word8,
  Word16,
  Word32,
  Word64,
  Float,
  Double,
  Bool,
  Char,
  'asNumber(Int64)': asNumber(Int64),
  'asNumber(Word64)': asNumber(Word64),
};

const modelInstances = (model: typeof wasm32 | typeof lp64): Record<string, Storable<any>> =>
  Object.fromEntries(
    Object.entries(model).filter(
      (e): e is [string, Storable<any>] => typeof e[1] === 'object' && 'sizeOf' in e[1],
    ),
  );

const all: Array<[string, Storable<any>]> = [
  ...Object.entries(haskell),
  ...Object.entries(modelInstances(wasm32)).map(([k, S]): [string, Storable<any>] => [
    `wasm32.${k}`,
    S,
  ]),
  ...Object.entries(modelInstances(lp64)).map(([k, S]): [string, Storable<any>] => [
    `lp64.${k}`,
    S,
  ]),
];

describe('sizes and alignments', () => {
  it.each([
    [Int8, 1],
    [Word8, 1],
    [Int16, 2],
    [Word16, 2],
    [Int32, 4],
    [Word32, 4],
    [Int64, 8],
    [Word64, 8],
    [Float, 4],
    [Double, 8],
    [Bool, 4],
    [Char, 4],
    [CBool, 1],
  ])('%s is %i bytes, aligned to its size', (S, n) => {
    expect(S.sizeOf).toBe(n);
    expect(S.alignment).toBe(n);
  });

  it('gives the C types their sizes in each data model', () => {
    const sizes = (m: typeof wasm32 | typeof lp64) =>
      Object.fromEntries(Object.entries(modelInstances(m)).map(([k, S]) => [k, S.sizeOf]));
    expect(sizes(wasm32)).toEqual({
      CChar: 1,
      CSChar: 1,
      CUChar: 1,
      CShort: 2,
      CUShort: 2,
      CInt: 4,
      CUInt: 4,
      CLLong: 8,
      CULLong: 8,
      CIntMax: 8,
      CUIntMax: 8,
      CWchar: 4,
      CFloat: 4,
      CDouble: 8,
      CBool: 1,
      CLong: 4,
      CULong: 4,
      CSize: 4,
      CPtrdiff: 4,
      CIntPtr: 4,
      CUIntPtr: 4,
      Int: 4,
      Word: 4,
      Ptr: 4,
      FunPtr: 4,
      StablePtr: 4,
    });
    expect(sizes(lp64)).toMatchObject({
      CLong: 8,
      CULong: 8,
      CSize: 8,
      CPtrdiff: 8,
      CIntPtr: 8,
      CUIntPtr: 8,
      Int: 8,
      Word: 8,
      Ptr: 8,
      FunPtr: 8,
      StablePtr: 8,
      CInt: 4,
    });
  });
});

describe("Haskell's Int and Word: the machine word of each data model", () => {
  it('are 4 bytes (numbers) in wasm32 and 8 (bigints) in lp64, and the root has the wasm32 ones', () => {
    expect([Int, Word]).toEqual([wasm32.Int, wasm32.Word]);
    expect([wasm32.Int.sizeOf, wasm32.Int.alignment, lp64.Int.sizeOf, lp64.Int.alignment]).toEqual([
      4, 4, 8, 8,
    ]);
    expect([wasm32.Word.sizeOf, lp64.Word.sizeOf]).toEqual([4, 8]);
    expect(wasm32.Int.sizeOf).toBe(wasm32.wordSize);
    expect(lp64.Word.sizeOf).toBe(lp64.wordSize);
  });

  it('accept exactly the values of the word (no wrapping)', () => {
    const accepts = (S: Storable<any>, xs: unknown[]) => xs.map((x) => S.codec.is(x));
    expect(accepts(wasm32.Int, [-(2 ** 31), 2 ** 31 - 1, 0, 2 ** 31, 1.5, 1n])).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(accepts(wasm32.Word, [0, 2 ** 32 - 1, -1, 2 ** 32])).toEqual([true, true, false, false]);
    expect(accepts(lp64.Int, [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 63n, 1])).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(accepts(lp64.Word, [0n, 2n ** 64n - 1n, -1n, 0])).toEqual([true, true, false, false]);
  });

  it('round-trip every value of the word through poke and peek, in both models', () => {
    const rounds = [
      [wasm32.Int, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })],
      [wasm32.Word, fc.integer({ min: 0, max: 2 ** 32 - 1 })],
      [lp64.Int, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
      [lp64.Word, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })],
    ] as const;
    for (const [S, values] of rounds) {
      assertStorableLaws(S as Storable<any>, values as fc.Arbitrary<any>, { numRuns: runs(100) });
    }
  });
});

describe.each(all)('the Storable laws of %s', (_name, S) => {
  for (const how of ['own', 'codegen', 'interpreter'] as const) {
    it(`hold with ${how === 'own' ? "the instance's own reader and writer" : `the ${how}`}`, () => {
      const expected =
        S.layout?.tag === 'scalar' && S.layout.kind === 'f32' ? Math.fround : undefined;
      assertStorableLaws(withCompiler(S, how), valueOf(S), {
        numRuns: runs(40),
        ...(expected ? { expected } : {}),
      });
    });
  }
});

describe('Get-Set over arbitrary bytes', () => {
  const exact = all.filter(
    ([, S]) => S.layout?.tag === 'scalar' && /^[iu](8|16|32|64)$|^f(32|64)$/.test(S.layout.kind),
  );
  it.each(exact)('%s: poking back what peek read changes no byte (NaN aside)', (_name, S) => {
    assertGetSetOnBytes(S, { numRuns: runs(100), skip: (a) => Number.isNaN(a) });
  });
});

describe('codecs accept exactly the representable values', () => {
  const cases: Array<[Storable<any>, unknown[], unknown[]]> = [
    [Int8, [0, -128, 127, -0], [128, -129, 1.5, NaN, '7', 7n, null, undefined, Infinity, {}]],
    [Word8, [0, 255], [256, -1, 0.5, '1', true]],
    [Int16, [-32768, 32767], [32768, -32769]],
    [Word16, [0, 65535], [65536, -1]],
    [Int32, [-(2 ** 31), 2 ** 31 - 1], [2 ** 31, -(2 ** 31) - 1, 1e-9]],
    [Word32, [0, 2 ** 32 - 1], [2 ** 32, -1]],
    [Int64, [-(2n ** 63n), 2n ** 63n - 1n, 0n], [2n ** 63n, 0, '0', 1.5]],
    [Word64, [0n, 2n ** 64n - 1n], [-1n, 2n ** 64n, 5]],
    [
      asNumber(Int64),
      [Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 0],
      [2 ** 53, -(2 ** 53), 1.5, 1n],
    ],
    [asNumber(Word64), [0, Number.MAX_SAFE_INTEGER], [-1, 2 ** 53]],
    [Float, [0, NaN, Infinity, 1e300, -0], ['1', 1n, null]],
    [Double, [NaN, -Infinity, 5e-324], ['1', 1n]],
    [Bool, [true, false], [0, 1, 'true', null]],
    [CBool, [0, 1], [2, -1, true, 0.5]],
    [Char, ['a', '\u{1F600}', '\uD800', '\0'], ['', 'ab', '\u{1F600}a', 97, null]],
    [wasm32.Ptr, [0, 2 ** 32 - 1], [-1, 2 ** 32, 1.5]],
    [lp64.Ptr, [0, Number.MAX_SAFE_INTEGER], [-1, 2 ** 53]],
    [lp64.CLong, [-(2n ** 63n)], [1]],
    [wasm32.CLong, [-(2 ** 31)], [1n, 2 ** 31]],
  ];
  it.each(cases)('%s', (S, good, bad) => {
    for (const x of good) expect(S.codec.is(x), `${String(x)} is a ${S.name}`).toBe(true);
    for (const x of bad) expect(S.codec.is(x), `${String(x)} is not a ${S.name}`).toBe(false);
    for (const x of bad) expect(S.codec.decode(x)._tag).toBe('Left');
  });

  it('integer codecs agree with a range check on arbitrary numbers', () => {
    const ranges: Array<[Storable<number>, number, number]> = [
      [Int8, -128, 127],
      [Word8, 0, 255],
      [Int16, -32768, 32767],
      [Word16, 0, 65535],
      [Int32, -(2 ** 31), 2 ** 31 - 1],
      [Word32, 0, 2 ** 32 - 1],
    ];
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer({ min: -(2 ** 33), max: 2 ** 33 })), (x) => {
        for (const [S, lo, hi] of ranges) {
          expect(S.codec.is(x)).toBe(Number.isInteger(x) && x >= lo && x <= hi);
        }
      }),
      { numRuns: runs(200) },
    );
  });
});

describe('peeking bytes that encode no value', () => {
  const memory = Memory.create();
  const { peek, poke, either } = peekPoke(memory);
  const p = wordPtrToPtr<any>(64);

  it('Char above U+10FFFF is a MarshalError naming the value', () => {
    poke(Word32, p, 0x110000)();
    expect(() => peek(Char, p)()).toThrow(MarshalError);
    expect(() => peek(Char, p)()).toThrow('peek: value 1114112 does not fit Char: above U+10FFFF');
  });

  it('a CBool byte other than 0 or 1 is a MarshalError', () => {
    poke(Word8, p, 2)();
    expect(() => peek(CBool, p)()).toThrow(/does not fit CBool/);
    const result = either.peek(CBool, p)();
    expect(result._tag).toBe('Left');
  });

  it('Bool reads any non-zero int as true, and writes 1', () => {
    poke(Int32, p, 2)();
    expect(peek(Bool, p)()).toBe(true);
    poke(Bool, p, true)();
    expect(peek(Int32, p)()).toBe(1);
  });

  it('the number flavour of a 64-bit integer refuses to round on peek', () => {
    poke(Word64, p, 2n ** 53n)();
    expect(() => peek(asNumber(Word64), p)()).toThrow(/9007199254740992n.*read it as a bigint/);
    poke(Int64, p, -(2n ** 53n))();
    expect(() => peek(asNumber(Int64), p)()).toThrow(MarshalError);
    poke(Int64, p, -(2n ** 53n) + 1n)();
    expect(peek(asNumber(Int64), p)()).toBe(-(2 ** 53) + 1);
    poke(Word64, p, 2n ** 64n - 1n)();
    expect(() => peek(lp64.Ptr, p)()).toThrow(/does not fit Ptr/);
  });

  it('the number flavour reads the same bytes as the bigint one', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 53n) + 1n, max: 2n ** 53n - 1n }), (x) => {
        poke(Int64, p, x)();
        expect(peek(asNumber(Int64), p)()).toBe(Number(x));
        poke(asNumber(Int64), p, Number(x))();
        expect(peek(Int64, p)()).toBe(x);
      }),
      { numRuns: runs(100) },
    );
  });

  it('Float stores the nearest single: peek after poke is Math.fround', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        poke(Float, p, x)();
        expect(Object.is(peek(Float, p)(), Math.fround(x))).toBe(true);
      }),
      { numRuns: runs(100) },
    );
  });
});

describe('asNumber', () => {
  it('refuses instances that are not 64-bit integers', () => {
    expect(() => asNumber(Int32 as unknown as Storable<bigint>)).toThrow(TypeError);
    expect(() => asNumber(asNumber(Int64) as unknown as Storable<bigint>)).toThrow(
      /asNumber: .* is not a 64-bit integer instance/,
    );
    expect(() => asNumber({} as Storable<bigint>)).toThrow(TypeError);
  });

  it('works on the 64-bit C types of both models', () => {
    expect(asNumber(lp64.CSize).sizeOf).toBe(8);
    expect(asNumber(wasm32.CLLong).codec.is(-1)).toBe(true);
  });
});

describe('arguments that are not what they should be', () => {
  it('scalar refuses an unknown kind and a name that is not a string', () => {
    for (const kind of ['i33', 5, null, undefined, 'toString']) {
      refusal(() => scalar('X', kind as never), RangeError, 'scalar');
    }
    refusal(() => scalar(5 as never, 'i32'), TypeError, 'scalar');
    expect(scalar('X', 'u16').sizeOf).toBe(2);
  });

  it('checkCodec refuses a check that is not a function and a name that is not a string', () => {
    for (const is of [null, undefined, 7])
      refusal(() => checkCodec('X', is as never), TypeError, 'checkCodec');
    refusal(() => checkCodec(5 as never, () => true), TypeError, 'checkCodec');
  });

  it('asNumber refuses what is not an instance', () => {
    for (const S of [null, undefined, 'Int64', {}])
      refusal(() => asNumber(S as never), TypeError, 'asNumber');
  });
});
