/**
 * From clang's declarations to what the module will hold, one declaration at a time: the names
 * of the declarations, the C type of every member and function (read from the probes: clang's
 * JSON AST spells member types only as text; `typedef __typeof__(((T *)0)->f) probe;` gives
 * their tree), and the records, typedefs, enums and functions they become ({@link DeclIR}), or
 * the reason one is refused. What a declaration uses by value is translated too; a record that
 * is only pointed to is written when it is complete (else it is opaque: verify.ts).
 *
 * collect.ts runs it over a whole header.
 *
 * @since 0.1.0
 */
import { builtinSpelling, decayed, directTag, firstConstant, strip, type Node } from './clang.js';
import {
  Refusal,
  refuse,
  type BindOptions,
  type DeclIR,
  type EnumIR,
  type FunctionIR,
  type FunctionType,
  type MemberIR,
  type Pointee,
  type RecordIR,
  type RefusedIR,
  type ScalarRef,
  type TypeRef,
  type TypedefIR,
} from './model.js';
import { Probes } from './probes.js';
import { UNSUPPORTED_BUILTINS, builtinScalar, integerScalar, standardScalar } from './scalars.js';
import type { MacroContext } from './macros.js';
import type { VerifyContext } from './verify.js';

/** Words JavaScript or the generated module itself reserve: C names that are these get a `_`. */
export const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends ' +
    'false finally for function if import in instanceof new null return super switch this throw ' +
    'true try typeof var void while with yield let static implements interface package private ' +
    'protected public await arguments eval undefined NaN Infinity Object Array Number String ' +
    'BigInt Symbol m functions types constants'
  ).split(' '),
);

/** Harmless attributes of records; the others are refused (layout ones) or checked. */
const REFUSED_RECORD_ATTRS: Readonly<Record<string, string>> = {
  MaxFieldAlignmentAttr: '#pragma pack, which the layout combinators cannot express',
  MSStructAttr: 'ms_struct, which the layout combinators cannot express',
  RandomizeLayoutAttr: 'randomize_layout',
};

/**
 * The translation of one header for one model: the names of its declarations, and each
 * declaration translated (or refused) with what it uses by value.
 */
export class Collector extends Probes implements VerifyContext, MacroContext {
  readonly chars: boolean;
  /** The TypeScript name of each declaration. */
  readonly names = new Map<string, string>();

  /** Declarations translated, by id; refusals by id; what each uses by value. */
  readonly decls = new Map<string, DeclIR>();
  readonly refusedIds = new Map<string, RefusedIR>();
  readonly deps = new Map<string, Set<string>>();
  /** Declarations to translate in the next round, and every one that was ever pending. */
  readonly pending: string[] = [];
  readonly wanted = new Set<string>();

  constructor(o: BindOptions) {
    super(o);
    this.chars = o.chars === true;
  }

  /** How C names the declaration `id` (for messages), or the id when there is none. */
  cNameOf(id: string): string {
    return this.byId.has(id) ? this.describe(this.byId.get(id) as Node) : id;
  }

  // ---------------------------------------------------------------------------------------
  // names

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

  /** Writes the record, typedef or enum `id` too, as a dependency: it is used by value. */
  want(id: string, deps: Set<string>): void {
    deps.add(id);
    this.reach(id);
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

  enumeration(e: Node): EnumIR {
    const id = e.id as string;
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
          decl = this.enumeration(this.enumDefinition(id));
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

const attrValue = (attr: Node): number => {
  const v = attr.inner?.find((n) => n.kind === 'ConstantExpr')?.value;
  return typeof v === 'string'
    ? Number(v)
    : refuse('__attribute__((aligned)) with no value (the largest alignment of the target)');
};
