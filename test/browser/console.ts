/**
 * For the pages that run an example of examples/: prints as Node does, into a buffer. Imported
 * first by the page (before the example), it replaces `console.log` (and `console.info`) with a
 * writer that formats its arguments the way Node's `console.log` does (node-inspect-extracted:
 * Node's `util.format`, extracted for the Web), and gives `process.stdout.write`, the one other
 * way an example prints, to pages that have no `process`. The runner compares the buffer with
 * the example's `.out` file.
 */
import { format } from 'node-inspect-extracted';
import './report.js'; // its error handlers catch an example that throws

const chunks: string[] = [];

/** Everything printed so far. */
export const printed = (): string => chunks.join('');

const log = (...args: unknown[]): void => {
  chunks.push(format(...args) + '\n');
};
console.log = log;
console.info = log;

const g = globalThis as { process?: unknown };
if (g.process === undefined) {
  g.process = {
    stdout: {
      write: (s: string): boolean => {
        chunks.push(String(s));
        return true;
      },
    },
  };
}
