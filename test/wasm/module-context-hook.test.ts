/**
 * `setModuleContextHook` (src/interface/context.ts), consulted by `wasmContext` for a context
 * over a module's own malloc, and oomTest's `run.contextOf(allocator)` over such a module: bad
 * arguments, restore with `null`, no second consultation for what the hook makes itself, the
 * module allocator's `check()`, and failure injected into the module's malloc surfacing as the
 * table of docs/memory-interface.md says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AllocationError, CInt, CSize, Heap, Ptr, contextOf, nullPtr } from 'foreign-ts';
import {
  contextWithInterface,
  failingInterface,
  heapInterface,
  oomTest,
  setHeapContextHook,
  setModuleContextHook,
  trackingInterface,
  type BackedInterface,
  type Context,
  type TrackingInterface,
} from 'foreign-ts/interface';
import { foreignImport, inArray, inCString, wasmContext } from 'foreign-ts/wasm';
import { ffi, ffiInstance } from './load.js';

afterEach(() => {
  setModuleContextHook(null);
  setHeapContextHook(null);
});

describe('setModuleContextHook', () => {
  it('refuses a hook that is neither a function nor null, with a TypeError naming it', () => {
    for (const bad of [undefined, 5, 'hook', {}, []]) {
      expect(() => setModuleContextHook(bad as never)).toThrow(TypeError);
      expect(() => setModuleContextHook(bad as never)).toThrow(/^setModuleContextHook: /);
    }
    expect(ffi('core').foreign.mallocBytes).toBeTypeOf('function'); // nothing was installed
  });

  it("is consulted by wasmContext over the module's malloc, and removed with null", () => {
    const trackers: TrackingInterface[] = [];
    const given: BackedInterface[] = [];
    setModuleContextHook((ctx, allocator) => {
      given.push(allocator);
      const tracking = trackingInterface(allocator);
      trackers.push(tracking);
      return contextWithInterface(ctx, tracking);
    });
    const wasm = ffi('core');
    expect(given.length).toBe(1);
    expect(given[0]!.memory).toBe(wasm.memory);
    const p = wasm.foreign.mallocBytes(24)(); // through the hook's interface: tracked
    expect(trackers[0]!.live).toBe(1);
    const len = foreignImport(wasm, 'c_strlen', [inCString], CSize);
    expect(len('héllo')()).toBe(6);
    wasm.foreign.free(p)();
    wasm.stack.dispose();
    expect(trackers[0]!.live).toBe(0);
    given[0]!.check();
    setModuleContextHook(null);
    const plain = ffi('core');
    plain.foreign.free(plain.foreign.mallocBytes(8)())();
    expect(given.length).toBe(1);
  });

  it('is not consulted for the contexts it makes itself, nor for a heap above __heap_base', () => {
    let calls = 0;
    setModuleContextHook((ctx) => {
      calls += 1;
      wasmContext(ffiInstance('core')); // made by the hook: not given to it again
      return ctx;
    });
    ffi('core');
    expect(calls).toBe(1);
    const heaps: Heap[] = [];
    setHeapContextHook((ctx, heap) => (heaps.push(heap), ctx));
    const onHeap = ffi('core', { allocator: 'heap' });
    expect(calls).toBe(1);
    expect(heaps).toEqual([onHeap.heap]);
  });

  it('refuses, naming wasmContext, a hook that gives no context or one over another memory', () => {
    setModuleContextHook(() => ({}) as never);
    expect(() => ffi('core')).toThrow(/^wasmContext: .* is not a context/);
    const other = contextOf(Heap.create());
    setModuleContextHook(() => other);
    expect(() => ffi('core')).toThrow(TypeError);
    expect(() => ffi('core')).toThrow(
      /^wasmContext: the hook of setModuleContextHook gave a context over another memory/,
    );
    setHeapContextHook(() => other);
    expect(() => contextOf(Heap.create())).toThrow(
      /^contextOf: the hook of setHeapContextHook gave a context over another memory/,
    );
  });

  it("gives an allocator whose check() is the module's C stack pointer, back where it was", () => {
    let allocator: BackedInterface | undefined;
    setModuleContextHook((ctx, a) => ((allocator = a), ctx));
    const wasm = ffi('core');
    allocator!.check();
    const sp = wasm.stackPointer!;
    const at = sp.value as number;
    sp.value = at - 16;
    expect(() => allocator!.check()).toThrow(/^check: the module's C stack pointer is /);
    sp.value = at;
    allocator!.check();
  });
});

describe("failure injected into a module's malloc", () => {
  /** A wasm context whose module allocator fails from its `from`-th allocation on. */
  const failingFrom = (from: number): Context => {
    setModuleContextHook((ctx, allocator) =>
      contextWithInterface(ctx, failingInterface(allocator, { from })),
    );
    return ffi('core');
  };

  it('surfaces as the table says: nullPtr from malloc, an AllocationError from with*, inCString and inArray', () => {
    const wasm = failingFrom(1) as ReturnType<typeof ffi>;
    expect(wasm.foreign.malloc(CInt)()).toBe(nullPtr);
    expect(wasm.foreign.newArray(CInt, [1, 2])()).toBe(nullPtr);
    expect(wasm.foreign.alloca(CInt, (p) => () => p)()).toBe(nullPtr);
    expect(() => wasm.foreign.withCString('x', () => () => 0)()).toThrow(
      expect.objectContaining({ name: 'AllocationError' }),
    );
    const len = foreignImport(wasm, 'c_strlen', [inCString], CSize);
    expect(() => len('abc')()).toThrow(expect.objectContaining({ name: 'AllocationError' }));
    const sum = foreignImport(wasm, 'sum_ints', [inArray(CInt), CSize], CInt);
    expect(() => sum([1, 2], 2)()).toThrow(expect.objectContaining({ name: 'AllocationError' }));
    wasm.stack.dispose();
  });

  it('is found by oomTest through run.contextOf(allocator): a leak, then none once fixed', async () => {
    const program =
      (fixed: boolean) =>
      (_ctx: Context, run: { contextOf(s: Heap | BackedInterface): Context }) => {
        setModuleContextHook((_c, allocator) => run.contextOf(allocator));
        try {
          const wasm = ffi('core');
          const { mallocArray, withArrayLen, free } = wasm.foreign;
          const sum = foreignImport(wasm, 'sum_ints', [Ptr, CSize], CInt);
          const keep = mallocArray(CInt, 4)();
          if (keep === nullPtr) throw new AllocationError('mallocArray', 16);
          const total = withArrayLen(CInt, [1, 2, 3], (n, p) => () => sum(p, n)());
          if (!fixed) {
            const r = total(); // keep is lost when withArrayLen throws
            free(keep)();
            return r;
          }
          try {
            return total();
          } finally {
            free(keep)();
          }
        } finally {
          setModuleContextHook(null);
        }
      };
    const buggy = await oomTest(program(false), { contract: 'throw' });
    expect(buggy.points).toBe(2);
    // point 2 is the alloca region: alone it fails benignly (the array spills); with the spill
    // failing too, withArrayLen throws its AllocationError, and the buggy version loses keep
    expect(buggy.problems.map((p) => `${p.point} ${p.mode} ${p.kind}`)).toEqual(['2 from leak']);
    expect(buggy.problems[0]!.leaks.map((b) => b.size)).toEqual([16]);
    const fixed = await oomTest(program(true), { contract: 'throw' });
    expect(fixed.text()).toBe('2 allocation point(s), 5 run(s): ok\n');
  });

  it('run.contextOf refuses what is neither a heap nor an interface with memory and check()', async () => {
    const seen: unknown[] = [];
    const report = await oomTest(
      (_ctx, run) => {
        for (const bad of [undefined, 5, {}, heapInterface(Heap.create()).mi_malloc]) {
          try {
            run.contextOf(bad as never);
          } catch (e) {
            seen.push(e);
          }
        }
        return 0;
      },
      { contract: 'nullPtr' },
    );
    expect(report.ok).toBe(true);
    expect(seen.length).toBe(4);
    for (const e of seen) {
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^contextOf: .* is not a Heap or an interface/);
    }
  });
});
