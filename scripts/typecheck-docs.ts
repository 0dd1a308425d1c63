/**
 * Part of `npm run typecheck`: type-checks the code of the docs pages (docs/**\/*.md except
 * docs/api/, and README.md) with the project's compiler options, each page as one program (its
 * runnable ```ts blocks in order, as the docs test runs them). ```ts no-run blocks are not
 * checked. Errors are reported at their page line.
 *
 * Unused names are allowed in docs (a block may show a value and never use it again).
 */
import ts from 'typescript';
import { join } from 'node:path';
import { ROOT } from './lib/run-ts.js';
import { docPages, pageLineOf, writePageProgram, type PageProgram } from './lib/docs.js';

const configPath = join(ROOT, 'tsconfig.json');
const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (d) => {
    throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  },
});
if (parsed === undefined) throw new Error(`cannot read ${configPath}`);

const programs = new Map<string, PageProgram>();
for (const page of docPages()) {
  const program = writePageProgram(page);
  if (program.blocks.length > 0) programs.set(join(ROOT, program.file), program);
}

const options: ts.CompilerOptions = {
  ...parsed.options,
  noEmit: true,
  noUnusedLocals: false,
  noUnusedParameters: false,
};
const program = ts.createProgram([...programs.keys()], options);
let errors = 0;
for (const [file, page] of programs) {
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`${file} was not loaded`);
  const diagnostics = [
    ...program.getSyntacticDiagnostics(source),
    ...program.getSemanticDiagnostics(source),
  ];
  for (const d of diagnostics) {
    errors++;
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    const line = d.start === undefined ? undefined : source.getLineAndCharacterOfPosition(d.start);
    const pageLine = line === undefined ? undefined : pageLineOf(page, line.line + 1);
    const where =
      pageLine === undefined ? page.page : `${page.page}:${pageLine}:${(line?.character ?? 0) + 1}`;
    console.error(`${where} - error TS${d.code}: ${message}`);
  }
}
if (errors > 0) {
  console.error(`\n${errors} type error(s) in the docs' code blocks.`);
  process.exitCode = 1;
} else {
  console.log(`docs: ${programs.size} page(s) with code type-check.`);
}
