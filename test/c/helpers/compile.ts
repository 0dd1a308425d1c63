/**
 * Live compilers for the tests of test/c/ (`npm run test:c`): C built with c/layouts/harness.h,
 * with the commands of c/artifacts.ts, into a scratch directory. clang makes a wasm32 module
 * (run here by helpers/oracle.ts's `wasmOracle`); gcc makes a native x86-64 program, run as a
 * child process. A missing compiler fails with the packages to install (no skip).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BIND_CHECK,
  CLANG_WASM32,
  GCC_NATIVE,
  LAYOUT_FLAGS,
  WARNINGS,
  type Tool,
} from '../../../c/artifacts.js';
import { toolVersions, wasmText } from '../../../scripts/lib/c-build.js';
import { ROOT } from '../../../scripts/lib/run-ts.js';
import {
  fromHex,
  parseTable,
  toHex,
  wasmOracle,
  type Oracle,
  type WasmOracle,
} from '../../foreign/helpers/oracle.js';

let scratch: string | undefined;
let count = 0;

/** A fresh path in this process's scratch directory. */
const scratchPath = (name: string): string => {
  scratch ??= mkdtempSync(join(tmpdir(), 'foreign-ts-test-c-'));
  return join(scratch, `${count++}-${name}`);
};

/** Removes the scratch directory (call it in `afterAll`). */
export const removeScratch = (): void => {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
};

/**
 * A C file: a path in the repository (compiled with the warnings of c/artifacts.ts, as the
 * artifacts are), or a generated text (written to the scratch directory, compiled with `-w`).
 */
export type CFile = { readonly path: string } | { readonly text: string };

/** The path to compile and the warning flags for it. */
const input = (file: CFile): string[] => {
  if ('path' in file) return [...WARNINGS, file.path];
  const path = scratchPath('source.c');
  writeFileSync(path, file.text);
  return ['-w', path];
};

const run = (tools: readonly Tool[], argv: readonly string[], input?: string): string => {
  toolVersions(tools);
  const [command, ...args] = argv;
  const result = spawnSync(command as string, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    ...(input === undefined ? {} : { input }),
  });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `\`${argv.join(' ')}\` failed (${result.error?.message ?? `exit ${result.status}`}):\n` +
        result.stderr,
    );
  }
  return result.stdout;
};

/** `file` compiled by clang for wasm32 and instantiated. */
export const clangWasm32 = (file: CFile): WasmOracle => {
  const out = scratchPath('module.wasm');
  const source = input(file);
  run(['clang', 'wasm-ld'], [...CLANG_WASM32, ...LAYOUT_FLAGS, '-o', out, ...source]);
  return wasmOracle(readFileSync(out), `clang --target=wasm32 ${source.at(-1)}`);
};

/** `file` compiled by gcc for this machine (x86-64), asked through its stdin. */
export const gccNative = (file: CFile): Oracle => {
  const exe = scratchPath('program');
  const source = input(file);
  run(['gcc'], [...GCC_NATIVE, ...LAYOUT_FLAGS, '-o', exe, ...source]);
  const what = `gcc ${source.at(-1)}`;
  const table = parseTable(run([], [exe, 'describe']), `${what} describe`);
  /** The program's answers to these lines of its stdin protocol (see c/layouts/harness.h). */
  const ask = (lines: readonly string[]): string[] => {
    if (lines.length === 0) return [];
    const answers = run([], [exe], lines.join('\n') + '\n')
      .trimEnd()
      .split('\n');
    for (const line of answers) if (line.startsWith('unknown')) throw new Error(`${what}: ${line}`);
    return answers;
  };
  return {
    source: what,
    table,
    live: true,
    run: (requests) =>
      ask(
        requests.map((r) =>
          r.op === 'copy' ? `copy ${r.type} ${toHex(r.bytes)}` : `fill ${r.type}`,
        ),
      ).map(fromHex),
    sum: (requests) =>
      ask(requests.map((r) => `sum ${r.type} ${toHex(r.bytes)}`)).map((line) =>
        BigInt(`0x${line}`),
      ),
  };
};

/**
 * The table a check program of `foreign-ts bind` (src/cli/bind/emit-c.ts) prints, compiled by
 * clang for `model` with the binding's clang arguments, as c/artifacts.ts compiles it.
 */
export const bindCheckTable = (
  text: string,
  model: 'wasm32' | 'x86_64',
  clangArgs: readonly string[] = [],
): string => {
  const dir = scratchPath('check');
  mkdirSync(dir);
  const vars = (w: string): string => w.replace('$TMP', dir);
  writeFileSync(join(dir, 'check.c'), text);
  const { compile, print } = BIND_CHECK[model];
  run(['clang'], [...compile.map(vars), ...clangArgs, join(dir, 'check.c')]);
  return 'wasm' in print
    ? wasmText(readFileSync(vars(print.wasm)), print.call, 'the check program')
    : run([], print.run.map(vars));
};
