/**
 * The Haskell face: `Foreign.Ptr`, `Foreign.Storable`, `Foreign.C.Types` for the wasm32 and
 * LP64 data models, struct layouts, and peek/poke as fp-ts `IO` programs.
 *
 * @packageDocumentation
 */
export * from './ptr.js';
export type { Storable, StorableOf } from './storable/index.js';
export { sizeOf, alignment } from './storable/index.js';
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
} from './storable/index.js';
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
  Int,
  Word,
  CWchar,
  CFloat,
  CDouble,
  CBool,
  Ptr,
  FunPtr,
} from './c/index.js';
export type { DataModel } from './c/index.js';
export { MarshalError } from './storable/index.js';
export { peekPoke } from './storable/index.js';
export type { PeekPoke, UncheckedPokes, EitherPeekPoke } from './storable/index.js';
export * from './layout/index.js';
export { contextOf, newContext } from '../interface/index.js';
export type { Context, Allocator } from '../interface/index.js';
export { foreign } from './context/index.js';
export type { Foreign, EitherFunctions } from './context/index.js';
export type { FinalizerPtr } from './marshal/index.js';
export { NullPointerError } from './storable/index.js';
export { marshalAlloc } from './marshal/index.js';
export type { MarshalAlloc, EitherMarshalAlloc } from './marshal/index.js';
export {
  marshalUtils,
  fromBool,
  toBool,
  maybeNew,
  maybeWith,
  maybePeek,
  withMany,
} from './marshal/index.js';
export type { MarshalUtils } from './marshal/index.js';
export { throwIf, throwIf_, throwIfNeg, throwIfNeg_, throwIfNull } from './marshal/index.js';
export { unsafeLocalState } from './marshal/index.js';
export { AllocationError } from './marshal/index.js';
export { UserError } from './marshal/index.js';
export { OverlapError } from './marshal/index.js';
export { defaultForeign, defaultContext, defaultHeap } from './context/index.js';
export * from './context/index.js';
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
  ordForeignPtr,
  compareForeignPtr,
  minusForeignPtr,
  nullForeignPtr,
  foreignPtrs,
} from './lifetimes/index.js';
export type { FinalizerEnvPtr, ForeignPtrs, Concurrent } from './lifetimes/index.js';
export {
  cString,
  charIsRepresentable,
  castCharToCChar,
  castCCharToChar,
  castCharToCUChar,
  castCUCharToChar,
  castCharToCSChar,
  castCSCharToChar,
} from './c/index.js';
export type { CString, CStringLen, CStringFunctions, EitherCStrings } from './c/index.js';
export { cWString, cAString } from './c/index.js';
export { cError, errnoToIOError, isValidErrno, ErrnoError } from './c/index.js';
export type { Errno, IOErrorType, CError, EitherErrno } from './c/index.js';
export {
  eOK,
  e2BIG,
  eACCES,
  eADDRINUSE,
  eADDRNOTAVAIL,
  eAFNOSUPPORT,
  eAGAIN,
  eALREADY,
  eBADF,
  eBADMSG,
  eBUSY,
  eCANCELED,
  eCHILD,
  eCONNABORTED,
  eCONNREFUSED,
  eCONNRESET,
  eDEADLK,
  eDESTADDRREQ,
  eDOM,
  eDQUOT,
  eEXIST,
  eFAULT,
  eFBIG,
  eHOSTUNREACH,
  eIDRM,
  eILSEQ,
  eINPROGRESS,
  eINTR,
  eINVAL,
  eIO,
  eISCONN,
  eISDIR,
  eLOOP,
  eMFILE,
  eMLINK,
  eMSGSIZE,
  eMULTIHOP,
  eNAMETOOLONG,
  eNETDOWN,
  eNETRESET,
  eNETUNREACH,
  eNFILE,
  eNOBUFS,
  eNODEV,
  eNOENT,
  eNOEXEC,
  eNOLCK,
  eNOLINK,
  eNOMEM,
  eNOMSG,
  eNOPROTOOPT,
  eNOSPC,
  eNOSYS,
  eNOTCONN,
  eNOTDIR,
  eNOTEMPTY,
  eNOTRECOVERABLE,
  eNOTSOCK,
  eNOTSUP,
  eNOTTY,
  eNXIO,
  eOVERFLOW,
  eOWNERDEAD,
  ePERM,
  ePIPE,
  ePROTO,
  ePROTONOSUPPORT,
  ePROTOTYPE,
  eRANGE,
  eROFS,
  eSPIPE,
  eSRCH,
  eSTALE,
  eTIMEDOUT,
  eTXTBSY,
  eXDEV,
  eNOTCAPABLE,
  eWOULDBLOCK,
  eOPNOTSUPP,
} from './c/index.js';
export type {
  CWString,
  CWStringLen,
  CWStringFunctions,
  EitherCWStrings,
  CAStringFunctions,
  EitherCAStrings,
} from './c/index.js';
export {
  advancePtr,
  marshalArray,
  type MarshalArray,
  type EitherMarshalArray,
} from './marshal/index.js';
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
} from './marshal/index.js';
export {
  asyncBrackets,
  type AsyncBrackets,
  type TaskBrackets,
  type TaskEitherBrackets,
} from './lifetimes/index.js';
export {
  Scoped,
  ScopedPtr,
  ScopedCStringLen,
  ScopedForeignPtr,
  scopedAllocations,
  type ScopedAllocations,
} from './lifetimes/index.js';
export type { Releasable, AsyncReleasable } from '../dispose/index.js';
export {
  StablePtr,
  StablePtrError,
  castStablePtrToPtr,
  castPtrToStablePtr,
  stablePtrs,
  type StablePtrs,
} from './stable-ptr.js';
