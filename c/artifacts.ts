/**
 * The registry of every file the repository makes with a C compiler: what each is made from,
 * the commands that make it, and the tools they need. Each artifact has one output,
 * `c/build/NAME`, which is committed, so that `npm ci && npm test` needs Node alone.
 *
 * - `npm run build:c` (scripts/build-c.ts) runs every artifact's steps, in this order, and
 *   writes the outputs and `c/build/manifest.json` (the tools' versions, each artifact's
 *   commands, and the SHA-256 of its sources and output).
 * - `npm test` (test/c-artifacts.test.ts) checks, with no compiler, that the manifest matches
 *   this registry, the sources and the committed outputs: an edited source or command that
 *   was not rebuilt fails there.
 * - `npm run test:c` rebuilds everything into a temporary directory, fails when a rebuilt file
 *   differs from the committed one (byte for byte), then runs test/c/ (the tests that need a
 *   live compiler).
 *
 * Adding an artifact: put its sources under `c/` (a folder per concern), add an entry below
 * (outputs must not depend on the directory the build runs in: commands run in the
 * repository root, with relative paths), run `npm run build:c`, and commit `c/build/`.
 */

import type { ModelName } from '../src/cli/bind/model.js';
import {
  BINDINGS,
  GENERATOR_SOURCES,
  bindingArgs,
  bindingFiles,
  includedSources,
  type Binding,
} from './bindings/bindings.js';

/** A program an artifact needs, how to ask its version, and the Debian package that has it. */
export interface ToolInfo {
  /** The command that prints its version; the first line of its output is recorded. */
  readonly version: readonly string[];
  /** The Debian package(s) to install, separated by spaces (CI: .ci/run). */
  readonly debian: string;
}

/** A Debian package as a tool: its version is what is recorded. */
const debianPackage = (name: string): ToolInfo => ({
  version: ['dpkg-query', '--show', `--showformat=${name} \${Version}\n`, name],
  debian: name,
});

/** Every tool an artifact may name. Add one here before an artifact uses it. */
export const TOOLS = {
  clang: { version: ['clang', '--version'], debian: 'clang' },
  'wasm-ld': { version: ['wasm-ld', '--version'], debian: 'lld' },
  gcc: { version: ['gcc', '--version'], debian: 'gcc' },
  /**
   * Not a program: Debian's wasi-libc (its libc.a), asked for its package version; linking
   * against it also takes compiler-rt's wasm32 builtins.
   */
  'wasi-libc': {
    version: ['dpkg-query', '--show', '--showformat=wasi-libc ${Version}\n', 'wasi-libc'],
    debian: 'wasi-libc libclang-rt-14-dev-wasm32',
  },
  /** Not programs: the Debian packages of the headers `foreign-ts bind` is run on (c/bindings/). */
  'zlib1g-dev': debianPackage('zlib1g-dev'),
  'libsdl2-dev': debianPackage('libsdl2-dev'),
  'libc6-dev': debianPackage('libc6-dev'),
} as const satisfies Record<string, ToolInfo>;

export type Tool = keyof typeof TOOLS;

/**
 * One step of a build. Words may hold placeholders:
 * `$OUT` (this artifact's output file), `$TMP` (a scratch directory of this artifact's own),
 * `$BUILD` (the directory where this build writes every output: earlier artifacts' outputs
 * are there). Commands run in the repository root.
 *
 * - `{ run }`: runs the command; with `stdout: true` its standard output is the output file.
 * - `{ wasm, call }`: instantiates the module (it must have no imports), calls the export
 *   `call` with no argument, which returns the address of a NUL-terminated UTF-8 text in the
 *   module's memory: that text is the output file.
 */
export type Step =
  | { readonly run: readonly string[]; readonly stdout?: true }
  | { readonly wasm: string; readonly call: string };

/** A file made by a C compiler and committed as `c/build/NAME`. */
export interface Artifact {
  /** The output's file name in `c/build/`. */
  readonly name: string;
  /** What it is, and who uses it. */
  readonly what: string;
  /** The files it is made from (hashed into the manifest), relative to the repository root. */
  readonly sources: readonly string[];
  /** The tools its steps run (checked before the build, with their versions recorded). */
  readonly tools: readonly Tool[];
  readonly steps: readonly Step[];
}

/** Where the committed outputs live, relative to the repository root. */
export const C_BUILD = 'c/build';

/** The manifest `npm run build:c` writes next to the outputs. */
export const MANIFEST = `${C_BUILD}/manifest.json`;

// -------------------------------------------------------------------------------------------
// compilers
// -------------------------------------------------------------------------------------------

/**
 * The flags of a wasm32 module without a libc, after the target and the optimization level:
 * `-mbulk-memory` turns struct copies into `memory.copy`/`memory.fill` instead of calls to a
 * missing memcpy/memset; only `__attribute__((visibility("default")))` functions are exported.
 */
const WASM32_NO_LIBC = [
  '-nostdlib',
  '-mbulk-memory',
  '-fvisibility=hidden',
  '-Wl,--no-entry',
  '-Wl,--export-dynamic',
] as const;

/**
 * clang for wasm32, without a libc (clang 14, lld 14; toolchain.md §2.3).
 */
export const CLANG_WASM32 = ['clang', '--target=wasm32', '-O2', ...WASM32_NO_LIBC] as const;

/**
 * clang for wasm32 with wasi-libc (Debian's, in /usr: libc.a in /usr/lib/wasm32-wasi; its
 * compiler-rt from libclang-rt-14-dev-wasm32), as a reactor: a module with no `main`, whose
 * `_initialize` the host calls once (toolchain.md §5).
 */
export const CLANG_WASI_REACTOR = [
  'clang',
  '--target=wasm32-wasi',
  '--sysroot=/usr',
  '-O2',
  '-mexec-model=reactor',
  '-Wl,--no-entry',
  '-Wl,--strip-debug',
] as const;

/**
 * The programs of c/ffi/ (wasm32-wasi with wasi-libc, a reactor), called from TypeScript through
 * foreign-ts/wasm: the allocator, errno hook, C stack pointer and function table are exported for
 * the wasm context (`-mmutable-globals` lets the stack pointer be exported), and only
 * `EXPORT` functions beside them (c/ffi/ffi.h).
 */
export const CLANG_WASI_FFI = [
  ...CLANG_WASI_REACTOR,
  '-mmutable-globals',
  '-fvisibility=hidden',
  '-std=gnu11',
  '-Ic/ffi',
  ...['malloc', 'free', 'calloc', 'realloc', 'aligned_alloc', '__stack_pointer', '__heap_base'].map(
    (name) => `-Wl,--export=${name}`,
  ),
  '-Wl,--export-dynamic',
  '-Wl,--export-table',
  '-Wl,--growable-table',
  '-Wl,-z,stack-size=65536',
] as const;

/** gcc for the machine it runs on (x86-64, the LP64 data model). */
export const GCC_NATIVE = ['gcc', '-O2'] as const;

/** The C dialect of the layout harness (c/layouts/harness.h), for both compilers. */
export const LAYOUT_FLAGS = ['-std=gnu11', '-Ic/layouts'] as const;

/** Warnings for the C sources written by hand: every artifact is built without a warning. */
export const WARNINGS = ['-Wall', '-Wextra', '-Werror'] as const;

// -------------------------------------------------------------------------------------------
// the registry
// -------------------------------------------------------------------------------------------

const LAYOUT_SOURCES = ['c/layouts/layouts.c', 'c/layouts/harness.h', 'c/particle.h'];

const ARTIFACT_LIST: Artifact[] = [
  {
    name: 'layouts.wasm',
    what:
      'c/layouts/layouts.c for wasm32: copy_T, sum_T, fill_T and describe of every type, run ' +
      'by test/foreign/layouts.test.ts',
    sources: LAYOUT_SOURCES,
    tools: ['clang', 'wasm-ld'],
    steps: [
      { run: [...CLANG_WASM32, ...LAYOUT_FLAGS, ...WARNINGS, '-o', '$OUT', 'c/layouts/layouts.c'] },
    ],
  },
  {
    name: 'layouts.wasm32.json',
    what: "what clang reports for c/layouts/layouts.c on wasm32: layouts.wasm's describe()",
    sources: LAYOUT_SOURCES,
    tools: [],
    steps: [{ wasm: '$BUILD/layouts.wasm', call: 'describe' }],
  },
  {
    name: 'layouts.x86_64.json',
    what: 'what gcc reports for c/layouts/layouts.c on x86-64 (LP64): `layouts describe`',
    sources: LAYOUT_SOURCES,
    tools: ['gcc'],
    steps: [
      {
        run: [
          ...GCC_NATIVE,
          ...LAYOUT_FLAGS,
          ...WARNINGS,
          '-o',
          '$TMP/layouts',
          'c/layouts/layouts.c',
        ],
      },
      { run: ['$TMP/layouts', 'describe'], stdout: true },
    ],
  },
  {
    name: 'dlmalloc.wasm',
    what:
      "wasi-libc's dlmalloc in a module of its own, with c/dlmalloc/dlmalloc.c's exports and " +
      'replay loops: the native allocator of the heap bench (bench/lib/dlmalloc.ts)',
    sources: ['c/dlmalloc/dlmalloc.c'],
    tools: ['clang', 'wasm-ld', 'wasi-libc'],
    steps: [
      {
        run: [
          ...CLANG_WASI_REACTOR,
          ...WARNINGS,
          '-o',
          '$OUT',
          'c/dlmalloc/dlmalloc.c',
          '-Wl,--export=malloc',
          '-Wl,--export=free',
          '-Wl,--export=realloc',
          '-Wl,--export=malloc_usable_size',
          '-Wl,--max-memory=2147483648',
          '-Wl,-z,stack-size=65536',
        ],
      },
    ],
  },
  ...['core', 'qsort', 'list', 'strings', 'callback', 'particles', 'ghc'].map((name): Artifact => ({
    name: `ffi-${name}.wasm`,
    what: `c/ffi/${name}.c for wasm32-wasi with wasi-libc, called through foreign-ts/wasm (test/wasm/)`,
    sources: [`c/ffi/${name}.c`, 'c/ffi/ffi.h', ...(name === 'particles' ? ['c/particle.h'] : [])],
    tools: ['clang', 'wasm-ld', 'wasi-libc'],
    steps: [{ run: [...CLANG_WASI_FFI, ...WARNINGS, '-o', '$OUT', `c/ffi/${name}.c`] }],
  })),
  {
    name: 'example-shapes.wasm',
    what:
      'c/examples/shapes.c for wasm32-wasi with wasi-libc: the functions examples/13-bindings.ts ' +
      'calls through the foreignImports of c/build/shapes.wasm32.ts',
    sources: ['c/examples/shapes.c', 'c/examples/shapes.h'],
    tools: ['clang', 'wasm-ld', 'wasi-libc'],
    steps: [{ run: [...CLANG_WASI_FFI, ...WARNINGS, '-o', '$OUT', 'c/examples/shapes.c'] }],
  },
  {
    name: 'ffi-bare.wasm',
    what:
      'c/ffi/bare.c for wasm32 without a libc or an allocator: the wasm context puts its heap ' +
      'above __heap_base (test/wasm/context.test.ts)',
    sources: ['c/ffi/bare.c'],
    tools: ['clang', 'wasm-ld'],
    steps: [
      {
        run: [
          ...CLANG_WASM32,
          ...WARNINGS,
          '-Wl,--export=__heap_base',
          '-o',
          '$OUT',
          'c/ffi/bare.c',
        ],
      },
    ],
  },
];

// -------------------------------------------------------------------------------------------
// bindings (c/bindings/bindings.ts)
// -------------------------------------------------------------------------------------------

/** `foreign-ts bind`, run from this repository's sources. */
const BIND = ['node', '--import', 'tsx', 'src/cli/bin.ts', 'bind'] as const;

/**
 * The check program of a binding (`foreign-ts bind --check-c`) compiled by clang for each model
 * into `$TMP/check`, and how it prints its table (test/c/ compiles it the same way). `-O0`: at
 * `-O1` and above clang unrolls the loops over each member's bytes, and a header of 150 types
 * takes minutes to compile instead of a quarter of a second.
 */
export const BIND_CHECK: Readonly<Record<ModelName, { compile: readonly string[]; print: Step }>> =
  {
    wasm32: {
      // wasm32-wasi, for the headers of wasi-libc (nothing of it is linked)
      compile: [
        'clang',
        '--target=wasm32-wasi',
        '-O0',
        ...WASM32_NO_LIBC,
        '-w',
        '-o',
        '$TMP/check',
      ],
      print: { wasm: '$TMP/check', call: 'describe' },
    },
    x86_64: {
      compile: ['clang', '--target=x86_64-linux-gnu', '-O0', '-w', '-o', '$TMP/check'],
      print: { run: ['$TMP/check'], stdout: true },
    },
  };

/** The generator's arguments for `binding` and `model`, before `--out`. */
const bindArgs = (binding: Binding, model: ModelName): string[] => [
  ...BIND,
  binding.header,
  '--model',
  model,
  ...bindingArgs(binding, model),
];

/** The clang arguments of a binding (its -I, -D, -U), for the check program. */
const clangArgs = (args: readonly string[]): string[] =>
  args.flatMap((a, i) => (['-I', '-D', '-U'].includes(a) ? [a, args[i + 1] as string] : []));

/** The two artifacts of `binding` for `model`: the module and clang's table of it. */
const bindingArtifacts = (binding: Binding, model: ModelName): Artifact[] => {
  const files = bindingFiles(binding, model);
  const sources = [
    ...GENERATOR_SOURCES,
    ...(binding.header.startsWith('/') ? [] : [binding.header]),
    ...includedSources(bindingArgs(binding, model)),
  ];
  const tools: Tool[] = ['clang', ...binding.packages];
  return [
    {
      name: files.module,
      what: `the module foreign-ts bind writes for ${binding.what} (${model})`,
      sources,
      tools,
      steps: [{ run: [...bindArgs(binding, model), '--out', '$OUT'] }],
    },
    {
      name: files.table,
      what: `what clang reports of every type and constant of ${files.module}: its check program's output`,
      sources,
      tools: model === 'wasm32' ? [...tools, 'wasm-ld'] : tools,
      steps: [
        {
          run: [
            ...bindArgs(binding, model),
            '--out',
            '$TMP/module.ts',
            '--check-c',
            '$TMP/check.c',
          ],
        },
        {
          run: [
            ...BIND_CHECK[model].compile,
            ...clangArgs(bindingArgs(binding, model)),
            '$TMP/check.c',
          ],
        },
        BIND_CHECK[model].print,
      ],
    },
  ];
};

ARTIFACT_LIST.push(...BINDINGS.flatMap((b) => b.models.flatMap((m) => bindingArtifacts(b, m))));

/** Every artifact, in build order: the C corpora, then the bindings of c/bindings/bindings.ts. */
export const ARTIFACTS: readonly Artifact[] = ARTIFACT_LIST;

/** The artifact called `name`; throws when there is none (a typo in a test). */
export const artifact = (name: string): Artifact => {
  const found = ARTIFACTS.find((a) => a.name === name);
  if (found === undefined) throw new Error(`c/artifacts.ts has no artifact ${name}`);
  return found;
};

/** The committed output of artifact `name`, relative to the repository root. */
export const outputOf = (name: string): string => `${C_BUILD}/${artifact(name).name}`;
