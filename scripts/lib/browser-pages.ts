/**
 * The pages of `npm run test:browser` (scripts/test-browser.ts): what each one runs, the
 * headers it is served with, the files it needs beside it, and how its result is checked. A
 * page's code is in test/browser/pages/ (or, for an example, the example itself); it imports
 * `foreign-ts` as a user does, and is bundled by esbuild from the BUILT package (dist/, through
 * the package's `exports` map), never from src/.
 *
 * Adding a page (the WebAssembly FFI programs of issue 13 go here: qsort with a TypeScript
 * comparator, a linked list, UTF-8 strings, callbacks): write test/browser/pages/NAME.ts, which
 * calls `report(result)` from test/browser/report.ts when it is done; list the `.wasm` files it
 * fetches in `assets` (paths from the repository root, copied beside the page: `fetch('x.wasm')`),
 * its module workers in `workers`; and give a `check` that returns what is wrong with its
 * result (an empty list when nothing is). layouts-wasm is such a page today.
 */
import { readFileSync } from 'node:fs';
import { expectedOutput, listExamples, sourcePath } from './examples.js';

/** How a page is served: the response headers of each policy. */
export const POLICIES = {
  /** No special header. */
  plain: {},
  /** Cross-origin isolated: the page has SharedArrayBuffer (and so do its workers). */
  isolated: {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  },
  /**
   * A Content-Security-Policy without 'unsafe-eval' (`new Function` and `eval` throw an
   * EvalError and fire a securitypolicyviolation event; 'report-sample' puts the start of the
   * refused code into the event, so a page can tell its own eval from the library's probe).
   */
  csp: { 'Content-Security-Policy': "script-src 'self' 'report-sample'; worker-src 'self'" },
} as const satisfies Record<string, Record<string, string>>;

export type Policy = keyof typeof POLICIES;

/** The results of the pages that ran before, by name (a check may compare with them). */
export type Results = ReadonlyMap<string, any>;

export interface Page {
  readonly name: string;
  /** What the page shows, for the report and the page's heading. */
  readonly what: string;
  /**
   * The page's code: a file, or an entry made of side-effect imports of `imports`, in order
   * (paths from the repository root; the runner checks that the bundle holds each of them).
   */
  readonly entry: { readonly path: string } | { readonly imports: readonly string[] };
  readonly policy: Policy;
  /** Module workers the page starts, bundled beside it as NAME.js (paths from the root). */
  readonly workers?: readonly string[];
  /** Files copied beside the page (paths from the root), such as committed `.wasm` modules. */
  readonly assets?: readonly string[];
  /** More HTML for the page's body (before its `<pre id="out">`). */
  readonly body?: string;
  /** What is wrong with the page's result; empty when nothing is. */
  readonly check: (result: any, earlier: Results) => string[];
}

const expectEqual = (what: string, got: unknown, expected: unknown): string[] =>
  JSON.stringify(got) === JSON.stringify(expected)
    ? []
    : [`${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`];

// -------------------------------------------------------------------------------------------
// the examples
// -------------------------------------------------------------------------------------------

/** An example that cannot run in a browser (named as its page would be), and why. */
export interface Skipped {
  readonly name: string;
  readonly why: string;
}

/** The pages (or skipped examples) whose names contain one of `words`; all of them for none. */
export const selected = <P extends { readonly name: string }>(
  pages: readonly P[],
  words: readonly string[],
): P[] => pages.filter((p) => words.length === 0 || words.some((w) => p.name.includes(w)));

/**
 * Why an example cannot run in a browser (undefined when it can): it imports a Node module
 * (`node:NAME`, statically or by `import()`). An example that uses another Node-only API fails
 * in its page instead, which says so.
 */
export const nodeOnly = (source: string): string | undefined => {
  const modules = [...new Set([...source.matchAll(/['"](node:[\w/]+)['"]/g)].map((m) => m[1]))];
  return modules.length === 0
    ? undefined
    : `imports ${modules.join(', ')}, which browsers do not have` +
        (modules.includes('node:worker_threads')
          ? ' (its workers are worker_threads, with workerData and parentPort, not Web Workers)'
          : '');
};

/**
 * The reason an example gives for not running in a browser, on a line of its own:
 * `// Not in the browser: REASON` (undefined when it gives none).
 */
export const statedReason = (source: string): string | undefined =>
  /^\/\/ Not in the browser: (.+)$/m.exec(source)?.[1];

const firstDifference = (got: string, expected: string): string => {
  const a = got.split('\n');
  const b = expected.split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: printed ${JSON.stringify(a[at] ?? '(end)')}, the .out file has ${JSON.stringify(b[at] ?? '(end)')}`;
};

/** A page per example that can run in a browser, and the examples that cannot. */
export const examplePages = (): { pages: Page[]; skipped: Skipped[] } => {
  const pages: Page[] = [];
  const skipped: Skipped[] = [];
  for (const name of listExamples()) {
    const source = readFileSync(sourcePath(name), 'utf8');
    const why = nodeOnly(source) ?? statedReason(source);
    if (why !== undefined) {
      skipped.push({ name: `example-${name}`, why });
      continue;
    }
    const expected = expectedOutput(name);
    pages.push({
      name: `example-${name}`,
      what: `examples/${name}.ts, its output compared with examples/${name}.out`,
      entry: {
        imports: ['test/browser/console.ts', `examples/${name}.ts`, 'test/browser/example-done.ts'],
      },
      // isolated, so that an example may use SharedArrayBuffer as it does in Node
      policy: 'isolated',
      check: (result: { output?: unknown }) => {
        if (expected === undefined) return [`examples/${name}.out is missing`];
        if (typeof result.output !== 'string') return ['no output reported'];
        return result.output === expected
          ? []
          : [
              `the output differs from examples/${name}.out: ${firstDifference(result.output, expected)}`,
            ];
      },
    });
  }
  return { pages, skipped };
};

// -------------------------------------------------------------------------------------------
// the other pages
// -------------------------------------------------------------------------------------------

/** What a layout page must report: its compiler setting, whether it generated code, events. */
interface LayoutsExpected {
  readonly setting: string;
  readonly generated: boolean;
  readonly violations: number;
}

const layoutsCheck =
  (expected: LayoutsExpected) =>
  (result: any, earlier: Results): string[] => {
    const problems = [
      ...expectEqual('layout compiler setting', result.setting, expected.setting),
      ...expectEqual('generated code', result.generated, expected.generated),
      ...expectEqual(
        'securitypolicyviolation events before the sentinel',
        result.violationsBeforeSentinel?.length,
        expected.violations,
      ),
    ];
    if (expected.violations > 0) {
      const v = result.violationsBeforeSentinel?.[0];
      if (v?.blocked !== 'eval')
        problems.push(`the probe's event blocked ${JSON.stringify(v?.blocked)}, expected eval`);
    }
    const reference = earlier.get('layouts-codegen');
    if (reference !== undefined && result.page !== 'layouts-codegen') {
      for (const key of ['size', 'bytes', 'peeked', 'refusals'] as const) {
        problems.push(
          ...expectEqual(`${key} (against layouts-codegen)`, result[key], reference[key]),
        );
      }
    }
    if (result.refusals?.some((r: string) => r === 'accepted'))
      problems.push('a bad value was accepted');
    return problems;
  };

/** A page of the layout workload (test/browser/pages/NAME.ts), and what it must show. */
const layoutsPage = (
  name: string,
  policy: Policy,
  expected: LayoutsExpected,
  what: string,
): Page => ({
  name,
  what,
  entry: { path: `test/browser/pages/${name}.ts` },
  policy,
  check: layoutsCheck(expected),
});

export const PAGES: readonly Page[] = [
  {
    name: 'shared-heap',
    what: 'a heap in a SharedArrayBuffer used by two Web Workers at once, then check()',
    entry: { path: 'test/browser/pages/shared-heap.ts' },
    workers: ['test/browser/pages/shared-heap-worker.ts'],
    policy: 'isolated',
    check: (r) => {
      const workers = (r.workers ?? []) as Array<Record<string, any>>;
      const sum = (k: string): number => workers.reduce((n, w) => n + (w[k] ?? 0), 0);
      const inLoop = (w: Record<string, any>): number =>
        w.inLoop.mallocs + w.inLoop.reallocs + w.inLoop.frees + w.inLoop.failures;
      return [
        ...expectEqual('crossOriginIsolated', r.crossOriginIsolated, true),
        ...expectEqual(
          'the heap is shared, in a SharedArrayBuffer',
          [r.shared, r.memoryIsShared],
          [true, true],
        ),
        ...expectEqual('check() after both workers', r.checkError, null),
        ...expectEqual('workers that reported', workers.length, 2),
        ...expectEqual('operations each worker ran', workers.map(inLoop), [r.ops, r.ops]),
        ...expectEqual('failed mallocs and reallocs', [sum('failures'), r.stats?.failures], [0, 0]),
        ...expectEqual('blocks whose pattern was overwritten', sum('corrupted'), 0),
        ...expectEqual('live blocks left', r.stats?.liveBlocks, 0),
        ...expectEqual('mallocs counted by the heap', r.stats?.mallocs, sum('mallocs')),
        ...expectEqual('frees counted by the heap', r.stats?.frees, sum('frees')),
        ...expectEqual('reallocs counted by the heap', r.stats?.reallocs, sum('reallocs')),
        ...(sum('interleaved') > 0
          ? []
          : ['neither worker ever saw the other one mid-run: they did not run at once']),
      ];
    },
  },
  {
    name: 'area-pool',
    what: 'BeOS area pools (foreign-ts/area): Web Workers fill one shared pool at once, a read-only handle, delete_pool',
    entry: { path: 'test/browser/pages/area-pool.ts' },
    workers: ['test/browser/pages/area-pool-worker.ts'],
    policy: 'isolated',
    check: (r) => {
      const [WORKERS, SAMPLES] = [2, 1000]; // as in test/browser/pages/area-pool-job.ts
      let total = 0;
      for (let w = 0; w < WORKERS; w++) for (let i = 0; i < SAMPLES; i++) total += w * 1000 + i / 4;
      return [
        ...expectEqual(
          'crossOriginIsolated and a shared pool',
          [r.crossOriginIsolated, r.shared],
          [true, true],
        ),
        ...expectEqual('samples each worker made', r.filled, Array(WORKERS).fill(SAMPLES)),
        ...expectEqual('samples not where they belong', r.misplaced, 0),
        ...expectEqual("the page's total", r.total, total),
        ...expectEqual('check() after the workers', r.checkError, null),
        ...expectEqual(
          'live blocks: the samples and the table',
          r.liveBlocks,
          WORKERS * SAMPLES + 1,
        ),
        ...expectEqual(
          'mallocs and frees',
          [r.mallocs, r.frees],
          [2 * WORKERS * SAMPLES + 1, WORKERS * SAMPLES],
        ),
        ...expectEqual('the read-only worker', r.reader, {
          total,
          poke: 'MemoryProtectionError',
          malloc: 'PoolProtectionError',
        }),
        ...expectEqual('delete_pool', r.deleted, true),
        ...expectEqual(
          'after delete_pool',
          [r.waiterAfterDelete, r.pageAfterDelete],
          ['DeletedPoolError', 'DeletedPoolError'],
        ),
      ];
    },
  },
  {
    name: 'no-isolation',
    what: 'a shared heap asked for on a page that is not cross-origin isolated',
    entry: { path: 'test/browser/pages/no-isolation.ts' },
    policy: 'plain',
    check: (r) => [
      ...expectEqual('crossOriginIsolated', r.crossOriginIsolated, false),
      ...expectEqual('typeof SharedArrayBuffer', r.sharedArrayBuffer, 'undefined'),
      ...expectEqual('the error is SharedMemoryUnavailableError', r.error?.isLibraryError, true),
      ...(/^Heap\.create: .*Cross-Origin-Opener-Policy: same-origin.*Cross-Origin-Embedder-Policy: require-corp/s.test(
        r.error?.message ?? '',
      )
        ? []
        : [
            `the message does not name the call and the headers: ${JSON.stringify(r.error?.message)}`,
          ]),
      ...expectEqual('a heap that is not shared works', r.plainHeapWorks, true),
    ],
  },
  layoutsPage(
    'layouts-codegen',
    'plain',
    { setting: 'auto', generated: true, violations: 0 },
    "the layout workload where code generation is allowed: 'auto' generates code",
  ),
  layoutsPage(
    'layouts-csp',
    'csp',
    { setting: 'auto', generated: false, violations: 1 },
    "the same workload under a CSP without 'unsafe-eval': the probe is refused once, the interpreter gives identical results",
  ),
  layoutsPage(
    'layouts-csp-interpreter',
    'csp',
    { setting: 'interpreter', generated: false, violations: 0 },
    "the same under the CSP with setLayoutCompiler('interpreter') first: no probe, no violation",
  ),
  {
    name: 'heap-live',
    what: 'a live picture of a heap (heapMap), redrawn as a program allocates and frees',
    entry: { path: 'test/browser/pages/heap-live.ts' },
    policy: 'plain',
    body: '<div id="picture"></div>',
    check: (r) => [
      ...expectEqual('steps whose picture disagreed with the heap', r.mismatches, []),
      ...expectEqual('groups drawn at the end', r.drawnGroups, r.liveBlocks + r.freeBlocks + 2),
      ...(r.frames > 0 ? [] : ['no frame was drawn']),
    ],
  },
  {
    name: 'layouts-wasm',
    what: 'the layout corpus against its C code in c/build/layouts.wasm, in the browser',
    entry: { path: 'test/browser/pages/layouts-wasm.ts' },
    assets: ['c/build/layouts.wasm'],
    policy: 'plain',
    check: (r) => [
      ...expectEqual('problems', r.problems, []),
      ...(r.types >= 60 ? [] : [`only ${r.types} types`]),
    ],
  },
  {
    name: 'wasm-ffi',
    what:
      'the C programs of c/ffi/ (qsort with a TypeScript comparator, a linked list, UTF-8 ' +
      'strings, callbacks with a struct pointer) through foreign-ts/wasm, in the browser',
    entry: { path: 'test/browser/pages/wasm-ffi.ts' },
    assets: ['qsort', 'list', 'strings', 'callback'].map((n) => `c/build/ffi-${n}.wasm`),
    policy: 'plain',
    check: (r) => [
      ...expectEqual('qsort', r.qsort.sorted, r.qsortExpected),
      ...expectEqual('qsort: C checked the order', r.qsort.cSaysSorted, true),
      ...expectEqual('Record layout: C vs TypeScript', r.qsort.layout.c, r.qsort.layout.ts),
      ...expectEqual('list: reversed by C', r.list.reversed, [3, 11, 0, 7, -2, 4]),
      ...expectEqual('list: sum', r.list.sum, '23n'),
      ...expectEqual('list: built by C', r.list.fromC, [6, 7, 8, 9, 10]),
      ...(r.strings as { got: unknown; expected: unknown }[]).flatMap((s, i) =>
        expectEqual(`strings ${i}`, s.got, s.expected),
      ),
      ...expectEqual('callbacks', r.callbacks.got, r.callbacks.expected),
    ],
  },
];
