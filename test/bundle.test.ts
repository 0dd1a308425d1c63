/**
 * Pages that bundle small (scripts/lib/bundle.ts): each page, bundled from the package's built
 * JavaScript with esbuild (`--bundle --minify --format=esm`), runs in plain Node and prints what
 * it should, holds none of the families it does not use (the root's functions are bound family
 * by family; fp-ts comes from its ES module build), and stays within its size limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { PAGES, buildPackageJs, bundlePages, kib, type Bundled } from '../scripts/lib/bundle.js';

let results: Bundled[] = [];
let pkg = '';
beforeAll(async () => {
  pkg = buildPackageJs();
  results = await bundlePages(pkg);
}, 120_000);
afterAll(() => rmSync(dirname(pkg), { recursive: true, force: true }));

const result = (name: string): Bundled => results.find((r) => r.page.name === name)!;

describe('bundled pages', () => {
  it.each(PAGES.map((p) => p.name))('%s runs in plain Node', (name) => {
    expect(result(name).printed).toBe(result(name).page.prints);
  });

  it.each(PAGES.filter((p) => p.excludes).map((p) => p.name))(
    '%s holds only the families it uses',
    (name) => {
      const { inputs, page } = result(name);
      const carried = inputs.filter((file) => page.excludes!.some((re) => re.test(file)));
      expect(carried).toEqual([]);
    },
  );

  it.each(PAGES.filter((p) => p.limit).map((p) => p.name))('%s is within its limit', (name) => {
    const { bytes, page } = result(name);
    expect(bytes, `${name}: ${kib(bytes)}`).toBeLessThanOrEqual(page.limit!);
  });

  it('a Heap imported from the package root costs what one from foreign-ts/heap does', () => {
    expect(result('heap-root').bytes - result('heap-subpath').bytes).toBeLessThan(256);
  });
});
