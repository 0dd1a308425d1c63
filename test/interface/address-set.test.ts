/**
 * The door's record of the blocks it handed out: a bitmap for 8-aligned addresses below 2^32
 * and a `Set` for any other, which must hold exactly what a `Set` would under any program.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../src/interface/address-set.js';

/** Addresses of every kind: low and 8-aligned (the bitmap), odd, above 2^32, and nullPtr. */
const address = fc.oneof(
  fc.nat(4096).map((n) => n * 8),
  fc.nat(1 << 20),
  fc.integer({ min: 2 ** 32 - 64, max: 2 ** 32 + 64 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
);

describe('AddressSet', () => {
  it('holds what a Set holds, under random programs of add and delete', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), address), { maxLength: 200 }), (program) => {
        const set = new AddressSet();
        const model = new Set<number>();
        for (const [adding, p] of program) {
          if (adding) {
            set.add(p);
            if (p !== 0) model.add(p);
          } else {
            expect(set.delete(p)).toBe(model.delete(p));
          }
          expect(set.size).toBe(model.size);
        }
        for (const [, p] of program) expect(set.has(p)).toBe(model.has(p));
      }),
    );
  });

  it('never holds nullPtr, and grows its bitmap to a high address', () => {
    const set = new AddressSet();
    set.add(0);
    expect(set.has(0)).toBe(false);
    expect(set.size).toBe(0);
    const high = 2 ** 32 - 8;
    set.add(high);
    expect(set.has(high)).toBe(true);
    expect(set.has(high - 8)).toBe(false);
    expect(set.delete(high)).toBe(true);
    expect(set.delete(high)).toBe(false);
    expect(set.size).toBe(0);
  });
});
