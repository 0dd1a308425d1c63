/**
 * `npm run bench [-- SUITE…] [--quick] [--json] [--runs N] [--warmup N] [--clock wall|cpu]`
 *
 * Runs the benchmark suites (all, or the ones named) and prints a table per workload (or, with
 * --json, one JSON object per line and nothing else on stdout). The implementations of a suite
 * run side by side in one process; when several suites are selected, each suite runs in a child
 * process of its own, so that one suite's JIT and garbage-collector state does not weigh on the
 * next one's figures. Run through `npm run bench`, which starts Node with --expose-gc.
 *
 * Exits non-zero when a suite or a cell throws; targets are printed as markers and never change
 * the exit code.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gcExposed, runWorkload, type HarnessOptions } from './harness.js';
import { formatWorkload, jsonLines } from './report.js';
import { suites } from './suites/index.js';

const usage = `usage: npm run bench -- [SUITE…] [--quick] [--json] [--runs N] [--warmup N] [--clock wall|cpu] [--list]
suites: ${suites.map((s) => s.name).join(', ')}`;

const count = (name: string, value: string | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0 || (name === 'runs' && n < 1)) {
    throw new Error(`--${name} wants a whole number${name === 'runs' ? ' ≥ 1' : ''}, got ${value}`);
  }
  return n;
};

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      clock: { type: 'string', default: 'wall' },
      list: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      // Internal: this process is a child running one suite (no heading, no total).
      child: { type: 'boolean', default: false },
    },
  });
} catch (e) {
  console.error(`${(e as Error).message}\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.list) {
  for (const s of suites) console.log(s.name);
  process.exit(0);
}
const unknown = positionals.filter((p) => !suites.some((s) => s.name === p));
if (unknown.length > 0) {
  console.error(`unknown suite(s): ${unknown.join(', ')}\n${usage}`);
  process.exit(2);
}

if (values.clock !== 'wall' && values.clock !== 'cpu') {
  console.error(`--clock wants wall or cpu, got ${values.clock}\n${usage}`);
  process.exit(2);
}
const quick = values.quick;
const options: HarnessOptions = {
  quick,
  runs: count('runs', values.runs, quick ? 3 : 5),
  warmup: count('warmup', values.warmup, 1),
  clock: values.clock,
};
const json = values.json;
const say = (text: string): void => {
  if (!json) console.log(text);
};
const progress = (text: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
};

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
if (!values.child)
  say(
    `foreign-ts bench: Node ${process.version} (V8 ${process.versions.v8}), ${os.cpus().length} × ${cpu}`,
  );
if (!values.child)
  say(
    `${options.runs} timed run(s) after ${options.warmup} warm-up(s) per cell, median ns/op ` +
      `(${options.clock === 'cpu' ? 'process CPU time' : 'wall clock'}); ` +
      `gc() between runs: ${gcExposed ? 'yes' : 'NO (start Node with --expose-gc)'}` +
      (quick ? '\n--quick: small traces for a smoke run; the figures are not meaningful.' : ''),
  );

const selected =
  positionals.length === 0 ? suites : suites.filter((s) => positionals.includes(s.name));
let errors = 0;
const started = process.hrtime.bigint();

/** Runs each selected suite in a child process of its own; returns how many failed. */
const runInChildren = (): number => {
  const flags = process.argv.slice(2).filter((a) => !suites.some((s) => s.name === a));
  let failed = 0;
  for (const entry of selected) {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), entry.name, ...flags, '--child'],
      { stdio: 'inherit' },
    );
    if (child.status !== 0) failed++;
  }
  return failed;
};

const suitesHere = values.child || selected.length === 1 ? selected : [];
if (suitesHere.length === 0) errors += runInChildren();
for (const entry of suitesHere) {
  let suite;
  try {
    suite = await entry.load();
  } catch (e) {
    errors++;
    console.error(`suite ${entry.name} failed to load: ${(e as Error).stack ?? String(e)}`);
    continue;
  }
  say(`\n━━ ${suite.name}: ${suite.title}`);
  for (const workload of suite.workloads({ quick })) {
    const result = runWorkload(suite, workload, options, (r) =>
      progress(`${suite.name} ${workload.name} ${r.impl} done`),
    );
    progress('');
    errors += result.results.filter((r) => r.error !== undefined).length;
    if (json) {
      for (const line of jsonLines(result, { quick, node: process.version })) console.log(line);
    } else {
      console.log(`\n${formatWorkload(suite, result)}`);
    }
  }
}
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (!values.child)
  say(`\ndone in ${seconds.toFixed(1)} s${errors > 0 ? `, ${errors} error(s)` : ''}`);
if (errors > 0) process.exitCode = 1;
