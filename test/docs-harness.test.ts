/**
 * The runnable-docs machinery (scripts/lib/docs.ts) on pages made to pass and to fail.
 */
import { describe, expect, it } from 'vitest';
import { pageLineOf, pageProgram, parseFences, runPage } from '../scripts/lib/docs.js';

const fixture = (name: string): string => `test/fixtures/docs/${name}.md`;

describe('parseFences', () => {
  it('finds fences (also indented in list items), flags and lines, not fences nested in longer ones', () => {
    const md = [
      'text',
      '````md',
      '```ts',
      'inner',
      '```',
      '````',
      '',
      '```ts no-run',
      'a',
      'b',
      '```',
      '- a list item:',
      '',
      '    ```ts',
      '    const x = 1;',
      '      f(x);',
      '    ```',
    ];
    expect(parseFences(md.join('\n'))).toEqual([
      { lang: 'md', flags: [], lines: ['```ts', 'inner', '```'], line: 2 },
      { lang: 'ts', flags: ['no-run'], lines: ['a', 'b'], line: 8 },
      { lang: 'ts', flags: [], lines: ['const x = 1;', '  f(x);'], line: 14 },
    ]);
  });
});

describe('pageProgram', () => {
  it('maps every program line back to its page line', () => {
    const md = '# t\n\n```ts\nconst a = 1;\n```\n\n```ts\nconsole.log(a);\n```\n';
    const program = pageProgram('x.md', md);
    const lines = program.code.split('\n');
    const at = (text: string): number => lines.indexOf(text) + 1;
    expect(pageLineOf(program, at('const a = 1;'))).toBe(4);
    expect(pageLineOf(program, at('console.log(a);'))).toBe(8);
  });
});

describe('runPage', () => {
  it('runs a page as one module, checks ```text output blocks, skips no-run blocks', async () => {
    const run = await runPage(fixture('passes'));
    expect(run.failures).toEqual([]);
    expect(run.outputs.slice(0, 2)).toEqual(['131072\n', '2 pages, 65536 bytes each\n']);
    expect(run.outputs).toHaveLength(3);
  });

  it('names the page line that threw and the block it is in', async () => {
    const run = await runPage(fixture('throws'));
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatch(
      /^test\/fixtures\/docs\/throws\.md:11 \(in the ts block that starts at line 8\): exit code 1\n/,
    );
    expect(run.failures[0]).toContain('boom from the second block');
    expect(run.outputs).toEqual(['1\n', '']);
  });

  it('reports a block that prints something else than its output block', async () => {
    const run = await runPage(fixture('wrong-output'));
    expect(run.failures).toEqual([
      'test/fixtures/docs/wrong-output.md:7: the ts block at line 3 printed\n' +
        '    actual\nbut its ```text output block says\n    expected',
    ]);
  });

  it('reports misplaced output blocks and unknown flags', async () => {
    const run = await runPage(fixture('misplaced'));
    expect(run.failures).toEqual([
      'test/fixtures/docs/misplaced.md:3: a ```text output block must follow a runnable ts ' +
        'block (only blank lines between)',
      'test/fixtures/docs/misplaced.md:7: unknown flag(s) nope on a ts block (known: no-run)',
      'test/fixtures/docs/misplaced.md:15: a ```text output block must follow a runnable ts ' +
        'block (only blank lines between)',
    ]);
  });

  it('reports an import that fails before any block runs', async () => {
    const run = await runPage(fixture('bad-import'));
    expect(run.failures).toHaveLength(1);
    expect(run.failures[0]).toMatch(/^test\/fixtures\/docs\/bad-import\.md/);
    expect(run.failures[0]).toContain('no-such-entry');
  });
});

describe('imports across the blocks of a page', () => {
  it('drops the names an earlier block imported from the same module, keeping the new ones', () => {
    const page = [
      '```ts',
      "import { Heap } from 'foreign-ts';",
      '```',
      '```ts',
      "import { Heap, Stack, type HeapStats } from 'foreign-ts';",
      "import { pipe } from 'fp-ts/lib/function.js';",
      '```',
      '```ts',
      "import { Stack } from 'foreign-ts';",
      "import { pipe } from 'fp-ts/lib/function.js';",
      '```',
    ].join('\n');
    const lines = pageProgram('x.md', page).code.split('\n');
    expect(lines).toContain("import { Heap } from 'foreign-ts';");
    expect(lines).toContain("import { Stack, type HeapStats } from 'foreign-ts';");
    expect(lines.filter((l) => l.includes('fp-ts/lib/function.js'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('Stack'))).toHaveLength(1);
  });
});

describe('imports written over several lines', () => {
  it('are joined, merged by name, and keep the lines of the block', () => {
    const page = [
      '```ts',
      "import { Heap, Stack } from 'foreign-ts';",
      '```',
      '```ts',
      'import {',
      '  Heap,',
      '  malloc,',
      "} from 'foreign-ts';",
      'console.log(1);',
      '```',
    ].join('\n');
    const program = pageProgram('x.md', page);
    const lines = program.code.split('\n');
    expect(lines).toContain("import { malloc } from 'foreign-ts';");
    expect(lines.filter((l) => l.includes('Heap'))).toHaveLength(1);
    const log = lines.findIndex((l) => l === 'console.log(1);');
    expect(pageLineOf(program, log + 1)).toBe(9);
  });
});
