/**
 * `Foreign.StablePtr`: a JavaScript value held by C as an opaque `void *`. `newStablePtr(a)`
 * puts `a` in its context's table of values and returns a small number that C can store,
 * copy and hand back (a callback's user data, a `qsort_r` argument); `deRefStablePtr` finds the
 * value again; `freeStablePtr` takes it out of the table, and only then may the garbage
 * collector take it (a value in the table is kept alive, as GHC keeps it).
 *
 * What GHC leaves undefined, this library defines:
 *
 * - dereferencing or freeing a freed `StablePtr` is a {@link StablePtrError} naming the call and
 *   saying it was freed (undefined behaviour in GHC); so is one that was never made (a number
 *   no `newStablePtr` returned, such as `castPtrToStablePtr` of an ordinary pointer), and one
 *   made in another context (GHC has one table per process);
 * - a value is never reused: a number, once returned by `newStablePtr`, is never returned
 *   again, so a freed `StablePtr` cannot silently find another value. There are 2^32 − 1 of
 *   them per process (they must fit a wasm32 `void *`); when all are used, `newStablePtr` is a
 *   `RangeError`;
 * - an argument that is not a `StablePtr` value (not an integer from 1 to 2^32 − 1) is a
 *   `RangeError`, a bigint a `TypeError`, both naming the call.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import { showValue } from '../arguments/index.js';
import { checkContext, type Context } from '../interface/index.js';
import { scalar, type Storable } from './storable/index.js';
import { checkPtr, type Ptr } from './ptr.js';

declare const StablePtrBrand: unique symbol;

/**
 * A stable pointer to a JavaScript value of type `A`: a number from 1 to 2^32 − 1 that names
 * an entry of its context's table. It fits a C `void *` on wasm32 and LP64; C may store and
 * copy it, never dereference it. Haskell's `StablePtr a`.
 *
 * @category model
 * @since 0.1.0
 */
export type StablePtr<A> = number & { readonly [StablePtrBrand]: () => A };

/**
 * The error of a `StablePtr` that names no value of this context: freed, never made, or made
 * in another context. Its message names the call (`deRefStablePtr: …`) and says which.
 *
 * @category errors
 * @since 0.1.0
 */
export class StablePtrError extends Error {
  override readonly name = 'StablePtrError';
}

/** The largest `StablePtr` value: the largest wasm32 address. */
const LAST = 0xffffffff;

/** One context's table. */
interface Table {
  readonly values: Map<number, unknown>;
}

/** The next number to issue: numbers below it were issued once. */
let next = 1;
/** The table of every live `StablePtr`, by its number (across contexts). */
const owners = new Map<number, Table>();
/** Each context's table. */
const tables = new WeakMap<Context, Table>();

const tableOf = (ctx: Context): Table => {
  let table = tables.get(ctx);
  if (table === undefined) {
    table = { values: new Map() };
    tables.set(ctx, table);
  }
  return table;
};

/** `sp` as a number when it has the shape of a `StablePtr`; the TypeError/RangeError otherwise. */
const checkValue = (call: string, sp: unknown): number => {
  if (typeof sp === 'bigint') {
    throw new TypeError(
      `${call}: ${showValue(sp)} is a bigint; a StablePtr is a number (convert with Number(x))`,
    );
  }
  if (typeof sp !== 'number' || !Number.isInteger(sp) || sp < 1 || sp > LAST) {
    throw new RangeError(
      `${call}: ${showValue(sp)} is not a StablePtr (an integer from 1 to ${LAST})`,
    );
  }
  return sp;
};

/** The number of a live `StablePtr` of `table`; a `StablePtrError` saying why not otherwise. */
const liveIn = (call: string, table: Table, sp: unknown): number => {
  const n = checkValue(call, sp);
  if (table.values.has(n)) return n;
  const owner = owners.get(n);
  const why =
    owner !== undefined
      ? 'belongs to another context (each context has its own table)'
      : n < next
        ? 'was freed'
        : 'was never made by newStablePtr';
  throw new StablePtrError(`${call}: StablePtr ${n} ${why}`);
};

/**
 * The functions of `Foreign.StablePtr` bound to a context (its table of values): what
 * {@link stablePtrs} returns.
 *
 * @category model
 * @since 0.1.0
 */
export interface StablePtrs {
  /**
   * Puts `a` in the context's table and returns its `StablePtr`, a number never returned
   * before. The table keeps `a` alive until {@link StablePtrs.freeStablePtr}. Any value may be
   * held, `undefined` included. A `RangeError` when the process has issued all 2^32 − 1
   * numbers.
   */
  readonly newStablePtr: <A>(a: A) => IO<StablePtr<A>>;
  /**
   * The value `sp` was made for. A `StablePtrError` when `sp` was freed, was never made, or
   * belongs to another context (undefined in GHC); a `RangeError` when it is not a
   * `StablePtr` value, a `TypeError` for a bigint.
   */
  readonly deRefStablePtr: <A>(sp: StablePtr<A>) => IO<A>;
  /**
   * Takes `sp`'s value out of the table: `sp` names nothing afterwards, and the value may be
   * collected. Freeing twice, or a `StablePtr` never made or of another context, is a
   * `StablePtrError` that changes nothing (undefined in GHC); not a `StablePtr` value, a
   * `RangeError` (a bigint, a `TypeError`).
   */
  readonly freeStablePtr: <A>(sp: StablePtr<A>) => IO<void>;
  /** The number of live `StablePtr`s of this context (an addition of this library). */
  readonly liveStablePtrs: () => IO<number>;
}

/**
 * The keys of {@link StablePtrs}: the one list the package root and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const STABLE_PTR_KEYS = [
  'newStablePtr',
  'deRefStablePtr',
  'freeStablePtr',
  'liveStablePtrs',
] as const;

/**
 * The functions of `Foreign.StablePtr` over `ctx`'s table of values (one table per context
 * object, made on first use and shared by every `stablePtrs(ctx)` of the same context). A `ctx`
 * that is not a context is a `TypeError` naming `stablePtrs`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const stablePtrs = (ctx: Context): StablePtrs => {
  const table = tableOf(checkContext('stablePtrs', ctx));
  return {
    newStablePtr:
      <A>(a: A): IO<StablePtr<A>> =>
      () => {
        if (next > LAST) {
          throw new RangeError(
            `newStablePtr: all ${LAST} StablePtr values of this process have been issued`,
          );
        }
        const n = next++;
        table.values.set(n, a);
        owners.set(n, table);
        return n as StablePtr<A>;
      },
    deRefStablePtr:
      <A>(sp: StablePtr<A>): IO<A> =>
      () =>
        table.values.get(liveIn('deRefStablePtr', table, sp)) as A,
    freeStablePtr:
      <A>(sp: StablePtr<A>): IO<void> =>
      () => {
        const n = liveIn('freeStablePtr', table, sp);
        table.values.delete(n);
        owners.delete(n);
      },
    liveStablePtrs: () => () => table.values.size,
  };
};

/**
 * The `StablePtr` as a `Ptr` (a `void *` for C), the same number. The pointer must never be
 * dereferenced; {@link castPtrToStablePtr} turns it back. A value that is not a `StablePtr`
 * value is a `RangeError` (a bigint, a `TypeError`) naming the call.
 *
 * @category conversions
 * @since 0.1.0
 */
export const castStablePtrToPtr = <A>(sp: StablePtr<A>): Ptr<unknown> =>
  checkValue('castStablePtrToPtr', sp) as Ptr<unknown>;

/**
 * The `StablePtr` a pointer holds: the inverse of {@link castStablePtrToPtr}, the same number.
 * Only a pointer made by `castStablePtrToPtr` names a value: anything else is refused later,
 * by `deRefStablePtr` (GHC leaves it undefined). A pointer that is not an address is a
 * `RangeError` (a bigint, a `TypeError`) naming the call; `nullPtr` is a `RangeError` (no
 * `StablePtr` is 0).
 *
 * @category conversions
 * @since 0.1.0
 */
export const castPtrToStablePtr = <A = unknown>(p: Ptr<unknown>): StablePtr<A> => {
  return checkValue('castPtrToStablePtr', checkPtr('castPtrToStablePtr', p)) as StablePtr<A>;
};

/**
 * The `Storable` of a `StablePtr` on wasm32 (and the package root's `StablePtr` instance): 4
 * bytes, aligned on 4, as C's `void *`. Any 32-bit number may be poked and peeked (C's bits);
 * whether it names a value is for `deRefStablePtr` to say.
 *
 * @category instances
 * @since 0.1.0
 */
export const StablePtr: Storable<StablePtr<any>> = /* @__PURE__ */ scalar<StablePtr<any>>(
  'StablePtr',
  'u32',
);

/**
 * The `Storable` of a `StablePtr` on LP64: 8 bytes, aligned on 8, as C's `void *` there.
 *
 * @category instances
 * @since 0.1.0
 */
export const StablePtr64: Storable<StablePtr<any>> = /* @__PURE__ */ scalar<StablePtr<any>>(
  'StablePtr',
  'u64n',
);
