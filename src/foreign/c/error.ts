/**
 * `Foreign.C.Error`: C's `errno`, read where C wrote it, and the `throwErrno…` family that turns
 * a C function's failure result into a thrown {@link ErrnoError} (Haskell's `IOError`).
 *
 * **Where errno is.** `errno` belongs to the C module: for a context over a WebAssembly instance
 * (`wasmContext` of `foreign-ts/wasm`), it is wasi-libc's `errno` variable in the module's
 * memory, found through the context's `errnoLocation()` hook (the module's `__errno_location`
 * export) on every read and write, and read as a C `int` there. Any context that has an
 * `errnoLocation()` method returning an address is read the same way. Where there is no C module
 * (a context over a heap of this library, the default context) or the module exports no
 * `__errno_location`, errno is **the context's own cell**: an `int` kept by this library, 0 at
 * first, written only by `resetErrno` and `setErrno`, so `getErrno` there returns 0 until a
 * program sets it. GHC has one errno per OS thread; here there is one per context.
 *
 * The `e…` constants are wasi-libc's values (see errno-values.ts); messages and
 * {@link ErrnoError.type} follow GHC's `errnoToIOError`.
 *
 * Arguments of the wrong kind (a location that is not a string, a predicate or program that is
 * not a function, an errno that is not an `int`) are a `TypeError`/`RangeError` naming the call,
 * when the program is made. Every `throw…` function has an `either` flavour returning the
 * `ErrnoError` on the left instead.
 *
 * @since 0.1.0
 */
import * as E from '#fp-ts/Either.js';
import type { IO } from 'fp-ts/lib/IO.js';
import type { IOEither } from 'fp-ts/lib/IOEither.js';
import { showValue } from '../../arguments/index.js';
import { checkContext, type Context } from '../../interface/index.js';
import { checkFunction } from '../marshal/index.js';
import { bytesAt, writableBytesAt } from '../storable/index.js';
import { nullPtr, type Ptr } from '../ptr.js';
import { ERRNO_TABLE, type ErrnoRow } from './errno-table.js';
import { eINTR } from './errno-values.js';

/**
 * An errno value: a C `int` (Haskell's `newtype Errno = Errno CInt`).
 *
 * @category model
 * @since 0.1.0
 */
export type Errno = number;

/**
 * GHC's `IOErrorType`s that `errnoToIOError` gives.
 *
 * @category model
 * @since 0.1.0
 */
export type IOErrorType =
  | 'AlreadyExists'
  | 'NoSuchThing'
  | 'ResourceBusy'
  | 'ResourceExhausted'
  | 'IllegalOperation'
  | 'PermissionDenied'
  | 'UnsatisfiedConstraints'
  | 'ProtocolError'
  | 'OtherError'
  | 'InvalidArgument'
  | 'InappropriateType'
  | 'HardwareFault'
  | 'UnsupportedOperation'
  | 'TimeExpired'
  | 'ResourceVanished'
  | 'Interrupted';

/** How GHC shows each type. */
const TYPE_TEXT: Readonly<Record<IOErrorType, string>> = {
  AlreadyExists: 'already exists',
  NoSuchThing: 'does not exist',
  ResourceBusy: 'resource busy',
  ResourceExhausted: 'resource exhausted',
  IllegalOperation: 'illegal operation',
  PermissionDenied: 'permission denied',
  UnsatisfiedConstraints: 'unsatisfied constraints',
  ProtocolError: 'protocol error',
  OtherError: 'failed',
  InvalidArgument: 'invalid argument',
  InappropriateType: 'inappropriate type',
  HardwareFault: 'hardware fault',
  UnsupportedOperation: 'unsupported operation',
  TimeExpired: 'timeout',
  ResourceVanished: 'resource vanished',
  Interrupted: 'interrupted',
};

const BY_VALUE = new Map<number, ErrnoRow>(ERRNO_TABLE.map((r) => [r[1], r]));

/**
 * The error of a C call that failed with an errno: Haskell's `IOError` made by
 * `errnoToIOError`. Its message is GHC's `show` of it: `file: location: type (description)`,
 * such as `open: does not exist (No such file or directory)`. (Its first word is the location the
 * program gave, as in GHC, not the name of a function of this library.)
 *
 * @category errors
 * @since 0.1.0
 */
export class ErrnoError extends Error {
  override readonly name = 'ErrnoError';
  constructor(
    /** Where it failed: the location given to `throwErrno…` (`ioe_location`). */
    readonly location: string,
    /** The errno (`ioe_errno`). */
    readonly errno: Errno,
    /** GHC's `IOErrorType` for it (`ioe_type`). */
    readonly type: IOErrorType,
    /** wasi-libc's `strerror` text (`ioe_description`). */
    readonly description: string,
    /** The file it concerns, if any (`ioe_filename`). */
    readonly filename?: string,
  ) {
    super(
      `${filename === undefined ? '' : `${filename}: `}${location === '' ? '' : `${location}: `}` +
        `${TYPE_TEXT[type]}${description === '' ? '' : ` (${description})`}`,
    );
  }

  /** The errno's C name (`'ENOENT'`), or `undefined` when wasi-libc's table has none. */
  get errnoName(): string | undefined {
    const row = BY_VALUE.get(this.errno);
    return row === undefined ? undefined : `E${row[0]}`;
  }
}

const checkLocation = (call: string, loc: unknown): string => {
  if (typeof loc === 'string') return loc;
  throw new TypeError(`${call}: the location must be a string, got ${showValue(loc)}`);
};

const checkErrno = (call: string, e: unknown): Errno => {
  if (typeof e === 'number' && (e | 0) === e) return e;
  if (typeof e === 'number')
    throw new RangeError(
      `${call}: errno ${String(e)} is not a C int (an integer −2^31 to 2^31 − 1)`,
    );
  throw new TypeError(`${call}: errno must be a number (a C int), got ${showValue(e)}`);
};

/**
 * The `IOError` of an errno, as GHC's `errnoToIOError loc errno Nothing filename`: its
 * {@link IOErrorType} by GHC's table, its description wasi-libc's `strerror` text (for a value
 * wasi-libc has no name for, `Unknown error N`). There are no `Handle`s in this library, so
 * GHC's handle argument is not taken. A `loc` or `filename` that is not a string is a
 * `TypeError`, an errno that is not an `int` a `TypeError`/`RangeError`, naming
 * `errnoToIOError`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const errnoToIOError = (loc: string, errno: Errno, filename?: string): ErrnoError =>
  ioError('errnoToIOError', loc, errno, filename);

const ioError = (call: string, loc: string, errno: Errno, filename?: string): ErrnoError => {
  checkLocation(call, loc);
  checkErrno(call, errno);
  if (filename !== undefined && typeof filename !== 'string')
    throw new TypeError(`${call}: the filename must be a string, got ${showValue(filename)}`);
  const row = BY_VALUE.get(errno);
  return row === undefined
    ? new ErrnoError(loc, errno, 'OtherError', `Unknown error ${errno}`, filename)
    : new ErrnoError(loc, errno, row[3] as IOErrorType, row[2], filename);
};

/**
 * Whether `e` is a valid errno: GHC's `isValidErrno`, true unless it is −1 (GHC's marker of "no
 * errno").
 *
 * @category utils
 * @since 0.1.0
 */
export const isValidErrno = (e: Errno): boolean => checkErrno('isValidErrno', e) !== -1;

/**
 * The `throw…` functions with the `ErrnoError` on the left instead of thrown.
 *
 * @category model
 * @since 0.1.0
 */
export interface EitherErrno {
  /** As `throwErrno`: always a `Left`. */
  readonly throwErrno: (loc: string) => IOEither<ErrnoError, never>;
  /** As `throwErrnoIf`. */
  readonly throwErrnoIf: <A>(
    pred: (a: A) => boolean,
    loc: string,
    io: IO<A>,
  ) => IOEither<ErrnoError, A>;
  /** As `throwErrnoIf_`. */
  readonly throwErrnoIf_: <A>(
    pred: (a: A) => boolean,
    loc: string,
    io: IO<A>,
  ) => IOEither<ErrnoError, void>;
  /** As `throwErrnoIfMinus1`. */
  readonly throwErrnoIfMinus1: <A extends number | bigint>(
    loc: string,
    io: IO<A>,
  ) => IOEither<ErrnoError, A>;
  /** As `throwErrnoIfMinus1_`. */
  readonly throwErrnoIfMinus1_: <A extends number | bigint>(
    loc: string,
    io: IO<A>,
  ) => IOEither<ErrnoError, void>;
  /** As `throwErrnoIfNull`. */
  readonly throwErrnoIfNull: <A>(loc: string, io: IO<Ptr<A>>) => IOEither<ErrnoError, Ptr<A>>;
  /** As `throwErrnoIfMinus1Retry`. */
  readonly throwErrnoIfMinus1Retry: <A extends number | bigint>(
    loc: string,
    io: IO<A>,
  ) => IOEither<ErrnoError, A>;
}

/**
 * The keys of {@link EitherErrno}: the one list the package root and `foreign(ctx)` bind.
 *
 * @category model
 * @since 0.1.0
 */
export const EITHER_ERRNO_KEYS = [
  'throwErrno',
  'throwErrnoIf',
  'throwErrnoIf_',
  'throwErrnoIfMinus1',
  'throwErrnoIfMinus1_',
  'throwErrnoIfNull',
  'throwErrnoIfMinus1Retry',
] as const;

/**
 * `Foreign.C.Error` bound to a context's errno: what {@link cError} returns.
 *
 * @category model
 * @since 0.1.0
 */
export interface CError {
  /**
   * The context's errno now: the C module's (read from its memory at `errnoLocation()`), or the
   * context's own cell where there is none (see the module's comment). An errno address that
   * is not 4-aligned is a `RangeError`, one outside memory a `MemoryBoundsError`, both naming
   * `getErrno`.
   */
  readonly getErrno: IO<Errno>;
  /** Sets the context's errno to 0 (GHC's `resetErrno`). */
  readonly resetErrno: IO<void>;
  /**
   * Sets the context's errno to `e` (an addition of this library: for a JavaScript function that
   * stands in for C, or a callback C calls, to report an error as C would). Not an `int`: a
   * `TypeError`/`RangeError` naming `setErrno`.
   */
  readonly setErrno: (e: Errno) => IO<void>;
  /** Throws `errnoToIOError(loc, errno)` with the current errno. */
  readonly throwErrno: (loc: string) => IO<never>;
  /** Runs `io`; when `pred` holds for its result, throws the current errno's `ErrnoError`. */
  readonly throwErrnoIf: <A>(pred: (a: A) => boolean, loc: string, io: IO<A>) => IO<A>;
  /** As `throwErrnoIf`, discarding the result. */
  readonly throwErrnoIf_: <A>(pred: (a: A) => boolean, loc: string, io: IO<A>) => IO<void>;
  /** Throws the errno's `ErrnoError` when `io` returns −1 (C's usual failure result). */
  readonly throwErrnoIfMinus1: <A extends number | bigint>(loc: string, io: IO<A>) => IO<A>;
  /** As `throwErrnoIfMinus1`, discarding the result. */
  readonly throwErrnoIfMinus1_: <A extends number | bigint>(loc: string, io: IO<A>) => IO<void>;
  /** Throws the errno's `ErrnoError` when `io` returns `nullPtr`. */
  readonly throwErrnoIfNull: <A>(loc: string, io: IO<Ptr<A>>) => IO<Ptr<A>>;
  /**
   * As `throwErrnoIfMinus1`, but runs `io` again, as often as it takes, while it returns −1
   * with errno `EINTR` (an interrupted call), as GHC does. Any other errno is thrown.
   */
  readonly throwErrnoIfMinus1Retry: <A extends number | bigint>(loc: string, io: IO<A>) => IO<A>;
  /** The `throw…` functions with the `ErrnoError` on the left. */
  readonly either: EitherErrno;
}

/** A context that may know its C module's errno (a `WasmContext` does). */
interface ErrnoHook {
  readonly errnoLocation?: () => Ptr<number> | undefined;
}

/** The cells of the contexts with no C errno. */
const cells = new WeakMap<Context, { value: Errno }>();

const minus1 = (a: number | bigint): boolean => a === -1 || a === -1n;
const isNull = (p: Ptr<unknown>): boolean => p === nullPtr;

/**
 * `Foreign.C.Error` over `ctx`'s errno: the C module's when `ctx` has an `errnoLocation()` hook
 * giving an address, else the context's own cell (see the module's comment). A `ctx` that is not
 * a context is a `TypeError` naming `cError`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const cError = (ctx: Context): CError => {
  const { memory } = checkContext('cError', ctx);
  const hook = (ctx as ErrnoHook).errnoLocation;
  let cell = cells.get(ctx);
  if (cell === undefined) {
    cell = { value: 0 };
    cells.set(ctx, cell);
  }
  const own = cell;

  /** The address of the C errno, checked, or undefined for the cell. */
  const location = (call: string): number | undefined => {
    if (typeof hook !== 'function') return undefined;
    const p = hook.call(ctx);
    if (p === undefined) return undefined;
    if (p % 4 !== 0)
      throw new RangeError(`${call}: the errno location ${p} is not aligned on 4 bytes`);
    return p;
  };
  const read = (call: string): Errno => {
    const p = location(call);
    return p === undefined ? own.value : bytesAt(memory, call, p, 4).i32[p >>> 2]!;
  };
  const write = (call: string, e: Errno): void => {
    const p = location(call);
    if (p === undefined) own.value = e;
    else writableBytesAt(memory, call, p, 4).i32[p >>> 2] = e;
  };

  /** The program that runs `io` and fails with errno when `pred` holds (retrying on EINTR). */
  const guarded = <A>(
    call: string,
    pred: (a: A) => boolean,
    loc: string,
    io: IO<A>,
    retry: boolean,
  ): IO<E.Either<ErrnoError, A>> => {
    checkFunction(call, 'the program', io);
    checkLocation(call, loc);
    return () => {
      for (;;) {
        const a = io();
        if (!pred(a)) return E.right(a);
        const e = read(call);
        if (retry && e === eINTR) continue;
        return E.left(ioError(call, loc, e));
      }
    };
  };
  const thrown =
    <A>(io: IO<E.Either<ErrnoError, A>>): IO<A> =>
    () => {
      const r = io();
      if (E.isLeft(r)) throw r.left;
      return r.right;
    };
  const discard =
    <A>(io: IO<E.Either<ErrnoError, A>>): IO<E.Either<ErrnoError, void>> =>
    () =>
      E.map(() => undefined)(io());
  const predicate = <A>(call: string, pred: (a: A) => boolean): ((a: A) => boolean) =>
    checkFunction(call, 'the predicate', pred);
  const checkedNow = (call: string, loc: string): IO<E.Either<ErrnoError, never>> => {
    checkLocation(call, loc);
    return () => E.left(ioError(call, loc, read(call)));
  };

  return {
    getErrno: () => read('getErrno'),
    resetErrno: () => write('resetErrno', 0),
    setErrno: (e) => {
      checkErrno('setErrno', e);
      return () => write('setErrno', e);
    },
    throwErrno: (loc) => thrown(checkedNow('throwErrno', loc)),
    throwErrnoIf: (pred, loc, io) =>
      thrown(guarded('throwErrnoIf', predicate('throwErrnoIf', pred), loc, io, false)),
    throwErrnoIf_: (pred, loc, io) =>
      thrown(discard(guarded('throwErrnoIf_', predicate('throwErrnoIf_', pred), loc, io, false))),
    throwErrnoIfMinus1: (loc, io) => thrown(guarded('throwErrnoIfMinus1', minus1, loc, io, false)),
    throwErrnoIfMinus1_: (loc, io) =>
      thrown(discard(guarded('throwErrnoIfMinus1_', minus1, loc, io, false))),
    throwErrnoIfNull: (loc, io) => thrown(guarded('throwErrnoIfNull', isNull, loc, io, false)),
    throwErrnoIfMinus1Retry: (loc, io) =>
      thrown(guarded('throwErrnoIfMinus1Retry', minus1, loc, io, true)),
    either: {
      throwErrno: (loc) => checkedNow('either.throwErrno', loc),
      throwErrnoIf: (pred, loc, io) =>
        guarded('either.throwErrnoIf', predicate('either.throwErrnoIf', pred), loc, io, false),
      throwErrnoIf_: (pred, loc, io) =>
        discard(
          guarded('either.throwErrnoIf_', predicate('either.throwErrnoIf_', pred), loc, io, false),
        ),
      throwErrnoIfMinus1: (loc, io) => guarded('either.throwErrnoIfMinus1', minus1, loc, io, false),
      throwErrnoIfMinus1_: (loc, io) =>
        discard(guarded('either.throwErrnoIfMinus1_', minus1, loc, io, false)),
      throwErrnoIfNull: (loc, io) => guarded('either.throwErrnoIfNull', isNull, loc, io, false),
      throwErrnoIfMinus1Retry: (loc, io) =>
        guarded('either.throwErrnoIfMinus1Retry', minus1, loc, io, true),
    },
  };
};
