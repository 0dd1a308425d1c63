/// <reference types="node" />
/**
 * The `foreign-ts` command (package.json `bin`, through bin.ts): `foreign-ts bind HEADER.h --out FILE.ts`.
 * It runs in Node (it asks clang and writes files), so it lives in `src/cli/`, which the
 * browser-layer lint rule leaves out and no library layer imports; it imports the library
 * itself only to check the layouts it writes. See docs/bindings.md.
 *
 * @since 0.1.0
 */
import { writeFileSync } from 'node:fs';
import { ClangError } from './bind/clang.js';
import { emitCheck } from './bind/emit-c.js';
import { emitModule } from './bind/emit-ts.js';
import { MODELS, type Bindings, type ModelName } from './bind/model.js';
import { collect, type BindOptions } from './bind/translate.js';

const USAGE = `Usage: foreign-ts bind HEADER.h [--model wasm32|lp64] [-I DIR] [-D NAME[=VALUE]] [-U NAME]
                      [-isystem DIR] [-idirafter DIR] [-include FILE] [--clang-arg ARG]
                      [--target TRIPLE] [--clang PATH] [--chars] [--check-c FILE.c] --out FILE.ts

Writes a TypeScript module with the header's struct, union and enum layouts for the data model
(default wasm32), its typedefs, its integer #define constants and the C signatures of its
functions, from clang's view of the header; every layout is checked against clang first, and
what cannot be expressed is a comment saying why (docs/bindings.md).

  --model        wasm32 (clang --target=wasm32-wasi) or lp64 (--target=x86_64-linux-gnu)
  --target       another clang target of the same data model
  --chars        char[n] members as chars(n) (UTF-8 strings) instead of arrays of CChar
  --check-c      also write a C program that prints what the C compiler says of the same types
  --clang        the clang program (default: clang)
  --clang-arg    any other argument for clang (repeatable)`;

/** A usage error: the message is printed with the usage. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface Parsed {
  readonly options: BindOptions;
  readonly out: string;
  readonly checkC: string | undefined;
}

const CLANG_FLAGS = new Set(['-I', '-D', '-U', '-isystem', '-idirafter', '-include']);

/** Parses the arguments after `bind`. Throws a {@link UsageError} on bad ones. */
export const parseBind = (argv: readonly string[]): Parsed => {
  let header: string | undefined;
  let model: ModelName = 'wasm32';
  let out: string | undefined;
  let checkC: string | undefined;
  let target: string | undefined;
  let clang: string | undefined;
  let chars = false;
  const clangArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const joined = /^(-I|-D|-U)(.+)$/.exec(a);
    if (joined !== null) clangArgs.push(joined[1] as string, joined[2] as string);
    else if (CLANG_FLAGS.has(a)) clangArgs.push(a, value());
    else if (a === '--model') {
      const m = value();
      if (!Object.hasOwn(MODELS, m)) throw new UsageError(`--model ${m}: the models are wasm32 and lp64`);
      model = m as ModelName;
    } else if (a === '--out') out = value();
    else if (a === '--check-c') checkC = value();
    else if (a === '--target') target = value();
    else if (a === '--clang') clang = value();
    else if (a === '--clang-arg') clangArgs.push(value());
    else if (a === '--chars') chars = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
    else if (header === undefined) header = a;
    else throw new UsageError(`one header at a time (got ${header} and ${a})`);
  }
  if (header === undefined) throw new UsageError('no header given');
  if (out === undefined) throw new UsageError('no --out FILE.ts given');
  return {
    options: {
      header,
      model,
      clangArgs,
      chars,
      ...(target === undefined ? {} : { target }),
      ...(clang === undefined ? {} : { clang }),
    },
    out,
    checkC,
  };
};

/** One line per kind: what was written and refused, for the terminal. */
export const report = (b: Bindings): string => {
  const n = (k: string): number => b.decls.filter((d) => d.d === k).length;
  return (
    `${b.header} (${b.model}): ${n('record')} structs and unions, ${n('typedef')} typedefs, ` +
    `${b.decls.filter((d) => d.d === 'enum' && d.name !== undefined).length} enumerations, ` +
    `${n('constant')} constants, ${n('function')} functions, ${n('opaque')} opaque types; ` +
    `${b.refused.length} refused` +
    (b.refused.length === 0 ? '' : `:\n${b.refused.map((r) => `  ${r.what}: ${r.why}`).join('\n')}`)
  );
};

/** Runs the command; returns the exit code. */
export const main = (argv: readonly string[]): number => {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    if (command !== 'bind') throw new UsageError(`unknown command ${command} (there is bind)`);
    const { options, out, checkC } = parseBind(rest);
    const bindings = collect(options);
    writeFileSync(out, emitModule(bindings));
    if (checkC !== undefined) writeFileSync(checkC, emitCheck(bindings));
    console.error(report(bindings));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`foreign-ts ${command}: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ClangError || e instanceof Error) {
      console.error(`foreign-ts ${command}: ${e.message}`);
      return 1;
    }
    throw e;
  }
};
