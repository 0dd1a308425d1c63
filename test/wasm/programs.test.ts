/**
 * The C programs of c/ffi/ through the FFI (test/wasm/programs.ts): qsort with a TypeScript
 * comparator, a linked list both ways, UTF-8 strings, and C calling back with a struct pointer.
 * The browser page test/browser/pages/wasm-ffi.ts runs the same programs on SAMPLE.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SAMPLE,
  expectedCallbacks,
  expectedStrings,
  linkedList,
  qsortRecords,
  runSample,
  sortedRecords,
  structCallbacks,
  utf8Strings,
} from './programs.js';
import { ffi } from './load.js';

const record = fc.record({
  id: fc.integer({ min: 0, max: 1000 }),
  score: fc.integer({ min: -50, max: 50 }).map((n) => n / 4),
  name: fc.string({ maxLength: 11, unit: 'binary-ascii' }).filter((s) => !s.includes('\0')),
});

describe('qsort with a TypeScript comparator', () => {
  it('sorts as the comparator says; C checks the order; nothing is left allocated', () => {
    const ctx = ffi('qsort');
    fc.assert(
      fc.property(fc.array(record, { maxLength: 40 }), (records) => {
        const r = qsortRecords(ctx, records);
        expect(r.sorted).toEqual(sortedRecords(records));
        expect(r.cSaysSorted).toBe(true);
        if (records.length > 1) expect(r.calls).toBeGreaterThan(0);
        expect(ctx.stack.depth).toBe(0);
      }),
      { numRuns: 50 },
    );
  });
});

describe('a linked list', () => {
  it('built from TypeScript, walked and reversed by C; built by C, walked by TypeScript', () => {
    const ctx = ffi('list');
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e6, max: 1e6 }), { maxLength: 30 }), (values) => {
        const r = linkedList(ctx, values);
        expect(r.length).toBe(values.length);
        expect(r.sum).toBe(BigInt(values.reduce((a, b) => a + b, 0)));
        expect(r.middle).toBe(values.length === 0 ? null : values[values.length >> 1]);
        expect(r.reversed).toEqual([...values].reverse());
        expect(r.fromC).toEqual([0, 1, 2, 3, 4].map((i) => values.length + i));
      }),
      { numRuns: 50 },
    );
  });
});

describe('UTF-8 strings', () => {
  it('length, reverse and snprintf agree with TypeScript, truncation included', () => {
    const ctx = ffi('strings');
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }).filter((s) => !s.includes('\0')),
        fc.integer(),
        fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 8),
        fc.integer({ min: 0, max: 100 }),
        (s, x, y, size) => {
          const expected = expectedStrings(s, x, y, size);
          const got = utf8Strings(ctx, s, x, y, size);
          expect(got.length).toBe(expected.length);
          expect(got.reversed).toBe(expected.reversed);
          expect(got.formatted.n).toBe(expected.formatted.n);
          // snprintf may cut a code point in two; the library reads the cut as U+FFFD
          const text = got.formatted.text.replace(/\uFFFD+$/, '');
          expect(expected.formatted.text.replace(/\uFFFD+$/, '').startsWith(text)).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('C calling back with a struct pointer', () => {
  it('TypeScript reads the struct on C stack, and C sees what TypeScript wrote', () => {
    const ctx = ffi('callback');
    for (const n of [0, 1, 5, 40]) expect(structCallbacks(ctx, n)).toEqual(expectedCallbacks(n));
  });
});

describe('the sample the browser page runs', () => {
  it('gives the expected outputs', () => {
    const r = runSample((name) => ffi(name));
    expect(r.qsort.sorted).toEqual(r.qsortExpected);
    expect(r.qsort.layout.c).toEqual(r.qsort.layout.ts);
    expect(r.list.reversed).toEqual([...SAMPLE.list].reverse());
    for (const s of r.strings) expect(s.got).toEqual(s.expected);
    expect(r.callbacks.got).toEqual(r.callbacks.expected);
  });
});
