/**
 * `foreign-ts bind` with a live clang (`npm run test:c`):
 *
 * - random layouts (helpers/cgen.ts's header of them, 40 per data model; FOREIGN_TS_LONG=1 for 20
 *   times more, FOREIGN_TS_SEED for another seed) bound by the generator, whose module must be
 *   what the clang-compiled check program reports (as the committed bindings are checked in
 *   test/foreign/bindings.test.ts), and whose layouts have the random layouts' sizes;
 * - the errors that need clang: a header that does not parse, `--strict` with a refused
 *   declaration, a target of another data model; and the report of what was refused.
 */
import fc from 'fast-check';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/run-ts.js';
import { emitCheck } from '../../src/cli/bind/emit-c.js';
import { emitModule } from '../../src/cli/bind/emit-ts.js';
import { collect } from '../../src/cli/bind/collect.js';
import { main } from '../../src/cli/main.js';
import { lp64, wasm32, type DataModel, type Storable } from '../../src/foreign/index.js';
import { layoutArb, runs } from '../foreign/helpers/arbitrary.js';
import { tableOf, type BindingTable, type BoundModule } from '../foreign/helpers/bindings.js';
import { cHeader } from './helpers/cgen.js';
import { bindCheckTable, removeScratch } from './helpers/compile.js';

// Inside the repository (the module imports the library by path from here); .tmp/ is not in git.
const dir = join(ROOT, '.tmp', `bind-live-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeScratch();
});

const run = (...argv: string[]): { code: number; err: string } => {
  let err = '';
  const code = main(argv, { out: () => undefined, err: (t) => (err += `${t}\n`) });
  return { code, err };
};

const targets: Array<{ model: DataModel<any>; name: 'wasm32' | 'x86_64'; seed: number }> = [
  { model: wasm32, name: 'wasm32', seed: 21 },
  { model: lp64, name: 'x86_64', seed: 23 },
];

for (const { model, name, seed: defaultSeed } of targets) {
  describe(`random layouts on ${name}, bound by foreign-ts bind`, () => {
    const seed = Number(process.env.FOREIGN_TS_SEED ?? defaultSeed);
    const roots: Array<Storable<any>> = fc.sample(layoutArb(model), { seed, numRuns: runs(40) });

    it('every layout of the module is what clang reports, and has the size and alignment of the random one', async () => {
      const header = join(dir, `random.${name}.h`);
      writeFileSync(header, cHeader(roots));
      const bindings = collect({ header, model: name });
      expect(bindings.refused).toEqual([]);
      const file = join(dir, `random.${name}.ts`);
      const library = join(ROOT, 'src/index.ts');
      writeFileSync(file, emitModule(bindings).replace(/from 'foreign-ts';/, `from '${library}';`));
      const module = (await import(file)) as BoundModule;
      const table = JSON.parse(bindCheckTable(emitCheck(bindings), name)) as BindingTable;
      expect(tableOf(module, table)).toEqual(table);
      roots.forEach((S, k) => {
        const R = module.types[`R${k}`] as Storable<any>;
        expect({ k, size: R.sizeOf, align: R.alignment }).toEqual({
          k,
          size: S.sizeOf,
          align: S.alignment,
        });
      });
    });
  });
}

describe('foreign-ts bind: errors that need clang', () => {
  it("a header that does not parse: exit 1, with clang's diagnostics, nothing written", () => {
    const header = join(dir, 'broken.h');
    writeFileSync(header, 'struct broken { int x }\n');
    const out = join(dir, 'broken.ts');
    const { code, err } = run('bind', header, '--out', out);
    expect(code).toBe(1);
    expect(err).toMatch(new RegExp(`^foreign-ts bind: clang failed on ${header} \\(exit 1\\):\n`));
    expect(err).toMatch(/broken\.h:1:\d+: error: /);
    expect(existsSync(out)).toBe(false);
  });

  it('--strict: exit 1, each refused declaration named with its place, nothing written', () => {
    const out = join(dir, 'strict.ts');
    const { code, err } = run('bind', 'c/bindings/features.h', '--strict', '--out', out);
    expect(code).toBe(1);
    expect(err).toMatch(
      /^foreign-ts bind: 10 declarations refused \(--strict: nothing written\):\n/,
    );
    expect(err).toMatch(
      /^c\/bindings\/features\.h:\d+: error: struct has_long_double: long double \(80-bit on x86-64, 128-bit on wasm32/m,
    );
    expect(err).toMatch(
      /^c\/bindings\/features\.h:\d+: error: variable global_counter: a variable/m,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('without --strict: the module is written, and each refusal is reported with its place', () => {
    const out = join(dir, 'features.ts');
    const { code, err } = run('bind', 'c/bindings/features.h', '--model', 'x86_64', '--out', out);
    expect(code).toBe(0);
    expect(err).toMatch(
      new RegExp(
        `^c/bindings/features.h \\(x86_64\\): wrote ${out}: \\d+ structs and unions, .*; 10 refused\n`,
      ),
    );
    expect(err).toMatch(
      /^c\/bindings\/features\.h:\d+: refused: union bits_in_union: a bit-field in a union/m,
    );
    expect(readFileSync(out, 'utf8')).toMatch(/^const m = lp64;$/m);
  });

  it('a target of another data model: exit 1, naming both', () => {
    const header = join(dir, 'small.h');
    writeFileSync(header, 'struct small { long n; };\n');
    const { code, err } = run(
      'bind',
      header,
      '--model',
      'x86_64',
      '--target',
      'i386-linux-gnu',
      '--out',
      join(dir, 'i386.ts'),
    );
    expect({ code, err }).toEqual({
      code: 1,
      err:
        'foreign-ts bind: the target i386-linux-gnu has 4-byte pointers and 4-byte longs, not ' +
        "the x86_64 data model's 8 and 8\n",
    });
  });
});
