/**
 * `foreign-ts/wasm`: C functions imported from a WebAssembly instance, as Haskell's
 * `foreign import ccall` imports them. A context over the instance (its memory, its own
 * `malloc`/`free` or this library's heap above `__heap_base`, the alloca stack, the function
 * table, the errno hook), `foreignImport` for typed calls returning `IO`, and the argument
 * types that marshal strings and arrays for the duration of a call. See docs/wasm.md.
 *
 * @packageDocumentation
 */
export { wasmContext } from './context.js';
export type { WasmContext, WasmContextOptions, WasmAllocatorKind } from './context.js';
export type { ModuleAllocator } from './module-interface.js';
export { foreignImport, type ForeignFunction } from './import.js';
export {
  inCString,
  inArray,
  Void,
  type InCString,
  type InArray,
  type VoidType,
  type ArgType,
  type ResultType,
  type ArgValue,
  type ResultValue,
} from './types.js';
export { ForeignCallError, FunPtrError } from './errors.js';
export {
  foreignImportWrapper,
  foreignImportDynamic,
  freeHaskellFunPtr,
  type Callback,
} from './funptr.js';
