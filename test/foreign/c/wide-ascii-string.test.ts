import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { refusal, thrown } from '../../support/thrown.js';
import { NullPointerError } from '../../../src/foreign/storable/access.js';
import { MarshalError } from '../../../src/foreign/storable/marshal-error.js';
import { contextOf, type Context } from '../../../src/interface/index.js';
import { cAString, cWString, type CWString } from '../../../src/foreign/c/index.js';
import { marshalAlloc } from '../../../src/foreign/marshal/alloc.js';
import { AllocationError } from '../../../src/foreign/marshal/allocation-error.js';
import { foreign } from '../../../src/foreign/context/index.js';
import { nullPtr, type Ptr } from '../../../src/foreign/ptr.js';
import * as root from '../../../src/index.js';
import { Heap } from '../../../src/heap/index.js';
import { MemoryBoundsError } from '../../../src/memory/index.js';

const setup = (heap: Heap = Heap.create()) => {
  const ctx: Context = contextOf(heap);
  const alloc = marshalAlloc(ctx);
  alloc.allocaBytes(1, () => () => undefined)(); // take the stack's region now
  const ws = cWString(ctx, alloc);
  const as = cAString(ctx, alloc);
  const live = heap.stats().liveBlocks;
  const intact = (): void => {
    heap.check();
    expect(heap.stats().liveBlocks).toBe(live);
    expect(ctx.stack.depth).toBe(0);
  };
  const words = (p: number, n: number): number[] => [
    ...ctx.memory.views.i32.subarray(p / 4, p / 4 + n),
  ];
  const bytes = (p: number, n: number): number[] => [...ctx.memory.views.u8.subarray(p, p + n)];
  return { heap, ctx, alloc, ws, as, intact, words, bytes };
};

const codePoints = (s: string): number[] => [...s].map((c) => c.codePointAt(0)!);
/** Any well-formed string (non-BMP included), with NULs. */
const anyString = fc.string({ unit: 'binary', maxLength: 60 });
const noNul = anyString.map((s) => s.replaceAll('\0', ''));
const latin1 = fc.string({
  unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});

describe('wide strings (UTF-32 wchar_t)', () => {
  it('stores one wchar_t per code point, outside the BMP too (GHC: "a\\128512" is [97,128512])', () => {
    const { ws, alloc, words, intact } = setup();
    const p = ws.newCWString('a😀é𝄞')();
    expect(words(p, 5)).toEqual([97, 0x1f600, 0xe9, 0x1d11e, 0]);
    expect(ws.peekCWString(p)()).toBe('a😀é𝄞');
    alloc.free(p)();
    ws.withCWStringLen('a😀', ([q, n]) => () => {
      expect(n).toBe(2);
      expect(words(q, 2)).toEqual([97, 128512]);
    })();
    intact();
  });

  it('round-trips every string without NUL through newCWString and peekCWString (property)', () => {
    const { ws, alloc, words, intact } = setup();
    fc.assert(
      fc.property(noNul, (s) => {
        const p = ws.newCWString(s)();
        expect(words(p, codePoints(s).length + 1)).toEqual([...codePoints(s), 0]);
        expect(ws.peekCWString(p)()).toBe(s);
        alloc.free(p)();
        expect(ws.withCWString(s, (q) => ws.peekCWString(q))()).toBe(s);
      }),
    );
    intact();
  });

  it('round-trips every string, NULs kept, through the Len forms (property)', () => {
    const { ws, alloc, intact } = setup();
    fc.assert(
      fc.property(anyString, (s) => {
        const sl = ws.newCWStringLen(s)();
        expect(sl[1]).toBe(codePoints(s).length);
        expect(ws.peekCWStringLen(sl)()).toBe(s);
        alloc.free(sl[0])();
        expect(ws.withCWStringLen(s, (l) => ws.peekCWStringLen(l))()).toBe(s);
      }),
    );
    intact();
  });

  it('reads a wchar_t that is no scalar value as U+FFFD', () => {
    const { ws, ctx, alloc, intact } = setup();
    const p = alloc.mallocBytes(20)() as CWString;
    ctx.memory.views.i32.set([0x41, -1, 0xd800, 0x110000, 0], p / 4);
    expect(ws.peekCWString(p)()).toBe('A\ufffd\ufffd\ufffd');
    expect(ws.peekCWStringLen([p, 2n])()).toBe('A\ufffd');
    alloc.free(p)();
    intact();
  });

  it('refuses a lone surrogate, and a NUL in a CWString, allocating nothing', () => {
    const { ws, intact } = setup();
    expect(refusal(() => ws.newCWString('a\ud800b')(), MarshalError, 'newCWString')).toMatch(
      /lone surrogate U\+D800 at index 1/,
    );
    refusal(() => ws.newCWStringLen('\udc00')(), MarshalError, 'newCWStringLen');
    refusal(() => ws.withCWStringLen('\udc00', () => () => 0)(), MarshalError, 'withCWStringLen');
    expect(refusal(() => ws.newCWString('a\0b')(), MarshalError, 'newCWString')).toMatch(
      /embedded NUL at index 1/,
    );
    refusal(() => ws.withCWString('a\0b', () => () => 0)(), MarshalError, 'withCWString');
    refusal(() => ws.newCWString(5 as never)(), MarshalError, 'newCWString');
    refusal(() => ws.either.newCWString(null as never)(), MarshalError, 'either.newCWString');
    intact();
  });

  it('refuses bad pointers and counts', () => {
    const { ws, alloc, intact } = setup();
    const p = ws.newCWString('ab')();
    refusal(() => ws.peekCWString((p + 2) as CWString)(), RangeError, 'peekCWString');
    refusal(() => ws.peekCWStringLen([(p + 1) as CWString, 1])(), RangeError, 'peekCWStringLen');
    refusal(() => ws.peekCWString(nullPtr)(), NullPointerError, 'peekCWString');
    refusal(() => ws.peekCWString(-4 as CWString)(), RangeError, 'peekCWString');
    refusal(() => ws.peekCWString(4n as never)(), TypeError, 'peekCWString');
    refusal(() => ws.peekCWStringLen([p, -1])(), RangeError, 'peekCWStringLen');
    refusal(() => ws.peekCWStringLen([p, 1.5])(), RangeError, 'peekCWStringLen');
    refusal(() => ws.peekCWStringLen([p] as never)(), MarshalError, 'peekCWStringLen');
    refusal(() => ws.peekCWStringLen([nullPtr, 1])(), NullPointerError, 'peekCWStringLen');
    expect(ws.peekCWStringLen([nullPtr, 0])()).toBe('');
    refusal(() => ws.withCWString('x', 5 as never)(), TypeError, 'withCWString');
    alloc.free(p)();
    intact();
  });

  it('peekCWString with no 0 before the end of memory is a MemoryBoundsError', () => {
    const { ws, ctx, intact } = setup(Heap.over(new ArrayBuffer(65536), { base: 0, size: 32768 }));
    ctx.memory.views.i32.fill(0x41, 40000 / 4);
    const caught = thrown(() => ws.peekCWString(40000 as CWString)());
    expect(caught).toBeInstanceOf(MemoryBoundsError);
    expect((caught as Error).message).toMatch(/^peekCWString: /);
    refusal(
      () => ws.peekCWStringLen([65532 as CWString, 2])(),
      MemoryBoundsError,
      'peekCWStringLen',
    );
    intact();
  });

  it('gives nullPtr, or an AllocationError on the left, when there is no room', () => {
    const { ws, intact } = setup(Heap.over(new ArrayBuffer(1 << 17), { base: 0, size: 1 << 17 }));
    const huge = 'x'.repeat(40000);
    expect(ws.newCWString(huge)()).toBe(nullPtr);
    expect(ws.newCWStringLen(huge)()).toEqual([nullPtr, 0]);
    const l = ws.either.newCWString(huge)();
    expect(E.isLeft(l) && l.left).toBeInstanceOf(AllocationError);
    expect(E.isLeft(l) && l.left.message).toMatch(/^either\.newCWString: /);
    const l2 = ws.either.newCWStringLen(huge)();
    expect(E.isLeft(l2) && l2.left.message).toMatch(/^either\.newCWStringLen: /);
    refusal(() => ws.withCWString(huge, () => () => 0)(), AllocationError, 'withCWString');
    intact();
  });

  it('refuses a context or alloc that is not one', () => {
    const { alloc, ctx } = setup();
    refusal(() => cWString({} as never, alloc), TypeError, 'cWString');
    refusal(() => cWString(ctx, {} as never), TypeError, 'cWString');
  });
});

describe('8-bit strings (the CAString functions)', () => {
  it('truncates each code point to its low 8 bits, as GHC ("h\\233\\8364" gives [104,233,172,0])', () => {
    const { as, alloc, bytes, intact } = setup();
    const p = as.newCAString('hé€')();
    expect(bytes(p, 4)).toEqual([104, 233, 172, 0]);
    expect(as.peekCAString(p)()).toBe('hé¬');
    alloc.free(p)();
    as.withCAStringLen('a😀b', ([q, n]) => () => {
      expect(n).toBe(3);
      expect(bytes(q, 3)).toEqual([97, 0, 98]);
    })();
    intact();
  });

  it('round-trips Latin-1 strings (property)', () => {
    const { as, alloc, intact } = setup();
    fc.assert(
      fc.property(latin1, (s) => {
        const sl = as.newCAStringLen(s)();
        expect(sl[1]).toBe(s.length);
        expect(as.peekCAStringLen(sl)()).toBe(s);
        alloc.free(sl[0])();
        const t = s.replaceAll('\0', '');
        const p = as.newCAString(t)();
        expect(as.peekCAString(p)()).toBe(t);
        alloc.free(p)();
        expect(as.withCAString(t, (q) => as.peekCAString(q))()).toBe(t);
      }),
    );
    intact();
  });

  it('reads back any string as its code points truncated (property)', () => {
    const { as, intact } = setup();
    fc.assert(
      fc.property(anyString, (s) => {
        const expected = codePoints(s)
          .map((c) => String.fromCharCode(c & 0xff))
          .join('');
        expect(as.withCAStringLen(s, (l) => as.peekCAStringLen(l))()).toBe(expected);
      }),
    );
    intact();
  });

  it('refuses a NUL, or a char truncating to NUL, in a NUL-terminated string', () => {
    const { as, intact } = setup();
    expect(refusal(() => as.newCAString('a\0')(), MarshalError, 'newCAString')).toMatch(
      /embedded NUL at index 1/,
    );
    expect(refusal(() => as.newCAString('aĀ')(), MarshalError, 'newCAString')).toMatch(
      /U\+0100 at index 1 truncates to a NUL/,
    );
    refusal(() => as.withCAString('😀', () => () => 0)(), MarshalError, 'withCAString');
    refusal(() => as.either.newCAString('\0')(), MarshalError, 'either.newCAString');
    refusal(() => as.newCAStringLen(1 as never)(), MarshalError, 'newCAStringLen');
    expect(
      as.withCAStringLen(
        'a\0',
        ([, n]) =>
          () =>
            n,
      )(),
    ).toBe(2);
    intact();
  });

  it('refuses bad pointers and lengths', () => {
    const { as, intact } = setup();
    refusal(() => as.peekCAString(nullPtr)(), NullPointerError, 'peekCAString');
    refusal(() => as.peekCAString(1.5 as Ptr<number>)(), RangeError, 'peekCAString');
    refusal(() => as.peekCAStringLen([8 as Ptr<number>, -1])(), RangeError, 'peekCAStringLen');
    refusal(() => as.peekCAStringLen('x' as never)(), MarshalError, 'peekCAStringLen');
    refusal(() => as.withCAStringLen('x', null as never)(), TypeError, 'withCAStringLen');
    refusal(() => cAString(null as never, null as never), TypeError, 'cAString');
    intact();
  });

  it('gives nullPtr, or an AllocationError, when there is no room', () => {
    const { as, intact } = setup(Heap.over(new ArrayBuffer(1 << 17), { base: 0, size: 1 << 17 }));
    const huge = 'x'.repeat(200000);
    expect(as.newCAString(huge)()).toBe(nullPtr);
    expect(as.newCAStringLen(huge)()).toEqual([nullPtr, 0]);
    const l = as.either.newCAStringLen(huge)();
    expect(E.isLeft(l) && l.left.message).toMatch(/^either\.newCAStringLen: /);
    intact();
  });
});

describe('bound in foreign(ctx) and the package root', () => {
  it('has every function, and their either flavours', () => {
    const f = foreign(Heap.create());
    const p = f.newCWString('ω😀')();
    expect(f.peekCWString(p)()).toBe('ω😀');
    f.free(p)();
    const e = f.either.newCAString('abc')();
    expect(E.isRight(e)).toBe(true);
    if (E.isRight(e)) {
      expect(f.peekCAString(e.right)()).toBe('abc');
      f.free(e.right)();
    }
    expect(root.withCWStringLen('x😀', root.peekCWStringLen)()).toBe('x😀');
    expect(root.withCAString('abc', root.peekCAString)()).toBe('abc');
    const r = root.either.newCWStringLen('q')();
    if (E.isRight(r)) root.free(r.right[0])();
  });
});
