/**
 * The heap's hot paths write the layout's constants as numeric literals, each after a comment
 * naming the constant of layout.ts (or the expression of them) it stands for, `/* HEADER_BYTES *\/
 * 4`, so that V8 folds them into the code whether the module is loaded as it is or bundled
 * (src/heap/fast.ts, module comment). This test evaluates every such comment against layout.ts
 * and compares it with the literal after it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as layout from '../../src/heap/layout.js';

/** The files whose literals stand for layout constants. */
const FILES = ['src/heap/fast.ts'];

/** A comment of constant names and operators, then a numeric literal. */
const ANNOTATED =
  /\/\*\s*([A-Z][A-Z0-9_]*(?:[\s()+\-<>|&^~]+[A-Z0-9_]+)*)\s*\*\/\s*(0x[0-9a-fA-F_]+|\d[\d_]*)/g;

/** Any block comment that holds a constant-like name (to catch one that is not followed by a literal). */
const NAMING = /\/\*\s*([A-Z][A-Z0-9_]{2,}[^*]*?)\s*\*\//g;

interface Annotation {
  readonly expression: string;
  readonly literal: number;
}

const names = Object.keys(layout).filter((k) => /^[A-Z][A-Z0-9_]*$/.test(k));
const values = names.map((k) => (layout as Record<string, unknown>)[k]);

/** The value of an expression over the layout's constants (the error, for a name it has not). */
const evaluate = (expression: string): unknown => {
  try {
    return new Function(...names, `return (${expression});`)(...values) as unknown;
  } catch (error) {
    return String(error);
  }
};

const annotations = (source: string): Annotation[] =>
  [...source.matchAll(ANNOTATED)].map((m) => ({
    expression: m[1]!,
    literal: Number(m[2]!.replace(/_/g, '')),
  }));

/** The annotations whose literal is not the value of their expression. */
const mismatches = (source: string): string[] =>
  annotations(source)
    .filter((a) => evaluate(a.expression) !== a.literal)
    .map((a) => `/* ${a.expression} */ ${a.literal} (is ${String(evaluate(a.expression))})`);

describe('literals that stand for layout constants', () => {
  for (const file of FILES) {
    const source = readFileSync(file, 'utf8');

    it(`${file}: every literal equals the constant its comment names`, () => {
      expect(annotations(source).length).toBeGreaterThan(40);
      expect(mismatches(source)).toEqual([]);
    });

    it(`${file}: every comment that names a constant is followed by its literal`, () => {
      const annotated = new Set(annotations(source).map((a) => a.expression));
      const dangling = [...source.matchAll(NAMING)]
        .map((m) => m[1]!)
        .filter((e) => !annotated.has(e));
      expect(dangling).toEqual([]);
    });
  }

  it('a literal that disagrees with its constant is found', () => {
    expect(mismatches('x + /* HEADER_BYTES */ 8 + /* MIN_BLOCK >> AL_BITS */ 2')).toEqual([
      '/* HEADER_BYTES */ 8 (is 4)',
    ]);
    expect(mismatches('/* NO_SUCH_NAME */ 1')).toHaveLength(1);
  });
});
