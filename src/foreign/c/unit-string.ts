/**
 * Strings of fixed-size code units in C's memory, one unit per char: the engine of the wide
 * strings (`CWString`, a `wchar_t` of 4 bytes per char, UTF-32) and of the ASCII strings
 * (`CAString`, one byte per char). An {@link UnitEncoding} says how a char becomes a unit and
 * back; {@link unitStrings} makes the six functions of `Foreign.C.String` (`new…`, `peek…`,
 * `with…` and their `…Len` forms) and the `either` flavours of the allocating ones from it, so
 * that the two families share one body.
 *
 * @since 0.1.0
 */
import * as E from '#fp-ts/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import { MALLOC_ALIGNMENT, checkSize } from '../../arguments/index.js';
import type { Memory, Views } from '../../memory/index.js';
import { allocateFilled, checkContext, checkParts, type Context } from '../../interface/index.js';
import { AllocationError, allocaFilled, programOf, type MarshalAlloc } from '../marshal/index.js';
import { bytesAt, writableBytesAt, MarshalError } from '../storable/index.js';
import { nullPtr, type Ptr } from '../ptr.js';

/**
 * How one family of strings is stored: its unit size, how a string becomes units (checked, so
 * that a string it refuses allocates nothing), and how units become a string.
 *
 * @internal
 */
export interface UnitEncoding {
  /** The name of the pointer type in messages: `CWString`, `CAString`. */
  readonly name: string;
  /** The name of the length form in messages: `CWStringLen`, `CAStringLen`. */
  readonly lenName: string;
  /** Bytes per unit: 4 (`wchar_t`) or 1 (`char`). */
  readonly unit: 1 | 4;
  /**
   * The units of `s` for `call` (NUL-terminated when `terminated`: then no unit may be 0).
   * Throws a `MarshalError` for a string it cannot store.
   */
  readonly encode: (call: string, s: string, terminated: boolean) => ArrayLike<number>;
  /** The string of units `[from, to)` (unit indices into the family's view of `v`). */
  readonly decode: (v: Views, from: number, to: number) => string;
  /** The family's function names, in the order new, peek, with, newLen, peekLen, withLen. */
  readonly names: readonly [string, string, string, string, string, string];
}

/**
 * The functions of one family, bound to a context.
 *
 * @internal
 */
export interface UnitStrings {
  readonly new: (s: string) => IO<Ptr<number>>;
  readonly peek: (p: Ptr<number>) => IO<string>;
  readonly with: <B>(s: string, f: (p: Ptr<number>) => IO<B>) => IO<B>;
  readonly newLen: (s: string) => IO<readonly [Ptr<number>, number]>;
  readonly peekLen: (sl: readonly [Ptr<number>, number | bigint]) => IO<string>;
  readonly withLen: <B>(s: string, f: (sl: readonly [Ptr<number>, number]) => IO<B>) => IO<B>;
  readonly eitherNew: (s: string) => IOEither<AllocationError, Ptr<number>>;
  readonly eitherNewLen: (s: string) => IOEither<AllocationError, readonly [Ptr<number>, number]>;
}

const kindOf = (x: unknown): string =>
  x === null ? 'null' : Array.isArray(x) ? 'an array' : `a ${typeof x}`;

/**
 * `s` when it is a string; a `MarshalError` naming `call` otherwise.
 *
 * @internal
 */
export const stringArg = (call: string, instance: string, s: unknown): string => {
  if (typeof s === 'string') return s;
  throw new MarshalError(call, instance, s, instance, `expected a string, got ${kindOf(s)}`);
};

/** The units view of `v` for a unit size. */
const unitsOf = (v: Views, unit: 1 | 4): Uint8Array | Int32Array => (unit === 4 ? v.i32 : v.u8);

/** `p` when it is aligned on `unit`; a `RangeError` naming `call` otherwise. */
const aligned = (call: string, name: string, p: number, unit: number): number => {
  if (p % unit === 0) return p;
  throw new RangeError(
    `${call}: pointer ${p} is not aligned on ${unit} bytes, as a ${name} (of wchar_t) must be`,
  );
};

/** The index of the 0 unit at or after `p`, renewing stale views; a `MemoryBoundsError` at the end. */
const terminatorOf = (
  memory: Memory,
  call: string,
  name: string,
  p: number,
  unit: 1 | 4,
): { v: Views; end: number } => {
  let v = bytesAt(memory, call, p, unit);
  aligned(call, name, p, unit);
  const from = p / unit;
  let end = unitsOf(v, unit).indexOf(0, from);
  while (end < 0) {
    // No 0 unit in the current views: they may be stale (the memory grew). Renew them, or throw
    // MemoryBoundsError when the memory really ends there.
    v = memory.ensure(p, v.u8.length - p + unit, call);
    end = unitsOf(v, unit).indexOf(0, from);
  }
  return { v, end };
};

/**
 * The functions of one family of unit strings over `ctx`, allocating with `alloc`'s context
 * (`alloc` is checked, as `cString` checks it). `factory` names the call that made them, for a
 * bad `ctx` or `alloc` (a `TypeError`).
 *
 * @internal
 */
export const unitStrings = (
  factory: string,
  enc: UnitEncoding,
  ctx: Context,
  alloc: MarshalAlloc,
): UnitStrings => {
  const { memory, stack } = checkContext(factory, ctx);
  checkParts(factory, 'alloc', alloc, ['mallocBytes', 'free', 'allocaBytes']);
  const { unit, names } = enc;
  const [newName, peekName, withName, newLenName, peekLenName, withLenName] = names;
  const align = Math.max(MALLOC_ALIGNMENT, unit);

  /** Writes `units` at `p` (and a 0 unit after them when `terminated`). */
  const write = (call: string, units: ArrayLike<number>, terminated: boolean, p: number): void => {
    const n = units.length + (terminated ? 1 : 0);
    const view = unitsOf(writableBytesAt(memory, call, p, n * unit), unit);
    const at = p / unit;
    view.set(units, at);
    if (terminated) view[at + units.length] = 0;
  };

  /** A new block with `s`'s units: the pointer (`nullPtr` when there is no room) and the count. */
  const newUnits = (call: string, s: unknown, terminated: boolean): [Ptr<number>, number] => {
    const units = enc.encode(
      call,
      stringArg(call, terminated ? enc.name : enc.lenName, s),
      terminated,
    );
    const bytes = (units.length + (terminated ? 1 : 0)) * unit;
    const p = allocateFilled(ctx, call, bytes, align, (q) => write(call, units, terminated, q));
    return [p as Ptr<number>, units.length];
  };

  /** Runs `k` with `s`'s units in temporary memory. */
  const temporary = <B>(
    call: string,
    s: unknown,
    terminated: boolean,
    k: (p: Ptr<number>, n: number) => IO<B>,
  ): B => {
    const units = enc.encode(
      call,
      stringArg(call, terminated ? enc.name : enc.lenName, s),
      terminated,
    );
    const bytes = (units.length + (terminated ? 1 : 0)) * unit;
    return allocaFilled(
      stack,
      call,
      bytes,
      align,
      (p: Ptr<number>) => write(call, units, terminated, p),
      (p: Ptr<number>) => k(p, units.length),
    );
  };

  const checkLen = (call: string, sl: unknown): [number, number] => {
    if (!Array.isArray(sl) || sl.length !== 2) {
      throw new MarshalError(
        call,
        enc.lenName,
        sl,
        enc.lenName,
        `expected a [pointer, length] pair, got ${kindOf(sl)}`,
      );
    }
    return [sl[0] as number, checkSize(call, 'length', sl[1])];
  };

  const eitherName = (name: string): string => `either.${name}`;

  return {
    new: (s) => () => newUnits(newName, s, true)[0],
    peek: (p) => () => {
      const { v, end } = terminatorOf(memory, peekName, enc.name, p, unit);
      return enc.decode(v, p / unit, end);
    },
    with: (s, f) => () =>
      temporary(withName, s, true, (p) => programOf(withName, 'the body', f, p)),
    newLen: (s) => () => {
      const sl = newUnits(newLenName, s, false);
      return sl[0] === nullPtr ? [nullPtr, 0] : sl;
    },
    peekLen: (sl) => () => {
      const [p, n] = checkLen(peekLenName, sl);
      const v = bytesAt(memory, peekLenName, p, n * unit);
      if (n === 0) return '';
      aligned(peekLenName, enc.lenName, p, unit);
      return enc.decode(v, p / unit, p / unit + n);
    },
    withLen: (s, f) => () =>
      temporary(withLenName, s, false, (p, n) =>
        programOf(withLenName, 'the body', f, [p, n] as const),
      ),
    eitherNew: (s) => () => {
      const call = eitherName(newName);
      const [p, n] = newUnits(call, s, true);
      return p === nullPtr ? E.left(new AllocationError(call, (n + 1) * unit)) : E.right(p);
    },
    eitherNewLen: (s) => () => {
      const call = eitherName(newLenName);
      const sl = newUnits(call, s, false);
      return sl[0] === nullPtr ? E.left(new AllocationError(call, sl[1] * unit)) : E.right(sl);
    },
  };
};
