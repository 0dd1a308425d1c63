/**
 * The pieces of `npm run test:browser` that need no browser: the page registry
 * (scripts/lib/browser-pages.ts) and the static server's answers and headers
 * (scripts/lib/browser-server.ts). The pages themselves run only in `npm run test:browser`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PAGES,
  POLICIES,
  examplePages,
  nodeOnly,
  selected,
  statedReason,
  type Policy,
} from '../scripts/lib/browser-pages.js';
import { route, serve } from '../scripts/lib/browser-server.js';
import { expectedOutput, listExamples } from '../scripts/lib/examples.js';
import { ROOT } from '../scripts/lib/run-ts.js';

const site = mkdtempSync(join(tmpdir(), 'browser-site-'));
mkdirSync(join(site, 'page'));
writeFileSync(join(site, 'page', 'index.html'), '<!doctype html>');
writeFileSync(join(site, 'page', 'page.js'), 'export {};');
writeFileSync(join(site, 'page', 'm.wasm'), new Uint8Array([0, 97, 115, 109]));
writeFileSync(join(tmpdir(), 'outside-the-site.txt'), 'secret');
afterAll(() => {
  rmSync(site, { recursive: true, force: true });
  rmSync(join(tmpdir(), 'outside-the-site.txt'), { force: true });
});

describe('the page registry', () => {
  const { pages, skipped } = examplePages();
  const all = [...pages, ...PAGES];

  it('has every example as a page or as skipped with a reason, never both', () => {
    const names = listExamples().map((n) => `example-${n}`);
    expect([...pages.map((p) => p.name), ...skipped.map((s) => s.name)].sort()).toEqual(names);
    for (const s of skipped) {
      const source = readFileSync(
        join(ROOT, 'examples', `${s.name.slice('example-'.length)}.ts`),
        'utf8',
      );
      expect(s.why).toBe(nodeOnly(source) ?? statedReason(source));
      expect(s.why).toBeTruthy();
    }
  });

  it('skips the examples that say why they cannot run in a browser, with their reason', () => {
    for (const name of ['example-10-leak-report', 'example-11-failure-injection'])
      expect(skipped.find((x) => x.name === name)?.why).toMatch(/^its output names the lines/);
  });

  it('skips the examples whose workers are worker_threads, and says so', () => {
    const s = skipped.find((x) => x.name === 'example-08-waitok-workers');
    expect(s?.why).toContain('node:worker_threads');
    expect(s?.why).toContain('not Web Workers');
    expect(skipped.map((x) => x.name)).toContain('example-09-area-pools');
  });

  it('gives pages unique names and files that exist', () => {
    expect(new Set(all.map((p) => p.name)).size).toBe(all.length);
    for (const p of all) {
      const files = [
        ...('path' in p.entry ? [p.entry.path] : p.entry.imports),
        ...(p.workers ?? []),
        ...(p.assets ?? []),
      ];
      for (const f of files) expect(existsSync(join(ROOT, f)), `${p.name}: ${f}`).toBe(true);
      expect(Object.keys(POLICIES)).toContain(p.policy);
    }
  });

  it("passes an example's page on its .out file and fails it on anything else", () => {
    for (const p of pages) {
      const out = expectedOutput(p.name.slice('example-'.length))!;
      expect(p.check({ output: out }, new Map())).toEqual([]);
      const [problem] = p.check({ output: out.replace(/\n$/, '') + 'x\n' }, new Map());
      expect(problem).toMatch(/^the output differs from examples\/.*\.out: line \d+: printed /);
      expect(p.check({}, new Map())).toEqual(['no output reported']);
    }
  });

  it('finds Node modules imported statically or by import()', () => {
    expect(nodeOnly("import { Heap } from 'foreign-ts';")).toBeUndefined();
    expect(nodeOnly('import { a } from \'node:fs\';\nawait import("node:path");')).toBe(
      'imports node:fs, node:path, which browsers do not have',
    );
  });

  it('reads the reason an example states on a line of its own, and only there', () => {
    expect(statedReason('// Not in the browser: it needs a file\nconst x = 1;\n')).toBe(
      'it needs a file',
    );
    expect(statedReason('const x = 1; // Not in the browser: no\n')).toBeUndefined();
    expect(statedReason("import { Heap } from 'foreign-ts';\n")).toBeUndefined();
  });

  it('selects the pages whose names contain one of the words, all for none', () => {
    expect(selected(all, [])).toHaveLength(all.length);
    expect(selected(all, ['layouts-csp']).map((p) => p.name)).toEqual([
      'layouts-csp',
      'layouts-csp-interpreter',
    ]);
    expect(selected(all, ['no page has this name'])).toEqual([]);
  });

  it('fails the layout pages that disagree with the page that generated code', () => {
    const csp = PAGES.find((p) => p.name === 'layouts-csp')!;
    const good = {
      page: 'layouts-csp',
      setting: 'auto',
      generated: false,
      size: 73,
      bytes: '00ff',
      peeked: [1],
      refusals: ['MarshalError: …'],
      violationsBeforeSentinel: [{ blocked: 'eval' }],
    };
    const earlier = new Map([['layouts-codegen', { ...good, page: 'layouts-codegen' }]]);
    expect(csp.check(good, earlier)).toEqual([]);
    expect(csp.check({ ...good, bytes: '00fe' }, earlier)).toEqual([
      'bytes (against layouts-codegen): got "00fe", expected "00ff"',
    ]);
    expect(csp.check({ ...good, violationsBeforeSentinel: [] }, earlier)).toContain(
      'securitypolicyviolation events before the sentinel: got 0, expected 1',
    );
  });
});

describe('the static server', () => {
  it("sends each policy's headers", () => {
    const at = (policy: Policy) => route(site, `/${policy}/page/index.html`);
    expect(at('isolated').headers).toMatchObject({
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
    });
    expect(at('csp').headers['Content-Security-Policy']).toMatch(/script-src 'self'/);
    expect(at('csp').headers['Content-Security-Policy']).not.toContain('unsafe-eval');
    expect(Object.keys(at('plain').headers).sort()).toEqual(['Cache-Control', 'Content-Type']);
  });

  it('types what it serves', () => {
    const type = (path: string) => route(site, `/plain/page/${path}`).headers['Content-Type'];
    expect(type('index.html')).toBe('text/html; charset=utf-8');
    expect(type('page.js')).toBe('text/javascript; charset=utf-8');
    expect(type('m.wasm')).toBe('application/wasm');
  });

  it('answers 404 to an unknown policy, a missing file, a folder, a query alone, a bad escape', () => {
    for (const url of [
      '/open/page/index.html',
      '/plain/page/none.js',
      '/plain/page',
      '/',
      '?x',
      '/plain/%zz',
    ]) {
      expect(route(site, url).status, url).toBe(404);
    }
    expect(route(site, '/plain/page/index.html?v=1').status).toBe(200);
  });

  it('never serves a file outside the site', () => {
    const segment = fc.constantFrom(
      '..',
      '.',
      '%2e%2e',
      'page',
      'index.html',
      'outside-the-site.txt',
      '',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(POLICIES), 'x'),
        fc.array(segment, { maxLength: 6 }),
        (policy, path) => {
          const answer = route(site, `/${policy}/${path.join('/')}`);
          return answer.status === 404 || answer.file.startsWith(site + sep);
        },
      ),
    );
    expect(route(site, '/plain/../outside-the-site.txt').status).toBe(404);
    expect(route(site, '/plain/%2e%2e/outside-the-site.txt').status).toBe(404);
  });

  it('serves on 127.0.0.1 with the headers', async () => {
    const server = await serve(site);
    try {
      const url = server.url('isolated', 'page/page.js');
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/isolated\/page\/page\.js$/);
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(await response.text()).toBe('export {};');
      expect((await fetch(server.url('plain', 'page/none.js'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
