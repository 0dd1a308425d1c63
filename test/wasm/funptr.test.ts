/**
 * Function pointers (src/wasm/funptr.ts): C's pointers called from TypeScript, TypeScript
 * callbacks called from C through the table (the trampolines of src/wasm/trampoline.ts),
 * freeHaskellFunPtr and every use after it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CDouble,
  CInt,
  CLLong,
  CUChar,
  FunPtr,
  Ptr,
  nullFunPtr,
  type FunPtr as FunPtrT,
} from 'foreign-ts';
import {
  ForeignCallError,
  FunPtrError,
  Void,
  foreignImport,
  foreignImportDynamic,
  foreignImportWrapper,
  freeHaskellFunPtr,
} from 'foreign-ts/wasm';
import { trampolineBytes } from '../../src/wasm/trampoline.js';
import { refusal } from '../support/thrown.js';
import { ffi } from './load.js';

const ctx = ffi('core');
const apply = foreignImport(ctx, 'apply', [FunPtr, CInt, CInt], CInt);
const getAdd = foreignImport(ctx, 'get_add', [], FunPtr);
const getSub = foreignImport(ctx, 'get_sub', [], FunPtr);
const binop = foreignImportDynamic(ctx, [CInt, CInt], CInt);
const wrapBinop = foreignImportWrapper(ctx, [CInt, CInt], CInt);

describe('FunPtr from the table (dynamic)', () => {
  it("calls C's function pointers", () => {
    const add = binop(getAdd()());
    const sub = binop(getSub()());
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: -1e9, max: 1e9 }),
        (a, b) => {
          expect(add(a, b)()).toBe(a + b);
          expect(sub(a, b)()).toBe(a - b);
          expect(apply(getSub()(), a, b)()).toBe(a - b);
        },
      ),
    );
  });
  it('refuses a null, a bad or an empty pointer', () => {
    refusal(() => binop(nullFunPtr), FunPtrError, 'foreignImportDynamic');
    refusal(() => binop(1n as never), TypeError, 'foreignImportDynamic');
    refusal(() => binop(-1 as never), RangeError, 'foreignImportDynamic');
    refusal(() => binop(1.5 as never), RangeError, 'foreignImportDynamic');
    refusal(() => binop(100000 as never), FunPtrError, 'foreignImportDynamic');
    const unary = foreignImportDynamic(ctx, [CInt], CInt);
    refusal(() => unary(getAdd()()), TypeError, 'foreignImportDynamic');
  });
});

describe('FunPtr to a TypeScript callback (wrapper)', () => {
  it('C calls the callback through the table', () => {
    const calls: [number, number][] = [];
    const fp = wrapBinop((a, b) => () => (calls.push([a, b]), a * b))();
    expect(apply(fp, 6, 7)()).toBe(42);
    expect(calls).toEqual([[6, 7]]);
    // and from TypeScript, through the same slot
    expect(binop(fp)(3, 4)()).toBe(12);
    freeHaskellFunPtr(ctx, fp)();
  });

  it('every signature: i32, i64, f64 and void, a trampoline each', () => {
    const viaTable = <F>(fp: FunPtrT<F>) => ctx.table!.get(fp) as (...xs: unknown[]) => unknown;
    const f64 = foreignImportWrapper(
      ctx,
      [CDouble, CLLong, CUChar],
      CDouble,
    )((d, l, u) => () => d + Number(l) + u)();
    expect(viaTable(f64)(0.5, 10n, 255 + 256)).toBe(0.5 + 10 + 255);
    let seen: unknown;
    const v = foreignImportWrapper(
      ctx,
      [Ptr],
      Void,
    )((p) => () => {
      seen = p;
    })();
    expect(viaTable(v)(-8)).toBeUndefined();
    expect(seen).toBe(2 ** 32 - 8); // a pointer arrives unsigned
    freeHaskellFunPtr(ctx, f64)();
    freeHaskellFunPtr(ctx, v)();
  });

  it('a callback that throws ends the C call with a ForeignCallError; the C stack is restored', () => {
    const boom = new Error('boom');
    const fp = wrapBinop(() => () => {
      throw boom;
    })();
    const sp = ctx.stackPointer!.value as number;
    const e = refusal(() => apply(fp, 1, 2)(), ForeignCallError, 'apply');
    expect(e).toMatch(/boom/);
    expect(ctx.stackPointer!.value).toBe(sp);
    freeHaskellFunPtr(ctx, fp)();
  });

  it("a callback's result that does not fit its type, or is not an IO", () => {
    const bad = wrapBinop(() => () => 2 ** 40)();
    const err = (() => {
      try {
        apply(bad, 1, 2)();
      } catch (e) {
        return e as ForeignCallError;
      }
    })();
    expect(err).toBeInstanceOf(ForeignCallError);
    expect(err!.kind).toBe('callback');
    const notIO = wrapBinop(((a: number) => a) as never)();
    refusal(() => apply(notIO, 1, 2)(), ForeignCallError, 'apply');
    freeHaskellFunPtr(ctx, bad)();
    freeHaskellFunPtr(ctx, notIO)();
  });

  it('after freeHaskellFunPtr every use is a FunPtrError naming the call', () => {
    const fp = wrapBinop((a, b) => () => a + b)();
    expect(apply(fp, 1, 2)()).toBe(3);
    freeHaskellFunPtr(ctx, fp)();
    refusal(() => apply(fp, 1, 2), FunPtrError, 'apply'); // passed as an argument
    refusal(() => binop(fp), FunPtrError, 'foreignImportDynamic');
    refusal(() => freeHaskellFunPtr(ctx, fp)(), FunPtrError, 'freeHaskellFunPtr');
    // called by C through a pointer it kept (the argument check cannot see it)
    const keep = foreignImport(ctx, 'id_ptr', [Ptr], Ptr);
    const apply2 = foreignImport(ctx, 'apply', [Ptr, CInt, CInt], CInt);
    refusal(() => apply2(keep(fp as never)(), 1, 2)(), FunPtrError, 'apply');
    // a new callback gets a new slot
    const other = wrapBinop((a, b) => () => a - b)();
    expect(other).not.toBe(fp);
    freeHaskellFunPtr(ctx, other)();
  });

  it('bad input', () => {
    refusal(() => freeHaskellFunPtr(ctx, getAdd()())(), FunPtrError, 'freeHaskellFunPtr');
    refusal(() => freeHaskellFunPtr(ctx, 3n as never), TypeError, 'freeHaskellFunPtr');
    refusal(() => freeHaskellFunPtr(ctx, 'x' as never), RangeError, 'freeHaskellFunPtr');
    refusal(() => freeHaskellFunPtr(null as never, 1 as never), TypeError, 'freeHaskellFunPtr');
    refusal(() => wrapBinop(5 as never), TypeError, 'foreignImportWrapper');
    refusal(
      () => foreignImportWrapper(ctx, [CInt, 'x' as never], CInt),
      TypeError,
      'foreignImportWrapper',
    );
    refusal(
      () => foreignImportWrapper(ctx, CInt as never, CInt),
      TypeError,
      'foreignImportWrapper',
    );
    const bare = ffi('bare');
    refusal(() => foreignImportWrapper(bare, [], Void), TypeError, 'foreignImportWrapper');
    refusal(() => foreignImportDynamic(bare, [], Void), TypeError, 'foreignImportDynamic');
  });
});

describe('the trampoline bytes', () => {
  it('validate for every signature', () => {
    const t = fc.constantFrom('i32', 'i64', 'f32', 'f64' as const);
    fc.assert(
      fc.property(fc.array(t, { maxLength: 200 }), fc.array(t, { maxLength: 1 }), (ps, rs) => {
        expect(WebAssembly.validate(trampolineBytes(ps, rs))).toBe(true);
      }),
    );
  });
});
