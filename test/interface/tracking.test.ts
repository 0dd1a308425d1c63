/**
 * The tracking interface: its record of live blocks, their call sites (through `al_*` and
 * through a context's door), the report, and its record against the heap's own count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CInt, Heap, contextOf, foreign } from 'foreign-ts';
import {
  al_free,
  al_malloc,
  al_set_memory_interface,
  contextWithInterface,
  heapInterface,
  trackingInterface,
  userCallSite,
} from 'foreign-ts/interface';
import { refusal } from '../support/thrown.js';

describe('trackingInterface', () => {
  it('records blocks with size, order and call site; realloc moves the record', () => {
    const heap = Heap.create();
    const t = trackingInterface(heapInterface(heap));
    expect(t.callSites).toBe(true);
    const a = t.mi_malloc(10, 3, 'a.ts', 'main');
    const b = t.mi_calloc(3, 4, 4, 'a.ts', 'main');
    const c = t.mi_realloc(0, 7, 5, 'b.ts', 'load');
    expect(t.leaks().map((x) => [x.size, x.seq, x.hook, x.line])).toEqual([
      [10, 1, 'mi_malloc', 3],
      [12, 2, 'mi_calloc', 4],
      [7, 3, 'mi_realloc', 5],
    ]);
    const a2 = t.mi_realloc(a, 500, 9, 'c.ts', 'grow');
    expect(t.leaks()[0]).toMatchObject({ address: a2, size: 500, seq: 1, line: 3, file: 'a.ts' });
    t.mi_free(b, 0, '', '');
    expect(t.mi_realloc(c, 0, 0, '', '')).toBe(0);
    t.mi_free(0, 0, '', '');
    expect(t.live).toBe(1);
    expect(t.report()).toBe(
      '1 live block, 500 bytes, from 1 call site:\n  1 block, 500 bytes at main (a.ts:3) [#1]\n',
    );
    t.mi_free(a2, 0, '', '');
    expect(t.report()).toBe('no live blocks\n');
    expect(heap.stats().liveBlocks).toBe(0);
  });

  it('groups the report by call site, most bytes first, with basenames on request', () => {
    const t = trackingInterface(heapInterface(Heap.create()));
    for (let i = 0; i < 7; i++) t.mi_malloc(8, 10, '/x/y/a.ts', 'many');
    t.mi_malloc(100, 20, '/x/y/b.ts', '');
    t.mi_malloc(1, 0, '', '');
    expect(t.report({ basename: true })).toBe(
      '9 live blocks, 157 bytes, from 3 call sites:\n' +
        '  1 block, 100 bytes at <top level> (b.ts:20) [#8]\n' +
        '  7 blocks, 56 bytes at many (a.ts:10) [#1 #2 #3 #4 #5 …]\n' +
        '  1 block, 1 byte at (no call site) [#9]\n',
    );
    expect(t.report()).toContain('(/x/y/a.ts:10)');
  });

  it('a failed allocation or realloc records nothing and keeps the old record', () => {
    const heap = Heap.create({ initialBytes: 65536, maxBytes: 65536 });
    const t = trackingInterface(heapInterface(heap));
    expect(t.mi_malloc(1 << 20, 0, '', '')).toBe(0);
    const p = t.mi_malloc(8, 1, 'a', 'f');
    expect(t.mi_realloc(p, 1 << 20, 0, '', '')).toBe(0);
    expect(t.leaks()).toEqual([
      { address: p, size: 8, seq: 2, hook: 'mi_malloc', line: 1, file: 'a', func: 'f' },
    ]);
    // leaks() gives copies
    (t.leaks()[0] as { size: number }).size = 99;
    expect(t.leaks()[0]!.size).toBe(8);
  });

  it('a base that throws on free keeps the record', () => {
    const heap = Heap.create();
    const t = trackingInterface(heapInterface(heap));
    const p = t.mi_malloc(8, 0, '', '');
    expect(() => t.mi_free(p + 8, 0, '', '')).toThrow();
    expect(t.live).toBe(1);
    t.mi_free(p, 0, '', '');
    heap.check();
  });

  it('refuses bad arguments naming its call', () => {
    refusal(() => trackingInterface(null as never), TypeError, 'trackingInterface');
    refusal(() => trackingInterface({} as never), TypeError, 'trackingInterface');
    const h = heapInterface(Heap.create());
    refusal(() => trackingInterface(h, null as never), TypeError, 'trackingInterface');
    refusal(() => trackingInterface(h, 5 as never), TypeError, 'trackingInterface');
    refusal(
      () => trackingInterface(h, { callSites: 'yes' } as never),
      TypeError,
      'trackingInterface',
    );
    refusal(() => trackingInterface(h).report(null as never), TypeError, 'report');
    expect(trackingInterface(h, { callSites: false }).callSites).toBe(false);
  });

  it("names al_malloc's caller", () => {
    const t = trackingInterface(heapInterface(Heap.create()));
    function loadLevel(): number {
      return al_malloc(16);
    }
    al_set_memory_interface(t);
    const p = loadLevel();
    al_set_memory_interface(null);
    const [block] = t.leaks();
    expect(block).toMatchObject({ size: 16, func: 'loadLevel' });
    expect(block!.file).toMatch(/tracking\.test\.ts$/);
    al_set_memory_interface(t);
    al_free(p);
    al_set_memory_interface(null);
    expect(t.live).toBe(0);
  });

  it("through a context's door: the user's line, however deep the library allocated", () => {
    const heap = Heap.create();
    const t = trackingInterface(heapInterface(heap));
    const api = foreign(contextWithInterface(contextOf(heap), t));
    function leaky(): void {
      api.mallocArray(CInt, 4)();
    }
    leaky();
    api.withArray(CInt, [1, 2, 3], () => () => {
      const inside = t.leaks();
      expect(inside.some((b) => b.func === 'leaky')).toBe(true);
      // the alloca region, taken on the first with*, was taken here
      expect(inside.every((b) => /tracking\.test\.ts$/.test(b.file))).toBe(true);
    })();
    const [leak] = t.leaks().filter((b) => b.func === 'leaky');
    expect(leak).toMatchObject({ size: 16, hook: 'mi_malloc' });
    expect(userCallSite().file).toMatch(/tracking\.test\.ts$/);
  });

  it('without call sites, records blocks with none', () => {
    const heap = Heap.create();
    const t = trackingInterface(heapInterface(heap), { callSites: false });
    const api = foreign(contextWithInterface(contextOf(heap), t));
    api.mallocBytes(8)();
    expect(t.leaks()[0]).toMatchObject({ line: 0, file: '', func: '' });
  });

  it("its live set is the heap's live blocks, under random programs", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('malloc' as const), n: fc.nat(300) }),
            fc.record({ op: fc.constant('calloc' as const), c: fc.nat(10), n: fc.nat(40) }),
            fc.record({ op: fc.constant('realloc' as const), i: fc.nat(), n: fc.nat(600) }),
            fc.record({ op: fc.constant('free' as const), i: fc.nat() }),
          ),
          { maxLength: 60 },
        ),
        (program) => {
          const heap = Heap.create({ initialBytes: 65536, maxBytes: 1 << 18 });
          const t = trackingInterface(heapInterface(heap), { callSites: false });
          const mine: number[] = [];
          const pick = (i: number) => (mine.length === 0 ? 0 : mine[i % mine.length]!);
          for (const s of program) {
            if (s.op === 'malloc' || s.op === 'calloc') {
              const p =
                s.op === 'malloc' ? t.mi_malloc(s.n, 0, '', '') : t.mi_calloc(s.c, s.n, 0, '', '');
              if (p !== 0) mine.push(p);
            } else if (s.op === 'realloc') {
              const p = pick(s.i);
              const q = t.mi_realloc(p, s.n, 0, '', '');
              if (p !== 0 && (q !== 0 || s.n === 0)) mine.splice(mine.indexOf(p), 1);
              if (q !== 0) mine.push(q);
            } else {
              const p = pick(s.i);
              t.mi_free(p, 0, '', '');
              if (p !== 0) mine.splice(mine.indexOf(p), 1);
            }
          }
          heap.check();
          const tracked = t.leaks().map((b) => b.address);
          expect(new Set(tracked)).toEqual(new Set(mine));
          expect(tracked.length).toBe(heap.stats().liveBlocks);
          for (const b of t.leaks())
            expect(heap.usableSize(b.address)).toBeGreaterThanOrEqual(b.size);
        },
      ),
    );
  });
});
