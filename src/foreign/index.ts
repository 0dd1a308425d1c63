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
export { contextOf, newContext } from './context.js';
export type { Context, Allocator } from './context.js';
export { foreign } from './foreign.js';
export type { Foreign } from './foreign.js';
export type { FinalizerPtr } from './finalizer.js';
export { NullPointerError } from './access.js';
export { marshalAlloc } from './marshal/alloc.js';
export type { MarshalAlloc } from './marshal/alloc.js';
export {
  marshalUtils,
  fromBool,
  toBool,
  maybeNew,
  maybeWith,
  maybePeek,
  withMany,
} from './marshal/utils.js';
export type { MarshalUtils } from './marshal/utils.js';
export { throwIf, throwIf_, throwIfNeg, throwIfNeg_, throwIfNull } from './marshal/error.js';
export { AllocationError, UserError, OverlapError } from './marshal/errors.js';
export { defaultForeign, defaultContext, defaultHeap } from './default.js';
export * from './bound.js';
export {
  ForeignPtr,
  ForeignPtrError,
  addForeignPtrFinalizer,
  addForeignPtrFinalizerEnv,
  addForeignPtrConcFinalizer,
  withForeignPtr,
  finalizeForeignPtr,
  touchForeignPtr,
  castForeignPtr,
  plusForeignPtr,
  unsafeForeignPtrToPtr,
  eqForeignPtr,
  foreignPtrs,
} from './foreignptr.js';
export type { FinalizerEnvPtr, ForeignPtrs } from './foreignptr.js';
export {
  cString,
  charIsRepresentable,
  castCharToCChar,
  castCCharToChar,
  castCharToCUChar,
  castCUCharToChar,
  castCharToCSChar,
  castCSCharToChar,
} from './cstring.js';
export type { CString, CStringLen, CStringFunctions } from './cstring.js';
export { advancePtr, marshalArray, type MarshalArray } from './marshal/array.js';
export {
  Pool,
  PoolError,
  freePool,
  pooledMalloc,
  pooledMallocBytes,
  pooledRealloc,
  pooledReallocBytes,
  pooledMallocArray,
  pooledMallocArray0,
  pooledReallocArray,
  pooledReallocArray0,
  pooledNew,
  pooledNewArray,
  pooledNewArray0,
  marshalPool,
  type MarshalPool,
} from './pool.js';
export { asyncBrackets, type AsyncBrackets } from './async-brackets.js';
export {
  Scoped,
  ScopedPtr,
  ScopedCStringLen,
  ScopedForeignPtr,
  scopedAllocations,
  type ScopedAllocations,
} from './scoped.js';
export type { Releasable, AsyncReleasable } from './dispose.js';
