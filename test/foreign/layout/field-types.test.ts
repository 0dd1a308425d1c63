/**
 * The types of field access, checked by `npm run typecheck` (this file is type-checked with the
 * tests): field types are inferred from the path, a wrong name or a wrong value is a compile
 * error (`@ts-expect-error` fails the type check if the line compiles), a bit-field path has no
 * pointer or offset, and any typed pointer is accepted. Each refused line also runs, and is
 * refused at run time too.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { IO } from 'fp-ts/lib/IO.js';
import { Heap } from '../../../src/heap/index.js';
import {
  CDouble,
  CInt,
  CUInt,
  Int16,
  Int64,
  Word8,
  aligned,
  anonymous,
  array,
  bits,
  fieldOffset,
  fieldPtr,
  foreign,
  struct,
  taggedUnion,
  union,
  type FieldPath,
  type FieldValue,
  type Ptr,
} from '../../../src/foreign/index.js';
import { thrown } from '../../support/thrown.js';

const Window = struct({ type: CUInt, windowID: CUInt, data1: CInt, data2: CInt }, 'Window');
const Key = struct({ type: CUInt, windowID: CUInt, sym: CInt, down: Word8 }, 'Key');
const Event = union({ type: CUInt, window: Window, key: Key, padding: array(Word8, 56) }, 'Event');
const Row = struct({ a: CDouble, b: Int16, big: Int64 }, 'Row');
const Table = struct(
  { kind: Word8, rows: array(Row, 3), f: bits(CUInt, 3), al: aligned(16, Window) },
  'Table',
);
const Tagged = taggedUnion('type', { WIN: [0x200, Window], KEY: [0x300, Key] }, 'Tagged');

const { peekField, pokeField } = foreign(Heap.create());
const p = 64 as Ptr<unknown>;

describe('field types are inferred from the path', () => {
  it('through structs, unions, arrays, aligned members and tagged unions', () => {
    expectTypeOf(peekField(Event, ['window', 'data1'])).toEqualTypeOf<
      (p: Ptr<unknown>) => IO<number>
    >();
    expectTypeOf(peekField(Table, ['rows', 1, 'big'])).returns.toEqualTypeOf<IO<bigint>>();
    expectTypeOf(peekField(Table, ['rows', 1])).returns.toEqualTypeOf<
      IO<{ a: number; b: number; big: bigint }>
    >();
    expectTypeOf(peekField(Table, 'f')).returns.toEqualTypeOf<IO<number>>();
    expectTypeOf(peekField(Table, ['al', 'data2'])).returns.toEqualTypeOf<IO<number>>();
    expectTypeOf(peekField(Event, 'padding')).returns.toEqualTypeOf<IO<number[]>>();
    expectTypeOf(peekField(Tagged, ['KEY', 'sym'])).returns.toEqualTypeOf<IO<number>>();
    expectTypeOf(pokeField(Table, ['rows', 0, 'big']))
      .parameter(1)
      .toEqualTypeOf<bigint>();
    expectTypeOf(fieldPtr(Table, ['rows', 2, 'a'])).returns.toEqualTypeOf<Ptr<number>>();
    expectTypeOf<FieldValue<typeof Event, ['key', 'down']>>().toEqualTypeOf<number>();
    expectTypeOf<readonly ['window', 'data1']>().toMatchTypeOf<FieldPath<typeof Event>>();
  });

  it('takes a pointer of any type, as hsc2hs’s Ptr b', () => {
    const typed = 64 as Ptr<{ anything: true }>;
    expect(typeof peekField(Window, 'data1')(typed)).toBe('function');
    expect(typeof pokeField(Window, 'data1')(typed, 1)).toBe('function');
    expect(typeof fieldPtr(Window, 'data1')(typed)).toBe('number');
  });
});

describe('through C11 anonymous members', () => {
  const Shape = struct(
    {
      kind: CInt,
      _0: anonymous(union({ radius: CDouble, side: Int16 })),
      _1: anonymous(struct({ inner: Window })),
    },
    'Shape',
  );
  it('their members are fields of the holder, typed', () => {
    expectTypeOf(peekField(Shape, 'radius')).returns.toEqualTypeOf<IO<number>>();
    expectTypeOf(peekField(Shape, ['inner', 'data2'])).returns.toEqualTypeOf<IO<number>>();
    expect(fieldOffset(Shape, ['inner', 'data2'])).toBe(8 + 8 + 12);
    // @ts-expect-error: the key of an anonymous member names nothing (as in C)
    expect(thrown(() => peekField(Shape, '_0'))).toBeInstanceOf(RangeError);
  });
});

describe('wrong paths and values do not compile (and are refused at run time)', () => {
  it('refuses names that are not members, at any depth', () => {
    // @ts-expect-error: no member `nope`
    expect(thrown(() => peekField(Window, 'nope'))).toBeInstanceOf(RangeError);
    // @ts-expect-error: no member `nope` in Window
    expect(thrown(() => peekField(Event, ['window', 'nope']))).toBeInstanceOf(RangeError);
    // @ts-expect-error: a member of another arm's struct
    expect(thrown(() => peekField(Tagged, ['WIN', 'sym']))).toBeInstanceOf(RangeError);
    // @ts-expect-error: an index into a struct
    expect(thrown(() => peekField(Table, ['rows', 'a']))).toBeInstanceOf(RangeError);
    // @ts-expect-error: a step below a scalar
    expect(thrown(() => peekField(Table, ['kind', 'x']))).toBeInstanceOf(TypeError);
    // @ts-expect-error: a scalar has no fields
    expect(thrown(() => peekField(CInt, 'x'))).toBeInstanceOf(TypeError);
  });

  it('refuses values of the wrong type', () => {
    // @ts-expect-error: data1 is a number
    pokeField(Window, 'data1')(p, 'x');
    // @ts-expect-error: big is a bigint
    pokeField(Table, ['rows', 0, 'big'])(p, 1);
    // @ts-expect-error: the field is a number, not a string
    const s: IO<string> = peekField(Window, 'data1')(p);
    expect(s).toBeTypeOf('function');
  });

  it('has no pointer or offset for a bit-field', () => {
    // @ts-expect-error: a bit-field has no byte offset
    expect(thrown(() => fieldOffset(Table, 'f'))).toBeInstanceOf(RangeError);
    // @ts-expect-error: nor a pointer
    expect(thrown(() => fieldPtr(Table, 'f'))).toBeInstanceOf(RangeError);
    expect(fieldOffset(Table, 'kind')).toBe(0);
  });
});
