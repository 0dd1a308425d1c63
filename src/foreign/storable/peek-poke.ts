/**
 * `peek` and `poke` as fp-ts `IO` programs over one {@link Memory}: Haskell's `Storable` methods,
 * with the instance as the first argument (`peek(CInt, p)`) and Haskell's order otherwise.
 *
 * ```ts
 * const { peek, poke } = peekPoke(memory)
 * poke(CInt, p, 42)()          // an IO<void>: nothing happens until it is run
 * peek(CInt, p)()              // 42
 * ```
 *
 * Every access goes through `memory.ensure` (`ensureWritable` for a write), so reading or writing
 * past the end of memory is a `MemoryBoundsError` (never a silent `undefined`), views renewed by
 * growth are picked up, and an access the memory's protection refuses (a write to an area pool
 * without `B_WRITE_AREA`) is a `MemoryProtectionError`.
 * Three flavours:
 *
 * - checked (the default): a poke validates the value with the instance's codec first; a value
 *   that does not fit is a `MarshalError` and nothing is written;
 * - `unchecked`: pokes without validation, for hot loops over trusted values (an invalid value
 *   is written as the typed arrays convert it, or throws a `TypeError`; never validated);
 * - `either`: `IOEither`s whose `Left` is the `MarshalError` (its `errors` are the io-ts
 *   `Errors`) instead of a throw. Bad addresses and bounds still throw: they are bugs, not data.
 *
 * Errors name the call with its flavour: `poke: …`, `unchecked.poke: …`, `either.peek: …`.
 *
 * @since 0.1.0
 */
import type { Either } from 'fp-ts/lib/Either.js';
import * as E from '#fp-ts/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import type { Memory, Views } from '../../memory/index.js';
import { bigintAddress, integerArgument, showValue } from '../../arguments/index.js';
import { NullPointerError } from './access.js';
import { isMemory } from '../../interface/index.js';
import { MarshalError, marshalErrorOf } from './marshal-error.js';
import type { Ptr } from '../ptr.js';
import { storableArg, type Storable } from './instance.js';

/**
 * The unchecked pokes: no validation of the value.
 *
 * @category model
 * @since 0.1.0
 */
export interface UncheckedPokes {
  readonly poke: <A>(S: Storable<A>, p: Ptr<A>, a: A) => IO<void>;
  readonly pokeElemOff: <A>(S: Storable<A>, p: Ptr<A>, i: number | bigint, a: A) => IO<void>;
  readonly pokeByteOff: <A>(S: Storable<A>, p: Ptr<any>, off: number | bigint, a: A) => IO<void>;
}

/**
 * Peek and poke returning `IOEither<MarshalError, _>`.
 *
 * @category model
 * @since 0.1.0
 */
export interface EitherPeekPoke {
  readonly peek: <A>(S: Storable<A>, p: Ptr<A>) => IOEither<MarshalError, A>;
  readonly poke: <A>(S: Storable<A>, p: Ptr<A>, a: A) => IOEither<MarshalError, void>;
  readonly peekElemOff: <A>(
    S: Storable<A>,
    p: Ptr<A>,
    i: number | bigint,
  ) => IOEither<MarshalError, A>;
  readonly pokeElemOff: <A>(
    S: Storable<A>,
    p: Ptr<A>,
    i: number | bigint,
    a: A,
  ) => IOEither<MarshalError, void>;
  readonly peekByteOff: <A>(
    S: Storable<A>,
    p: Ptr<any>,
    off: number | bigint,
  ) => IOEither<MarshalError, A>;
  readonly pokeByteOff: <A>(
    S: Storable<A>,
    p: Ptr<any>,
    off: number | bigint,
    a: A,
  ) => IOEither<MarshalError, void>;
}

/**
 * The `Storable` methods bound to one memory.
 *
 * @category model
 * @since 0.1.0
 */
export interface PeekPoke {
  /** Reads the value at `p`. Throws a `MarshalError` for bytes that encode no value of `S`. */
  readonly peek: <A>(S: Storable<A>, p: Ptr<A>) => IO<A>;
  /** Writes `a` at `p` (padding as zero). Throws a `MarshalError`, writing nothing, if `a` does not fit. */
  readonly poke: <A>(S: Storable<A>, p: Ptr<A>, a: A) => IO<void>;
  /** Reads element `i` of the array at `p`: the value at `p + i * sizeOf(S)`. */
  readonly peekElemOff: <A>(S: Storable<A>, p: Ptr<A>, i: number | bigint) => IO<A>;
  /** Writes element `i` of the array at `p`. */
  readonly pokeElemOff: <A>(S: Storable<A>, p: Ptr<A>, i: number | bigint, a: A) => IO<void>;
  /** Reads the value at `p + off` (bytes); `p` may point to anything. */
  readonly peekByteOff: <A>(S: Storable<A>, p: Ptr<any>, off: number | bigint) => IO<A>;
  /** Writes `a` at `p + off` (bytes). */
  readonly pokeByteOff: <A>(S: Storable<A>, p: Ptr<any>, off: number | bigint, a: A) => IO<void>;
  /** The pokes without validation. */
  readonly unchecked: UncheckedPokes;
  /** All six, with `MarshalError`s as `Left` values. */
  readonly either: EitherPeekPoke;
}

/**
 * The keys of {@link UncheckedPokes}: the one list the package root and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const UNCHECKED_KEYS = [
  'poke',
  'pokeElemOff',
  'pokeByteOff',
] as const satisfies readonly (keyof UncheckedPokes)[];

/**
 * The keys of {@link EitherPeekPoke}: the one list the package root and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const EITHER_PEEK_POKE_KEYS = [
  'peek',
  'poke',
  'peekElemOff',
  'pokeElemOff',
  'peekByteOff',
  'pokeByteOff',
] as const satisfies readonly (keyof EitherPeekPoke)[];

const isAddress = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/**
 * The views for an access the fast check refused: a precise error, or renewed views (for
 * writing when `write`, which the memory's protection may refuse).
 */
const slowViews = (
  memory: Memory,
  call: string,
  p: number,
  index: number,
  scale: number,
  size: number,
  write: boolean,
): Views => {
  if (!isAddress(p)) {
    if (typeof p === 'bigint') throw bigintAddress(call, 'pointer', p);
    throw new RangeError(`${call}: pointer ${String(p)} is not a non-negative safe integer`);
  }
  if (p === 0 && size > 0) throw new NullPointerError(call);
  if (!Number.isSafeInteger(index)) {
    throw new RangeError(
      `${call}: ${scale === 1 ? 'offset' : 'index'} ${String(index)} is not a safe integer`,
    );
  }
  const address = p + index * scale;
  if (!isAddress(address)) {
    throw new RangeError(
      `${call}: address ${p} + ${index * scale} = ${address} is below 0 or not safe`,
    );
  }
  if (address === 0 && size > 0) throw new NullPointerError(call);
  return write ? memory.ensureWritable(address, size, call) : memory.ensure(address, size, call);
};

/**
 * The error to report for `e`, thrown by `call` on instance `S`: a `TypeError` naming the call
 * when `S` is not a Storable instance (what went wrong then is a consequence), the error as
 * `call` reports it otherwise. Only reached when something threw, so the check of `S` costs the
 * programs nothing.
 */
const reported = (call: string, S: unknown, e: unknown): unknown => {
  try {
    storableArg(call, S as Storable<unknown>);
  } catch (notStorable) {
    return notStorable;
  }
  return e instanceof MarshalError ? e.withCall(call) : e;
};

/**
 * The two accessors of one address, `peek` and `poke` bound to `memory`, whose errors name
 * `peekCall` and `pokeCall`: what the programs of {@link peekAndPoke} run, and those of the
 * field accessors (`peekField`, `pokeField`, whose instances read and write one field of the
 * value at the address). `memory` is checked by the caller.
 *
 * @internal
 */
export const pointAccessors = (memory: Memory, peekCall: string, pokeCall: string) => ({
  // What the programs run, as methods: transpilers that keep function names (esbuild's
  // `keepNames`, used by tsx) redefine the `name` of arrow functions and function declarations,
  // and V8's fast `bind` refuses a function whose `name` was redefined (it then costs hundreds
  // of nanoseconds); they leave methods alone. `peek` and `poke` have their own small methods:
  // the bounds check of one address is three comparisons (a positive 32-bit integer whose end
  // is in the views), and nothing else stands between the program and the instance's compiled
  // reader or writer, so that V8 inlines all of it into the caller's loop. Whatever throws is
  // caught and `reported`: the check that the instance is one costs nothing until then.
  peek(S: Storable<any>, p: number): unknown {
    try {
      let v = memory.views;
      if (!(typeof p === 'number' && p > 0 && p >>> 0 === p && p + S.sizeOf <= v.u8.length))
        v = slowViews(memory, peekCall, p, 0, 0, S.sizeOf, false);
      return S.read(v, p);
    } catch (e) {
      throw reported(peekCall, S, e);
    }
  },
  poke(S: Storable<any>, p: number, a: unknown): void {
    try {
      if (!S.codec.is(a)) throw marshalErrorOf(pokeCall, S.codec, a);
      let v = memory.writeViews;
      if (!(typeof p === 'number' && p > 0 && p >>> 0 === p && p + S.sizeOf <= v.u8.length))
        v = slowViews(memory, pokeCall, p, 0, 0, S.sizeOf, true);
      S.write(v, p, a);
    } catch (e) {
      throw reported(pokeCall, S, e);
    }
  },
});

/**
 * `peek` and `poke` bound to `memory`, the two accessors most programs use: what
 * {@link peekPoke} returns first, and all the package root binds for its `peek` and `poke` (so a
 * page that imports only those two does not carry the others). `memory` is checked by the
 * caller.
 *
 * @internal
 */
export const peekAndPoke = (memory: Memory): Pick<PeekPoke, 'peek' | 'poke'> => {
  const at = pointAccessors(memory, 'peek', 'poke');
  // The programs are those methods with their arguments bound (`at.peek.bind(undefined, S, p)`),
  // not closures: when a program is made and run in one optimized function, as in a loop doing
  // `poke(S, p, a)()`, V8 calls the bound function's target directly and the bound function
  // is never allocated; a closure and its context would be allocated as soon as anything it
  // calls is not inlined (a megamorphic `S.write`, a runtime call in a check). Run later, a
  // bound function behaves as the closure would.
  return {
    peek: <A>(S: Storable<A>, p: Ptr<A>) => at.peek.bind(undefined, S, p) as IO<A>,
    poke: <A>(S: Storable<A>, p: Ptr<A>, a: A) => at.poke.bind(undefined, S, p, a) as IO<void>,
  };
};

/**
 * Binds the `Storable` methods (`peek`, `poke`, `peekElemOff`, `pokeElemOff`, `peekByteOff`,
 * `pokeByteOff`, and their `unchecked` and `either` flavours) to `memory`. The functions do not
 * use `this`: destructure them freely.
 *
 * Failures, for all of them: an instance that is not a Storable instance is a `TypeError`; a
 * pointer that is not a non-negative safe integer, or an index or offset that is not a safe
 * integer, is a `RangeError`; an access through `nullPtr` is a
 * `NullPointerError` (address 0 is NULL, where a heap keeps its control block): a base of
 * `nullPtr` whatever the offset, and an address that comes to 0 through an offset
 * (`pokeByteOff(S, p, -p, a)`, `peekElemOff(CInt, 4, -1)`), for every form; an access past
 * the end of memory is a `MemoryBoundsError`; a value that does not fit (poke) or bytes that encode no value (peek) is
 * a `MarshalError`. Nothing is written when a poke fails. Haskell leaves misaligned and
 * out-of-bounds accesses undefined; here misaligned accesses work (through the `DataView`) and
 * out-of-bounds ones throw.
 *
 * Throws a `TypeError` when `memory` is not a {@link Memory}.
 *
 * @category constructors
 * @since 0.1.0
 */
export const peekPoke = (memory: Memory): PeekPoke => {
  if (!isMemory(memory)) {
    throw new TypeError(`peekPoke: ${showValue(memory)} is not a Memory`);
  }
  /**
   * The views reaching `size` bytes at `p + index * scale` (fast path: a positive 32-bit
   * pointer and address whose end is in the views). The index is a number here (see `indexOf`).
   * A write goes through the write views (`Memory.protect`).
   */
  const views = (
    call: string,
    p: number,
    index: number,
    scale: number,
    size: number,
    write: boolean,
  ): Views => {
    const v = write ? memory.writeViews : memory.views;
    if (typeof p === 'number' && typeof index === 'number') {
      const address = p + index * scale;
      if (
        p > 0 &&
        p >>> 0 === p &&
        (index | 0) === index &&
        address > 0 &&
        address >>> 0 === address &&
        address + size <= v.u8.length
      )
        return v;
    }
    return slowViews(memory, call, p, index, scale, size, write);
  };
  /** The scale of an index: 1 for a byte offset, the element's size otherwise. */
  type Unit = 'byte' | 'element';
  /** What an `either` program is. */
  type Result<A> = IOEither<MarshalError, A>;
  /** An index or offset as a number: a bigint that is a safe integer is converted. */
  const indexOf = (call: string, i: unknown, unit: Unit): number =>
    integerArgument(call, unit === 'byte' ? 'offset' : 'index', i) as number;

  // As in `peekAndPoke`: methods, bound into programs below. `read` and `write` serve every form
  // with an index or an offset, and `readEither` and `writeEither` the `either` flavour: each
  // program binds the name of its call and the unit of its index (`'byte'` with 0 for
  // `either.peek` and `either.poke`) with its arguments.
  const at = {
    uncheckedPoke(S: Storable<any>, p: number, a: unknown): void {
      try {
        let v = memory.writeViews;
        if (!(typeof p === 'number' && p > 0 && p >>> 0 === p && p + S.sizeOf <= v.u8.length))
          v = slowViews(memory, 'unchecked.poke', p, 0, 0, S.sizeOf, true);
        S.write(v, p, a);
      } catch (e) {
        throw reported('unchecked.poke', S, e);
      }
    },
    read(call: string, unit: Unit, S: Storable<any>, p: number, i: number | bigint): unknown {
      try {
        if (typeof i !== 'number') i = indexOf(call, i, unit);
        const scale = unit === 'byte' ? 1 : S.sizeOf;
        return S.read(views(call, p, i, scale, S.sizeOf, false), p + i * scale);
      } catch (e) {
        throw reported(call, S, e);
      }
    },
    write(
      call: string,
      unit: Unit,
      checked: boolean,
      S: Storable<any>,
      p: number,
      i: number | bigint,
      a: unknown,
    ): void {
      try {
        if (checked && !S.codec.is(a)) throw marshalErrorOf(call, S.codec, a);
        if (typeof i !== 'number') i = indexOf(call, i, unit);
        const scale = unit === 'byte' ? 1 : S.sizeOf;
        S.write(views(call, p, i, scale, S.sizeOf, true), p + i * scale, a);
      } catch (e) {
        throw reported(call, S, e);
      }
    },
    readEither(
      call: string,
      unit: Unit,
      S: Storable<any>,
      p: number,
      i: number | bigint,
    ): Either<MarshalError, unknown> {
      try {
        return E.right(at.read(call, unit, S, p, i));
      } catch (e) {
        if (e instanceof MarshalError) return E.left(e);
        throw e;
      }
    },
    writeEither(
      call: string,
      unit: Unit,
      S: Storable<any>,
      p: number,
      i: number | bigint,
      a: unknown,
    ): Either<MarshalError, void> {
      try {
        at.write(call, unit, true, S, p, i, a);
        return E.right(undefined);
      } catch (e) {
        if (e instanceof MarshalError) return E.left(e);
        throw e;
      }
    },
  };

  return {
    ...peekAndPoke(memory),
    peekElemOff: <A>(S: Storable<A>, p: Ptr<A>, i: number | bigint) =>
      at.read.bind(undefined, 'peekElemOff', 'element', S, p, i) as IO<A>,
    pokeElemOff: <A>(S: Storable<A>, p: Ptr<A>, i: number | bigint, a: A) =>
      at.write.bind(undefined, 'pokeElemOff', 'element', true, S, p, i, a) as IO<void>,
    peekByteOff: <A>(S: Storable<A>, p: Ptr<any>, off: number | bigint) =>
      at.read.bind(undefined, 'peekByteOff', 'byte', S, p, off) as IO<A>,
    pokeByteOff: <A>(S: Storable<A>, p: Ptr<any>, off: number | bigint, a: A) =>
      at.write.bind(undefined, 'pokeByteOff', 'byte', true, S, p, off, a) as IO<void>,
    unchecked: {
      poke: <A>(S: Storable<A>, p: Ptr<A>, a: A) =>
        at.uncheckedPoke.bind(undefined, S, p, a) as IO<void>,
      pokeElemOff: <A>(S: Storable<A>, p: Ptr<A>, i: number | bigint, a: A) =>
        at.write.bind(undefined, 'unchecked.pokeElemOff', 'element', false, S, p, i, a) as IO<void>,
      pokeByteOff: <A>(S: Storable<A>, p: Ptr<any>, off: number | bigint, a: A) =>
        at.write.bind(undefined, 'unchecked.pokeByteOff', 'byte', false, S, p, off, a) as IO<void>,
    },
    either: {
      peek: <A>(S: Storable<A>, p: Ptr<A>) =>
        at.readEither.bind(undefined, 'either.peek', 'byte', S, p, 0) as Result<A>,
      poke: <A>(S: Storable<A>, p: Ptr<A>, a: A) =>
        at.writeEither.bind(undefined, 'either.poke', 'byte', S, p, 0, a) as Result<void>,
      peekElemOff: <A>(S: Storable<A>, p: Ptr<A>, i: number | bigint) =>
        at.readEither.bind(undefined, 'either.peekElemOff', 'element', S, p, i) as Result<A>,
      pokeElemOff: <A>(S: Storable<A>, p: Ptr<A>, i: number | bigint, a: A) =>
        at.writeEither.bind(undefined, 'either.pokeElemOff', 'element', S, p, i, a) as Result<void>,
      peekByteOff: <A>(S: Storable<A>, p: Ptr<any>, off: number | bigint) =>
        at.readEither.bind(undefined, 'either.peekByteOff', 'byte', S, p, off) as Result<A>,
      pokeByteOff: <A>(S: Storable<A>, p: Ptr<any>, off: number | bigint, a: A) =>
        at.writeEither.bind(undefined, 'either.pokeByteOff', 'byte', S, p, off, a) as Result<void>,
    },
  };
};
