/**
 * Compiling layouts: the choice between code generation and the interpreter, and the lazy
 * compilation of struct, union and array instances (on their first peek, poke or check).
 *
 * The switch is {@link setLayoutCompiler}: `'auto'` (the default) generates code when the
 * environment allows `new Function` (tried once; a Content-Security-Policy without
 * `'unsafe-eval'` throws an `EvalError`) and interprets otherwise; `'interpreter'` always
 * interprets; `'codegen'` always generates (and fails where it is not allowed). A layout is
 * compiled once, on first use, with the setting of that moment.
 *
 * @since 0.1.0
 */
import * as t from 'io-ts';
import type { Views } from '../../memory/index.js';
import { type ArrayWriter, storableArg, type Storable, type Layout } from '../storable/index.js';
import { generate, generateArrayWriter } from './codegen.js';
import { interpret } from './interpret.js';

/**
 * The compiled accessors of a layout.
 *
 * @category compilers
 * @since 0.1.0
 */
export interface Compiled<A> {
  readonly read: (v: Views, p: number) => A;
  readonly write: (v: Views, p: number, a: A) => void;
  readonly is: (u: unknown) => u is A;
  /** The generated JavaScript (code generation only), for reading and debugging. */
  readonly source?: string;
}

/**
 * How layouts are compiled: see the module comment.
 *
 * @category compilers
 * @since 0.1.0
 */
export type LayoutCompiler = 'auto' | 'codegen' | 'interpreter';

const COMPILERS: ReadonlyArray<string> = ['auto', 'codegen', 'interpreter'];

let selected: LayoutCompiler = 'auto';
let generationAllowed: boolean | undefined;

/**
 * Whether this environment allows code generation (`new Function`). Tried once and remembered.
 *
 * @category compilers
 * @since 0.1.0
 */
export const codegenAvailable = (): boolean => {
  if (generationAllowed === undefined) {
    try {
      generationAllowed = new Function('return 1')() === 1;
    } catch {
      generationAllowed = false;
    }
  }
  return generationAllowed;
};

const checkCompiler = (call: string, how: unknown): LayoutCompiler => {
  if (typeof how !== 'string' || !COMPILERS.includes(how)) {
    throw new RangeError(`${call}: ${String(how)} is not one of ${COMPILERS.join(', ')}`);
  }
  return how as LayoutCompiler;
};

/**
 * Chooses how layouts compiled from now on are compiled: `'auto'` (default), `'codegen'` or
 * `'interpreter'`. Layouts already used keep their compiled code. Throws a `RangeError` for
 * any other value.
 *
 * @category compilers
 * @since 0.1.0
 */
export const setLayoutCompiler = (how: LayoutCompiler): void => {
  selected = checkCompiler('setLayoutCompiler', how);
};

/**
 * The current choice of {@link setLayoutCompiler}.
 *
 * @category compilers
 * @since 0.1.0
 */
export const getLayoutCompiler = (): LayoutCompiler => selected;

/**
 * Compiles the reader, writer and validity check of any instance, by code generation or by
 * the interpreter (default: the current {@link setLayoutCompiler} choice). Both give the same
 * bytes, values and errors. `'codegen'` throws the environment's `EvalError` where code
 * generation is not allowed, a `TypeError` when `S` is not an instance and a `RangeError` for an
 * unknown `how`.
 *
 * @category compilers
 * @since 0.1.0
 */
export const compileLayout = <A>(S: Storable<A>, how: LayoutCompiler = selected): Compiled<A> => {
  storableArg('compileLayout', S);
  return generates(checkCompiler('compileLayout', how)) ? generate(S) : interpret(S);
};

/** Whether the choice `how` generates code here. */
const generates = (how: LayoutCompiler): boolean =>
  how === 'codegen' || (how === 'auto' && codegenAvailable());

/**
 * pokeArray's compiler of checked array writers (storable/array-writer.ts): a writer generated
 * for every instance with a layout unless the interpreter is chosen or code generation is not
 * allowed (never an EvalError from pokeArray, also of a scalar under 'codegen'); `undefined`
 * for the others, which get the generic loop over the instance's `is` and `write`. The array
 * families register it when they are made (context/), so that a page without `pokeArray`
 * carries no writer generator.
 *
 * @internal
 */
export const compileArrayWriter = <A>(S: Storable<A>): ArrayWriter<A> | undefined =>
  S.layout !== undefined && selected !== 'interpreter' && codegenAvailable()
    ? generateArrayWriter(S)
    : undefined;

/**
 * The io-ts codec of a composite layout; `_tag` tells the path printer how to show its keys.
 *
 * @category compilers
 * @since 0.1.0
 */
export class LayoutType<A> extends t.Type<A, A, unknown> {
  constructor(
    name: string,
    is: (u: unknown) => u is A,
    validate: t.Validate<unknown, A>,
    readonly _tag: 'StructType' | 'UnionType' | 'FixedArrayType',
  ) {
    super(name, is, validate, t.identity);
  }
}

/** The slots of an instance that compilation fills in. */
interface Slots<A> {
  read: (v: Views, p: number) => A;
  write: (v: Views, p: number, a: A) => void;
  codec: t.Type<A, A, unknown>;
}

/**
 * An instance whose reader, writer and check are compiled on first use. `errorsOf` lists the
 * validation errors of a value the check rejected (only called then).
 *
 * @category compilers
 * @since 0.1.0
 */
export const compiledOnFirstUse = <
  A,
  X extends { name: string; sizeOf: number; alignment: number; layout: Layout },
>(
  parts: X,
  tag: 'StructType' | 'UnionType' | 'FixedArrayType',
  errorsOf: (u: unknown, c: t.Context) => t.Errors,
): X & Storable<A> => {
  const self = { ...parts } as X & Slots<A>;
  const install = (): Compiled<A> => {
    const compiled = compileLayout<A>(self as X & Storable<A>);
    self.read = compiled.read;
    self.write = compiled.write;
    (codec as { is: (u: unknown) => u is A }).is = compiled.is;
    return compiled;
  };
  const validate: t.Validate<unknown, A> = (u, c) => {
    if (codec.is(u)) return t.success(u);
    const errors = errorsOf(u, c);
    return errors.length > 0 ? t.failures(errors) : t.failure(u, c);
  };
  const codec: LayoutType<A> = new LayoutType(
    parts.name,
    (u): u is A => install().is(u),
    validate,
    tag,
  );
  self.codec = codec;
  self.read = (v, p) => install().read(v, p);
  self.write = (v, p, a) => install().write(v, p, a);
  return self as X & Storable<A>;
};
