/**
 * Typed field access, as hsc2hs's `#peek`, `#poke`, `#ptr` and `#offset`: for one member of a
 * struct, union, tagged union or array, or a nested path through them.
 *
 * | hsc2hs                              | here                                          |
 * | ----------------------------------- | --------------------------------------------- |
 * | `#{peek SDL_Event, window.data1} p` | `peekField(SDL_Event, ['window', 'data1'])(p)` |
 * | `#{poke T, f} p x`                  | `pokeField(T, 'f')(p, x)`                     |
 * | `#{ptr T, f} p`                     | `fieldPtr(T, 'f')(p)`                         |
 * | `#{offset T, f}`                    | `fieldOffset(T, 'f')`                         |
 *
 * A path is resolved once, when `peekField(S, path)` is called (and remembered for `S`), so
 * `const peekData1 = peekField(SDL_Event, ['window', 'data1'])` outside a loop leaves
 * `peekData1(p)()` in it. For a field of a plain scalar (a fixed-size integer, a float, `Bool`)
 * that program is generated for the field (see `field-peek.ts`): the checks of the pointer and
 * one typed read at a constant offset, inlined into the loop. Any other field (a struct, an
 * enumeration, a `CBool`, a bit-field), and every field when code generation is off, is read by
 * `peek` of the field's target: the same checks, then the field's own reader at its offset.
 * The field's type is inferred from the path, and a name that is not a member does not compile.
 *
 * @since 0.1.0
 */
import type { IO } from 'fp-ts/lib/IO.js';
import { showValue } from '../../arguments/index.js';
import { isMemory } from '../../interface/index.js';
import type { Memory } from '../../memory/index.js';
import { checkPtr, type Ptr } from '../ptr.js';
import { pointAccessors, type Storable } from '../storable/index.js';
import { compiledFieldPeek } from './field-peek.js';
import { fieldOf, type BytePath, type FieldKey, type FieldPath, type FieldValue } from './path.js';

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * A path argument: one step (a member name, an arm name, an index), or a tuple of steps.
 *
 * @category model
 * @since 0.1.0
 */
export type PathArg<S> = FieldKey<S> | FieldPath<S>;

/**
 * `peekField` and `pokeField` bound to one memory.
 *
 * @category model
 * @since 0.1.0
 */
export interface FieldAccess {
  /**
   * hsc2hs's `#{peek S, path}`: the reader of the field at `path` of the value at a pointer,
   * `(p) => IO<field>`. The program checks what `peek` checks (a pointer, not `nullPtr`, the
   * field's bytes inside memory) and reads the field's bytes only, with the field's own reader:
   * a `MarshalError` for bytes that encode no value of the field (a `CBool` of 2), as `peek`.
   * The pointer may have any type (`Ptr<unknown>` is the top type), as hsc2hs's `Ptr b`.
   *
   * Throws, when called: a `TypeError` when `S` is not an instance or has no members where the
   * path goes (a scalar, an enumeration, a hand-written instance), or the path is neither a key
   * nor an array; a `RangeError` for an empty path, a name that is not a member, an index
   * outside its array or a step below a bit-field. Errors of the program name `peekField`.
   */
  readonly peekField: <S extends Storable<any>, const P extends PathArg<S>>(
    S: S,
    path: P,
  ) => (p: Ptr<unknown>) => IO<FieldValue<S, P>>;
  /**
   * hsc2hs's `#{poke S, path}`: the writer of the field at `path`, `(p, a) => IO<void>`. It
   * writes the field's bytes only and keeps every other byte of the value (for a bit-field, the
   * other bits of its bytes); a union member written this way leaves the rest of the union as
   * it was, as C's `u.f = x` does. The value is checked first against the field's instance: a
   * `MarshalError` naming `pokeField`, and nothing is written. Errors as `peekField`.
   */
  readonly pokeField: <S extends Storable<any>, const P extends PathArg<S>>(
    S: S,
    path: P,
  ) => (p: Ptr<unknown>, a: FieldValue<S, P>) => IO<void>;
}

/**
 * The keys of {@link FieldAccess}. (Nothing in the library binds by this list: the package root
 * exports `peekField` and `pokeField` one by one, and `foreign(ctx)` spreads `fieldAccess`.)
 *
 * @category model
 * @since 0.1.0
 */
export const FIELD_ACCESS_KEYS = [
  'peekField',
  'pokeField',
] as const satisfies readonly (keyof FieldAccess)[];

/**
 * `peekField` and `pokeField` bound to `memory`. The functions do not use `this`. Throws a
 * `TypeError` when `memory` is not a `Memory`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fieldAccess = (memory: Memory): FieldAccess => {
  if (!isMemory(memory)) {
    throw new TypeError(`fieldAccess: ${showValue(memory)} is not a Memory`);
  }
  // The programs are `peek` and `poke` (the same methods, naming `peekField` and `pokeField`)
  // of the field's target, an instance over the whole value that reads and writes the field:
  // bound as `peek`'s programs are, so that V8 inlines them into a loop.
  const at = pointAccessors(memory, 'peekField', 'pokeField');
  return {
    peekField: <S extends Storable<any>, const P extends PathArg<S>>(S: S, path: P) => {
      const F = fieldOf('peekField', S, path);
      // A plain scalar field has a program of its own (see `compiledFieldPeek`), which hands
      // every access its fast path does not serve to the generic one.
      const compiled = compiledFieldPeek(memory, at.peek, F);
      if (compiled !== undefined) {
        return compiled as (p: Ptr<unknown>) => IO<FieldValue<S, P>>;
      }
      return (p: Ptr<unknown>) => at.peek.bind(undefined, F, p) as IO<FieldValue<S, P>>;
    },
    pokeField: <S extends Storable<any>, const P extends PathArg<S>>(S: S, path: P) => {
      const F = fieldOf('pokeField', S, path);
      return (p: Ptr<unknown>, a: FieldValue<S, P>) => at.poke.bind(undefined, F, p, a) as IO<void>;
    },
  };
};

/**
 * hsc2hs's `#{offset S, path}` (C's `offsetof`, for a nested path too): the byte offset of the
 * field at `path` from the start of `S`; 0 for a union's member or a tagged union's arm. A path
 * that ends at a bit-field does not compile (it has no byte offset; a `RangeError` at run time).
 * Other errors as `peekField`, naming `fieldOffset`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const fieldOffset = <S extends Storable<any>, const P extends PathArg<S>>(
  S: S,
  path: P & BytePath<S, P>,
): number => byteField('fieldOffset', S, path);

/**
 * hsc2hs's `#{ptr S, path}`: the pointer to the field at `path` of the value at `p`, typed for
 * the field (`plusPtr(p, fieldOffset(S, path))`, checked as `plusPtr` checks: a `RangeError`
 * when `p` is not a pointer, a `TypeError` for a bigint). A bit-field path does not compile.
 * The path is resolved when `fieldPtr(S, path)` is called; errors as `fieldOffset`, naming
 * `fieldPtr`.
 *
 * @category combinators
 * @since 0.1.0
 */
export const fieldPtr = <S extends Storable<any>, const P extends PathArg<S>>(
  S: S,
  path: P & BytePath<S, P>,
): ((p: Ptr<unknown>) => Ptr<FieldValue<S, P>>) => {
  const offset = byteField('fieldPtr', S, path);
  return (p) =>
    checkPtr('fieldPtr', checkPtr('fieldPtr', p) + offset, 'resulting address') as Ptr<
      FieldValue<S, P>
    >;
};

// ---------------------------------------------------------------------------------------------
// Implementation

/** The byte offset of a whole-byte field; a `RangeError` naming `call` for a bit-field. */
const byteField = (call: string, S: Storable<any>, path: unknown): number => {
  const F = fieldOf(call, S, path);
  if (F.offset === undefined) {
    throw new RangeError(`${call}: ${F.path} is a bit-field, it has no byte offset`);
  }
  return F.offset;
};
