/**
 * The layer rules the linter enforces (scripts/lint/layers.js): a forbidden import written into
 * a temporary file is refused by ESLint run with this repository's configuration, the allowed
 * forms pass, and the tables of CONTRIBUTING.md ("Where code goes") are the linter's.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/run-ts.js';
import { FOREIGN_UNITS, LAYERS } from '../../scripts/lint/layers.js';

const work = mkdtempSync(join(tmpdir(), 'foreign-ts-layers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes `code` to `work/src/<file>` and lints it with the repository's ESLint configuration. */
const lint = async (file: string, code: string): Promise<string[]> => {
  const path = join(work, 'src', file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, code);
  const eslint = new ESLint({ cwd: work, overrideConfigFile: join(ROOT, 'eslint.config.js') });
  const [result] = await eslint.lintFiles([path]);
  return result!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
};

describe('the layer rules', () => {
  it('refuse heap/ importing foreign/', async () => {
    expect(
      await lint('heap/forbidden.ts', "export { foreign } from '../foreign/index.js';\n"),
    ).toEqual(['heap/ may not import foreign/: a layer imports only from the layers below it']);
  });

  it('refuse siblings importing each other (kernel/ and area/)', async () => {
    expect(await lint('area/pools.ts', "import type { X } from '../kernel/index.js';\n")).toEqual([
      'area/ may not import kernel/: a layer imports only from the layers below it',
    ]);
  });

  it('refuse reaching into another folder past its index.ts', async () => {
    expect(await lint('interface/deep.ts', "import { Heap } from '../heap/heap.js';\n")).toEqual([
      'import heap/ through its index.ts, not heap.ts',
    ]);
    expect(
      await lint(
        'foreign/marshal/deep.ts',
        "import { scalarSize } from '../storable/scalars.js';\n",
      ),
    ).toEqual(['import foreign/storable/ through its index.ts, not scalars.ts']);
  });

  it('refuse a folder of foreign/ importing one above it', async () => {
    expect(
      await lint('foreign/storable/up.ts', "import { cString } from '../c/index.js';\n"),
    ).toEqual([
      'foreign/storable may not import foreign/c: a folder imports only from the folders below it',
    ]);
  });

  it('refuse a layer the table does not know', async () => {
    expect(await lint('wasm2/x.ts', "import { Heap } from '../heap/index.js';\n")).toEqual([
      'wasm2/ is not a layer of scripts/lint/layers.js: add it',
    ]);
  });

  it('accept imports downward through faces, files of foreign/, and within a folder', async () => {
    expect(
      await lint(
        'foreign/c/ok.ts',
        [
          "import { checkSize } from '../../arguments/index.js';",
          "import type { Context } from '../../interface/index.js';",
          "import { nullPtr } from '../ptr.js';",
          "import { bytesAt } from '../storable/index.js';",
          "import { utf8Length } from './utf8.js';",
          'export const all = [checkSize, nullPtr, bytesAt, utf8Length] as const;',
          'export type C = Context;',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});

describe('CONTRIBUTING.md, "Where code goes"', () => {
  const page = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
  it('lists every layer and every unit of foreign/ with the linter’s rank', () => {
    for (const { name, rank } of [...LAYERS, ...FOREIGN_UNITS]) {
      const label = name.endsWith('.ts') ? name : `${name}/`;
      expect(page, label).toMatch(
        new RegExp(`\\| \`[^|]*${label.replace('.', '\\.')}\` +\\| ${rank} +\\|`),
      );
    }
  });
});
