/**
 * The Haskell face: `Foreign.Ptr`, `Foreign.Storable`, `Foreign.C.Types` for the wasm32 and
 * LP64 data models, struct layouts, and peek/poke as fp-ts `IO` programs.
 *
 * @packageDocumentation
 */
export * from './ptr.js';
export type { Storable, StorableOf } from './storable/instance.js';
export { sizeOf, alignment } from './storable/instance.js';
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
} from './storable/primitives.js';
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
} from './c/types.js';
export type { DataModel } from './c/types.js';
export { MarshalError } from './storable/marshal-error.js';
export { peekPoke } from './storable/peek-poke.js';
export type { PeekPoke, UncheckedPokes, EitherPeekPoke } from './storable/peek-poke.js';
export * from './layout/index.js';
export { contextOf, newContext } from '../interface/context.js';
export type { Context, Allocator } from '../interface/context.js';
export { foreign } from './context/foreign.js';
export type { Foreign } from './context/foreign.js';
export type { FinalizerPtr } from './marshal/finalizer-ptr.js';
export { NullPointerError } from './storable/access.js';
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
export { AllocationError, UserError, OverlapError } from './marshal/allocation-error.js';
export { defaultForeign, defaultContext, defaultHeap } from './context/default-context.js';
export * from './context/root-functions.js';
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
} from './lifetimes/foreign-ptr.js';
export type { FinalizerEnvPtr, ForeignPtrs } from './lifetimes/foreign-ptr.js';
export {
  cString,
  charIsRepresentable,
  castCharToCChar,
  castCCharToChar,
  castCharToCUChar,
  castCUCharToChar,
  castCharToCSChar,
  castCSCharToChar,
} from './c/string.js';
export type { CString, CStringLen, CStringFunctions } from './c/string.js';
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
} from './marshal/pool.js';
export { asyncBrackets, type AsyncBrackets } from './lifetimes/async-brackets.js';
export {
  Scoped,
  ScopedPtr,
  ScopedCStringLen,
  ScopedForeignPtr,
  scopedAllocations,
  type ScopedAllocations,
} from './lifetimes/scoped.js';
export type { Releasable, AsyncReleasable } from './dispose.js';
