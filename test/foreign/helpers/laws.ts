/**
 * The Storable laws (quickcheck-classes' storableLaws) as one fast-check property, over a
 * memory, at aligned and unaligned addresses:
 *   Set-Get:   poke then peek returns the value (or `expected(value)`, e.g. Math.fround); a
 *              union in it may come back as an earlier member that holds the same bytes;
 *   Get-Set:   peek then poke changes no byte;
 *   Set-Set:   poke twice keeps the last (the bytes are those of the last poke alone);
 *   ElemOff:   pokeElemOff / peekElemOff p i = poke / peek at p + i * sizeOf;
 *   ByteOff:   pokeByteOff / peekByteOff p off = poke / peek at p + off.
 */
import fc from 'fast-check';
import * as t from 'io-ts';
import { expect } from 'vitest';
import { Memory } from '../../../src/memory/index.js';
import {
  compileLayout,
  peekPoke,
  wordPtrToPtr,
  type LayoutCompiler,
  type Storable,
} from '../../../src/foreign/index.js';
import { sameUpToUnions, sameValue } from './arbitrary.js';

/** `S` with the reader, writer and check compiled by `how` (the instance itself: 'own'). */
export const withCompiler = <A>(S: Storable<A>, how: LayoutCompiler | 'own'): Storable<A> => {
  if (how === 'own') return S;
  const c = compileLayout(S, how);
  const codec = new t.Type<A, A, unknown>(
    S.codec.name,
    c.is,
    (u, ctx) => S.codec.validate(u, ctx),
    t.identity,
  );
  return { ...S, read: c.read, write: c.write, codec };
};

const memory = Memory.create({ initialBytes: 1 << 20 });
const io = peekPoke(memory);
const bytes = (p: number, n: number): Uint8Array => memory.views.u8.slice(p, p + n);
const hex = (u8: Uint8Array): string => Buffer.from(u8).toString('hex');

export interface LawOptions {
  readonly numRuns?: number;
  /** What peek returns after poking `a` (default `a`). */
  readonly expected?: (a: any) => unknown;
}

/** Asserts the Storable laws of `S` for the values of `value`. */
export const assertStorableLaws = <A>(
  S: Storable<A>,
  value: fc.Arbitrary<A>,
  options: LawOptions = {},
): void => {
  const size = S.sizeOf;
  const expected = options.expected ?? ((a: A) => a);
  const room = Math.max(size, 1);
  fc.assert(
    fc.property(
      value,
      value,
      fc.integer({ min: 0, max: 4096 }),
      fc.integer({ min: -3, max: 3 }),
      fc.integer({ min: 0, max: 255 }),
      (a, b, at, i, junk) => {
        const base = 8192 + 4 * room + at;
        const p = wordPtrToPtr<A>(base);
        memory.views.u8.fill(junk, base - 4 * room, base + 5 * room);

        // Set-Get
        io.poke(S, p, a)();
        const got = io.peek(S, p)();
        expect(sameUpToUnions(S, got, expected(a)), 'peek after poke').toBe(true);

        // Get-Set
        const before = hex(bytes(base, size));
        io.poke(S, p, io.peek(S, p)())();
        expect(hex(bytes(base, size))).toBe(before);

        // Set-Set: poke b then a over junk = poke a over zeros
        io.poke(S, p, b)();
        io.poke(S, p, a)();
        const twice = hex(bytes(base, size));
        memory.views.u8.fill(0, base, base + size);
        io.poke(S, p, a)();
        expect(twice).toBe(hex(bytes(base, size)));

        // ElemOff and ByteOff agree with peek / poke at the computed address
        const q = wordPtrToPtr<A>(base + i * size);
        io.pokeElemOff(S, p, i, b)();
        const viaElem = hex(bytes(q, size));
        expect(sameValue(io.peekElemOff(S, p, i)(), io.peek(S, q)())).toBe(true);
        io.poke(S, q, b)();
        expect(hex(bytes(q, size))).toBe(viaElem);
        io.pokeByteOff(S, p, i * 3, a)();
        const r = wordPtrToPtr<A>(base + i * 3);
        const viaByte = hex(bytes(r, size));
        expect(sameValue(io.peekByteOff(S, p, i * 3)(), io.peek(S, r)())).toBe(true);
        io.poke(S, r, a)();
        expect(hex(bytes(r, size))).toBe(viaByte);
      },
    ),
    { numRuns: options.numRuns ?? 60 },
  );
};

/**
 * Get-Set over arbitrary bytes: where peek succeeds, poking the result back changes no byte
 * (for instances with one encoding per value and no padding).
 */
export const assertGetSetOnBytes = (
  S: Storable<any>,
  options: { numRuns?: number; skip?: (a: unknown) => boolean } = {},
): void => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: S.sizeOf, maxLength: S.sizeOf }),
      fc.integer({ min: 0, max: 7 }),
      (raw, at) => {
        const base = 100_000 + at;
        memory.views.u8.set(raw, base);
        const p = wordPtrToPtr<any>(base);
        const got = io.peek(S, p)();
        if (options.skip?.(got) === true) return;
        io.poke(S, p, got)();
        expect(hex(bytes(base, S.sizeOf))).toBe(hex(raw));
      },
    ),
    { numRuns: options.numRuns ?? 100 },
  );
};

export { memory as lawMemory };
