/**
 * Every bad argument of every function of `foreign-ts/area`, one argument at a time, the others
 * valid (the area's counterpart of test/surface.test.ts): the pool functions throw a
 * `RangeError`, a `TypeError` or one of the library's errors whose message starts with the call,
 * and leave the pool as it was, byte for byte and figure for figure; `create_pool` and
 * `create_pool_etc` never throw, but answer `null` and `B_BAD_VALUE`; `delete_pool` and
 * `put_module` answer `B_ERROR`, `get_module` `null`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_BAD_VALUE,
  B_ERROR,
  B_EXACT_ADDRESS,
  B_FULL_LOCK,
  B_NO_LOCK,
  DeletedPoolError,
  PoolBusyError,
  PoolProtectionError,
  attach_pool,
  create_pool_etc,
  get_module,
  put_module,
  type AreaPool,
  type area_malloc_module_info,
} from 'foreign-ts/area';
import { HeapCorruptionError, InvalidPointerError } from 'foreign-ts/heap';
import { MemoryProtectionError } from 'foreign-ts/memory';
import { thrown } from '../support/thrown.js';
import { RW, area, expectRefused, newPool } from './helpers.js';

let a: area_malloc_module_info;
let pool: AreaPool;
beforeAll(() => {
  a = area();
  pool = newPool(a, 1 << 20);
});
afterAll(() => {
  put_module(B_AREA_MALLOC_MODULE_NAME);
});

type Bad = readonly [label: string, value: (pool: AreaPool) => unknown];
const bad = (label: string, value: unknown): Bad => [label, () => value];

const MISSING = [bad('undefined', undefined), bad('null', null)];
const SIZES: Bad[] = [
  ...MISSING,
  bad('string', '8'),
  bad('object', {}),
  bad('negative', -1),
  bad('fractional', 1.5),
  bad('NaN', Number.NaN),
  bad('Infinity', Infinity),
  bad('not safe', 2 ** 53),
  bad('negative bigint', -1n),
  bad('bigint not safe', 2n ** 53n),
];
const ALIGNMENTS: Bad[] = [
  ...SIZES,
  bad('zero', 0),
  bad('not a power of two', 24),
  bad('above 2^30', 2 ** 31),
  bad('bigint not a power of two', 12n),
];
const POINTERS: Bad[] = [
  ...MISSING,
  bad('string', '8'),
  bad('object', {}),
  ['bigint', (p) => BigInt(p.malloc(8))],
  bad('negative', -8),
  bad('fractional', 1.5),
  bad('NaN', Number.NaN),
  bad('unaligned', 3),
  bad('outside the pool', 2 ** 31),
  ['inside a block', (p) => p.malloc(64) + 8],
  [
    'freed (in the cache)',
    (p) => {
      const q = p.malloc(24);
      p.free(q);
      return q;
    },
  ],
  [
    'freed (in the heap)',
    (p) => {
      const q = p.malloc(5000);
      p.free(q);
      return q;
    },
  ],
];
/** `usableSize` has no NULL to accept. */
const BLOCKS: Bad[] = [...POINTERS, bad('NULL', 0)];
const NOT_POOLS: Bad[] = [
  ...MISSING,
  bad('number', 1),
  bad('string', 'pool'),
  bad('object', {}),
  bad('a shared pool', { kind: 'foreign-ts/area pool' }),
];

interface Line {
  readonly call: string;
  /** One list of bad values per argument. */
  readonly params: readonly (readonly Bad[])[];
  /** The valid arguments (fresh for each call). */
  readonly valid: (p: AreaPool) => unknown[];
  readonly run: (p: AreaPool, args: unknown[]) => unknown;
}

const POOL_FUNCTIONS: Line[] = [
  { call: 'malloc', params: [SIZES], valid: () => [8], run: (p, [n]) => p.malloc(n as number) },
  {
    call: 'calloc',
    params: [SIZES, SIZES],
    valid: () => [2, 8],
    run: (p, [c, n]) => p.calloc(c as number, n as number),
  },
  {
    call: 'realloc',
    params: [POINTERS, SIZES],
    valid: (p) => [p.malloc(8), 16],
    run: (p, [q, n]) => p.realloc(q as number, n as number),
  },
  {
    call: 'free',
    params: [POINTERS],
    valid: (p) => [p.malloc(8)],
    run: (p, [q]) => p.free(q as number),
  },
  {
    call: 'alignedAlloc',
    params: [ALIGNMENTS, SIZES],
    valid: () => [64, 8],
    run: (p, [al, n]) => p.alignedAlloc(al as number, n as number),
  },
  {
    call: 'usableSize',
    params: [BLOCKS],
    valid: (p) => [p.malloc(8)],
    run: (p, [q]) => p.usableSize(q as number),
  },
  {
    call: 'share',
    params: [
      [
        bad('null', null),
        bad('number', 5),
        bad('string', 'x'),
        bad('protection 1.5', { protection: 1.5 }),
        bad('protection bigint', { protection: 1n }),
        bad('unknown bit', { protection: 3 | 64 }),
      ],
    ],
    valid: () => [{}],
    run: (p, [o]) => p.share(o as never),
  },
];

/** The module's hooks: the same, with the pool as the first argument. */
const HOOKS: Line[] = [
  {
    call: 'malloc',
    params: [NOT_POOLS, SIZES],
    valid: (p) => [p, 8],
    run: (_p, [q, n]) => a.malloc(q as AreaPool, n as number),
  },
  {
    call: 'calloc',
    params: [NOT_POOLS, SIZES, SIZES],
    valid: (p) => [p, 2, 8],
    run: (_p, [q, c, n]) => a.calloc(q as AreaPool, c as number, n as number),
  },
  {
    call: 'realloc',
    params: [NOT_POOLS, POINTERS, SIZES],
    valid: (p) => [p, p.malloc(8), 16],
    run: (_p, [q, r, n]) => a.realloc(q as AreaPool, r as number, n as number),
  },
  {
    call: 'free',
    params: [NOT_POOLS, POINTERS],
    valid: (p) => [p, p.malloc(8)],
    run: (_p, [q, r]) => a.free(q as AreaPool, r as number),
  },
];

const LIBRARY = [
  InvalidPointerError,
  DeletedPoolError,
  PoolProtectionError,
  PoolBusyError,
  MemoryProtectionError,
];

/** The refused call of `line` with argument `i` replaced by `b`: a typed error naming it. */
const refusedCall = (line: Line, i: number, b: Bad): void => {
  const args = line.valid(pool);
  args[i] = b[1](pool);
  const e = expectRefused(pool, Error, () => line.run(pool, args));
  const typed =
    e instanceof RangeError || e instanceof TypeError || LIBRARY.some((C) => e instanceof C);
  expect(typed, `${line.call} arg ${i + 1} ${b[0]}: ${e.constructor.name}`).toBe(true);
  expect(
    e.message.startsWith(`${line.call}: `),
    `${line.call} arg ${i + 1} ${b[0]}: ${e.message}`,
  ).toBe(true);
};

describe('every bad argument', () => {
  for (const [where, lines] of [
    ['AreaPool', POOL_FUNCTIONS],
    ['the module', HOOKS],
  ] as const) {
    for (const line of lines) {
      it(`${where}: ${line.call} refuses each with a typed error naming it, changing nothing`, () => {
        expect(() => line.run(pool, line.valid(pool))).not.toThrow(); // the valid call works
        line.params.forEach((bads, i) => {
          for (const b of bads) refusedCall(line, i, b);
        });
        pool.check();
      });
    }
  }

  it('attach_pool refuses anything but what share() returned', () => {
    const shared = pool.share();
    const broken = { ...shared, control: new SharedArrayBuffer(256) };
    for (const value of [
      undefined,
      null,
      5,
      'pool',
      {},
      pool,
      { ...shared, kind: 'pool' },
      { ...shared, version: 2 },
      { ...shared, control: new ArrayBuffer(256) },
      { ...shared, source: new ArrayBuffer(65536) },
      { ...shared, protection: 1.5 },
      { ...shared, protection: 64 },
      broken,
    ]) {
      const e = thrown(() => attach_pool(value as never));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toMatch(/^attach_pool: /);
    }
    pool.check();
  });

  it('create_pool and create_pool_etc answer B_BAD_VALUE and null, never throwing', () => {
    const wasm = new WebAssembly.Memory({ initial: 4, maximum: 4 });
    const cases: [string, unknown[]][] = [
      ['address spec string', ['0', 65536, B_FULL_LOCK, RW]],
      ['address spec -1', [-1, 65536, B_FULL_LOCK, RW]],
      ['address spec 1.5', [1.5, 65536, B_FULL_LOCK, RW]],
      ['address spec bigint', [0n, 65536, B_FULL_LOCK, RW]],
      ['size undefined', [B_ANY_ADDRESS, undefined, B_FULL_LOCK, RW]],
      ['size 0', [B_ANY_ADDRESS, 0, B_FULL_LOCK, RW]],
      ['size negative', [B_ANY_ADDRESS, -65536, B_FULL_LOCK, RW]],
      ['size fractional', [B_ANY_ADDRESS, 65536.5, B_FULL_LOCK, RW]],
      ['size NaN', [B_ANY_ADDRESS, Number.NaN, B_FULL_LOCK, RW]],
      ['size string', [B_ANY_ADDRESS, '65536', B_FULL_LOCK, RW]],
      ['size not a page multiple', [B_ANY_ADDRESS, 65537, B_FULL_LOCK, RW]],
      ['lock spec null', [B_ANY_ADDRESS, 65536, null, RW]],
      ['lock spec 7', [B_ANY_ADDRESS, 65536, 7, RW]],
      ['protection undefined', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, undefined]],
      ['protection negative', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, -1]],
      ['protection unknown bit', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW | 64]],
      ['options number', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, 5]],
      ['options null', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, null]],
      ['roundUp string', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, { roundUp: 'yes' }]],
      ['cacheSlots 256', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, { cacheSlots: 256 }]],
      ['cacheSlots 1.5', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, { cacheSlots: 1.5 }]],
      ['cacheSlots string', [B_ANY_ADDRESS, 65536, B_FULL_LOCK, RW, { cacheSlots: '2' }]],
      ['memory missing', [B_EXACT_ADDRESS, 65536, B_NO_LOCK, RW, {}]],
      ['memory a view', [B_EXACT_ADDRESS, 65536, B_NO_LOCK, RW, { memory: new Uint8Array(8) }]],
      [
        'address unaligned',
        [B_EXACT_ADDRESS, 65536, B_NO_LOCK, RW, { memory: wasm, address: 100 }],
      ],
      ['address string', [B_EXACT_ADDRESS, 65536, B_NO_LOCK, RW, { memory: wasm, address: '0' }]],
      [
        'address outside',
        [B_EXACT_ADDRESS, 65536, B_NO_LOCK, RW, { memory: wasm, address: 1 << 20 }],
      ],
    ];
    for (const [label, args] of cases) {
      const [spec, size, lock, protection, options] = args as [
        number,
        number,
        number,
        number,
        never,
      ];
      const result = create_pool_etc(spec, size, lock, protection, options);
      expect(result.status, label).toBe(B_BAD_VALUE);
      expect(result.pool, label).toBeNull();
      expect(result.reason, label).toMatch(/^create_pool: /);
      expect(a.create_pool(spec, size, lock, protection, options), label).toBeNull();
    }
  });

  it('get_module, put_module and delete_pool answer anything with null or B_ERROR', () => {
    for (const value of [undefined, null, 5, '', {}, 'generic/area_malloc/v2']) {
      expect(get_module(value as never)).toBeNull();
      expect(put_module(value as never)).toBe(B_ERROR);
      expect(a.delete_pool(value as never)).toBe(B_ERROR);
    }
    expect(a.minfo.std_ops('1' as never)).toBe(B_ERROR);
    expect(pool.state).toBe('live');
  });

  it('check() names the worker cache it finds damaged', () => {
    const damaged = newPool(a, 65536);
    const p = damaged.malloc(24);
    damaged.free(p); // into this handle's cache, tagged
    const raw = new Uint32Array(damaged.memory.buffer);
    raw[(p + 4) >>> 2] = 0; // the tag is gone
    const e = thrown(() => damaged.check());
    expect(e).toBeInstanceOf(HeapCorruptionError);
    expect((e as Error).message).toMatch(
      /worker cache 0: cached block does not carry its cache tag/,
    );
  });
});
