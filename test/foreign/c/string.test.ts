import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import { describe, expect, it } from 'vitest';
import { refusal, thrown } from '../../support/thrown.js';
import { NullPointerError } from '../../../src/foreign/storable/access.js';
import { contextOf, type Allocator, type Context } from '../../../src/interface/index.js';
import {
  castCCharToChar,
  castCharToCChar,
  castCharToCSChar,
  castCharToCUChar,
  castCSCharToChar,
  castCUCharToChar,
  charIsRepresentable,
  cString,
  type CString,
  type CStringLen,
} from '../../../src/foreign/c/string.js';
import { MarshalError } from '../../../src/foreign/storable/marshal-error.js';
import * as foreignIndex from '../../../src/foreign/index.js';
import { marshalAlloc } from '../../../src/foreign/marshal/alloc.js';
import { AllocationError } from '../../../src/foreign/marshal/allocation-error.js';
import { nullPtr, type Ptr } from '../../../src/foreign/ptr.js';
import { Heap, Stack } from '../../../src/heap/index.js';
import { MemoryBoundsError } from '../../../src/memory/index.js';

/** A heap, its context, and the C string functions bound to it, with the stack region taken. */
const setup = (heap: Heap = Heap.create(), ctx: Context = contextOf(heap)) => {
  const alloc = marshalAlloc(ctx);
  const cs = cString(ctx, alloc);
  alloc.allocaBytes(1, () => () => undefined)(); // take the stack's region now
  const live = heap.stats().liveBlocks;
  /** The heap is sound, nothing leaked, no alloca mark left open. */
  const intact = (): void => {
    heap.check();
    expect(heap.stats().liveBlocks).toBe(live);
    expect(ctx.stack.depth).toBe(0);
  };
  const bytes = (p: number, n: number): number[] => [...ctx.memory.views.u8.subarray(p, p + n)];
  return { heap, ctx, alloc, cs, intact, bytes };
};

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const whatwg = new TextDecoder('utf-8', { ignoreBOM: true });

/** Any well-formed string: any code point, non-BMP included, NUL included. */
const anyString = fc.string({ unit: 'binary', maxLength: 60 });
/** Any well-formed string with NULs often. */
const withNuls = fc.string({
  unit: fc.oneof(fc.constant('\0'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  maxLength: 60,
});
/** Any well-formed string without NUL, code points or graphemes. */
const noNul = fc
  .oneof(anyString, fc.string({ unit: 'grapheme', maxLength: 30 }))
  .map((s) => s.replaceAll('\0', ''));
/** A string with one lone surrogate somewhere in it. */
const withLoneSurrogate = fc
  .tuple(anyString, fc.integer({ min: 0xd800, max: 0xdfff }), anyString)
  .map(([a, c, b]) => a + String.fromCharCode(c) + b);

const expectMarshalError = (f: () => unknown, call: string, text: string | RegExp): void => {
  const caught = thrown(f);
  expect(caught).toBeInstanceOf(MarshalError);
  expect((caught as MarshalError).call).toBe(call);
  expect((caught as MarshalError).message).toMatch(text);
};

describe('Foreign.C.String round trips', () => {
  it('newCString then peekCString gives back any string without NUL', () => {
    const { cs, alloc, intact } = setup();
    fc.assert(
      fc.property(noNul, (s) => {
        const p = cs.newCString(s)();
        expect(p).not.toBe(nullPtr);
        expect(cs.peekCString(p)()).toBe(s);
        alloc.free(p)();
      }),
    );
    intact();
  });

  it('newCString writes the UTF-8 bytes and one NUL', () => {
    const { cs, alloc, bytes, intact } = setup();
    fc.assert(
      fc.property(noNul, (s) => {
        const p = cs.newCString(s)();
        const b = utf8(s);
        expect(bytes(p, b.length + 1)).toEqual([...b, 0]);
        alloc.free(p)();
      }),
    );
    intact();
  });

  it('withCString then peekCString gives back any string without NUL, and releases', () => {
    const { cs, bytes, intact } = setup();
    fc.assert(
      fc.property(noNul, (s) => {
        const got = cs.withCString(s, (p) => () => {
          expect(bytes(p, utf8(s).length + 1)).toEqual([...utf8(s), 0]);
          return cs.peekCString(p)();
        })();
        expect(got).toBe(s);
      }),
    );
    intact();
  });

  it('newCStringLen then peekCStringLen gives back any string, NULs kept, length in bytes', () => {
    const { cs, alloc, bytes, intact } = setup();
    fc.assert(
      fc.property(withNuls, (s) => {
        const [p, n] = cs.newCStringLen(s)();
        expect(p).not.toBe(nullPtr);
        expect(n).toBe(utf8(s).length);
        expect(bytes(p, n)).toEqual(utf8(s));
        expect(cs.peekCStringLen([p, n])()).toBe(s);
        alloc.free(p)();
      }),
    );
    intact();
  });

  it('withCStringLen then peekCStringLen gives back any string, NULs kept', () => {
    const { cs, intact } = setup();
    fc.assert(
      fc.property(withNuls, (s) => {
        const got = cs.withCStringLen(s, ([p, n]) => () => {
          expect(n).toBe(utf8(s).length);
          return cs.peekCStringLen([p, n])();
        })();
        expect(got).toBe(s);
      }),
    );
    intact();
  });

  it("GHC's cstring001: \"Hello World\" and 10 000 × 'a' through with/peek and the Len pair", () => {
    const { cs, alloc, intact } = setup();
    for (const s of ['Hello World', 'a'.repeat(10000)]) {
      expect(cs.withCString(s, cs.peekCString)()).toBe(s);
      expect(cs.withCStringLen(s, cs.peekCStringLen)()).toBe(s);
      const p = cs.newCString(s)();
      expect(cs.peekCString(p)()).toBe(s);
      alloc.free(p)();
    }
    intact();
  });

  it('encodes "h\\u00e9llo\\u20ac" as the 9 bytes GHC measured', () => {
    const { cs, alloc, bytes, intact } = setup();
    const s = 'h\u00e9llo\u20ac';
    const expected = [104, 195, 169, 108, 108, 111, 226, 130, 172];
    const [p, n] = cs.newCStringLen(s)();
    expect(n).toBe(9);
    expect(bytes(p, n)).toEqual(expected);
    alloc.free(p)();
    const q = cs.newCString(s)();
    expect(bytes(q, 10)).toEqual([...expected, 0]);
    alloc.free(q)();
    cs.withCStringLen(s, ([r, m]) => () => {
      expect(m).toBe(9);
      expect(bytes(r, m)).toEqual(expected);
    })();
    const [x, xn] = cs.newCStringLen('xyz')();
    expect(xn).toBe(3);
    alloc.free(x)();
    expect(cs.withCString('h\u00e9', (r) => () => bytes(r, 4))()).toEqual([104, 195, 169, 0]);
    intact();
  });

  it('keeps an embedded NUL in the Len variants (GHC: withCStringLen "ab\\0cd")', () => {
    const { cs, alloc, bytes, intact } = setup();
    expect(cs.withCStringLen('ab\0cd', cs.peekCStringLen)()).toBe('ab\0cd');
    const [p, n] = cs.newCStringLen('ab\0cd')();
    expect(bytes(p, n)).toEqual([97, 98, 0, 99, 100]);
    alloc.free(p)();
    intact();
  });

  it('handles the empty string: a valid NUL for CString, a valid pointer of length 0', () => {
    const { cs, alloc, bytes, intact } = setup();
    const p = cs.newCString('')();
    expect(bytes(p, 1)).toEqual([0]);
    expect(cs.peekCString(p)()).toBe('');
    alloc.free(p)();
    const [q, n] = cs.newCStringLen('')();
    expect(q).not.toBe(nullPtr);
    expect(n).toBe(0);
    expect(cs.peekCStringLen([q, 0])()).toBe('');
    alloc.free(q)();
    expect(cs.withCStringLen('', ([r, m]) => () => [r !== nullPtr, m])()).toEqual([true, 0]);
    expect(cs.peekCStringLen([nullPtr, 0])()).toBe('');
    intact();
  });

  it('works when the memory grows under a new string, and on a SharedArrayBuffer heap', () => {
    for (const heap of [Heap.create(), Heap.create({ shared: true })]) {
      const { cs, alloc, ctx, intact } = setup(heap);
      const s = '\u00e9\u{1F600}'.repeat(30_000); // 180 000 bytes: more than the first 64 KiB
      const before = ctx.memory.byteLength;
      const p = cs.newCString(s)();
      expect(ctx.memory.byteLength).toBeGreaterThan(before);
      expect(cs.peekCString(p)()).toBe(s);
      alloc.free(p)();
      expect(cs.withCStringLen(s, cs.peekCStringLen)()).toBe(s);
      expect(ctx.memory.buffer instanceof SharedArrayBuffer).toBe(heap.shared);
      intact();
    }
  });

  it('allocates through the context allocator: n + 1 bytes for newCString, n for newCStringLen', () => {
    const heap = Heap.create();
    const sizes: number[] = [];
    const spy: Allocator = {
      malloc: (n) => (sizes.push(n), heap.malloc(n)),
      calloc: (c, n) => heap.calloc(c, n),
      realloc: (p, n) => heap.realloc(p, n),
      free: (p) => heap.free(p),
    };
    const ctx: Context = { memory: heap.memory, allocator: spy, stack: new Stack(heap) };
    const { cs, alloc, intact } = setup(heap, ctx);
    alloc.free(cs.newCString('h\u00e9')())();
    alloc.free(cs.newCStringLen('h\u00e9')()[0])();
    cs.withCString('abc', () => () => undefined)();
    cs.withCStringLen('abc', () => () => undefined)();
    expect(sizes).toEqual([4, 3]);
    intact();
  });
});

describe('Foreign.C.String decoding of malformed UTF-8', () => {
  it('replaces each maximal malformed subpart with one U+FFFD', () => {
    const { cs, ctx, alloc, intact } = setup();
    const cases: [number[], string][] = [
      [[0x61, 0xff, 0x62, 0xc3, 0x63], 'a\ufffdb\ufffdc'], // GHC drops these: "abc"
      [[0xc0, 0x80], '\ufffd\ufffd'], // overlong NUL
      [[0xe0, 0x80, 0x80], '\ufffd\ufffd\ufffd'], // overlong
      [[0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'], // encoded surrogate U+D800
      [[0xf4, 0x90, 0x80, 0x80], '\ufffd\ufffd\ufffd\ufffd'], // above U+10FFFF
      [[0xe2, 0x82], '\ufffd'], // truncated euro sign
      [[0xf0, 0x9f, 0x98, 0x41], '\ufffdA'], // truncated emoji, then A
      [[0x80, 0xbf], '\ufffd\ufffd'], // stray continuation bytes
      [[0xef, 0xbb, 0xbf, 0x41], '\ufeffA'], // a BOM is kept (TextDecoder drops it by default)
    ];
    for (const [bytes, expected] of cases) {
      const p = alloc.mallocBytes(bytes.length + 1)();
      ctx.memory.views.u8.set([...bytes, 0], p);
      expect(cs.peekCString(p)()).toBe(expected);
      expect(cs.peekCStringLen([p, bytes.length])()).toBe(expected);
      expect(expected).toBe(whatwg.decode(new Uint8Array(bytes)));
      alloc.free(p)();
    }
    intact();
  });

  it('peekCString decodes any bytes without NUL as TextDecoder does', () => {
    const { cs, ctx, alloc, intact } = setup();
    const p = alloc.mallocBytes(65)();
    fc.assert(
      fc.property(fc.uint8Array({ min: 1, max: 255, maxLength: 64 }), (bytes) => {
        ctx.memory.views.u8.set(bytes, p);
        ctx.memory.views.u8[p + bytes.length] = 0;
        expect(cs.peekCString(p)()).toBe(whatwg.decode(bytes));
      }),
      { numRuns: 500 },
    );
    alloc.free(p)();
    intact();
  });

  it('peekCStringLen decodes any bytes, NULs included, as TextDecoder does', () => {
    const { cs, ctx, alloc, intact } = setup();
    const p = alloc.mallocBytes(64)();
    const lead = fc.constantFrom(0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0x80, 0xbf, 0x00);
    const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), lead);
    fc.assert(
      fc.property(fc.array(byte, { maxLength: 64 }), (list) => {
        const bytes = Uint8Array.from(list);
        ctx.memory.views.u8.set(bytes, p);
        expect(cs.peekCStringLen([p, bytes.length])()).toBe(whatwg.decode(bytes));
      }),
      { numRuns: 500 },
    );
    alloc.free(p)();
    intact();
  });
});

describe('Foreign.C.String at the end of memory', () => {
  /** A 64 KiB memory whose heap covers its first half; the second half is free for the test. */
  const fixed = () => setup(Heap.over(new ArrayBuffer(65536), { base: 0, size: 32768 }));

  it('peekCString with no NUL before the end of memory is a MemoryBoundsError', () => {
    const { cs, ctx, intact } = fixed();
    const u8 = ctx.memory.views.u8;
    u8.fill(0x41, 40000, 65536);
    for (const p of [40000, 65535]) {
      let caught: unknown;
      try {
        cs.peekCString(p as CString)();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(MemoryBoundsError);
      expect((caught as MemoryBoundsError).call).toBe('peekCString');
      expect((caught as Error).message).toMatch(/^peekCString: /);
    }
    expect(() => cs.peekCString(65536 as CString)()).toThrow(MemoryBoundsError);
    u8[65535] = 0;
    expect(cs.peekCString(40000 as CString)()).toBe('A'.repeat(25535));
    expect(cs.peekCString(65535 as CString)()).toBe('');
    intact();
  });

  it('peekCStringLen past the end of memory is a MemoryBoundsError', () => {
    const { cs, intact } = fixed();
    expect(() => cs.peekCStringLen([65530 as CString, 7])()).toThrow(MemoryBoundsError);
    expect(cs.peekCStringLen([65530 as CString, 6])()).toBe('\0'.repeat(6));
    intact();
  });

  it('peekCString finds a NUL beyond views made before the memory grew', () => {
    const buffer = new ArrayBuffer(65536, { maxByteLength: 131072 });
    const { cs, ctx, intact } = setup(Heap.over(buffer, { base: 0, size: 32768 }));
    const stale = ctx.memory.views.u8;
    expect(stale.length).toBe(65536);
    buffer.resize(131072); // grown behind the memory's back, as a WebAssembly module would
    const u8 = new Uint8Array(buffer);
    u8.fill(0x62, 60000, 70000);
    u8[70000] = 0;
    expect(cs.peekCString(60000 as CString)()).toBe('b'.repeat(10000));
    intact();
  });
});

describe('Foreign.C.String argument errors leave the heap intact', () => {
  it('an embedded NUL in newCString or withCString is a MarshalError saying where', () => {
    const { cs, intact } = setup();
    expectMarshalError(() => cs.newCString('ab\0cd')(), 'newCString', /embedded NUL at index 2/);
    expectMarshalError(
      () => cs.newCString('\u20ac\0')(),
      'newCString',
      /embedded NUL at index 1 \(byte 3\)/,
    );
    let ran = false;
    expectMarshalError(
      () => cs.withCString('ab\0cd', () => () => (ran = true))(),
      'withCString',
      /embedded NUL at index 2/,
    );
    expect(ran).toBe(false);
    intact();
  });

  it('a lone surrogate is a MarshalError in every encoder, and nothing is allocated', () => {
    const { cs, intact } = setup();
    let ran = false;
    const body = () => () => (ran = true);
    fc.assert(
      fc.property(withLoneSurrogate, (s) => {
        expectMarshalError(() => cs.newCString(s)(), 'newCString', /lone surrogate U\+D[89A-F]/);
        expectMarshalError(() => cs.newCStringLen(s)(), 'newCStringLen', /lone surrogate/);
        expectMarshalError(() => cs.withCString(s, body)(), 'withCString', /lone surrogate/);
        expectMarshalError(() => cs.withCStringLen(s, body)(), 'withCStringLen', /lone surrogate/);
        expectMarshalError(() => cs.either.newCString(s)(), 'either.newCString', /lone surrogate/);
        expectMarshalError(
          () => cs.either.newCStringLen(s)(),
          'either.newCStringLen',
          /lone surrogate/,
        );
      }),
    );
    expectMarshalError(() => cs.newCString('a\ud800b')(), 'newCString', /U\+D800 at index 1/);
    expect(ran).toBe(false);
    intact();
  });

  it('a value that is not a string is a MarshalError in every encoder', () => {
    const { cs, intact } = setup();
    for (const v of [42, null, undefined, {}, ['a'], 7n]) {
      const s = v as unknown as string;
      expectMarshalError(() => cs.newCString(s)(), 'newCString', /expected a string/);
      expectMarshalError(() => cs.newCStringLen(s)(), 'newCStringLen', /expected a string/);
      expectMarshalError(() => cs.withCString(s, () => () => 0)(), 'withCString', /string/);
      expectMarshalError(() => cs.withCStringLen(s, () => () => 0)(), 'withCStringLen', /string/);
    }
    intact();
  });

  it('bad pointers and lengths are RangeErrors; nullPtr is a NullPointerError', () => {
    const { cs, alloc, intact } = setup();
    for (const p of [-1, 1.5, NaN, Infinity, 2 ** 53, '8'] as unknown as CString[]) {
      expect(() => cs.peekCString(p)()).toThrow(RangeError);
      expect(() => cs.peekCStringLen([p, 1])()).toThrow(RangeError);
    }
    expect(() => cs.peekCString(nullPtr)()).toThrow(NullPointerError);
    expect(() => cs.peekCStringLen([nullPtr, 1])()).toThrow(NullPointerError);
    const p = alloc.mallocBytes<number>(8)();
    for (const n of [-1, 1.5, NaN, 2 ** 53, '3', undefined] as unknown as number[]) {
      expect(() => cs.peekCStringLen([p, n])()).toThrow(/peekCStringLen: length must be/);
    }
    for (const csl of [p, [p], [p, 1, 2], null, 'ab'] as unknown as CStringLen[]) {
      expectMarshalError(() => cs.peekCStringLen(csl)(), 'peekCStringLen', /pair/);
    }
    alloc.free(p)();
    intact();
  });

  it('checks arguments when the program runs, not when it is built', () => {
    const { cs, intact } = setup();
    const program = cs.newCString('a\0b');
    expect(() => cs.peekCString(-1 as CString)).not.toThrow();
    expect(() => program()).toThrow(MarshalError);
    intact();
  });
});

describe('withCString and withCStringLen release their memory', () => {
  const observe = (ctx: Context, heap: Heap) => ({
    depth: ctx.stack.depth,
    used: ctx.stack.used,
    live: heap.stats().liveBlocks,
    liveBytes: heap.stats().liveBytes,
  });

  it('on return, on throw and on a Left, short strings and strings that spill to the heap', () => {
    const { cs, ctx, heap, intact } = setup();
    const before = observe(ctx, heap);
    for (const s of ['short', 'x'.repeat(100_000)]) {
      expect(cs.withCString(s, (p) => () => p !== nullPtr)()).toBe(true);
      expect(observe(ctx, heap)).toEqual(before);
      expect(() =>
        cs.withCString(s, () => () => {
          throw new Error('boom');
        })(),
      ).toThrow('boom');
      expect(observe(ctx, heap)).toEqual(before);
      expect(() =>
        cs.withCStringLen(s, () => () => {
          throw new Error('boom');
        })(),
      ).toThrow('boom');
      expect(observe(ctx, heap)).toEqual(before);
      const left = cs.withCString(s, (): IO<E.Either<string, number>> => () => E.left('no'))();
      expect(left).toEqual(E.left('no'));
      expect(observe(ctx, heap)).toEqual(before);
      const leftLen = cs.withCStringLen(
        s,
        (): IO<E.Either<string, number>> => () => E.left('no'),
      )();
      expect(leftLen).toEqual(E.left('no'));
      expect(observe(ctx, heap)).toEqual(before);
    }
    intact();
  });

  it('nests: each string has its own bytes until its own body ends', () => {
    const { cs, ctx, heap, intact } = setup();
    const before = observe(ctx, heap);
    const got = cs.withCString('outer', (p) =>
      cs.withCStringLen('in\0ner', (q) => () => {
        expect(q[0]).not.toBe(p);
        expect(ctx.stack.depth).toBe(2);
        return [cs.peekCString(p)(), cs.peekCStringLen(q)()];
      }),
    )();
    expect(got).toEqual(['outer', 'in\0ner']);
    expect(observe(ctx, heap)).toEqual(before);
    intact();
  });
});

describe('Foreign.C.String when memory runs out', () => {
  /** A heap that cannot grow past 64 KiB, with a small alloca stack. */
  const small = () => {
    const heap = Heap.create({ initialBytes: 65536, maxBytes: 65536 });
    return setup(heap, contextOf(heap, { size: 1024 }));
  };
  const big = 'x'.repeat(100_000);

  it('newCString and newCStringLen return nullPtr and leak nothing', () => {
    const { cs, heap, intact } = small();
    const failures = heap.stats().failures;
    expect(cs.newCString(big)()).toBe(nullPtr);
    expect(cs.newCStringLen(big)()).toEqual([nullPtr, 0]);
    expect(heap.stats().failures).toBe(failures + 2);
    intact();
  });

  it('the either flavours return an AllocationError naming the call and the size', () => {
    const { cs, alloc, intact } = small();
    const a = cs.either.newCString(big)();
    expect(E.isLeft(a) && a.left).toBeInstanceOf(AllocationError);
    expect(E.isLeft(a) && [a.left.call, a.left.size]).toEqual(['either.newCString', 100_001]);
    const b = cs.either.newCStringLen('\u20ac'.repeat(30_000))();
    expect(E.isLeft(b) && [b.left.call, b.left.size]).toEqual(['either.newCStringLen', 90_000]);
    const c = cs.either.newCString('hi')();
    const d = cs.either.newCStringLen('h\0i')();
    if (E.isLeft(c) || E.isLeft(d)) throw new Error('expected Right');
    expect(cs.peekCString(c.right)()).toBe('hi');
    expect(d.right[1]).toBe(3);
    expect(cs.peekCStringLen(d.right)()).toBe('h\0i');
    alloc.free(c.right)();
    alloc.free(d.right[0])();
    intact();
  });

  it('withCString throws an AllocationError without running the body, and leaks nothing', () => {
    const { cs, intact } = small();
    let ran = false;
    expect(() => cs.withCString(big, () => () => (ran = true))()).toThrow(AllocationError);
    expect(() => cs.withCStringLen(big, () => () => (ran = true))()).toThrow(
      /withCStringLen: cannot allocate 100000 bytes/,
    );
    expect(ran).toBe(false);
    intact();
  });
});

describe('charIsRepresentable', () => {
  it('is true for every scalar value but NUL, false for NUL and lone surrogates', () => {
    for (const c of ['a', '\u00e9', '\u20ac', '\u{1F600}', '\u{10FFFF}', '\x7f']) {
      expect(charIsRepresentable(c)()).toBe(true);
    }
    for (const c of ['\0', '\ud800', '\udbff', '\udc00', '\udfff']) {
      expect(charIsRepresentable(c)()).toBe(false);
    }
  });

  it("agrees with GHC's definition: the char survives withCString then peekCString", () => {
    const { cs, intact } = setup();
    const roundTrips = (c: string): boolean => {
      try {
        return cs.withCString(c, cs.peekCString)() === c;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 0x10ffff }), fc.integer({ min: 0xd7ff, max: 0xe000 })),
        (cp) => {
          const c = String.fromCodePoint(cp);
          expect(charIsRepresentable(c)()).toBe(roundTrips(c));
        },
      ),
    );
    expect(charIsRepresentable('\0')()).toBe(roundTrips('\0'));
    intact();
  });

  it('refuses an argument that is not exactly one code point', () => {
    for (const c of ['', 'ab', '\ud800a', '\u{1F600}x', 42, null] as unknown as string[]) {
      expectMarshalError(() => charIsRepresentable(c)(), 'charIsRepresentable', /./);
    }
  });
});

describe('the Latin-1 casts', () => {
  it('cast chars to signed and unsigned C chars as GHC does', () => {
    expect(castCharToCChar('\xe9')).toBe(-23);
    expect(castCharToCSChar('\xe9')).toBe(-23);
    expect(castCharToCUChar('\xe9')).toBe(233);
    expect(castCharToCChar('\x7f')).toBe(127);
    expect(castCharToCChar('\x80')).toBe(-128);
    expect(castCharToCChar('\xff')).toBe(-1);
    expect(castCharToCUChar('\xff')).toBe(255);
    expect(castCharToCChar('\0')).toBe(0);
    expect(castCharToCUChar('A')).toBe(65);
  });

  it('cast C chars to chars through the unsigned byte', () => {
    expect(castCCharToChar(-1)).toBe('\xff');
    expect(castCSCharToChar(-1)).toBe('\xff');
    expect(castCCharToChar(-23)).toBe('\xe9');
    expect(castCCharToChar(-128)).toBe('\x80');
    expect(castCCharToChar(127)).toBe('\x7f');
    expect(castCUCharToChar(255)).toBe('\xff');
    expect(castCUCharToChar(0)).toBe('\0');
    expect(castCCharToChar(-0)).toBe('\0');
  });

  it('refuse a char above U+00FF with a RangeError naming the call and the char', () => {
    const calls = [castCharToCChar, castCharToCUChar, castCharToCSChar];
    const names = ['castCharToCChar', 'castCharToCUChar', 'castCharToCSChar'];
    calls.forEach((cast, i) => {
      expect(() => cast('\u0100')).toThrow(
        new RegExp(`^${names[i]}: char "\u0100" \\(U\\+0100\\)`),
      );
      expect(() => cast('\u20ac')).toThrow(RangeError);
      expect(() => cast('\u{1F600}')).toThrow(/U\+1F600/);
      for (const bad of ['', 'ab', 65, null] as unknown as string[]) {
        expectMarshalError(() => cast(bad), names[i]!, /./);
      }
    });
  });

  it('refuse a C char outside its range', () => {
    for (const x of [128, -129, 255, 1.5, NaN, Infinity]) {
      expect(() => castCCharToChar(x)).toThrow(/^castCCharToChar: .* is not a CChar/);
      expect(() => castCSCharToChar(x)).toThrow(RangeError);
    }
    for (const x of [256, -1, -128, 0.5, NaN]) {
      expect(() => castCUCharToChar(x)).toThrow(/^castCUCharToChar: .* is not a CUChar/);
    }
    for (const bad of ['1', null, 1n] as unknown as number[]) {
      expectMarshalError(() => castCCharToChar(bad), 'castCCharToChar', /expected a number/);
      expectMarshalError(() => castCUCharToChar(bad), 'castCUCharToChar', /expected a number/);
      expectMarshalError(() => castCSCharToChar(bad), 'castCSCharToChar', /expected a number/);
    }
  });

  it('round-trip every Latin-1 char and every C char value', () => {
    for (let b = 0; b < 256; b++) {
      const c = String.fromCharCode(b);
      expect(castCCharToChar(castCharToCChar(c))).toBe(c);
      expect(castCSCharToChar(castCharToCSChar(c))).toBe(c);
      expect(castCUCharToChar(castCharToCUChar(c))).toBe(c);
      expect(castCharToCUChar(castCUCharToChar(b))).toBe(b);
      expect(castCharToCChar(castCCharToChar(b - 128))).toBe(b - 128);
    }
  });
});

describe('the foreign/ face', () => {
  it('exports the factory, the context-free functions and the types', () => {
    expect(foreignIndex.cString).toBe(cString);
    expect(foreignIndex.charIsRepresentable).toBe(charIsRepresentable);
    expect(foreignIndex.castCharToCChar).toBe(castCharToCChar);
    const p: foreignIndex.CString = 8 as Ptr<number>;
    const csl: foreignIndex.CStringLen = [p, 0];
    expect(csl).toEqual([8, 0]);
  });
});

describe('arguments that are not what they should be', () => {
  it('withCString and withCStringLen refuse a body that is not a function or returns no program', () => {
    const { cs, intact } = setup();
    for (const f of [7, null, () => 7] as unknown as Array<() => IO<number>>) {
      refusal(() => cs.withCString('hi', f)(), TypeError, 'withCString');
      refusal(() => cs.withCStringLen('hi', f)(), TypeError, 'withCStringLen');
    }
    intact();
  });

  it('cString checks its context and its allocation functions', () => {
    const { ctx, alloc } = setup();
    refusal(() => cString({} as never, alloc), TypeError, 'cString');
    refusal(() => cString(ctx, { mallocBytes: () => () => 0 } as never), TypeError, 'cString');
  });
});

describe('Foreign.C.String with bigint lengths and pointers', () => {
  it('a CStringLen length may be a bigint that is a safe integer; a bigint pointer is a TypeError', () => {
    const { cs, alloc, intact } = setup();
    const [p, n] = cs.newCStringLen('hello')();
    expect(cs.peekCStringLen([p, BigInt(n)])()).toBe('hello');
    expect(cs.peekCStringLen([p, 2n])()).toBe('he');
    expect(() => cs.peekCStringLen([p, 2n ** 53n])()).toThrow(/^peekCStringLen: length/);
    expect(() => cs.peekCStringLen([p, -1n])()).toThrow(RangeError);
    for (const run of [
      () => cs.peekCString(BigInt(p) as never)(),
      () => cs.peekCStringLen([BigInt(p) as never, 1])(),
    ]) {
      const error = thrown(run);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^peekCString(Len)?: pointer \d+n is a bigint/);
    }
    alloc.free(p)();
    intact();
  });
});
