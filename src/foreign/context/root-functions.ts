/**
 * The Haskell-named functions bound to the default context: what `import { alloca, peek } from
 * 'foreign-ts'` gives. Each makes the default context on its first call. `foreign(ctx)` gives
 * the same functions bound to another context.
 *
 * @since 0.1.0
 */
import type { Foreign } from './foreign.js';
import { bound, boundAll, defaultForeign } from './default-context.js';
import { asFinalizerFree, type FinalizerPtr } from '../marshal/index.js';
import type { Ptr } from '../ptr.js';

// Foreign.Storable
/** `peek` on the default context: see `PeekPoke.peek`. @category default context @since 0.1.0 */
export const peek = bound('peek');
/** `poke` on the default context. @category default context @since 0.1.0 */
export const poke = bound('poke');
/** `peekElemOff` on the default context. @category default context @since 0.1.0 */
export const peekElemOff = bound('peekElemOff');
/** `pokeElemOff` on the default context. @category default context @since 0.1.0 */
export const pokeElemOff = bound('pokeElemOff');
/** `peekByteOff` on the default context. @category default context @since 0.1.0 */
export const peekByteOff = bound('peekByteOff');
/** `pokeByteOff` on the default context. @category default context @since 0.1.0 */
export const pokeByteOff = bound('pokeByteOff');

// Foreign.Marshal.Alloc
/** `alloca` on the default context. @category default context @since 0.1.0 */
export const alloca = bound('alloca');
/** `allocaBytes` on the default context. @category default context @since 0.1.0 */
export const allocaBytes = bound('allocaBytes');
/** `allocaBytesAligned` on the default context. @category default context @since 0.1.0 */
export const allocaBytesAligned = bound('allocaBytesAligned');
/** `malloc` on the default context. @category default context @since 0.1.0 */
export const malloc = bound('malloc');
/** `mallocBytes` on the default context. @category default context @since 0.1.0 */
export const mallocBytes = bound('mallocBytes');
/** `calloc` on the default context. @category default context @since 0.1.0 */
export const calloc = bound('calloc');
/** `callocBytes` on the default context. @category default context @since 0.1.0 */
export const callocBytes = bound('callocBytes');
/** `realloc` on the default context. @category default context @since 0.1.0 */
export const realloc = bound('realloc');
/** `reallocBytes` on the default context. @category default context @since 0.1.0 */
export const reallocBytes = bound('reallocBytes');
/** `free` on the default context. @category default context @since 0.1.0 */
export const free = bound('free');
/** `finalizerFree` of the default context. @category default context @since 0.1.0 */
export const finalizerFree: FinalizerPtr<any> = asFinalizerFree({
  name: 'finalizerFree',
  finalize: (p: Ptr<any>) => defaultForeign().finalizerFree.finalize(p),
});

// Foreign.Marshal.Utils
/** `with` on the default context (a reserved word: exported as `with` and `with_`). @category default context @since 0.1.0 */
export const with_ = bound('with');
/** `new` on the default context (a reserved word: exported as `new` and `new_`). @category default context @since 0.1.0 */
export const new_ = bound('new');
export { with_ as with, new_ as new };
/** `copyBytes` on the default context. @category default context @since 0.1.0 */
export const copyBytes = bound('copyBytes');
/** `moveBytes` on the default context. @category default context @since 0.1.0 */
export const moveBytes = bound('moveBytes');
/** `fillBytes` on the default context. @category default context @since 0.1.0 */
export const fillBytes = bound('fillBytes');

/** The pokes without validation, on the default context. @category default context @since 0.1.0 */
export const unchecked: Foreign['unchecked'] = boundAll(
  () => defaultForeign().unchecked,
  ['poke', 'pokeElemOff', 'pokeByteOff'],
);

/** The `either` flavours on the default context. @category default context @since 0.1.0 */
export const either: Foreign['either'] = boundAll(
  () => defaultForeign().either,
  [
    'peek',
    'poke',
    'peekElemOff',
    'pokeElemOff',
    'peekByteOff',
    'pokeByteOff',
    'malloc',
    'mallocBytes',
    'calloc',
    'callocBytes',
    'reallocBytes',
    'alloca',
    'newCString',
    'newCStringLen',
    'mallocArray',
    'mallocArray0',
    'callocArray',
    'callocArray0',
    'newArray',
    'newArray0',
    'reallocArray',
    'reallocArray0',
  ],
);

// Foreign.ForeignPtr
/** `newForeignPtr` on the default context. @category default context @since 0.1.0 */
export const newForeignPtr = bound('newForeignPtr');
/** `newForeignPtr_` on the default context. @category default context @since 0.1.0 */
export const newForeignPtr_ = bound('newForeignPtr_');
/** `newForeignPtrEnv` on the default context. @category default context @since 0.1.0 */
export const newForeignPtrEnv = bound('newForeignPtrEnv');
/** `mallocForeignPtr` on the default context. @category default context @since 0.1.0 */
export const mallocForeignPtr = bound('mallocForeignPtr');
/** `mallocForeignPtrBytes` on the default context. @category default context @since 0.1.0 */
export const mallocForeignPtrBytes = bound('mallocForeignPtrBytes');
/** `mallocForeignPtrArray` on the default context. @category default context @since 0.1.0 */
export const mallocForeignPtrArray = bound('mallocForeignPtrArray');
/** `mallocForeignPtrArray0` on the default context. @category default context @since 0.1.0 */
export const mallocForeignPtrArray0 = bound('mallocForeignPtrArray0');
/** Runs the pending finalizers of the default context. @category default context @since 0.1.0 */
export const shutdown = bound('shutdown');
/** Counts the pending finalizers of the default context. @category default context @since 0.1.0 */
export const pendingFinalizers = bound('pendingFinalizers');
/** `Foreign.Concurrent` on the default context. @category default context @since 0.1.0 */
export const concurrent: Foreign['concurrent'] = {
  newForeignPtr: (p, finalizer) => defaultForeign().concurrent.newForeignPtr(p, finalizer),
  addForeignPtrFinalizer: (fp, finalizer) =>
    defaultForeign().concurrent.addForeignPtrFinalizer(fp, finalizer),
};

// Foreign.C.String
/** `newCString` on the default context. @category default context @since 0.1.0 */
export const newCString = bound('newCString');
/** `peekCString` on the default context. @category default context @since 0.1.0 */
export const peekCString = bound('peekCString');
/** `withCString` on the default context. @category default context @since 0.1.0 */
export const withCString = bound('withCString');
/** `newCStringLen` on the default context. @category default context @since 0.1.0 */
export const newCStringLen = bound('newCStringLen');
/** `peekCStringLen` on the default context. @category default context @since 0.1.0 */
export const peekCStringLen = bound('peekCStringLen');
/** `withCStringLen` on the default context. @category default context @since 0.1.0 */
export const withCStringLen = bound('withCStringLen');

// Foreign.Marshal.Array
/** `mallocArray` on the default context. @category default context @since 0.1.0 */
export const mallocArray = bound('mallocArray');
/** `mallocArray0` on the default context. @category default context @since 0.1.0 */
export const mallocArray0 = bound('mallocArray0');
/** `allocaArray` on the default context. @category default context @since 0.1.0 */
export const allocaArray = bound('allocaArray');
/** `allocaArray0` on the default context. @category default context @since 0.1.0 */
export const allocaArray0 = bound('allocaArray0');
/** `reallocArray` on the default context. @category default context @since 0.1.0 */
export const reallocArray = bound('reallocArray');
/** `reallocArray0` on the default context. @category default context @since 0.1.0 */
export const reallocArray0 = bound('reallocArray0');
/** `callocArray` on the default context. @category default context @since 0.1.0 */
export const callocArray = bound('callocArray');
/** `callocArray0` on the default context. @category default context @since 0.1.0 */
export const callocArray0 = bound('callocArray0');
/** `peekArray` on the default context. @category default context @since 0.1.0 */
export const peekArray = bound('peekArray');
/** `peekArray0` on the default context. @category default context @since 0.1.0 */
export const peekArray0 = bound('peekArray0');
/** `pokeArray` on the default context. @category default context @since 0.1.0 */
export const pokeArray = bound('pokeArray');
/** `pokeArray0` on the default context. @category default context @since 0.1.0 */
export const pokeArray0 = bound('pokeArray0');
/** `newArray` on the default context. @category default context @since 0.1.0 */
export const newArray = bound('newArray');
/** `newArray0` on the default context. @category default context @since 0.1.0 */
export const newArray0 = bound('newArray0');
/** `withArray` on the default context. @category default context @since 0.1.0 */
export const withArray = bound('withArray');
/** `withArray0` on the default context. @category default context @since 0.1.0 */
export const withArray0 = bound('withArray0');
/** `withArrayLen` on the default context. @category default context @since 0.1.0 */
export const withArrayLen = bound('withArrayLen');
/** `withArrayLen0` on the default context. @category default context @since 0.1.0 */
export const withArrayLen0 = bound('withArrayLen0');
/** `copyArray` on the default context. @category default context @since 0.1.0 */
export const copyArray = bound('copyArray');
/** `moveArray` on the default context. @category default context @since 0.1.0 */
export const moveArray = bound('moveArray');
/** `lengthArray0` on the default context. @category default context @since 0.1.0 */
export const lengthArray0 = bound('lengthArray0');

// Foreign.Marshal.Pool (the pooled* functions and freePool take the pool, which knows its context)
/** `newPool` on the default context. @category default context @since 0.1.0 */
export const newPool = bound('newPool');
/** `withPool` on the default context. @category default context @since 0.1.0 */
export const withPool = bound('withPool');

// Asynchronous brackets
/** The functions of `task` and of `taskEither`: the same brackets. */
const asyncBrackets = [
  'alloca',
  'allocaBytes',
  'allocaBytesAligned',
  'allocaArray',
  'allocaArray0',
  'with',
  'withArray',
  'withArray0',
  'withArrayLen',
  'withArrayLen0',
  'withCString',
  'withCStringLen',
  'withPool',
] as const;

/** The `Task` brackets on the default context. @category default context @since 0.1.0 */
export const task: Foreign['task'] = boundAll(() => defaultForeign().task, asyncBrackets);

/** The `TaskEither` brackets on the default context. @category default context @since 0.1.0 */
export const taskEither: Foreign['taskEither'] = boundAll(
  () => defaultForeign().taskEither,
  asyncBrackets,
);

// Allocations for `using`
/** The scoped allocations (for `using`) on the default context. @category default context @since 0.1.0 */
export const scoped: Foreign['scoped'] = boundAll(
  () => defaultForeign().scoped,
  [
    'malloc',
    'mallocBytes',
    'calloc',
    'callocBytes',
    'mallocArray',
    'mallocArray0',
    'new',
    'newArray',
    'newArray0',
    'newCString',
    'newCStringLen',
    'pool',
    'mallocForeignPtr',
    'mallocForeignPtrBytes',
    'mallocForeignPtrArray',
    'foreignPtr',
  ],
);
