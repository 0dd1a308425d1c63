import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { refusal } from '../../support/thrown.js';
import {
  StablePtr,
  StablePtrError,
  castPtrToStablePtr,
  castStablePtrToPtr,
  stablePtrs,
  type StablePtr as StablePtrT,
} from '../../../src/foreign/stable-ptr.js';
import { lp64, wasm32 } from '../../../src/foreign/c/index.js';
import { foreign } from '../../../src/foreign/context/index.js';
import * as root from '../../../src/index.js';
import { contextOf } from '../../../src/interface/index.js';
import { Heap } from '../../../src/heap/index.js';
import { nullPtr, wordPtrToPtr, type Ptr } from '../../../src/foreign/ptr.js';

const setup = () => {
  const heap = Heap.create();
  const ctx = contextOf(heap);
  return { heap, ctx, sp: stablePtrs(ctx), f: foreign(ctx) };
};

describe('newStablePtr, deRefStablePtr, freeStablePtr', () => {
  it('finds the value again, the same object, until it is freed', () => {
    const { sp } = setup();
    const value = { name: 'user data', list: [1, 2, 3] };
    const p = sp.newStablePtr(value)();
    expect(sp.deRefStablePtr(p)()).toBe(value);
    expect(sp.liveStablePtrs()()).toBe(1);
    sp.freeStablePtr(p)();
    expect(sp.liveStablePtrs()()).toBe(0);
  });

  it('holds any value, undefined and functions included, each under a new number', () => {
    fc.assert(
      fc.property(fc.array(fc.anything(), { maxLength: 20 }), (values) => {
        const { sp } = setup();
        const ps = values.map((v) => sp.newStablePtr(v)());
        expect(new Set(ps).size).toBe(ps.length);
        ps.forEach((p, i) => expect(sp.deRefStablePtr(p)()).toBe(values[i]));
        ps.forEach((p) => sp.freeStablePtr(p)());
        expect(sp.liveStablePtrs()()).toBe(0);
      }),
    );
    const { sp } = setup();
    const fn = (): number => 1;
    expect(sp.deRefStablePtr(sp.newStablePtr(fn)())()).toBe(fn);
    expect(sp.deRefStablePtr(sp.newStablePtr(undefined)())()).toBe(undefined);
  });

  it('never gives a number twice, even after a free', () => {
    const { sp } = setup();
    const a = sp.newStablePtr('a')();
    sp.freeStablePtr(a)();
    const b = sp.newStablePtr('b')();
    expect(b).not.toBe(a);
    expect(b).toBeGreaterThan(a);
  });

  it('refuses a freed StablePtr, and a second free changes nothing', () => {
    const { sp } = setup();
    const keep = sp.newStablePtr(1)();
    const p = sp.newStablePtr(2)();
    sp.freeStablePtr(p)();
    expect(refusal(() => sp.deRefStablePtr(p)(), StablePtrError, 'deRefStablePtr')).toMatch(
      /was freed/,
    );
    expect(refusal(() => sp.freeStablePtr(p)(), StablePtrError, 'freeStablePtr')).toMatch(
      /was freed/,
    );
    expect(sp.liveStablePtrs()()).toBe(1);
    expect(sp.deRefStablePtr(keep)()).toBe(1);
  });

  it('refuses another context’s StablePtr, in both directions', () => {
    const a = setup();
    const b = setup();
    const p = a.sp.newStablePtr('mine')();
    expect(refusal(() => b.sp.deRefStablePtr(p)(), StablePtrError, 'deRefStablePtr')).toMatch(
      /another context/,
    );
    expect(refusal(() => b.sp.freeStablePtr(p)(), StablePtrError, 'freeStablePtr')).toMatch(
      /another context/,
    );
    expect(a.sp.deRefStablePtr(p)()).toBe('mine');
  });

  it('shares one table between the families bound to the same context', () => {
    const { ctx, sp, f } = setup();
    const p = f.newStablePtr('x')();
    expect(sp.deRefStablePtr(p)()).toBe('x');
    expect(stablePtrs(ctx).liveStablePtrs()()).toBe(1);
    sp.freeStablePtr(p)();
    expect(f.liveStablePtrs()()).toBe(0);
  });

  it('refuses a number no newStablePtr gave', () => {
    const { sp } = setup();
    const never = castPtrToStablePtr(wordPtrToPtr(0xfffffff0));
    expect(refusal(() => sp.deRefStablePtr(never)(), StablePtrError, 'deRefStablePtr')).toMatch(
      /never made/,
    );
  });

  it.each([
    ['zero', 0],
    ['negative', -1],
    ['fractional', 1.5],
    ['above 2^32 - 1', 2 ** 32],
    ['NaN', NaN],
    ['a string', '1'],
    ['undefined', undefined],
  ])('refuses %s as a StablePtr with a RangeError', (_, bad) => {
    const { sp } = setup();
    const v = bad as unknown as StablePtrT<unknown>;
    refusal(() => sp.deRefStablePtr(v)(), RangeError, 'deRefStablePtr');
    refusal(() => sp.freeStablePtr(v)(), RangeError, 'freeStablePtr');
    refusal(() => castStablePtrToPtr(v), RangeError, 'castStablePtrToPtr');
  });

  it('refuses a bigint with a TypeError', () => {
    const { sp } = setup();
    const v = 1n as unknown as StablePtrT<unknown>;
    refusal(() => sp.deRefStablePtr(v)(), TypeError, 'deRefStablePtr');
    refusal(() => castStablePtrToPtr(v), TypeError, 'castStablePtrToPtr');
    refusal(
      () => castPtrToStablePtr(1n as unknown as Ptr<unknown>),
      TypeError,
      'castPtrToStablePtr',
    );
  });

  it('refuses a context that is not one', () => {
    refusal(() => stablePtrs({} as never), TypeError, 'stablePtrs');
  });
});

describe('castStablePtrToPtr and castPtrToStablePtr', () => {
  it('are inverse, keeping the number', () => {
    const { sp } = setup();
    const p = sp.newStablePtr('v')();
    const q = castStablePtrToPtr(p);
    expect(q).toBe(p as number);
    expect(sp.deRefStablePtr(castPtrToStablePtr<string>(q))()).toBe('v');
  });

  it('castPtrToStablePtr refuses nullPtr and what is not an address', () => {
    refusal(() => castPtrToStablePtr(nullPtr), RangeError, 'castPtrToStablePtr');
    refusal(() => castPtrToStablePtr(-4 as Ptr<unknown>), RangeError, 'castPtrToStablePtr');
    refusal(() => castPtrToStablePtr((2 ** 32) as Ptr<unknown>), RangeError, 'castPtrToStablePtr');
  });
});

describe('the Storable instance', () => {
  it('is a void * in each model', () => {
    expect([StablePtr.sizeOf, StablePtr.alignment]).toEqual([4, 4]);
    expect(wasm32.StablePtr).toBe(StablePtr);
    expect([lp64.StablePtr.sizeOf, lp64.StablePtr.alignment]).toEqual([8, 8]);
  });

  it('round-trips a StablePtr through memory and finds its value (property)', () => {
    const { heap, sp, f } = setup();
    fc.assert(
      fc.property(fc.anything(), fc.boolean(), (value, wide) => {
        const S = wide ? lp64.StablePtr : wasm32.StablePtr;
        const p = sp.newStablePtr(value)();
        const found = f.alloca(S, (q) => () => {
          f.poke(S, q, p)();
          return f.deRefStablePtr(f.peek(S, q)())();
        })();
        expect(found).toBe(value);
        sp.freeStablePtr(p)();
      }),
    );
    heap.check();
    expect(sp.liveStablePtrs()()).toBe(0);
  });
});

describe('the package root', () => {
  it('binds the functions to the default context', () => {
    const p = root.newStablePtr([1, 2])();
    expect(root.deRefStablePtr(p)()).toEqual([1, 2]);
    const before = root.liveStablePtrs()();
    root.freeStablePtr(p)();
    expect(root.liveStablePtrs()()).toBe(before - 1);
    expect(root.defaultForeign().deRefStablePtr).toBeTypeOf('function');
    refusal(() => root.deRefStablePtr(p)(), StablePtrError, 'deRefStablePtr');
  });

  it('refuses a StablePtr of the default context in another context', () => {
    const p = root.newStablePtr('d')();
    const { sp } = setup();
    refusal(() => sp.deRefStablePtr(p)(), StablePtrError, 'deRefStablePtr');
    root.freeStablePtr(p)();
  });
});
