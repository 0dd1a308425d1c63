/**
 * The committed programs of c/ffi/ (c/build/ffi-*.wasm), instantiated fresh for each test.
 */
import { readFileSync } from 'node:fs';
import { wasmContext, type WasmContext, type WasmContextOptions } from 'foreign-ts/wasm';

const modules = new Map<string, WebAssembly.Module>();

/** The compiled module c/build/ffi-NAME.wasm (compiled once). */
export const ffiModule = (name: string): WebAssembly.Module => {
  let m = modules.get(name);
  if (m === undefined) {
    m = new WebAssembly.Module(
      readFileSync(new URL(`../../c/build/ffi-${name}.wasm`, import.meta.url)),
    );
    modules.set(name, m);
  }
  return m;
};

/** A fresh instance of c/build/ffi-NAME.wasm. */
export const ffiInstance = (name: string): WebAssembly.Instance =>
  new WebAssembly.Instance(ffiModule(name), {});

/** A wasm context over a fresh instance of c/build/ffi-NAME.wasm. */
export const ffi = (name: string, options: WasmContextOptions = {}): WasmContext =>
  wasmContext(ffiInstance(name), options);
