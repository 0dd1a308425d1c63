/**
 * Builds every C artifact of c/artifacts.ts (needs the tools they name: clang, lld, gcc).
 *
 *   npm run build:c                      build, then replace c/build/ with the outputs and
 *                                        manifest.json (review the diff, commit c/build/)
 *   tsx scripts/build-c.ts --check       build into a temporary directory and compare with
 *                                        c/build/, byte for byte (the first step of test:c)
 *
 * Exit status 1 when the build cannot run or, with --check, when a rebuilt file differs. A
 * local compiler whose version differs from the one recorded in c/build/manifest.json is
 * reported in both modes.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ARTIFACTS, C_BUILD, MANIFEST } from '../c/artifacts.js';
import {
  CBuildError,
  buildInto,
  manifestOf,
  manifestText,
  readManifest,
  toolVersions,
  toolsNeeded,
  versionDifferences,
  type Manifest,
} from './lib/c-build.js';
import { ROOT } from './lib/run-ts.js';

const committedDir = join(ROOT, C_BUILD);
const expected = new Set([...ARTIFACTS.map((a) => a.name), basename(MANIFEST)]);

const recordedManifest = (): Manifest | undefined =>
  existsSync(join(ROOT, MANIFEST)) ? readManifest() : undefined;

/**
 * Where two files first differ, said briefly: a line for text (the tables and the generated
 * modules), a byte offset otherwise.
 */
const firstDifference = (name: string, ours: Buffer, theirs: Buffer): string => {
  const sizes = `${theirs.length} bytes committed, ${ours.length} rebuilt`;
  if (/\.(json|ts)$/.test(name)) {
    const a = theirs.toString('utf8').split('\n');
    const b = ours.toString('utf8').split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    const at = line < 0 ? a.length : line;
    return `${sizes}; line ${at + 1}:\n    committed: ${a[at] ?? '(none)'}\n    rebuilt:   ${b[at] ?? '(none)'}`;
  }
  let i = 0;
  while (i < ours.length && i < theirs.length && ours[i] === theirs[i]) i++;
  return `${sizes}; first difference at byte ${i}`;
};

const build = (): void => {
  mkdirSync(committedDir, { recursive: true });
  const tools = toolVersions(toolsNeeded());
  const before = recordedManifest();
  const dir = mkdtempSync(join(tmpdir(), 'foreign-ts-build-c-'));
  try {
    buildInto(dir);
    for (const a of ARTIFACTS)
      writeFileSync(join(committedDir, a.name), readFileSync(join(dir, a.name)));
    writeFileSync(join(ROOT, MANIFEST), manifestText(manifestOf(committedDir, tools)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const file of readdirSync(committedDir)) {
    if (!expected.has(file)) {
      rmSync(join(committedDir, file));
      console.log(`removed ${C_BUILD}/${file} (no artifact of c/artifacts.ts makes it)`);
    }
  }
  const manifest = readManifest();
  for (const [name, entry] of Object.entries(manifest.artifacts)) {
    const changed = before?.artifacts[name]?.output.sha256 !== entry.output.sha256;
    console.log(
      `${changed ? 'changed ' : 'same    '} ${C_BUILD}/${name} (${entry.output.bytes} bytes)`,
    );
  }
  const versions = before === undefined ? [] : versionDifferences(before.tools, tools);
  for (const line of versions) console.log(`note: ${line}`);
  console.log(`wrote ${MANIFEST}; review the diff of ${C_BUILD}/ and commit it.`);
};

const check = (): number => {
  const recorded = recordedManifest();
  if (recorded === undefined) {
    console.error(`${MANIFEST} is missing: run npm run build:c and commit ${C_BUILD}/.`);
    return 1;
  }
  const tools = toolVersions(toolsNeeded());
  const versions = versionDifferences(recorded.tools, tools);
  for (const line of versions) console.log(`note: ${line}`);
  const dir = mkdtempSync(join(tmpdir(), 'foreign-ts-check-c-'));
  buildInto(dir);
  const problems: string[] = [];
  for (const a of ARTIFACTS) {
    const path = join(committedDir, a.name);
    const ours = readFileSync(join(dir, a.name));
    if (!existsSync(path)) {
      problems.push(
        `${C_BUILD}/${a.name} is not committed (the rebuild made ${ours.length} bytes)`,
      );
      continue;
    }
    const theirs = readFileSync(path);
    if (!ours.equals(theirs)) {
      problems.push(
        `${C_BUILD}/${a.name} differs from its rebuild: ${firstDifference(a.name, ours, theirs)}`,
      );
    }
  }
  const rebuilt = manifestOf(dir, tools);
  for (const a of ARTIFACTS) {
    if (!isDeepStrictEqual(recorded.artifacts[a.name], rebuilt.artifacts[a.name])) {
      problems.push(`${MANIFEST}: the entry of ${a.name} is not what a rebuild records`);
    }
  }
  for (const file of readdirSync(committedDir)) {
    if (!expected.has(file))
      problems.push(`${C_BUILD}/${file}: no artifact of c/artifacts.ts makes it`);
  }
  if (problems.length === 0) {
    rmSync(dir, { recursive: true, force: true });
    console.log(
      `c/build/ is what c/artifacts.ts makes: ${ARTIFACTS.length} artifacts rebuilt, byte for byte the same.`,
    );
    return 0;
  }
  console.error(problems.map((p) => `- ${p}`).join('\n'));
  console.error(
    `\nThe rebuilt files are in ${dir}.` +
      (versions.length > 0
        ? `\nThe local tools differ from those c/build/ was made with (above): that may be the cause. ` +
          'Rebuild with the recorded versions (Debian bookworm, as CI), or run npm run build:c and ' +
          'commit the new outputs with the versions they record.'
        : `\nRun npm run build:c and commit ${C_BUILD}/ if the change is meant; otherwise find what ` +
          'makes the build differ (it must be deterministic).'),
  );
  return 1;
};

try {
  process.exitCode = process.argv.includes('--check') ? check() : (build(), 0);
} catch (error) {
  if (!(error instanceof CBuildError)) throw error;
  console.error(`build:c: ${error.message}`);
  process.exitCode = 1;
}
