/**
 * The kernel's documented edges beyond §4.1: bad arguments (each a typed error naming the call,
 * with the kernel unchanged), the bigint rule, UMA zones (callbacks, limits, destroy, the wrong
 * zone), vmstat -z, sysctl, the access functions, dumps, attach and detach.
 */
import {
  MALLOC_DECLARE,
  MALLOC_DEFINE,
  M_NOWAIT,
  M_WAITOK,
  M_ZERO,
  M_NODUMP,
  KernelPanic,
  UMA_ALIGN_CACHE,
  UMA_ALIGN_PTR,
  UMA_RECLAIM_DRAIN_CPU,
  UMA_ZONE_NOBUCKET,
  UMA_ZONE_ZINIT,
  attach,
  bcopy,
  boot,
  bzero,
  check,
  copyin,
  copyout,
  detach,
  dump,
  findZone,
  free,
  liveBlocks,
  malloc,
  malloc_desc2type,
  malloc_uninit,
  malloc_usable_size,
  memset,
  readDump,
  realloc,
  sysctl,
  sysctl_names,
  uma_reclaim,
  uma_zalloc,
  uma_zalloc_arg,
  uma_zalloc_domain,
  uma_zcreate,
  uma_zdestroy,
  uma_zfree,
  uma_zfree_arg,
  uma_zone_get_cur,
  uma_zone_get_max,
  uma_zone_set_max,
  vmstat,
  memstat_uma,
  DOMAINSET_RR,
  malloc_domainset,
} from 'foreign-ts/kernel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from '../support/thrown.js';
import { expectPanic, kernel, snapshot, statsOf, zoneStats } from './helpers.js';

/** Expects `f` to throw an error of class `kind` whose message starts with `call: `, the kernel unchanged. */
const refuses = (
  k: ReturnType<typeof kernel>['k'],
  f: () => unknown,
  kind: new (...a: never[]) => Error,
  call: string,
) => {
  const before = snapshot(k);
  const error = thrown(f);
  expect(error).toBeInstanceOf(kind);
  expect((error as Error).message.startsWith(`${call}: `), (error as Error).message).toBe(true);
  check(k);
  expect(snapshot(k)).toBe(before);
};

describe('bad arguments', () => {
  it('sizes, flags, types and addresses are checked, naming the call', () => {
    const { k } = kernel();
    const t = MALLOC_DEFINE(k, 'args');
    const q = malloc(24, t, M_WAITOK);
    refuses(k, () => malloc(-1, t, M_WAITOK), RangeError, 'malloc');
    refuses(k, () => malloc(1.5, t, M_WAITOK), RangeError, 'malloc');
    refuses(k, () => malloc(2 ** 53, t, M_WAITOK), RangeError, 'malloc');
    refuses(k, () => malloc((2n ** 60n) as unknown as number, t, M_WAITOK), RangeError, 'malloc');
    refuses(k, () => malloc('8' as unknown as number, t, M_WAITOK), RangeError, 'malloc');
    refuses(k, () => malloc(8, t, '2' as unknown as number), TypeError, 'malloc');
    refuses(k, () => malloc(8, t, 1.5), TypeError, 'malloc');
    refuses(k, () => malloc(8, {} as never, M_WAITOK), TypeError, 'malloc');
    refuses(k, () => malloc(8, undefined as never, M_WAITOK), TypeError, 'malloc');
    refuses(k, () => free(BigInt(q) as unknown as number, t), TypeError, 'free');
    refuses(k, () => free(-8, t), TypeError, 'free');
    refuses(k, () => free(q, null as never), TypeError, 'free');
    refuses(k, () => realloc(q, -1, t, M_WAITOK), RangeError, 'realloc');
    refuses(
      k,
      () => malloc_domainset(8, t, { ds_mask: 1, ds_policy: 1, ds_prefer: -1 }, M_NOWAIT),
      TypeError,
      'malloc_domainset',
    );
    refuses(k, () => malloc_usable_size({} as never, q), TypeError, 'malloc_usable_size');
    refuses(k, () => vmstat(k, '-x' as never), RangeError, 'vmstat');
    refuses(k, () => sysctl(k, 'vm.nothing'), RangeError, 'sysctl');
    refuses(k, () => sysctl(k, 'kern.malloc_count', 3), TypeError, 'sysctl');
    expect(malloc_usable_size(k, q)).toBe(32);
  });

  it('sizes may be bigints that are safe integers', () => {
    const { k } = kernel();
    const t = MALLOC_DEFINE(k, 'bigint');
    const q = malloc(100n as unknown as number, t, M_WAITOK);
    expect(malloc_usable_size(k, q)).toBe(128);
    expect(malloc_usable_size(k, realloc(q, 1000n as unknown as number, t, M_WAITOK))).toBe(1024);
  });

  it('any random arguments either work or throw a typed error, and the kernel stays whole', () => {
    const { k } = kernel();
    const t = MALLOC_DEFINE(k, 'fuzz');
    const arg = fc.oneof(
      fc.integer({ min: -10, max: 200_000 }),
      fc.double(),
      fc.bigInt({ min: -2n, max: 2n ** 60n }),
      fc.constantFrom(undefined, null, '8', {}, NaN, Infinity),
    );
    fc.assert(
      fc.property(arg, arg, (size, flags) => {
        const before = snapshot(k);
        const error = thrown(() => {
          const q = malloc(size as number, t, flags as number);
          if (q !== 0) free(q, t);
        });
        if (error !== undefined) {
          expect(
            error instanceof RangeError ||
              error instanceof TypeError ||
              error instanceof KernelPanic,
          ).toBe(true);
          expect((error as Error).message).toMatch(/^malloc: /);
          expect(snapshot(k)).toBe(before);
        }
        check(k);
      }),
      { numRuns: 300 },
    );
  });

  it('boot refuses options out of range', () => {
    for (const options of [
      { domains: 0 },
      { domains: 33 },
      { domainBytes: 1000 },
      { maxCpus: 0 },
      { compat: 'fbsd13' as never },
      { reserve: 64 << 20 },
      { domains: 32, domainBytes: 256 << 20 },
    ]) {
      const error = thrown(() => boot(options));
      expect(error, JSON.stringify(options)).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(/^boot: /);
    }
  });

  it('a type that is not registered, and a dump kernel, refuse allocation', () => {
    const { k } = kernel();
    const t = MALLOC_DEFINE(k, 'gone');
    malloc_uninit(t);
    refuses(k, () => malloc(8, t, M_WAITOK), TypeError, 'malloc');
    const d = readDump(dump(k));
    const temp = MALLOC_DECLARE(d.kernel, 'temp');
    expect(() => malloc(8, temp, M_WAITOK)).toThrow(/^malloc: this kernel was read from a dump/);
  });
});

describe('M_WAITOK where nothing can wait', () => {
  it('panics instead of hanging: not shared, or nobody else attached', () => {
    for (const shared of [false, true]) {
      const { k } = kernel({ shared, domainBytes: 256 * 1024, initialBytes: 256 * 1024 });
      const t = MALLOC_DEFINE(k, 'full');
      while (malloc(60000, t, M_NOWAIT) !== 0);
      const p = expectPanic(
        k,
        () => malloc(60000, t, M_WAITOK),
        /^malloc\(M_WAITOK\): cannot sleep for 65536 bytes: /,
      );
      expect(p.panicstr).toMatch(shared ? /no other thread is attached/ : /not in shared memory/);
    }
  });

  it('runs the vm_lowmem handlers first, which may free memory', () => {
    const { k } = kernel({ domainBytes: 256 * 1024, initialBytes: 256 * 1024 });
    const t = MALLOC_DEFINE(k, 'cache');
    const cached: number[] = [];
    for (let q = malloc(60000, t, M_NOWAIT); q !== 0; q = malloc(60000, t, M_NOWAIT))
      cached.push(q);
    const calls: number[] = [];
    const tag = k.EVENTHANDLER_REGISTER('vm_lowmem', (flags) => {
      calls.push(flags);
      free(cached.pop()!, t);
    });
    expect(malloc(60000, t, M_WAITOK)).not.toBe(0);
    expect(calls).toEqual([1]);
    k.EVENTHANDLER_DEREGISTER('vm_lowmem', tag);
    check(k);
  });

  it('a request no domain can ever hold panics at once', () => {
    const { k } = kernel({ shared: true, domainBytes: 256 * 1024 });
    const t = MALLOC_DEFINE(k, 'huge');
    expectPanic(k, () => malloc(1 << 20, t, M_WAITOK), /can never be met/);
  });
});

describe('UMA zones', () => {
  it('run ctor/dtor on every allocation and free, init/fini per item with its slab', () => {
    const { k } = kernel();
    const log: string[] = [];
    const z = uma_zcreate(
      k,
      'things',
      40,
      (_mem, size, arg) => {
        log.push(`ctor ${size} ${String(arg)}`);
        return 0;
      },
      (_mem, _size, arg) => log.push(`dtor ${String(arg)}`),
      () => {
        log.push('init');
        return 0;
      },
      () => log.push('fini'),
      UMA_ALIGN_PTR,
      0,
    );
    expect(z.size).toBe(40);
    const item = uma_zalloc_arg(z, 'a', M_WAITOK);
    expect(item % 8).toBe(0);
    uma_zfree_arg(z, item, 'b');
    expect(log.filter((l) => l.startsWith('ctor') || l.startsWith('dtor'))).toEqual([
      'ctor 40 a',
      'dtor b',
    ]);
    expect(log.filter((l) => l === 'init').length).toBeGreaterThan(1);
    uma_zdestroy(z);
    expect(log.filter((l) => l === 'fini').length).toBe(log.filter((l) => l === 'init').length);
    expect(() => uma_zalloc(z, M_WAITOK)).toThrow(/^uma_zalloc: the zone "things" was destroyed/);
    check(k);
  });

  it('a failing constructor fails the allocation', () => {
    const { k } = kernel();
    const z = uma_zcreate(k, 'picky', 16, () => 12, null, null, null, UMA_ALIGN_PTR, 0);
    expect(uma_zalloc(z, M_NOWAIT)).toBe(0);
    expect(zoneStats(k, 'picky').fail).toBe(1);
    check(k);
  });

  it('zero-initialise with UMA_ZONE_ZINIT and M_ZERO, align to the cache line', () => {
    const { k } = kernel();
    const z = uma_zcreate(
      k,
      'zeroed',
      100,
      null,
      null,
      null,
      null,
      UMA_ALIGN_CACHE,
      UMA_ZONE_ZINIT,
    );
    expect(z.size).toBe(128);
    const item = uma_zalloc(z, M_WAITOK);
    expect(item % 64).toBe(0);
    expect(k.u8.subarray(item, item + 128).every((b) => b === 0)).toBe(true);
    k.u8.fill(9, item, item + 128);
    uma_zfree(z, item);
    const again = uma_zalloc(z, M_WAITOK | M_ZERO);
    expect(k.u8.subarray(again, again + 128).every((b) => b === 0)).toBe(true);
  });

  it('keep to their limit: M_NOWAIT fails beyond it', () => {
    const { k } = kernel();
    const z = uma_zcreate(
      k,
      'limited',
      64,
      null,
      null,
      null,
      null,
      UMA_ALIGN_PTR,
      UMA_ZONE_NOBUCKET,
    );
    expect(uma_zone_set_max(z, 3)).toBe(3);
    expect(uma_zone_get_max(z)).toBe(3);
    const items = [0, 1, 2].map(() => uma_zalloc(z, M_NOWAIT));
    expect(items.every((i) => i !== 0)).toBe(true);
    expect(uma_zalloc(z, M_NOWAIT)).toBe(0);
    expect(uma_zone_get_cur(z)).toBe(3);
    uma_zfree(z, items[0]!);
    expect(uma_zalloc(z, M_NOWAIT)).not.toBe(0);
    expect(zoneStats(k, 'limited')).toMatchObject({ limit: 3, used: 3, fail: 1, requests: 4 });
    expect(vmstat(k, '-z')).toContain('limited:                 64,      3,       3,');
  });

  it('refuse an item of another zone with UMA’s message, and warn when destroyed with items', () => {
    const { k, out } = kernel();
    const a = uma_zcreate(k, 'zone-a', 32, null, null, null, null, UMA_ALIGN_PTR, 0);
    const b = uma_zcreate(k, 'zone-b', 32, null, null, null, null, UMA_ALIGN_PTR, 0);
    const item = uma_zalloc(a, M_WAITOK);
    expectPanic(
      k,
      () => uma_zfree(b, item),
      `uma: Freed item 0x${item.toString(16)} did not belong to zone zone-b\n`,
    );
    uma_zdestroy(a);
    expect(out).toEqual([
      'Freed UMA keg (zone-a) was not empty (1 items).  Lost 1 pages of memory.\n',
    ]);
    check(k);
  });

  it('allocate from a given domain, and a worker-side handle is found by name', () => {
    const { k } = kernel({ domains: 2 });
    const z = uma_zcreate(k, 'placed', 256, null, null, null, null, UMA_ALIGN_PTR, 0);
    const item = uma_zalloc_domain(z, null, 1, M_WAITOK);
    expect(item).toBeGreaterThanOrEqual(k.heaps[1]!.base);
    expect(findZone(k, 'placed')).toBe(z);
    expect(findZone(k, 'nothing')).toBe(null);
    uma_zfree(z, item);
    uma_reclaim(k, UMA_RECLAIM_DRAIN_CPU);
    expect(zoneStats(k, 'placed').free).toBe(0);
    check(k);
  });
});

describe('vmstat -z', () => {
  it('has FreeBSD 14’s header (FAIL and SLEEP run together) and rows', () => {
    const { k } = kernel();
    const t = MALLOC_DEFINE(k, 'z');
    free(malloc(24, t, M_WAITOK), t);
    malloc(24, t, M_WAITOK);
    const lines = vmstat(k, '-z').split('\n');
    expect(lines[0]).toBe(
      'ITEM                   SIZE  LIMIT     USED     FREE      REQ     FAILSLEEP XDOMAIN',
    );
    const row = lines.find((l) => l.startsWith('malloc-32:'))!;
    const free32 = zoneStats(k, 'malloc-32').free;
    expect(row).toBe(
      `malloc-32:               32,      0,       1,${String(free32).padStart(8)},       2,   0,   0,   0`,
    );
    expect(
      JSON.parse(vmstat(k, '-z', { libxo: 'json' }))['memory-zone-statistics'].zone[1],
    ).toMatchObject({ name: 'malloc-32', used: 1, requests: 2 });
    expect(JSON.parse(vmstat(k, '-m', { libxo: 'json' }))['malloc-statistics'].memory[0]).toEqual({
      type: 'z',
      'in-use': 1,
      'memory-use': 1,
      requests: 2,
      size: [32],
    });
  });

  it('prints an in-use count of 2^64 − 1 in JSON exactly', () => {
    const { k } = kernel();
    free(malloc(24, MALLOC_DEFINE(k, 'A'), M_WAITOK), MALLOC_DEFINE(k, 'B'));
    expect(vmstat(k, '-m', { libxo: 'json' })).toContain(
      '"type":"B","in-use":18446744073709551615,',
    );
  });

  it('free = items in slabs + items cached in buckets, used + free = every item', () => {
    const { k } = kernel();
    const t = MALLOC_DEFINE(k, 'z');
    const items = Array.from({ length: 300 }, () => malloc(64, t, M_WAITOK));
    for (const q of items.slice(0, 200)) free(q, t);
    const s = zoneStats(k, 'malloc-64');
    expect(s.used).toBe(100);
    expect((s.used + s.free) % 63).toBe(0);
  });
});

describe('sysctl', () => {
  it('reads FreeBSD’s names, writes the tunable ones, and knows only those of compiled-in options', () => {
    const { k } = kernel({ makeFailures: true });
    expect(sysctl(k, 'vm.malloc.zone_sizes')).toEqual([
      16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 0,
    ]);
    expect(sysctl(k, 'vm.kmem_zmax')).toBe(65536);
    expect(sysctl(k, 'debug.malloc.failure_rate', 2)).toBe(0);
    const t = MALLOC_DEFINE(k, 'fail');
    expect([1, 2, 3, 4].map(() => malloc(8, t, M_NOWAIT) === 0)).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(malloc(8, t, M_WAITOK)).not.toBe(0);
    expect(sysctl(k, 'debug.malloc.failure_count')).toBe(2);
    expect(sysctl_names(k)).not.toContain('vm.memguard.desc');
    expect(sysctl_names(kernel({ memguard: true }).k)).toContain('vm.memguard.desc');
    expect(sysctl(kernel({ kmem_zmax: 4096 }).k, 'vm.kmem_zmax')).toBe(4096);
    expect(sysctl(kernel({ kmem_zmax: 100 }).k, 'vm.kmem_zmax')).toBe(65536);
  });

  it('kmem_zmax 4096 sends 4097 bytes to the page-backed path', () => {
    const { k } = kernel({ kmem_zmax: 4096 });
    const t = MALLOC_DEFINE(k, 'zmax');
    expect(malloc_usable_size(k, malloc(4097, t, M_WAITOK))).toBe(8192);
    expect(statsOf(t).sizes).toEqual([]);
  });
});

describe('access functions', () => {
  it('copy in and out, bcopy, memset and bzero, and fault past the memory', () => {
    const { k } = kernel();
    const t = MALLOC_DEFINE(k, 'access');
    const q = malloc(64, t, M_WAITOK);
    copyin(k, new Uint8Array([1, 2, 3, 4]), q);
    bcopy(k, q, q + 2, 4);
    expect([...copyout(k, q, 6)]).toEqual([1, 2, 1, 2, 3, 4]);
    memset(k, q, 0x1ff, 2);
    bzero(k, q + 2, 2);
    expect([...copyout(k, q, new Uint8Array(4))]).toEqual([0xff, 0xff, 0, 0]);
    expectPanic(k, () => copyin(k, new Uint8Array(8), k.memory.byteLength - 4), 'page fault');
    expect(() => copyin(k, new Uint8Array(2), q, 3)).toThrow(/^copyin: len 3 is longer/);
  });
});

describe('dumps', () => {
  it('keep everything but M_NODUMP pages, and load back for inspection', () => {
    const { k } = kernel({ domains: 2 });
    const t = MALLOC_DEFINE(k, 'dumped');
    const small = malloc(24, t, M_WAITOK);
    copyin(k, new TextEncoder().encode('kept'), small);
    const secret = malloc(100000, t, M_WAITOK | M_NODUMP);
    copyin(k, new TextEncoder().encode('secret'), secret);
    const bytes = dump(k);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('FTSKDUMP');
    expect(bytes.length).toBeLessThan(k.memory.byteLength / 4);
    const d = readDump(bytes);
    expect(d.nodump).toEqual([[secret, 102400]]);
    expect(new TextDecoder().decode(d.read(small, 4))).toBe('kept');
    expect(d.read(secret, 6).every((b) => b === 0)).toBe(true);
    expect(d.types).toEqual(['dumped', 'temp', 'devbuf', 'cache']);
    expect(vmstat(d.kernel, '-m')).toBe(vmstat(k, '-m'));
    expect(vmstat(d.kernel, '-z')).toBe(vmstat(k, '-z'));
    expect(liveBlocks(d.kernel)).toEqual(liveBlocks(k));
    expect(liveBlocks(k).map((b) => [b.address, b.size, b.zone, b.nodump])).toEqual([
      [small, 32, 'malloc-32', false],
      [secret, 102400, 'large', true],
    ]);
    expect(malloc_usable_size(d.kernel, small)).toBe(32);
    expect(malloc_desc2type(d.kernel, 'dumped')).not.toBe(null);
    check(d.kernel);
  });

  it('refuses bytes that are not a dump', () => {
    expect(() => readDump(new Uint8Array(10))).toThrow(/^readDump: not a kernel dump: wrong magic/);
    const bytes = dump(kernel().k);
    expect(() => readDump(bytes.subarray(0, bytes.length - 1))).toThrow(
      /^readDump: not a kernel dump/,
    );
  });
});

describe('attach and detach', () => {
  it('a second view of a shared kernel has its own CPU and shares everything else', () => {
    const { k } = kernel({ shared: true, domains: 2, maxCpus: 2 });
    const other = attach(k.memory.source, { domain: 1 });
    expect(other.cpu).toBe(1);
    expect(other.home).toBe(1);
    expect(() => attach(k.memory.source)).toThrow(/^attach: all 2 CPUs/);
    expect(() => attach(new SharedArrayBuffer(65536))).toThrow(/^attach: there is no kernel/);
    const t = MALLOC_DEFINE(k, 'shared');
    const there = MALLOC_DECLARE(other, 'shared');
    const q = malloc(100, there, M_WAITOK);
    expect(q).toBeGreaterThanOrEqual(k.heaps[1]!.base);
    free(q, t);
    expect(statsOf(t).numallocs).toBe(1);
    expect(statsOf(t).numfrees).toBe(1);
    expect(zoneStats(k, 'malloc-128').xdomain).toBe(1);
    malloc(100, there, M_WAITOK);
    detach(other);
    expect(attach(k.memory.source).cpu).toBe(1);
    check(k);
    expect(memstat_uma(k).find((z) => z.name === 'malloc-128')!.used).toBe(1);
    expect(() => MALLOC_DECLARE(k, 'nothing')).toThrow(
      /^MALLOC_DECLARE: no malloc type named "nothing"/,
    );
  });

  it('round-robin large allocations spread over the domains', () => {
    const { k } = kernel({ domains: 2 });
    const t = MALLOC_DEFINE(k, 'rr');
    const bases = [0, 1, 2, 3].map(
      () => malloc_domainset(70000, t, DOMAINSET_RR(), M_NOWAIT) >= k.heaps[1]!.base,
    );
    expect(bases).toEqual([false, true, false, true]);
  });
});
