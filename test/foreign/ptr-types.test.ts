/**
 * The types of pointers, checked by `npm run typecheck`: `Ptr<unknown>` is the top pointer type,
 * `Ptr<any>` converts both ways, other phantom types are exact, a `Ptr` plus a number is a
 * number, and opaque types need no casts and cannot be peeked.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CInt,
  Heap,
  alignPtr,
  castPtr,
  foreign,
  nullPtr,
  plusPtr,
  wasm32,
  wordPtrToPtr,
  type Opaque,
  type Ptr,
} from '../../src/index.js';

type FnBlob = Opaque<'FnBlob'>;
type Window = Opaque<'Window'>;

const { peek, poke, mallocBytes, free } = foreign(Heap.create());

describe('Ptr<unknown> is the top pointer type', () => {
  it('takes every Ptr<A>, and gives none back without a cast', () => {
    const p = 64 as Ptr<{ x: number }>;
    const top: Ptr<unknown> = p;
    const tops: Ptr<unknown>[] = [p, 8 as Ptr<number>, 8 as Ptr<string>, nullPtr];
    // @ts-expect-error: a Ptr<unknown> is not a Ptr<number>
    const back: Ptr<number> = top;
    const cast: Ptr<number> = castPtr<number>(top);
    expect([top, back, cast, tops.length]).toEqual([64, 64, 64, 4]);
  });

  it('keeps the other phantom types exact, and Ptr<any> converting both ways', () => {
    const n = 8 as Ptr<number>;
    // @ts-expect-error: a Ptr<number> is not a Ptr<string>
    const s: Ptr<string> = n;
    const anyP: Ptr<any> = n;
    const again: Ptr<string> = anyP;
    expectTypeOf(alignPtr(n, 8)).toEqualTypeOf<Ptr<number>>();
    expect([s, again]).toEqual([8, 8]);
  });

  it('a Ptr plus a number is a number, a Ptr again only through plusPtr', () => {
    const p = mallocBytes(8)() as Ptr<number>;
    const q = p + 4;
    expectTypeOf(q).toEqualTypeOf<number>();
    // @ts-expect-error: p + 4 is not a Ptr
    poke(CInt, q, 1)();
    poke(CInt, plusPtr<number>(p, 4), 2)();
    expect(peek(CInt, plusPtr(p, 4))()).toBe(2);
    free(p)();
  });
});

describe('opaque types', () => {
  it('give pointers that need no cast, and that cannot be peeked or mixed up', () => {
    const blob: Ptr<FnBlob> = wordPtrToPtr(4096);
    const Slot = wasm32.ptrTo<FnBlob>();
    const p = mallocBytes(4)() as Ptr<Ptr<FnBlob>>;
    poke(Slot, p, blob)();
    const got: Ptr<FnBlob> = peek(Slot, p)();
    expect(got).toBe(4096);
    // @ts-expect-error: an opaque type has no Storable instance
    expect(() => peek(CInt, blob)).toBeTypeOf('function');
    // @ts-expect-error: a Ptr<FnBlob> is not a Ptr<Window>
    const w: Ptr<Window> = blob;
    expect(w).toBe(4096);
    free(p)();
  });
});
