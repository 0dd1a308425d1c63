/**
 * Comparing foreign pointers by address (eqForeignPtr, ordForeignPtr, compareForeignPtr),
 * minusForeignPtr, and nullForeignPtr, the final pointer to nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sort } from 'fp-ts/lib/Array.js';
import {
  ForeignPtrError,
  Heap,
  addForeignPtrConcFinalizer,
  addForeignPtrFinalizer,
  compareForeignPtr,
  contextOf,
  eqForeignPtr,
  finalizeForeignPtr,
  foreign,
  minusForeignPtr,
  nullForeignPtr,
  nullPtr,
  ordForeignPtr,
  plusForeignPtr,
  touchForeignPtr,
  unsafeForeignPtrToPtr,
  withForeignPtr,
  type ForeignPtr,
  type Ptr,
} from '../../../src/index.js';
import { runs } from '../helpers/arbitrary.js';
import { refusal } from '../../support/thrown.js';

const heap = Heap.create();
const api = foreign(contextOf(heap));
const at = (n: number): ForeignPtr<any> => api.newForeignPtr_(n as Ptr<any>)();
const address = fc.integer({ min: 0, max: 2 ** 40 });

describe('foreign pointers compare by address, not by object', () => {
  it('=== compares objects; eqForeignPtr and compareForeignPtr compare addresses', () => {
    const fp = at(64);
    const same = plusForeignPtr(fp, 0);
    expect(same === fp).toBe(false);
    expect(eqForeignPtr.equals(same, fp)).toBe(true);
    expect(compareForeignPtr(same, fp)).toBe(0);
    expect(eqForeignPtr.equals(at(64), fp)).toBe(true);
    expect(compareForeignPtr(at(8), fp)).toBe(-1);
    expect(compareForeignPtr(fp, at(8))).toBe(1);
  });

  it('ordForeignPtr is a total order consistent with eqForeignPtr (the Ord laws)', () => {
    fc.assert(
      fc.property(address, address, address, (a, b, c) => {
        const [x, y, z] = [at(a), at(b), at(c)];
        const cmp = ordForeignPtr.compare;
        expect(cmp(x, x)).toBe(0); // reflexivity
        expect(cmp(x, y)).toBe(-cmp(y, x) || 0); // antisymmetry
        if (cmp(x, y) <= 0 && cmp(y, z) <= 0) expect(cmp(x, z)).toBeLessThanOrEqual(0); // transitivity
        expect(ordForeignPtr.equals(x, y)).toBe(cmp(x, y) === 0);
        expect(eqForeignPtr.equals(x, y)).toBe(a === b);
        expect(compareForeignPtr(x, y)).toBe(Math.sign(a - b) || 0);
      }),
      { numRuns: runs(200) },
    );
  });

  it('sorts with fp-ts by address', () => {
    const fps = [at(40), at(8), at(24)];
    expect(sort(ordForeignPtr)(fps).map(unsafeForeignPtrToPtr)).toEqual([8, 24, 40]);
  });

  it('minusForeignPtr is the byte offset plusForeignPtr undoes', () => {
    fc.assert(
      fc.property(address, address, (a, b) => {
        const [fp1, fp2] = [at(a), at(b)];
        const d = minusForeignPtr(fp2, fp1);
        expect(d).toBe(b - a);
        expect(eqForeignPtr.equals(plusForeignPtr(fp1, d), fp2)).toBe(true);
      }),
      { numRuns: runs(100) },
    );
  });

  it('refuses what is not a foreign pointer, naming the call', () => {
    const fp = at(8);
    expect(
      refusal(() => compareForeignPtr(8 as never, fp), TypeError, 'compareForeignPtr'),
    ).toMatch(/8 is not a ForeignPtr/);
    expect(
      refusal(() => ordForeignPtr.compare(fp, null as never), TypeError, 'ordForeignPtr.compare'),
    ).toMatch(/null/);
    expect(
      refusal(() => ordForeignPtr.equals({} as never, fp), TypeError, 'ordForeignPtr.equals'),
    ).toMatch(/not a ForeignPtr/);
    expect(refusal(() => minusForeignPtr(fp, 8 as never), TypeError, 'minusForeignPtr')).toMatch(
      /8 is not a ForeignPtr/,
    );
  });
});

describe('nullForeignPtr', () => {
  it('points to nullPtr, owns nothing, and finalizing it does nothing', () => {
    expect(unsafeForeignPtrToPtr(nullForeignPtr)).toBe(nullPtr);
    expect(withForeignPtr(nullForeignPtr, (p) => () => p)()).toBe(0);
    finalizeForeignPtr(nullForeignPtr)();
    finalizeForeignPtr(nullForeignPtr)();
    touchForeignPtr(nullForeignPtr)();
    expect(withForeignPtr(nullForeignPtr, (p) => () => p + 1)()).toBe(1);
    expect(eqForeignPtr.equals(nullForeignPtr, at(0))).toBe(true);
    expect(minusForeignPtr(at(16), nullForeignPtr)).toBe(16);
    expect(String(nullForeignPtr)).toBe('0x00000000');
  });

  it('takes no finalizer, nor does a pointer made from it', () => {
    const before = JSON.stringify(heap.stats());
    const pending = api.pendingFinalizers()();
    expect(
      refusal(
        addForeignPtrFinalizer(api.finalizerFree, nullForeignPtr),
        ForeignPtrError,
        'addForeignPtrFinalizer',
      ),
    ).toMatch(/nullForeignPtr takes no finalizer/);
    expect(
      refusal(
        addForeignPtrConcFinalizer(plusForeignPtr(nullForeignPtr, 8), () => undefined),
        ForeignPtrError,
        'addForeignPtrConcFinalizer',
      ),
    ).toMatch(/no finalizer/);
    expect(
      refusal(
        api.concurrent.addForeignPtrFinalizer(nullForeignPtr, () => undefined),
        ForeignPtrError,
        'concurrent.addForeignPtrFinalizer',
      ),
    ).toMatch(/no finalizer/);
    expect(api.pendingFinalizers()()).toBe(pending);
    heap.check();
    expect(JSON.stringify(heap.stats())).toBe(before);
  });
});
