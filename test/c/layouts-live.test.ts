/**
 * Layouts against live compilers (`npm run test:c`: needs clang, lld and gcc; a missing one
 * fails with the packages to install):
 *
 * - the corpus c/layouts/layouts.c compiled by gcc and run natively, so that C's copy_T,
 *   sum_T and fill_T answer live on LP64 (gcc checksums the values this library poked, which
 *   `npm test` cannot do from the table), and the model of the copy that `npm test` uses from
 *   the committed table (helpers/oracle.ts's `copyByTable`) is checked on every request;
 * - random layouts (60 per data model; FOREIGN_TS_LONG=1 for 20 times more, FOREIGN_TS_SEED for
 *   another seed), written as C by helpers/cgen.ts, compiled by clang for wasm32 and by gcc for
 *   x86-64, checked the same way as the corpus.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe } from 'vitest';
import { lp64, wasm32, type DataModel } from '../../src/foreign/index.js';
import { layoutArb, runs } from '../foreign/helpers/arbitrary.js';
import { cFills, cTypes } from '../foreign/helpers/c-types.js';
import { checkTypes } from '../foreign/helpers/layout-checks.js';
import type { Oracle } from '../foreign/helpers/oracle.js';
import { cSource } from './helpers/cgen.js';
import { clangWasm32, gccNative, removeScratch, type CFile } from './helpers/compile.js';

afterAll(removeScratch);

/** Registers the checks with an oracle made before the tests run (compiling takes a while). */
const against = (
  make: () => Oracle,
  ...rest: Parameters<typeof checkTypes> extends [unknown, ...infer R] ? R : never
): void => {
  let oracle: Oracle | undefined;
  beforeAll(() => {
    oracle = make();
  });
  checkTypes(() => oracle as Oracle, ...rest);
};

describe('c/layouts/layouts.c on lp64, compiled by gcc and run', () => {
  against(() => gccNative({ path: 'c/layouts/layouts.c' }), cTypes(lp64), cFills(lp64), 42);
});

const targets: Array<{ model: DataModel<any>; compile: (file: CFile) => Oracle; seed: number }> = [
  { model: wasm32, compile: clangWasm32, seed: 7 },
  { model: lp64, compile: gccNative, seed: 11 },
];

for (const { model, compile, seed: defaultSeed } of targets) {
  describe(`random layouts on ${model.name}`, () => {
    const seed = Number(process.env.FOREIGN_TS_SEED ?? defaultSeed);
    const roots = fc.sample(layoutArb(model), { seed, numRuns: runs(60) });
    const types = Object.fromEntries(roots.map((S, k) => [`R${k}`, S]));
    against(() => compile({ text: cSource(roots) }), types, undefined, 3);
  });
}
