/**
 * Model-based property test of the zones: random programs of malloc (plain, with a domainset,
 * with M_ZERO), free (sometimes charged to another type), zfree, realloc, uma_zalloc/uma_zfree
 * and writes, across types and flags, run against the kernel and a model. After every program:
 * the statistics of every type equal the model's (FreeBSD's rules: bucket-rounded sizes, the
 * type passed to free), no two live blocks overlap, every block kept its bytes, the zones' USED
 * columns equal the live items, and check() passes. FOREIGN_TS_LONG=1 runs 20 times as many.
 */
import fc from 'fast-check';
import {
  DOMAINSET_FIXED,
  DOMAINSET_PREF,
  DOMAINSET_RR,
  MALLOC_DEFINE,
  M_NOWAIT,
  M_WAITOK,
  M_ZERO,
  UMA_ALIGN_PTR,
  check,
  free,
  liveBlocks,
  malloc,
  malloc_domainset,
  malloc_usable_size,
  memstat_uma,
  realloc,
  uma_zalloc,
  uma_zcreate,
  uma_zfree,
  zfree,
  type Domainset,
  type MallocType,
} from 'foreign-ts/kernel';
import { describe, expect, it } from 'vitest';
import { kernel, statsOf } from './helpers.js';

const LONG = process.env.FOREIGN_TS_LONG === '1';
const RUNS = LONG ? 400 : 20;

type Command =
  | { op: 'malloc'; size: number; type: number; flags: number; ds: number }
  | { op: 'free'; pick: number; type: number; zero: boolean }
  | { op: 'realloc'; pick: number; size: number; type: number }
  | { op: 'zalloc' }
  | { op: 'zfree'; pick: number }
  | { op: 'write'; pick: number };

const size = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 128 }) },
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 4096 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 65536 }) },
  { weight: 1, arbitrary: fc.integer({ min: 65537, max: 200_000 }) },
);
const TYPES = 3;
const type = fc.integer({ min: 0, max: TYPES - 1 });
const flags = fc.constantFrom(M_WAITOK, M_NOWAIT, M_WAITOK | M_ZERO, M_NOWAIT | M_ZERO);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('malloc' as const),
      size,
      type,
      flags,
      ds: fc.integer({ min: 0, max: 4 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('free' as const),
      pick: fc.nat(),
      type: fc.oneof({ weight: 9, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: type }),
      zero: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('realloc' as const), pick: fc.nat(), size, type }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('zalloc' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('zfree' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('write' as const), pick: fc.nat() }) },
);

const ZONES = [16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];
/** FreeBSD's size class: the zone size, or the page-rounded size. */
const classOf = (n: number): number =>
  n <= 65536 ? ZONES.find((z) => z >= n)! : Math.ceil(n / 4096) * 4096;

interface Block {
  size: number;
  /** Leading bytes whose contents are known (painted with `seed`). */
  painted: number;
  usable: number;
  type: number;
  seed: number;
}

interface TypeModel {
  memalloced: number;
  memfreed: number;
  numallocs: number;
  numfrees: number;
  sizes: Set<number>;
}

const run = (program: Command[]): void => {
  const { k } = kernel({ domains: 2, domainBytes: 8 << 20, initialBytes: 1 << 20 });
  const types: MallocType[] = Array.from({ length: TYPES }, (_, i) => MALLOC_DEFINE(k, `type${i}`));
  const zone = uma_zcreate(k, 'things', 72, null, null, null, null, UMA_ALIGN_PTR, 0);
  const sets: Domainset[] = [
    DOMAINSET_RR(),
    DOMAINSET_FIXED(0),
    DOMAINSET_FIXED(1),
    DOMAINSET_PREF(1),
    DOMAINSET_RR(),
  ];
  const model: TypeModel[] = types.map(() => ({
    memalloced: 0,
    memfreed: 0,
    numallocs: 0,
    numfrees: 0,
    sizes: new Set(),
  }));
  const blocks = new Map<number, Block>();
  const items = new Map<number, number>();
  let seed = 0;
  const paint = (p: number, n: number, s: number) => {
    for (let i = 0; i < n; i++) k.u8[p + i] = (s * 31 + i * 7) & 0xff;
  };
  const holds = (p: number, n: number, s: number) => {
    for (let i = 0; i < n; i++) if (k.u8[p + i] !== ((s * 31 + i * 7) & 0xff)) return false;
    return true;
  };
  const pick = (map: Map<number, unknown>, n: number): number | undefined =>
    map.size === 0 ? undefined : [...map.keys()][n % map.size];
  const allocated = (t: number, n: number, p: number) => {
    const usable = classOf(n);
    if (n <= 65536) model[t]!.sizes.add(usable);
    if (p === 0) return;
    model[t]!.memalloced += usable;
    model[t]!.numallocs += 1;
    expect(malloc_usable_size(k, p)).toBe(usable);
    seed += 1;
    paint(p, Math.min(n, 64), seed);
    blocks.set(p, { size: n, painted: Math.min(n, 64), usable, type: t, seed });
  };
  const freed = (t: number, usable: number) => {
    model[t]!.memfreed += usable;
    model[t]!.numfrees += 1;
  };

  for (const c of program) {
    if (c.op === 'malloc') {
      const p =
        c.ds === 4
          ? malloc(c.size, types[c.type]!, c.flags)
          : malloc_domainset(c.size, types[c.type]!, sets[c.ds]!, c.flags);
      if ((c.flags & M_ZERO) !== 0 && p !== 0)
        expect(k.u8.subarray(p, p + classOf(c.size)).every((b) => b === 0)).toBe(true);
      allocated(c.type, c.size, p);
    } else if (c.op === 'free') {
      const p = pick(blocks, c.pick);
      if (p === undefined) continue;
      const b = blocks.get(p)!;
      expect(holds(p, b.painted, b.seed)).toBe(true);
      const t = c.type < 0 ? b.type : c.type;
      if (c.zero) {
        zfree(p, types[t]!);
        // A freed large block goes to its domain's page cache, which links it by its first word.
        const from = b.usable > 65536 ? 8 : 0;
        expect(k.u8.subarray(p + from, p + b.usable).every((x) => x === 0)).toBe(true);
      } else free(p, types[t]!);
      freed(t, b.usable);
      blocks.delete(p);
    } else if (c.op === 'realloc') {
      const p = pick(blocks, c.pick);
      if (p === undefined) continue;
      const b = blocks.get(p)!;
      const q = realloc(p, c.size, types[c.type]!, M_NOWAIT);
      const inPlace = c.size <= b.usable && c.size > b.usable / 2;
      if (inPlace) {
        expect(q).toBe(p);
        b.size = c.size;
        b.painted = Math.min(b.painted, c.size);
        continue;
      }
      if (c.size <= 65536) model[c.type]!.sizes.add(classOf(c.size));
      if (q === 0) continue;
      const kept = Math.min(b.painted, c.size);
      expect(holds(q, kept, b.seed)).toBe(true);
      blocks.delete(p);
      freed(c.type, b.usable);
      allocated(c.type, c.size, q);
    } else if (c.op === 'zalloc') {
      const p = uma_zalloc(zone, M_NOWAIT);
      if (p === 0) continue;
      seed += 1;
      paint(p, 72, seed);
      items.set(p, seed);
    } else if (c.op === 'zfree') {
      const p = pick(items, c.pick);
      if (p === undefined) continue;
      expect(holds(p, 72, items.get(p)!)).toBe(true);
      uma_zfree(zone, p);
      items.delete(p);
    } else {
      const p = pick(blocks, c.pick);
      if (p === undefined) continue;
      const b = blocks.get(p)!;
      seed += 1;
      b.seed = seed;
      b.painted = Math.min(b.size, 64);
      paint(p, b.painted, seed);
    }
  }
  check(k);
  types.forEach((t, i) => {
    const s = statsOf(t);
    const m = model[i]!;
    expect([s.memalloced, s.memfreed, s.numallocs, s.numfrees]).toEqual([
      m.memalloced,
      m.memfreed,
      m.numallocs,
      m.numfrees,
    ]);
    expect(s.sizes).toEqual([...m.sizes].sort((a, b) => a - b));
  });
  const live = liveBlocks(k);
  expect(live.map((b) => b.address)).toEqual(
    [...blocks.keys(), ...items.keys()].sort((a, b) => a - b),
  );
  for (let i = 1; i < live.length; i++)
    expect(live[i - 1]!.address + live[i - 1]!.size).toBeLessThanOrEqual(live[i]!.address);
  for (const [p, b] of blocks) expect(holds(p, b.painted, b.seed)).toBe(true);
  const used = memstat_uma(k).reduce((n, z) => n + z.used, 0);
  expect(used).toBe(live.filter((b) => b.zone !== 'large').length);
};

describe('the zones against a model', () => {
  it(`${RUNS} random programs of about 400 operations agree with the model`, () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 300, maxLength: 500 }), (program) => run(program)),
      {
        numRuns: RUNS,
      },
    );
  });
});
