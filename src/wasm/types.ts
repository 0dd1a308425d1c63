/**
 * The types a foreign import is declared with: the C scalar types of `foreign-ts` (each a
 * `Storable` whose layout is a scalar), `Ptr` and `FunPtr`, and two marshalled argument types,
 * {@link inCString} and {@link inArray}, whose values are laid out on the alloca stack for the
 * duration of the call. The result type may also be {@link Void}.
 *
 * @since 0.1.0
 */
import { MarshalError, type Storable } from '../foreign/index.js';

// -------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------

/**
 * A `const char *` argument given as a JavaScript string: encoded as UTF-8 with its NUL by
 * `withCString` on the alloca stack, released when the call returns or throws.
 *
 * @category model
 * @since 0.1.0
 */
export interface InCString {
  readonly tag: 'inCString';
  readonly name: 'CString';
}

/**
 * A `const T *` argument given as a JavaScript array of `T`'s values: laid out by `withArray`
 * on the alloca stack, released when the call returns or throws. The C function gets only the
 * pointer: pass the length as an argument of its own.
 *
 * @category model
 * @since 0.1.0
 */
export interface InArray<A> {
  readonly tag: 'inArray';
  readonly name: string;
  readonly element: Storable<A>;
}

/**
 * The result type of a C function that returns `void`.
 *
 * @category model
 * @since 0.1.0
 */
export interface VoidType {
  readonly tag: 'void';
  readonly name: 'void';
}

/**
 * An argument type of a foreign import.
 *
 * @category model
 * @since 0.1.0
 */
export type ArgType = Storable<any> | InCString | InArray<any>;

/**
 * A result type of a foreign import.
 *
 * @category model
 * @since 0.1.0
 */
export type ResultType = Storable<any> | VoidType;

/**
 * The JavaScript value of an argument of type `T`.
 *
 * @category model
 * @since 0.1.0
 */
export type ArgValue<T> = T extends InCString
  ? string
  : T extends InArray<infer A>
    ? readonly A[]
    : T extends Storable<infer A>
      ? A
      : never;

/**
 * The JavaScript value of a result of type `T`.
 *
 * @category model
 * @since 0.1.0
 */
export type ResultValue<T> = T extends VoidType ? void : T extends Storable<infer A> ? A : never;

// -------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------

/**
 * The `const char *` argument type, given a JavaScript string (see {@link InCString}).
 *
 * @category constructors
 * @since 0.1.0
 */
export const inCString: InCString = Object.freeze({ tag: 'inCString', name: 'CString' });

/**
 * The `const T *` argument type, given an array of `S`'s values (see {@link InArray}). Throws a
 * `TypeError` naming `inArray` when `S` is not a Storable instance.
 *
 * @category constructors
 * @since 0.1.0
 */
export const inArray = <A>(S: Storable<A>): InArray<A> => {
  if (!isStorable(S)) throw new TypeError(`inArray: ${describeType(S)} is not a Storable instance`);
  return Object.freeze({ tag: 'inArray', name: `${S.name}[]`, element: S });
};

/**
 * The result type `void`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const Void: VoidType = Object.freeze({ tag: 'void', name: 'void' });

// -------------------------------------------------------------------------------------------
// implementation
// -------------------------------------------------------------------------------------------

/** The scalar kinds of the layouts (foreign/storable's `ScalarKind`). */
export type Kind =
  | 'i8'
  | 'u8'
  | 'i16'
  | 'u16'
  | 'i32'
  | 'u32'
  | 'i64'
  | 'u64'
  | 'i64n'
  | 'u64n'
  | 'f32'
  | 'f64'
  | 'bool32'
  | 'bool8'
  | 'char32';

const KINDS: ReadonlySet<string> = new Set<Kind>([
  'i8',
  'u8',
  'i16',
  'u16',
  'i32',
  'u32',
  'i64',
  'u64',
  'i64n',
  'u64n',
  'f32',
  'f64',
  'bool32',
  'bool8',
  'char32',
]);

/** Whether `S` has the shape of a Storable instance. */
export const isStorable = (S: unknown): S is Storable<any> => {
  const s = S as Partial<Storable<any>> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.read === 'function' &&
    typeof s.write === 'function' &&
    typeof s.sizeOf === 'number' &&
    typeof s.codec === 'object'
  );
};

/** How a type appears in a message: its name, or the value shown. */
export const describeType = (T: unknown): string => {
  const name = (T as { name?: unknown } | null)?.name;
  return typeof T === 'object' && T !== null && typeof name === 'string' ? name : String(T);
};

/** The scalar kind of `S`, or undefined for an instance that is not a scalar (a struct, …). */
export const kindOf = (S: Storable<any>): Kind | undefined => {
  const layout = S.layout as { tag?: string; kind?: string } | undefined;
  return layout?.tag === 'scalar' && layout.kind !== undefined && KINDS.has(layout.kind)
    ? (layout.kind as Kind)
    : undefined;
};

/** Whether `S` is a pointer type (`Ptr`, `FunPtr`, `ptrTo<A>()`): a bigint is then a TypeError. */
export const isPointer = (S: Storable<any>): boolean => S.name === 'Ptr' || S.name === 'FunPtr';

/** Whether `x` is one of this module's wasm types. */
export const isTagged = (x: unknown, tag: string): boolean =>
  typeof x === 'object' && x !== null && (x as { tag?: unknown }).tag === tag;

/**
 * The wasm value of the argument `x` of type `S` (of kind `kind`): a number or a bigint.
 * Throws a `MarshalError` naming `call` when `x` does not fit, and a `TypeError` for a bigint
 * pointer.
 */
export const toWasm = (
  call: string,
  where: string,
  S: Storable<any>,
  kind: Kind,
  x: unknown,
): number | bigint => {
  if (!S.codec.is(x)) {
    if (typeof x === 'bigint' && isPointer(S)) {
      throw new TypeError(
        `${call}: ${where} ${x}n is a bigint; pointers are numbers (wordPtrToPtr(Number(x)))`,
      );
    }
    throw new MarshalError(call, where, x, S.name);
  }
  switch (kind) {
    case 'bool32':
      return x === true ? 1 : 0;
    case 'char32':
      return (x as string).codePointAt(0) as number;
    case 'i64n':
    case 'u64n':
      return BigInt(x as number);
    default:
      return x as number | bigint;
  }
};

/** The JavaScript value of the wasm result `r` of kind `kind`. */
export const fromWasm = (call: string, S: Storable<any>, kind: Kind, r: unknown): unknown => {
  switch (kind) {
    case 'i8':
      return ((r as number) << 24) >> 24;
    case 'u8':
      return (r as number) & 0xff;
    case 'i16':
      return ((r as number) << 16) >> 16;
    case 'u16':
      return (r as number) & 0xffff;
    case 'i32':
      return (r as number) | 0;
    case 'u32':
      return (r as number) >>> 0;
    case 'i64':
      return BigInt.asIntN(64, r as bigint);
    case 'u64':
      return BigInt.asUintN(64, r as bigint);
    case 'i64n':
    case 'u64n': {
      const b = kind === 'i64n' ? BigInt.asIntN(64, r as bigint) : BigInt.asUintN(64, r as bigint);
      const n = Number(b);
      if (!Number.isSafeInteger(n))
        throw new MarshalError(call, 'result', b, S.name, 'beyond 2^53 - 1 as a number');
      return n;
    }
    case 'f32':
    case 'f64':
      return r;
    case 'bool32':
      return (r as number) !== 0;
    case 'bool8': {
      const b = (r as number) & 0xff;
      if (b > 1) throw new MarshalError(call, 'result', b, S.name, 'a _Bool is 0 or 1');
      return b;
    }
    case 'char32': {
      const c = (r as number) >>> 0;
      if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        throw new MarshalError(call, 'result', c, S.name, 'not a Unicode scalar value');
      return String.fromCodePoint(c);
    }
  }
};
