/**
 * The machinery behind `npm run build:c` and the rebuild check of `npm run test:c`: runs the
 * steps of the artifacts of c/artifacts.ts into a directory, writes and reads the manifest,
 * and compares a build with the committed one. test/c-artifacts.test.ts uses the manifest
 * functions (no compiler needed for those).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ARTIFACTS,
  C_BUILD,
  MANIFEST,
  TOOLS,
  type Artifact,
  type Step,
  type Tool,
} from '../../c/artifacts.js';
import { ROOT } from './run-ts.js';

// -------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------

/** What c/build/manifest.json records about one artifact. */
export interface ManifestEntry {
  readonly what: string;
  readonly tools: readonly Tool[];
  /** Source path -> SHA-256 of its bytes. */
  readonly sources: Readonly<Record<string, string>>;
  /** The steps, as text (see `stepText`). */
  readonly steps: readonly string[];
  readonly output: { readonly bytes: number; readonly sha256: string };
}

/** c/build/manifest.json. */
export interface Manifest {
  readonly comment: string;
  /** Tool -> the first line of its version output, on the machine that made c/build/. */
  readonly tools: Readonly<Record<string, string>>;
  readonly artifacts: Readonly<Record<string, ManifestEntry>>;
}

/** A build that could not run (a tool missing, a step failing): the message says what to do. */
export class CBuildError extends Error {
  override readonly name = 'CBuildError';
}

const COMMENT =
  'Written by `npm run build:c` (scripts/build-c.ts) from c/artifacts.ts: do not edit. ' +
  '`npm test` checks it against the sources and outputs; `npm run test:c` rebuilds and compares.';

// -------------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------------

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

const fromRoot = (path: string): string => join(ROOT, path);

/** A step as one line of text, for the manifest and for messages. */
export const stepText = (step: Step): string =>
  'run' in step
    ? step.run.join(' ') + (step.stdout === true ? ' > $OUT' : '')
    : `wasm ${step.wasm} ${step.call}() > $OUT`;

/** The text at `address` in a module's memory, up to its NUL byte (UTF-8). */
export const readCString = (memory: WebAssembly.Memory, address: number): string => {
  const u8 = new Uint8Array(memory.buffer);
  const end = u8.indexOf(0, address);
  if (end < 0) throw new CBuildError(`readCString: no NUL after address ${address}`);
  return new TextDecoder().decode(u8.subarray(address, end));
};

/** Instantiates `bytes` (a module with no imports) and returns the text its export `call` returns. */
export const wasmText = (
  bytes: Uint8Array<ArrayBuffer>,
  call: string,
  what = 'the module',
): string => {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const f = exports[call];
  const memory = exports.memory;
  if (typeof f !== 'function' || !(memory instanceof WebAssembly.Memory)) {
    throw new CBuildError(`${what} exports no function ${call} or no memory`);
  }
  const address = (f as () => number)();
  if (address === 0) throw new CBuildError(`${what}: ${call}() returned NULL`);
  return readCString(memory, address);
};

// -------------------------------------------------------------------------------------------
// tools
// -------------------------------------------------------------------------------------------

/** Every tool some artifact needs, in the order of TOOLS. */
export const toolsNeeded = (artifacts: readonly Artifact[] = ARTIFACTS): Tool[] =>
  (Object.keys(TOOLS) as Tool[]).filter((t) => artifacts.some((a) => a.tools.includes(t)));

/** The apt-get line that installs `tools`. */
export const aptLine = (tools: readonly Tool[]): string =>
  `apt-get install -y ${[...new Set(tools.map((t) => TOOLS[t].debian))].join(' ')}`;

/**
 * The version line of each tool, on this machine. Throws a CBuildError naming every missing
 * tool and the Debian packages to install.
 */
export const toolVersions = (tools: readonly Tool[]): Record<string, string> => {
  const versions: Record<string, string> = {};
  const missing: Tool[] = [];
  for (const tool of tools) {
    const [command, ...args] = TOOLS[tool].version;
    const result = spawnSync(command as string, args, { encoding: 'utf8' });
    if (result.error !== undefined || result.status !== 0) missing.push(tool);
    else versions[tool] = (result.stdout.split('\n')[0] ?? '').trim();
  }
  if (missing.length > 0) {
    const all = Object.keys(TOOLS) as Tool[];
    throw new CBuildError(
      `${missing.join(', ')} not found on the PATH (npm run build:c, npm run test:c and the ` +
        `tests of test/c/ need them). On Debian/Ubuntu: ${aptLine(missing)}` +
        (missing.length < all.length ? ` (every C tool: ${aptLine(all)})` : ''),
    );
  }
  return versions;
};

/** Lines saying which tools differ from those c/build/ was made with (none: empty). */
export const versionDifferences = (
  recorded: Readonly<Record<string, string>>,
  local: Readonly<Record<string, string>>,
): string[] =>
  Object.keys(local)
    .filter((tool) => recorded[tool] !== local[tool])
    .map(
      (tool) =>
        `${tool}: c/build/ was made with "${recorded[tool] ?? '(not recorded)'}", ` +
        `this machine has "${local[tool]}"`,
    );

// -------------------------------------------------------------------------------------------
// building
// -------------------------------------------------------------------------------------------

const substitute = (word: string, vars: Readonly<Record<string, string>>): string =>
  word.replace(/\$(OUT|TMP|BUILD)/g, (_, name: string) => vars[name] as string);

const runStep = (artifact: Artifact, step: Step, vars: Record<string, string>): void => {
  const out = vars.OUT as string;
  if ('wasm' in step) {
    const module = substitute(step.wasm, vars);
    writeFileSync(out, wasmText(readFileSync(module), step.call, `${artifact.name}: ${module}`));
    return;
  }
  const [command, ...args] = step.run.map((w) => substitute(w, vars));
  const result = spawnSync(command as string, args, {
    cwd: ROOT,
    encoding: 'buffer',
    env: { ...process.env, LC_ALL: 'C', SOURCE_DATE_EPOCH: '0' },
    maxBuffer: 1 << 28,
  });
  if (result.error !== undefined || result.status !== 0) {
    const stderr = result.stderr?.toString() ?? '';
    throw new CBuildError(
      `${artifact.name}: \`${stepText(step)}\` failed` +
        (result.error !== undefined ? ` (${result.error.message})` : ` (exit ${result.status})`) +
        (stderr === '' ? '' : `:\n${stderr}`),
    );
  }
  if (step.stdout === true) writeFileSync(out, result.stdout);
};

/** Runs every artifact's steps, in registry order, writing the outputs into `dir`. */
export const buildInto = (dir: string, artifacts: readonly Artifact[] = ARTIFACTS): void => {
  mkdirSync(dir, { recursive: true });
  for (const artifact of artifacts) {
    const scratch = mkdtempSync(join(tmpdir(), `foreign-ts-c-${artifact.name}-`));
    try {
      const vars = { OUT: join(dir, artifact.name), TMP: scratch, BUILD: dir };
      for (const step of artifact.steps) runStep(artifact, step, vars);
      if (!existsSync(vars.OUT)) {
        throw new CBuildError(`${artifact.name}: its steps wrote no ${vars.OUT}`);
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
};

// -------------------------------------------------------------------------------------------
// the manifest
// -------------------------------------------------------------------------------------------

/** What the manifest says about `artifact`, given its output's bytes. */
export const manifestEntry = (artifact: Artifact, output: Uint8Array): ManifestEntry => ({
  what: artifact.what,
  tools: artifact.tools,
  sources: Object.fromEntries(
    artifact.sources.map((s) => [s, sha256(readFileSync(fromRoot(s)))] as const),
  ),
  steps: artifact.steps.map(stepText),
  output: { bytes: output.length, sha256: sha256(output) },
});

/** The manifest of the outputs in `dir`, made with tools of the given versions. */
export const manifestOf = (dir: string, tools: Readonly<Record<string, string>>): Manifest => ({
  comment: COMMENT,
  tools,
  artifacts: Object.fromEntries(
    ARTIFACTS.map((a) => [a.name, manifestEntry(a, readFileSync(join(dir, a.name)))] as const),
  ),
});

export const manifestText = (manifest: Manifest): string =>
  JSON.stringify(manifest, null, 2) + '\n';

/** The committed c/build/manifest.json. */
export const readManifest = (): Manifest =>
  JSON.parse(readFileSync(fromRoot(MANIFEST), 'utf8')) as Manifest;

/** The committed output of `artifact`. */
export const committedOutput = (artifact: Artifact): Buffer =>
  readFileSync(fromRoot(`${C_BUILD}/${artifact.name}`));
