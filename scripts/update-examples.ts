/**
 * `npm run examples:update [-- NAME…]`: runs the examples (all, or the ones named) and writes
 * each one's standard output to `examples/NAME.out`, the output `test/examples.test.ts` expects.
 * An example that fails keeps its old `.out`, and the command exits non-zero.
 *
 * Review the diff before committing: a changed `.out` is a changed behaviour.
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ROOT, describeExit } from './lib/run-ts.js';
import { expectedOutput, listExamples, outputPath, runExample } from './lib/examples.js';

const all = listExamples();
const wanted = process.argv.slice(2).map((a) => a.replace(/^examples\//, '').replace(/\.ts$/, ''));
const unknown = wanted.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(`No such example(s): ${unknown.join(', ')}. Known: ${all.join(', ')}`);
  process.exit(2);
}

let failures = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  const result = await runExample(name);
  const out = relative(ROOT, outputPath(name));
  if (result.code !== 0) {
    failures++;
    console.error(`✗ ${name}: ${describeExit(result)}; ${out} left as it was\n${result.stderr}`);
    continue;
  }
  const before = expectedOutput(name);
  writeFileSync(outputPath(name), result.stdout);
  console.log(`${before === result.stdout ? '=' : before === undefined ? '+' : '~'} ${out}`);
}
process.exitCode = failures > 0 ? 1 : 0;
