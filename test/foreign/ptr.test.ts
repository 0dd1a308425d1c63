import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CInt,
  advancePtr,
  alignPtr,
  castFunPtr,
  castFunPtrToPtr,
  castPtr,
  castPtrToFunPtr,
  checkOffset,
  intPtrToPtr,
  minusPtr,
  nullFunPtr,
  nullPtr,
  plusPtr,
  ptrToIntPtr,
  ptrToWordPtr,
  wordPtrToPtr,
  type FunPtr,
  type Ptr,
} from '../../src/foreign/index.js';
import { thrown } from '../support/thrown.js';
import { runs } from './helpers/arbitrary.js';

const ptr = fc.integer({ min: 0, max: 2 ** 40 }).map((n) => n as Ptr<unknown>);
const alignment = fc.integer({ min: 0, max: 20 }).map((k) => 2 ** k);
const bad: unknown[] = [-1, 1.5, NaN, Infinity, 2 ** 53, '8', null, undefined, {}];

describe('Ptr', () => {
  it('nullPtr and nullFunPtr are 0', () => {
    expect(nullPtr).toBe(0);
    expect(nullFunPtr).toBe(0);
  });

  it('plusPtr and minusPtr: p2 === plusPtr(p1, minusPtr(p2, p1))', () => {
    fc.assert(
      fc.property(ptr, ptr, (p1, p2) => {
        expect(plusPtr(p1, minusPtr(p2, p1))).toBe(p2);
      }),
      { numRuns: runs(200) },
    );
  });

  it('minusPtr(plusPtr(p, n), p) === n', () => {
    expect(minusPtr(plusPtr(nullPtr, 10), nullPtr)).toBe(10);
    expect(minusPtr(wordPtrToPtr(3), wordPtrToPtr(10))).toBe(-7);
  });

  it('alignPtr is the smallest multiple of the alignment at or above p, and idempotent', () => {
    fc.assert(
      fc.property(ptr, alignment, (p, a) => {
        const q = alignPtr(p, a);
        expect(q % a).toBe(0);
        expect(q >= p).toBe(true);
        expect(q - p < a).toBe(true);
        expect(alignPtr(q, a)).toBe(q);
      }),
      { numRuns: runs(200) },
    );
    expect(alignPtr(wordPtrToPtr(13), 8)).toBe(16);
    expect(alignPtr(wordPtrToPtr(16), 8)).toBe(16);
    expect(alignPtr(wordPtrToPtr(5), 2 ** 40)).toBe(2 ** 40);
  });

  it('alignPtr rejects an alignment of 0 (Haskell dies of SIGFPE), non-powers of two and non-integers', () => {
    const p = wordPtrToPtr(13);
    for (const a of [0, 3, 6, -8, 1.5, NaN, 2 ** 53, 3 * 2 ** 31, '8' as unknown as number]) {
      expect(() => alignPtr(p, a)).toThrow(RangeError);
    }
    expect(() => alignPtr(p, 0)).toThrow('alignPtr: alignment 0 is not a positive power of two');
    expect(alignPtr(p, 2 ** 31)).toBe(2 ** 31);
    expect(alignPtr(p, 2 ** 52)).toBe(2 ** 52);
  });

  it('alignPtr refuses a result beyond 2^53 − 1', () => {
    expect(() => alignPtr(wordPtrToPtr(Number.MAX_SAFE_INTEGER), 2)).toThrow(RangeError);
  });

  it('plusPtr refuses results below 0 and bad offsets, naming the call', () => {
    expect(() => plusPtr(wordPtrToPtr(4), -5)).toThrow('plusPtr: 4 + -5 = -1 is not an address');
    expect(() => plusPtr(nullPtr, 1.5)).toThrow('plusPtr: offset 1.5 is not a safe integer');
    expect(() => plusPtr(wordPtrToPtr(Number.MAX_SAFE_INTEGER), 1)).toThrow(RangeError);
    expect(plusPtr(wordPtrToPtr(4), -4)).toBe(0);
  });

  it.each([
    ['castPtr', (x: any) => castPtr(x)],
    ['plusPtr', (x: any) => plusPtr(x, 1)],
    ['minusPtr', (x: any) => minusPtr(x, nullPtr)],
    ['minusPtr (second)', (x: any) => minusPtr(nullPtr, x)],
    ['alignPtr', (x: any) => alignPtr(x, 4)],
    ['castFunPtr', (x: any) => castFunPtr(x)],
    ['castFunPtrToPtr', (x: any) => castFunPtrToPtr(x)],
    ['castPtrToFunPtr', (x: any) => castPtrToFunPtr(x)],
    ['ptrToIntPtr', (x: any) => ptrToIntPtr(x)],
    ['intPtrToPtr', (x: any) => intPtrToPtr(x)],
    ['ptrToWordPtr', (x: any) => ptrToWordPtr(x)],
    ['wordPtrToPtr', (x: any) => wordPtrToPtr(x)],
  ])(
    '%s rejects values that are not non-negative safe integers, with a RangeError naming it',
    (name, f) => {
      for (const x of bad) {
        expect(() => f(x)).toThrow(RangeError);
        expect(() => f(x)).toThrow(name.split(' ')[0] as string);
      }
    },
  );

  it.each([
    ['castPtr', (x: any) => castPtr(x)],
    ['plusPtr', (x: any) => plusPtr(x, 1)],
    ['minusPtr', (x: any) => minusPtr(x, nullPtr)],
    ['alignPtr', (x: any) => alignPtr(x, 4)],
    ['castFunPtr', (x: any) => castFunPtr(x)],
    ['intPtrToPtr', (x: any) => intPtrToPtr(x)],
    ['wordPtrToPtr', (x: any) => wordPtrToPtr(x)],
    ['advancePtr', (x: any) => advancePtr(CInt, x, 1)],
  ])('%s refuses a bigint pointer with a TypeError naming it', (name, f) => {
    for (const x of [8n, 0n, 2n ** 64n]) {
      const error = thrown(() => f(x));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(new RegExp(`^${name}: .*${x}n is a bigint`));
      expect((error as Error).message).toContain('wordPtrToPtr(Number(x))');
    }
  });

  it('offsets, counts and alignments may be bigints that are safe integers', () => {
    const p = wordPtrToPtr<number>(64);
    expect(plusPtr(p, 8n)).toBe(72);
    expect(plusPtr(p, -64n)).toBe(0);
    expect(alignPtr(wordPtrToPtr(65), 16n)).toBe(80);
    expect(advancePtr(CInt, p, 3n)).toBe(76);
    expect(advancePtr(CInt, p, -2n)).toBe(56);
    expect(checkOffset('f', 5n)).toBe(5);
    for (const [name, f] of [
      ['plusPtr', () => plusPtr(p, 2n ** 53n)],
      ['alignPtr', () => alignPtr(p, 2n ** 60n)],
      ['alignPtr', () => alignPtr(p, 3n)],
      ['advancePtr', () => advancePtr(CInt, p, -(2n ** 64n))],
    ] as const) {
      const error = thrown(f);
      expect(error, name).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(new RegExp(`^${name}: `));
    }
  });

  it('the conversions keep the number', () => {
    fc.assert(
      fc.property(ptr, (p) => {
        expect(castPtr<string>(p)).toBe(p);
        expect(ptrToIntPtr(p)).toBe(p);
        expect(intPtrToPtr(ptrToIntPtr(p))).toBe(p);
        expect(wordPtrToPtr(ptrToWordPtr(p))).toBe(p);
        const f: FunPtr<() => void> = castPtrToFunPtr(p);
        expect(castFunPtrToPtr(castFunPtr<(x: number) => number>(f))).toBe(p);
      }),
      { numRuns: runs(50) },
    );
  });

  it('keeps the phantom type exact', () => {
    const p: Ptr<number> = wordPtrToPtr(8);
    // @ts-expect-error a Ptr<number> is not a Ptr<string>
    const q: Ptr<string> = p;
    const r: Ptr<string> = castPtr(p);
    expect(q).toBe(r);
  });
});
