/**
 * The committed C artifacts (c/artifacts.ts, c/build/), checked with no compiler: the manifest
 * matches the registry, the sources and the outputs, so that an edited C source or command
 * that was not rebuilt fails here, on a machine with Node alone. The rebuild itself, with the
 * compilers, is `npm run test:c` (scripts/build-c.ts --check). Also the build machinery of
 * scripts/lib/c-build.ts, on steps that need no compiler.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ARTIFACTS, C_BUILD, MANIFEST, TOOLS, type Artifact } from '../c/artifacts.js';
import {
  CBuildError,
  buildInto,
  committedOutput,
  readManifest,
  sha256,
  stepText,
  toolVersions,
  toolsNeeded,
  versionDifferences,
} from '../scripts/lib/c-build.js';
import { ROOT } from '../scripts/lib/run-ts.js';

const REBUILD = 'run npm run build:c (needs clang, lld, gcc) and commit c/build/';
const manifest = readManifest();

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'foreign-ts-c-artifacts-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe(`${MANIFEST}`, () => {
  it('lists every artifact of c/artifacts.ts and no other, with its tools and commands', () => {
    expect(Object.keys(manifest.artifacts), REBUILD).toEqual(ARTIFACTS.map((a) => a.name));
    for (const a of ARTIFACTS) {
      const entry = manifest.artifacts[a.name];
      expect(
        { name: a.name, what: entry?.what, tools: entry?.tools, steps: entry?.steps },
        `${a.name}: c/artifacts.ts changed after c/build/ was made: ${REBUILD}`,
      ).toEqual({ name: a.name, what: a.what, tools: a.tools, steps: a.steps.map(stepText) });
    }
  });

  it('records the version of every tool the artifacts need', () => {
    expect(Object.keys(manifest.tools)).toEqual(toolsNeeded());
    for (const version of Object.values(manifest.tools)) expect(version).toMatch(/\d+\.\d+/);
  });

  it('was made from the sources as they are now', () => {
    for (const a of ARTIFACTS) {
      const recorded = manifest.artifacts[a.name]?.sources ?? {};
      expect(Object.keys(recorded), `${a.name}: ${REBUILD}`).toEqual(a.sources);
      for (const source of a.sources) {
        expect(
          sha256(readFileSync(join(ROOT, source))),
          `${source} changed after c/build/${a.name} was made: ${REBUILD}`,
        ).toBe(recorded[source]);
      }
    }
  });

  it('records the committed outputs (size and SHA-256)', () => {
    for (const a of ARTIFACTS) {
      const bytes = committedOutput(a);
      expect(
        { name: a.name, bytes: bytes.length, sha256: sha256(bytes) },
        `${C_BUILD}/${a.name} is not the file the manifest records: ${REBUILD}`,
      ).toEqual({ name: a.name, ...manifest.artifacts[a.name]?.output });
    }
  });
});

describe(`${C_BUILD}/`, () => {
  it('holds the outputs of the artifacts and the manifest, nothing else', () => {
    expect(readdirSync(join(ROOT, C_BUILD)).sort()).toEqual(
      [...ARTIFACTS.map((a) => a.name), basename(MANIFEST)].sort(),
    );
  });

  it('every artifact that needs no tool rebuilds from the committed files, byte for byte', () => {
    const toolless = ARTIFACTS.filter((a) => a.tools.length === 0);
    expect(toolless.length).toBeGreaterThan(0);
    const dir = tempDir();
    cpSync(join(ROOT, C_BUILD), dir, { recursive: true });
    buildInto(dir, toolless);
    for (const a of toolless) {
      expect(readFileSync(join(dir, a.name)).equals(committedOutput(a)), a.name).toBe(true);
    }
  });
});

describe('.ci/run', () => {
  it('installs the Debian package of every tool of c/artifacts.ts, then runs npm run test:c after npm test', () => {
    const script = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    const packages = /^c_packages=\(([^)]*)\)$/m.exec(script)?.[1]?.split(' ') ?? [];
    expect(packages).toEqual(
      expect.arrayContaining(Object.values(TOOLS).flatMap((t) => t.debian.split(' '))),
    );
    const steps = [...script.matchAll(/^step '([^']+)'$/gm)].map((m) => m[1]);
    expect(steps.indexOf('npm run test:c')).toBe(steps.indexOf('npm test') + 1);
  });
});

describe('the build machinery (scripts/lib/c-build.ts)', () => {
  const node = (name: string, script: string, stdout = true): Artifact => ({
    name,
    what: 'a test artifact',
    sources: [],
    tools: [],
    steps: [
      {
        run: [process.execPath, '-e', script, '$OUT', '$TMP', '$BUILD'],
        ...(stdout ? { stdout: true } : {}),
      },
    ],
  });

  it('runs the steps in order, with $OUT, $TMP and $BUILD, capturing stdout where asked', () => {
    const dir = tempDir();
    buildInto(dir, [
      node('a.txt', "process.stdout.write('first')"),
      node(
        'b.txt',
        "const fs = require('node:fs'); const [out, tmp, build] = process.argv.slice(1);" +
          "fs.writeFileSync(tmp + '/x', 'scratch');" +
          "fs.writeFileSync(out, fs.readFileSync(build + '/a.txt', 'utf8') + ' ' + fs.readFileSync(tmp + '/x'))",
        false,
      ),
    ]);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('first');
    expect(readFileSync(join(dir, 'b.txt'), 'utf8')).toBe('first scratch');
  });

  it('a failing step is a CBuildError naming the artifact, the command and its stderr', () => {
    const build = (): void =>
      buildInto(tempDir(), [node('c.txt', "console.error('broken'); process.exit(3)")]);
    expect(build).toThrow(CBuildError);
    expect(build).toThrow(/^c\.txt: `.* -e .*` failed \(exit 3\):\nbroken/);
  });

  it('a step that writes no output is an error', () => {
    expect(() => buildInto(tempDir(), [node('d.txt', '0', false)])).toThrow(
      /^d\.txt: its steps wrote no /,
    );
  });

  it('a missing tool is a CBuildError naming it and the Debian packages to install', () => {
    const path = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      expect(() => toolVersions(['clang', 'wasm-ld', 'gcc', 'wasi-libc'])).toThrow(
        new CBuildError(
          'clang, wasm-ld, gcc, wasi-libc not found on the PATH (npm run build:c, npm run ' +
            'test:c and the tests of test/c/ need them). On Debian/Ubuntu: apt-get install -y ' +
            'clang lld gcc wasi-libc libclang-rt-14-dev-wasm32 (every C tool: apt-get install -y ' +
            'clang lld gcc wasi-libc libclang-rt-14-dev-wasm32 zlib1g-dev libsdl2-dev libc6-dev)',
        ),
      );
      expect(() => toolVersions(['gcc'])).toThrow(
        /^gcc not found on the PATH .* apt-get install -y gcc \(every C tool: apt-get install -y clang lld gcc wasi-libc libclang-rt-14-dev-wasm32 zlib1g-dev libsdl2-dev libc6-dev\)$/,
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it('names the tools whose version differs from the recorded one', () => {
    expect(
      versionDifferences(
        { gcc: 'gcc 12', clang: 'clang 14' },
        { gcc: 'gcc 13', clang: 'clang 14' },
      ),
    ).toEqual(['gcc: c/build/ was made with "gcc 12", this machine has "gcc 13"']);
  });
});
