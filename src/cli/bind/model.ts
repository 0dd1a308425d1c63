/**
 * What the binding generator knows about a header, between clang's answers and the files it
 * writes: the declarations it will write (records, typedefs, enums, constants, functions), the
 * ones it refuses and why, and the C types they use.
 *
 * @since 0.1.0
 */

/**
 * The data models the generator writes for: the clang target each is asked about, the library's
 * data model the module uses (`wasm32`, `lp64`), and its pointer and `long` sizes.
 */
export const MODELS = {
  wasm32: { target: 'wasm32-wasi', library: 'wasm32', pointer: 4, long: 4 },
  x86_64: { target: 'x86_64-linux-gnu', library: 'lp64', pointer: 8, long: 8 },
} as const;

export type ModelName = keyof typeof MODELS;

/** Other names `--model` accepts: `lp64`, the name of the data model, for `x86_64`. */
export const MODEL_ALIASES: Readonly<Record<string, ModelName>> = { lp64: 'x86_64' };

/** What `foreign-ts bind` was asked. */
export interface BindOptions {
  readonly header: string;
  readonly model: ModelName;
  /** The clang program. Default `clang`. */
  readonly clang?: string;
  /** The target triple; default the model's (`wasm32-wasi`, `x86_64-linux-gnu`). */
  readonly target?: string;
  /** -I, -D, -U, -isystem, -idirafter, -include and any --clang-arg, in order. */
  readonly clangArgs?: readonly string[];
  /**
   * Other headers (included by the header) whose macros are written too: the header's own are
   * always written, those of the headers it includes only when named here.
   */
  readonly macrosOf?: readonly string[];
  /** Write `char[n]` members as `chars(n)` (UTF-8 text) instead of `array(m.CChar, n)`. */
  readonly chars?: boolean;
}

/** The integer and float instances of the library a C scalar type is, by its clang spelling. */
export interface ScalarRef {
  readonly t: 'scalar';
  /** The TypeScript expression of the instance: `m.CInt` (of the data model) or `Int32`. */
  readonly expr: string;
  /** The value type: `number` or `bigint`. */
  readonly ts: 'number' | 'bigint';
  /** Bytes, and whether it is signed (`_Bool`: unsigned), for bit-fields and checks. */
  readonly size: number;
  readonly signed: boolean;
  readonly float: boolean;
}

/**
 * A C type as the generated module writes it: a scalar instance, a declaration of the module
 * (by its TypeScript name), a data pointer, a function pointer, or a fixed array.
 */
export type TypeRef =
  | ScalarRef
  | { readonly t: 'decl'; readonly name: string }
  | { readonly t: 'pointer'; readonly to: Pointee }
  | { readonly t: 'funptr'; readonly fn: FunctionType | undefined }
  | { readonly t: 'array'; readonly of: TypeRef; readonly length: number }
  | { readonly t: 'chars'; readonly length: number };

/** What a pointer points to: `void`, a record (by clang's id), or another type. */
export type Pointee =
  | { readonly t: 'void' }
  | { readonly t: 'record'; readonly id: string }
  | { readonly t: 'type'; readonly type: TypeRef }
  | { readonly t: 'unknown' };

/** A function type: its result (`undefined`: void) and parameters. */
export interface FunctionType {
  readonly result: TypeRef | undefined;
  readonly params: readonly TypeRef[];
  readonly variadic: boolean;
}

/** A member of a struct or union. */
export type MemberIR =
  | { readonly m: 'field'; readonly name: string; readonly type: TypeRef; readonly align?: number }
  | {
      readonly m: 'bits';
      readonly name: string | undefined;
      readonly type: ScalarRef;
      readonly width: number;
    }
  | { readonly m: 'anonymous'; readonly record: RecordIR }
  | { readonly m: 'flexible'; readonly name: string; readonly type: TypeRef };

/** A struct or union. */
export interface RecordIR {
  readonly d: 'record';
  /** clang's id of the declaration. */
  readonly id: string;
  readonly name: string;
  /** How C names it (`struct z_stream_s`, `SDL_Event`), for comments and messages. */
  readonly cName: string;
  /** A C type name for sizeof/offsetof in the check program; `undefined` for anonymous ones. */
  readonly spelling: string | undefined;
  readonly tag: 'struct' | 'union';
  readonly packed: boolean;
  readonly align: number | undefined;
  readonly members: readonly MemberIR[];
  readonly where: string;
}

export interface TypedefIR {
  readonly d: 'typedef';
  readonly id: string;
  /** The TypeScript name (the C name, with a `_` when JavaScript reserves it). */
  readonly name: string;
  /** The C name. */
  readonly cName: string;
  readonly type: TypeRef;
  readonly where: string;
}

export interface EnumIR {
  readonly d: 'enum';
  readonly id: string;
  /** The enumeration instance's name; `undefined` for an enum with no tag nor typedef name. */
  readonly name: string | undefined;
  readonly cName: string;
  readonly spelling: string | undefined;
  readonly base: ScalarRef | undefined;
  readonly constants: ReadonlyArray<readonly [string, bigint]>;
  readonly where: string;
}

/**
 * A constant: an integer (an enumerator, or a macro that is an integer constant expression), a
 * floating constant (a macro that expands to a `float` or `double` literal) or a string (a macro
 * that expands to string literals).
 */
export type ConstantIR = IntegerConstantIR | FloatConstantIR | StringConstantIR;

export interface IntegerConstantIR {
  readonly d: 'constant';
  readonly c: 'integer';
  readonly name: string;
  readonly value: bigint;
  readonly type: ScalarRef;
  /** The C type clang gave the expression. */
  readonly ctype: string;
  readonly from: 'macro' | 'enum';
  readonly where: string;
}

export interface FloatConstantIR {
  readonly d: 'constant';
  readonly c: 'float';
  readonly name: string;
  /** The value, rounded to the type (a `float` constant is its `Math.fround`). */
  readonly value: number;
  /** The macro's expansion, as clang's preprocessor wrote it. */
  readonly text: string;
  readonly ctype: 'float' | 'double';
  readonly where: string;
}

export interface StringConstantIR {
  readonly d: 'constant';
  readonly c: 'string';
  readonly name: string;
  /** The text, decoded from the UTF-8 bytes of the literal (without its NUL). */
  readonly value: string;
  /** The bytes of the literal without the NUL (`sizeof` less one), as clang counts them. */
  readonly bytes: number;
  readonly text: string;
  readonly where: string;
}

export interface FunctionIR {
  readonly d: 'function';
  readonly id: string;
  readonly name: string;
  /** clang's spelling of the function type: `int (z_streamp, int)`. */
  readonly ctype: string;
  readonly result: TypeRef | undefined;
  readonly resultC: string;
  readonly params: ReadonlyArray<{
    readonly name: string;
    readonly c: string;
    readonly type: TypeRef;
  }>;
  readonly variadic: boolean;
  readonly where: string;
}

/** An opaque type: a record the module only points to (incomplete, or of another header). */
export interface OpaqueIR {
  readonly d: 'opaque';
  readonly id: string;
  readonly name: string;
  readonly cName: string;
}

/** A declaration the generator does not write, and why. */
export interface RefusedIR {
  readonly d: 'refused';
  readonly what: string;
  readonly why: string;
  readonly where: string;
}

export type DeclIR = RecordIR | TypedefIR | EnumIR | ConstantIR | FunctionIR | OpaqueIR;

/** Everything the generator found in one header for one data model. */
export interface Bindings {
  readonly header: string;
  readonly model: ModelName;
  readonly target: string;
  /** The declarations to write, in an order where each comes after what it uses by value. */
  readonly decls: readonly DeclIR[];
  readonly refused: readonly RefusedIR[];
  /** Object-like macros of the header that are not integer constants, by reason. */
  readonly otherMacros: ReadonlyArray<readonly [string, string]>;
  /** Function-like macros of the header (not bound). */
  readonly functionMacros: readonly string[];
  /** The clang arguments that select the header's configuration (-I, -D, …), for the comment. */
  readonly clangArgs: readonly string[];
}

/** How many declarations of each kind a module of `b` writes (an enumeration: an enum with a name). */
export const census = (
  b: Bindings,
): Readonly<
  Record<'records' | 'typedefs' | 'enumerations' | 'constants' | 'functions' | 'opaque', number>
> => {
  const count = (k: DeclIR['d']): number => b.decls.filter((d) => d.d === k).length;
  return {
    records: count('record'),
    typedefs: count('typedef'),
    enumerations: b.decls.filter((d) => d.d === 'enum' && d.name !== undefined).length,
    constants: count('constant'),
    functions: count('function'),
    opaque: count('opaque'),
  };
};

/** Every name the value of a record has, its anonymous members' included. */
const valueNames = (r: RecordIR): string[] =>
  r.members.flatMap((m) =>
    m.m === 'anonymous' ? valueNames(m.record) : m.name === undefined ? [] : [m.name],
  );

/**
 * The key of each member of `r` in the fields object given to `struct` or `union`: the member's
 * name, or for an unnamed bit-field and an anonymous member `_0`, `_1`, … (names the value does
 * not have).
 */
export const memberKeys = (r: RecordIR): string[] => {
  const used = new Set(valueNames(r));
  let n = 0;
  const fresh = (): string => {
    while (used.has(`_${n}`)) n++;
    used.add(`_${n}`);
    return `_${n}`;
  };
  return r.members.map((m) =>
    m.m === 'anonymous' || (m.m === 'bits' && m.name === undefined) ? fresh() : (m.name as string),
  );
};

/** An error of `foreign-ts bind` that is not clang's (a file, a data model): the message says what to do. */
export class BindError extends Error {
  override readonly name = 'BindError';
}

/** A refusal: thrown inside the translation of one declaration, caught at its top. */
export class Refusal extends Error {
  override readonly name = 'Refusal';
}

/** Throws a {@link Refusal} with `why`. */
export const refuse = (why: string): never => {
  throw new Refusal(why);
};
