/**
 * The registry of the headers `foreign-ts bind` is run on in this repository: real headers of
 * Debian packages and one of our own (c/bindings/features.h), each for the data models where the
 * header exists. c/artifacts.ts makes two artifacts of each header and model, committed in
 * c/build/ like every C artifact:
 *
 * - `NAME.MODEL.ts`: the generated module (`foreign-ts bind HEADER --model MODEL … --out`);
 * - `NAME.MODEL.json`: what clang says of every type and constant of that module (`sizeof`,
 *   `_Alignof`, every `offsetof`, every bit-field's first bit and width, the value of every
 *   constant), printed by the check program the generator writes (`--check-c`), compiled by
 *   clang for the model and run.
 *
 * `npm test` (test/foreign/bindings.test.ts) checks each committed module against its committed
 * table with no compiler; `npm run test:c` makes both again and fails when a file differs.
 *
 * Adding a header: an entry below (its Debian package in `packages`, as a tool of c/artifacts.ts
 * whose version is recorded), then `npm run build:c`, and commit c/build/.
 */
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import type { ModelName } from '../../src/cli/bind/model.js';

/** A header bound by `foreign-ts bind`, and how. */
export interface Binding {
  /** The name of its artifacts: `NAME.MODEL.ts` and `NAME.MODEL.json`. */
  readonly name: string;
  /** What it is, for the manifest. */
  readonly what: string;
  /** The header: a Debian package's, by its absolute path, or one of this repository, relative. */
  readonly header: string;
  /** The data models it is bound for: those for which the header exists. */
  readonly models: readonly ModelName[];
  /** The generator's other arguments (-I, -D, --macros), the same for every model. */
  readonly args: readonly string[];
  /**
   * Arguments for one model only, after `args`. A `-I` of a directory of this repository makes
   * its files sources of the model's artifacts.
   */
  readonly modelArgs?: Partial<Record<ModelName, readonly string[]>>;
  /** The Debian packages that hold the header (tools of c/artifacts.ts: their versions are recorded). */
  readonly packages: readonly ('zlib1g-dev' | 'libsdl2-dev' | 'libc6-dev' | 'wasi-libc')[];
}

/**
 * The generator's files, every `.ts` file under src/cli/ in name order: every artifact of a
 * binding is made from them, so an edit of any of them that was not rebuilt fails `npm test`.
 * (Read from the directory, so that a new file of the generator cannot be left out.)
 */
export const GENERATOR_SOURCES: readonly string[] = readdirSync(
  new URL('../../src/cli/', import.meta.url),
  { recursive: true, encoding: 'utf8' },
)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => `src/cli/${f.split(sep).join('/')}`)
  .sort();

export const BINDINGS: readonly Binding[] = [
  {
    name: 'features',
    what: 'c/bindings/features.h: one small declaration of each kind the generator writes or refuses',
    header: 'c/bindings/features.h',
    models: ['wasm32', 'x86_64'],
    args: [],
    packages: [],
  },
  {
    name: 'shapes',
    what:
      'c/examples/shapes.h: the header of examples/13-bindings.ts, which calls its functions ' +
      'in c/build/example-shapes.wasm; wasm32 only (the example runs it)',
    header: 'c/examples/shapes.h',
    models: ['wasm32'],
    args: ['--chars'],
    packages: [],
  },
  {
    name: 'zlib',
    what: "zlib's zlib.h (zlib1g-dev): z_stream, gz_header, the z_ constants and 80-odd functions",
    header: '/usr/include/zlib.h',
    models: ['wasm32', 'x86_64'],
    args: [],
    packages: ['zlib1g-dev'],
  },
  {
    name: 'sdl-events',
    what:
      "SDL2's SDL_events.h (libsdl2-dev): the SDL_Event union of its event structs; for " +
      "wasm32 with SDL's configuration in c/bindings/sdl-wasm32/ (Debian's is for x86_64 only)",
    header: '/usr/include/SDL2/SDL_events.h',
    models: ['wasm32', 'x86_64'],
    args: ['-I', '/usr/include/SDL2', '-D', '_REENTRANT'],
    modelArgs: { wasm32: ['-I', 'c/bindings/sdl-wasm32'] },
    packages: ['libsdl2-dev'],
  },
  {
    name: 'wasi-time',
    what: "wasi-libc's time.h (wasi-libc): struct tm, struct timespec, clock_t; wasm32 only",
    header: '/usr/include/wasm32-wasi/time.h',
    models: ['wasm32'],
    args: ['-D', '_GNU_SOURCE', '--macros', '/usr/include/wasm32-wasi/__header_time.h'],
    packages: ['wasi-libc'],
  },
  {
    name: 'glibc-time',
    what: "glibc's time.h (libc6-dev): the same declarations as wasi-libc's time.h, for x86_64",
    header: '/usr/include/time.h',
    models: ['x86_64'],
    args: ['-D', '_GNU_SOURCE', '--macros', '/usr/include/x86_64-linux-gnu/bits/time.h'],
    packages: ['libc6-dev'],
  },
];

/** The generator's arguments of `binding` for `model` (after the header and `--model`). */
export const bindingArgs = (binding: Binding, model: ModelName): readonly string[] => [
  ...binding.args,
  ...(binding.modelArgs?.[model] ?? []),
];

/** The files of this repository under the `-I` directories of `args` (relative paths), sorted. */
export const includedSources = (args: readonly string[]): string[] =>
  args
    .flatMap((a, i) => (a === '-I' && !args[i + 1]!.startsWith('/') ? [args[i + 1]!] : []))
    .flatMap((dir) =>
      readdirSync(new URL(`../../${dir}/`, import.meta.url), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.h'))
        .map((f) => `${dir}/${f.split(sep).join('/')}`),
    )
    .sort();

/** The file names of the artifacts of `binding` for `model`. */
export const bindingFiles = (
  binding: Binding,
  model: ModelName,
): { module: string; table: string } => ({
  module: `${binding.name}.${model}.ts`,
  table: `${binding.name}.${model}.json`,
});
