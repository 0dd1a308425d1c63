/**
 * `Foreign.C.Types` for two data models: `wasm32` (ILP32: `int`, `long`, `size_t` and pointers
 * are 4 bytes; the default) and `lp64` (x86-64 Linux and macOS: `long`, `size_t` and pointers
 * are 8 bytes). `long long`, `int64_t` and `double` are 8 bytes, 8-aligned, in both. Integers
 * of 8 bytes are `bigint`s (exact); use `asNumber` for a checked `number` flavour.
 *
 * The top-level names (`CInt`, `CLong`, `Ptr`, …) are the `wasm32` ones.
 *
 * @since 0.1.0
 */
import { scalar, type Storable } from '../storable/index.js';
import type { FunPtr as FunPtrT, Ptr as PtrT } from '../ptr.js';

/**
 * The C types of one data model. `W` is the value type of the word-sized integers (`long`,
 * `size_t`, `ptrdiff_t`, `intptr_t`): `number` in `wasm32`, `bigint` in `lp64`.
 *
 * @category model
 * @since 0.1.0
 */
export interface DataModel<W extends number | bigint> {
  /** `'wasm32'` or `'lp64'`. */
  readonly name: string;
  /** Bytes in a pointer, a `long` and a `size_t`. */
  readonly wordSize: 4 | 8;
  /** `char`: signed in both models (it is unsigned on ARM Linux, which is neither). */
  readonly CChar: Storable<number>;
  readonly CSChar: Storable<number>;
  readonly CUChar: Storable<number>;
  readonly CShort: Storable<number>;
  readonly CUShort: Storable<number>;
  readonly CInt: Storable<number>;
  readonly CUInt: Storable<number>;
  readonly CLong: Storable<W>;
  readonly CULong: Storable<W>;
  readonly CLLong: Storable<bigint>;
  readonly CULLong: Storable<bigint>;
  readonly CSize: Storable<W>;
  readonly CPtrdiff: Storable<W>;
  readonly CIntPtr: Storable<W>;
  readonly CUIntPtr: Storable<W>;
  readonly CIntMax: Storable<bigint>;
  readonly CUIntMax: Storable<bigint>;
  /**
   * Haskell's `Int`: the signed machine word, the size of a pointer (4 bytes in `wasm32`, a
   * `number`; 8 in `lp64`, a `bigint`). Its value type is `W`, as `CLong`'s: poke refuses a value
   * outside the word's range (Haskell wraps it).
   */
  readonly Int: Storable<W>;
  /** Haskell's `Word`: the unsigned machine word (4 bytes in `wasm32`, 8 in `lp64`). */
  readonly Word: Storable<W>;
  /** `wchar_t`: a signed 32-bit integer in both models. */
  readonly CWchar: Storable<number>;
  readonly CFloat: Storable<number>;
  readonly CDouble: Storable<number>;
  /**
   * C's `_Bool`: one byte, value `0` or `1` (a number, like Haskell's `CBool`). Poke accepts
   * only 0 and 1; peek of any other byte is a `MarshalError` (C leaves reading it undefined).
   */
  readonly CBool: Storable<number>;
  /** A data pointer, to any type: see {@link DataModel.ptrTo} for a typed one. */
  readonly Ptr: Storable<PtrT<any>>;
  /** A function pointer (a function-table index), to any type. */
  readonly FunPtr: Storable<FunPtrT<any>>;
  /** The pointer instance with the pointee type `A`: `ptrTo<Node>()` in a linked list. */
  readonly ptrTo: <A>() => Storable<PtrT<A>>;
  /** The function pointer instance with the function type `F`. */
  readonly funPtrTo: <F>() => Storable<FunPtrT<F>>;
}

const common = {
  CChar: scalar<number>('CChar', 'i8'),
  CSChar: scalar<number>('CSChar', 'i8'),
  CUChar: scalar<number>('CUChar', 'u8'),
  CShort: scalar<number>('CShort', 'i16'),
  CUShort: scalar<number>('CUShort', 'u16'),
  CInt: scalar<number>('CInt', 'i32'),
  CUInt: scalar<number>('CUInt', 'u32'),
  CLLong: scalar<bigint>('CLLong', 'i64'),
  CULLong: scalar<bigint>('CULLong', 'u64'),
  CIntMax: scalar<bigint>('CIntMax', 'i64'),
  CUIntMax: scalar<bigint>('CUIntMax', 'u64'),
  CWchar: scalar<number>('CWchar', 'i32'),
  CFloat: scalar<number>('CFloat', 'f32'),
  CDouble: scalar<number>('CDouble', 'f64'),
  CBool: scalar<number>('CBool', 'bool8'),
};

const wasm32Ptr = scalar<PtrT<any>>('Ptr', 'u32');
const wasm32FunPtr = scalar<FunPtrT<any>>('FunPtr', 'u32');

/**
 * The ILP32 data model of clang's `wasm32` target: `long`, `size_t`, `ptrdiff_t`, `intptr_t`
 * and pointers are 4 bytes (`number`s).
 *
 * @category models
 * @since 0.1.0
 */
export const wasm32: DataModel<number> = {
  name: 'wasm32',
  wordSize: 4,
  ...common,
  CLong: scalar('CLong', 'i32'),
  CULong: scalar('CULong', 'u32'),
  CSize: scalar('CSize', 'u32'),
  CPtrdiff: scalar('CPtrdiff', 'i32'),
  CIntPtr: scalar('CIntPtr', 'i32'),
  CUIntPtr: scalar('CUIntPtr', 'u32'),
  Int: scalar('Int', 'i32'),
  Word: scalar('Word', 'u32'),
  Ptr: wasm32Ptr,
  FunPtr: wasm32FunPtr,
  ptrTo: <A>() => wasm32Ptr as Storable<PtrT<A>>,
  funPtrTo: <F>() => wasm32FunPtr as Storable<FunPtrT<F>>,
};

const lp64Ptr = scalar<PtrT<any>>('Ptr', 'u64n');
const lp64FunPtr = scalar<FunPtrT<any>>('FunPtr', 'u64n');

/**
 * The LP64 data model of x86-64 (System V): `long`, `size_t`, `ptrdiff_t`, `intptr_t` are 8
 * bytes (`bigint`s); pointers are 8 bytes read as `number`s (a pointer above 2^53 − 1 is a
 * `MarshalError` on peek).
 *
 * @category models
 * @since 0.1.0
 */
export const lp64: DataModel<bigint> = {
  name: 'lp64',
  wordSize: 8,
  ...common,
  CLong: scalar('CLong', 'i64'),
  CULong: scalar('CULong', 'u64'),
  CSize: scalar('CSize', 'u64'),
  CPtrdiff: scalar('CPtrdiff', 'i64'),
  CIntPtr: scalar('CIntPtr', 'i64'),
  CUIntPtr: scalar('CUIntPtr', 'u64'),
  Int: scalar('Int', 'i64'),
  Word: scalar('Word', 'u64'),
  Ptr: lp64Ptr,
  FunPtr: lp64FunPtr,
  ptrTo: <A>() => lp64Ptr as Storable<PtrT<A>>,
  funPtrTo: <F>() => lp64FunPtr as Storable<FunPtrT<F>>,
};

/**
 * `char` (wasm32; signed).
 *
 * @category instances
 * @since 0.1.0
 */
export const CChar = wasm32.CChar;
/**
 * `signed char`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CSChar = wasm32.CSChar;
/**
 * `unsigned char`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CUChar = wasm32.CUChar;
/**
 * `short`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CShort = wasm32.CShort;
/**
 * `unsigned short`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CUShort = wasm32.CUShort;
/**
 * `int`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CInt = wasm32.CInt;
/**
 * `unsigned int`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CUInt = wasm32.CUInt;
/**
 * `long` (wasm32: 4 bytes, a number; `lp64.CLong` is 8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CLong = wasm32.CLong;
/**
 * `unsigned long` (wasm32).
 *
 * @category instances
 * @since 0.1.0
 */
export const CULong = wasm32.CULong;
/**
 * `long long` (8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CLLong = wasm32.CLLong;
/**
 * `unsigned long long` (8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CULLong = wasm32.CULLong;
/**
 * `size_t` (wasm32: 4 bytes).
 *
 * @category instances
 * @since 0.1.0
 */
export const CSize = wasm32.CSize;
/**
 * `ptrdiff_t` (wasm32: 4 bytes).
 *
 * @category instances
 * @since 0.1.0
 */
export const CPtrdiff = wasm32.CPtrdiff;
/**
 * `intptr_t` (wasm32: 4 bytes).
 *
 * @category instances
 * @since 0.1.0
 */
export const CIntPtr = wasm32.CIntPtr;
/**
 * `uintptr_t` (wasm32: 4 bytes).
 *
 * @category instances
 * @since 0.1.0
 */
export const CUIntPtr = wasm32.CUIntPtr;
/**
 * `intmax_t` (8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CIntMax = wasm32.CIntMax;
/**
 * `uintmax_t` (8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CUIntMax = wasm32.CUIntMax;
/**
 * Haskell's `Int` (wasm32: 4 bytes, a number in [−2^31, 2^31 − 1]; `lp64.Int` is 8 bytes, a
 * bigint). GHC's `Int` on x86-64 is `lp64.Int`.
 *
 * @category instances
 * @since 0.1.0
 */
export const Int = wasm32.Int;
/**
 * Haskell's `Word` (wasm32: 4 bytes, a number in [0, 2^32 − 1]; `lp64.Word` is 8 bytes, a
 * bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const Word = wasm32.Word;
/**
 * `wchar_t` (4 bytes, signed).
 *
 * @category instances
 * @since 0.1.0
 */
export const CWchar = wasm32.CWchar;
/**
 * `float` (rounds to single precision on poke).
 *
 * @category instances
 * @since 0.1.0
 */
export const CFloat = wasm32.CFloat;
/**
 * `double`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CDouble = wasm32.CDouble;
/**
 * `_Bool`: one byte, 0 or 1.
 *
 * @category instances
 * @since 0.1.0
 */
export const CBool = wasm32.CBool;

/**
 * A pointer to `A`: a `number` (the type, from `Foreign.Ptr`), and the wasm32 `Storable` of
 * pointers to anything (the value, 4 bytes). `wasm32.ptrTo<A>()` gives a typed instance.
 *
 * @category instances
 * @since 0.1.0
 */
export type Ptr<A> = PtrT<A>;
/**
 * The wasm32 `Storable` of pointers to anything (4 bytes). `wasm32.ptrTo<A>()` is the same
 * instance typed for pointers to `A`; `lp64.Ptr` is the 8-byte one.
 *
 * @category instances
 * @since 0.1.0
 */
export const Ptr: Storable<PtrT<any>> = wasm32.Ptr;

/**
 * A function pointer to `F` (the type), and the wasm32 `Storable` of function pointers (the
 * value, a 4-byte table index).
 *
 * @category instances
 * @since 0.1.0
 */
export type FunPtr<F> = FunPtrT<F>;
/**
 * The wasm32 `Storable` of function pointers (a 4-byte table index).
 *
 * @category instances
 * @since 0.1.0
 */
export const FunPtr: Storable<FunPtrT<any>> = wasm32.FunPtr;
