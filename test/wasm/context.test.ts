/**
 * The wasm context (src/wasm/context.ts): the module's own allocator or this library's heap
 * above `__heap_base`, growth by either side with no stale view, the errno hook, bad input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CInt, CSize, CUChar, Ptr, Word8 } from 'foreign-ts';
import { InterfaceMismatchError } from 'foreign-ts/interface';
import { Void, foreignImport, wasmContext } from 'foreign-ts/wasm';
import { refusal } from '../support/thrown.js';
import { ffi, ffiInstance } from './load.js';

const PAGE = 65536;

/** An instance whose malloc and free are counted (the other exports as they are). */
const counted = (name: string) => {
  const x = ffiInstance(name).exports as Record<string, unknown>;
  const counts = { malloc: 0, free: 0 };
  const malloc = x['malloc'] as (n: number) => number;
  const free = x['free'] as (p: number) => void;
  const exports: Record<string, unknown> = {
    ...x,
    malloc: (n: number) => (counts.malloc++, malloc(n)),
    free: (p: number) => (counts.free++, free(p)),
  };
  return { exports: exports as WebAssembly.Exports, counts };
};

describe('wasmContext over a module with an allocator (wasi-libc dlmalloc)', () => {
  it("allocates through the module's malloc and free", () => {
    const { exports, counts } = counted('core');
    const ctx = wasmContext({ exports });
    expect(ctx.allocatorKind).toBe('module');
    expect(ctx.heap).toBeUndefined();
    const F = ctx.foreign;
    const p = F.mallocBytes(100)();
    expect(counts.malloc).toBe(1);
    const heapBase = (exports['__heap_base'] as WebAssembly.Global).value as number;
    expect(p).toBeGreaterThanOrEqual(heapBase);
    F.free(p)();
    expect(counts.free).toBe(1);
  });

  it("a block C allocated is not this context's to free (nothing is freed)", () => {
    const { exports, counts } = counted('core');
    const ctx = wasmContext({ exports });
    const p = (exports['malloc'] as (n: number) => number)(16);
    expect(() => ctx.foreign.free(p as Ptr<number>)()).toThrow(InterfaceMismatchError);
    expect(counts.free).toBe(0);
  });

  it('growth by the module (memory.grow in C) leaves no stale view', () => {
    const ctx = ffi('core');
    const F = ctx.foreign;
    const grow = foreignImport(ctx, 'grow_pages', [CInt], CInt);
    const sum = foreignImport(ctx, 'sum_bytes', [Ptr, CSize], CInt);
    const p = F.new(CInt, 1234567)();
    const before = ctx.memory.views.buffer;
    const pages = grow(3)();
    expect(pages).toBeGreaterThan(0);
    expect(ctx.memory.views.buffer).toBe(before); // not renewed yet: renewed at the next access
    expect(F.peek(CInt, p)()).toBe(1234567);
    expect(ctx.memory.views.buffer).not.toBe(before);
    // the pages the module grew are reachable at once
    const fresh = (pages * PAGE + 100) as Ptr<number>;
    F.pokeArray(Word8, fresh, [1, 2, 3])();
    expect(sum(fresh, 3)()).toBe(6);
    F.free(p)();
  });

  it("growth by the module's malloc (sbrk) leaves no stale view", () => {
    const ctx = ffi('core');
    const F = ctx.foreign;
    const sum = foreignImport(ctx, 'sum_bytes', [Ptr, CSize], CInt);
    const small = F.new(CInt, -5)();
    const bytes = ctx.memory.byteLength;
    const big = F.mallocBytes(4 * bytes)();
    expect(big).not.toBe(0);
    expect(ctx.memory.byteLength).toBeGreaterThan(bytes);
    F.fillBytes(big, 7, 4 * bytes)();
    expect(sum(big, 4 * bytes)()).toBe(7 * 4 * bytes);
    expect(F.peek(CInt, small)()).toBe(-5);
    F.free(big)();
    F.free(small)();
  });

  it('the errno hook reads what C set', () => {
    const ctx = ffi('core');
    const failWith = foreignImport(ctx, 'fail_with', [CInt], CInt);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (e) => {
        expect(failWith(e)()).toBe(-1);
        const at = ctx.errnoLocation();
        expect(at).toBeDefined();
        expect(ctx.foreign.peek(CInt, at!)()).toBe(e);
      }),
    );
  });

  it('exposes the function table and the C stack pointer', () => {
    const ctx = ffi('core');
    expect(ctx.table).toBeInstanceOf(WebAssembly.Table);
    expect(ctx.stackPointer).toBeInstanceOf(WebAssembly.Global);
  });
});

describe('wasmContext over a module without an allocator: the heap above __heap_base', () => {
  it('places a heap of this library from __heap_base', () => {
    const ctx = ffi('bare');
    expect(ctx.allocatorKind).toBe('heap');
    const heapBase = (ctx.exports['__heap_base'] as WebAssembly.Global).value as number;
    expect(ctx.heap!.base).toBe(Math.ceil(heapBase / 8) * 8);
    expect(ctx.errnoLocation()).toBeUndefined();
    const p = ctx.foreign.new(CInt, 42)();
    expect(p).toBeGreaterThan(heapBase);
    ctx.heap!.check();
  });

  it('growth by the heap: C sees the new bytes, the views follow', () => {
    const ctx = ffi('bare');
    const F = ctx.foreign;
    const sum = foreignImport(ctx, 'sum_bytes', [Ptr, CSize], CInt);
    const size = foreignImport(ctx, 'memory_bytes', [], CSize);
    const before = size()();
    const n = 3 * before;
    const p = F.mallocBytes(n)();
    expect(p).not.toBe(0);
    expect(size()()).toBeGreaterThan(before); // the module sees its memory grown
    F.fillBytes(p, 3, n)();
    expect(sum(p, n)()).toBe(3 * n);
    ctx.heap!.check();
  });

  it('growth by the module: views renewed, C writes peeked, the heap stays whole', () => {
    const ctx = ffi('bare');
    const F = ctx.foreign;
    const grow = foreignImport(ctx, 'grow_pages', [CInt], CInt);
    const fill = foreignImport(ctx, 'fill', [Ptr, CSize, CUChar], Void);
    const q = F.mallocBytes(64)();
    const old = grow(2)();
    expect(old).toBeGreaterThan(0);
    fill(q, 64, 9)();
    expect(F.peekArray(Word8, 64, q)()).toEqual(new Array(64).fill(9));
    // the heap grows afterwards (from the memory as it is now) and stays consistent
    const big = F.mallocBytes(8 * PAGE)();
    expect(big).not.toBe(0);
    F.fillBytes(big, 1, 8 * PAGE)();
    ctx.heap!.check();
    expect(F.peekArray(Word8, 64, q)()).toEqual(new Array(64).fill(9));
  });
});

describe('wasmContext: bad input', () => {
  const core = () => ffiInstance('core');
  it('refuses what is not an instance', () => {
    for (const bad of [null, undefined, 3, 'x', {}, { exports: null }]) {
      refusal(() => wasmContext(bad as never), TypeError, 'wasmContext');
    }
  });
  it('refuses a module without a memory', () => {
    refusal(() => wasmContext({ exports: {} }), TypeError, 'wasmContext');
    refusal(() => wasmContext({ exports: { memory: 5 } } as never), TypeError, 'wasmContext');
  });
  it('refuses bad options', () => {
    refusal(() => wasmContext(core(), null as never), TypeError, 'wasmContext');
    refusal(() => wasmContext(core(), { allocator: 'dl' as never }), TypeError, 'wasmContext');
    refusal(
      () => wasmContext(ffiInstance('bare'), { allocator: 'module' }),
      TypeError,
      'wasmContext',
    );
    refusal(() => wasmContext(ffiInstance('bare'), { initialize: true }), TypeError, 'wasmContext');
    refusal(() => wasmContext(core(), { stack: { size: -1 } }), RangeError, 'wasmContext');
  });
  it('refuses a module with neither an allocator nor __heap_base', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    refusal(() => wasmContext({ exports: { memory } }), TypeError, 'wasmContext');
  });
  it('takes the memory a module imports from options.memory', () => {
    const memory = new WebAssembly.Memory({ initial: 2 });
    const heapBase = new WebAssembly.Global({ value: 'i32' }, 1000);
    const ctx = wasmContext({ exports: { __heap_base: heapBase } }, { memory });
    expect(ctx.heap!.base).toBe(1000);
    expect(ctx.memory.byteLength).toBe(2 * PAGE);
  });
  it('may use the heap in a module that has an allocator', () => {
    const ctx = wasmContext(core(), { allocator: 'heap' });
    expect(ctx.allocatorKind).toBe('heap');
    ctx.foreign.free(ctx.foreign.mallocBytes(10)())();
    ctx.heap!.check();
  });
});
