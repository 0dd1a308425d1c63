/**
 * heapBlocks and heapMap (src/heap/map.ts): the blocks of any heap, in address order, agree
 * with its statistics and its check, whatever a program did to it; the SVG holds one group per
 * block, to scale; the committed picture of the docs is what the demo heap draws now.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Heap, Memory, heapBlocks, heapMap, type HeapBlock } from '../../src/index.js';
import { DEMO_TITLE, demoHeap } from '../../scripts/lib/heap-demo.js';
import { ROOT } from '../../scripts/lib/run-ts.js';

const program = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('malloc' as const), size: fc.integer({ min: 0, max: 5000 }) }),
    fc.record({ op: fc.constant('free' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('realloc' as const), pick: fc.nat(), size: fc.nat(9000) }),
  ),
  { maxLength: 60 },
);

const run = (heap: Heap, ops: fc.Arbitrary<any> extends fc.Arbitrary<infer T> ? T : never) => {
  const live: number[] = [];
  for (const o of ops as Array<{ op: string; size?: number; pick?: number }>) {
    if (o.op === 'malloc') {
      const p = heap.malloc(o.size!);
      if (p !== 0) live.push(p);
    } else if (live.length > 0) {
      const i = o.pick! % live.length;
      if (o.op === 'free') heap.free(live.splice(i, 1)[0]!);
      else {
        const q = heap.realloc(live[i]!, o.size!);
        if (o.size === 0)
          live.splice(i, 1); // realloc to 0 frees
        else if (q !== 0) live[i] = q;
      }
    }
  }
};

/** What the blocks say, in the terms of stats(). */
const figures = (blocks: HeapBlock[]) => ({
  heapBytes: blocks.reduce((n, b) => n + b.size, 0),
  liveBlocks: blocks.filter((b) => b.kind === 'used').length,
  liveBytes: blocks.filter((b) => b.kind === 'used').reduce((n, b) => n + b.size, 0),
  freeBlocks: blocks.filter((b) => b.kind === 'free' || b.kind === 'cached').length,
  freeBytes: blocks
    .filter((b) => b.kind === 'free' || b.kind === 'cached')
    .reduce((n, b) => n + b.size, 0),
});

describe('heapBlocks', () => {
  it('covers the region without gap from the control block to the sentinel, and agrees with stats()', () => {
    fc.assert(
      fc.property(program, fc.boolean(), fc.boolean(), (ops, shared, checked) => {
        const heap = Heap.create({ shared, checked, maxBytes: 1 << 20 });
        run(heap, ops);
        heap.check();
        const blocks = heapBlocks(heap);
        const s = heap.stats();
        expect(blocks[0]).toMatchObject({ address: heap.base, kind: 'control' });
        expect(blocks.at(-1)).toMatchObject({ kind: 'sentinel', size: 4 });
        blocks
          .slice(1)
          .forEach((b, i) => expect(b.address).toBe(blocks[i]!.address + blocks[i]!.size));
        expect(blocks.filter((b) => b.kind === 'bitmap').length).toBe(checked ? 1 : 0);
        expect(figures(blocks)).toEqual({
          heapBytes: s.heapBytes,
          liveBlocks: s.liveBlocks,
          liveBytes: s.liveBytes,
          freeBlocks: s.freeBlocks,
          freeBytes: s.freeBytes,
        });
      }),
      { numRuns: 60 },
    );
  });

  it('reads a heap at another base, and a snapshot of its bytes the same way', () => {
    const memory = Memory.create({ initialBytes: 1 << 17 });
    const heap = Heap.over(memory, { base: 4096, size: 65536 });
    heap.malloc(100);
    const blocks = heapBlocks(heap);
    expect(blocks[0]).toMatchObject({ address: 4096, kind: 'control' });
    const copy = new ArrayBuffer(memory.byteLength);
    new Uint8Array(copy).set(memory.views.u8);
    expect(heapBlocks(Heap.attach(Memory.from(copy), { base: 4096 }))).toEqual(blocks);
  });

  it('refuses what is not a heap, naming the call', () => {
    for (const bad of [undefined, null, {}, Memory.create()]) {
      expect(() => heapBlocks(bad as never)).toThrow(/^heapBlocks: /);
      expect(() => heapMap(bad as never)).toThrow(/^heapMap: /);
    }
  });
});

describe('heapMap', () => {
  it('draws one group per block, with its kind, address and size, to scale', () => {
    const heap = Heap.create();
    run(heap, [
      { op: 'malloc', size: 100 },
      { op: 'malloc', size: 3000 },
      { op: 'malloc', size: 20 },
      { op: 'free', pick: 1 },
    ] as never);
    const blocks = heapBlocks(heap);
    const first = blocks.find((b) => b.kind === 'used')!;
    const svg = heapMap(heap, { width: 1000, rowBytes: 8192, title: 'a <heap> & more' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="1000"')).toBe(true);
    expect(svg).toContain('a &lt;heap&gt; &amp; more');
    const groups = [
      ...svg.matchAll(/<g data-kind="(\w+)" data-address="(\d+)" data-size="(\d+)">/g),
    ];
    expect(
      groups.map(([, kind, address, size]) => ({ kind, address: +address!, size: +size! })),
    ).toEqual(blocks);
    // the widths of a block's rectangles add up to its bytes at 980 px per 8192 bytes
    const used = svg
      .split('<g ')
      .find((g) => g.startsWith('data-kind="used" data-address="' + first.address))!;
    const widths = [...used.matchAll(/ width="([\d.]+)"/g)].map(([, w]) => Number(w));
    expect(widths.reduce((a, w) => a + w, 0)).toBeCloseTo((first.size * 980) / 8192, 1);
  });

  it('splits a block that crosses the end of a row', () => {
    const heap = Heap.create();
    heap.malloc(20000);
    const svg = heapMap(heap, { rowBytes: 4096 });
    const big = svg.split('<g ').find((g) => g.startsWith('data-kind="used"'))!;
    expect([...big.matchAll(/<rect /g)].length).toBeGreaterThanOrEqual(5);
  });

  it('refuses bad options, naming the call, and takes bigint sizes', () => {
    const heap = Heap.create();
    expect(() => heapMap(heap, null as never)).toThrow(/^heapMap: options/);
    expect(() => heapMap(heap, { width: 10 })).toThrow(RangeError);
    expect(() => heapMap(heap, { rowBytes: 12 })).toThrow(
      /^heapMap: rowBytes must be a multiple of 8/,
    );
    expect(() => heapMap(heap, { title: 5 as never })).toThrow(TypeError);
    expect(heapMap(heap, { width: 400n, rowBytes: 4096n })).toBe(
      heapMap(heap, { width: 400, rowBytes: 4096 }),
    );
  });

  it('docs/heap-map.svg is what `npm run heap-map -- --demo` draws now', () => {
    const committed = readFileSync(join(ROOT, 'docs/heap-map.svg'), 'utf8');
    expect(committed, 'run npm run heap-map -- --demo docs/heap-map.svg').toBe(
      heapMap(demoHeap(), { title: DEMO_TITLE }),
    );
  });
});
