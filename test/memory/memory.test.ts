import { describe, expect, it } from 'vitest';
import {
  MAX_MEMORY_BYTES,
  Memory,
  MemoryBoundsError,
  PAGE_BYTES,
  makeViews,
} from '../../src/memory/index.js';
import { refusal } from '../support/thrown.js';

describe('Memory.create', () => {
  it('makes a non-shared memory in whole pages, with views over all of it', () => {
    const m = Memory.create({ initialBytes: 1000, maxBytes: 3 * PAGE_BYTES });
    expect(m.shared).toBe(false);
    expect(m.byteLength).toBe(PAGE_BYTES);
    expect(m.maxByteLength).toBe(3 * PAGE_BYTES);
    expect(m.views.u8.length).toBe(PAGE_BYTES);
    expect(m.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('makes a shared memory in a SharedArrayBuffer', () => {
    const m = Memory.create({ shared: true, maxBytes: 4 * PAGE_BYTES });
    expect(m.shared).toBe(true);
    expect(m.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it.each([
    [{ initialBytes: -1 }],
    [{ initialBytes: 1.5 }],
    [{ maxBytes: Number.NaN }],
    [{ initialBytes: 2 * PAGE_BYTES, maxBytes: PAGE_BYTES }],
    [{ maxBytes: MAX_MEMORY_BYTES + 1 }],
    [{ initialBytes: '64' as unknown as number }],
  ])('rejects bad sizes %j with a RangeError', (options) => {
    expect(() => Memory.create(options)).toThrow(RangeError);
  });
});

describe('Memory.grow', () => {
  for (const shared of [false, true]) {
    it(`grows ${shared ? 'a shared' : 'a non-shared'} memory, keeps the bytes and renews the views`, () => {
      const m = Memory.create({ shared, maxBytes: 4 * PAGE_BYTES });
      m.views.u8[100] = 42;
      const before = m.views;
      expect(m.grow(PAGE_BYTES + 1)).toBe(true);
      expect(m.byteLength).toBe(2 * PAGE_BYTES);
      expect(m.views === before).toBe(false);
      expect(m.views.u8.length).toBe(2 * PAGE_BYTES);
      expect(m.views.u8[100]).toBe(42);
      m.views.u8[2 * PAGE_BYTES - 1] = 7;
      expect(m.views.dv.getUint8(2 * PAGE_BYTES - 1)).toBe(7);
    });

    it(`refuses to grow ${shared ? 'a shared' : 'a non-shared'} memory past its maximum, unchanged`, () => {
      const m = Memory.create({ shared, maxBytes: 2 * PAGE_BYTES });
      expect(m.grow(2 * PAGE_BYTES + 1)).toBe(false);
      expect(m.byteLength).toBe(PAGE_BYTES);
    });
  }

  it('cannot grow a fixed ArrayBuffer', () => {
    const m = Memory.from(new ArrayBuffer(1024));
    expect(m.maxByteLength).toBe(1024);
    expect(m.grow(2048)).toBe(false);
    expect(m.byteLength).toBe(1024);
  });

  it('grows a resizable ArrayBuffer', () => {
    const m = Memory.from(new ArrayBuffer(1024, { maxByteLength: 4 * PAGE_BYTES }));
    expect(m.grow(5000)).toBe(true);
    expect(m.byteLength).toBeGreaterThanOrEqual(5000);
    expect(m.views.u8.length).toBe(m.byteLength);
  });
});

describe('views after growth done by someone else', () => {
  it('a WebAssembly module growing its memory: the stale views are never used', () => {
    const wasm = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const m = Memory.from(wasm);
    m.views.u32[10] = 0xdeadbeef;
    const stale = m.views;
    wasm.grow(1); // as a module's `memory.grow` would: the old buffer is detached
    expect(stale.u8.length).toBe(0);
    const v = m.ensure(PAGE_BYTES + 8, 4);
    expect(v === stale).toBe(false);
    expect(v.u32[10]).toBe(0xdeadbeef);
    v.u32[(PAGE_BYTES + 8) >>> 2] = 5;
    expect(new Uint32Array(wasm.buffer)[(PAGE_BYTES + 8) >>> 2]).toBe(5);
  });

  it('a detached buffer fails the bounds check even for low addresses', () => {
    const wasm = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const m = Memory.from(wasm);
    const stale = m.views;
    wasm.grow(1);
    expect(m.ensure(0, 4) === stale).toBe(false);
  });

  it('a shared WebAssembly memory grown elsewhere: old views keep their length, ensure renews', () => {
    const wasm = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const m = Memory.from(wasm);
    expect(m.shared).toBe(true);
    const stale = m.views;
    wasm.grow(2);
    expect(stale.u8.length).toBe(PAGE_BYTES);
    const v = m.ensure(2 * PAGE_BYTES, 8);
    expect(v.u8.length).toBe(3 * PAGE_BYTES);
  });

  it('a growable SharedArrayBuffer grown elsewhere: ensure renews', () => {
    const sab = new SharedArrayBuffer(PAGE_BYTES, { maxByteLength: 4 * PAGE_BYTES });
    const m = Memory.from(sab);
    sab.grow(2 * PAGE_BYTES);
    expect(m.ensure(PAGE_BYTES, 4).u8.length).toBe(2 * PAGE_BYTES);
  });

  it('a resizable ArrayBuffer shrunk elsewhere: access past the new end is a MemoryBoundsError', () => {
    const ab = new ArrayBuffer(2 * PAGE_BYTES, { maxByteLength: 4 * PAGE_BYTES });
    const m = Memory.from(ab);
    ab.resize(PAGE_BYTES);
    expect(() => m.ensure(PAGE_BYTES + 16, 4, 'peek')).toThrow(MemoryBoundsError);
    expect(m.ensure(16, 4).u8.length).toBe(PAGE_BYTES);
  });

  it('an access past the end of current views does not renew them (V8 keeps them constant)', () => {
    for (const m of [
      Memory.create({ initialBytes: PAGE_BYTES, maxBytes: 2 * PAGE_BYTES }),
      Memory.create({ initialBytes: PAGE_BYTES, maxBytes: 2 * PAGE_BYTES, shared: true }),
      Memory.from(new ArrayBuffer(PAGE_BYTES, { maxByteLength: 2 * PAGE_BYTES })),
    ]) {
      const views = m.views;
      expect(() => m.ensure(PAGE_BYTES, 4, 'peek')).toThrow(MemoryBoundsError);
      expect(() => m.ensureWritable(PAGE_BYTES - 2, 4, 'poke')).toThrow(MemoryBoundsError);
      expect(m.views).toBe(views);
      expect(m.writeViews).toBe(views);
      expect(m.grow(2 * PAGE_BYTES)).toBe(true);
      expect(m.views === views).toBe(false);
      expect(m.ensure(PAGE_BYTES, 4).u8.length).toBe(2 * PAGE_BYTES);
    }
  });

  it('protected views are renewed only by protect: a refused access stays refused', () => {
    const m = Memory.create({ initialBytes: PAGE_BYTES });
    m.protect({ read: false, write: true, reason: 'test' });
    const writeViews = m.writeViews;
    expect(() => m.ensure(8, 4, 'peek')).toThrow('test');
    expect(m.writeViews).toBe(writeViews);
    expect(m.ensureWritable(8, 4)).toBe(writeViews);
    m.protect({ read: true, write: false, reason: 'ro' });
    expect(() => m.ensureWritable(8, 4, 'poke')).toThrow('ro');
    expect(m.ensure(8, 4).u8.length).toBe(PAGE_BYTES);
  });

  it('names the call, address and size in the bounds error', () => {
    const m = Memory.from(new ArrayBuffer(64));
    expect(() => m.ensure(60, 8, 'peekByteOff')).toThrow(
      'peekByteOff: 8 byte(s) at address 60 reach past the end of memory (64 bytes)',
    );
  });
});

describe('arguments that are not what they should be', () => {
  it('Memory.create checks its options, Memory.from its source', () => {
    for (const o of [null, 5, 'big', { shared: 'yes' }, { shared: null }]) {
      refusal(() => Memory.create(o as never), TypeError, 'Memory.create');
    }
    refusal(() => Memory.create({ initialBytes: null } as never), RangeError, 'Memory.create');
    // An absent size is the default; a null one is a bad size, not the default.
    refusal(() => Memory.create({ maxBytes: null } as never), RangeError, 'Memory.create');
    for (const source of [null, undefined, 'buffer', 8, {}, new Uint8Array(8)]) {
      refusal(() => Memory.from(source as never), TypeError, 'Memory.from');
    }
  });

  it('grow refuses what is not a byte count, and answers false beyond the maximum', () => {
    const memory = Memory.create({ maxBytes: 2 * PAGE_BYTES });
    for (const n of ['8', null, undefined, NaN, Infinity, -1, 1.5, 2 ** 53]) {
      refusal(() => memory.grow(n as never), RangeError, 'Memory.grow');
    }
    expect(memory.grow(2 ** 33)).toBe(false);
    expect(memory.byteLength).toBe(PAGE_BYTES);
  });

  it('makeViews refuses what is not a buffer and a length that is not in it', () => {
    for (const buffer of [null, undefined, 'buffer', 64, {}, new Uint8Array(64)]) {
      refusal(() => makeViews(buffer as never, 8), TypeError, 'makeViews');
    }
    for (const n of [NaN, -8, 1.5, 128, '8', null]) {
      refusal(() => makeViews(new ArrayBuffer(64), n as never), RangeError, 'makeViews');
    }
    expect(makeViews(new ArrayBuffer(64), 64n as never).u8.length).toBe(64);
  });
});

describe('bigint arguments', () => {
  it('sizes may be bigints that are safe integers; an address must be a number', () => {
    const m = Memory.create({ initialBytes: 65536n, maxBytes: BigInt(4 * PAGE_BYTES) });
    expect(m.byteLength).toBe(PAGE_BYTES);
    expect(m.maxByteLength).toBe(4 * PAGE_BYTES);
    expect(m.grow(BigInt(2 * PAGE_BYTES))).toBe(true);
    expect(m.byteLength).toBe(2 * PAGE_BYTES);
    expect(m.ensure(8, 4n)).toBe(m.views);
    expect(() => m.ensure(8n as never, 4)).toThrow(TypeError);
    expect(() => m.ensure(8n as never, 4)).toThrow(/^Memory\.ensure: address 8n/);
    expect(() => m.ensure(8n as never, 4, 'peek')).toThrow(/^peek: /);
    expect(() => m.ensure(8, 2n ** 60n)).toThrow(/^Memory\.ensure: size/);
    expect(() => m.grow(2n ** 60n)).toThrow(/^Memory\.grow: /);
    expect(() => Memory.create({ maxBytes: -1n })).toThrow(/^Memory\.create: maxBytes/);
    expect(makeViews(new ArrayBuffer(16), 16n).u8.length).toBe(16);
    expect(() => makeViews(new ArrayBuffer(16), -1n)).toThrow(/^makeViews: /);
  });
});
