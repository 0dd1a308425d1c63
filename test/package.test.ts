/**
 * The package's entry points agree everywhere they are listed: the `exports` map (what
 * consumers get, from dist/), tsconfig.json's `paths` (what tsc, tsx and vitest resolve in
 * development, from src/), and typedoc's entry points (what `npm run docs` documents).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../scripts/lib/run-ts.js';

const readJson = (file: string): any => JSON.parse(readFileSync(join(ROOT, file), 'utf8'));
const pkg = readJson('package.json');

/** `'.'` → `''`, `'./heap'` → `'heap'`. */
const subpaths = Object.keys(pkg.exports as object)
  .filter((k) => k !== './package.json')
  .map((k) => k.replace(/^\.\/?/, ''));
const srcOf = (sub: string): string => (sub === '' ? 'src/index.ts' : `src/${sub}/index.ts`);
const distOf = (sub: string, ext: string): string =>
  sub === '' ? `./dist/index.${ext}` : `./dist/${sub}/index.${ext}`;

describe('package entry points', () => {
  it.each(subpaths)("exports '.%s' maps types then default into dist/", (sub) => {
    const entry = pkg.exports[sub === '' ? '.' : `./${sub}`];
    expect(Object.keys(entry)).toEqual(['types', 'default']);
    expect(entry).toEqual({ types: distOf(sub, 'd.ts'), default: distOf(sub, 'js') });
    expect(existsSync(join(ROOT, srcOf(sub))), `${srcOf(sub)} exists`).toBe(true);
  });

  it('main and types name the root entry', () => {
    expect(pkg.main).toBe('./dist/index.js');
    expect(pkg.types).toBe('./dist/index.d.ts');
    expect(pkg.type).toBe('module');
  });

  it('tsconfig.json paths resolve the same specifiers to src/', () => {
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile).config;
    const expected = Object.fromEntries(
      subpaths.map((sub) => [sub === '' ? 'foreign-ts' : `foreign-ts/${sub}`, [`./${srcOf(sub)}`]]),
    );
    expect(config.compilerOptions.paths).toEqual(expected);
  });

  it('typedoc documents every entry point', () => {
    const typedoc = readJson('typedoc.json');
    expect([...typedoc.entryPoints].sort()).toEqual(subpaths.map(srcOf).sort());
  });
});
