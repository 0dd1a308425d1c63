/**
 * The heap as a program gets it: loaded as the built package's modules, and bundled into one
 * file with `esbuild --bundle --minify --format=esm` (the way scripts/lib/bundle.ts bundles its
 * pages), for this worktree's src/ and for a git ref's, side by side in one process.
 *
 * Four variants (ref and worktree, modules and bundle), each with its own copy of the replay
 * loop (one loop over four Heap classes would run megamorphic), replay the heap suite's W1 and
 * W2 traces (bench/lib/trace.ts: 10 000 live blocks, then `--ops` timed mallocs and frees) on
 * the heap suite's heap (64 MiB initial, 1 GiB at most);
 * every run is a fresh heap, runs are round-robin over the variants, and `gc()` settles the
 * process before each. Printed: the median ns/op and range per variant, and the ratios of the
 * medians. Noisy on a shared machine: read the ratios, and run it more than once.
 *
 * Usage: node --expose-gc --import tsx bench/bundled-heap.ts [--ref main] [--runs 9] [--ops N]
 *
 * The ref's variant is the worktree's package with every file of src/ that differs from the ref
 * replaced by the ref's version (`git diff --name-only REF -- src`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { buildPackageJs } from '../scripts/lib/bundle.js';
import { ROOT } from '../scripts/lib/run-ts.js';
import { settle } from './harness.js';
import { churnTrace, type ChurnTrace } from './lib/trace.js';

const arg = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const REF = arg('--ref', 'main');
const RUNS = Number(arg('--runs', '9'));
const OPS = Number(arg('--ops', '1000000'));
const WARMUP = 2;
/** The replay loop's source, shared with the heap suite. */
const HEAP_OPS = join(ROOT, 'bench', 'lib', 'heap-ops.ts');

/**
 * The replay, as the module each variant loads: the heap suite's loop of its own (heap-ops.js,
 * bench/lib/heap-ops.ts transpiled, a copy per variant), timed around the call by the process's
 * CPU time (user + system; bench/README.md, \`--clock cpu\`), which leaves out the time the
 * process waits for a core on a shared machine.
 */
const REPLAY = `import { Heap } from 'foreign-ts/heap';
import { heapOps } from './heap-ops.js';
export const replay = (prefill, trace, n, maxLive) => {
  const heap = Heap.create({ initialBytes: 64 * 1024 * 1024, maxBytes: 1024 * 1024 * 1024 });
  const live = new Array(maxLive + 1).fill(0);
  let count = 0;
  for (let i = 0; i < prefill.length; i++) live[count++] = heap.malloc(prefill[i]);
  const t0 = process.cpuUsage();
  const failures = heapOps(heap, trace, n, live, count);
  const t = process.cpuUsage(t0);
  const ns = (t.user + t.system) * 1000;
  if (failures !== 0) throw new Error('replay: ' + failures + ' mallocs failed');
  return ns / n;
};
`;

/** The temporary directories made here, removed at the end. */
const made: string[] = [];
const temporary = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
};

type Replay = (prefill: Float64Array, trace: Float64Array, n: number, maxLive: number) => number;

/** `source`, the TypeScript of `fileName`, as an ES2022 module. */
const transpile = (source: string, fileName: string): string =>
  ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    fileName,
  }).outputText;

/** The worktree's package with the files of src/ that differ from `ref` taken from `ref`. */
const packageAt = (current: string, ref: string): string => {
  const pkg = join(temporary('foreign-ts-ref-'), 'package');
  cpSync(current, pkg, { recursive: true, verbatimSymlinks: true });
  const git = (...a: string[]) => execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' });
  const changed = git('diff', '--name-only', ref, '--', 'src').split('\n').filter(Boolean);
  for (const file of changed.filter((f) => f.endsWith('.ts'))) {
    const out = join(pkg, 'dist', file.slice('src/'.length).replace(/\.ts$/, '.js'));
    let source: string;
    try {
      source = git('show', `${ref}:${file}`);
    } catch {
      rmSync(out, { force: true }); // not in the ref
      continue;
    }
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, transpile(source, file));
  }
  return pkg;
};

/** The replay over the package in `pkg`, as its modules and as one bundle. */
const variants = async (pkg: string, label: string): Promise<Array<[string, Replay]>> => {
  const work = temporary('foreign-ts-replay-');
  mkdirSync(join(work, 'node_modules'));
  cpSync(pkg, join(work, 'node_modules', 'foreign-ts'), {
    recursive: true,
    verbatimSymlinks: true,
  });
  writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(work, 'heap-ops.js'), transpile(readFileSync(HEAP_OPS, 'utf8'), HEAP_OPS));
  writeFileSync(join(work, 'replay.js'), REPLAY);
  await esbuild.build({
    entryPoints: [join(work, 'replay.js')],
    outfile: join(work, 'replay.bundle.js'),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    absWorkingDir: work,
    logLevel: 'warning',
  });
  const load = async (file: string): Promise<Replay> =>
    ((await import(pathToFileURL(join(work, file)).href)) as { replay: Replay }).replay;
  return [
    [`${label}, modules`, await load('replay.js')],
    [`${label}, bundled`, await load('replay.bundle.js')],
  ];
};

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const measure = (name: string, t: ChurnTrace, all: Array<[string, Replay]>): void => {
  const times = all.map(() => [] as number[]);
  for (let run = 0; run < WARMUP + RUNS; run++) {
    all.forEach(([, replay], i) => {
      settle();
      const ns = replay(t.prefill, t.ops, t.ops.length, t.maxLive);
      if (run >= WARMUP) times[i]!.push(ns);
    });
  }
  const med = times.map(median);
  console.log(`\n${name}: ns/op (CPU time), median of ${RUNS} round-robin runs [min–max]`);
  all.forEach(([label], i) => {
    const xs = times[i]!;
    console.log(
      `  ${label.padEnd(24)} ${med[i]!.toFixed(1).padStart(6)}  [${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)}]`,
    );
  });
  const [refModules, refBundled, nowModules, nowBundled] = med as [number, number, number, number];
  console.log(`  worktree ÷ ${REF}, modules: ${(nowModules / refModules).toFixed(2)}`);
  console.log(`  worktree ÷ ${REF}, bundled: ${(nowBundled / refBundled).toFixed(2)}`);
  console.log(`  bundled ÷ modules, ${REF}: ${(refBundled / refModules).toFixed(2)}`);
  console.log(`  bundled ÷ modules, worktree: ${(nowBundled / nowModules).toFixed(2)}`);
};

const current = buildPackageJs();
made.push(dirname(current));
const all = [
  ...(await variants(packageAt(current, REF), REF)),
  ...(await variants(current, 'worktree')),
];
console.log(
  `bundled-heap: Node ${process.version}, ${OPS.toLocaleString('en-US')} ops, ${REF} vs worktree`,
);
measure('W1 (8–4096 B)', churnTrace(8, 4096, 10_000, OPS), all);
measure('W2 (16–64 B)', churnTrace(16, 64, 10_000, OPS), all);
for (const dir of made) rmSync(dir, { recursive: true, force: true });
