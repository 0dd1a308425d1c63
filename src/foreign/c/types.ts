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
import { StablePtr, StablePtr64 } from '../stable-ptr.js';

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
  /** A `StablePtr` (a JavaScript value held by C as a `void *`): the size of a pointer. */
  readonly StablePtr: Storable<StablePtr<any>>;
}

/**
 * `char` (wasm32; signed).
 *
 * @category instances
 * @since 0.1.0
 */
export const CChar: Storable<number> = /* @__PURE__ */ scalar<number>('CChar', 'i8');
/**
 * `signed char`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CSChar: Storable<number> = /* @__PURE__ */ scalar<number>('CSChar', 'i8');
/**
 * `unsigned char`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CUChar: Storable<number> = /* @__PURE__ */ scalar<number>('CUChar', 'u8');
/**
 * `short`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CShort: Storable<number> = /* @__PURE__ */ scalar<number>('CShort', 'i16');
/**
 * `unsigned short`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CUShort: Storable<number> = /* @__PURE__ */ scalar<number>('CUShort', 'u16');
/**
 * `int`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CInt: Storable<number> = /* @__PURE__ */ scalar<number>('CInt', 'i32');
/**
 * `unsigned int`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CUInt: Storable<number> = /* @__PURE__ */ scalar<number>('CUInt', 'u32');
/**
 * `long` (wasm32: 4 bytes, a number; `lp64.CLong` is 8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CLong: Storable<number> = /* @__PURE__ */ scalar<number>('CLong', 'i32');
/**
 * `unsigned long` (wasm32).
 *
 * @category instances
 * @since 0.1.0
 */
export const CULong: Storable<number> = /* @__PURE__ */ scalar<number>('CULong', 'u32');
/**
 * `long long` (8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CLLong: Storable<bigint> = /* @__PURE__ */ scalar<bigint>('CLLong', 'i64');
/**
 * `unsigned long long` (8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CULLong: Storable<bigint> = /* @__PURE__ */ scalar<bigint>('CULLong', 'u64');
/**
 * `size_t` (wasm32: 4 bytes).
 *
 * @category instances
 * @since 0.1.0
 */
export const CSize: Storable<number> = /* @__PURE__ */ scalar<number>('CSize', 'u32');
/**
 * `ptrdiff_t` (wasm32: 4 bytes).
 *
 * @category instances
 * @since 0.1.0
 */
export const CPtrdiff: Storable<number> = /* @__PURE__ */ scalar<number>('CPtrdiff', 'i32');
/**
 * `intptr_t` (wasm32: 4 bytes).
 *
 * @category instances
 * @since 0.1.0
 */
export const CIntPtr: Storable<number> = /* @__PURE__ */ scalar<number>('CIntPtr', 'i32');
/**
 * `uintptr_t` (wasm32: 4 bytes).
 *
 * @category instances
 * @since 0.1.0
 */
export const CUIntPtr: Storable<number> = /* @__PURE__ */ scalar<number>('CUIntPtr', 'u32');
/**
 * `intmax_t` (8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CIntMax: Storable<bigint> = /* @__PURE__ */ scalar<bigint>('CIntMax', 'i64');
/**
 * `uintmax_t` (8 bytes, a bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const CUIntMax: Storable<bigint> = /* @__PURE__ */ scalar<bigint>('CUIntMax', 'u64');
/**
 * Haskell's `Int` (wasm32: 4 bytes, a number in [−2^31, 2^31 − 1]; `lp64.Int` is 8 bytes, a
 * bigint). GHC's `Int` on x86-64 is `lp64.Int`.
 *
 * @category instances
 * @since 0.1.0
 */
export const Int: Storable<number> = /* @__PURE__ */ scalar<number>('Int', 'i32');
/**
 * Haskell's `Word` (wasm32: 4 bytes, a number in [0, 2^32 − 1]; `lp64.Word` is 8 bytes, a
 * bigint).
 *
 * @category instances
 * @since 0.1.0
 */
export const Word: Storable<number> = /* @__PURE__ */ scalar<number>('Word', 'u32');
/**
 * `wchar_t` (4 bytes, signed).
 *
 * @category instances
 * @since 0.1.0
 */
export const CWchar: Storable<number> = /* @__PURE__ */ scalar<number>('CWchar', 'i32');
/**
 * `float` (rounds to single precision on poke).
 *
 * @category instances
 * @since 0.1.0
 */
export const CFloat: Storable<number> = /* @__PURE__ */ scalar<number>('CFloat', 'f32');
/**
 * `double`.
 *
 * @category instances
 * @since 0.1.0
 */
export const CDouble: Storable<number> = /* @__PURE__ */ scalar<number>('CDouble', 'f64');
/**
 * `_Bool`: one byte, 0 or 1.
 *
 * @category instances
 * @since 0.1.0
 */
export const CBool: Storable<number> = /* @__PURE__ */ scalar<number>('CBool', 'bool8');

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
export const Ptr: Storable<PtrT<any>> = /* @__PURE__ */ scalar<PtrT<any>>('Ptr', 'u32');

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
export const FunPtr: Storable<FunPtrT<any>> = /* @__PURE__ */ scalar<FunPtrT<any>>('FunPtr', 'u32');

// ---------------------------------------------------------------------------------------------
// The data models. The instances above are standalone values, and the model objects refer to
// them, so that a page that imports `CDouble` carries `CDouble`, not every C type of both models
// (the objects list their members: a spread would keep them in every bundle).

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
  CChar,
  CSChar,
  CUChar,
  CShort,
  CUShort,
  CInt,
  CUInt,
  CLLong,
  CULLong,
  CIntMax,
  CUIntMax,
  CWchar,
  CFloat,
  CDouble,
  CBool,
  CLong,
  CULong,
  CSize,
  CPtrdiff,
  CIntPtr,
  CUIntPtr,
  Int,
  Word,
  Ptr,
  FunPtr,
  ptrTo: <A>() => Ptr as Storable<PtrT<A>>,
  funPtrTo: <F>() => FunPtr as Storable<FunPtrT<F>>,
  StablePtr,
};

const lp64Ptr = /* @__PURE__ */ scalar<PtrT<any>>('Ptr', 'u64n');
const lp64FunPtr = /* @__PURE__ */ scalar<FunPtrT<any>>('FunPtr', 'u64n');

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
  CChar,
  CSChar,
  CUChar,
  CShort,
  CUShort,
  CInt,
  CUInt,
  CLLong,
  CULLong,
  CIntMax,
  CUIntMax,
  CWchar,
  CFloat,
  CDouble,
  CBool,
  CLong: /* @__PURE__ */ scalar('CLong', 'i64'),
  CULong: /* @__PURE__ */ scalar('CULong', 'u64'),
  CSize: /* @__PURE__ */ scalar('CSize', 'u64'),
  CPtrdiff: /* @__PURE__ */ scalar('CPtrdiff', 'i64'),
  CIntPtr: /* @__PURE__ */ scalar('CIntPtr', 'i64'),
  CUIntPtr: /* @__PURE__ */ scalar('CUIntPtr', 'u64'),
  Int: /* @__PURE__ */ scalar('Int', 'i64'),
  Word: /* @__PURE__ */ scalar('Word', 'u64'),
  Ptr: lp64Ptr,
  FunPtr: lp64FunPtr,
  ptrTo: <A>() => lp64Ptr as Storable<PtrT<A>>,
  funPtrTo: <F>() => lp64FunPtr as Storable<FunPtrT<F>>,
  StablePtr: StablePtr64,
};
