/**
 * The Haskell face: `Foreign.Ptr`, `Foreign.Storable`, `Foreign.C.Types` for the wasm32 and
 * LP64 data models, struct layouts, and peek/poke as fp-ts `IO` programs.
 *
 * @packageDocumentation
 */
export * from './ptr.js';
export type { Storable, StorableOf } from './storable.js';
export { sizeOf, alignment } from './storable.js';
export {
  Int8,
  Int16,
  Int32,
  Int64,
  Word8,
  Word16,
  Word32,
  Word64,
  Float,
  Double,
  Bool,
  Char,
  asNumber,
  scalar,
  checkCodec,
} from './primitives.js';
export {
  wasm32,
  lp64,
  CChar,
  CSChar,
  CUChar,
  CShort,
  CUShort,
  CInt,
  CUInt,
  CLong,
  CULong,
  CLLong,
  CULLong,
  CSize,
  CPtrdiff,
  CIntPtr,
  CUIntPtr,
  CIntMax,
  CUIntMax,
  CWchar,
  CFloat,
  CDouble,
  CBool,
  Ptr,
  FunPtr,
} from './ctypes.js';
export type { DataModel } from './ctypes.js';
export { MarshalError } from './errors.js';
export { peekPoke } from './peekpoke.js';
export type { PeekPoke, UncheckedPokes, EitherPeekPoke } from './peekpoke.js';
export * from './layout/index.js';
export { advancePtr, marshalArray, type MarshalArray } from './marshal/array.js';
