/**
 * clang as an oracle for C layouts: compiles C sources (with test/foreign/c/harness.h) for
 * wasm32 and natively for x86-64, caches the results under .tmp/clang/ (gitignored), and answers
 * the same questions for both: size, alignment and offsets of the types, and the bytes of
 * copy_T (C copies a value member by member) and fill_T (C stores constants).
 *
 * A missing clang is a test failure with a message saying what to install, not a skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const C_DIR = resolve(here, '../c');
const CACHE = resolve(here, '../../../.tmp/clang');

const WASM_FLAGS = [
  '--target=wasm32',
  '-O2',
  '-nostdlib',
  '-mbulk-memory',
  '-Wl,--no-entry',
  '-Wl,--export-dynamic',
];
const NATIVE_FLAGS = ['-O2'];
const COMMON_FLAGS = [
  '-std=gnu11',
  '-Wall',
  '-Wno-unused-function',
  '-Wno-gnu-empty-struct',
  '-Wno-zero-length-array',
  '-Wno-gnu-zero-variable-length-array',
  `-I${C_DIR}`,
];

let clangVersion: string | undefined;

/** clang's version line; throws an explanatory error when clang (or wasm-ld) is missing. */
export const requireClang = (): string => {
  if (clangVersion !== undefined) return clangVersion;
  try {
    clangVersion = execFileSync('clang', ['--version'], { encoding: 'utf8' }).split('\n')[0] ?? '';
  } catch {
    throw new Error(
      'clang is not installed, and the layout tests check struct layouts against it. ' +
        'Install clang and lld (Debian/Ubuntu: apt-get install -y clang lld).',
    );
  }
  return clangVersion;
};

const compile = (source: string, target: 'wasm32' | 'native'): string => {
  const version = requireClang();
  const header = readFileSync(join(C_DIR, 'harness.h'), 'utf8');
  const flags = [...(target === 'wasm32' ? WASM_FLAGS : NATIVE_FLAGS), ...COMMON_FLAGS];
  const key = createHash('sha256')
    .update([version, target, flags.join(' '), header, source].join('\0'))
    .digest('hex')
    .slice(0, 16);
  const out = join(CACHE, `${key}.${target === 'wasm32' ? 'wasm' : 'exe'}`);
  if (existsSync(out)) return out;
  mkdirSync(CACHE, { recursive: true });
  const input = join(CACHE, `${key}.c`);
  writeFileSync(input, source);
  const partial = `${out}.${process.pid}`;
  const result = spawnSync('clang', [...flags, '-o', partial, input], { encoding: 'utf8' });
  if (result.status !== 0) {
    const wasmLd =
      target === 'wasm32' && /wasm-ld|lld/.test(result.stderr)
        ? ' (is lld installed? apt-get install -y lld)'
        : '';
    throw new Error(`clang failed on ${input}${wasmLd}:\n${result.stderr}`);
  }
  renameSync(partial, out);
  return out;
};

/** What the C side says about one type. */
export interface CLayout {
  readonly size: number;
  readonly align: number;
  readonly offsets: Readonly<Record<string, number>>;
}

/** A request to the C side: copy these bytes of type T, or fill a T. */
export type Request =
  | { readonly op: 'copy'; readonly type: string; readonly bytes: Uint8Array }
  | { readonly op: 'fill'; readonly type: string };

/** The C side of a compiled file, for one target. */
export interface Oracle {
  readonly target: 'wasm32' | 'lp64';
  layout(type: string, fields: readonly string[]): CLayout;
  /** Answers the requests in order: the bytes C produced. */
  run(requests: readonly Request[]): Uint8Array[];
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const fromHex = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));

/** A wasm32 oracle, with the module's exports and memory for direct use. */
export interface WasmOracle extends Oracle {
  readonly exports: Record<string, unknown>;
  readonly memory: WebAssembly.Memory;
}

/** The oracle of `source` compiled for wasm32 and run in this process. */
export const wasmOracle = (source: string): WasmOracle => {
  const wasm = readFileSync(compile(source, 'wasm32'));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(wasm), {});
  const exports = instance.exports as Record<string, unknown>;
  const memory = exports.memory as WebAssembly.Memory;
  const call = (name: string, ...args: number[]): number => {
    const f = exports[name];
    if (typeof f !== 'function') throw new Error(`the wasm module exports no ${name}`);
    return f(...args) as number;
  };
  const src = memory.grow(2) * 65536;
  const dst = src + 65536;
  return {
    target: 'wasm32',
    exports,
    memory,
    layout: (type, fields) => ({
      size: call(`size_${type}`),
      align: call(`align_${type}`),
      offsets: Object.fromEntries(fields.map((f) => [f, call(`off_${type}_${f}`)])),
    }),
    run: (requests) =>
      requests.map((r) => {
        const size = call(`size_${r.type}`);
        const u8 = new Uint8Array(memory.buffer);
        u8.fill(0xa5, dst, dst + size);
        if (r.op === 'copy') {
          u8.set(r.bytes, src);
          call(`copy_${r.type}`, dst, src);
        } else {
          call(`fill_${r.type}`, dst);
        }
        return new Uint8Array(memory.buffer).slice(dst, dst + size);
      }),
  };
};

/** The oracle of `source` compiled natively (x86-64, LP64) and run as a child process. */
export const nativeOracle = (source: string): Oracle => {
  const exe = compile(source, 'native');
  const ask = (input: string): string[] => {
    const result = spawnSync(exe, [], { input, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (result.status !== 0) throw new Error(`${exe} failed: ${result.stderr}`);
    return result.stdout.trimEnd().split('\n');
  };
  const [head] = ask('');
  const described = JSON.parse(head ?? '{}') as {
    types: Record<string, [number, number]>;
    offsets: Record<string, number>;
  };
  return {
    target: 'lp64',
    layout: (type, fields) => {
      const [size, align] = described.types[type] ?? [NaN, NaN];
      return {
        size,
        align,
        offsets: Object.fromEntries(
          fields.map((f) => [f, described.offsets[`${type}.${f}`] ?? NaN]),
        ),
      };
    },
    run: (requests) => {
      if (requests.length === 0) return [];
      const lines = requests.map((r) =>
        r.op === 'copy' ? `copy ${r.type} ${toHex(r.bytes)}` : `fill ${r.type}`,
      );
      const [, ...answers] = ask(lines.join('\n') + '\n');
      return answers.map((line) => {
        if (line.startsWith('unknown')) throw new Error(`native harness: ${line}`);
        return fromHex(line);
      });
    },
  };
};
