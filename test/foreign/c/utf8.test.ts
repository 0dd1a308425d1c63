import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8Into, utf8Length } from '../../../src/foreign/c/utf8.js';
import { runs } from '../helpers/arbitrary.js';

const encoder = new TextEncoder();
const scalarValue = fc.oneof(
  fc.integer({ min: 0, max: 0x7ff }),
  fc.integer({ min: 0x800, max: 0xffff }).filter((c) => c < 0xd800 || c > 0xdfff),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
);
const wellFormed = fc
  .array(scalarValue, { maxLength: 40 })
  .map((cps) => String.fromCodePoint(...cps));
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

describe('utf8', () => {
  it('encodes well-formed strings as TextEncoder does', () => {
    fc.assert(
      fc.property(wellFormed, (s) => {
        const expected = encoder.encode(s);
        expect(utf8Length(s)).toBe(expected.length);
        const out = new Uint8Array(expected.length + 4);
        expect(encodeUtf8Into(s, out, 2)).toBe(expected.length);
        expect([...out.subarray(2, 2 + expected.length)]).toEqual([...expected]);
      }),
      { numRuns: runs(300) },
    );
  });

  it('gives -1 as the length of strings with lone surrogates', () => {
    expect(utf8Length('a\uD800')).toBe(-1);
    expect(utf8Length('\uDC00b')).toBe(-1);
    expect(utf8Length('\uD83D\uDE00')).toBe(4);
  });

  it('decodes what a fatal TextDecoder decodes, and rejects what it rejects', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (bytes) => {
        const ours = decodeUtf8(bytes, 0, bytes.length);
        let theirs: string | undefined;
        try {
          theirs = decoder.decode(bytes);
        } catch {
          theirs = undefined;
        }
        if (theirs === undefined) expect(ours.ok).toBe(false);
        else expect(ours).toEqual({ ok: true, value: theirs });
      }),
      { numRuns: runs(2000) },
    );
  });

  it('round-trips strings longer than its chunk', () => {
    const s = 'é😀a'.repeat(5000);
    const out = new Uint8Array(utf8Length(s));
    encodeUtf8Into(s, out, 0);
    expect(decodeUtf8(out, 0, out.length)).toEqual({ ok: true, value: s });
  });

  it.each([
    [[0xc0, 0x80], 0],
    [[0x61, 0xed, 0xa0, 0x80], 1],
    [[0xf4, 0x90, 0x80, 0x80], 0],
    [[0xe2, 0x82], 0],
    [[0x61, 0x80], 1],
  ])('reports the offset of a malformed sequence in %j', (bytes, at) => {
    expect(decodeUtf8(new Uint8Array(bytes), 0, bytes.length)).toEqual({ ok: false, at });
  });
});
