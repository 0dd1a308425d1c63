/**
 * Runnable documentation. Every ```ts (or ```typescript) block of a page is part of one program:
 * a page's blocks, in order, make one module (same scope), which the docs test runs in its own
 * process (as `npx tsx` would) and `npm run typecheck` type-checks.
 *
 * Info-string flags (after the language, separated by spaces):
 * - ```ts no-run      a fragment: not run, not type-checked;
 * - ```text output    right after a runnable block (only blank lines between): what that block
 *                     prints to stdout, compared exactly.
 *
 * Used by `test/docs.test.ts` and `scripts/typecheck-docs.ts`; the rules are in CONTRIBUTING.md.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, describeExit, runTs } from './run-ts.js';

/** Pages whose code blocks run: `docs/**\/*.md` except the generated `docs/api/`, and the README. */
export const docPages = (): string[] => {
  const pages: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel !== 'docs/api') walk(rel);
      } else if (entry.name.endsWith('.md')) {
        pages.push(rel);
      }
    }
  };
  if (existsSync(join(ROOT, 'docs'))) walk('docs');
  return [...(existsSync(join(ROOT, 'README.md')) ? ['README.md'] : []), ...pages.sort()];
};

/** A fenced code block of a Markdown page. */
export interface Fence {
  /** The language: the first word of the info string, lower case (`''` when there is none). */
  readonly lang: string;
  /** The other words of the info string. */
  readonly flags: readonly string[];
  /** The block's lines (without the fences), its indentation removed. */
  readonly lines: readonly string[];
  /** Line number (1-based) of the opening fence. */
  readonly line: number;
}

/**
 * The fenced code blocks of a Markdown page: ``` and ~~~ fences, at any indentation (fences in
 * list items), a fence nested in a longer one left alone.
 */
export const parseFences = (markdown: string): Fence[] => {
  const lines = markdown.split(/\r?\n/);
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)(`{3,}|~{3,})\s*([^`]*?)\s*$/.exec(lines[i] ?? '');
    if (open === null) continue;
    const [, indent = '', marker = '', info = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j] ?? '';
      const close = /^ *(`{3,}|~{3,})\s*$/.exec(line);
      if (
        close !== null &&
        close[1]?.[0] === marker[0] &&
        (close[1]?.length ?? 0) >= marker.length
      ) {
        break;
      }
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart());
    }
    const [lang = '', ...flags] = info.split(/\s+/).filter((w) => w !== '');
    fences.push({ lang: lang.toLowerCase(), flags, lines: body, line: i + 1 });
    i = j;
  }
  return fences;
};

const CODE_LANGS = new Set(['ts', 'typescript']);
const CODE_FLAGS = new Set(['no-run']);

/** A block that runs, with the output it must print if the page says so. */
export interface CodeBlock {
  readonly line: number;
  readonly lines: readonly string[];
  /** The exact stdout expected from this block, and the line of its ```text output fence. */
  readonly output?: { readonly text: string; readonly line: number };
}

/** A page's runnable blocks, and the mistakes in how its blocks are marked. */
export interface PageBlocks {
  readonly blocks: readonly CodeBlock[];
  readonly problems: readonly string[];
}

/** Finds a page's runnable blocks and attaches each ```text output block to its code block. */
export const pageBlocks = (page: string, markdown: string): PageBlocks => {
  const fences = parseFences(markdown);
  const all = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  const problems: string[] = [];
  let previous: { fence: Fence; runs: boolean; end: number } | undefined;
  for (const fence of fences) {
    const isCode = CODE_LANGS.has(fence.lang);
    const isOutput = fence.lang === 'text' && fence.flags.includes('output');
    if (isCode) {
      const unknown = fence.flags.filter((f) => !CODE_FLAGS.has(f));
      if (unknown.length > 0) {
        problems.push(
          `${page}:${fence.line}: unknown flag(s) ${unknown.join(', ')} on a ts block ` +
            `(known: ${[...CODE_FLAGS].join(', ')})`,
        );
      }
      const runs = !fence.flags.includes('no-run');
      if (runs) blocks.push({ line: fence.line, lines: fence.lines });
      previous = { fence, runs, end: fence.line + fence.lines.length + 1 };
      continue;
    }
    if (isOutput) {
      const between = previous === undefined ? [] : all.slice(previous.end, fence.line - 1);
      const adjacent = previous !== undefined && between.every((l) => l.trim() === '');
      if (!adjacent || previous === undefined || !previous.runs) {
        problems.push(
          `${page}:${fence.line}: a \`\`\`text output block must follow a runnable ts block ` +
            `(only blank lines between)`,
        );
      } else {
        const last = blocks[blocks.length - 1];
        if (last !== undefined) {
          const text = fence.lines.length === 0 ? '' : `${fence.lines.join('\n')}\n`;
          blocks[blocks.length - 1] = { ...last, output: { text, line: fence.line } };
        }
      }
    }
    previous = undefined;
  }
  return { blocks, problems };
};

const MARK = '\u001e@docs-block ';
const END = '\u001e@docs-end\u001e\n';
const markLine = (k: number): string =>
  `;process.stdout.write('\\u001e@docs-block ${k}\\u001e\\n');`;
const endLine = `;process.stdout.write('\\u001e@docs-end\\u001e\\n');`;

/** One page as one program, and where each of its lines comes from. */
export interface PageProgram {
  readonly page: string;
  readonly blocks: readonly CodeBlock[];
  readonly problems: readonly string[];
  /** The program's TypeScript source. */
  readonly code: string;
  /** The program's path relative to the repository root (under `.tmp/docs/`). */
  readonly file: string;
  /** For each line of `code` (0-based), the page line it comes from, or 0 for a marker. */
  readonly sourceLines: readonly number[];
}

const NAMED_IMPORT = /^import\s*\{([^}]*)\}\s*from\s*(['"][^'"]+['"]);?\s*$/;

/**
 * An import line of a later block without the names an earlier block of the page imported
 * from the same module (the page is one module, where a name can be imported once; each block
 * keeps its own imports for the reader). Returns '' when nothing is left to import.
 */
const newImports = (line: string, seen: Map<string, Set<string>>): string => {
  const named = NAMED_IMPORT.exec(line.trim());
  if (named === null) {
    const key = line.trim();
    if (seen.has(key)) return '';
    seen.set(key, new Set());
    return line;
  }
  const module = named[2]!;
  const names = seen.get(module) ?? new Set<string>();
  seen.set(module, names);
  const fresh = named[1]!
    .split(',')
    .map((s) => s.trim())
    .filter(
      (s) =>
        s !== '' &&
        !names.has(
          s
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)
            .pop()!,
        ),
    );
  fresh.forEach((s) =>
    names.add(
      s
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop()!,
    ),
  );
  return fresh.length === 0 ? '' : `import { ${fresh.join(', ')} } from ${module};`;
};

/**
 * The lines of a block with each import written over several lines (as prettier wraps a long
 * one) joined onto its first line, and the lines it took left empty, so that every line keeps
 * its number.
 */
const joinImports = (lines: readonly string[]): string[] => {
  const out = [...lines];
  for (let i = 0; i < out.length; i++) {
    if (!/^import\s*\{[^}]*$/.test(out[i]!)) continue;
    let j = i;
    while (j + 1 < out.length && !out[j]!.includes('}')) j++;
    out[i] = out
      .slice(i, j + 1)
      .map((l) => l.trim())
      .join(' ')
      .replace(/\{\s+/, '{ ')
      .replace(/,?\s*\}/, ' }');
    for (let k = i + 1; k <= j; k++) out[k] = '';
  }
  return out;
};

/**
 * Builds a page's program: its runnable blocks in order, in one module scope, with a marker
 * printed before each block (so that output and errors can be traced to a block). Names a
 * later block imports again from the same module are dropped from its import lines.
 */
export const pageProgram = (page: string, markdown: string): PageProgram => {
  const { blocks, problems } = pageBlocks(page, markdown);
  const code: string[] = [`// Generated from ${page} by scripts/lib/docs.ts. Do not edit.`];
  const sourceLines: number[] = [0];
  const seenImports = new Map<string, Set<string>>();
  blocks.forEach((block, k) => {
    code.push(markLine(k));
    sourceLines.push(0);
    joinImports(block.lines).forEach((line, i) => {
      const isImport = /^import\s.*\sfrom\s+['"][^'"]+['"];?\s*$/.test(line);
      code.push(isImport ? newImports(line, seenImports) : line);
      sourceLines.push(block.line + 1 + i);
    });
  });
  code.push(endLine, 'export {};', '');
  sourceLines.push(0, 0, 0);
  const file = `.tmp/docs/${page.replace(/\.md$/, '').replace(/[\\/]/g, '__')}.ts`;
  return { page, blocks, problems, code: code.join('\n'), file, sourceLines };
};

/** Writes a page's program under `.tmp/docs/` and returns it. */
export const writePageProgram = (page: string): PageProgram => {
  const program = pageProgram(page, readFileSync(join(ROOT, page), 'utf8'));
  mkdirSync(join(ROOT, '.tmp', 'docs'), { recursive: true });
  writeFileSync(join(ROOT, program.file), program.code);
  return program;
};

/** The page line of a 1-based line of a page's program, or `undefined` for a marker line. */
export const pageLineOf = (program: PageProgram, programLine: number): number | undefined => {
  const line = program.sourceLines[programLine - 1];
  return line === undefined || line === 0 ? undefined : line;
};

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The first `file:LINE` of the program that a stack trace or error report names. */
const firstProgramLine = (program: PageProgram, text: string): number | undefined => {
  const name = escapeRegExp(program.file.split('/').pop() ?? program.file);
  const m = new RegExp(`${name}:(\\d+)`).exec(text);
  return m === null ? undefined : pageLineOf(program, Number(m[1]));
};

/** What running a page's program gave: the problems found, empty when it passed. */
export interface PageRun {
  readonly program: PageProgram;
  readonly failures: readonly string[];
  /** The stdout of each block, in order (blocks that did not run are missing). */
  readonly outputs: readonly string[];
}

/**
 * Runs a page's program in its own process and checks it: it must exit 0 after running every
 * block, and each block with a ```text output block must print exactly that.
 */
export const runPage = async (page: string, timeoutMs = 60_000): Promise<PageRun> => {
  const program = writePageProgram(page);
  const failures = [...program.problems];
  if (program.blocks.length === 0) return { program, failures, outputs: [] };
  const result = await runTs(program.file, { timeoutMs });

  // Split stdout at the markers: outputs[k] is what block k printed.
  const outputs: string[] = [];
  const completed = result.stdout.includes(END);
  const body = result.stdout.split(END)[0] ?? '';
  const parts = body.split(MARK);
  for (const part of parts.slice(1)) {
    const end = part.indexOf('\u001e\n');
    const k = Number(part.slice(0, end));
    if (end > 0 && Number.isSafeInteger(k)) outputs[k] = part.slice(end + 2);
  }
  const running = outputs.length - 1;

  if (result.code !== 0 || !completed) {
    const block = program.blocks[running];
    const where = firstProgramLine(program, result.stderr);
    const location =
      where !== undefined
        ? `${page}:${where}`
        : block !== undefined
          ? `${page}:${block.line}`
          : `${page} (before its first block ran: an import failed?)`;
    const context =
      block === undefined ? '' : ` (in the ts block that starts at line ${block.line})`;
    const why = result.code === 0 ? 'stopped before its last block finished' : describeExit(result);
    failures.push(`${location}${context}: ${why}\n${result.stderr.trimEnd()}`);
  }
  program.blocks.forEach((block, k) => {
    if (block.output === undefined || outputs[k] === undefined) return;
    if (outputs[k] !== block.output.text) {
      failures.push(
        `${page}:${block.output.line}: the ts block at line ${block.line} printed\n` +
          `${indent(outputs[k])}\nbut its \`\`\`text output block says\n${indent(block.output.text)}`,
      );
    }
  });
  return { program, failures, outputs };
};

const indent = (text: string): string =>
  text === '' ? '    (nothing)' : text.replace(/\n$/, '').replace(/^/gm, '    ');
