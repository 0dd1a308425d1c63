/// <reference types="node" />
/**
 * The generator's questions to clang, and the reading of its answers:
 *
 * - the declarations: `-Xclang -ast-dump=json -fsyntax-only` (clang's JSON AST); locations in it
 *   are written as differences from the previous one (a `file` or `line` only when it changes),
 *   so {@link readAst} resolves each to its file and line, in the order they were written;
 * - the macros: `-E -dD` (the preprocessed text keeps every `#define`, after line markers that
 *   say which file it is in);
 * - the layouts: `-Xclang -fdump-record-layouts-simple`, clang's own record layout engine (size,
 *   alignment and the bit offset of every field, bit-fields included), for the generator's check
 *   of every layout it writes;
 * - and how the generator reads a type tree of the AST: without its sugar ({@link strip}), a
 *   parameter as C adjusts it ({@link decayed}), the constant under an expression.
 *
 * @since 0.1.0
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** A node of clang's JSON AST (declarations, types and expressions alike). */
export interface Node {
  readonly id?: string;
  readonly kind: string;
  readonly name?: string;
  readonly loc?: Loc;
  readonly type?: {
    readonly qualType: string;
    readonly desugaredQualType?: string;
    readonly typeAliasDeclId?: string;
  };
  readonly inner?: readonly Node[];
  readonly [key: string]: unknown;
}

/** A location, with the file and line resolved by {@link readAst}. */
export interface Loc {
  readonly offset?: number;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly spellingLoc?: Loc;
  readonly expansionLoc?: Loc;
  /** The file it is in (resolved). */
  resolvedFile?: string;
  resolvedLine?: number;
}

/** clang failed: its diagnostics are the message. */
export class ClangError extends Error {
  override readonly name = 'ClangError';
}

/**
 * Runs clang with `args`; returns its standard output, or throws a {@link ClangError}. With
 * `errorsExpected` (the probes, some of which are meant to fail) a failure that still printed
 * its output is an answer.
 */
export const runClang = (
  clang: string,
  args: readonly string[],
  what: string,
  errorsExpected = false,
): string => {
  const result = spawnSync(clang, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, LC_ALL: 'C' },
  });
  if (result.error !== undefined) {
    throw new ClangError(
      `cannot run ${clang} (${result.error.message}); install clang (Debian: apt-get install clang) or pass --clang PATH`,
    );
  }
  if (errorsExpected && result.status === 1 && result.stdout !== '') return result.stdout;
  if (result.status !== 0) {
    const diagnostics = result.stderr
      .split('\n')
      .filter((l) => l !== '')
      .slice(0, 20);
    throw new ClangError(
      `clang failed on ${what} (exit ${result.status}):\n${diagnostics.join('\n')}`,
    );
  }
  return result.stdout;
};

// -------------------------------------------------------------------------------------------
// the AST
// -------------------------------------------------------------------------------------------

/**
 * Calls `f` on every object in a JSON value (through arrays), depth first, keys in order; when
 * `f` returns `false`, what is inside that object is not visited.
 */
const eachObject = (value: unknown, f: (o: Record<string, unknown>) => boolean): void => {
  if (Array.isArray(value)) {
    for (const v of value) eachObject(v, f);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const o = value as Record<string, unknown>;
  if (f(o)) for (const key of Object.keys(o)) eachObject(o[key], f);
};

const isBareLoc = (o: Record<string, unknown>): boolean =>
  'offset' in o && ('col' in o || 'tokLen' in o);

/**
 * Parses clang's JSON AST and resolves every location's file and line (written only when they
 * change, in the order the dumper wrote them: depth first, keys in order).
 */
export const readAst = (json: string): Node => {
  const root = JSON.parse(json) as Node;
  let file: string | undefined;
  let line: number | undefined;
  eachObject(root, (o) => {
    if (!isBareLoc(o)) return true;
    if (typeof o.file === 'string') file = o.file;
    if (typeof o.line === 'number') line = o.line;
    o.resolvedFile = file;
    o.resolvedLine = line;
    return false;
  });
  return root;
};

/**
 * Gives every declaration of `root` an id that is the same in every run of clang on the same
 * sources (clang's ids are addresses, new in every run): its kind and where it is (file and
 * offsets), or its name for the declarations with no location (clang's builtins). References to
 * declarations (`decl.id`, `typeAliasDeclId`) are rewritten to match.
 */
export const stabilizeIds = (root: Node): void => {
  const map = new Map<string, string>();
  // The declarations are the tree of `inner` (a `decl` elsewhere is a reference to one).
  const declarations = (o: Record<string, unknown>): boolean => {
    if (typeof o.id === 'string' && typeof o.kind === 'string' && o.kind.endsWith('Decl')) {
      const loc = o.loc as Loc | undefined;
      const at = loc?.expansionLoc ?? loc;
      const key =
        at?.resolvedFile === undefined
          ? `${o.kind}:builtin:${String(o.name)}`
          : `${o.kind}:${at.resolvedFile}:${at.offset}:${loc?.spellingLoc?.offset ?? ''}`;
      map.set(o.id, key);
    }
    eachObject(o.inner, declarations);
    return false;
  };
  eachObject(root, declarations);
  eachObject(root, (o) => {
    for (const key of ['id', 'typeAliasDeclId']) {
      const stable = typeof o[key] === 'string' ? map.get(o[key]) : undefined;
      if (stable !== undefined) o[key] = stable;
    }
    return true;
  });
};

/** Where a declaration is: its expansion location's file and line (a macro's use, not its body). */
export const whereOf = (node: Node): { file: string | undefined; line: number | undefined } => {
  const loc = node.loc;
  const at = loc?.expansionLoc ?? loc;
  return { file: at?.resolvedFile, line: at?.resolvedLine };
};

/** The kinds of type node that are sugar over the type inside them. */
const SUGAR = new Set([
  'QualType',
  'ParenType',
  'AttributedType',
  'MacroQualifiedType',
  'ElaboratedType',
  'TypeOfType',
  'BTFTagAttributedType',
]);

/** The first `ConstantExpr` under `node` (an enumerator's value, under implicit casts). */
export const firstConstant = (node: Node | undefined): Node | undefined => {
  for (const n of node?.inner ?? []) {
    if (n.kind === 'ConstantExpr') return n;
    const deeper = firstConstant(n);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
};

/** A type tree without its sugar (qualifiers, parentheses, attributes, `struct` keywords). */
export const strip = (node: Node): Node => {
  let t = node;
  while (SUGAR.has(t.kind) && t.inner?.[0] !== undefined) t = t.inner[0];
  return t;
};

/** A parameter's type after C's adjustments (arrays and functions become pointers). */
export const decayed = (node: Node): Node =>
  node.kind === 'DecayedType' ? (node.inner?.[1] as Node) : node;

/** The builtin type a typedef's underlying type is, through other typedefs. */
export const builtinSpelling = (node: Node | undefined): string | undefined => {
  let t = node === undefined ? undefined : strip(node);
  while (t?.kind === 'TypedefType') t = t.inner?.[0] === undefined ? undefined : strip(t.inner[0]);
  return t?.kind === 'BuiltinType' ? t.type?.qualType : undefined;
};

/** The record or enum a typedef names directly (`typedef struct X Y;`), by id. */
export const directTag = (typedef: Node): string | undefined => {
  const t = typedef.inner?.[0];
  const s = t === undefined ? undefined : strip(t);
  return s?.kind === 'RecordType' || s?.kind === 'EnumType'
    ? (s.decl as { id: string }).id
    : undefined;
};

// -------------------------------------------------------------------------------------------
// macros
// -------------------------------------------------------------------------------------------

/** An object-like macro: its name, its replacement text, and where it is defined. */
export interface Macro {
  readonly name: string;
  readonly body: string;
  readonly file: string;
  readonly line: number;
}

/**
 * The macros defined in one of `files` (absolute paths) that are still defined at the end,
 * from clang's `-E -dD` output: object-like ones with their bodies, and the names of
 * function-like ones. A macro redefined or `#undef`ined in another file afterwards is not one of
 * them.
 */
export const readMacros = (
  text: string,
  files: ReadonlySet<string>,
): { objects: Macro[]; functions: string[] } => {
  const objects = new Map<string, Macro>();
  const functions = new Set<string>();
  let current = '';
  let mine = false;
  let line = 0;
  for (const raw of text.split('\n')) {
    const marker = /^# (\d+) "((?:[^"\\]|\\.)*)"/.exec(raw);
    if (marker !== null) {
      line = Number(marker[1]) - 1;
      current = JSON.parse(`"${marker[2]}"`) as string;
      mine = files.has(resolve(current));
      continue;
    }
    line++;
    const define = /^#define ([A-Za-z_$][\w$]*)(\(?)(.*)$/.exec(raw);
    const undef = define === null ? /^#undef ([A-Za-z_$][\w$]*)/.exec(raw) : null;
    const name = define?.[1] ?? undef?.[1];
    if (name === undefined) continue;
    objects.delete(name);
    functions.delete(name);
    if (define === null || !mine) continue;
    if (define[2] === '(') functions.add(name);
    else objects.set(name, { name, body: (define[3] as string).trim(), file: current, line });
  }
  return { objects: [...objects.values()], functions: [...functions] };
};

/**
 * Why the body of an object-like macro cannot be a constant expression that is safe to hand to
 * clang inside `(…)` in a probe, or `undefined` when it may be one.
 */
export const macroProblem = (body: string): string | undefined => {
  if (body === '') return 'empty';
  const code = body.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
  if (/[{};#]/.test(code)) return 'not an expression';
  let depth = 0;
  for (const c of code) {
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') depth--;
    if (depth < 0) return 'not an expression';
  }
  return depth === 0 ? undefined : 'not an expression';
};

// -------------------------------------------------------------------------------------------
// record layouts
// -------------------------------------------------------------------------------------------

/** clang's layout of one record, in bits. */
export interface RecordLayoutDump {
  readonly type: string;
  readonly size: number;
  readonly align: number;
  readonly fieldOffsets: readonly number[];
}

/** The records of clang's `-fdump-record-layouts-simple` output. */
export const readLayouts = (text: string): RecordLayoutDump[] => {
  const out: RecordLayoutDump[] = [];
  for (const block of text.split('*** Dumping AST Record Layout').slice(1)) {
    const type = /^Type: (.*)$/m.exec(block)?.[1];
    const size = /^\s*Size:(\d+)$/m.exec(block)?.[1];
    const align = /^\s*Alignment:(\d+)$/m.exec(block)?.[1];
    const offsets = /FieldOffsets: \[([^\]]*)\]/.exec(block)?.[1];
    if (type === undefined || size === undefined || align === undefined || offsets === undefined)
      continue;
    out.push({
      type,
      size: Number(size),
      align: Number(align),
      fieldOffsets: offsets.trim() === '' ? [] : offsets.split(',').map((s) => Number(s.trim())),
    });
  }
  return out;
};
