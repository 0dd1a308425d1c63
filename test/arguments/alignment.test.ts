/**
 * The one alignment check (src/arguments/alignment.ts), shared by the heap, the alloca stack,
 * `alignPtr`, the layout combinators and the brackets: powers of two as numbers or safe
 * bigints, up to a limit the caller states; and the arithmetic of aligned addresses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MALLOC_ALIGNMENT,
  MAX_ALIGNMENT,
  checkAlignment,
  lowBit,
  roundUp,
} from '../../src/arguments/index.js';

describe('checkAlignment', () => {
  it('returns every power of two up to the limit, as a number, from a number or a bigint', () => {
    for (let a = 1; a <= MAX_ALIGNMENT; a *= 2) {
      expect(checkAlignment('f', a)).toBe(a);
      expect(checkAlignment('f', BigInt(a))).toBe(a);
    }
    expect(checkAlignment('alignedAlloc', 2 ** 30, 2 ** 30)).toBe(2 ** 30);
  });

  it.each([0, -8, 3, 12, 1.5, NaN, Infinity, '8', 8.0000001, 2 ** 53, 3n, -2n])(
    'refuses %s with a RangeError naming the call',
    (a) => {
      expect(() => checkAlignment('alignPtr', a)).toThrow(RangeError);
      expect(() => checkAlignment('alignPtr', a)).toThrow(
        /^alignPtr: alignment .* is not a positive power of two$/,
      );
    },
  );

  it('refuses a power of two above the limit, saying so', () => {
    expect(() => checkAlignment('alignedAlloc', 2 ** 31, 2 ** 30)).toThrow(
      'alignedAlloc: alignment 2147483648 is above 2^30',
    );
    expect(() => checkAlignment('Stack.alloc', 2n ** 31n, 2 ** 30)).toThrow(/is above 2\^30$/);
  });

  it('MALLOC_ALIGNMENT is 8', () => expect(MALLOC_ALIGNMENT).toBe(8));
});

describe('aligned arithmetic', () => {
  it('roundUp gives the least multiple of the alignment at or above n', () => {
    fc.assert(
      fc.property(fc.nat(1 << 30), fc.nat(20), (n, k) => {
        const a = 2 ** k;
        const r = roundUp(n, a);
        return r % a === 0 && r >= n && r - n < a;
      }),
    );
  });

  it('lowBit gives the largest power of two dividing n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), (n) => {
        const b = lowBit(n);
        return n % b === 0 && (n / b) % 2 === 1;
      }),
    );
    expect(lowBit(0)).toBe(Infinity);
  });
});
