/**
 * Allegro's memory functions (reference §3, test cases of §4.3): the default allocator, a spy
 * that sees every call with its call site, the live reference, missing hooks at call time, the
 * surprising cases passed through unchanged, mismatch detection, and bad input.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidPointerError, allocaBytes, defaultHeap, mallocBytes } from 'foreign-ts';
import {
  InterfaceMismatchError,
  al_calloc,
  al_calloc_with_context,
  al_free,
  al_free_with_context,
  al_malloc,
  al_malloc_with_context,
  al_realloc,
  al_realloc_with_context,
  al_set_memory_interface,
  countingInterface,
  heapInterface,
  type ALLEGRO_MEMORY_INTERFACE,
} from 'foreign-ts/interface';
import { refusal } from '../support/thrown.js';

type Call = [string, ...unknown[]];

/** An interface that logs each call and answers from the default heap. */
const spy = (log: Call[], answer?: number): ALLEGRO_MEMORY_INTERFACE => {
  const heap = defaultHeap();
  return {
    mi_malloc: (n, ...site) => (log.push(['mi_malloc', n, ...site]), answer ?? heap.malloc(n)),
    mi_free: (p, ...site) => {
      log.push(['mi_free', p, ...site]);
      heap.free(p);
    },
    mi_realloc: (p, n, ...site) => (
      log.push(['mi_realloc', p, n, ...site]),
      answer ?? heap.realloc(p, n)
    ),
    mi_calloc: (c, n, ...site) => (
      log.push(['mi_calloc', c, n, ...site]),
      answer ?? heap.calloc(c, n)
    ),
  };
};

/** The line and file of `e`'s first frame below the test (V8's format). */
const here = (e: Error): { line: number; file: string } => {
  const frame = e.stack!.split('\n')[1]!;
  const m = /\(?([^\s(]*):(\d+):\d+\)?$/.exec(frame)!;
  return { file: m[1]!, line: Number(m[2]) };
};

const figures = () => {
  const s = defaultHeap().stats();
  return [s.liveBlocks, s.liveBytes, s.freeBytes];
};

afterEach(() => {
  al_set_memory_interface(null);
  defaultHeap().check();
});

describe('with no interface (4.3.1)', () => {
  it('allocates from the default heap and frees there', () => {
    const before = defaultHeap().stats().liveBlocks;
    const p = al_malloc(16);
    expect(p).toBeGreaterThan(0);
    expect(p % 8).toBe(0);
    expect(defaultHeap().usableSize(p)).toBeGreaterThanOrEqual(16);
    expect(defaultHeap().stats().liveBlocks).toBe(before + 1);
    const q = al_realloc(p, 300);
    const z = al_calloc(3, 4);
    expect([...defaultHeap().memory.views.u8.subarray(z, z + 12)]).toEqual(Array(12).fill(0));
    al_free(q);
    al_free(z);
    al_free(0); // does nothing
    expect(defaultHeap().stats().liveBlocks).toBe(before);
  });

  it('treats realloc(0, n) as malloc and realloc(p, 0) as free returning 0', () => {
    const before = figures();
    const p = al_realloc(0, 10);
    expect(p).toBeGreaterThan(0);
    expect(al_realloc(p, 0)).toBe(0);
    expect(figures()).toEqual(before);
  });

  it('refuses a calloc whose product overflows, an unknown block, and a block alloca owns', () => {
    allocaBytes(8, () => () => undefined)(); // the default stack takes its region first
    const before = figures();
    refusal(() => al_calloc(2 ** 30, 2 ** 30), RangeError, 'al_calloc');
    refusal(() => al_free(8), InvalidPointerError, 'al_free');
    refusal(() => al_realloc(8, 4), InvalidPointerError, 'al_realloc');
    allocaBytes(16, (p) => () => {
      expect(refusal(() => al_free(p as number), InvalidPointerError, 'al_free')).toContain(
        'alloca',
      );
    })();
    expect(figures()).toEqual(before);
  });
});

describe('with a spy (4.3.2)', () => {
  it('passes each call to its hook with the caller’s call site and returns what it returned', () => {
    const log: Call[] = [];
    al_set_memory_interface(spy(log));
    function caller(): [number, Error] {
      return [al_malloc(10), new Error()];
    }
    const [p, e] = caller();
    const site = here(e);
    expect(log).toEqual([['mi_malloc', 10, site.line, site.file, 'caller']]);
    const q = al_realloc(p, 8);
    const z = al_calloc(3, 4);
    al_free(q);
    al_free(z);
    expect(log.map((c) => c.slice(0, 3))).toEqual([
      ['mi_malloc', 10, site.line],
      ['mi_realloc', p, 8],
      ['mi_calloc', 3, 4],
      ['mi_free', q, expect.any(Number)],
      ['mi_free', z, expect.any(Number)],
    ]);
    for (const c of log) expect(c.at(-2)).toBe(site.file);
  });

  it('returns exactly the hook’s result, 0 included', () => {
    const log: Call[] = [];
    al_set_memory_interface(spy(log, 0));
    expect(al_malloc(10)).toBe(0);
    expect(al_calloc(1, 1)).toBe(0);
    expect(al_realloc(0, 5)).toBe(0);
    al_set_memory_interface(spy(log, 4096));
    expect(al_malloc(10)).toBe(4096);
    al_set_memory_interface(null);
  });

  it('calls mi_free(0) for al_free(0), and passes realloc(0, n) and realloc(p, 0) unchanged', () => {
    const log: Call[] = [];
    al_set_memory_interface(spy(log));
    al_free(0);
    const p = al_realloc(0, 12);
    expect(al_realloc(p, 0)).toBe(0);
    expect(log.map((c) => c.slice(0, 3))).toEqual([
      ['mi_free', 0, expect.any(Number)],
      ['mi_realloc', 0, 12],
      ['mi_realloc', p, 0],
    ]);
  });

  it('passes calloc’s (count, n) in that order, without an overflow check', () => {
    const log: Call[] = [];
    al_set_memory_interface(spy(log, 0));
    expect(al_calloc(2 ** 30, 2 ** 30)).toBe(0);
    expect(log[0]!.slice(0, 3)).toEqual(['mi_calloc', 2 ** 30, 2 ** 30]);
  });

  it('passes the given call site in the _with_context forms', () => {
    const log: Call[] = [];
    al_set_memory_interface(spy(log));
    const p = al_malloc_with_context(10, 7, 'a.c', 'f');
    const q = al_realloc_with_context(p, 20, 8, 'a.c', 'g');
    const z = al_calloc_with_context(2, 3n, 9, 'b.c', 'h');
    al_free_with_context(q, 10, 'b.c', 'i');
    al_free_with_context(z, 11n as never, 'b.c', 'j');
    expect(log).toEqual([
      ['mi_malloc', 10, 7, 'a.c', 'f'],
      ['mi_realloc', p, 20, 8, 'a.c', 'g'],
      ['mi_calloc', 2, 3, 9, 'b.c', 'h'],
      ['mi_free', q, 10, 'b.c', 'i'],
      ['mi_free', z, 11, 'b.c', 'j'],
    ]);
  });

  it('captures no call site for an interface that sets callSites: false', () => {
    const log: Call[] = [];
    al_set_memory_interface({ ...spy(log), callSites: false });
    al_free(al_malloc(4));
    expect(log).toEqual([
      ['mi_malloc', 4, 0, '', ''],
      ['mi_free', expect.any(Number), 0, '', ''],
    ]);
  });
});

describe('registration', () => {
  it('set(null) restores the default; the spy is no longer called (4.3.3)', () => {
    const log: Call[] = [];
    al_set_memory_interface(spy(log));
    al_set_memory_interface(null);
    al_free(al_malloc(16));
    expect(log).toEqual([]);
  });

  it('stores the interface by reference: a hook replaced later is used at the next call (4.3.4)', () => {
    const log: Call[] = [];
    const iface = spy(log);
    al_set_memory_interface(iface);
    iface.mi_malloc = () => 0;
    expect(al_malloc(16)).toBe(0);
    expect(log).toEqual([]);
  });

  it('finds a missing hook at the call, not at registration (4.3.5)', () => {
    al_set_memory_interface({} as ALLEGRO_MEMORY_INTERFACE);
    for (const [f, call, hook] of [
      [() => al_malloc(1), 'al_malloc', 'mi_malloc'],
      [() => al_calloc(1, 1), 'al_calloc', 'mi_calloc'],
      [() => al_realloc(0, 1), 'al_realloc', 'mi_realloc'],
      [() => al_free(0), 'al_free', 'mi_free'],
    ] as const) {
      expect(refusal(f, TypeError, call)).toContain(`no ${hook} function`);
    }
  });

  it('refuses what is neither an interface nor null', () => {
    for (const bad of [undefined, 5, 'iface', () => 0]) {
      refusal(() => al_set_memory_interface(bad as never), TypeError, 'al_set_memory_interface');
    }
  });
});

describe('mismatch detection (4.3.6)', () => {
  it('refuses a block of the default heap freed through an interface, and back', () => {
    const log: Call[] = [];
    const p = al_malloc(32);
    const iface = spy(log);
    al_set_memory_interface(iface);
    const before = figures();
    expect(refusal(() => al_free(p), InterfaceMismatchError, 'al_free')).toContain(
      'the default allocator',
    );
    refusal(() => al_realloc(p, 64), InterfaceMismatchError, 'al_realloc');
    const q = al_malloc(8);
    al_set_memory_interface(null);
    refusal(() => al_free(q), InterfaceMismatchError, 'al_free');
    expect(log.map((c) => c[0])).toEqual(['mi_malloc']);
    al_free(p);
    al_set_memory_interface(iface);
    al_free(q);
    expect(figures()[0]).toBe(before[0]! - 1);
  });

  it('is an InvalidPointerError, and knows a block moved by realloc', () => {
    const a = countingInterface(heapInterface(defaultHeap()));
    al_set_memory_interface(a);
    const p = al_malloc(8);
    const q = al_realloc(p, 5000);
    al_set_memory_interface(null);
    expect(() => al_free(q)).toThrow(InvalidPointerError);
    al_set_memory_interface(a);
    al_free(q);
    expect(a.counts().live).toBe(0);
  });

  it('leaves a block alone that was not allocated through al_*', () => {
    const p = mallocBytes(16)() as number;
    al_set_memory_interface(heapInterface(defaultHeap()));
    al_free(p);
  });
});

describe('bad input', () => {
  const withSpy = [false, true];
  it.each(withSpy)('errors name the call and lose nothing (spy: %s)', (useSpy) => {
    if (useSpy) al_set_memory_interface(spy([]));
    const p = al_malloc(8);
    const before = figures();
    const cases: Array<[() => unknown, new (...a: never[]) => Error, string]> = [
      [() => al_malloc(-1), RangeError, 'al_malloc'],
      [() => al_malloc(1.5), RangeError, 'al_malloc'],
      [() => al_malloc('8' as never), RangeError, 'al_malloc'],
      [() => al_malloc(2n ** 64n), RangeError, 'al_malloc'],
      [() => al_calloc(-1, 2), RangeError, 'al_calloc'],
      [() => al_calloc(2, NaN), RangeError, 'al_calloc'],
      [() => al_free(BigInt(p) as never), TypeError, 'al_free'],
      [() => al_free('8' as never), TypeError, 'al_free'],
      [() => al_free(-8), RangeError, 'al_free'],
      [() => al_free(8.5), RangeError, 'al_free'],
      [() => al_realloc(p, -1), RangeError, 'al_realloc'],
      [() => al_realloc(null as never, 1), TypeError, 'al_realloc'],
      [() => al_malloc_with_context(8, 1.5, 'f', 'g'), RangeError, 'al_malloc_with_context'],
      [() => al_malloc_with_context(8, 2 ** 31, 'f', 'g'), RangeError, 'al_malloc_with_context'],
      [
        () => al_malloc_with_context(8, '1' as never, 'f', 'g'),
        TypeError,
        'al_malloc_with_context',
      ],
      [() => al_malloc_with_context(8, 1, 5 as never, 'g'), TypeError, 'al_malloc_with_context'],
      [() => al_free_with_context(p, 1, 'f', null as never), TypeError, 'al_free_with_context'],
      [
        () => al_calloc_with_context(1, 1, (1n << 40n) as never, 'f', 'g'),
        RangeError,
        'al_calloc_with_context',
      ],
      [
        () => al_realloc_with_context(p, 1, 1, 'f', {} as never),
        TypeError,
        'al_realloc_with_context',
      ],
    ];
    for (const [f, kind, call] of cases) refusal(f, kind, call);
    expect(figures()).toEqual(before);
    defaultHeap().check();
    al_free(p);
  });

  it('refuses a hook result that is not an address', () => {
    for (const r of [undefined, null, -1, 1.5, 8n, '8']) {
      al_set_memory_interface({ ...spy([]), mi_malloc: () => r as never });
      expect(refusal(() => al_malloc(8), TypeError, 'al_malloc')).toContain('mi_malloc returned');
    }
  });

  it('lets a hook’s own error through, and names al_free for a heap’s InvalidPointerError', () => {
    const boom = new Error('boom');
    al_set_memory_interface({
      ...spy([]),
      mi_malloc: () => {
        throw boom;
      },
    });
    expect(() => al_malloc(8)).toThrow(boom);
    al_set_memory_interface(heapInterface(defaultHeap()));
    refusal(() => al_free(8), InvalidPointerError, 'al_free');
  });
});

describe('the counting interface counts what a model counts', () => {
  it('for any sequence of al_* calls', () => {
    type Op =
      | { op: 'malloc'; n: number }
      | { op: 'calloc'; c: number; n: number }
      | { op: 'realloc'; i: number; n: number }
      | { op: 'free'; i: number };
    const op = fc.oneof(
      fc.record({ op: fc.constant('malloc' as const), n: fc.nat(300) }),
      fc.record({ op: fc.constant('calloc' as const), c: fc.nat(5), n: fc.nat(50) }),
      fc.record({ op: fc.constant('realloc' as const), i: fc.nat(), n: fc.nat(400) }),
      fc.record({ op: fc.constant('free' as const), i: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const before = figures();
        const counting = countingInterface(heapInterface(defaultHeap()));
        al_set_memory_interface(counting);
        const model = { mi_malloc: 0, mi_calloc: 0, mi_realloc: 0, mi_free: 0, failed: 0 };
        const live: number[] = [];
        for (const o of ops as Op[]) {
          if (o.op === 'malloc') {
            model.mi_malloc += 1;
            live.push(al_malloc(o.n));
          } else if (o.op === 'calloc') {
            model.mi_calloc += 1;
            live.push(al_calloc(o.c, o.n));
          } else if (o.op === 'realloc') {
            model.mi_realloc += 1;
            const at = live.length === 0 ? -1 : o.i % live.length;
            const q = al_realloc(at < 0 ? 0 : live[at]!, o.n);
            if (at < 0) {
              if (o.n > 0) live.push(q);
            } else if (o.n === 0) live.splice(at, 1);
            else live[at] = q;
          } else {
            model.mi_free += 1;
            if (live.length === 0) al_free(0);
            else al_free(live.splice(o.i % live.length, 1)[0]!);
          }
        }
        expect(live.every((p) => p !== 0)).toBe(true);
        expect(counting.counts()).toEqual({ ...model, live: live.length });
        for (const p of live) al_free(p);
        expect(counting.counts().live).toBe(0);
        al_set_memory_interface(null);
        defaultHeap().check();
        expect(figures()).toEqual(before);
      }),
    );
  });
});
