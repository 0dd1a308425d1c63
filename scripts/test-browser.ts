/**
 * `npm run test:browser`: the library in a real browser. Needs the built package (the npm
 * script runs `npm run build` first) and Debian's Chromium (`apt-get install -y
 * --no-install-recommends chromium fonts-dejavu-core`; another binary through CHROMIUM=path).
 *
 * 1. Bundles every page of scripts/lib/browser-pages.ts with esbuild from the BUILT package:
 *    `foreign-ts` and its subpaths resolve through package.json's `exports` map into dist/, and
 *    an import of a file in src/ (from a shared test helper) is redirected to its compiled twin
 *    in dist/; a bundle that still holds a file of src/, or that left out a file its entry
 *    imports, fails. Pages go to .tmp/browser/site/.
 * 2. Serves them on 127.0.0.1 (a free port) with the static server of
 *    scripts/lib/browser-server.ts, which sends each page's headers (COOP/COEP, or a
 *    Content-Security-Policy).
 * 3. Drives headless Chromium through playwright-core: opens each page, waits for its outcome
 *    (test/browser/report.ts; PAGE_TIMEOUT=ms, default 120 s), takes a screenshot into
 *    .tmp/browser/screenshots/, writes the outcome into .tmp/browser/results/NAME.json, and
 *    checks the result (never the pixels).
 *
 * `npm run test:browser -- NAME...` runs the pages whose names contain one of the words. Ends
 * with `N passed, N failed, N skipped (T s)` (the skipped examples listed with the reason) and
 * exit status 1 when a page failed.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import type { Outcome } from '../test/browser/report.js';
import { PAGES, examplePages, selected, type Page } from './lib/browser-pages.js';
import { serve } from './lib/browser-server.js';
import { ROOT } from './lib/run-ts.js';

const WORK = join(ROOT, '.tmp/browser');
const SITE = join(WORK, 'site');
const SHOTS = join(WORK, 'screenshots');
const RESULTS = join(WORK, 'results');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** The flags these machines need (no sandbox as root, no GPU, no network beyond 127.0.0.1). */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PAGE_TIMEOUT = Number(process.env.PAGE_TIMEOUT ?? 120_000);

class Refusal extends Error {}

// -------------------------------------------------------------------------------------------
// bundling from the built package
// -------------------------------------------------------------------------------------------

const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { default: string }>;
};

/** `foreign-ts[/sub]` through the exports map, as a consumer's bundler resolves it. */
const exported = (specifier: string): string => {
  const key = specifier === 'foreign-ts' ? '.' : `.${specifier.slice('foreign-ts'.length)}`;
  const target = packageJson.exports[key];
  const file = typeof target === 'string' ? target : target?.default;
  if (file === undefined) throw new Refusal(`${specifier} is not in package.json's exports map`);
  return join(ROOT, file);
};

const builtPackage: esbuild.Plugin = {
  name: 'built-package',
  setup(build) {
    build.onResolve({ filter: /^foreign-ts(\/|$)/ }, (args) => ({ path: exported(args.path) }));
    build.onResolve({ filter: /\/src\// }, (args) => {
      const path = resolve(args.resolveDir, args.path);
      const src = join(ROOT, 'src') + '/';
      if (!path.startsWith(src)) return undefined;
      const built = join(ROOT, 'dist', path.slice(src.length)).replace(/\.ts$/, '.js');
      if (!existsSync(built)) throw new Refusal(`${relative(ROOT, built)} is not built`);
      return { path: built };
    });
    // package.json says `"sideEffects": false`, which is true of the package (dist/) but not of
    // the pages, examples and helpers: without this, esbuild drops an entry's `import
    // 'examples/NAME.ts'` (it imports no name) and the page is empty.
    build.onResolve({ filter: /^\.{0,2}\// }, async (args) => {
      if (args.pluginData === 'again') return undefined;
      const found = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'again',
      });
      if (found.errors.length > 0) return { errors: found.errors };
      const inRepository = !relative(ROOT, found.path).startsWith('..');
      const ours = inRepository && !/^(dist|node_modules)\//.test(relative(ROOT, found.path));
      return ours ? { ...found, sideEffects: true } : found;
    });
  },
};

const html = (page: Page): string =>
  [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${page.name}</title>`,
    '<style>body{font:14px sans-serif;margin:16px} pre{font:12px monospace;white-space:pre-wrap}</style>',
    '<link rel="icon" href="data:,">',
    '</head><body>',
    `<h1>${page.name}</h1><p>${page.what.replace(/</g, '&lt;')}</p>`,
    page.body ?? '',
    '<pre id="out">running…</pre>',
    `<script type="module" src="${page.name}.js"></script>`,
    '</body></html>',
    '',
  ].join('\n');

/** Bundles `page` into SITE/NAME/; throws when a bundle holds a file of src/. */
const bundle = async (page: Page): Promise<void> => {
  const dir = join(SITE, page.name);
  mkdirSync(dir, { recursive: true });
  let entry: string;
  if ('path' in page.entry) entry = join(ROOT, page.entry.path);
  else {
    entry = join(WORK, 'entries', `${page.name}.ts`);
    mkdirSync(join(WORK, 'entries'), { recursive: true });
    writeFileSync(
      entry,
      page.entry.imports.map((f) => `import ${JSON.stringify(join(ROOT, f))};\n`).join(''),
    );
  }
  const entryPoints = [
    { in: entry, out: page.name },
    ...(page.workers ?? []).map((w) => ({ in: join(ROOT, w), out: basename(w, extname(w)) })),
  ];
  const result = await esbuild.build({
    entryPoints,
    outdir: dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    plugins: [builtPackage],
  });
  const fromSrc = Object.keys(result.metafile.inputs).filter((f) =>
    resolve(ROOT, f).startsWith(join(ROOT, 'src') + '/'),
  );
  if (fromSrc.length > 0) throw new Refusal(`${page.name}: the bundle holds ${fromSrc.join(', ')}`);
  const output = Object.values(result.metafile.outputs).find(
    (o) => o.entryPoint !== undefined && resolve(ROOT, o.entryPoint) === entry,
  );
  const held = new Set(Object.keys(output?.inputs ?? {}).map((f) => resolve(ROOT, f)));
  const dropped =
    'imports' in page.entry ? page.entry.imports.filter((f) => !held.has(join(ROOT, f))) : [];
  if (dropped.length > 0)
    throw new Refusal(`${page.name}: the bundle left out ${dropped.join(', ')}`);
  for (const asset of page.assets ?? []) cpSync(join(ROOT, asset), join(dir, basename(asset)));
  writeFileSync(join(dir, 'index.html'), html(page));
};

// -------------------------------------------------------------------------------------------
// the browser
// -------------------------------------------------------------------------------------------

const visit = async (
  browser: Browser,
  url: string,
  page: Page,
  earlier: Map<string, unknown>,
): Promise<string[]> => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const tab = await context.newPage();
  const messages: string[] = [];
  tab.on('console', (m) => messages.push(`console.${m.type()}: ${m.text()}`));
  tab.on('pageerror', (e) => messages.push(`page error: ${e.message}`));
  const shot = (): Promise<unknown> =>
    tab
      .screenshot({ path: join(SHOTS, `${page.name}.png`), fullPage: true })
      .catch(() => undefined);
  try {
    await tab.goto(url);
    await tab.waitForFunction(() => window.__outcome !== undefined, null, {
      timeout: PAGE_TIMEOUT,
    });
    const outcome: Outcome = (await tab.evaluate(() => window.__outcome))!;
    await shot();
    writeFileSync(join(RESULTS, `${page.name}.json`), JSON.stringify(outcome, null, 2) + '\n');
    if ('failure' in outcome) {
      return [`the page failed: ${outcome.failure}`, ...messages];
    }
    earlier.set(page.name, outcome.result);
    return page.check(outcome.result, earlier);
  } catch (error) {
    await shot();
    return [`${(error as Error).message.split('\n')[0]}`, ...messages];
  } finally {
    await context.close();
  }
};

const main = async (): Promise<number> => {
  const started = Date.now();
  if (!existsSync(join(ROOT, 'dist/index.js'))) {
    throw new Refusal('dist/ is missing: run npm run build first (npm run test:browser does)');
  }
  if (!existsSync(CHROMIUM)) {
    throw new Refusal(
      `no Chromium at ${CHROMIUM}. On Debian: apt-get install -y --no-install-recommends chromium fonts-dejavu-core (or set CHROMIUM=path)`,
    );
  }
  const words = process.argv.slice(2);
  const examples = examplePages();
  const pages = selected([...examples.pages, ...PAGES], words);
  const skipped = selected(examples.skipped, words);
  if (pages.length === 0) throw new Refusal(`no page's name contains ${words.join(' or ')}`);
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(RESULTS, { recursive: true });
  for (const page of pages) await bundle(page);
  const server = await serve(SITE);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  console.log(
    `Chromium ${browser.version()}; pages bundled from dist/, served on ${server.url('plain', '')}`,
  );
  const earlier = new Map<string, unknown>();
  let failed = 0;
  try {
    for (const page of pages) {
      const problems = await visit(
        browser,
        server.url(page.policy, `${page.name}/index.html`),
        page,
        earlier,
      );
      if (problems.length === 0) console.log(`ok    ${page.name}: ${page.what}`);
      else {
        failed++;
        console.log(
          `FAIL  ${page.name}: ${page.what}\n${problems.map((p) => `      - ${p}`).join('\n')}`,
        );
      }
    }
  } finally {
    await browser.close();
    await server.close();
  }
  for (const s of skipped) console.log(`skip  ${s.name}: ${s.why}`);
  console.log(
    `screenshots in ${relative(ROOT, SHOTS)}/, each page's result in ${relative(ROOT, RESULTS)}/`,
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `${pages.length - failed} passed, ${failed} failed, ${skipped.length} skipped (${seconds} s)`,
  );
  return failed === 0 ? 0 : 1;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (!(error instanceof Refusal)) throw error;
    console.error(`test:browser: ${error.message}`);
    process.exitCode = 1;
  },
);
