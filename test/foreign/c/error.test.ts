import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { refusal, thrown } from '../../support/thrown.js';
import * as C from '../../../src/foreign/c/index.js';
import { ERRNO_TABLE } from '../../../src/foreign/c/errno-table.js';
import {
  ErrnoError,
  cError,
  eINTR,
  eNOENT,
  eRANGE,
  errnoToIOError,
  isValidErrno,
} from '../../../src/foreign/c/index.js';
import { foreign } from '../../../src/foreign/context/index.js';
import { contextOf, type Context } from '../../../src/interface/index.js';
import { nullPtr, type Ptr } from '../../../src/foreign/ptr.js';
import { Heap } from '../../../src/heap/index.js';
import { MemoryBoundsError } from '../../../src/memory/index.js';
import * as root from '../../../src/index.js';

/** A plain context: errno is its own cell. */
const plain = () => {
  const ctx = contextOf(Heap.create());
  return { ctx, err: cError(ctx) };
};

/** A context whose "C module" keeps errno at an int in memory (as a wasm context does). */
const withHook = () => {
  const heap = Heap.create();
  const base = contextOf(heap);
  const at = heap.malloc(4);
  let where: number | undefined = at;
  const ctx = Object.assign(Object.create(null), base, {
    errnoLocation: () => where as Ptr<number> | undefined,
  }) as Context;
  const cErrno = (): number => ctx.memory.views.i32[at >>> 2]!;
  const setC = (e: number): void => {
    ctx.memory.views.i32[at >>> 2] = e;
  };
  return { ctx, err: cError(ctx), at, cErrno, setC, move: (p: number | undefined) => (where = p) };
};

describe('getErrno, resetErrno, setErrno', () => {
  it("reads a context's own cell where there is no C module: 0 at first", () => {
    const { ctx, err } = plain();
    expect(err.getErrno()).toBe(0);
    err.setErrno(eNOENT)();
    expect(err.getErrno()).toBe(eNOENT);
    expect(cError(ctx).getErrno()).toBe(eNOENT); // one cell per context
    expect(plain().err.getErrno()).toBe(0); // another context: its own
    err.resetErrno();
    expect(err.getErrno()).toBe(0);
  });

  it("reads and writes the C module's errno in its memory, through errnoLocation()", () => {
    const { err, cErrno, setC, move } = withHook();
    setC(eRANGE); // what C's strtol does
    expect(err.getErrno()).toBe(eRANGE);
    err.resetErrno();
    expect(cErrno()).toBe(0);
    err.setErrno(7)();
    expect(cErrno()).toBe(7);
    move(undefined); // a module without __errno_location: the cell
    expect(err.getErrno()).toBe(0);
  });

  it('round-trips every int through setErrno and getErrno, cell and memory (property)', () => {
    const a = plain().err;
    const b = withHook().err;
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (e) => {
        for (const err of [a, b]) {
          err.setErrno(e)();
          expect(err.getErrno()).toBe(e);
        }
      }),
    );
  });

  it('refuses a bad errno location, and a bad errno', () => {
    const h = withHook();
    h.move(h.at + 2);
    refusal(() => h.err.getErrno(), RangeError, 'getErrno');
    h.move(2 ** 30);
    refusal(() => h.err.resetErrno(), MemoryBoundsError, 'resetErrno');
    const { err } = plain();
    refusal(() => err.setErrno(1.5), RangeError, 'setErrno');
    refusal(() => err.setErrno(2 ** 31), RangeError, 'setErrno');
    refusal(() => err.setErrno('1' as never), TypeError, 'setErrno');
    refusal(() => err.setErrno(1n as never), TypeError, 'setErrno');
    refusal(() => cError({} as never), TypeError, 'cError');
  });
});

describe('throwErrno and errnoToIOError', () => {
  it("make GHC's IOError: type by GHC's table, wasi-libc's strerror text", () => {
    const { err } = plain();
    err.setErrno(eNOENT)();
    const e = thrown(() => err.throwErrno('open')());
    expect(e).toBeInstanceOf(ErrnoError);
    const x = e as ErrnoError;
    expect(x.message).toBe('open: does not exist (No such file or directory)');
    expect([x.errno, x.errnoName, x.type, x.location]).toEqual([
      44,
      'ENOENT',
      'NoSuchThing',
      'open',
    ]);
    expect(errnoToIOError('strtol', eRANGE).message).toBe(
      'strtol: unsupported operation (Result not representable)',
    );
    expect(errnoToIOError('open', eNOENT, 'a.txt').message).toBe(
      'a.txt: open: does not exist (No such file or directory)',
    );
    expect(errnoToIOError('', eINTR).message).toBe('interrupted (Interrupted system call)');
    const unknown = errnoToIOError('f', 999);
    expect([unknown.type, unknown.description, unknown.errnoName]).toEqual([
      'OtherError',
      'Unknown error 999',
      undefined,
    ]);
    const l = err.either.throwErrno('open')();
    expect(E.isLeft(l) && l.left.errno).toBe(eNOENT);
  });

  it('refuses bad arguments naming the call', () => {
    const { err } = plain();
    refusal(() => err.throwErrno(5 as never), TypeError, 'throwErrno');
    refusal(() => err.either.throwErrno(null as never), TypeError, 'either.throwErrno');
    refusal(() => errnoToIOError(5 as never, 1), TypeError, 'errnoToIOError');
    refusal(() => errnoToIOError('x', 1.5), RangeError, 'errnoToIOError');
    refusal(() => errnoToIOError('x', 1, 5 as never), TypeError, 'errnoToIOError');
    refusal(() => isValidErrno('1' as never), TypeError, 'isValidErrno');
    expect([isValidErrno(-1), isValidErrno(0), isValidErrno(eNOENT)]).toEqual([false, true, true]);
  });
});

describe('the throwErrnoIf family', () => {
  it('passes a good result through and throws the errno on a bad one', () => {
    const { err } = plain();
    err.setErrno(eRANGE)();
    expect(
      err.throwErrnoIf(
        (n: number) => n < 0,
        'f',
        () => 3,
      )(),
    ).toBe(3);
    expect(
      err.throwErrnoIf_(
        (n: number) => n < 0,
        'f',
        () => 3,
      )(),
    ).toBe(undefined);
    refusal(
      () =>
        err.throwErrnoIf(
          (n: number) => n < 0,
          'f',
          () => -5,
        )(),
      ErrnoError,
      'f',
    );
    refusal(
      () =>
        err.throwErrnoIf_(
          (n: number) => n < 0,
          'f',
          () => -5,
        )(),
      ErrnoError,
      'f',
    );
    expect(err.throwErrnoIfMinus1('g', () => 0)()).toBe(0);
    expect(err.throwErrnoIfMinus1('g', () => -2)()).toBe(-2);
    refusal(() => err.throwErrnoIfMinus1('g', () => -1)(), ErrnoError, 'g');
    refusal(() => err.throwErrnoIfMinus1('g', () => -1n)(), ErrnoError, 'g');
    refusal(() => err.throwErrnoIfMinus1_('g', () => -1)(), ErrnoError, 'g');
    expect(err.throwErrnoIfNull('h', () => 8 as Ptr<number>)()).toBe(8);
    refusal(() => err.throwErrnoIfNull('h', () => nullPtr)(), ErrnoError, 'h');
  });

  it('has either flavours with the ErrnoError on the left', () => {
    const { err } = plain();
    err.setErrno(eNOENT)();
    const l = err.either.throwErrnoIfMinus1('open', () => -1)();
    expect(E.isLeft(l) && l.left.message).toBe('open: does not exist (No such file or directory)');
    expect(err.either.throwErrnoIfMinus1('open', () => 3)()).toEqual(E.right(3));
    expect(err.either.throwErrnoIfMinus1_('open', () => 3)()).toEqual(E.right(undefined));
    expect(E.isLeft(err.either.throwErrnoIfNull('m', () => nullPtr)())).toBe(true);
    expect(
      E.isLeft(
        err.either.throwErrnoIf(
          (x: number) => x > 1,
          'm',
          () => 2,
        )(),
      ),
    ).toBe(true);
    expect(
      err.either.throwErrnoIf_(
        (x: number) => x > 1,
        'm',
        () => 1,
      )(),
    ).toEqual(E.right(undefined));
    expect(E.isLeft(err.either.throwErrnoIfMinus1Retry('m', () => -1)())).toBe(true);
  });

  it('throwErrnoIfMinus1Retry runs again while the call fails with EINTR, and only then', () => {
    const { err } = plain();
    let runs = 0;
    const interrupted = (times: number, last: number) => () => {
      runs++;
      if (runs <= times) {
        err.setErrno(eINTR)();
        return -1;
      }
      err.setErrno(eNOENT)();
      return last;
    };
    expect(err.throwErrnoIfMinus1Retry('read', interrupted(3, 12))()).toBe(12);
    expect(runs).toBe(4);
    runs = 0;
    const e = thrown(() => err.throwErrnoIfMinus1Retry('read', interrupted(2, -1))());
    expect(runs).toBe(3);
    expect((e as ErrnoError).errno).toBe(eNOENT);
    runs = 0;
    expect(thrown(() => err.throwErrnoIfMinus1('read', interrupted(1, 5))())).toBeInstanceOf(
      ErrnoError,
    ); // no retry without Retry
    expect(runs).toBe(1);
  });

  it('refuses a bad predicate, location or program when the program is made', () => {
    const { err } = plain();
    const io = () => 1;
    refusal(() => err.throwErrnoIf(5 as never, 'f', io), TypeError, 'throwErrnoIf');
    refusal(() => err.throwErrnoIf(() => false, 5 as never, io), TypeError, 'throwErrnoIf');
    refusal(() => err.throwErrnoIf_(() => false, 'f', null as never), TypeError, 'throwErrnoIf_');
    refusal(() => err.throwErrnoIfMinus1('f', 1 as never), TypeError, 'throwErrnoIfMinus1');
    refusal(
      () => err.throwErrnoIfMinus1_(undefined as never, io),
      TypeError,
      'throwErrnoIfMinus1_',
    );
    refusal(() => err.throwErrnoIfNull('f', 'x' as never), TypeError, 'throwErrnoIfNull');
    refusal(
      () => err.throwErrnoIfMinus1Retry({} as never, io),
      TypeError,
      'throwErrnoIfMinus1Retry',
    );
    refusal(
      () => err.either.throwErrnoIfMinus1Retry('f', 3 as never),
      TypeError,
      'either.throwErrnoIfMinus1Retry',
    );
  });
});

describe('the constants and the table', () => {
  it("are wasi-libc's values, each constant its table row", () => {
    expect([C.eNOENT, C.eRANGE, C.eINTR, C.eACCES, C.eOK]).toEqual([44, 68, 27, 2, 0]);
    expect(ERRNO_TABLE.map((r) => r[1])).toEqual(Array.from({ length: 76 }, (_, i) => i + 1));
    for (const [name, value] of ERRNO_TABLE) {
      expect((C as Record<string, unknown>)[`e${name}`], name).toBe(value);
    }
    expect([C.eWOULDBLOCK, C.eOPNOTSUPP]).toEqual([C.eAGAIN, C.eNOTSUP]);
  });
});

describe('bound in foreign(ctx) and the package root', () => {
  it('has the functions and the either flavours', () => {
    const f = foreign(Heap.create());
    f.setErrno(eRANGE)();
    expect(f.getErrno()).toBe(eRANGE);
    expect(E.isLeft(f.either.throwErrnoIfMinus1('x', () => -1)())).toBe(true);
    f.resetErrno();
    root.setErrno(eNOENT)();
    expect(root.getErrno()).toBe(eNOENT);
    refusal(() => root.throwErrno('root')(), ErrnoError, 'root');
    root.resetErrno();
    expect(root.getErrno()).toBe(0);
    expect(root.eNOENT).toBe(44);
  });
});
