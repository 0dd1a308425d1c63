/**
 * `using` in its compiled form: Node 20 defines `Symbol.dispose` and `Symbol.asyncDispose` but
 * has no `using` syntax, so users compile it. This test compiles `test/fixtures/using/program.ts`
 * and the library's `src/` with the project's TypeScript (its compiler options, target ES2022:
 * `using` becomes `__addDisposableResource` / `__disposeResources` helpers, which also supply a
 * `SuppressedError` where the runtime has none) into `.tmp/`, the library as a package
 * `node_modules/foreign-ts` imported by name, and runs the program in plain Node: no tsx, no
 * loader. Its output must say that blocks are released in reverse order, on throw, break and
 * return, after the awaits of `await using`, and that a dispose throwing over an exception gives
 * a `SuppressedError`.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../scripts/lib/run-ts.js';

const OUT = join(ROOT, '.tmp', `using-${process.pid}`);

/** The project's compiler options (tsconfig.json), emitting ES modules. */
const compilerOptions = (): ts.CompilerOptions => {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error('cannot read tsconfig.json');
  return {
    ...config.options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    noEmit: false,
    sourceMap: false,
  };
};

/** Compiles `file` (TypeScript) to `to` (JavaScript) with `options`; returns the output. */
const compile = (file: string, to: string, options: ts.CompilerOptions): string => {
  const { outputText, diagnostics } = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: options,
    fileName: file,
    reportDiagnostics: true,
  });
  if (diagnostics !== undefined && diagnostics.length > 0) {
    throw new Error(
      diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'),
    );
  }
  mkdirSync(dirname(to), { recursive: true });
  writeFileSync(to, outputText);
  return outputText;
};

const tsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('using, compiled by TypeScript, in plain Node', () => {
  it('releases in reverse order, on throw, break, return and after awaits; SuppressedError', () => {
    const options = compilerOptions();
    expect(options.target).toBe(ts.ScriptTarget.ES2022);
    // The library, as an installed package.
    const pkg = join(OUT, 'node_modules', 'foreign-ts');
    for (const file of tsFiles(join(ROOT, 'src'))) {
      const rel = relative(join(ROOT, 'src'), file).replace(/\.ts$/, '.js');
      compile(file, join(pkg, rel), options);
    }
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({
        name: 'foreign-ts',
        type: 'module',
        exports: { '.': './index.js' },
        // fp-ts's values come through the package's imports map (#fp-ts/*).
        imports: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).imports,
      }),
    );
    writeFileSync(join(OUT, 'package.json'), JSON.stringify({ type: 'module', private: true }));
    const program = compile(
      join(ROOT, 'test', 'fixtures', 'using', 'program.ts'),
      join(OUT, 'program.js'),
      options,
    );
    // `using` was compiled down, not left for a runtime that may not have it.
    expect(program).toContain('__addDisposableResource');
    expect(program).toContain('__disposeResources');
    expect(program).not.toMatch(/^\s*(await\s+)?using\s+\w+\s*=/m);

    const run = spawnSync(process.execPath, [join(OUT, 'program.js')], {
      cwd: OUT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      '1. release at the end of the block, the latest declared first',
      '  in the block: 3 live, b = bee',
      '  free pooled',
      '  free b',
      '  free a',
      '  after the block: 0 live',
      '2. release when an exception passes through',
      '  free b',
      '  free a',
      '  caught boom, 0 live',
      '3. a dispose that throws while an exception passes through: SuppressedError',
      '  free p',
      '  SuppressedError: error = finalizer failed, suppressed = body failed',
      '  0 live',
      '4. disposing twice is harmless',
      '  free s',
      '  disposed: true, 0 live',
      '  a freed pool disposes quietly: true',
      '5. break and return release too',
      '  free x',
      '  free y',
      '  free r',
      '  0 live',
      '6. await using: released after the awaits, in reverse order',
      '  after the await: 2 live',
      '  free async pooled',
      '  free async a',
      '7. take() moves a block out of its scope',
      '  kept t: 1 live',
      '  free t',
      'end: 0 live, heap checked',
      '',
    ]);
  });
});
