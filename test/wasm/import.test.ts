/**
 * foreignImport (src/wasm/import.ts): every C scalar type to C and back, strings and arrays on
 * the stack for the call, errors before the call, traps, and the stack released after them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Bool,
  CBool,
  CDouble,
  CFloat,
  CInt,
  CLLong,
  CShort,
  CSize,
  CSChar,
  CUChar,
  CUInt,
  CULLong,
  CUShort,
  Int32,
  MarshalError,
  Ptr,
  asNumber,
  struct,
  type Storable,
} from 'foreign-ts';
import {
  ForeignCallError,
  Void,
  foreignImport,
  inArray,
  inCString,
  wasmContext,
} from 'foreign-ts/wasm';
import { refusal } from '../support/thrown.js';
import { ffi, ffiInstance } from './load.js';

const ctx = ffi('core');

const roundTrips: [string, Storable<any>, fc.Arbitrary<unknown>][] = [
  ['id_schar', CSChar, fc.integer({ min: -128, max: 127 })],
  ['id_uchar', CUChar, fc.integer({ min: 0, max: 255 })],
  ['id_short', CShort, fc.integer({ min: -32768, max: 32767 })],
  ['id_ushort', CUShort, fc.integer({ min: 0, max: 65535 })],
  ['id_int', CInt, fc.integer()],
  ['id_uint', CUInt, fc.integer({ min: 0, max: 2 ** 32 - 1 })],
  ['id_llong', CLLong, fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })],
  ['id_ullong', CULLong, fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })],
  ['id_llong', asNumber(CLLong), fc.maxSafeInteger()],
  ['id_float', CFloat, fc.float({ noNaN: true })],
  ['id_double', CDouble, fc.double({ noNaN: true })],
  ['id_bool', CBool, fc.constantFrom(0, 1)],
  ['id_int', Bool, fc.boolean()],
  ['id_ptr', Ptr, fc.integer({ min: 0, max: 2 ** 32 - 1 })],
];

describe('foreignImport: C scalar types', () => {
  for (const [name, T, values] of roundTrips) {
    it(`${T.name} through ${name} comes back as it went`, () => {
      const id = foreignImport(ctx, name, [T], T);
      fc.assert(
        fc.property(values, (x) => {
          expect(id(x as never)()).toEqual(x);
        }),
      );
    });
  }

  it('computes with each type as C does', () => {
    expect(foreignImport(ctx, 'add', [CInt, CInt], CInt)(2 ** 31 - 1, 1)()).toBe(-(2 ** 31));
    expect(foreignImport(ctx, 'inc_uchar', [CUChar], CUChar)(255)()).toBe(0);
    const mul = foreignImport(ctx, 'mul_ullong', [CULLong, CULLong], CULLong);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
        (a, b) => {
          expect(mul(a, b)()).toBe((a * b) % 2n ** 64n);
        },
      ),
    );
    const mix = foreignImport(ctx, 'mix', [CInt, CDouble, CFloat, CLLong], CDouble);
    expect(mix(1, 0.5, 0.25, 10n)()).toBe(11.75);
    const odd = foreignImport(ctx, 'is_odd', [CInt], CBool);
    expect([odd(3)(), odd(4)()]).toEqual([1, 0]);
  });

  it('an IO does nothing until it is run, and can run twice', () => {
    const { exports } = ffiInstance('core');
    let calls = 0;
    const add = exports['add'] as (a: number, b: number) => number;
    const c = wasmContext({
      exports: { ...exports, add: (a: number, b: number) => (calls++, add(a, b)) },
    });
    const io = foreignImport(c, 'add', [CInt, CInt], CInt)(1, 2);
    expect(calls).toBe(0);
    expect([io(), io()]).toEqual([3, 3]);
    expect(calls).toBe(2);
  });
});

/** The context of a fresh core instance whose malloc and free are counted. */
const countedContext = () => {
  const x = ffiInstance('core').exports as Record<string, unknown>;
  const counts = { malloc: 0, free: 0 };
  const malloc = x['malloc'] as (n: number) => number;
  const free = x['free'] as (p: number) => void;
  const c = wasmContext({
    exports: {
      ...x,
      malloc: (n: number) => (counts.malloc++, malloc(n)),
      free: (p: number) => (counts.free++, free(p)),
    },
  });
  return { c, counts };
};

describe('foreignImport: strings and arrays for the duration of the call', () => {
  it('a string is UTF-8 with its NUL, released after the call', () => {
    const { c, counts } = countedContext();
    const len = foreignImport(c, 'c_strlen', [inCString], CSize);
    const utf8 = new TextEncoder();
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
        (s) => {
          expect(len(s)()).toBe(utf8.encode(s).length);
          expect(c.stack.depth).toBe(0);
        },
      ),
    );
    c.stack.dispose(); // the alloca stack keeps its region between calls: give it back
    expect(counts.malloc).toBe(counts.free);
  });

  it('an array of Storable values: C reads what was laid out (a round trip law)', () => {
    const { c, counts } = countedContext();
    const sumInts = foreignImport(c, 'sum_ints', [inArray(CInt), CSize], CInt);
    const sumDoubles = foreignImport(c, 'sum_doubles', [inArray(CDouble), CSize], CDouble);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 })), (xs) => {
        expect(sumInts(xs, xs.length)()).toBe(xs.reduce((a, b) => a + b, 0));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 4)), (xs) => {
        expect(sumDoubles(xs, xs.length)()).toBe(xs.reduce((a, b) => a + b, 0));
      }),
    );
    expect(c.stack.depth).toBe(0);
    c.stack.dispose(); // the alloca stack keeps its region between calls: give it back
    expect(counts.malloc).toBe(counts.free);
  });
});

describe('foreignImport: a trap', () => {
  it('is a ForeignCallError naming the C function; stacks and strings released', () => {
    const { c, counts } = countedContext();
    const trap = foreignImport(c, 'trap_after', [CInt], CInt);
    const sp = c.stackPointer!.value as number;
    const e = refusal(() => trap(5)(), ForeignCallError, 'trap_after');
    expect(e).toMatch(/trapped/);
    expect(c.stackPointer!.value).toBe(sp);
    // and with a marshalled argument: the library's stack is released too
    const trapS = foreignImport(c, 'trap_after', [CInt], CInt);
    const len = foreignImport(c, 'c_strlen', [inCString], CSize);
    refusal(() => trapS(1)(), ForeignCallError, 'trap_after');
    expect(len('still works')()).toBe(11);
    expect(c.stack.depth).toBe(0);
    c.stack.dispose(); // the alloca stack keeps its region between calls: give it back
    expect(counts.malloc).toBe(counts.free);
  });

  it('an out-of-bounds access by C traps the same way', () => {
    const sum = foreignImport(ctx, 'sum_bytes', [Ptr, CSize], CUInt);
    const err = (() => {
      try {
        sum((2 ** 32 - 16) as Ptr<number>, 64)();
      } catch (e) {
        return e;
      }
    })() as ForeignCallError;
    expect(err).toBeInstanceOf(ForeignCallError);
    expect(err.kind).toBe('trap');
    expect(err.cause).toBeInstanceOf(WebAssembly.RuntimeError);
  });
});

describe('foreignImport: bad input', () => {
  const add = foreignImport(ctx, 'add', [CInt, CInt], CInt);
  it('a wrong argument count, before the call', () => {
    refusal(() => (add as (...xs: number[]) => unknown)(1), TypeError, 'add');
    refusal(() => (add as (...xs: number[]) => unknown)(1, 2, 3), TypeError, 'add');
  });
  it('a value that does not fit its C type is a MarshalError naming the call', () => {
    for (const bad of ['1', 1.5, 2 ** 31, null, undefined, 1n, NaN]) {
      refusal(() => add(bad as never, 1), MarshalError, 'add');
    }
    const u = foreignImport(ctx, 'id_uchar', [CUChar], CUChar);
    refusal(() => u(256), MarshalError, 'id_uchar');
    refusal(() => u(-1), MarshalError, 'id_uchar');
    const ll = foreignImport(ctx, 'id_llong', [CLLong], CLLong);
    refusal(() => ll(1 as never), MarshalError, 'id_llong');
    refusal(() => ll(2n ** 63n), MarshalError, 'id_llong');
    const b = foreignImport(ctx, 'id_bool', [CBool], CBool);
    refusal(() => b(2), MarshalError, 'id_bool');
  });
  it('a bigint pointer is a TypeError', () => {
    const id = foreignImport(ctx, 'id_ptr', [Ptr], Ptr);
    refusal(() => id(5n as never), TypeError, 'id_ptr');
    refusal(() => id(-1 as never), MarshalError, 'id_ptr');
  });
  it('a string or an array argument of the wrong kind', () => {
    const len = foreignImport(ctx, 'c_strlen', [inCString], CSize);
    refusal(() => len(5 as never), TypeError, 'c_strlen');
    const sum = foreignImport(ctx, 'sum_ints', [inArray(CInt), CSize], CInt);
    refusal(() => sum('abc' as never, 3), TypeError, 'sum_ints');
    refusal(() => sum([1, 'x' as never], 2), MarshalError, 'sum_ints');
    expect(ctx.stack.depth).toBe(0);
  });
  it('a result that encodes no value of its type', () => {
    const asBool = foreignImport(ctx, 'id_int', [CInt], CBool);
    refusal(() => asBool(7)(), MarshalError, 'id_int');
    const asSafe = foreignImport(ctx, 'id_ullong', [CULLong], asNumber(CULLong));
    refusal(() => asSafe(2n ** 60n)(), MarshalError, 'id_ullong');
  });
  it('bad declarations', () => {
    refusal(() => foreignImport(null as never, 'add', [], CInt), TypeError, 'foreignImport');
    refusal(() => foreignImport(ctx, 'nope', [], CInt), TypeError, 'foreignImport');
    refusal(() => foreignImport(ctx, 'memory', [], CInt), TypeError, 'foreignImport');
    refusal(() => foreignImport(ctx, 5 as never, [], CInt), TypeError, 'foreignImport');
    refusal(() => foreignImport(ctx, 'add', [CInt], CInt), TypeError, 'foreignImport');
    refusal(() => foreignImport(ctx, 'add', CInt as never, CInt), TypeError, 'foreignImport');
    refusal(
      () => foreignImport(ctx, 'add', [CInt, 'int' as never], CInt),
      TypeError,
      'foreignImport',
    );
    const P = struct({ x: Int32, y: Int32 });
    refusal(() => foreignImport(ctx, 'add', [P, CInt] as never, CInt), TypeError, 'foreignImport');
    refusal(() => foreignImport(ctx, 'add', [CInt, CInt], P as never), TypeError, 'foreignImport');
    refusal(
      () => foreignImport(ctx, 'add', [CInt, CInt], inCString as never),
      TypeError,
      'foreignImport',
    );
    refusal(() => inArray('CInt' as never), TypeError, 'inArray');
  });
  it('a void result', () => {
    const p = ctx.foreign.mallocBytes(8)();
    const fill = foreignImport(ctx, 'fill', [Ptr, CSize, CUChar], Void);
    expect(fill(p, 8, 1)()).toBeUndefined();
    expect(ctx.foreign.peek(CULLong, p as never)()).toBe(0x0101010101010101n);
    ctx.foreign.free(p)();
  });
});
