/**
 * The struct and alloca suites: they run (in --quick mode, through the real command), and their
 * verification step refuses an implementation that writes wrong bytes or reads wrong values, so
 * that a table can never compare wrong code with right code.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { offsetOf, sizeOf, alignment } from 'foreign-ts';
import { runWorkload, type Suite } from '../../bench/harness.js';
import {
  KEYS,
  Particle,
  SIZE,
  dataViewRead,
  dataViewWrite,
  particleBytes,
  particleInputs,
} from '../../bench/lib/particle.js';
import {
  FIELD,
  GENERIC,
  REF,
  decodeWorkload,
  encodeWorkload,
  fieldWorkload,
  type DecodeImpl,
  type EncodeImpl,
  type FieldImpl,
} from '../../bench/suites/struct.js';
import {
  REF as STACK,
  allocaWorkload,
  suite as allocaSuite,
  type AllocaImpl,
} from '../../bench/suites/alloca.js';

const options = { quick: true, runs: 1, warmup: 0 };
const params = { ops: 2048, libraryOps: 2048 };
const fake: Suite = { name: 'struct', title: 'test', reference: REF, workloads: () => [] };

/** A hand-written DataView encoder doing `write` for op `i`. */
const encoder = (
  impl: string,
  write: (dv: DataView, p: number, v: ReturnType<typeof particleInputs>[number], i: number) => void,
): EncodeImpl => ({
  impl,
  padding: 'zeroed',
  encoder(arena, inputs) {
    const dv = new DataView(arena.memory.buffer);
    return (ops) => {
      for (let i = 0; i < ops; i++) write(dv, arena.base + (i & 1023) * SIZE, inputs[i & 1023]!, i);
    };
  },
});

const good = encoder(REF, (dv, p, v) => dataViewWrite(dv, p, v));

describe('the Particle of the benchmark', () => {
  it('is the struct of marshalling-peers.md §3.1, and particleBytes lays it out so', () => {
    expect([sizeOf(Particle), alignment(Particle)]).toEqual([56, 8]);
    expect(KEYS.map((k) => offsetOf(Particle, k))).toEqual([0, 8, 16, 24, 32, 36, 40, 48]);
    const inputs = particleInputs();
    expect(inputs.filter((v, s) => s % 2 === 1 && v.flags < 2n ** 63n)).toEqual([]);
    const v = inputs[3]!;
    const dv = new DataView(particleBytes(v).buffer);
    expect(dataViewRead(dv, 0)).toEqual(v);
    expect(dv.getBigUint64(40, true)).toBe(v.flags);
    expect([...particleBytes(v).subarray(1, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('verification refuses wrong implementations', () => {
  it('an encoder that writes one field wrong, or skips the padding, is refused and not timed', () => {
    const bigEndianId = encoder('big-endian id', (dv, p, v) => {
      dataViewWrite(dv, p, v);
      dv.setInt32(p + 36, v.id, false);
    });
    const noPadding = encoder('padding untouched', (dv, p, v) => {
      const kind = dv.getUint32(p, true);
      dataViewWrite(dv, p, v);
      dv.setUint32(p, (kind & ~0xff) | v.kind, true);
      dv.setUint32(p + 4, 0xa5a5a5a5, true);
    });
    const lossyFlags = encoder('lossy u64', (dv, p, v) => {
      dataViewWrite(dv, p, { ...v, flags: BigInt(Number(v.flags)) });
    });
    const result = runWorkload(
      fake,
      encodeWorkload([good, bigEndianId, noPadding, lossyFlags], params),
      options,
    );
    const [ok, ...bad] = result.results;
    expect(ok?.error).toBeUndefined();
    expect(ok?.nsPerOp).toBeGreaterThan(0);
    for (const r of bad) {
      expect(r.error).toMatch(new RegExp(`${r.impl} refused: wrong bytes \\(slot \\d+, byte \\d+`));
      expect(Number.isNaN(r.nsPerOp)).toBe(true);
    }
    expect(bad[0]?.error).toMatch(/byte 3[6-9]:/);
    expect(bad[1]?.error).toMatch(/slot 0, byte [1-7]:/);
  });

  it('an encoder that goes wrong only after the verification pass is caught after its timed run', () => {
    const late = encoder('wrong after 1024 ops', (dv, p, v, i) =>
      dataViewWrite(dv, p, i < 1024 ? v : { ...v, x: v.x + 1 }),
    );
    const [r] = runWorkload(fake, encodeWorkload([late], params), options).results;
    expect(r?.error).toMatch(
      /wrong after 1024 ops refused: wrong bytes \(slot 0, byte (8|9|1[0-5])/,
    );
  });

  it('a decoder that gives a Number for a uint64, or a typed array for tag, is refused', () => {
    const decoder = (impl: string, fix: (o: any) => unknown): DecodeImpl => ({
      impl,
      decoder(arena, out) {
        const dv = new DataView(arena.memory.buffer);
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & 1023;
            out[s] = fix(dataViewRead(dv, arena.base + s * SIZE));
          }
        };
      },
    });
    const result = runWorkload(
      fake,
      decodeWorkload(
        [
          decoder(REF, (o) => o),
          decoder('koffi-like', (o) =>
            o.flags < 2n ** 53n ? { ...o, flags: Number(o.flags) } : o,
          ),
          decoder('Int16Array tag', (o) => ({ ...o, tag: Int16Array.from(o.tag) })),
          decoder('extra key', (o) => ({ ...o, parent: null })),
        ],
        params,
      ),
      options,
    );
    const [ok, numberFlags, typedTag, extraKey] = result.results;
    expect(ok?.error).toBeUndefined();
    expect(numberFlags?.error).toMatch(
      /koffi-like refused: wrong value \(slot 0, flags: .*\(number\)/,
    );
    expect(typedTag?.error).toMatch(/Int16Array tag refused: wrong value \(slot 0, tag:/);
    expect(extraKey?.error).toMatch(/extra key refused: wrong value \(slot 0, keys/);
  });

  it('a field reader that reads the wrong field or a wrong value is refused', () => {
    const reader = (impl: string, at: number): FieldImpl => ({
      impl,
      reader(arena, out) {
        const dv = new DataView(arena.memory.buffer);
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & 1023;
            out[s] = dv.getFloat64(arena.base + s * SIZE + at, true);
          }
        };
      },
    });
    const spec = {
      name: 'field peek',
      path: 'y',
      value: (v: { y: number }) => v.y,
      impls: [reader(REF, 16), reader('x instead of y', 8), reader('misplaced', 17)],
    };
    const [ok, x, misplaced] = runWorkload(fake, fieldWorkload(spec, params), options).results;
    expect(ok?.error).toBeUndefined();
    expect(x?.error).toMatch(/x instead of y refused: slot 0: expected/);
    expect(misplaced?.error).toMatch(/misplaced refused: slot 0/);
  });

  it('an alloca implementation that reads wrong values or leaves the stack open is refused', () => {
    const byHand = (impl: string, release: boolean, flip: boolean): AllocaImpl => ({
      impl,
      make(arena, inputs, out) {
        const { stack } = arena.context;
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & 1023;
            const mark = stack.mark();
            const p = stack.alloc(SIZE, 8);
            const dv = arena.memory.views.dv;
            dataViewWrite(dv, p, inputs[s]!);
            const o = dataViewRead(dv, p);
            out[s] = flip ? { ...o, id: -o.id } : o;
            if (release || i % 1024 !== 1023) stack.release(mark);
          }
        };
      },
    });
    const result = runWorkload(
      allocaSuite,
      allocaWorkload(
        [byHand(STACK, true, false), byHand('wrong id', true, true), byHand('leaks', false, false)],
        { ops: 2048, slowOps: 2048 },
      ),
      options,
    );
    const [ok, wrong, leaks] = result.results;
    expect(ok?.error).toBeUndefined();
    expect(wrong?.error).toMatch(/wrong id refused: wrong value \(slot \d+, id:/);
    expect(leaks?.error).toMatch(/leaks refused: the stack was left with 1 mark/);
  });
});

describe('the suites run', () => {
  it('npm run bench -- struct alloca --quick --json: every cell verified and timed', () => {
    const stdout = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'bench/run.ts', 'struct', 'alloca', '--quick', '--json'],
      { encoding: 'utf8', timeout: 110_000 },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.every((l) => l.error === undefined && l.nsPerOp > 0 && l.quick === true)).toBe(
      true,
    );
    const impls = (suite: string, workload: string): string[] =>
      lines.filter((l) => l.suite === suite && l.workload === workload).map((l) => l.impl);
    for (const workload of ['poke', 'peek']) {
      expect(impls('struct', workload)).toEqual(
        expect.arrayContaining([REF, 'typed arrays', 'restructure', '@solana/buffer-layout']),
      );
    }
    expect(impls('struct', 'poke')).toEqual(
      expect.arrayContaining(['foreign-ts poke', 'foreign-ts unchecked.poke']),
    );
    expect(impls('struct', 'peek')).toContain('foreign-ts peek');
    expect(impls('struct', 'field peek')).toEqual([
      FIELD,
      GENERIC,
      'foreign-ts peekByteOff',
      'CDouble.read at the offset',
      REF,
    ]);
    expect(impls('struct', 'nested field peek')).toEqual([
      FIELD,
      GENERIC,
      'Int16.read at the offset',
      REF,
    ]);
    expect(impls('alloca', 'alloca')).toEqual([
      'alloca program',
      STACK,
      'Heap by hand',
      'alloca + IO.flatMap',
    ]);
    const targets = lines.flatMap((l) => l.targets ?? []);
    expect(targets.length).toBeGreaterThanOrEqual(9);
    expect(targets.every((t: { pass: unknown }) => typeof t.pass === 'boolean')).toBe(true);
  });
});
