/**
 * Bundles the pages of scripts/lib/bundle.ts with esbuild and prints their sizes: against the
 * package in `--package DIR` (a built or installed foreign-ts, as the packed-package smoke test
 * passes), or else against this repository's JavaScript built into a temporary directory.
 * Exits 1 when a page prints the wrong thing, carries a family it does not use, or is over its
 * limit.
 *
 * With `--analyze`, each page's size is followed by the bytes each file of the package (and of
 * its dependencies) takes in the minified bundle, largest first: where a page's bytes go.
 *
 * Usage: npx tsx scripts/bundle-pages.ts [--package DIR] [--analyze]
 */
import { buildPackageJs, bundlePages, kib } from './lib/bundle.js';

const at = process.argv.indexOf('--package');
const pkg = at > 0 ? process.argv[at + 1]! : buildPackageJs();
const analyze = process.argv.includes('--analyze');
let failed = false;
for (const { page, bytes, printed, inputs, inputBytes } of await bundlePages(pkg)) {
  const problems = [
    ...(printed === page.prints ? [] : [`printed ${JSON.stringify(printed)}`]),
    ...(page.limit !== undefined && bytes > page.limit
      ? [`over its limit ${kib(page.limit)}`]
      : []),
    ...inputs
      .filter((file) => page.excludes?.some((re) => re.test(file)))
      .map((file) => `carries ${file}`),
  ];
  const target = page.target === undefined ? '' : ` (issue 8's target ${kib(page.target)})`;
  console.log(
    `${page.name}: ${kib(bytes)}${target}${problems.length ? ': ' + problems.join('; ') : ''}`,
  );
  if (analyze) {
    for (const [file, n] of inputBytes) {
      const name = file.replace(/^.*?\/(dist|node_modules)\//, '$1/');
      console.log(`  ${String(n).padStart(7)}  ${name}`);
    }
  }
  failed ||= problems.length > 0;
}
process.exit(failed ? 1 : 0);
