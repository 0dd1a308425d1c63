/**
 * The compiled program of `peekField` for a field of a plain scalar (a fixed-size integer, a
 * float, a `bool32`): a function generated for that field alone, whose fast path is a typed
 * read at a constant offset (`v.f64[(p + 16) >> 3]`).
 *
 * Why a function per field: the generic program (`peek` of the field's target) is one function
 * for every field of every struct, and calls the field's reader, which calls the field
 * instance's reader; as soon as two kinds of field are read in one program, those calls are
 * megamorphic and V8 inlines none of them. A function generated for one field has its own type
 * feedback, calls nothing on its fast path, and inlines into the caller's loop.
 *
 * The fast path checks what the generic program checks, in fewer operations: the pointer is a
 * positive 32-bit integer whose field address `a = p + offset` is one too, `a` is aligned to the
 * field's size, and the typed array's own bounds check finds the element (an element past the
 * end of the views reads as `undefined`; views are `floor(bytes / size)` elements long, so the
 * element is there exactly when the field's bytes are: the views of a detached, stale or
 * protected memory reach no byte). A failed check gives the read a negative index, so it reads
 * `undefined` too, and every `undefined` goes to the generic program, which reads or throws
 * exactly as before (a bigint, `nullPtr`, an unaligned address, bounds, views renewed by
 * growth, a detached memory).
 *
 * @since 0.1.0
 */
import type { Memory } from '../../memory/index.js';
import { rawAccess, scalarSize, type ScalarKind, type Storable } from '../storable/index.js';
import { codegenAvailable, getLayoutCompiler } from './compile.js';
import type { FieldTarget } from './path.js';

/** The generic program: `peek` of the field's target, with its checks and errors. */
export type SlowPeek = (F: FieldTarget, p: number) => unknown;

/** A field's compiled program, bound to one memory: `(p) => () => the field of the value at p`. */
type FieldPeek = (p: number) => () => unknown;

/** Makes a field's program for one memory. */
type FieldPeekFactory = (memory: Memory, slow: SlowPeek, F: FieldTarget) => FieldPeek;

/** The kinds read as they are stored (and `bool32`, a comparison): no value can fail. */
const PLAIN: ReadonlySet<ScalarKind> = new Set<ScalarKind>([
  'i8',
  'u8',
  'i16',
  'u16',
  'i32',
  'u32',
  'i64',
  'u64',
  'f32',
  'f64',
  'bool32',
]);

/** The factories made so far (`null`: the field has none). */
const factories = new WeakMap<FieldTarget, FieldPeekFactory | null>();

/** The scalar kind of a plain scalar instance, or `undefined`. */
const plainKind = (
  S: Storable<any> | undefined,
): Exclude<ScalarKind, 'i64n' | 'u64n'> | undefined => {
  const layout = S?.layout;
  return layout?.tag === 'scalar' && PLAIN.has(layout.kind)
    ? (layout.kind as Exclude<ScalarKind, 'i64n' | 'u64n'>)
    : undefined;
};

/**
 * The source of the factory of a field of `kind` at `offset`. Every check of the pointer is
 * folded into the index, which is -1 (outside every view) when a check fails, so that the
 * program has one branch to `slow`, taken when the read gives `undefined`: V8 compiles the read
 * to expect an element (until one was missing), so `x` is a number or a bigint, the branch is
 * dead, and the program has no exit of its own. A branch to `slow` that V8 has never seen taken
 * (the checks' own branches were such) is compiled as a deoptimization exit, and an exit inside
 * a loop that the caller's loop does not mark stops V8 from peeling that loop: every check of
 * the loop (its counter, the program's closure, the views) then stays in every iteration.
 */
const sourceOf = (kind: Exclude<ScalarKind, 'i64n' | 'u64n'>, offset: number): string => {
  const { view, shift } = rawAccess[kind];
  const size = scalarSize[kind];
  // A misaligned address gets a negative index: `0 - (a & mask)` is -1 to -7 then, 0 otherwise.
  const index = size === 1 ? 'a' : `(a >> ${shift}) | (0 - (a & ${size - 1}))`;
  const value = kind === 'bool32' ? 'x !== 0' : 'x';
  // A closure returning the program (not `bind`): where V8 inlines both into the caller's loop
  // it allocates neither, and a bound function's target was checked by its map in every
  // iteration (the map of methods, which tsx's `keepNames` makes unstable).
  return [
    '"use strict";',
    'return (memory, slow, F) => (p) => () => {',
    `  const a = typeof p === 'number' && (p | 0) === p && p > 0 ? p + ${offset} : -1;`,
    `  const x = memory.views.${view}[(a | 0) === a ? ${index} : -1];`,
    `  return x !== undefined ? ${value} : slow(F, p);`,
    '};',
  ].join('\n');
};

/**
 * The compiled program of field `F` bound to `memory`, falling back to `slow`; `undefined` when
 * the field is not a plain scalar (a struct, an enumeration, a `CBool`, a bit-field …) or code
 * generation is off (`setLayoutCompiler('interpreter')`, or not allowed): the generic program
 * then serves it. The source is generated once per field and remembered.
 *
 * @internal
 */
export const compiledFieldPeek = (
  memory: Memory,
  slow: SlowPeek,
  F: FieldTarget,
): FieldPeek | undefined => {
  let factory = factories.get(F);
  if (factory === undefined) {
    const kind = plainKind(F.storable);
    const generate =
      kind !== undefined &&
      F.offset !== undefined &&
      getLayoutCompiler() !== 'interpreter' &&
      codegenAvailable();
    factory = generate ? (new Function(sourceOf(kind, F.offset!))() as FieldPeekFactory) : null;
    factories.set(F, factory);
  }
  return factory === null ? undefined : factory(memory, slow, F);
};
