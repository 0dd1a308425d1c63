/**
 * Where `SharedArrayBuffer` does not exist (a browser page that is not cross-origin isolated),
 * asking for a shared memory is an error that says what the page needs; everything else works
 * (issue 7, defect 13). The global is hidden for the length of each test.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CInt,
  Heap,
  Memory,
  PAGE_BYTES,
  SharedMemoryUnavailableError,
  foreign,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

const saved = Object.getOwnPropertyDescriptor(globalThis, 'SharedArrayBuffer')!;

beforeEach(() => {
  delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
  expect(typeof SharedArrayBuffer).toBe('undefined');
});

afterEach(() => {
  Object.defineProperty(globalThis, 'SharedArrayBuffer', saved);
});

const expectUnavailable = (f: () => unknown, call: string): void => {
  const error = thrown(f);
  expect(error).toBeInstanceOf(SharedMemoryUnavailableError);
  const { message } = error as Error;
  expect(message.startsWith(`${call}: `)).toBe(true);
  expect(message).toMatch(/cross-origin isolated/);
  expect(message).toMatch(/Cross-Origin-Opener-Policy: same-origin/);
  expect(message).toMatch(/Cross-Origin-Embedder-Policy: require-corp/);
};

describe('no SharedArrayBuffer', () => {
  it('Memory.create({ shared: true }) says that a shared memory needs cross-origin isolation', () => {
    expectUnavailable(() => Memory.create({ shared: true }), 'Memory.create');
  });

  it('Heap.create({ shared: true }) says so under its own name', () => {
    expectUnavailable(() => Heap.create({ shared: true }), 'Heap.create');
    expectUnavailable(() => Heap.create({ shared: true, checked: true }), 'Heap.create');
  });

  it('memories and heaps that are not shared work as before', () => {
    const memory = Memory.create({ maxBytes: 2 * PAGE_BYTES });
    expect(memory.shared).toBe(false);
    expect(memory.grow(PAGE_BYTES + 1)).toBe(true);
    const heap = Heap.over(new ArrayBuffer(PAGE_BYTES), { base: 0 });
    expect(heap.shared).toBe(false);
    const f = foreign(Heap.create());
    const p = f.new(CInt, 5)();
    expect(f.peek(CInt, p)()).toBe(5);
    f.free(p)();
    heap.check();
  });

  it('a shared WebAssembly memory is still known to be shared, without the global', () => {
    const wasm = new WebAssembly.Memory({ initial: 1, maximum: 2, shared: true });
    const memory = Memory.from(wasm);
    expect(memory.shared).toBe(true);
    const heap = Heap.over(memory, { base: 0 });
    expect(heap.shared).toBe(true);
    heap.free(heap.malloc(16));
    heap.check();
  });
});
