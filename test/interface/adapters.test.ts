/**
 * The kernel and area adapters: a malloc type and an area pool as memory interfaces, and the
 * Haskell face allocating through them (so `vmstat -m` accounts its memory by type).
 */
import { describe, expect, it } from 'vitest';
import { CInt, foreign, type Ptr } from 'foreign-ts';
import {
  areaInterface,
  contextWithInterface,
  countingInterface,
  kernelInterface,
  trackingInterface,
} from 'foreign-ts/interface';
import {
  KernelPanic,
  MALLOC_DEFINE,
  M_WAITOK,
  boot,
  memstat_malloc,
  vmstat,
} from 'foreign-ts/kernel';
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_NO_LOCK,
  B_READ_AREA,
  B_WRITE_AREA,
  DeletedPoolError,
  get_module,
  put_module,
} from 'foreign-ts/area';
import { refusal } from '../support/thrown.js';

const statsOf = (kernel: ReturnType<typeof boot>, name: string) =>
  memstat_malloc(kernel).find((s) => s.name === name)!;

describe('kernelInterface', () => {
  it("charges the Haskell face's allocations to the type: vmstat -m shows them", () => {
    const kernel = boot();
    const M_FACE = MALLOC_DEFINE(kernel, 'face', 'the Haskell face');
    const iface = kernelInterface(M_FACE);
    expect(iface.memory).toBe(kernel.memory);
    const ctx = contextWithInterface(iface.memory, iface);
    const api = foreign(ctx);
    const a = api.mallocArray(CInt, 10)();
    const b = api.callocBytes(100)();
    expect(kernel.memory.views.u8.subarray(b, b + 100).every((x) => x === 0)).toBe(true);
    const c = api.reallocBytes(a, 300)();
    expect(statsOf(kernel, 'face').count).toBe(2n);
    expect(vmstat(kernel, '-m')).toMatch(/^\s*face\s+2\s/m);
    api.withArray(CInt, [1, 2, 3], (p: Ptr<number>) => api.peekElemOff(CInt, p, 2))();
    api.free(b)();
    api.free(c)();
    expect(api.reallocBytes(api.mallocBytes(8)(), 0)()).toBe(0);
    // the alloca region, taken by withArray, is charged to the type until the stack gives it back
    expect(statsOf(kernel, 'face').count).toBe(1n);
    ctx.stack.dispose();
    expect(statsOf(kernel, 'face').count).toBe(0n);
    iface.check();
  });

  it('M_NOWAIT: a kernel without room gives 0, the face nullPtr', () => {
    const kernel = boot({ domainBytes: 1 << 20 });
    const M_BIG = MALLOC_DEFINE(kernel, 'big', 'big');
    const api = foreign(contextWithInterface(kernel.memory, kernelInterface(M_BIG)));
    expect(api.mallocBytes(1 << 24)()).toBe(0);
    const counting = countingInterface(kernelInterface(M_BIG));
    expect(counting.mi_malloc(1 << 24, 0, '', '')).toBe(0);
    expect(counting.counts().failed).toBe(1);
  });

  it("keeps the kernel's misuse stops, and refuses bad arguments", () => {
    const kernel = boot();
    const M_X = MALLOC_DEFINE(kernel, 'x', 'x');
    const iface = kernelInterface(M_X, M_WAITOK);
    const p = iface.mi_malloc(24, 0, '', '');
    expect(() => iface.mi_free(p + 8, 0, '', '')).toThrow(KernelPanic);
    iface.mi_free(p, 0, '', '');
    iface.mi_free(0, 0, '', '');
    iface.check();
    for (const bad of [null, {}, kernel, 'M_TEMP']) {
      refusal(() => kernelInterface(bad as never), TypeError, 'kernelInterface');
    }
    refusal(() => kernelInterface(M_X, 1.5), TypeError, 'kernelInterface');
    refusal(() => kernelInterface(M_X, 1n as never), TypeError, 'kernelInterface');
  });
});

describe('areaInterface', () => {
  it('a program run through it allocates only from the pool', () => {
    const area = get_module(B_AREA_MALLOC_MODULE_NAME)!;
    try {
      const pool = area.create_pool(B_ANY_ADDRESS, 1 << 18, B_NO_LOCK, B_READ_AREA | B_WRITE_AREA)!;
      const iface = trackingInterface(areaInterface(pool));
      const api = foreign(contextWithInterface(pool.memory, iface));
      const s = api.newCString('hello')();
      expect(api.peekCString(s)()).toBe('hello');
      expect(api.withArray(CInt, [4, 5], (p: Ptr<number>) => api.peekElemOff(CInt, p, 1))()).toBe(
        5,
      );
      expect(pool.stats().liveBlocks).toBe(iface.live);
      api.free(s)();
      expect(
        areaInterface(pool).mi_realloc(areaInterface(pool).mi_malloc(8, 0, '', ''), 0, 0, '', ''),
      ).toBe(0);
      pool.check();
      area.delete_pool(pool);
      expect(() => api.mallocBytes(8)()).toThrow(DeletedPoolError);
    } finally {
      put_module(B_AREA_MALLOC_MODULE_NAME);
    }
  });

  it('refuses what is not a pool', () => {
    for (const bad of [null, {}, 3, { malloc: () => 0 }]) {
      refusal(() => areaInterface(bad as never), TypeError, 'areaInterface');
    }
  });

  it('contextWithInterface refuses what is neither a context nor a memory', () => {
    const area = get_module(B_AREA_MALLOC_MODULE_NAME)!;
    try {
      const pool = area.create_pool(B_ANY_ADDRESS, 1 << 16, B_NO_LOCK, B_READ_AREA | B_WRITE_AREA)!;
      for (const bad of [null, 5, {}, pool]) {
        refusal(
          () => contextWithInterface(bad as never, areaInterface(pool)),
          TypeError,
          'contextWithInterface',
        );
      }
    } finally {
      put_module(B_AREA_MALLOC_MODULE_NAME);
    }
  });
});
