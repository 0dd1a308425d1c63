import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as IO from 'fp-ts/lib/IO.js';
import { describe, expect, it } from 'vitest';
import { Heap } from '../../../src/heap/index.js';
import { Memory, MemoryBoundsError, PAGE_BYTES } from '../../../src/memory/index.js';
import {
  CDouble,
  CInt,
  Char,
  Int16,
  Int32,
  MarshalError,
  Word8,
  array,
  chars,
  foreign,
  peekPoke,
  plusPtr,
  struct,
  wordPtrToPtr,
  nullPtr,
  NullPointerError,
  type Ptr,
} from '../../../src/foreign/index.js';
import { expectEachRefused } from '../../support/refusal.js';
import { refusal, thrown } from '../../support/thrown.js';

const memory = Memory.create({ initialBytes: PAGE_BYTES, maxBytes: 4 * PAGE_BYTES });
const io = peekPoke(memory);
const { peek, poke, peekElemOff, pokeElemOff, peekByteOff, pokeByteOff, unchecked, either } = io;
/** Scratch addresses start past NULL (address 0 is refused). */
const BASE = 64;
const at = <A>(n: number): Ptr<A> => wordPtrToPtr<A>(BASE + n);
const Pair = struct({ a: CInt, b: CDouble }, 'Pair');

describe('peek and poke are IO programs', () => {
  it('do nothing until run', () => {
    memory.views.i32[(BASE + 40) / 4] = 0;
    const program = poke(CInt, at(40), 7);
    expect(memory.views.i32[(BASE + 40) / 4]).toBe(0);
    program();
    expect(memory.views.i32[(BASE + 40) / 4]).toBe(7);
    const read = peek(CInt, at(40));
    memory.views.i32[(BASE + 40) / 4] = 9;
    expect(read()).toBe(9);
  });

  it('compose with fp-ts', () => {
    const swap = pipe(
      IO.Do,
      IO.bind('x', () => peek(CInt, at(0))),
      IO.bind('y', () => peek(CInt, at(4))),
      IO.chain(({ x, y }) =>
        pipe(
          poke(CInt, at(0), y),
          IO.chain(() => poke(CInt, at(4), x)),
        ),
      ),
    );
    poke(CInt, at(0), 1)();
    poke(CInt, at(4), 2)();
    swap();
    expect([peek(CInt, at(0))(), peek(CInt, at(4))()]).toEqual([2, 1]);
  });

  it('ElemOff indexes by sizeOf, ByteOff by bytes, from any pointer type', () => {
    pokeElemOff(Pair, at(64), 2, { a: 1, b: 2 })();
    expect(peek(Pair, at(64 + 2 * 16))()).toEqual({ a: 1, b: 2 });
    expect(peekElemOff(Pair, at(64), 2)()).toEqual({ a: 1, b: 2 });
    pokeByteOff(Int16, at<string>(64), 3, -2)();
    expect(peekByteOff(Int16, at<boolean>(60), 7)()).toBe(-2);
    pokeElemOff(CInt, at(256), -1, 5)();
    expect(peek(CInt, at(252))()).toBe(5);
  });

  it('can be destructured: no function uses this', () => {
    const { peek: p } = peekPoke(memory);
    expect(typeof p(CInt, at(0))()).toBe('number');
  });
});

describe('bounds and bad addresses', () => {
  const end = memory.byteLength;
  const raw = <A>(n: number): Ptr<A> => wordPtrToPtr<A>(n);

  it('reading or writing past the end of memory is a MemoryBoundsError, never undefined', () => {
    expect(() => peek(CInt, raw(end - 2))()).toThrow(MemoryBoundsError);
    expect(() => peek(CInt, raw(end))()).toThrow(
      /peek: 4 byte\(s\) at address 65536 reach past the end of memory/,
    );
    expect(() => poke(CDouble, raw(end - 4), 1)()).toThrow(MemoryBoundsError);
    expect(() => peekElemOff(CInt, raw(8), end / 4)()).toThrow(/peekElemOff/);
    expect(() => pokeByteOff(CInt, raw(end - 8), 6, 1)()).toThrow(/pokeByteOff/);
    expect(() => unchecked.poke(Pair, raw(end - 8), { a: 1, b: 1 })()).toThrow(MemoryBoundsError);
    expect(() => either.peek(CInt, raw(end))()).toThrow(MemoryBoundsError);
    expect(peek(CInt, raw(end - 4))()).toBeTypeOf('number');
  });

  it.each([-4, 1.5, NaN, 2 ** 53, '8' as unknown as number, undefined as unknown as number])(
    'a pointer %s is a RangeError naming the call',
    (p) => {
      expect(() => peek(CInt, p as Ptr<number>)()).toThrow(RangeError);
      expect(() => poke(CInt, p as Ptr<number>, 1)()).toThrow(/poke: pointer/);
      expect(() => peekElemOff(CInt, p as Ptr<number>, 0)()).toThrow(/peekElemOff: pointer/);
      expect(() => either.pokeByteOff(CInt, p as Ptr<number>, 0, 1)()).toThrow(RangeError);
    },
  );

  it.each([1.5, NaN, '2' as unknown as number, 2 ** 53])(
    'an index or offset %s is a RangeError',
    (i) => {
      expect(() => peekElemOff(CInt, at(64), i)()).toThrow(
        /peekElemOff: index .* is not a safe integer/,
      );
      expect(() => pokeByteOff(CInt, at(64), i, 1)()).toThrow(
        /pokeByteOff: offset .* is not a safe integer/,
      );
    },
  );

  it('an access through nullPtr is a NullPointerError; a zero-size one is not', () => {
    expect(() => peek(CInt, nullPtr)()).toThrow(NullPointerError);
    expect(() => poke(CInt, nullPtr, 1)()).toThrow('poke: access through nullPtr');
    expect(() => pokeByteOff(CInt, nullPtr, 8, 1)()).toThrow(NullPointerError);
    expect(() => either.peek(CInt, nullPtr)()).toThrow(NullPointerError);
    expect(peek(struct({}), nullPtr)()).toEqual({});
  });

  it('an access that reaches address 0 through an offset is a NullPointerError, in every form', () => {
    const heap = Heap.create();
    const api = foreign(heap);
    const p = api.mallocBytes<number>(16)();
    const control = () => [...heap.memory.views.u8.subarray(0, 64)];
    const before = control();
    const four = wordPtrToPtr<number>(4);
    const forms: Array<[string, () => unknown]> = [
      ['pokeByteOff', () => api.pokeByteOff(Int32, p, -p, 7)()],
      ['peekByteOff', () => api.peekByteOff(Int32, p, -p)()],
      ['peekElemOff', () => api.peekElemOff(CInt, four, -1)()],
      ['pokeElemOff', () => api.pokeElemOff(CInt, four, -1, 7)()],
      ['unchecked.pokeByteOff', () => api.unchecked.pokeByteOff(Int32, p, -p, 7)()],
      ['unchecked.pokeElemOff', () => api.unchecked.pokeElemOff(CInt, four, -1, 7)()],
      ['either.peekByteOff', () => api.either.peekByteOff(Int32, p, -p)()],
      ['either.pokeByteOff', () => api.either.pokeByteOff(Int32, p, -p, 7)()],
      ['either.peekElemOff', () => api.either.peekElemOff(CInt, four, -1)()],
      ['either.pokeElemOff', () => api.either.pokeElemOff(CInt, four, -1, 7)()],
      ['pokeElemOff', () => api.pokeElemOff(Pair, wordPtrToPtr(32), -2, { a: 1, b: 2 })()],
    ];
    for (const [call, run] of forms) {
      const error = thrown(run);
      expect(error, call).toBeInstanceOf(NullPointerError);
      expect((error as Error).message).toBe(`${call}: access through nullPtr`);
    }
    expect(control()).toEqual(before);
    heap.check();
    expect(() => Heap.attach(heap.memory)).not.toThrow();
    // A base of nullPtr stays an access through nullPtr, whatever the offset; an empty access
    // reaches no byte.
    expect(() => api.peekByteOff(Int32, nullPtr, 8)()).toThrow(NullPointerError);
    expect(api.peekByteOff(struct({}), p, -p)()).toEqual({});
  });

  it('an address below 0 is a RangeError', () => {
    expect(() => peekElemOff(CInt, raw(4), -2)()).toThrow(/peekElemOff: address 4 \+ -8 = -4/);
    expect(() => pokeByteOff(CInt, raw(4), -5, 1)()).toThrow(RangeError);
  });

  it('picks up the views renewed after growth done by someone else', () => {
    const wasm = new WebAssembly.Memory({ initial: 1, maximum: 3 });
    const m = Memory.from(wasm);
    const { peek: pk, poke: pp } = peekPoke(m);
    pp(CInt, at(8), 77)();
    wasm.grow(1);
    pp(CInt, at(PAGE_BYTES + 8), 88)();
    expect([pk(CInt, at(8))(), pk(CInt, at(PAGE_BYTES + 8))()]).toEqual([77, 88]);
  });
});

describe('the checked pokes', () => {
  it.each([
    ['poke', () => poke(Word8, at(0), 300)],
    ['pokeElemOff', () => pokeElemOff(Word8, at(0), 1, 300)],
    ['pokeByteOff', () => pokeByteOff(Word8, at(0), 1, 300)],
  ])('%s refuses a value that does not fit, names itself, and writes nothing', (call, program) => {
    memory.views.u8.fill(0xab, BASE, BASE + 4);
    expect(program()).toThrow(MarshalError);
    expect(program()).toThrow(`${call}: value 300 does not fit Word8`);
    expect([...memory.views.u8.slice(BASE, BASE + 4)]).toEqual([0xab, 0xab, 0xab, 0xab]);
  });
});

describe('the unchecked pokes', () => {
  it('write without validation (an invalid value is converted by the typed arrays)', () => {
    unchecked.poke(Word8, at(0), 300)();
    expect(peek(Word8, at(0))()).toBe(44);
    unchecked.pokeElemOff(Pair, at(64), 1, { a: 3, b: 4 })();
    expect(peek(Pair, at(80))()).toEqual({ a: 3, b: 4 });
    unchecked.pokeByteOff(CInt, at(64), 4, 9)();
    expect(peek(CInt, at(68))()).toBe(9);
  });
});

describe('the IOEither flavour', () => {
  it('returns MarshalErrors as Left values, with the io-ts errors', () => {
    const result = either.poke(Pair, at(0), { a: 1.5, b: 0 })();
    expect(E.isLeft(result)).toBe(true);
    if (E.isLeft(result)) {
      expect(result.left).toBeInstanceOf(MarshalError);
      expect(result.left.path).toBe('Pair.a');
      expect(result.left.errors).toHaveLength(1);
      expect(result.left.errors[0]?.value).toBe(1.5);
    }
    expect(either.pokeElemOff(CInt, at(0), 1, 2 ** 40)()).toMatchObject({ _tag: 'Left' });
    expect(either.pokeByteOff(CInt, at(0), 1, 'x' as never)()).toMatchObject({ _tag: 'Left' });
  });

  it('returns values as Right', () => {
    expect(either.poke(Pair, at(0), { a: 1, b: 2 })()).toEqual(E.right(undefined));
    expect(either.peek(Pair, at(0))()).toEqual(E.right({ a: 1, b: 2 }));
    expect(either.peekElemOff(CInt, at(0), 0)()).toEqual(E.right(1));
    expect(either.peekByteOff(CInt, at(0), 0)()).toEqual(E.right(1));
    expect(either.pokeElemOff(CInt, at(0), 0, 5)()).toEqual(E.right(undefined));
    expect(either.pokeByteOff(CInt, at(0), 4, 6)()).toEqual(E.right(undefined));
  });

  it('returns bad bytes on peek as Left, with the call that read them', () => {
    poke(Int32, at(0), 0x110000)();
    const result = either.peekElemOff(array(Char, 2), at(0), 0)();
    expect(result).toMatchObject({
      _tag: 'Left',
      left: {
        call: 'either.peekElemOff',
        path: 'value[0]',
      },
    });
    expect(() => peekByteOff(Char, at(0), 0)()).toThrow(/^peekByteOff: value 1114112/);
  });
});

describe('shared memories', () => {
  it('peek and poke structs and strings in a SharedArrayBuffer', () => {
    const shared = Memory.create({ shared: true, maxBytes: 2 * PAGE_BYTES });
    const S = struct({ n: CInt, name: chars(8), xs: array(Int16, 2) }, 'S');
    const { peek: pk, poke: pp } = peekPoke(shared);
    pp(S, at(16), { n: 1, name: 'né', xs: [3, -4] })();
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(pk(S, at(16))()).toEqual({ n: 1, name: 'né', xs: [3, -4] });
    shared.grow(PAGE_BYTES + 1);
    pp(S, at(PAGE_BYTES), { n: 2, name: '', xs: [0, 0] })();
    expect(pk(S, at(PAGE_BYTES))().n).toBe(2);
  });
});

describe('pointers returned by plusPtr work with all of them', () => {
  it('walks an array of structs', () => {
    const base = at<{ a: number; b: number }>(512);
    for (let i = 0; i < 4; i++) poke(Pair, plusPtr(base, i * Pair.sizeOf), { a: i, b: i / 2 })();
    expect([0, 1, 2, 3].map((i) => peekElemOff(Pair, base, i)().b)).toEqual([0, 0.5, 1, 1.5]);
  });
});

describe('arguments that are not what they should be', () => {
  const NOT_INSTANCES: unknown[] = [null, undefined, 'CInt', 4, {}, { sizeOf: 4, alignment: 4 }];

  it('an instance that is not one is a TypeError naming the call, and nothing is written', () => {
    poke(CInt, at(0), 7)();
    for (const S of NOT_INSTANCES as Array<typeof CInt>) {
      refusal(() => peek(S, at(0))(), TypeError, 'peek');
      refusal(() => poke(S, at(0), 1)(), TypeError, 'poke');
      refusal(() => peekElemOff(S, at(0), 1)(), TypeError, 'peekElemOff');
      refusal(() => pokeElemOff(S, at(0), 1, 1)(), TypeError, 'pokeElemOff');
      refusal(() => peekByteOff(S, at(0), 4)(), TypeError, 'peekByteOff');
      refusal(() => pokeByteOff(S, at(0), 4, 1)(), TypeError, 'pokeByteOff');
      refusal(() => unchecked.poke(S, at(0), 1)(), TypeError, 'unchecked.poke');
      refusal(() => unchecked.pokeByteOff(S, at(0), 0, 1)(), TypeError, 'unchecked.pokeByteOff');
      // not a MarshalError, so thrown, not a Left
      refusal(() => either.peek(S, at(0))(), TypeError, 'either.peek');
      refusal(() => either.pokeElemOff(S, at(0), 0, 1)(), TypeError, 'either.pokeElemOff');
    }
    expect(peek(CInt, at(0))()).toBe(7);
  });

  it('peekPoke of something that is not a Memory is a TypeError', () => {
    for (const m of [undefined, null, 'memory', {}, new ArrayBuffer(8)]) {
      refusal(() => peekPoke(m as Memory), TypeError, 'peekPoke');
    }
  });
});

describe('bigint arguments', () => {
  it('indices and offsets may be bigints that are safe integers, in every form', () => {
    const p = at<number>(512);
    pokeElemOff(CInt, p, 2n, 7)();
    expect(peekElemOff(CInt, p, 2n)()).toBe(7);
    expect(peekByteOff(CInt, p, 8n)()).toBe(7);
    pokeByteOff(CInt, p, 12n, -3)();
    expect(peek(CInt, at(524))()).toBe(-3);
    unchecked.pokeElemOff(CInt, p, 4n, 9)();
    unchecked.pokeByteOff(CInt, p, 20n, 10)();
    expect(either.peekElemOff(CInt, p, 4n)()).toEqual(E.right(9));
    expect(either.peekByteOff(CInt, p, 20n)()).toEqual(E.right(10));
    expect(either.pokeElemOff(CInt, p, 6n, 11)()).toEqual(E.right(undefined));
    expect(either.pokeByteOff(CInt, p, -4n, 12)()).toEqual(E.right(undefined));
    expect(peekElemOff(CInt, p, -1n)()).toBe(12);
  });

  it('a bigint index beyond 2^53 − 1 is a RangeError naming the call', () => {
    const p = at<number>(512);
    expectEachRefused(RangeError, [
      ['peekElemOff', () => peekElemOff(CInt, p, 2n ** 53n)()],
      ['pokeElemOff', () => pokeElemOff(CInt, p, -(2n ** 60n), 1)()],
      ['peekByteOff', () => peekByteOff(CInt, p, 2n ** 64n)()],
      ['unchecked.pokeByteOff', () => unchecked.pokeByteOff(CInt, p, 2n ** 64n, 1)()],
      ['either.peekElemOff', () => either.peekElemOff(CInt, p, 2n ** 64n)()],
    ]);
  });

  it('a bigint pointer is a TypeError naming the call, in every form', () => {
    const p = 512n as unknown as Ptr<number>;
    expectEachRefused(TypeError, [
      ['peek', () => peek(CInt, p)()],
      ['poke', () => poke(CInt, p, 1)()],
      ['peekElemOff', () => peekElemOff(CInt, p, 0)()],
      ['pokeElemOff', () => pokeElemOff(CInt, p, 1n, 1)()],
      ['peekByteOff', () => peekByteOff(CInt, p, 0)()],
      ['pokeByteOff', () => pokeByteOff(CInt, p, 0, 1)()],
      ['unchecked.poke', () => unchecked.poke(CInt, p, 1)()],
      ['unchecked.pokeElemOff', () => unchecked.pokeElemOff(CInt, p, 0, 1)()],
      ['either.peek', () => either.peek(CInt, p)()],
      ['either.poke', () => either.poke(CInt, p, 1)()],
      ['either.peekByteOff', () => either.peekByteOff(CInt, p, 0)()],
    ]);
    expect(thrown(() => peek(CInt, p)())).toMatchObject({
      message: expect.stringContaining('wordPtrToPtr(Number(x))'),
    });
  });
});
