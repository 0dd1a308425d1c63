/**
 * Every public function of `foreign-ts/memory` refuses a bad argument with a `RangeError` or a
 * `TypeError` whose message starts with the name of the call, and returns nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_MEMORY_BYTES, Memory, PAGE_BYTES, makeViews } from '../../src/memory/index.js';
import { thrown } from '../support/thrown.js';

const expectRefused = (
  f: () => unknown,
  kind: typeof RangeError | typeof TypeError,
  call: string,
) => {
  const error = thrown(f);
  expect(error).toBeInstanceOf(kind);
  expect((error as Error).message.startsWith(`${call}: `)).toBe(true);
};

/** Numbers that are not byte counts: negative, fractional, not finite. */
const notACount = fc.oneof(
  fc.integer({ min: -(2 ** 40), max: -1 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).filter((x) => !Number.isInteger(x)),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53),
);

describe('Memory.ensure', () => {
  const memory = Memory.create();

  it.each([
    [-4, 4],
    [4, -4],
    [-8, 16],
    [1.5, 2],
    [0, 0.5],
    [Number.NaN, 0],
    [0, Number.NaN],
    [Number.POSITIVE_INFINITY, 0],
    [Number.NEGATIVE_INFINITY, 8],
  ])('refuses ensure(%s, %s) with a RangeError, returning no views', (address, size) => {
    expectRefused(() => memory.ensure(address, size), RangeError, 'Memory.ensure');
    expectRefused(() => memory.ensure(address, size, 'peek'), RangeError, 'peek');
  });

  it.each([['8'], [null], [undefined], [{}]])(
    'refuses an address %j with a TypeError',
    (address) => {
      expectRefused(() => memory.ensure(address as never, 4), TypeError, 'Memory.ensure');
    },
  );

  it('refuses a bigint address with a TypeError (addresses are numbers)', () => {
    expectRefused(() => memory.ensure(8n as never, 4), TypeError, 'Memory.ensure');
  });

  it('refuses a size that is not a number', () => {
    expectRefused(() => memory.ensure(8, '4' as never), RangeError, 'Memory.ensure');
  });

  it('refuses every bad address or size, also where the bytes would be inside memory', () => {
    fc.assert(
      fc.property(notACount, fc.nat({ max: 64 }), fc.boolean(), (bad, good, badAddress) => {
        const [address, size] = badAddress ? [bad, good] : [good, bad];
        expectRefused(() => memory.ensure(address, size), RangeError, 'Memory.ensure');
      }),
    );
  });

  it('still returns the cached views for good arguments, and ensure(length, 0) reaches the end', () => {
    expect(memory.ensure(0, PAGE_BYTES)).toBe(memory.views);
    expect(memory.ensure(PAGE_BYTES, 0)).toBe(memory.views);
  });
});

describe('Memory.grow', () => {
  it.each([[-1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], ['65536'], [null]])(
    'refuses grow(%j) with a RangeError and changes nothing',
    (bytes) => {
      const memory = Memory.create({ maxBytes: 4 * PAGE_BYTES });
      expectRefused(() => memory.grow(bytes as number), RangeError, 'Memory.grow');
      expect(memory.byteLength).toBe(PAGE_BYTES);
    },
  );

  it('returns false, not an error, for a size no memory can hold', () => {
    expect(Memory.create().grow(MAX_MEMORY_BYTES + 1)).toBe(false);
  });
});

describe('Memory.create', () => {
  it.each([[null], [5], ['big'], [[]]])('refuses options %j with a TypeError', (options) => {
    expectRefused(() => Memory.create(options as never), TypeError, 'Memory.create');
  });

  it.each([['yes'], [1], [null]])('refuses shared: %j with a TypeError', (shared) => {
    expectRefused(() => Memory.create({ shared } as never), TypeError, 'Memory.create');
  });
});

describe('Memory.from', () => {
  it.each([
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an empty object', {}],
    ['a typed array (not its buffer)', new Uint8Array(8)],
    ['a DataView', new DataView(new ArrayBuffer(8))],
    ['an object whose buffer is not a buffer', { buffer: 1, grow: () => 0 }],
  ])('refuses %s with a TypeError', (_what, source) => {
    expectRefused(() => Memory.from(source as never), TypeError, 'Memory.from');
  });

  it('accepts any object with the WasmMemory shape, as its type says', () => {
    let buffer = new ArrayBuffer(PAGE_BYTES);
    const custom = {
      get buffer() {
        return buffer;
      },
      grow(delta: number) {
        const old = buffer.byteLength / PAGE_BYTES;
        const next = new ArrayBuffer(buffer.byteLength + delta * PAGE_BYTES);
        new Uint8Array(next).set(new Uint8Array(buffer));
        buffer = next;
        return old;
      },
    };
    const memory = Memory.from(custom);
    memory.views.u8[10] = 7;
    expect(memory.byteLength).toBe(PAGE_BYTES);
    expect(memory.grow(PAGE_BYTES + 1)).toBe(true);
    expect(memory.ensure(PAGE_BYTES, 8).u8[10]).toBe(7);
  });
});

describe('makeViews', () => {
  const buffer = new ArrayBuffer(64);

  it.each([[-4], [1.5], [65], [Number.NaN], ['8']])(
    'refuses a byte length %j with a RangeError',
    (byteLength) => {
      expectRefused(() => makeViews(buffer, byteLength as number), RangeError, 'makeViews');
    },
  );

  it.each([[42], [null], [new Uint8Array(8)]])('refuses a buffer %j with a TypeError', (b) => {
    expectRefused(() => makeViews(b as never, 0), TypeError, 'makeViews');
  });

  it('makes views of the length asked for', () => {
    expect(makeViews(buffer, 12).u32.length).toBe(3);
  });
});

describe('an engine that cannot allocate the memory', () => {
  const refuse = (name: 'Memory' | 'SharedArrayBuffer', f: () => void): void => {
    const holder = (name === 'Memory' ? WebAssembly : globalThis) as unknown as Record<
      string,
      unknown
    >;
    const saved = holder[name];
    holder[name] = function Refusing() {
      throw new RangeError('WebAssembly.Memory(): could not allocate memory');
    };
    try {
      f();
    } finally {
      holder[name] = saved;
    }
  };

  it.each([false, true])('is a RangeError naming the call (shared: %s)', (shared) => {
    refuse(shared ? 'SharedArrayBuffer' : 'Memory', () => {
      const error = thrown(() => Memory.create({ shared, initialBytes: 1 << 30 }));
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(
        /^Memory\.create: the engine could not allocate a memory of 1073741824 bytes/,
      );
      expect((error as Error).cause).toBeInstanceOf(RangeError);
    });
  });
});
