/**
 * `foreignImport`: a C function exported by a WebAssembly module, declared with its C types the
 * way Haskell's `foreign import ccall` declares it, as a typed function returning `IO`.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import { showValue } from '../arguments/index.js';
import type { Storable } from '../foreign/index.js';
import type { WasmContext } from './context.js';
import { ForeignCallError, FunPtrError } from './errors.js';
import { checkNotReleased } from './registry.js';
import {
  describeType,
  fromWasm,
  isStorable,
  isTagged,
  kindOf,
  toWasm,
  type ArgType,
  type ArgValue,
  type InArray,
  type Kind,
  type ResultType,
  type ResultValue,
} from './types.js';

// -------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------

/**
 * The typed function `foreignImport` gives: the C function's arguments as JavaScript values, an
 * `IO` of its result. It also carries its declaration.
 *
 * @category model
 * @since 0.1.0
 */
export interface ForeignFunction<As extends readonly ArgType[], R extends ResultType> {
  (...args: { -readonly [K in keyof As]: ArgValue<As[K]> }): IO<ResultValue<R>>;
  /** The C name. */
  readonly cName: string;
  readonly argTypes: As;
  readonly resultType: R;
}

// -------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------

/**
 * The C function `name` of the module of `ctx`, declared with its argument types and its result
 * type (Haskell: `foreign import ccall "name" f :: CInt -> CInt -> IO CInt`):
 * `foreignImport(ctx, 'add', [CInt, CInt], CInt)` gives `add(2, 3)`, an `IO<number>`.
 *
 * Types: the C scalar types (`CInt`, `CDouble`, `CULLong`, `CBool`, …, also `Int32`, `Word8`,
 * `Bool`, `Char`), `Ptr` and `FunPtr` (and `ptrTo<A>()`, `funPtrTo<F>()`), and for arguments
 * {@link inCString} (a string, laid out with `withCString`) and {@link inArray} (an array, laid
 * out with `withArray`), both on the context's alloca stack and released when the call returns
 * or throws. The result may be {@link Void}. A struct is passed by pointer: clang's wasm32 ABI
 * passes a struct argument as a pointer to a copy anyway, and returns one through a pointer the
 * caller passes first.
 *
 * When the function is applied, its arguments are checked before anything is called: a wrong
 * count is a `TypeError`, a value that does not fit its type a `MarshalError` (a `TypeError` for
 * a bigint pointer), each naming the C function. Results come back as their type's values (an
 * `unsigned` as a non-negative number, a `long long` as a bigint, a `CBool` as 0 or 1); a result
 * that encodes no value of its type (a `_Bool` other than 0 or 1, a 64-bit integer beyond 2^53 in
 * a number flavour) is a `MarshalError`.
 *
 * Running the `IO` calls the C function. When it traps (or a JavaScript callback it called
 * throws) the `IO` throws a {@link ForeignCallError} naming the C function, after the
 * marshalled arguments are released and the module's C stack pointer is put back.
 *
 * Throws a `TypeError` naming `foreignImport` when `ctx` is not a wasm context, the module has
 * no function `name`, a type is not one of the above, or the module's function takes another
 * number of parameters than the declaration gives (wasm knows its function's arity; it does not
 * tell JavaScript the parameter types, so a wrong type of the right size is not caught).
 *
 * @category constructors
 * @since 0.1.0
 */
export const foreignImport = <const As extends readonly ArgType[], R extends ResultType>(
  ctx: WasmContext,
  name: string,
  argTypes: As,
  resultType: R,
): ForeignFunction<As, R> => {
  checkContext(CALL, ctx);
  if (typeof name !== 'string')
    throw new TypeError(`${CALL}: the C name must be a string, got ${showValue(name)}`);
  const fn = ctx.exports[name];
  if (typeof fn !== 'function')
    throw new TypeError(`${CALL}: the module exports no function ${name}`);
  return importFunction(CALL, ctx, name, fn as WasmFunction, argTypes, resultType);
};

// -------------------------------------------------------------------------------------------
// utils
// -------------------------------------------------------------------------------------------

/**
 * A function of the module (an export, or a slot of its table) as a typed function: the work of
 * {@link foreignImport} and `foreignImportDynamic` once they have the function. Declaration
 * errors name `call`; the function's own errors name `name`.
 *
 * @internal
 */
export const importFunction = <const As extends readonly ArgType[], R extends ResultType>(
  call: string,
  ctx: WasmContext,
  name: string,
  fn: WasmFunction,
  argTypes: As,
  resultType: R,
): ForeignFunction<As, R> => {
  checkArity(call, name, fn, argTypes);
  const args = argTypes.map((T, i) => argumentOf(call, ctx, name, T, i));
  const result = resultOf(call, name, resultType);
  const invoke = caller(ctx, name, fn, result);
  const marshalled = args.some((a) => a.how !== 'scalar');
  const arity = args.length;
  const f = (...xs: unknown[]): IO<unknown> => {
    if (xs.length !== arity) throw arityError(name, argTypes, xs.length);
    const values: unknown[] = new Array<unknown>(arity);
    for (let i = 0; i < arity; i++) values[i] = args[i]!.check(xs[i]);
    return marshalled ? () => withMarshalled(ctx, args, values, 0, invoke) : () => invoke(values);
  };
  return Object.assign(f, { cName: name, argTypes, resultType }) as unknown as ForeignFunction<
    As,
    R
  >;
};

/**
 * `ctx` when it is a wasm context; a `TypeError` naming `call` otherwise.
 *
 * @internal
 */
export const checkContext = (call: string, ctx: WasmContext): WasmContext => {
  const c = ctx as Partial<WasmContext> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.exports !== 'object' ||
    c.memory === undefined
  )
    throw new TypeError(`${call}: ${showValue(ctx)} is not a wasm context (see wasmContext)`);
  return ctx;
};

/** A function of a WebAssembly instance, as JavaScript sees it. */
export type WasmFunction = (...xs: unknown[]) => unknown;

// -------------------------------------------------------------------------------------------
// implementation
// -------------------------------------------------------------------------------------------

const CALL = 'foreignImport';

interface Argument {
  readonly how: 'scalar' | 'string' | 'array';
  /** The checked value: a wasm value for a scalar, the string or array otherwise. */
  readonly check: (x: unknown) => unknown;
  readonly element?: Storable<any>;
}

const checkArity = (
  call: string,
  name: string,
  fn: WasmFunction,
  argTypes: readonly ArgType[],
): void => {
  if (!Array.isArray(argTypes)) {
    throw new TypeError(
      `${call}: ${name}'s argument types must be an array, got ${showValue(argTypes)}`,
    );
  }
  if (fn.length !== argTypes.length) {
    throw new TypeError(
      `${call}: ${name} takes ${fn.length} parameter${fn.length === 1 ? '' : 's'} in the ` +
        `module, but is declared with ${argTypes.length}`,
    );
  }
};

export const scalarKind = (call: string, name: string, T: unknown, what: string): Kind => {
  const kind = isStorable(T) ? kindOf(T) : undefined;
  if (kind === undefined) {
    throw new TypeError(
      `${call}: ${name}'s ${what} type ${describeType(T)} is not a C scalar type, Ptr or ` +
        'FunPtr' +
        (isStorable(T) ? ' (pass a struct or an array by pointer)' : ''),
    );
  }
  return kind;
};

const argumentOf = (
  call: string,
  ctx: WasmContext,
  name: string,
  T: ArgType,
  i: number,
): Argument => {
  const where = `argument ${i + 1}`;
  if (isTagged(T, 'inCString')) {
    return {
      how: 'string',
      check: (x) => {
        if (typeof x !== 'string')
          throw new TypeError(`${name}: ${where} must be a string (CString), got ${showValue(x)}`);
        return x;
      },
    };
  }
  if (isTagged(T, 'inArray')) {
    const S = (T as InArray<any>).element;
    return {
      how: 'array',
      element: S,
      check: (x) => {
        if (!Array.isArray(x))
          throw new TypeError(
            `${name}: ${where} must be an array of ${S.name}, got ${showValue(x)}`,
          );
        for (let j = 0; j < x.length; j++) {
          if (!S.codec.is(x[j])) toWasm(name, `${where}[${j}]`, S, 'f64', x[j]);
        }
        return x;
      },
    };
  }
  const kind = scalarKind(call, name, T, `argument ${i + 1}`);
  const S = T as Storable<any>;
  if (S.name === 'FunPtr') {
    const table = ctx.table;
    return {
      how: 'scalar',
      check: (x) => {
        const v = toWasm(name, where, S, kind, x);
        checkNotReleased(name, table, v as number);
        return v;
      },
    };
  }
  return { how: 'scalar', check: (x) => toWasm(name, where, S, kind, x) };
};

interface Result {
  readonly convert: (r: unknown) => unknown;
}

const resultOf = (call: string, name: string, T: ResultType): Result => {
  if (isTagged(T, 'void')) return { convert: () => undefined };
  const kind = scalarKind(call, name, T, 'result');
  const S = T as Storable<any>;
  return { convert: (r) => fromWasm(name, S, kind, r) };
};

const arityError = (name: string, types: readonly ArgType[], got: number): TypeError =>
  new TypeError(
    `${name}: expects ${types.length} argument${types.length === 1 ? '' : 's'} ` +
      `(${types.map(describeType).join(', ')}), got ${got}`,
  );

/** The call of `fn` with wasm values, its result converted, a trap turned into an error. */
const caller = (
  ctx: WasmContext,
  name: string,
  fn: WasmFunction,
  result: Result,
): ((values: unknown[]) => unknown) => {
  const sp = ctx.stackPointer;
  const convert = result.convert;
  return (values) => {
    const saved = sp === undefined ? 0 : (sp.value as number);
    let r: unknown;
    try {
      r = fn(...values);
    } catch (e) {
      if (sp !== undefined) sp.value = saved;
      throw callError(name, e);
    }
    return convert(r);
  };
};

/** What a call that did not return throws. */
export const callError = (name: string, e: unknown): unknown => {
  if (e instanceof ForeignCallError) return e;
  if (e instanceof FunPtrError) return new FunPtrError(name, e.funPtr, e.reason);
  if (e instanceof WebAssembly.RuntimeError) return new ForeignCallError(name, 'trap', e);
  if (e instanceof RangeError && /call stack/i.test(e.message))
    return new ForeignCallError(name, 'trap', e);
  return new ForeignCallError(name, 'callback', e);
};

/** Lays out the marshalled arguments from `i` on, each in its bracket, then makes the call. */
const withMarshalled = (
  ctx: WasmContext,
  args: readonly Argument[],
  values: unknown[],
  i: number,
  call: (values: unknown[]) => unknown,
): unknown => {
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a.how === 'scalar') continue;
    const x = values[i];
    const next = i + 1;
    const rest =
      (p: number): IO<unknown> =>
      () => {
        const copy = values.slice();
        copy[next - 1] = p;
        return withMarshalled(ctx, args, copy, next, call);
      };
    return a.how === 'string'
      ? ctx.foreign.withCString(x as string, rest)()
      : ctx.foreign.withArray(a.element!, x as unknown[], rest)();
  }
  return call(values);
};
