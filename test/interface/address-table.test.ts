/**
 * The tables behind a tracking interface: `AddressTable` (open addressing with backward-shift
 * deletion) and `LiveRecords` over it must hold exactly what a `Map` would, under any program,
 * across growth and through the shifts that deletion makes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressTable } from '../../src/interface/address-table.js';
import { LiveRecords } from '../../src/interface/live-records.js';

/** Non-zero addresses: a few 8-aligned ones (so that keys collide and runs form), and any. */
const address = fc.oneof(
  fc.integer({ min: 1, max: 300 }).map((n) => n * 8),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
);

const op = fc.oneof(
  fc.record({ put: address, value: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }),
  fc.record({ remove: address }),
);

describe('AddressTable', () => {
  it('holds what a Map holds, under random programs of put and remove', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400 }), (program) => {
        const table = new AddressTable();
        const model = new Map<number, number>();
        for (const o of program) {
          if ('put' in o) {
            expect(table.put(o.put, o.value, -1)).toBe(model.get(o.put) ?? -1);
            model.set(o.put, o.value);
          } else {
            expect(table.remove(o.remove, -1)).toBe(model.get(o.remove) ?? -1);
            model.delete(o.remove);
          }
          expect(table.size).toBe(model.size);
        }
        const seen = new Map<number, number>();
        table.forEach((p, v) => seen.set(p, v));
        expect(seen).toEqual(model);
        for (const [p] of model) expect(table.has(p)).toBe(true);
        expect(table.has(0)).toBe(false);
      }),
    );
  });
});

describe('LiveRecords', () => {
  it('keeps each record with its address through add, move and delete', () => {
    const recordOp = fc.oneof(
      fc.record({ add: address, size: fc.nat(1000) }),
      fc.record({ from: address, to: address, size: fc.nat(1000) }),
      fc.record({ del: address }),
    );
    fc.assert(
      fc.property(fc.array(recordOp, { maxLength: 300 }), (program) => {
        const records = new LiveRecords();
        const model = new Map<number, { size: number; seq: number; func: string }>();
        let seq = 0;
        for (const o of program) {
          if ('add' in o) {
            seq += 1;
            records.add(o.add, o.size, seq, 'mi_calloc', seq, 'f.ts', `f${seq}`);
            model.set(o.add, { size: o.size, seq, func: `f${seq}` });
          } else if ('from' in o) {
            const r = model.get(o.from);
            expect(records.move(o.from, o.to, o.size)).toBe(r !== undefined);
            if (r !== undefined) {
              model.delete(o.from);
              model.set(o.to, { ...r, size: o.size });
            }
          } else {
            expect(records.delete(o.del)).toBe(model.delete(o.del));
          }
          expect(records.size).toBe(model.size);
        }
        const expected = [...model]
          .map(([address, r]) => ({
            address,
            size: r.size,
            seq: r.seq,
            hook: 'mi_calloc',
            line: r.seq,
            file: 'f.ts',
            func: r.func,
          }))
          .sort((x, y) => x.seq - y.seq);
        expect(records.blocks()).toEqual(expected);
      }),
    );
  });
});
