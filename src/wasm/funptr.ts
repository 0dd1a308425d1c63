/**
 * Function pointers of a module's function table, both ways: a C function pointer called from
 * TypeScript (Haskell's `foreign import ccall "dynamic"`), and a TypeScript function C can call
 * through a function pointer (`foreign import ccall "wrapper"`), released with
 * `freeHaskellFunPtr`.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import { showValue } from '../arguments/index.js';
import type { FunPtr, Storable } from '../foreign/index.js';
import type { WasmContext } from './context.js';
import { FunPtrError } from './errors.js';
import {
  checkContext,
  importFunction,
  scalarKind,
  type ForeignFunction,
  type WasmFunction,
} from './import.js';
import { registryOf, released } from './registry.js';
import { trampoline, type ValType } from './trampoline.js';
import {
  fromWasm,
  isTagged,
  toWasm,
  type ArgType,
  type ArgValue,
  type Kind,
  type ResultType,
  type ResultValue,
} from './types.js';

// -------------------------------------------------------------------------------------------
// model
// -------------------------------------------------------------------------------------------

/**
 * A TypeScript callback of the C type `As -> R`: it gets the arguments as their types' values
 * and returns an `IO` of the result, as a Haskell callback returns `IO r`.
 *
 * @category model
 * @since 0.1.0
 */
export type Callback<As extends readonly Storable<any>[], R extends ResultType> = (
  ...args: { -readonly [K in keyof As]: ArgValue<As[K]> }
) => IO<ResultValue<R>>;

// -------------------------------------------------------------------------------------------
// constructors
// -------------------------------------------------------------------------------------------

/**
 * Haskell's `foreign import ccall "wrapper"`: a maker of function pointers to TypeScript
 * callbacks of the C type `argTypes -> resultType` (scalar types, `Ptr`, `FunPtr`; a `Void`
 * result). `foreignImportWrapper(ctx, [Ptr, Ptr], CInt)(cmp)` is an `IO` that puts a wasm
 * trampoline calling `cmp` in a new slot of the module's function table and returns the slot as
 * a `FunPtr`, for C to call (`qsort(base, n, size, cmp)`).
 *
 * When C calls it, the arguments arrive as their types' values (a pointer as a number, a
 * `long long` as a bigint), the callback's `IO` is run, and its result is checked against the
 * result type: a value that does not fit, or a callback that throws, ends the C call, and the
 * outer `foreignImport` call throws a `ForeignCallError` (kind `'callback'`, the error as its
 * cause) after putting the C stack pointer back. C code between the two does not get to clean
 * up (as with a `longjmp` over it).
 *
 * The slot lives until {@link freeHaskellFunPtr}. Slots are not given to another callback after
 * release, so that every use of a released pointer is caught (see docs/wasm.md).
 *
 * Throws a `TypeError` naming `foreignImportWrapper` when `ctx` is not a wasm context, the
 * module exports no function table (link with `-Wl,--export-table -Wl,--growable-table`), a type
 * is not a scalar type, or the callback is not a function; a `RangeError` when the table cannot
 * grow (when the `IO` is run).
 *
 * @category constructors
 * @since 0.1.0
 */
export const foreignImportWrapper = <
  const As extends readonly Storable<any>[],
  R extends ResultType,
>(
  ctx: WasmContext,
  argTypes: As,
  resultType: R,
): ((f: Callback<As, R>) => IO<FunPtr<Callback<As, R>>>) => {
  const call = 'foreignImportWrapper';
  const table = tableOf(call, ctx);
  if (!Array.isArray(argTypes))
    throw new TypeError(`${call}: the argument types must be an array, got ${showValue(argTypes)}`);
  const kinds = argTypes.map((T, i) => scalarKind(call, 'the callback', T, `argument ${i + 1}`));
  const resultKind = isTagged(resultType, 'void')
    ? undefined
    : scalarKind(call, 'the callback', resultType, 'result');
  const params = kinds.map(valType);
  const results = resultKind === undefined ? [] : [valType(resultKind)];
  return (f) => {
    if (typeof f !== 'function')
      throw new TypeError(`${call}: the callback must be a function, got ${showValue(f)}`);
    return () => {
      const slot = { target: f as (...xs: unknown[]) => IO<unknown> };
      const host = (...raw: unknown[]): unknown => {
        const args = raw.map((r, i) => fromWasm('callback', argTypes[i]!, kinds[i]!, r));
        const io = slot.target(...args);
        if (typeof io !== 'function') {
          throw new TypeError(
            `callback: a callback returns an IO (a function), got ${showValue(io)}`,
          );
        }
        const r = io();
        return resultKind === undefined
          ? undefined
          : toWasm('callback', 'result', resultType as Storable<any>, resultKind, r);
      };
      const fp = grow(call, table);
      table.set(fp, trampoline(params, results, host as (...xs: never[]) => unknown));
      registryOf(table).slots.set(fp, {
        state: 'live',
        release: () => {
          slot.target = () => {
            throw released('callback', fp);
          };
        },
      });
      return fp as FunPtr<Callback<As, R>>;
    };
  };
};

/**
 * Haskell's `freeHaskellFunPtr`: releases a function pointer made by
 * {@link foreignImportWrapper}, as an `IO`. The callback is dropped (it can be collected); the
 * slot keeps a trampoline that refuses every call, so that C calling the pointer afterwards
 * ends the outer call with a {@link FunPtrError} naming it, and so does passing it to a
 * `FunPtr` argument of a `foreignImport`ed function or to {@link foreignImportDynamic}.
 *
 * GHC leaves releasing a pointer twice, or one it did not make, undefined: here both are a
 * `FunPtrError` naming `freeHaskellFunPtr` when the `IO` runs. A bigint is a `TypeError`
 * (pointers are numbers), anything else that is not an index a `RangeError`, when it is
 * applied; a `ctx` that is not a wasm context a `TypeError`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const freeHaskellFunPtr = (ctx: WasmContext, fp: FunPtr<any>): IO<void> => {
  const call = 'freeHaskellFunPtr';
  const table = tableOf(call, ctx);
  const p = checkFunPtr(call, fp);
  return () => {
    const slot = registryOf(table).slots.get(p);
    if (slot === undefined) throw new FunPtrError(call, p, 'was not made by foreignImportWrapper');
    if (slot.state === 'released') throw new FunPtrError(call, p, 'was already released');
    slot.state = 'released';
    slot.release();
  };
};

/**
 * Haskell's `foreign import ccall "dynamic"`: a C function pointer of the module's table (one C
 * returned, or one {@link foreignImportWrapper} made) as a typed function, with the types and
 * the checks of `foreignImport`. `foreignImportDynamic(ctx, [CInt, CInt], CInt)(fp)(2, 3)` is
 * an `IO<number>`. The function's errors name `FunPtr n`.
 *
 * Throws a `TypeError` naming `foreignImportDynamic` when `ctx` is not a wasm context or has no
 * table, or for bad types (as `foreignImport`); and, when applied to a pointer, a `TypeError`
 * for a bigint, a `RangeError` for a value that is not an index, and a {@link FunPtrError} for
 * `nullFunPtr`, a released wrapper, or an index with no function in the table. A pointer to a
 * function of another arity is a `TypeError`; one of the same arity and other types traps when
 * called (`call_indirect`'s signature check does not apply to a call from JavaScript: the
 * values are converted to what the function takes).
 *
 * @category constructors
 * @since 0.1.0
 */
export const foreignImportDynamic = <const As extends readonly ArgType[], R extends ResultType>(
  ctx: WasmContext,
  argTypes: As,
  resultType: R,
): ((fp: FunPtr<any>) => ForeignFunction<As, R>) => {
  const call = 'foreignImportDynamic';
  const table = tableOf(call, ctx);
  return (fp) => {
    const p = checkFunPtr(call, fp);
    if (p === 0) throw new FunPtrError(call, p, 'is nullFunPtr');
    const slot = registryOf(table).slots.get(p);
    if (slot?.state === 'released') throw released(call, p);
    const fn = p < table.length ? (table.get(p) as WasmFunction | null) : null;
    if (typeof fn !== 'function')
      throw new FunPtrError(
        call,
        p,
        `is not a function of the module's table (${table.length} slots)`,
      );
    return importFunction(call, ctx, `FunPtr ${p}`, fn, argTypes, resultType);
  };
};

// -------------------------------------------------------------------------------------------
// implementation
// -------------------------------------------------------------------------------------------

const tableOf = (call: string, ctx: WasmContext): WebAssembly.Table => {
  checkContext(call, ctx);
  if (ctx.table === undefined) {
    throw new TypeError(
      `${call}: the module exports no function table (link with -Wl,--export-table)`,
    );
  }
  return ctx.table;
};

const checkFunPtr = (call: string, fp: unknown): number => {
  if (typeof fp === 'bigint')
    throw new TypeError(`${call}: FunPtr ${fp}n is a bigint; function pointers are numbers`);
  if (typeof fp !== 'number' || !Number.isInteger(fp) || fp < 0 || fp > 0xffffffff)
    throw new RangeError(`${call}: ${showValue(fp)} is not a FunPtr (a table index)`);
  return fp;
};

const grow = (call: string, table: WebAssembly.Table): number => {
  try {
    return table.grow(1);
  } catch (e) {
    throw new RangeError(
      `${call}: the module's function table cannot grow (${String(e)}; link with -Wl,--growable-table)`,
      { cause: e },
    );
  }
};

const valType = (kind: Kind): ValType => {
  switch (kind) {
    case 'i64':
    case 'u64':
    case 'i64n':
    case 'u64n':
      return 'i64';
    case 'f32':
      return 'f32';
    case 'f64':
      return 'f64';
    default:
      return 'i32';
  }
};
