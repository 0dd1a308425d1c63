/**
 * Every page of docs/ (except the generated docs/api/) and the README: a page's ```ts blocks
 * run in order as one program, in their own process, and must not throw; a ```text output block
 * after a ts block must be exactly what that block printed. ```ts no-run blocks are skipped.
 * See CONTRIBUTING.md, "Runnable docs".
 */
import { describe, expect, it } from 'vitest';
import { docPages, runPage } from '../scripts/lib/docs.js';

describe('docs', () => {
  it.concurrent.each(docPages())('%s', async (page) => {
    const run = await runPage(page);
    if (run.failures.length > 0) expect.fail(run.failures.join('\n\n'));
  });
});
