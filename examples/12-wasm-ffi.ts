// C compiled to WebAssembly, called as Haskell calls C: `foreign import ccall` with typed arguments.
//
// The modules are c/ffi/qsort.c and c/ffi/strings.c, built by `npm run build:c` with clang for
// wasm32-wasi against wasi-libc (so C has a real malloc, qsort and snprintf) and committed in
// c/build/. A wasm context puts the library's functions on the module's memory, allocating
// through the module's own malloc; `foreignImport` declares each C function with its C types;
// `foreignImportWrapper` turns a TypeScript comparator into a function pointer C's qsort calls.
// See docs/wasm.md.
import { readFileSync } from 'node:fs';
import {
  AllocationError,
  CDouble,
  CInt,
  CSize,
  FunPtr,
  Int32,
  MarshalError,
  Ptr,
  chars,
  nullPtr,
  struct,
} from 'foreign-ts';
import {
  ForeignCallError,
  FunPtrError,
  Void,
  foreignImport,
  foreignImportWrapper,
  freeHaskellFunPtr,
  inCString,
  wasiStubs,
  wasmContext,
} from 'foreign-ts/wasm';

/** A fresh instance of c/build/ffi-NAME.wasm and its context. */
const load = (name: string) => {
  const module = new WebAssembly.Module(
    readFileSync(new URL(`../c/build/ffi-${name}.wasm`, import.meta.url)),
  );
  return wasmContext(new WebAssembly.Instance(module, wasiStubs(module)));
};

// ---------------------------------------------------------------------------------------------
// Structs and a callback: qsort.c
//
//   typedef struct { int32_t id; double score; char name[12]; } Record;
//   void sort_records(Record *records, size_t n, int (*compare)(const void *, const void *));

const Record = struct({ id: Int32, score: CDouble, name: chars(12) }, 'Record');

const q = load('qsort');
console.log(`allocator: the module's own (${q.allocatorKind}), Record: ${Record.sizeOf} bytes`);
console.log(`C says sizeof(Record) = ${foreignImport(q, 'record_size', [], CSize)()()}`);

const sortRecords = foreignImport(q, 'sort_records', [Ptr, CSize, FunPtr], Void);
const { newArray, peekArray, peek, free } = q.foreign;

let comparisons = 0;
const byScore = foreignImportWrapper(
  q,
  [Ptr, Ptr],
  CInt,
)((a, b) => () => {
  comparisons++;
  return Math.sign(peek(Record, a)().score - peek(Record, b)().score);
})();

const records = [
  { id: 1, score: 2.5, name: 'plum' },
  { id: 2, score: -1, name: 'fig' },
  { id: 3, score: 9.75, name: 'quince' },
  { id: 4, score: 0, name: 'crème' },
];
// newArray gives nullPtr when the module's malloc has no memory: C must not be handed NULL.
// The array and the function pointer are given back in `finally`, whatever happens.
const p = newArray(Record, records)();
try {
  if (p === nullPtr) throw new AllocationError('newArray', records.length * Record.sizeOf);
  sortRecords(p, records.length, byScore)();
  for (const r of peekArray(Record, records.length, p)()) console.log(`  ${r.score}\t${r.name}`);
  console.log(`qsort called the TypeScript comparator ${comparisons} times`);
} finally {
  free(p)();
  freeHaskellFunPtr(q, byScore)();
}

// A released function pointer is refused, by name, before C gets it.
try {
  sortRecords(p, 0, byScore);
} catch (e) {
  if (e instanceof FunPtrError) console.log(`refused: ${e.message}`);
}

// ---------------------------------------------------------------------------------------------
// Strings: strings.c
//
//   size_t utf8_length(const char *s);
//   int format_point(char *buf, size_t size, const char *name, int x, double y);

const s = load('strings');
const utf8Length = foreignImport(s, 'utf8_length', [inCString], CSize);
const formatPoint = foreignImport(s, 'format_point', [Ptr, CSize, inCString, CInt, CDouble], CInt);

console.log(`utf8_length("naïve 🙂") = ${utf8Length('naïve 🙂')()} code points`);
const text = s.foreign.allocaBytes(32, (buf) => () => {
  const n = formatPoint(buf, 32, 'p', 3, 0.125)();
  return `${s.foreign.peekCString(buf)()} (${n} bytes)`;
})();
console.log(`snprintf: ${text}`);

// Arguments are checked before the call, naming the C function.
for (const bad of [
  () => utf8Length(42 as never),
  () => formatPoint(0 as never, 32, 'p', 2 ** 31, 0),
]) {
  try {
    bad();
  } catch (e) {
    if (e instanceof TypeError || e instanceof MarshalError) console.log(`refused: ${e.message}`);
  }
}

// A trap in C is a typed error; the stacks are released.
const sumInts = foreignImport(load('core'), 'sum_ints', [Ptr, CSize], CInt);
try {
  sumInts(0xfffffff0 as never, 100)();
} catch (e) {
  if (e instanceof ForeignCallError) console.log(`${e.name}: ${e.message}`);
}
