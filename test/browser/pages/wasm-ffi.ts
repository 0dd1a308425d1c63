/**
 * The C programs of c/ffi/ through foreign-ts/wasm, in the browser (issue 13): the committed
 * modules (assets of this page) are fetched, instantiated with WASI stubs, and driven by the
 * same code as test/wasm/programs.test.ts (test/wasm/programs.ts): qsort with a TypeScript
 * comparator, a linked list both ways, UTF-8 strings with snprintf, and C calling back with a
 * struct pointer. The runner compares each output with the one TypeScript expects.
 */
import { wasiStubs, wasmContext } from 'foreign-ts/wasm';
import { runSample } from '../../wasm/programs.js';
import { report, toJson } from '../report.js';

const NAMES = ['qsort', 'list', 'strings', 'callback'];

const run = async (): Promise<void> => {
  const modules = new Map<string, WebAssembly.Module>();
  for (const name of NAMES) {
    const bytes = await (await fetch(`ffi-${name}.wasm`)).arrayBuffer();
    modules.set(name, await WebAssembly.compile(bytes));
  }
  const r = runSample((name) => {
    const m = modules.get(name)!;
    return wasmContext(new WebAssembly.Instance(m, wasiStubs(m)));
  });
  report(r, `the C programs of c/ffi/ through foreign-ts/wasm:\n${toJson(r)}`);
};

void run();
