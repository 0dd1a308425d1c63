/**
 * Every `examples/NAME.ts` runs as its own process (as `npx tsx examples/NAME.ts`) and must
 * exit 0 and print exactly `examples/NAME.out`. A missing `.out` is a failure.
 *
 * To record the current outputs on purpose: `npm run examples:update` (or
 * `UPDATE_EXAMPLES=1 npm test`), then review the diff.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  expectedOutput,
  listExamples,
  outputPath,
  runExample,
  strayOutputs,
} from '../scripts/lib/examples.js';
import { describeExit } from '../scripts/lib/run-ts.js';

const update = process.env.UPDATE_EXAMPLES === '1';
const names = listExamples();

describe('examples', () => {
  it('exist, and every .out file belongs to one', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(strayOutputs()).toEqual([]);
  });

  it.concurrent.each(names)('examples/%s.ts', async (name) => {
    const result = await runExample(name);
    if (result.code !== 0) {
      expect.fail(`examples/${name}.ts failed (${describeExit(result)}):\n${result.stderr}`);
    }
    if (update) {
      writeFileSync(outputPath(name), result.stdout);
      return;
    }
    const expected = expectedOutput(name);
    if (expected === undefined) {
      expect.fail(
        `examples/${name}.out is missing. Record it with \`npm run examples:update -- ${name}\` ` +
          `and review it. The example printed:\n${result.stdout}`,
      );
    }
    expect(result.stdout).toBe(expected);
  });
});
