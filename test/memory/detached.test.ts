/**
 * A memory whose `ArrayBuffer` was transferred away (by `structuredClone` or `postMessage` with
 * a transfer list) is refused with a `DetachedMemoryError` that names the call, at every layer:
 * the memory's own functions, the heap's operations, and `peek`/`poke` and the rest of the
 * Haskell face (issue 7, defect 11). Node 20 has no `ArrayBuffer.prototype.detached`.
 */
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  CInt,
  DetachedMemoryError,
  Heap,
  Memory,
  MemoryBoundsError,
  PAGE_BYTES,
  foreign,
  makeViews,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

const transfer = (buffer: ArrayBuffer): void => {
  structuredClone(buffer, { transfer: [buffer] });
  expect(buffer.byteLength).toBe(0);
};

const expectDetached = (f: () => unknown, call: string): void => {
  const error = thrown(f);
  expect(error).toBeInstanceOf(DetachedMemoryError);
  expect(error).toBeInstanceOf(TypeError);
  const { message } = error as DetachedMemoryError;
  expect(message.startsWith(`${call}: `)).toBe(true);
  expect(message).toMatch(/transferred away/);
  expect((error as DetachedMemoryError).call).toBe(call);
};

describe('Memory over a transferred buffer', () => {
  for (const resizable of [false, true]) {
    const make = () =>
      resizable
        ? new ArrayBuffer(PAGE_BYTES, { maxByteLength: 4 * PAGE_BYTES })
        : new ArrayBuffer(PAGE_BYTES);

    it(`every function of the memory says so (${resizable ? 'resizable' : 'fixed'} buffer)`, () => {
      const buffer = make();
      const memory = Memory.from(buffer);
      transfer(buffer);
      expectDetached(() => memory.ensure(0, 4), 'Memory.ensure');
      expectDetached(() => memory.ensure(16, 4, 'peek'), 'peek');
      expectDetached(() => memory.refresh(), 'Memory.refresh');
      expectDetached(() => memory.grow(2 * PAGE_BYTES), 'Memory.grow');
      expectDetached(() => Memory.from(buffer), 'Memory.from');
      expectDetached(() => makeViews(buffer, 0), 'makeViews');
    });
  }

  it('postMessage with a transfer list detaches it too', () => {
    const buffer = new ArrayBuffer(PAGE_BYTES);
    const memory = Memory.from(buffer);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(buffer, [buffer]);
    port1.close();
    port2.close();
    expectDetached(() => memory.ensure(0, 1), 'Memory.ensure');
  });

  it('a resizable buffer shrunk to 0 bytes is not detached: the bounds error stays', () => {
    const buffer = new ArrayBuffer(PAGE_BYTES, { maxByteLength: 2 * PAGE_BYTES });
    const memory = Memory.from(buffer);
    buffer.resize(0);
    expect(thrown(() => memory.ensure(0, 4))).toBeInstanceOf(MemoryBoundsError);
    expect(memory.ensure(0, 0).u8.length).toBe(0);
  });

  it('an empty buffer is not detached', () => {
    expect(Memory.from(new ArrayBuffer(0)).ensure(0, 0).u8.length).toBe(0);
  });

  it("a WebAssembly memory's buffer is not detached by a transfer, so it keeps working", () => {
    const wasm = new WebAssembly.Memory({ initial: 1 });
    const memory = Memory.from(wasm);
    memory.views.u8[3] = 9;
    thrown(() => structuredClone(wasm.buffer, { transfer: [wasm.buffer] })); // copied, or refused
    expect(wasm.buffer.byteLength).toBe(PAGE_BYTES);
    expect(memory.refresh().u8[3]).toBe(9);
  });
});

describe('a heap over a transferred buffer', () => {
  for (const checked of [false, true]) {
    it(`every operation names itself (checked: ${checked})`, () => {
      const buffer = new ArrayBuffer(PAGE_BYTES);
      const heap = Heap.over(buffer, { base: 0, checked });
      const p = heap.malloc(64);
      transfer(buffer);
      expectDetached(() => heap.malloc(8), 'malloc');
      expectDetached(() => heap.calloc(2, 8), 'calloc');
      expectDetached(() => heap.realloc(p, 128), 'realloc');
      expectDetached(() => heap.realloc(0, 128), 'realloc');
      expectDetached(() => heap.free(p), 'free');
      expectDetached(() => heap.usableSize(p), 'usableSize');
      expectDetached(() => heap.alignedAlloc(64, 8), 'alignedAlloc');
      expectDetached(() => heap.check(), 'check');
      expectDetached(() => heap.stats(), 'stats');
      heap.free(0); // still nothing to do
      expectDetached(() => Heap.over(buffer, { base: 0 }), 'Heap.over');
      expectDetached(() => Heap.attach(buffer), 'Heap.attach');
      expectDetached(() => Heap.attach(heap.memory), 'Heap.attach');
    });
  }

  it('a snapshot of a shared heap, in an ArrayBuffer, transferred away', () => {
    const shared = Heap.create({ shared: true });
    const p = shared.malloc(64);
    const copy = new ArrayBuffer(shared.memory.byteLength);
    new Uint8Array(copy).set(new Uint8Array(shared.memory.buffer));
    const snapshot = Heap.attach(copy);
    expect(snapshot.shared).toBe(true);
    expect(snapshot.usableSize(p)).toBe(shared.usableSize(p));
    transfer(copy);
    expectDetached(() => snapshot.malloc(8), 'malloc');
    expectDetached(() => snapshot.free(p), 'free');
  });
});

describe('the Haskell face over a transferred buffer', () => {
  const world = () => {
    const buffer = new ArrayBuffer(4 * PAGE_BYTES);
    const heap = Heap.over(buffer, { base: 0 });
    const f = foreign(heap);
    const p = f.malloc(CInt)();
    f.poke(CInt, p, 42)();
    transfer(buffer);
    return { f, p };
  };

  it('peek and poke, in every flavour', () => {
    const { f, p } = world();
    expectDetached(() => f.peek(CInt, p)(), 'peek');
    expectDetached(() => f.poke(CInt, p, 1)(), 'poke');
    expectDetached(() => f.unchecked.poke(CInt, p, 1)(), 'unchecked.poke');
    expectDetached(() => f.peekElemOff(CInt, p, 1)(), 'peekElemOff');
    expectDetached(() => f.pokeElemOff(CInt, p, 1, 1)(), 'pokeElemOff');
    expectDetached(() => f.peekByteOff(CInt, p, 4)(), 'peekByteOff');
    expectDetached(() => f.pokeByteOff(CInt, p, 4, 1)(), 'pokeByteOff');
    expectDetached(() => f.either.peek(CInt, p)(), 'either.peek');
  });

  it('arrays, strings and allocation', () => {
    const { f, p } = world();
    expectDetached(() => f.peekArray(CInt, 2, p)(), 'peekArray');
    expectDetached(() => f.pokeArray(CInt, p, [1, 2])(), 'pokeArray');
    expectDetached(() => f.peekCString(p)(), 'peekCString');
    expectDetached(() => f.mallocBytes(16)(), 'malloc');
    expectDetached(() => f.free(p)(), 'free');
  });
});
