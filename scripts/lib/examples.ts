/**
 * The examples: `examples/NAME.ts` programs, run in name order, each with its expected standard
 * output in `examples/NAME.out`. Shared by the tour (`npm start`), the example test
 * (`test/examples.test.ts`) and `npm run examples:update`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runTs, type RunOptions, type RunResult } from './run-ts.js';

export const EXAMPLES_DIR = join(ROOT, 'examples');

/** The names of the examples (`NAME` for `examples/NAME.ts`), in code-point order. */
export const listExamples = (): string[] =>
  existsSync(EXAMPLES_DIR)
    ? readdirSync(EXAMPLES_DIR)
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
        .map((f) => f.slice(0, -'.ts'.length))
        .sort()
    : [];

/** `.out` files whose example does not exist (left behind by a rename). */
export const strayOutputs = (): string[] => {
  const names = new Set(listExamples());
  return existsSync(EXAMPLES_DIR)
    ? readdirSync(EXAMPLES_DIR)
        .filter((f) => f.endsWith('.out') && !names.has(f.slice(0, -'.out'.length)))
        .sort()
    : [];
};

export const sourcePath = (name: string): string => join(EXAMPLES_DIR, `${name}.ts`);
export const outputPath = (name: string): string => join(EXAMPLES_DIR, `${name}.out`);

/** The expected output of an example, or `undefined` when it has no `.out` file. */
export const expectedOutput = (name: string): string | undefined =>
  existsSync(outputPath(name)) ? readFileSync(outputPath(name), 'utf8') : undefined;

/** Runs one example as its own process, as `npx tsx examples/NAME.ts` would. */
export const runExample = (name: string, options: RunOptions = {}): Promise<RunResult> =>
  runTs(join('examples', `${name}.ts`), options);

/**
 * The first sentence of an example's leading comment (`//` lines or a `/** … *\/` block), for
 * the tour's headings; `''` when it has none.
 */
export const summaryOf = (name: string): string => {
  const lines = readFileSync(sourcePath(name), 'utf8').split('\n');
  const text: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' && text.length === 0) continue;
    const m = /^(?:\/\/+|\/\*\*?|\*(?!\/))\s?(.*?)(?:\s*\*\/)?$/.exec(line);
    if (m === null || line.startsWith('*/')) break;
    if (m[1] === '' && text.length > 0) break;
    if (m[1] !== '') text.push(m[1] ?? '');
    if (line.endsWith('*/')) break;
  }
  const joined = text.join(' ');
  const end = joined.search(/\.(\s|$)/);
  return end < 0 ? joined : joined.slice(0, end + 1);
};
