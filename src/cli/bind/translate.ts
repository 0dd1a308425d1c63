/// <reference types="node" />
/**
 * From a header to {@link Bindings}: asks clang for the declarations, the macros and, through a
 * probe file, the C type of every member and function (clang's JSON AST spells member types only
 * as text; `typedef __typeof__(((T *)0)->f) probe;` gives their tree), the value and type of every
 * macro that is an integer constant expression (`enum { probe = (NAME) };`: clang evaluates it,
 * and refuses what is not one), and the sizes of enums and typedefs.
 *
 * What it writes: the declarations of the header itself (its own file), and those of other
 * headers that they use by value (a member's struct, a typedef); a record of another header that
 * is only pointed to is an opaque type. Anything it cannot express is refused with a reason.
 *
 * @since 0.1.0
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  ClangError,
  readAst,
  readLayouts,
  readMacros,
  runClang,
  stabilizeIds,
  whereOf,
  type Node,
  type RecordLayoutDump,
} from './clang.js';
import {
  BindError,
  MODELS,
  Refusal,
  refuse,
  type Bindings,
  type ConstantIR,
  type DeclIR,
  type EnumIR,
  type FunctionIR,
  type FunctionType,
  type MemberIR,
  type ModelName,
  type Pointee,
  type RecordIR,
  type RefusedIR,
  type ScalarRef,
  type TypeRef,
  type TypedefIR,
} from './model.js';
import { UNSUPPORTED_BUILTINS, builtinScalar, integerScalar, standardScalar } from './scalars.js';
import { macroConstants, probeMacros, type MacroContext } from './macros.js';
import { verify, type VerifyContext } from './verify.js';

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

/** Words JavaScript or the generated module itself reserve: C names that are these get a `_`. */
const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval undefined NaN Infinity Object Array Number String ' +
    'BigInt Symbol m functions types constants'
  ).split(' '),
);

const SUGAR = new Set([
  'QualType',
  'ParenType',
  'AttributedType',
  'MacroQualifiedType',
  'ElaboratedType',
  'TypeOfType',
  'BTFTagAttributedType',
]);

/** Harmless attributes of records; the others are refused (layout ones) or checked. */
const REFUSED_RECORD_ATTRS: Readonly<Record<string, string>> = {
  MaxFieldAlignmentAttr: '#pragma pack, which the layout combinators cannot express',
  MSStructAttr: 'ms_struct, which the layout combinators cannot express',
  RandomizeLayoutAttr: 'randomize_layout',
};

interface Probe {
  readonly line: string;
}

/** The collection of one header for one model: clang's answers and what they become. */
class Collector implements VerifyContext, MacroContext {
  readonly model: ModelName;
  readonly header: string;
  readonly clang: string;
  readonly target: string;
  readonly args: readonly string[];
  readonly chars: boolean;
  /** The header's absolute path: the probe file includes it by that name. */
  readonly resolved: string;

  ast!: Node;
  /** Every record, enum, typedef and function declaration, by id. */
  readonly byId = new Map<string, Node>();
  /** The record holding a nested record, and the member (implicit for anonymous ones). */
  readonly parentOf = new Map<string, { parent: string; field: Node | undefined }>();
  /** The TypeScript name of each declaration. */
  readonly names = new Map<string, string>();
  /** The typedef that names an unnamed record or enum. */
  readonly typedefName = new Map<string, string>();

  readonly probes: Probe[] = [];
  readonly probeOf = new Map<string, number>();
  probeAst: Node | undefined;
  readonly probeResults = new Map<string, Node>();

  /** Declarations translated, by id; refusals by id. */
  readonly decls = new Map<string, DeclIR>();
  readonly refusedIds = new Map<string, RefusedIR>();
  readonly deps = new Map<string, Set<string>>();
  readonly pending: string[] = [];
  readonly wanted = new Set<string>();
  readonly refused: RefusedIR[] = [];
  readonly constants: ConstantIR[] = [];
  otherMacros: Array<readonly [string, string]> = [];
  functionMacros: string[] = [];

  constructor(o: BindOptions) {
    this.model = o.model;
    this.header = o.header;
    this.clang = o.clang ?? 'clang';
    this.target = o.target ?? MODELS[o.model].target;
    this.args = o.clangArgs ?? [];
    this.chars = o.chars === true;
    this.resolved = resolve(o.header);
  }

  base(): string[] {
    return [`--target=${this.target}`, '-x', 'c', ...this.args];
  }

  // ---------------------------------------------------------------------------------------
  // clang

  /** Indexes the declarations of `ast` (a run on the probe file, which includes the header). */
  index(ast: Node): void {
    this.ast = ast;
    this.byId.clear();
    this.parentOf.clear();
    this.typedefName.clear();
    const index = (node: Node, parent: string | undefined): void => {
      const inner = node.inner ?? [];
      inner.forEach((child, i) => {
        if (child.id === undefined) return;
        if (/^(Record|Enum|Typedef|Function)Decl$/.test(child.kind)) {
          if (!this.byId.has(child.id) || child.kind === 'RecordDecl')
            this.byId.set(child.id, child);
        }
        if (child.kind === 'RecordDecl') {
          if (parent !== undefined) {
            const next = inner.slice(i + 1).find((n) => n.kind === 'FieldDecl');
            this.parentOf.set(child.id, { parent, field: next });
          }
          index(child, child.id);
        }
      });
    };
    index(this.ast, undefined);
    for (const node of this.ast.inner ?? []) {
      if (node.kind !== 'TypedefDecl' || node.name === undefined) continue;
      const target = directTag(node);
      if (target !== undefined && !this.typedefName.has(target)) {
        const decl = this.byId.get(target);
        if (decl !== undefined && decl.name === undefined) this.typedefName.set(target, node.name);
      }
    }
  }

  /**
   * Runs clang with `flags` on a file of `source` in a scratch directory; returns its output.
   * Errors are answers (some probes are meant to fail), unless `strict`: then they are a
   * `ClangError` with clang's diagnostics (less the lines about the scratch file).
   */
  onFile(source: string, flags: readonly string[], what: string, strict = false): string {
    const dir = mkdtempSync(join(tmpdir(), 'foreign-ts-bind-'));
    const file = join(dir, 'probe.c');
    try {
      writeFileSync(file, source);
      return runClang(this.clang, [...this.base(), ...flags, file], what, !strict);
    } catch (e) {
      if (!(e instanceof ClangError)) throw e;
      throw new ClangError(
        e.message
          .split('\n')
          .filter((l) => !l.includes(file))
          .join('\n'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Whether the header has been parsed once with no error (the first run of the probes). */
  parsed = false;

  /**
   * Runs clang on the probe file with `flags`; returns its output. The first run, before any
   * probe is added, is the check that the header parses: an error there is a `ClangError`.
   */
  onProbes(flags: readonly string[]): string {
    const strict = !this.parsed;
    const out = this.onFile(
      this.probeSource(),
      ['-fsyntax-only', '-Wno-everything', '-ferror-limit=0', ...flags],
      strict ? this.header : `the probes of ${this.header}`,
      strict,
    );
    this.parsed = true;
    return out;
  }

  expansions(names: readonly string[]): Map<string, string> {
    const source = [
      `#include "${this.resolved}"`,
      ...names.map((n, i) => `__fb_x_${i} ${n}`),
      '',
    ].join('\n');
    const text = this.onFile(
      source,
      ['-E', '-P', '-Wno-everything'],
      `the macros of ${this.header}`,
    );
    const out = new Map<string, string>();
    for (const line of text.split('\n')) {
      const x = /^__fb_x_(\d+)(?: (.*))?$/.exec(line);
      const name = x === null ? undefined : names[Number(x[1])];
      if (x !== null && name !== undefined) out.set(name, (x[2] ?? '').trim());
    }
    return out;
  }

  /** Asks clang about every probe so far; the results are `probeResults` by probe name. */
  runProbes(): void {
    {
      const json = this.onProbes(['-Xclang', '-ast-dump=json']);
      this.probeAst = readAst(json);
      stabilizeIds(this.probeAst);
      this.index(this.probeAst);
      this.probeResults.clear();
      for (const node of this.probeAst.inner ?? []) {
        if (node.kind === 'TypedefDecl' && node.name?.startsWith('__fb_')) {
          this.probeResults.set(node.name, node);
        }
        if (node.kind === 'EnumDecl') {
          for (const e of node.inner ?? []) {
            if (e.name?.startsWith('__fb_')) this.probeResults.set(e.name, e);
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // what the check (verify.ts) asks

  layouts(): RecordLayoutDump[] {
    return readLayouts(this.onProbes(['-Xclang', '-fdump-record-layouts-simple']));
  }

  probed(key: string): bigint | undefined {
    const n = this.probeOf.get(key);
    return n === undefined ? undefined : this.probedValue(`__fb_${n}`)?.value;
  }

  cNameOf(id: string): string {
    return this.byId.has(id) ? this.describe(this.byId.get(id) as Node) : id;
  }

  recordKeys(id: string): string[] {
    const node = this.byId.get(id) as Node;
    const keys: string[] = [];
    if (node.name !== undefined) keys.push(`${node.tagUsed as string} ${node.name}`);
    const alias = this.typedefName.get(id);
    if (alias !== undefined) keys.push(alias);
    for (const loc of [node.loc?.expansionLoc, node.loc?.spellingLoc, node.loc]) {
      if (loc?.resolvedFile !== undefined && loc.col !== undefined)
        keys.push(`${loc.resolvedFile}:${loc.resolvedLine}:${loc.col}`);
    }
    return keys;
  }

  /** The probe file: the header, then one line per probe. */
  probeSource(): string {
    return [
      `#include "${this.resolved}"`,
      'enum { __fb_pointer = sizeof(void *), __fb_long = sizeof(long) };',
      ...this.probes.map((p) => p.line),
      '',
    ].join('\n');
  }

  /** Adds a probe (once per key); returns its name. */
  probe(key: string, make: (name: string) => string): string {
    const known = this.probeOf.get(key);
    if (known !== undefined) return `__fb_${known}`;
    const n = this.probes.length;
    this.probeOf.set(key, n);
    this.probes.push({ line: make(`__fb_${n}`) });
    return `__fb_${n}`;
  }

  /** The type tree a type probe gave, or `undefined` when it has not run yet. */
  probedType(name: string): Node | undefined {
    const node = this.probeResults.get(name);
    const t = node?.inner?.[0];
    return t?.kind === 'TypeOfExprType' ? t.inner?.[t.inner.length - 1] : t;
  }

  /** The value a constant probe gave (and its type), or `undefined` when it is not a constant. */
  probedValue(name: string): { value: bigint; type: string } | undefined {
    const c = firstConstant(this.probeResults.get(name));
    if (c === undefined || typeof c.value !== 'string') return undefined;
    return { value: BigInt(c.value), type: c.type?.desugaredQualType ?? c.type?.qualType ?? '' };
  }

  // ---------------------------------------------------------------------------------------
  // names

  /** Where a declaration is, with the header's path as it was given (not resolved). */
  where(node: Node): string {
    const { file, line } = whereOf(node);
    return file === undefined ? '' : `${this.shown(file)}${line === undefined ? '' : `:${line}`}`;
  }

  /**
   * A file's path as the module shows it: the header as it was given, a file in the working
   * directory relative to it (the output does not depend on where a checkout is), others as
   * clang found them.
   */
  shown(file: string): string {
    const absolute = resolve(file);
    if (absolute === this.resolved) return this.header;
    const inside = relative(process.cwd(), absolute);
    return inside.startsWith('..') || isAbsolute(inside) ? file : inside;
  }

  inHeader(node: Node): boolean {
    return whereOf(node).file === this.resolved;
  }

  assignNames(ordinary: Set<string>): void {
    const taken = new Set<string>();
    const free = (name: string): string => {
      let n = RESERVED.has(name) ? `${name}_` : name;
      while (taken.has(n)) n = `${n}_`;
      taken.add(n);
      return n;
    };
    // Typedefs first (they are the names C programs use), then tags, then nested records.
    for (const [id, node] of this.byId) {
      if (node.kind !== 'TypedefDecl' || node.name === undefined) continue;
      const target = directTag(node);
      if (target !== undefined && this.typedefName.get(target) === node.name) continue;
      if (target !== undefined && this.byId.get(target)?.name === node.name) continue;
      this.names.set(id, free(node.name));
    }
    const tags = new Map<string, string>();
    for (const [id, node] of this.byId) {
      if (node.kind !== 'RecordDecl' && node.kind !== 'EnumDecl') continue;
      const tag = node.kind === 'EnumDecl' ? 'enum' : (node.tagUsed as string);
      const alias = this.typedefName.get(id);
      if (node.name !== undefined) {
        // Every declaration of one tag (`struct X;` then `struct X { … }`) has one name.
        const known = tags.get(`${tag} ${node.name}`);
        const clash = ordinary.has(node.name) && !this.isSameTypedef(node.name, id);
        const name = known ?? free(clash ? `${tag}_${node.name}` : node.name);
        tags.set(`${tag} ${node.name}`, name);
        this.names.set(id, name);
      } else if (alias !== undefined) this.names.set(id, free(alias));
    }
    for (const [id, node] of this.byId) {
      if (node.kind !== 'RecordDecl' || this.names.has(id)) continue;
      const p = this.parentOf.get(id);
      if (p?.field?.name !== undefined && !p.field.isImplicit) {
        this.names.set(id, free(`${this.names.get(p.parent) ?? 'anonymous'}_${p.field.name}`));
      }
    }
  }

  /** Whether the typedef called `name` (if any) names the tag declared by `id`. */
  isSameTypedef(name: string, id: string): boolean {
    const decl = this.byId.get(id) as Node;
    for (const node of this.byId.values()) {
      if (node.kind !== 'TypedefDecl' || node.name !== name) continue;
      const target = directTag(node);
      const t = target === undefined ? undefined : this.byId.get(target);
      return t?.name === decl.name && t?.kind === decl.kind && t?.tagUsed === decl.tagUsed;
    }
    return true;
  }

  nameOf(id: string): string {
    return this.names.get(id) ?? refuse('a declaration with no name that C code could write');
  }

  /** The name of a record for an opaque pointee, or `undefined` when it has none. */
  pointeeName(id: string): string | undefined {
    return this.names.get(id);
  }

  /** How C writes the record or enum with this id (`struct tm`, `SDL_Event`). */
  cName(id: string): string {
    const node = this.byId.get(id) as Node;
    const tag = node.kind === 'EnumDecl' ? 'enum' : (node.tagUsed as string);
    if (node.name !== undefined) return `${tag} ${node.name}`;
    const alias = this.typedefName.get(id);
    if (alias !== undefined) return alias;
    const p = this.parentOf.get(id);
    const parent = p === undefined ? 'a declaration' : this.cName(p.parent);
    return p?.field?.name !== undefined && p.field.isImplicit !== true
      ? `the ${tag} of ${parent}.${p.field.name}`
      : `an anonymous ${tag} in ${parent}`;
  }

  // ---------------------------------------------------------------------------------------
  // access to records from C (for the probes)

  isAnonymousRecord(id: string): boolean {
    const f = this.parentOf.get(id)?.field;
    return f !== undefined && f.isImplicit === true && f.name === undefined;
  }

  /** A C type name for the record or enum `id`, or `undefined` when no C code can write one. */
  spelling(id: string): string | undefined {
    const node = this.byId.get(id) as Node;
    const tag = node.kind === 'EnumDecl' ? 'enum' : (node.tagUsed as string);
    if (node.name !== undefined) return `${tag} ${node.name}`;
    const alias = this.typedefName.get(id);
    if (alias !== undefined) return alias;
    const p = this.parentOf.get(id);
    if (p === undefined || this.isAnonymousRecord(id) || p.field?.name === undefined)
      return undefined;
    const member = this.member(p.parent, p.field.name);
    if (member === undefined) return undefined;
    const dims = /((?:\[\d*\])*)$/.exec(p.field.type?.qualType ?? '')?.[1] ?? '';
    return `__typeof__(${member}${'[0]'.repeat((dims.match(/\[/g) ?? []).length)})`;
  }

  /** A C expression for member `f` of a record `id` at address 0, or `undefined`. */
  member(id: string, f: string): string | undefined {
    if (this.isAnonymousRecord(id)) {
      const p = this.parentOf.get(id) as { parent: string };
      return this.member(p.parent, f);
    }
    const s = this.spelling(id);
    return s === undefined ? undefined : `((${s} *)0)->${f}`;
  }

  // ---------------------------------------------------------------------------------------
  // types

  /** The type a tree of clang's denotes; `deps` gets what is used by value. */
  typeRef(node: Node, deps: Set<string>): TypeRef {
    const t = strip(node);
    switch (t.kind) {
      case 'BuiltinType': {
        const spelling = t.type?.qualType ?? '';
        const s = builtinScalar(spelling, this.model);
        if (s !== undefined) return s;
        return refuse(
          spelling === 'void'
            ? 'void is not a value type'
            : (UNSUPPORTED_BUILTINS[spelling] ?? `the builtin type ${spelling}`),
        );
      }
      case 'TypedefType': {
        const decl = t.decl as { id: string; name: string };
        const underlying = t.inner?.[0];
        const std = standardScalar(decl.name, builtinSpelling(underlying), this.model);
        if (std !== undefined) return std;
        const target = underlying === undefined ? undefined : strip(underlying);
        if (target?.kind === 'EnumType') return this.typeRef(target, deps);
        if (target?.kind === 'RecordType') {
          const rid = (target.decl as { id: string }).id;
          if (this.typedefName.get(rid) === decl.name || this.byId.get(rid)?.name === decl.name)
            return this.typeRef(target, deps);
        }
        this.want(decl.id, deps);
        return { t: 'decl', name: this.nameOf(decl.id) };
      }
      case 'RecordType': {
        const id = (t.decl as { id: string }).id;
        const record = this.definition(id);
        if (record === undefined)
          return refuse(`${this.cName(id)} is incomplete here (used by value)`);
        this.want(record.id as string, deps);
        return { t: 'decl', name: this.nameOf(record.id as string) };
      }
      case 'EnumType': {
        const id = (t.decl as { id: string }).id;
        const e = this.enumDefinition(id);
        this.want(e.id as string, deps);
        return this.enumBase(e);
      }
      case 'PointerType':
        return this.pointer(t.inner?.[0] as Node, deps);
      case 'ConstantArrayType':
        return {
          t: 'array',
          of: this.typeRef(t.inner?.[0] as Node, deps),
          length: t.size as number,
        };
      case 'IncompleteArrayType':
        return refuse('an array of unknown size (only a last member may be one)');
      case 'FunctionProtoType':
      case 'FunctionNoProtoType':
        return refuse('a function type (only pointers to functions have a layout)');
      case 'AtomicType':
        return refuse('an _Atomic type (no atomic instance in this library)');
      case 'ComplexType':
        return refuse('a _Complex type (no complex instance in this library)');
      case 'VectorType':
      case 'ExtVectorType':
        return refuse('a vector type (no vector instance in this library)');
      case 'VariableArrayType':
        return refuse('a variable-length array');
      default:
        return refuse(`a ${t.kind.replace(/Type$/, ' type')} (not supported)`);
    }
  }

  /** A data or function pointer to `to`. */
  pointer(to: Node, deps: Set<string>): TypeRef {
    let t = strip(to);
    // Through typedefs to what they name (a pointer does not need the typedef written).
    let alias: string | undefined;
    while (t.kind === 'TypedefType') {
      const decl = t.decl as { id: string; name: string };
      const underlying = strip(t.inner?.[0] as Node);
      if (
        underlying.kind === 'FunctionProtoType' ||
        underlying.kind === 'FunctionNoProtoType' ||
        underlying.kind === 'RecordType'
      ) {
        alias ??= decl.name;
        t = underlying;
        continue;
      }
      break;
    }
    if (t.kind === 'FunctionProtoType' || t.kind === 'FunctionNoProtoType') {
      return { t: 'funptr', fn: this.functionType(t, new Set()) };
    }
    if (t.kind === 'BuiltinType' && t.type?.qualType === 'void')
      return { t: 'pointer', to: { t: 'void' } };
    if (t.kind === 'RecordType') {
      // Not a dependency: a pointer needs no layout of what it points to. A complete record is
      // written too (a pointer's user wants to peek it); an incomplete or refused one is opaque.
      const id = (t.decl as { id: string }).id;
      const definition = this.definition(id)?.id;
      if (definition !== undefined) this.reach(definition);
      return { t: 'pointer', to: { t: 'record', id: definition ?? id } };
    }
    let pointee: Pointee;
    try {
      pointee = { t: 'type', type: this.typeRef(t, deps) };
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      pointee = { t: 'unknown' };
    }
    return { t: 'pointer', to: pointee };
  }

  /** The type of a function (pointer), or `undefined` when a part has no instance. */
  functionType(t: Node, deps: Set<string>): FunctionType | undefined {
    if (t.kind !== 'FunctionProtoType') return undefined;
    const [result, ...params] = t.inner ?? [];
    try {
      const r = strip(result as Node);
      return {
        result:
          r.kind === 'BuiltinType' && r.type?.qualType === 'void'
            ? undefined
            : this.typeRef(r, deps),
        params: params.map((p) => this.typeRef(decayed(p), deps)),
        variadic: t.variadic === true,
      };
    } catch (e) {
      if (e instanceof Refusal) return undefined;
      throw e;
    }
  }

  /** The complete definition of the record with this id (C allows several declarations). */
  definition(id: string): Node | undefined {
    const node = this.byId.get(id);
    if (node?.completeDefinition === true) return node;
    const name = node?.name;
    if (name === undefined) return undefined;
    for (const n of this.byId.values()) {
      if (
        n.kind === 'RecordDecl' &&
        n.name === name &&
        n.tagUsed === node?.tagUsed &&
        n.completeDefinition === true
      )
        return n;
    }
    return undefined;
  }

  enumDefinition(id: string): Node {
    const node = this.byId.get(id) as Node;
    if ((node.inner ?? []).length > 0) return node;
    for (const n of this.byId.values()) {
      if (n.kind === 'EnumDecl' && n.name === node.name && (n.inner ?? []).length > 0) return n;
    }
    return refuse(`${this.cName(id)} is incomplete here`);
  }

  /** Writes the record `id` too (if it can), without making it a dependency: it is pointed to. */
  reach(id: string): void {
    if (!this.wanted.has(id)) {
      this.wanted.add(id);
      this.pending.push(id);
    }
  }

  want(id: string, deps: Set<string>): void {
    deps.add(id);
    if (!this.wanted.has(id)) {
      this.wanted.add(id);
      this.pending.push(id);
    }
  }

  // ---------------------------------------------------------------------------------------
  // enums

  enumConstants(e: Node): Array<readonly [string, bigint]> {
    let next = 0n;
    return (e.inner ?? [])
      .filter((c) => c.kind === 'EnumConstantDecl')
      .map((c) => {
        const given = firstConstant(c);
        const value =
          given !== undefined && typeof given.value === 'string' ? BigInt(given.value) : next;
        next = value + 1n;
        return [c.name as string, value] as const;
      });
  }

  /** The integer type clang gives an enum in C: `unsigned int`, or `int` with negative values. */
  enumBase(e: Node): ScalarRef {
    if ((e.inner ?? []).some((n) => n.kind === 'PackedAttr')) return refuse('a packed enum');
    if (e.fixedUnderlyingType !== undefined) {
      const s = builtinScalar((e.fixedUnderlyingType as { qualType: string }).qualType, this.model);
      return s ?? refuse('an enum of an unsupported underlying type');
    }
    const values = this.enumConstants(e).map(([, v]) => v);
    const negative = values.some((v) => v < 0n);
    const fits = (bits: number, signed: boolean): boolean =>
      values.every((v) =>
        signed
          ? v >= -(1n << BigInt(bits - 1)) && v < 1n << BigInt(bits - 1)
          : v >= 0n && v < 1n << BigInt(bits),
      );
    if (negative) return integerScalar(fits(32, true) ? 4 : 8, true, this.model);
    return integerScalar(fits(32, false) ? 4 : 8, false, this.model);
  }

  // ---------------------------------------------------------------------------------------
  // declarations

  /** The probes a record needs (its members' types), added now. */
  probeRecord(r: Node): void {
    const id = r.id as string;
    for (const f of r.inner ?? []) {
      if (f.kind === 'RecordDecl') this.probeRecord(f);
      if (f.kind !== 'FieldDecl' || f.name === undefined || f.isBitfield === true) continue;
      const member = this.member(id, f.name);
      if (member !== undefined)
        this.probe(`${id}.${f.name}`, (p) => `typedef __typeof__(${member}) ${p};`);
    }
    const s = this.spelling(id);
    if (s !== undefined) this.probe(`sizeof ${id}`, (p) => `enum { ${p} = sizeof(${s}) };`);
  }

  record(r: Node, deps: Set<string>): RecordIR {
    const id = r.id as string;
    const tag = r.tagUsed as 'struct' | 'union';
    let packed = false;
    let align: number | undefined;
    const members: MemberIR[] = [];
    const inner = r.inner ?? [];
    inner.forEach((n, i) => {
      const refused = REFUSED_RECORD_ATTRS[n.kind];
      if (refused !== undefined) refuse(refused);
      if (n.kind === 'PackedAttr') packed = true;
      if (n.kind === 'AlignedAttr') align = Math.max(align ?? 1, attrValue(n));
      if (n.kind !== 'FieldDecl') return;
      if (n.name === '__proto__')
        refuse('a member called __proto__ (not a JavaScript property name)');
      if (n.isImplicit === true && n.name === undefined) {
        const nested = inner
          .slice(0, i)
          .reverse()
          .find((x) => x.kind === 'RecordDecl') as Node;
        members.push({ m: 'anonymous', record: this.record(nested, deps) });
        return;
      }
      if ((n.inner ?? []).some((x) => x.kind === 'PackedAttr'))
        refuse(`a packed member (${n.name})`);
      if (n.isBitfield === true) {
        if (tag === 'union') refuse('a bit-field in a union (the union combinator has none)');
        const width = Number(
          (n.inner?.find((x) => x.kind === 'ConstantExpr')?.value as string) ?? NaN,
        );
        members.push({ m: 'bits', name: n.name, type: this.bitFieldType(n, deps), width });
        return;
      }
      const probeName = `__fb_${this.probeOf.get(`${id}.${n.name}`)}`;
      const t = this.probedType(probeName) ?? refuse(`no C expression reaches ${n.name}`);
      const fieldAlign = (n.inner ?? []).filter((x) => x.kind === 'AlignedAttr').map(attrValue);
      if (strip(t).kind === 'IncompleteArrayType') {
        if (inner.slice(i + 1).some((x) => x.kind === 'FieldDecl'))
          refuse(`${n.name}: an array of unknown size that is not the last member`);
        members.push({
          m: 'flexible',
          name: n.name as string,
          type: this.memberType(strip(t).inner?.[0] as Node, deps),
        });
        return;
      }
      const type = this.memberType(t, deps);
      members.push(
        fieldAlign.length > 0
          ? { m: 'field', name: n.name as string, type, align: Math.max(...fieldAlign) }
          : { m: 'field', name: n.name as string, type },
      );
    });
    if (members.length === 0) refuse(`a ${tag} with no members (C: an extension; size 0)`);
    const name = this.isAnonymousRecord(id) ? '' : this.nameOf(id);
    return {
      d: 'record',
      id,
      name,
      cName: this.cName(id),
      spelling: this.spelling(id),
      tag,
      packed,
      align,
      members,
      where: this.where(r),
    };
  }

  /** A member's type: `char[n]` as `chars(n)` when asked, else as any type. */
  memberType(t: Node, deps: Set<string>): TypeRef {
    const s = strip(t);
    if (this.chars && s.kind === 'ConstantArrayType') {
      const element = strip(s.inner?.[0] as Node);
      if (element.kind === 'BuiltinType' && element.type?.qualType === 'char')
        return { t: 'chars', length: s.size as number };
    }
    return this.typeRef(t, deps);
  }

  bitFieldType(f: Node, deps: Set<string>): ScalarRef {
    const spelling = f.type?.desugaredQualType ?? f.type?.qualType ?? '';
    const s = builtinScalar(spelling, this.model);
    if (s !== undefined && !s.float) return s;
    if (spelling.startsWith('enum ')) {
      const name = spelling.slice(5);
      for (const n of this.byId.values()) {
        if (n.kind === 'EnumDecl' && n.name === name && (n.inner ?? []).length > 0) {
          this.want(n.id as string, deps);
          return this.enumBase(n);
        }
      }
    }
    return refuse(`a bit-field of type ${spelling}`);
  }

  typedef(node: Node, deps: Set<string>): TypedefIR | undefined {
    const t = node.inner?.[0] as Node;
    const target = strip(t);
    // `typedef struct X {…} X;` and `typedef enum {…} E;`: the record or enum carries the name.
    if (directTag(node) !== undefined && !this.names.has(node.id as string)) return undefined;
    if (
      target.kind === 'RecordType' &&
      this.definition((target.decl as { id: string }).id) === undefined
    )
      return undefined;
    if (target.kind === 'FunctionProtoType' || target.kind === 'FunctionNoProtoType')
      refuse('a function type (only pointers to functions have a layout)');
    const id = node.id as string;
    const name = node.name as string;
    this.probe(`typedef size ${id}`, (p) => `enum { ${p} = sizeof(${name}) };`);
    this.probe(`typedef align ${id}`, (p) => `enum { ${p} = _Alignof(${name}) };`);
    return {
      d: 'typedef',
      id,
      name: this.nameOf(id),
      cName: name,
      type: this.typeRef(t, deps),
      where: this.where(node),
    };
  }

  enumeration(e: Node, deps: Set<string>): EnumIR {
    const id = e.id as string;
    void deps;
    const named = e.name !== undefined || this.typedefName.has(id);
    const base = this.enumBase(e);
    const spelling = this.spelling(id);
    if (spelling !== undefined) {
      const size = this.probedValue(
        this.probe(`enum size ${id}`, (p) => `enum { ${p} = sizeof(${spelling}) };`),
      );
      const signed = this.probedValue(
        this.probe(`enum sign ${id}`, (p) => `enum { ${p} = ((${spelling})-1 < 0) };`),
      );
      if (
        size !== undefined &&
        signed !== undefined &&
        (Number(size.value) !== base.size || (signed.value === 1n) !== base.signed)
      )
        refuse(
          `clang gives it ${size.value} bytes, ${signed.value === 1n ? 'signed' : 'unsigned'}, not the integer type of C's rule`,
        );
    }
    return {
      d: 'enum',
      id,
      name: named ? this.nameOf(id) : undefined,
      cName: this.cName(id),
      spelling,
      base,
      constants: this.enumConstants(e),
      where: this.where(e),
    };
  }

  func(node: Node, deps: Set<string>): FunctionIR {
    if (node.storageClass === 'static')
      refuse('a static function (defined in the header: no library exports it)');
    if (node.inline === true && node.storageClass !== 'extern')
      refuse('an inline function (defined in the header: no library exports it)');
    const name = node.name as string;
    const probeName = `__fb_${this.probeOf.get(`function ${name}`)}`;
    const t = this.probedType(probeName);
    if (t === undefined) return refuse('clang gave no type for it');
    const ft = strip(t);
    if (ft.kind === 'FunctionNoProtoType') refuse('declared without a prototype (K&R `f()`)');
    const [result, ...paramTypes] = ft.inner ?? [];
    const parms = (node.inner ?? []).filter((n) => n.kind === 'ParmVarDecl');
    const r = strip(result as Node);
    const isVoid = r.kind === 'BuiltinType' && r.type?.qualType === 'void';
    return {
      d: 'function',
      id: node.id as string,
      name,
      ctype: node.type?.qualType ?? '',
      result: isVoid ? undefined : this.typeRef(result as Node, deps),
      resultC: (result as Node).type?.qualType ?? '',
      params: paramTypes.map((p, i) => ({
        name: parms[i]?.name ?? `arg${i}`,
        c: parms[i]?.type?.qualType ?? p.type?.qualType ?? '',
        type: this.typeRef(decayed(p), deps),
      })),
      variadic: ft.variadic === true,
      where: this.where(node),
    };
  }

  /** Translates one declaration, recording it or its refusal. */
  translate(id: string): void {
    if (this.decls.has(id) || this.refusedIds.has(id)) return;
    const node = this.byId.get(id) as Node;
    const deps = new Set<string>();
    try {
      let decl: DeclIR | undefined;
      switch (node.kind) {
        case 'RecordDecl': {
          const def = this.definition(id);
          if (
            def === undefined ||
            (def.id !== id &&
              (this.decls.has(def.id as string) || this.refusedIds.has(def.id as string)))
          )
            return;
          if (def.id !== id) return this.translate(def.id as string);
          decl = this.record(def, deps);
          break;
        }
        case 'TypedefDecl':
          decl = this.typedef(node, deps);
          break;
        case 'EnumDecl':
          decl = this.enumeration(this.enumDefinition(id), deps);
          break;
        case 'FunctionDecl':
          decl = this.func(node, deps);
          break;
      }
      if (decl === undefined) return;
      this.decls.set(id, decl);
      deps.delete(id);
      this.deps.set(id, deps);
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      this.refusedIds.set(id, {
        d: 'refused',
        what: this.describe(node),
        why: e.message,
        where: this.where(node),
      });
    }
  }

  describe(node: Node): string {
    switch (node.kind) {
      case 'RecordDecl':
      case 'EnumDecl':
        return this.cName(node.id as string);
      case 'TypedefDecl':
        return `typedef ${node.name}`;
      case 'FunctionDecl':
        return `function ${node.name}`;
      default:
        return `${node.kind} ${node.name ?? ''}`;
    }
  }
}

// -------------------------------------------------------------------------------------------
// helpers
// -------------------------------------------------------------------------------------------

/** The first `ConstantExpr` under `node` (an enumerator's value, under implicit casts). */
const firstConstant = (node: Node | undefined): Node | undefined => {
  for (const n of node?.inner ?? []) {
    if (n.kind === 'ConstantExpr') return n;
    const deeper = firstConstant(n);
    if (deeper !== undefined) return deeper;
  }
  return undefined;
};

/** A type tree without its sugar (qualifiers, parentheses, attributes, `struct` keywords). */
const strip = (node: Node): Node => {
  let t = node;
  while (SUGAR.has(t.kind) && t.inner?.[0] !== undefined) t = t.inner[0];
  return t;
};

/** A parameter's type after C's adjustments (arrays and functions become pointers). */
const decayed = (node: Node): Node =>
  node.kind === 'DecayedType' ? (node.inner?.[1] as Node) : node;

/** The builtin type a typedef's underlying type is, through other typedefs. */
const builtinSpelling = (node: Node | undefined): string | undefined => {
  let t = node === undefined ? undefined : strip(node);
  while (t?.kind === 'TypedefType') t = t.inner?.[0] === undefined ? undefined : strip(t.inner[0]);
  return t?.kind === 'BuiltinType' ? t.type?.qualType : undefined;
};

/** The record or enum a typedef names directly (`typedef struct X Y;`), by id. */
const directTag = (typedef: Node): string | undefined => {
  const t = typedef.inner?.[0];
  const s = t === undefined ? undefined : strip(t);
  return s?.kind === 'RecordType' || s?.kind === 'EnumType'
    ? (s.decl as { id: string }).id
    : undefined;
};

const attrValue = (attr: Node): number => {
  const v = attr.inner?.find((n) => n.kind === 'ConstantExpr')?.value;
  return typeof v === 'string'
    ? Number(v)
    : refuse('__attribute__((aligned)) with no value (the largest alignment of the target)');
};

/** Refusals in the order of their places (file, then line), as a compiler lists diagnostics. */
const byPlace = (refused: readonly RefusedIR[]): RefusedIR[] => {
  const place = (r: RefusedIR): [string, number] => {
    const at = /^(.*):(\d+)$/.exec(r.where);
    return at === null ? [r.where, 0] : [at[1] as string, Number(at[2])];
  };
  return [...refused].sort((a, b) => {
    const [fa, la] = place(a);
    const [fb, lb] = place(b);
    return fa < fb ? -1 : fa > fb ? 1 : la - lb;
  });
};

// -------------------------------------------------------------------------------------------
// the whole header
// -------------------------------------------------------------------------------------------

/**
 * Asks clang about `o.header` for `o.model` and returns what the module will hold. Throws a
 * `ClangError` when clang fails on the header (its diagnostics are the message) and an `Error`
 * when the target's data model is not the model's.
 */
export const collect = (o: BindOptions): Bindings => {
  const c = new Collector(o);
  const macros = readMacros(
    runClang(c.clang, [...c.base(), '-E', '-dD', o.header], o.header),
    new Set([c.resolved, ...(o.macrosOf ?? []).map((f) => resolve(f))]),
  );
  c.functionMacros = macros.functions.sort();
  c.runProbes();
  const top = (c.ast.inner ?? []).filter((n) => n.isImplicit !== true && c.inHeader(n));
  const ordinary = new Set<string>([
    ...macros.objects.map((m) => m.name),
    ...top.filter((n) => n.kind !== 'RecordDecl' && n.kind !== 'EnumDecl').map((n) => n.name ?? ''),
    ...[...c.byId.values()].filter((n) => n.kind === 'TypedefDecl').map((n) => n.name as string),
  ]);
  for (const e of c.byId.values()) {
    if (e.kind === 'EnumDecl')
      for (const k of e.inner ?? []) if (k.name !== undefined) ordinary.add(k.name);
  }
  c.assignNames(ordinary);

  // What the header declares, in its order; functions once (the first declaration).
  const roots: string[] = [];
  const functions = new Set<string>();
  for (const n of top) {
    switch (n.kind) {
      case 'RecordDecl':
      case 'EnumDecl':
      case 'TypedefDecl':
        roots.push(n.id as string);
        break;
      case 'FunctionDecl':
        if (!functions.has(n.name as string)) {
          functions.add(n.name as string);
          roots.push(n.id as string);
          c.probe(`function ${n.name}`, (p) => `typedef __typeof__(${n.name}) ${p};`);
        }
        break;
      case 'VarDecl':
        c.refused.push({
          d: 'refused',
          what: `variable ${n.name}`,
          why: 'a variable (the generator binds types, constants and functions)',
          where: c.where(n),
        });
        break;
      case 'StaticAssertDecl':
      case 'EmptyDecl':
        break;
      default:
        c.refused.push({
          d: 'refused',
          what: `${n.kind} ${n.name ?? ''}`.trim(),
          why: 'a kind of declaration the generator does not know',
          where: c.where(n),
        });
    }
  }
  for (const id of roots) c.wanted.add(id);
  c.pending.push(...roots);

  const macroProbes = probeMacros(c, macros.objects);

  // Rounds: probe what is pending, translate it; what it uses by value is pending next.
  for (let round = 0; c.pending.length > 0 && round < 50; round++) {
    const now = c.pending.splice(0);
    for (const id of now) {
      const node = c.byId.get(id);
      if (node?.kind === 'RecordDecl') {
        const def = c.definition(id);
        if (def !== undefined) c.probeRecord(def);
      }
    }
    c.runProbes();
    for (const id of now) c.translate(id);
  }
  // The enum probes added during translation, and a last run for the constants' answers.
  c.runProbes();
  // (Re-translated in a list of their own: a Map iteration would visit a re-added key again.)
  const enums = [...c.decls].filter(([, d]) => d.d === 'enum').map(([id]) => id);
  for (const id of enums) {
    c.decls.delete(id);
    c.translate(id);
  }
  const pointerSize = c.probedValue('__fb_pointer')?.value;
  const longSize = c.probedValue('__fb_long')?.value;
  const want = MODELS[o.model];
  if (Number(pointerSize) !== want.pointer || Number(longSize) !== want.long) {
    throw new BindError(
      `the target ${c.target} has ${pointerSize}-byte pointers and ${longSize}-byte longs, not the ${o.model} data model's ${want.pointer} and ${want.long}`,
    );
  }

  // Constants: the enumerators of the header's enums, then its integer macros.
  const names = new Set([...c.names.values()]);
  for (const decl of c.decls.values()) {
    if (decl.d !== 'enum' || !c.inHeader(c.byId.get(decl.id) as Node)) continue;
    for (const [name, value] of decl.constants) {
      c.constants.push({
        d: 'constant',
        c: 'integer',
        name,
        value,
        type: decl.base as ScalarRef,
        ctype: decl.cName,
        from: 'enum',
        where: decl.where,
      });
      names.add(name);
    }
  }
  const fromMacros = macroConstants(
    c,
    macroProbes,
    (name) => names.has(name) || RESERVED.has(name),
  );
  c.constants.push(...fromMacros.constants);
  c.refused.push(...fromMacros.refused);
  c.otherMacros = fromMacros.other;

  const { decls, refused } = verify(c);
  return {
    header: o.header,
    model: o.model,
    target: c.target,
    decls: [...decls, ...c.constants],
    refused: byPlace([...refused, ...c.refused]),
    otherMacros: c.otherMacros,
    functionMacros: c.functionMacros,
    clangArgs: c.args,
  };
};
