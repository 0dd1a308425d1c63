/**
 * The checked array writer of an instance: one pass that checks each element and writes it,
 * for `pokeArray`. The layout compilers give a compiled writer for the layouts they know
 * (layout/compile.ts's `compileArrayWriter`, which the array families register when they are
 * made, context/marshal-arrays.ts: a straight-line check and write of one element inside the
 * loop, so that nothing is called per element or per member); every other instance gets the
 * generic loop over its `codec.is` and `write`.
 *
 * A writer stops at the first element that does not fit and returns its index: the elements
 * before it are written, it and those after are not. Keeping memory unchanged on that error is
 * the caller's part (`pokeArray` restores a snapshot of the bytes).
 *
 * @since 0.1.0
 */
import type { Views } from '../../memory/index.js';
import type { Storable } from './instance.js';

/**
 * Writes `xs[0..n)` at `p`, `p + sizeOf`, …, each checked before it is written; returns -1 when
 * all are written, or the index of the first element that does not fit (nothing written from
 * it on). `v` must reach all `n * sizeOf` bytes.
 *
 * @internal
 */
export type ArrayWriter<A> = (v: Views, p: number, xs: readonly A[], n: number) => number;

/** A compiler of array writers: `undefined` for an instance it does not compile. */
type ArrayWriterCompiler = <A>(S: Storable<A>) => ArrayWriter<A> | undefined;

let compiler: ArrayWriterCompiler | undefined;
const writers = new WeakMap<Storable<any>, ArrayWriter<any>>();

/**
 * Records the compiler of array writers: called by each array family as it is made.
 *
 * @internal
 */
export const registerArrayWriters = (compile: ArrayWriterCompiler): void => {
  compiler = compile;
};

/** The generic writer: the instance's own check and write, element by element. */
const genericWriter =
  <A>(S: Storable<A>): ArrayWriter<A> =>
  (v, p, xs, n) => {
    const size = S.sizeOf;
    // Property reads in the loop, not cached functions: a layout installs its compiled `is`
    // and `write` on first use.
    for (let i = 0; i < n; i++) {
      const x = xs[i] as A;
      if (!S.codec.is(x)) return i;
      S.write(v, p + i * size, x);
    }
    return -1;
  };

/**
 * The array writer of `S`, made on first use and kept: the registered compiler's when it
 * compiles `S`, the generic loop otherwise.
 *
 * @internal
 */
export const arrayWriterOf = <A>(S: Storable<A>): ArrayWriter<A> => {
  let writer = writers.get(S) as ArrayWriter<A> | undefined;
  if (writer === undefined) {
    writer = compiler?.(S) ?? genericWriter(S);
    writers.set(S, writer);
  }
  return writer;
};
