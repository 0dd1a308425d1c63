/**
 * The Haskell-named functions bound to the default context: what `import { alloca, peek } from
 * 'foreign-ts'` gives. Each family (`Foreign.Storable`'s functions, `Foreign.Marshal.Alloc`'s,
 * …) is bound to the default context on the first call of one of its functions, so that a
 * bundler keeps only the families a program imports. `foreign(ctx)` gives the same functions
 * bound to another context; the objects (`either`, `task`, `scoped`, …) are bound by the same
 * key lists as there.
 *
 * @since 0.1.0
 */
import type { Context } from '../../interface/index.js';
import {
  cError,
  type CError,
  cAString,
  cString,
  cWString,
  type CAStringFunctions,
  type CStringFunctions,
  type CWStringFunctions,
} from '../c/index.js';
import {
  BRACKET_KEYS,
  CONCURRENT_KEYS,
  SCOPED_KEYS,
  asyncBrackets,
  foreignPtrs,
  scopedAllocations,
  type AsyncBrackets,
  type ForeignPtrs,
  type ScopedAllocations,
} from '../lifetimes/index.js';
import {
  asFinalizerFree,
  marshalAlloc,
  marshalPool,
  marshalUtils,
  type FinalizerPtr,
  type MarshalAlloc,
  type MarshalArray,
  type MarshalPool,
  type MarshalUtils,
} from '../marshal/index.js';
import { fieldAccess, type FieldAccess } from '../layout/index.js';
import { stablePtrs, type StablePtrs } from '../stable-ptr.js';
import type { Ptr } from '../ptr.js';
import { UNCHECKED_KEYS, peekAndPoke, peekPoke, type PeekPoke } from '../storable/index.js';
import { bound, boundAll, defaultFamily } from './default-context.js';
import { marshalArrays } from './marshal-arrays.js';
import { EITHER_KEYS, eitherOf, type EitherFunctions, type Foreign } from './foreign.js';

// The families, each made on its first use (the functions are their memo keys).
const storableOf = (ctx: Context): PeekPoke => peekPoke(ctx.memory);
const storable = (): PeekPoke => defaultFamily(storableOf);
// `peek` and `poke` alone: a page that uses only them does not carry the other accessors.
const pointOf = (ctx: Context): Pick<PeekPoke, 'peek' | 'poke'> => peekAndPoke(ctx.memory);
const point = (): Pick<PeekPoke, 'peek' | 'poke'> => defaultFamily(pointOf);
const alloc = (): MarshalAlloc => defaultFamily(marshalAlloc);
const utilsOf = (ctx: Context): MarshalUtils => marshalUtils(ctx, alloc(), storable());
const utils = (): MarshalUtils => defaultFamily(utilsOf);
const arraysOf = (ctx: Context): MarshalArray => marshalArrays(ctx, alloc());
const arrays = (): MarshalArray => defaultFamily(arraysOf);
const stringsOf = (ctx: Context): CStringFunctions => cString(ctx, alloc());
const strings = (): CStringFunctions => defaultFamily(stringsOf);
const wideOf = (ctx: Context): CWStringFunctions => cWString(ctx, alloc());
const wide = (): CWStringFunctions => defaultFamily(wideOf);
const asciiOf = (ctx: Context): CAStringFunctions => cAString(ctx, alloc());
const ascii = (): CAStringFunctions => defaultFamily(asciiOf);
const errnoFamily = (): CError => defaultFamily(cError);
const pools = (): MarshalPool => defaultFamily(marshalPool);
const foreignPtrsOf = (ctx: Context): ForeignPtrs => foreignPtrs(ctx, alloc());
const foreignPtrFamily = (): ForeignPtrs => defaultFamily(foreignPtrsOf);
const bracketsOf = (ctx: Context): AsyncBrackets => asyncBrackets(ctx, pools());
const brackets = (): AsyncBrackets => defaultFamily(bracketsOf);
const scopedOf = (ctx: Context): ScopedAllocations =>
  scopedAllocations(ctx, alloc(), utils(), arrays(), strings(), pools());
const scopedFamily = (): ScopedAllocations => defaultFamily(scopedOf);
const fieldsOf = (ctx: Context): FieldAccess => fieldAccess(ctx.memory);
const fields = (): FieldAccess => defaultFamily(fieldsOf);
const stable = (): StablePtrs => defaultFamily(stablePtrs);
const eitherFamily = (): EitherFunctions =>
  defaultFamily(() =>
    eitherOf(storable(), alloc(), arrays(), strings(), wide(), ascii(), errnoFamily()),
  );

// Foreign.Storable
/** `peek` on the default context: see `PeekPoke.peek`. @category default context @since 0.1.0 */
export const peek = /* @__PURE__ */ bound(point, 'peek');
/** `poke` on the default context. @category default context @since 0.1.0 */
export const poke = /* @__PURE__ */ bound(point, 'poke');
/** `peekElemOff` on the default context. @category default context @since 0.1.0 */
export const peekElemOff = /* @__PURE__ */ bound(storable, 'peekElemOff');
/** `pokeElemOff` on the default context. @category default context @since 0.1.0 */
export const pokeElemOff = /* @__PURE__ */ bound(storable, 'pokeElemOff');
/** `peekByteOff` on the default context. @category default context @since 0.1.0 */
export const peekByteOff = /* @__PURE__ */ bound(storable, 'peekByteOff');
/** `pokeByteOff` on the default context. @category default context @since 0.1.0 */
export const pokeByteOff = /* @__PURE__ */ bound(storable, 'pokeByteOff');

// Field access (hsc2hs's #peek and #poke)
/** `peekField` on the default context: see `FieldAccess.peekField`. @category default context @since 0.1.0 */
export const peekField = /* @__PURE__ */ bound(fields, 'peekField');
/** `pokeField` on the default context: see `FieldAccess.pokeField`. @category default context @since 0.1.0 */
export const pokeField = /* @__PURE__ */ bound(fields, 'pokeField');

// Foreign.Marshal.Alloc
/** `alloca` on the default context. @category default context @since 0.1.0 */
export const alloca = /* @__PURE__ */ bound(alloc, 'alloca');
/** `allocaBytes` on the default context. @category default context @since 0.1.0 */
export const allocaBytes = /* @__PURE__ */ bound(alloc, 'allocaBytes');
/** `allocaBytesAligned` on the default context. @category default context @since 0.1.0 */
export const allocaBytesAligned = /* @__PURE__ */ bound(alloc, 'allocaBytesAligned');
/** `malloc` on the default context. @category default context @since 0.1.0 */
export const malloc = /* @__PURE__ */ bound(alloc, 'malloc');
/** `mallocBytes` on the default context. @category default context @since 0.1.0 */
export const mallocBytes = /* @__PURE__ */ bound(alloc, 'mallocBytes');
/** `calloc` on the default context. @category default context @since 0.1.0 */
export const calloc = /* @__PURE__ */ bound(alloc, 'calloc');
/** `callocBytes` on the default context. @category default context @since 0.1.0 */
export const callocBytes = /* @__PURE__ */ bound(alloc, 'callocBytes');
/** `realloc` on the default context. @category default context @since 0.1.0 */
export const realloc = /* @__PURE__ */ bound(alloc, 'realloc');
/** `reallocBytes` on the default context. @category default context @since 0.1.0 */
export const reallocBytes = /* @__PURE__ */ bound(alloc, 'reallocBytes');
/** `free` on the default context. @category default context @since 0.1.0 */
export const free = /* @__PURE__ */ bound(alloc, 'free');
/** `finalizerFree` of the default context. @category default context @since 0.1.0 */
export const finalizerFree: FinalizerPtr<any> = /* @__PURE__ */ asFinalizerFree({
  name: 'finalizerFree',
  finalize: (p: Ptr<any>) => alloc().finalizerFree.finalize(p),
});

// Foreign.Marshal.Utils
/** `with` on the default context (a reserved word: exported as `with` and `with_`). @category default context @since 0.1.0 */
export const with_ = /* @__PURE__ */ bound(utils, 'with');
/** `new` on the default context (a reserved word: exported as `new` and `new_`). @category default context @since 0.1.0 */
export const new_ = /* @__PURE__ */ bound(utils, 'new');
export { with_ as with, new_ as new };
/** `copyBytes` on the default context. @category default context @since 0.1.0 */
export const copyBytes = /* @__PURE__ */ bound(utils, 'copyBytes');
/** `moveBytes` on the default context. @category default context @since 0.1.0 */
export const moveBytes = /* @__PURE__ */ bound(utils, 'moveBytes');
/** `fillBytes` on the default context. @category default context @since 0.1.0 */
export const fillBytes = /* @__PURE__ */ bound(utils, 'fillBytes');

/** The pokes without validation, on the default context. @category default context @since 0.1.0 */
export const unchecked: Foreign['unchecked'] = /* @__PURE__ */ boundAll(
  () => storable().unchecked,
  UNCHECKED_KEYS,
);

/** The `either` flavours on the default context. @category default context @since 0.1.0 */
export const either: Foreign['either'] = /* @__PURE__ */ boundAll(eitherFamily, EITHER_KEYS);

// Foreign.ForeignPtr
/** `newForeignPtr` on the default context. @category default context @since 0.1.0 */
export const newForeignPtr = /* @__PURE__ */ bound(foreignPtrFamily, 'newForeignPtr');
/** `newForeignPtr_` on the default context. @category default context @since 0.1.0 */
export const newForeignPtr_ = /* @__PURE__ */ bound(foreignPtrFamily, 'newForeignPtr_');
/** `newForeignPtrEnv` on the default context. @category default context @since 0.1.0 */
export const newForeignPtrEnv = /* @__PURE__ */ bound(foreignPtrFamily, 'newForeignPtrEnv');
/** `mallocForeignPtr` on the default context. @category default context @since 0.1.0 */
export const mallocForeignPtr = /* @__PURE__ */ bound(foreignPtrFamily, 'mallocForeignPtr');
/** `mallocForeignPtrBytes` on the default context. @category default context @since 0.1.0 */
export const mallocForeignPtrBytes = /* @__PURE__ */ bound(
  foreignPtrFamily,
  'mallocForeignPtrBytes',
);
/** `mallocForeignPtrArray` on the default context. @category default context @since 0.1.0 */
export const mallocForeignPtrArray = /* @__PURE__ */ bound(
  foreignPtrFamily,
  'mallocForeignPtrArray',
);
/** `mallocForeignPtrArray0` on the default context. @category default context @since 0.1.0 */
export const mallocForeignPtrArray0 = /* @__PURE__ */ bound(
  foreignPtrFamily,
  'mallocForeignPtrArray0',
);
/** Runs the pending finalizers of the default context. @category default context @since 0.1.0 */
export const shutdown = /* @__PURE__ */ bound(foreignPtrFamily, 'shutdown');
/** Counts the pending finalizers of the default context. @category default context @since 0.1.0 */
export const pendingFinalizers = /* @__PURE__ */ bound(foreignPtrFamily, 'pendingFinalizers');
/** `Foreign.Concurrent` on the default context. @category default context @since 0.1.0 */
export const concurrent: Foreign['concurrent'] = /* @__PURE__ */ boundAll(
  () => foreignPtrFamily().concurrent,
  CONCURRENT_KEYS,
);

// Foreign.C.String
/** `newCString` on the default context. @category default context @since 0.1.0 */
export const newCString = /* @__PURE__ */ bound(strings, 'newCString');
/** `peekCString` on the default context. @category default context @since 0.1.0 */
export const peekCString = /* @__PURE__ */ bound(strings, 'peekCString');
/** `withCString` on the default context. @category default context @since 0.1.0 */
export const withCString = /* @__PURE__ */ bound(strings, 'withCString');
/** `newCStringLen` on the default context. @category default context @since 0.1.0 */
export const newCStringLen = /* @__PURE__ */ bound(strings, 'newCStringLen');
/** `peekCStringLen` on the default context. @category default context @since 0.1.0 */
export const peekCStringLen = /* @__PURE__ */ bound(strings, 'peekCStringLen');
/** `withCStringLen` on the default context. @category default context @since 0.1.0 */
export const withCStringLen = /* @__PURE__ */ bound(strings, 'withCStringLen');

// Foreign.C.String: wide strings (UTF-32 wchar_t)
/** `newCWString` on the default context. @category default context @since 0.1.0 */
export const newCWString = /* @__PURE__ */ bound(wide, 'newCWString');
/** `peekCWString` on the default context. @category default context @since 0.1.0 */
export const peekCWString = /* @__PURE__ */ bound(wide, 'peekCWString');
/** `withCWString` on the default context. @category default context @since 0.1.0 */
export const withCWString = /* @__PURE__ */ bound(wide, 'withCWString');
/** `newCWStringLen` on the default context. @category default context @since 0.1.0 */
export const newCWStringLen = /* @__PURE__ */ bound(wide, 'newCWStringLen');
/** `peekCWStringLen` on the default context. @category default context @since 0.1.0 */
export const peekCWStringLen = /* @__PURE__ */ bound(wide, 'peekCWStringLen');
/** `withCWStringLen` on the default context. @category default context @since 0.1.0 */
export const withCWStringLen = /* @__PURE__ */ bound(wide, 'withCWStringLen');

// Foreign.C.String: 8-bit strings (one byte per char, truncated as castCharToCChar)
/** `newCAString` on the default context. @category default context @since 0.1.0 */
export const newCAString = /* @__PURE__ */ bound(ascii, 'newCAString');
/** `peekCAString` on the default context. @category default context @since 0.1.0 */
export const peekCAString = /* @__PURE__ */ bound(ascii, 'peekCAString');
/** `withCAString` on the default context. @category default context @since 0.1.0 */
export const withCAString = /* @__PURE__ */ bound(ascii, 'withCAString');
/** `newCAStringLen` on the default context. @category default context @since 0.1.0 */
export const newCAStringLen = /* @__PURE__ */ bound(ascii, 'newCAStringLen');
/** `peekCAStringLen` on the default context. @category default context @since 0.1.0 */
export const peekCAStringLen = /* @__PURE__ */ bound(ascii, 'peekCAStringLen');
/** `withCAStringLen` on the default context. @category default context @since 0.1.0 */
export const withCAStringLen = /* @__PURE__ */ bound(ascii, 'withCAStringLen');

// Foreign.C.Error (the default context has no C module: its errno is its own cell)
/** `getErrno` on the default context. @category default context @since 0.1.0 */
export const getErrno: CError['getErrno'] = () => errnoFamily().getErrno();
/** `resetErrno` on the default context. @category default context @since 0.1.0 */
export const resetErrno: CError['resetErrno'] = () => errnoFamily().resetErrno();
/** `setErrno` on the default context. @category default context @since 0.1.0 */
export const setErrno = /* @__PURE__ */ bound(errnoFamily, 'setErrno');
/** `throwErrno` on the default context. @category default context @since 0.1.0 */
export const throwErrno = /* @__PURE__ */ bound(errnoFamily, 'throwErrno');
/** `throwErrnoIf` on the default context. @category default context @since 0.1.0 */
export const throwErrnoIf = /* @__PURE__ */ bound(errnoFamily, 'throwErrnoIf');
/** `throwErrnoIf_` on the default context. @category default context @since 0.1.0 */
export const throwErrnoIf_ = /* @__PURE__ */ bound(errnoFamily, 'throwErrnoIf_');
/** `throwErrnoIfMinus1` on the default context. @category default context @since 0.1.0 */
export const throwErrnoIfMinus1 = /* @__PURE__ */ bound(errnoFamily, 'throwErrnoIfMinus1');
/** `throwErrnoIfMinus1_` on the default context. @category default context @since 0.1.0 */
export const throwErrnoIfMinus1_ = /* @__PURE__ */ bound(errnoFamily, 'throwErrnoIfMinus1_');
/** `throwErrnoIfNull` on the default context. @category default context @since 0.1.0 */
export const throwErrnoIfNull = /* @__PURE__ */ bound(errnoFamily, 'throwErrnoIfNull');
/** `throwErrnoIfMinus1Retry` on the default context. @category default context @since 0.1.0 */
export const throwErrnoIfMinus1Retry = /* @__PURE__ */ bound(
  errnoFamily,
  'throwErrnoIfMinus1Retry',
);

// Foreign.StablePtr
/** `newStablePtr` on the default context. @category default context @since 0.1.0 */
export const newStablePtr = /* @__PURE__ */ bound(stable, 'newStablePtr');
/** `deRefStablePtr` on the default context. @category default context @since 0.1.0 */
export const deRefStablePtr = /* @__PURE__ */ bound(stable, 'deRefStablePtr');
/** `freeStablePtr` on the default context. @category default context @since 0.1.0 */
export const freeStablePtr = /* @__PURE__ */ bound(stable, 'freeStablePtr');
/** `liveStablePtrs` on the default context. @category default context @since 0.1.0 */
export const liveStablePtrs = /* @__PURE__ */ bound(stable, 'liveStablePtrs');

// Foreign.Marshal.Array
/** `mallocArray` on the default context. @category default context @since 0.1.0 */
export const mallocArray = /* @__PURE__ */ bound(arrays, 'mallocArray');
/** `mallocArray0` on the default context. @category default context @since 0.1.0 */
export const mallocArray0 = /* @__PURE__ */ bound(arrays, 'mallocArray0');
/** `allocaArray` on the default context. @category default context @since 0.1.0 */
export const allocaArray = /* @__PURE__ */ bound(arrays, 'allocaArray');
/** `allocaArray0` on the default context. @category default context @since 0.1.0 */
export const allocaArray0 = /* @__PURE__ */ bound(arrays, 'allocaArray0');
/** `reallocArray` on the default context. @category default context @since 0.1.0 */
export const reallocArray = /* @__PURE__ */ bound(arrays, 'reallocArray');
/** `reallocArray0` on the default context. @category default context @since 0.1.0 */
export const reallocArray0 = /* @__PURE__ */ bound(arrays, 'reallocArray0');
/** `callocArray` on the default context. @category default context @since 0.1.0 */
export const callocArray = /* @__PURE__ */ bound(arrays, 'callocArray');
/** `callocArray0` on the default context. @category default context @since 0.1.0 */
export const callocArray0 = /* @__PURE__ */ bound(arrays, 'callocArray0');
/** `peekArray` on the default context. @category default context @since 0.1.0 */
export const peekArray = /* @__PURE__ */ bound(arrays, 'peekArray');
/** `peekArray0` on the default context. @category default context @since 0.1.0 */
export const peekArray0 = /* @__PURE__ */ bound(arrays, 'peekArray0');
/** `pokeArray` on the default context. @category default context @since 0.1.0 */
export const pokeArray = /* @__PURE__ */ bound(arrays, 'pokeArray');
/** `pokeArray0` on the default context. @category default context @since 0.1.0 */
export const pokeArray0 = /* @__PURE__ */ bound(arrays, 'pokeArray0');
/** `newArray` on the default context. @category default context @since 0.1.0 */
export const newArray = /* @__PURE__ */ bound(arrays, 'newArray');
/** `newArray0` on the default context. @category default context @since 0.1.0 */
export const newArray0 = /* @__PURE__ */ bound(arrays, 'newArray0');
/** `withArray` on the default context. @category default context @since 0.1.0 */
export const withArray = /* @__PURE__ */ bound(arrays, 'withArray');
/** `withArray0` on the default context. @category default context @since 0.1.0 */
export const withArray0 = /* @__PURE__ */ bound(arrays, 'withArray0');
/** `withArrayLen` on the default context. @category default context @since 0.1.0 */
export const withArrayLen = /* @__PURE__ */ bound(arrays, 'withArrayLen');
/** `withArrayLen0` on the default context. @category default context @since 0.1.0 */
export const withArrayLen0 = /* @__PURE__ */ bound(arrays, 'withArrayLen0');
/** `copyArray` on the default context. @category default context @since 0.1.0 */
export const copyArray = /* @__PURE__ */ bound(arrays, 'copyArray');
/** `moveArray` on the default context. @category default context @since 0.1.0 */
export const moveArray = /* @__PURE__ */ bound(arrays, 'moveArray');
/** `lengthArray0` on the default context. @category default context @since 0.1.0 */
export const lengthArray0 = /* @__PURE__ */ bound(arrays, 'lengthArray0');

// Foreign.Marshal.Pool (the pooled* functions and freePool take the pool, which knows its context)
/** `newPool` on the default context. @category default context @since 0.1.0 */
export const newPool = /* @__PURE__ */ bound(pools, 'newPool');
/** `withPool` on the default context. @category default context @since 0.1.0 */
export const withPool = /* @__PURE__ */ bound(pools, 'withPool');

// Asynchronous brackets
/** The `Task` brackets on the default context. @category default context @since 0.1.0 */
export const task: Foreign['task'] = /* @__PURE__ */ boundAll(() => brackets().task, BRACKET_KEYS);

/** The `TaskEither` brackets on the default context. @category default context @since 0.1.0 */
export const taskEither: Foreign['taskEither'] = /* @__PURE__ */ boundAll(
  () => brackets().taskEither,
  BRACKET_KEYS,
);

// Allocations for `using`
/** The scoped allocations (for `using`) on the default context. @category default context @since 0.1.0 */
export const scoped: Foreign['scoped'] = /* @__PURE__ */ boundAll(scopedFamily, SCOPED_KEYS);
