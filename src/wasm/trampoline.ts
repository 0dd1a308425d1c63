/**
 * The trampoline of a JavaScript callback: a WebAssembly module, written here byte by byte for
 * one signature, that imports a JavaScript function and exports a wasm function of that
 * signature calling it. Its export can be put in a module's function table, where C calls it
 * through a function pointer (`call_indirect` checks the signature, so the slot must hold a wasm
 * function of the right type: a JavaScript function cannot be put there, and Node 20 has no
 * `WebAssembly.Function` to make one).
 *
 * ```
 * (module
 *   (type $t (func (param p0 … pn) (result r?)))
 *   (import "js" "f" (func $f (type $t)))
 *   (func (export "f") (type $t)
 *     local.get 0 … local.get n
 *     call $f))
 * ```
 *
 * @since 0.1.0
 */

/**
 * A wasm value type (the binary encoding's bytes).
 *
 * @category model
 * @since 0.1.0
 */
export type ValType = 'i32' | 'i64' | 'f32' | 'f64';

const VALTYPE: Readonly<Record<ValType, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

// Section ids, opcodes and markers of the binary format (WebAssembly core spec, 5.x).
const SECTION_TYPE = 1;
const SECTION_IMPORT = 2;
const SECTION_FUNCTION = 3;
const SECTION_EXPORT = 7;
const SECTION_CODE = 10;
const FUNC_TYPE = 0x60;
const KIND_FUNC = 0x00;
const OP_LOCAL_GET = 0x20;
const OP_CALL = 0x10;
const OP_END = 0x0b;
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1

/** An unsigned LEB128 number. */
const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
};

/** A vector: its length, then its items. */
const vec = (items: readonly number[][]): number[] => [...uleb(items.length), ...items.flat()];

/** A name: its UTF-8 bytes as a vector (the names here are ASCII). */
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/**
 * The bytes of the trampoline module for `(params) -> results` (at most one result).
 *
 * @internal
 */
export const trampolineBytes = (
  params: readonly ValType[],
  results: readonly ValType[],
): Uint8Array<ArrayBuffer> => {
  const type = [
    FUNC_TYPE,
    ...vec(params.map((p) => [VALTYPE[p]])),
    ...vec(results.map((r) => [VALTYPE[r]])),
  ];
  const body = [
    0, // no locals
    ...params.flatMap((_, i) => [OP_LOCAL_GET, ...uleb(i)]),
    OP_CALL,
    0, // the import is function 0
    OP_END,
  ];
  return Uint8Array.from([
    ...HEADER,
    ...section(SECTION_TYPE, vec([type])),
    ...section(SECTION_IMPORT, vec([[...name('js'), ...name('f'), KIND_FUNC, 0]])),
    ...section(SECTION_FUNCTION, vec([[0]])),
    ...section(SECTION_EXPORT, vec([[...name('f'), KIND_FUNC, 1]])),
    ...section(SECTION_CODE, vec([[...uleb(body.length), ...body]])),
  ]);
};

const compiled = new Map<string, WebAssembly.Module>();

/**
 * A wasm function of the signature `(params) -> results` that calls `f`, ready for a function
 * table. The module of each signature is compiled once.
 *
 * @internal
 */
export const trampoline = (
  params: readonly ValType[],
  results: readonly ValType[],
  f: (...xs: never[]) => unknown,
): ((...xs: unknown[]) => unknown) => {
  const key = `${params.join(',')}->${results.join(',')}`;
  let m = compiled.get(key);
  if (m === undefined) {
    m = new WebAssembly.Module(trampolineBytes(params, results));
    compiled.set(key, m);
  }
  const instance = new WebAssembly.Instance(m, { js: { f } });
  return instance.exports['f'] as (...xs: unknown[]) => unknown;
};
