/// <reference types="node" />
/**
 * The `foreign-ts` command (package.json `bin`, through bin.ts): `foreign-ts bind HEADER.h
 * --out FILE.ts`. It runs in Node (it asks clang and writes files), so it lives in `src/cli/`,
 * which the browser-layer lint rule leaves out and no library layer imports; it imports the
 * library itself only to check the layouts it writes. See docs/bindings.md.
 *
 * @since 0.1.0
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ClangError } from './bind/clang.js';
import { emitCheck } from './bind/emit-c.js';
import { emitModule } from './bind/emit-ts.js';
import {
  BindError,
  MODELS,
  MODEL_ALIASES,
  census,
  type BindOptions,
  type Bindings,
  type ModelName,
  type RefusedIR,
} from './bind/model.js';
import { collect } from './bind/collect.js';

export const USAGE = `Usage: foreign-ts bind HEADER.h --out FILE.ts [--model wasm32|x86_64] [-I DIR]
                      [-D NAME[=VALUE]] [-U NAME] [-isystem DIR] [-idirafter DIR]
                      [-include FILE] [--macros FILE] [--clang-arg ARG] [--target TRIPLE]
                      [--clang PATH] [--chars] [--strict] [--check-c FILE.c]

Writes a TypeScript module with the header's struct, union and enum layouts for the data model
(default wasm32), its typedefs, its #define constants (integers, floating numbers, strings) and
the table of its functions' C signatures, and for wasm32 foreignImports(ctx): a foreignImport
(foreign-ts/wasm) of each function, from clang's view of the header. Every layout is
checked against clang before it is written; what cannot be expressed is not written: the module
lists it in a comment with the reason, and so does this command (docs/bindings.md).

  --out          the module to write
  --model        wasm32 (clang --target=wasm32-wasi) or x86_64 (--target=x86_64-linux-gnu, the
                 LP64 data model; also called lp64)
  -I -D -U -isystem -idirafter -include
                 as for clang (-I DIR and -IDIR alike)
  --macros       also write the macros #defined in FILE, a header the header includes
                 (repeatable; the header's own macros are always written)
  --clang-arg    any other argument for clang (repeatable)
  --target       another clang target of the same data model
  --clang        the clang program (default: clang on the PATH)
  --chars        char[n] members as chars(n) (UTF-8 strings) instead of arrays of CChar
  --strict       fail (exit 1, nothing written) when a declaration is refused
  --check-c      also write a C program that prints, as JSON, what the C compiler says of the
                 module's types and constants`;

/** A usage error: the message is printed with the usage. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What `foreign-ts bind` was asked: the collection's options and the files to write. */
export interface Parsed {
  readonly options: BindOptions;
  readonly out: string;
  readonly checkC: string | undefined;
  readonly strict: boolean;
}

const CLANG_FLAGS = new Set(['-I', '-D', '-U', '-isystem', '-idirafter', '-include']);

const modelOf = (name: string): ModelName => {
  if (Object.hasOwn(MODELS, name)) return name as ModelName;
  const alias = Object.hasOwn(MODEL_ALIASES, name) ? MODEL_ALIASES[name] : undefined;
  if (alias === undefined)
    throw new UsageError(`--model ${name}: the models are wasm32 and x86_64 (or lp64)`);
  return alias;
};

/** Parses the arguments after `bind`. Throws a {@link UsageError} on bad ones. */
export const parseBind = (argv: readonly string[]): Parsed => {
  let header: string | undefined;
  let model: ModelName = 'wasm32';
  let out: string | undefined;
  let checkC: string | undefined;
  let target: string | undefined;
  let clang: string | undefined;
  let chars = false;
  let strict = false;
  const clangArgs: string[] = [];
  const macrosOf: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${a} needs a value`);
      return v;
    };
    const joined = /^(-I|-D|-U)(.+)$/.exec(a);
    if (joined !== null) clangArgs.push(joined[1] as string, joined[2] as string);
    else if (CLANG_FLAGS.has(a)) clangArgs.push(a, value());
    else if (a === '--model') model = modelOf(value());
    else if (a === '--out') out = value();
    else if (a === '--check-c') checkC = value();
    else if (a === '--target') target = value();
    else if (a === '--clang') clang = value();
    else if (a === '--clang-arg') clangArgs.push(value());
    else if (a === '--macros') macrosOf.push(value());
    else if (a === '--chars') chars = true;
    else if (a === '--strict') strict = true;
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
      macrosOf,
      ...(target === undefined ? {} : { target }),
      ...(clang === undefined ? {} : { clang }),
    },
    out,
    checkC,
    strict,
  };
};

/** A refusal as a compiler writes a diagnostic: `file:line: what: why`. */
const diagnostic = (r: RefusedIR, kind: string): string =>
  `${r.where === '' ? '' : `${r.where}: `}${kind}: ${r.what}: ${r.why}`;

/** One line of what was written, then one line per refusal, for the terminal. */
export const report = (b: Bindings, out: string): string => {
  const n = census(b);
  const summary =
    `${b.header} (${b.model}): wrote ${out}: ${n.records} structs and unions, ` +
    `${n.typedefs} typedefs, ${n.enumerations} enumerations, ${n.constants} constants, ` +
    `${n.functions} functions, ${n.opaque} opaque types; ${b.refused.length} refused`;
  return [summary, ...b.refused.map((r) => diagnostic(r, 'refused'))].join('\n');
};

/** Throws a {@link BindError} unless `file` can be written (its directory exists). */
const checkWritable = (file: string, option: string): void => {
  const dir = dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new BindError(`cannot write ${option} ${file}: there is no directory ${dir}`);
};

const write = (file: string, text: string, option: string): void => {
  try {
    writeFileSync(file, text);
  } catch (e) {
    throw new BindError(`cannot write ${option} ${file}: ${(e as Error).message}`);
  }
};

/** `foreign-ts bind …`: collects, checks and writes; returns the exit code. */
const bind = (argv: readonly string[], io: Io): number => {
  const { options, out, checkC, strict } = parseBind(argv);
  const { header } = options;
  if (!existsSync(header)) throw new BindError(`no header ${header} (no such file)`);
  if (!statSync(header).isFile()) throw new BindError(`${header} is not a file`);
  for (const file of options.macrosOf ?? []) {
    if (!existsSync(file)) throw new BindError(`--macros ${file}: no such file`);
  }
  checkWritable(out, '--out');
  if (checkC !== undefined) checkWritable(checkC, '--check-c');
  const bindings = collect(options);
  if (strict && bindings.refused.length > 0) {
    io.err(
      [
        `foreign-ts bind: ${bindings.refused.length} declarations refused (--strict: nothing written):`,
        ...bindings.refused.map((r) => diagnostic(r, 'error')),
      ].join('\n'),
    );
    return 1;
  }
  write(out, emitModule(bindings), '--out');
  if (checkC !== undefined) write(checkC, emitCheck(bindings), '--check-c');
  io.err(report(bindings, out));
  return 0;
};

/** Where the command prints: its standard output and error (the console by default). */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const CONSOLE: Io = { out: (t) => console.log(t), err: (t) => console.error(t) };

/**
 * Runs the command with `argv` (the arguments after `foreign-ts`); returns the exit code: 0 done,
 * 1 failed (clang, a file, `--strict`), 2 a usage error. Every message starts with
 * `foreign-ts COMMAND:`.
 */
export const main = (argv: readonly string[], io: Io = CONSOLE): number => {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    if (command !== 'bind') throw new UsageError(`unknown command ${command} (there is bind)`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    return bind(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`foreign-ts ${command}: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof ClangError || e instanceof BindError) {
      io.err(`foreign-ts ${command}: ${e.message}`);
      return 1;
    }
    throw e;
  }
};
