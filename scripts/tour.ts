/**
 * `npm start`: the tour. Runs every `examples/*.ts` in name order, each in its own process as a
 * user would run it, and prints a heading for each followed by its output. Exits non-zero
 * when an example fails (after running the others).
 */
import { describeExit } from './lib/run-ts.js';
import { listExamples, runExample, summaryOf } from './lib/examples.js';

const names = listExamples();
const failed: string[] = [];
const rule = '─'.repeat(78);

console.log(`foreign-ts tour: ${names.length} example(s) from examples/, in name order.`);
for (const name of names) {
  const summary = summaryOf(name);
  console.log(`\n${rule}\n▶ examples/${name}.ts${summary === '' ? '' : `\n  ${summary}`}\n${rule}`);
  const result = await runExample(name, { inherit: true });
  if (result.code !== 0) {
    failed.push(name);
    console.log(`✗ examples/${name}.ts failed (${describeExit(result)})`);
  }
}

console.log(`\n${rule}`);
if (failed.length > 0) {
  console.log(`${failed.length} of ${names.length} example(s) failed: ${failed.join(', ')}`);
  process.exitCode = 1;
} else {
  console.log(`All ${names.length} example(s) ran. Each one is a file in examples/: read it next.`);
}
