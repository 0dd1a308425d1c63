/**
 * Hand-written `Storable` instances: Haskell's `instance Storable T where sizeOf _ = …; peek p =
 * …; poke p v = …`, from a `peek` and a `poke` program, a size and an alignment.
 *
 * ```ts
 * const Point = storable<{ x: number; y: number }>({
 *   name: 'Point',
 *   sizeOf: 8,
 *   alignment: 4,
 *   peek: (p, m) => () => ({ x: m.peekByteOff(CInt, p, 0)(), y: m.peekByteOff(CInt, p, 4)() }),
 *   poke: (p, v, m) => () => {
 *     m.pokeByteOff(CInt, p, 0, v.x)();
 *     m.pokeByteOff(CInt, p, 4, v.y)();
 *   },
 * });
 * ```
 *
 * The programs get their memory functions as the argument `m`, bound to the memory the instance
 * is read from or written to at that moment, whatever context it is (the root's, `foreign(ctx)`'s,
 * a wasm module's): an instance written with the root's `peekByteOff` would read the default
 * context's memory, silently, when used in another one.
 *
 * @since 0.1.0
 */
import type * as t from 'io-ts';
import type { IO } from 'fp-ts/lib/IO.js';
import {
  MAX_ALLOCATION_ALIGNMENT,
  checkSize,
  describe,
  integerArgument,
  safeNumber,
  showValue,
} from '../../arguments/index.js';
import { MemoryBoundsError, type Views } from '../../memory/index.js';
import { checkOffset, checkPtr, type Ptr } from '../ptr.js';
import {
  NullPointerError,
  checkCodec,
  checkName,
  marshalErrorOf,
  storableArg,
  type Storable,
} from '../storable/index.js';
import { fieldOf } from './path.js';
import type { FieldAccess } from './field.js';

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * The memory functions of a hand-written instance's programs: `Foreign.Storable`'s functions
 * (and `peekArray`, `pokeArray`, and hsc2hs's `peekField`, `pokeField`) over the memory the instance is being
 * read from or written to. They are valid while the program runs (a call after it has returned
 * is a `TypeError`), and a `peek` program's cannot write (a `TypeError`: a peek may read a
 * protected memory). They check what the bound functions check: a pointer, not `nullPtr`, the
 * bytes inside memory (a `MemoryBoundsError`), a value that fits (`MarshalError`); the program
 * may reach any byte of the memory (follow a pointer member), not only the value's own.
 *
 * @category model
 * @since 0.1.0
 */
export interface InstanceMemory extends FieldAccess {
  readonly peek: <B>(S: Storable<B>, p: Ptr<B>) => IO<B>;
  readonly poke: <B>(S: Storable<B>, p: Ptr<B>, b: B) => IO<void>;
  readonly peekByteOff: <B>(S: Storable<B>, p: Ptr<any>, off: number | bigint) => IO<B>;
  readonly pokeByteOff: <B>(S: Storable<B>, p: Ptr<any>, off: number | bigint, b: B) => IO<void>;
  readonly peekElemOff: <B>(S: Storable<B>, p: Ptr<B>, i: number | bigint) => IO<B>;
  readonly pokeElemOff: <B>(S: Storable<B>, p: Ptr<B>, i: number | bigint, b: B) => IO<void>;
  /** `n` elements from `p` (`[]` for `n ≤ 0`, as Haskell's `peekArray`). */
  readonly peekArray: <B>(S: Storable<B>, n: number | bigint, p: Ptr<B>) => IO<B[]>;
  /** The elements of `bs` from `p`; every element is checked before any is written. */
  readonly pokeArray: <B>(S: Storable<B>, p: Ptr<B>, bs: readonly B[]) => IO<void>;
}

/**
 * What a hand-written instance is made of: Haskell's four methods, and a name and an optional
 * codec.
 *
 * @category model
 * @since 0.1.0
 */
export interface StorableDefinition<A> {
  /** The name in messages. */
  readonly name: string;
  /** `sizeOf`: the bytes of one value, padding included (a multiple of `alignment`). */
  readonly sizeOf: number | bigint;
  /** `alignment`: a power of two, at most 2^30 (what an allocation can honour). */
  readonly alignment: number | bigint;
  /** `peek p`: the program reading the value at `p`, through `m`. */
  readonly peek: (p: Ptr<A>, m: InstanceMemory) => IO<A>;
  /** `poke p v`: the program writing `v` at `p`, through `m`. */
  readonly poke: (p: Ptr<A>, value: A, m: InstanceMemory) => IO<void>;
  /**
   * Which values `poke` accepts, checked before the program runs (a `MarshalError`, nothing
   * written). Default: any value but `undefined` and `null`, the rest being checked by the
   * program's own `m.poke…` calls, field by field.
   */
  readonly codec?: t.Type<A, A, unknown>;
}

/**
 * A `Storable` instance from a hand-written definition: Haskell's `instance Storable T`. Its
 * `read` and `write` run the `peek` and `poke` programs with `m` bound to the memory being read
 * or written, so the instance works in every context, as a struct member, an array element or
 * an `alloca` cell alike.
 *
 * - `peek` and `poke` are checked as every instance's: the pointer, `nullPtr`, the `sizeOf` bytes
 *   inside memory, and before `poke` the value against `codec`.
 * - A poke that fails half-way (a field the program writes does not fit, the program throws)
 *   writes nothing: the instance's `sizeOf` bytes are put back as they were (what the program
 *   wrote elsewhere, through a pointer, is not). Errors of the program's `m.*` calls name them
 *   (`pokeByteOff: …`); a `MarshalError` is reported by the call that ran the instance
 *   (`poke: value 300 does not fit Word8`); errors the program throws itself pass unchanged.
 * - A program that returns no IO (a function) is a `TypeError` naming `peek` or `poke`.
 *
 * Haskell's instances pass the laws only if written to; here too (the library cannot check a
 * program): a `poke` that writes some fields and a `peek` that reads the same ones keep "peek then
 * poke changes no byte" (the other bytes are kept), one that leaves padding alone breaks "poke
 * twice keeps the last" only in the padding.
 *
 * Throws a `TypeError` naming `storable` when `definition` is not an object, `name` not a string,
 * `peek` or `poke` not a function, or `codec` not an io-ts type; a `RangeError` when `sizeOf` is
 * not a non-negative safe integer, `alignment` not a power of two up to 2^30 (GHC accepts any
 * `Int`, and `alloca` fails later: sdl2's `alignment = sizeOf` gives 56), or `sizeOf` not a
 * multiple of `alignment` (C's `sizeof` always is: arrays of the type stay aligned).
 *
 * @category constructors
 * @since 0.1.0
 */
export const storable = <A>(definition: StorableDefinition<A>): Storable<A> => {
  const d = checkDefinition(definition);
  const frame: Frame = { views: undefined, writing: false };
  const m = instanceMemory(frame, d.name);
  const size = d.sizeOf;
  return {
    name: d.name,
    sizeOf: size,
    alignment: d.alignment,
    codec: d.codec,
    read: (v, p) => run(frame, v, false, d.name, 'peek', () => d.peek(p as Ptr<A>, m)) as A,
    write: (v, p, a) => {
      const before = size > 0 ? v.u8.slice(p, p + size) : undefined;
      try {
        run(frame, v, true, d.name, 'poke', () => d.poke(p as Ptr<A>, a, m));
      } catch (e) {
        if (before !== undefined) v.u8.set(before, p);
        throw e;
      }
    },
  };
};

// ---------------------------------------------------------------------------------------------
// Implementation

/** The views a program of the instance runs on, while it runs. */
interface Frame {
  views: Views | undefined;
  writing: boolean;
}

interface Checked<A> {
  readonly name: string;
  readonly sizeOf: number;
  readonly alignment: number;
  readonly peek: StorableDefinition<A>['peek'];
  readonly poke: StorableDefinition<A>['poke'];
  readonly codec: t.Type<A, A, unknown>;
}

const isPowerOfTwo = (n: number): boolean =>
  Number.isSafeInteger(n) && n > 0 && n <= MAX_ALLOCATION_ALIGNMENT && (n & (n - 1)) === 0;

/** The definition, checked (see {@link storable}). */
const checkDefinition = <A>(definition: StorableDefinition<A>): Checked<A> => {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError(`storable: the definition must be an object, got ${showValue(definition)}`);
  }
  const name = checkName('storable', definition.name);
  const sizeOf = checkSize('storable', `sizeOf of ${name}`, definition.sizeOf);
  const given = definition.alignment;
  const alignment = typeof given === 'bigint' ? safeNumber(given) : given;
  if (typeof alignment !== 'number' || !isPowerOfTwo(alignment)) {
    throw new RangeError(
      `storable: alignment ${describe(given)} of ${name} is not a power of two up to 2^30, so ` +
        'no allocation could honour it (a C type is aligned to its widest member: a power of two)',
    );
  }
  if (sizeOf % alignment !== 0) {
    throw new RangeError(
      `storable: sizeOf ${sizeOf} of ${name} is not a multiple of its alignment ${alignment} ` +
        `(C rounds sizeof up to ${Math.ceil(sizeOf / alignment) * alignment}, so that arrays of ` +
        'it stay aligned)',
    );
  }
  for (const method of ['peek', 'poke'] as const) {
    if (typeof definition[method] !== 'function') {
      throw new TypeError(
        `storable: ${method} of ${name} must be a function, got ${showValue(definition[method])}`,
      );
    }
  }
  const codec = definition.codec ?? checkCodec<A>(name, (u) => u !== undefined && u !== null);
  if (typeof codec !== 'object' || codec === null || typeof codec.is !== 'function') {
    throw new TypeError(`storable: codec of ${name} is not an io-ts type, got ${showValue(codec)}`);
  }
  return { name, sizeOf, alignment, peek: definition.peek, poke: definition.poke, codec };
};

/** Runs a program of the instance on `views`, the frame set for it, and restored after. */
const run = (
  frame: Frame,
  views: Views,
  writing: boolean,
  name: string,
  method: 'peek' | 'poke',
  make: () => IO<unknown>,
): unknown => {
  const saved = frame.views;
  const savedWriting = frame.writing;
  frame.views = views;
  frame.writing = writing;
  try {
    const program = make();
    if (typeof program !== 'function') {
      throw new TypeError(
        `${method}: the ${method} of ${name} returned ${showValue(program)}, not an IO program ` +
          '(a function of no arguments)',
      );
    }
    return program();
  } finally {
    frame.views = saved;
    frame.writing = savedWriting;
  }
};

/** The memory functions of one instance's programs, reading their views from `frame`. */
const instanceMemory = (frame: Frame, name: string): InstanceMemory => {
  /** The address `p + off` of `size` bytes, checked, and the views of the running program. */
  const at = (
    call: string,
    p: unknown,
    off: unknown,
    size: number,
    write: boolean,
  ): [Views, number] => {
    const v = frame.views;
    if (v === undefined) {
      throw new TypeError(
        `${call}: a memory function of ${name}'s programs was called when none of them runs`,
      );
    }
    if (write && !frame.writing) {
      throw new TypeError(
        `${call}: the peek of ${name} cannot write (it may read a read-only memory)`,
      );
    }
    const from = checkPtr(call, p);
    const address = from + (off === 0 ? 0 : checkOffset(call, off));
    if (!Number.isSafeInteger(address) || address < 0) {
      throw new RangeError(`${call}: address ${from} + ${String(off)} is below 0 or not safe`);
    }
    if (address === 0 && size > 0) throw new NullPointerError(call);
    if (address + size > v.u8.length) {
      throw new MemoryBoundsError(call, address, size, v.u8.length);
    }
    return [v, address];
  };
  const read = <B>(call: string, S: Storable<B>, p: unknown, off: unknown): B => {
    storableArg(call, S);
    const [v, address] = at(call, p, off, S.sizeOf, false);
    return S.read(v, address);
  };
  const write = <B>(call: string, S: Storable<B>, p: unknown, off: unknown, b: B): void => {
    storableArg(call, S);
    if (!S.codec.is(b)) throw marshalErrorOf(call, S.codec, b);
    const [v, address] = at(call, p, off, S.sizeOf, true);
    S.write(v, address, b);
  };
  /** The byte offset of element `i` of `S`. */
  const elementOffset = (call: string, S: Storable<any>, i: unknown): number => {
    const n = checkOffset(call, i, 'index');
    const off = n * storableArg(call, S).sizeOf;
    if (!Number.isSafeInteger(off)) throw new RangeError(`${call}: index ${n} overflows`);
    return off;
  };
  return {
    peek: (S, p) => () => read('peek', S, p, 0),
    poke: (S, p, b) => () => write('poke', S, p, 0, b),
    peekByteOff: (S, p, off) => () => read('peekByteOff', S, p, off),
    pokeByteOff: (S, p, off, b) => () => write('pokeByteOff', S, p, off, b),
    peekElemOff: (S, p, i) => () => read('peekElemOff', S, p, elementOffset('peekElemOff', S, i)),
    pokeElemOff: (S, p, i, b) => () =>
      write('pokeElemOff', S, p, elementOffset('pokeElemOff', S, i), b),
    peekArray: (S, count, p) => () => {
      storableArg('peekArray', S);
      const n = integerArgument('peekArray', 'count', count);
      if (!Number.isSafeInteger(n)) {
        throw new RangeError(`peekArray: count ${showValue(count)} is not a safe integer`);
      }
      const out = [];
      for (let i = 0; i < (n as number); i++) {
        out.push(read('peekArray', S, p, elementOffset('peekArray', S, i)));
      }
      return out;
    },
    pokeArray: (S, p, bs) => () => {
      storableArg('pokeArray', S);
      if (!Array.isArray(bs)) {
        throw new TypeError(`pokeArray: the values must be an array, got ${showValue(bs)}`);
      }
      for (const b of bs) if (!S.codec.is(b)) throw marshalErrorOf('pokeArray', S.codec, b);
      at('pokeArray', p, 0, bs.length * S.sizeOf, true);
      bs.forEach((b, i) => write('pokeArray', S, p, i * S.sizeOf, b));
    },
    peekField: (S, path) => {
      const F = fieldOf('peekField', S, path);
      return (p) => () => {
        const [v, address] = at('peekField', p, 0, F.sizeOf, false);
        return F.read(v, address);
      };
    },
    pokeField: (S, path) => {
      const F = fieldOf('pokeField', S, path);
      return (p, a) => () => {
        if (!F.codec.is(a)) throw marshalErrorOf('pokeField', F.codec, a);
        const [v, address] = at('pokeField', p, 0, F.sizeOf, true);
        F.write(v, address, a);
      };
    },
  };
};
