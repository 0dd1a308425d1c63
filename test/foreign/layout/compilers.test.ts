/**
 * Code generation and the interpreter do the same work: over random layouts and values they
 * write the same bytes, read the same values, throw the same errors on bad bytes, and accept the
 * same values; and the Storable laws hold for both.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Memory } from '../../../src/memory/index.js';
import {
  CDouble,
  CInt,
  Char,
  array,
  codegenAvailable,
  compileLayout,
  getLayoutCompiler,
  lp64,
  setLayoutCompiler,
  struct,
  wasm32,
  type LayoutCompiler,
  type Storable,
} from '../../../src/foreign/index.js';
import { marshalErrorOf, MarshalError } from '../../../src/foreign/storable/marshal-error.js';
import { JUNK, layoutArb, mutate, runs, sameValue, valueOf } from '../helpers/arbitrary.js';
import { assertStorableLaws, withCompiler } from '../helpers/laws.js';

const memory = Memory.create({ initialBytes: 1 << 20 });
const hex = (p: number, n: number): string =>
  Buffer.from(memory.views.u8.slice(p, p + n)).toString('hex');

const layouts = fc.oneof(layoutArb(wasm32), layoutArb(lp64));

const both = (S: Storable<any>) => ({
  gen: compileLayout(S, 'codegen'),
  int: compileLayout(S, 'interpreter'),
});

const outcome = (f: () => unknown): { value?: unknown; error?: string } => {
  try {
    return { value: f() };
  } catch (e) {
    return { error: e instanceof MarshalError ? `MarshalError: ${e.message}` : String(e) };
  }
};

describe('code generation and the interpreter', () => {
  it('write the same bytes and read the same values, at aligned and unaligned addresses', () => {
    fc.assert(
      fc.property(
        layouts.chain((S) => fc.tuple(fc.constant(S), valueOf(S), fc.integer({ min: 0, max: 64 }))),
        ([S, value, offset]) => {
          const { gen, int } = both(S);
          const p = 4096 + offset;
          const q = 4096 * 4 + offset;
          memory.views.u8.fill(0xa5, p, p + S.sizeOf);
          memory.views.u8.fill(0x3c, q, q + S.sizeOf);
          gen.write(memory.views, p, value);
          int.write(memory.views, q, value);
          expect(hex(q, S.sizeOf)).toBe(hex(p, S.sizeOf));
          const a = outcome(() => gen.read(memory.views, p));
          const b = outcome(() => int.read(memory.views, p));
          expect(a.error).toBe(b.error);
          expect(sameValue(a.value, b.value)).toBe(true);
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it('read the same value, or throw the same MarshalError, from arbitrary bytes', () => {
    fc.assert(
      fc.property(
        layouts.chain((S) =>
          fc.tuple(
            fc.constant(S),
            fc.uint8Array({ minLength: S.sizeOf, maxLength: S.sizeOf }),
            fc.nat(7),
          ),
        ),
        ([S, bytes, offset]) => {
          const { gen, int } = both(S);
          const p = 8192 + offset;
          memory.views.u8.set(bytes, p);
          const a = outcome(() => gen.read(memory.views, p));
          const b = outcome(() => int.read(memory.views, p));
          expect(a.error).toBe(b.error);
          expect(sameValue(a.value, b.value)).toBe(true);
        },
      ),
      { numRuns: runs(150) },
    );
  });

  it('accept the same values, and the codec finds an error exactly when they refuse one', () => {
    fc.assert(
      fc.property(
        layouts.chain((S) =>
          fc.tuple(
            fc.constant(S),
            valueOf(S),
            fc.nat(),
            fc.constantFrom(...JUNK),
            fc.boolean(),
            fc.boolean(),
          ),
        ),
        ([S, value, choice, junk, remove, keep]) => {
          const candidate = keep ? value : mutate(value, choice, junk, remove);
          const { gen, int } = both(S);
          const accepted = gen.is(candidate);
          expect(int.is(candidate)).toBe(accepted);
          expect(S.codec.is(candidate)).toBe(accepted);
          expect(S.codec.decode(candidate)._tag).toBe(accepted ? 'Right' : 'Left');
          if (keep) expect(accepted).toBe(true);
          if (!accepted) {
            const error = marshalErrorOf('poke', S.codec, candidate);
            expect(error.errors.length).toBeGreaterThan(0);
            expect(error.message).toMatch(/^poke: value .* does not fit /);
          }
        },
      ),
      { numRuns: runs(300) },
    );
  });

  for (const how of ['codegen', 'interpreter'] as const) {
    it(`keep the Storable laws on random layouts (${how})`, () => {
      fc.assert(
        fc.property(layouts, (S) => {
          assertStorableLaws(withCompiler(S, how), valueOf(S), {
            numRuns: 4,
          });
        }),
        { numRuns: runs(40) },
      );
    });
  }

  it('report the index of a failing element read in a loop', () => {
    const A = array(struct({ n: CInt, c: Char }, 'Item'), 40);
    const p = 12288;
    const { gen } = both(A);
    gen.write(
      memory.views,
      p,
      Array.from({ length: 40 }, (_, n) => ({ n, c: 'a' })),
    );
    memory.views.u32[(p + 37 * 8 + 4) >>> 2] = 0x110000;
    for (const how of ['codegen', 'interpreter'] as const) {
      expect(() => compileLayout(A, how).read(memory.views, p)).toThrow(
        'peek: value 1114112 at value[37].c does not fit Char: above U+10FFFF',
      );
    }
  });

  it('code generation shows its source; the interpreter has none', () => {
    const S = struct({ x: CDouble, y: CDouble });
    expect(compileLayout(S, 'codegen').source).toMatch(/V_f64\[\(p \+ 8\) >>> 3\]/);
    expect(compileLayout(S, 'interpreter').source).toBeUndefined();
  });
});

describe('choosing the compiler', () => {
  afterEach(() => setLayoutCompiler('auto'));

  it('code generation is available in Node, and auto uses it', () => {
    expect(codegenAvailable()).toBe(true);
    expect(getLayoutCompiler()).toBe('auto');
    const S = struct({ a: CInt });
    S.read(memory.views, 0);
    // A generated reader is a function declaration named `read`; the interpreter's are arrows.
    expect(S.read.name).toBe('read');
  });

  it('setLayoutCompiler("interpreter") interprets layouts compiled from then on', () => {
    setLayoutCompiler('interpreter');
    const S = struct({ a: CInt });
    S.write(memory.views, 0, { a: 5 });
    expect(S.read(memory.views, 0)).toEqual({ a: 5 });
    expect(S.read.name).toBe('');
    expect(compileLayout(S).source).toBeUndefined();
  });

  it.each(['fast', '', undefined, 1])('rejects %s', (how) => {
    expect(() => setLayoutCompiler(how as LayoutCompiler)).toThrow(RangeError);
    expect(() => compileLayout(CInt, how === undefined ? ('x' as never) : (how as never))).toThrow(
      RangeError,
    );
  });

  it('falls back to the interpreter where code generation is refused (a CSP without unsafe-eval)', async () => {
    vi.resetModules();
    const F = await import('../../../src/foreign/index.js');
    const refusing = function () {
      throw new EvalError(
        "Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed",
      );
    };
    vi.stubGlobal('Function', refusing);
    try {
      expect(F.codegenAvailable()).toBe(false);
      const P = F.struct({ x: F.CDouble, tag: F.array(F.Int16, 4) });
      const m = Memory.create();
      const { peek, poke } = F.peekPoke(m);
      poke(P, F.wordPtrToPtr(8), { x: 1.5, tag: [1, 2, 3, 4] })();
      expect(peek(P, F.wordPtrToPtr(8))()).toEqual({ x: 1.5, tag: [1, 2, 3, 4] });
      expect(() => F.compileLayout(P, 'codegen')).toThrow(EvalError);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
