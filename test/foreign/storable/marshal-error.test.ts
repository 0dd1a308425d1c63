import { describe, expect, it } from 'vitest';
import { Memory } from '../../../src/memory/index.js';
import {
  CDouble,
  CInt,
  Int16,
  MarshalError,
  Word64,
  array,
  chars,
  enumeration,
  peekPoke,
  struct,
  union,
  wordPtrToPtr,
} from '../../../src/foreign/index.js';
import { contextPath, marshalErrorOf } from '../../../src/foreign/storable/marshal-error.js';

const memory = Memory.create();
const { poke, peek } = peekPoke(memory);

const Inner = struct({ xs: array(Int16, 3), name: chars(4) }, 'Inner');
const Outer = struct(
  {
    id: Word64,
    inner: Inner,
    items: array(struct({ v: CDouble }), 2),
    'odd key': CInt,
    choice: union({ i: CInt, d: CDouble }),
  },
  'Outer',
);
const good = {
  id: 1n,
  inner: { xs: [1, 2, 3], name: 'ab' },
  items: [{ v: 1 }, { v: 2 }],
  'odd key': 5,
  choice: { d: 1.5 },
};

const errorOf = (f: () => void): MarshalError => {
  try {
    f();
  } catch (e) {
    if (e instanceof MarshalError) return e;
    throw e;
  }
  throw new Error('no MarshalError was thrown');
};

describe('MarshalError', () => {
  it('is a TypeError with the call, the path, the value and the instance', () => {
    const e = errorOf(() =>
      poke(Outer, wordPtrToPtr(0), { ...good, inner: { ...good.inner, xs: [1, 2, 40000] } })(),
    );
    expect(e).toBeInstanceOf(TypeError);
    expect(e.name).toBe('MarshalError');
    expect(e).toMatchObject({
      call: 'poke',
      path: 'Outer.inner.xs[2]',
      value: 40000,
      instance: 'Int16',
    });
    expect(e.message).toBe('poke: value 40000 at Outer.inner.xs[2] does not fit Int16');
    expect(e.errors.length).toBeGreaterThan(0);
  });

  it.each([
    [{ ...good, items: [{ v: 1 }, { v: '2' }] }, 'Outer.items[1].v', '"2"'],
    [{ ...good, 'odd key': 1.5 }, 'Outer["odd key"]', '1.5'],
    [{ ...good, choice: { i: 1, d: 2 } }, 'Outer.choice', '{…}'],
    [{ ...good, choice: { i: 2 ** 31 } }, 'Outer.choice.i', '2147483648'],
    [{ ...good, inner: { ...good.inner, name: 'abcde' } }, 'Outer.inner.name', '"abcde"'],
    [{ ...good, id: 2n ** 64n }, 'Outer.id', '18446744073709551616n'],
  ])('names the path of the first bad part (%#)', (value, path, shown) => {
    const e = errorOf(() => poke(Outer, wordPtrToPtr(0), value as typeof good)());
    expect(e.path).toBe(path);
    expect(e.message).toContain(`value ${shown} at ${path}`);
  });

  it('labels the root "value" when the instance name is not an identifier', () => {
    const e = errorOf(() => poke(array(CInt, 2), wordPtrToPtr(0), [1, 0.5])());
    expect(e.path).toBe('value[1]');
    expect(e.message).toBe('poke: value 0.5 at value[1] does not fit CInt');
  });

  it('on peek, carries the raw value and the reason', () => {
    const Color = enumeration(CInt, { RED: 1 }, 'Color');
    const S = struct({ pad: CInt, color: Color }, 'S');
    poke(CInt, wordPtrToPtr(68), 9)();
    const e = errorOf(() => peek(S, wordPtrToPtr(64))());
    expect(e).toMatchObject({ call: 'peek', path: 'S.color', value: 9, instance: 'Color' });
    expect(e.reason).toBe('no name of the enumeration has this tag');
  });

  it('withCall reports the same error under another call', () => {
    const e = new MarshalError('peek', 'x', 1, 'CInt', 'why');
    expect(e.withCall('peek')).toBe(e);
    expect(e.withCall('peekElemOff').message).toBe(
      'peekElemOff: value 1 at x does not fit CInt: why',
    );
  });
});

describe('marshalErrorOf and contextPath', () => {
  it('fall back to the root when the codec reports no error', () => {
    const e = marshalErrorOf('poke', CInt.codec, 1);
    expect(e.path).toBe('CInt');
    expect(contextPath([])).toBe('value');
  });
});
