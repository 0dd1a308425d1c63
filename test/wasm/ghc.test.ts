/**
 * The rest of GHC's FFI surface against a real libc: c/build/ffi-ghc.wasm (c/ffi/ghc.c, built by
 * `npm run build:c`, committed): Foreign.C.Error reading wasi-libc's errno from the module's
 * memory (ENOENT from a lookup, ERANGE from strtol overflow, EINTR retried), the wide strings
 * against wcslen/wcscmp, and a StablePtr as a qsort_r-style comparator's user data.
 */
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  CInt,
  CLong,
  CSize,
  ErrnoError,
  FunPtr,
  Ptr,
  castPtrToStablePtr,
  castStablePtrToPtr,
  eINTR,
  eNOENT,
  eRANGE,
  type CWString,
  type StablePtr,
} from 'foreign-ts';
import {
  Void,
  foreignImport,
  foreignImportWrapper,
  freeHaskellFunPtr,
  inCString,
} from 'foreign-ts/wasm';
import { ERRNO_TABLE } from '../../src/foreign/c/errno-table.js';
import { refusal } from '../support/thrown.js';
import { ffi } from './load.js';

const setup = () => {
  const ctx = ffi('ghc');
  const f = ctx.foreign;
  const imp = {
    parseLong: foreignImport(ctx, 'parse_long', [inCString], CLong),
    lookup: foreignImport(ctx, 'lookup', [inCString], CInt),
    find: foreignImport(ctx, 'find', [inCString], Ptr),
    resetInterrupts: foreignImport(ctx, 'reset_interrupts', [CInt], Void),
    interruptedRead: foreignImport(ctx, 'interrupted_read', [], CInt),
    cErrno: foreignImport(ctx, 'c_errno', [], CInt),
    strerror: foreignImport(ctx, 'c_strerror', [CInt], Ptr),
    wcslen: foreignImport(ctx, 'c_wcslen', [Ptr], CSize),
    wcscmp: foreignImport(ctx, 'c_wcscmp', [Ptr, Ptr], CInt),
    sizeofWchar: foreignImport(ctx, 'c_sizeof_wchar', [], CSize),
    wideSample: foreignImport(ctx, 'c_wide_sample', [], Ptr),
    sortR: foreignImport(ctx, 'sort_r', [Ptr, CSize, FunPtr, Ptr], Void),
    lastUser: foreignImport(ctx, 'sort_r_last_user', [], Ptr),
  };
  return { ctx, f, ...imp };
};

describe("Foreign.C.Error on wasi-libc's errno", () => {
  it('reads ERANGE after strtol overflows, and no error after a good parse', () => {
    const { f, parseLong, cErrno } = setup();
    f.resetErrno();
    expect(parseLong('12345')()).toBe(12345);
    expect(f.getErrno()).toBe(0);
    expect(parseLong('99999999999999999999')()).toBe(2 ** 31 - 1); // LONG_MAX on wasm32
    expect(f.getErrno()).toBe(eRANGE);
    expect(cErrno()()).toBe(eRANGE);
    const e = refusal(
      () =>
        f.throwErrnoIf(
          (n: number) => n === 2 ** 31 - 1 && f.getErrno() === eRANGE,
          'strtol',
          () => parseLong('99999999999999999999')(),
        )(),
      ErrnoError,
      'strtol',
    );
    expect(e).toBe('strtol: unsupported operation (Result not representable)');
    f.resetErrno();
    expect(cErrno()()).toBe(0); // resetErrno wrote C's errno
  });

  it('throws ENOENT from a failing C call, and passes good results through', () => {
    const { f, lookup, find } = setup();
    expect(f.throwErrnoIfMinus1('lookup', lookup('two'))()).toBe(2);
    const e = refusal(() => f.throwErrnoIfMinus1('lookup', lookup('four'))(), ErrnoError, 'lookup');
    expect(e).toBe('lookup: does not exist (No such file or directory)');
    const l = f.either.throwErrnoIfNull('find', find('nine'))();
    expect(E.isLeft(l) && [l.left.errno, l.left.errnoName]).toEqual([eNOENT, 'ENOENT']);
    const p = f.throwErrnoIfNull('find', find('three'))();
    expect(f.peek(CInt, p)()).toBe(3);
    f.setErrno(5)(); // what a JavaScript stand-in for C does: C sees it
    expect(setup().f.getErrno()).toBe(0); // another instance: its own errno
  });

  it('throwErrnoIfMinus1Retry retries C calls that fail with EINTR', () => {
    const { f, resetInterrupts, interruptedRead } = setup();
    fc.assert(
      fc.property(fc.nat(20), (times) => {
        resetInterrupts(times)();
        let calls = 0;
        const read = () => {
          calls++;
          return interruptedRead()();
        };
        expect(f.throwErrnoIfMinus1Retry('read', read)()).toBe(7);
        expect(calls).toBe(times + 1);
        resetInterrupts(1)();
        const once = refusal(
          () => f.throwErrnoIfMinus1('read', interruptedRead())(),
          ErrnoError,
          'read',
        );
        expect(once).toBe('read: interrupted (Interrupted system call)');
        expect(f.getErrno()).toBe(eINTR);
      }),
      { numRuns: 20 },
    );
  });

  it("has wasi-libc's strerror text for every errno of the table", () => {
    const { f, strerror } = setup();
    for (const [name, value, description] of ERRNO_TABLE) {
      expect(f.peekCString(strerror(value)())(), name).toBe(description);
    }
  });
});

describe('wide strings against wcslen and wcscmp', () => {
  it('wchar_t is 4 bytes, and C reads what newCWString wrote (property, non-BMP included)', () => {
    const { f, wcslen, wcscmp, sizeofWchar } = setup();
    expect(sizeofWchar()()).toBe(4);
    const noNul = fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replaceAll('\0', ''));
    fc.assert(
      fc.property(noNul, noNul, (a, b) => {
        const pa = f.newCWString(a)();
        expect(wcslen(pa)()).toBe([...a].length);
        const cmp = f.withCWString(b, (pb) => wcscmp(pa, pb))();
        const ca = [...a].map((c) => c.codePointAt(0)!);
        const cb = [...b].map((c) => c.codePointAt(0)!);
        let i = 0;
        while (i < ca.length && i < cb.length && ca[i] === cb[i]) i++;
        const expected = Math.sign((ca[i] ?? 0) - (cb[i] ?? 0));
        expect(Math.sign(cmp)).toBe(expected);
        f.free(pa)();
      }),
    );
    f.withCWString('a😀', (p) => () => expect(wcslen(p)()).toBe(2))();
  });

  it("reads C's own wide string literal, outside the BMP too", () => {
    const { f, wideSample } = setup();
    const p = wideSample()() as CWString;
    expect(f.peekCWString(p)()).toBe('a😀é𝄞');
    expect(f.peekCWStringLen([p, 2])()).toBe('a😀');
  });
});

describe('a StablePtr as the user data of a qsort_r-style callback', () => {
  it('is found again in the comparator C calls, and C hands back the same void *', () => {
    const { ctx, f, sortR, lastUser } = setup();
    const wrap = foreignImportWrapper(ctx, [Ptr, Ptr, Ptr], CInt);
    const seen: StablePtr<unknown>[] = [];
    const cmp = wrap((a, b, user) => () => {
      const sp = castPtrToStablePtr<{ descending: boolean; calls: number }>(user);
      seen.push(sp);
      const order = f.deRefStablePtr(sp)();
      order.calls++;
      const d = f.peek(CInt, a)() - f.peek(CInt, b)();
      return order.descending ? -d : d;
    })();
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 30 }),
        fc.boolean(),
        (xs, descending) => {
          const order = { descending, calls: 0 };
          const sp = f.newStablePtr(order)();
          const sorted = f.withArrayLen(CInt, xs, (n, p) => () => {
            sortR(p, n, cmp, castStablePtrToPtr(sp))();
            return f.peekArray(CInt, n, p)();
          })();
          const expected = [...xs].sort((x, y) => (descending ? y - x : x - y));
          expect(sorted).toEqual(expected);
          expect(lastUser()()).toBe(castStablePtrToPtr(sp));
          expect(seen.every((s) => s === sp)).toBe(true);
          expect(order.calls).toBe(seen.length);
          seen.length = 0;
          f.freeStablePtr(sp)();
        },
      ),
      { numRuns: 50 },
    );
    expect(f.liveStablePtrs()()).toBe(0);
    freeHaskellFunPtr(ctx, cmp)();
  });

  it('a freed StablePtr handed to C is refused when the callback uses it', () => {
    const { ctx, f, sortR } = setup();
    const wrap = foreignImportWrapper(ctx, [Ptr, Ptr, Ptr], CInt);
    const cmp = wrap((_a, _b, user) => () => {
      f.deRefStablePtr(castPtrToStablePtr(user))();
      return 0;
    })();
    const sp = f.newStablePtr('gone')();
    f.freeStablePtr(sp)();
    const error = (() => {
      try {
        f.withArray(CInt, [2, 1], (p) => sortR(p, 2, cmp, castStablePtrToPtr(sp)))();
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/deRefStablePtr: StablePtr \d+ was freed/);
  });
});
