/**
 * Raised alignment: `__attribute__((aligned(n)))` / `_Alignas(n)`.
 *
 * @since 0.1.0
 */
import { checkAlignment, roundUp } from '../../arguments/index.js';
import {
  storableArg,
  type Storable,
  type StorableOf,
  type AlignedLayout,
} from '../storable/index.js';

declare const innerType: unique symbol;

/**
 * An instance with a raised alignment. `S` is the instance inside, kept with its own type (a
 * `Struct`, …) so that field paths can go through it.
 *
 * @category model
 * @since 0.1.0
 */
export interface Aligned<A, S extends Storable<A> = Storable<A>> extends Storable<A> {
  readonly layout: AlignedLayout;
  /** The instance whose alignment is raised (type-level only: `layout.inner` at run time). */
  readonly [innerType]?: S;
}

/**
 * `S` aligned to at least `n` bytes (`n` a power of two; a smaller `n` than `S`'s alignment
 * changes nothing, as in C).
 *
 * As a struct or union member it is C's member attribute, `_Alignas(n) T x;` or
 * `T x __attribute__((aligned(n)))`: the member starts at a multiple of `n`, still takes
 * `sizeOf(S)` bytes, and the struct's alignment becomes at least `n` (also in a packed struct,
 * where it is the member's only alignment). Alone (peeked, poked, or as an array element) it
 * takes `sizeOf(S)` rounded up to the alignment, with zero padding after `S`, so that its size
 * is a multiple of its alignment, as every instance's must be. For the attribute on a struct
 * type (`struct … __attribute__((aligned(n)))`, whose `sizeof` is rounded up), use
 * `struct(fields, { align: n })`.
 *
 * Throws a `RangeError` when `n` is not a positive power of two, and a `TypeError` when `S` is not
 * an instance.
 *
 * @category combinators
 * @since 0.1.0
 */
export const aligned = <S extends Storable<any>>(
  align: number | bigint,
  S: S,
): Aligned<StorableOf<S>, S> => {
  const n = checkAlignment('aligned', align);
  storableArg('aligned', S);
  const alignment = Math.max(n, S.alignment);
  const sizeOf = roundUp(S.sizeOf, alignment);
  const end = S.sizeOf;
  return {
    name: `aligned(${n}, ${S.name})`,
    sizeOf,
    alignment,
    codec: S.codec,
    layout: { tag: 'aligned', inner: S, align: n },
    read: (v, p) => S.read(v, p),
    write: (v, p, a) => {
      S.write(v, p, a);
      v.u8.fill(0, p + end, p + sizeOf);
    },
  };
};
