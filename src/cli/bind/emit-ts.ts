/**
 * Writes the TypeScript module of a header's {@link Bindings}: its layouts with the library's
 * combinators (imported from `foreign-ts` by name), its typedefs, enumerations and integer
 * constants, the table of its functions' C signatures, for wasm32 `foreignImports(ctx)` (a
 * foreignImport declaration of each function it can declare), and a comment for everything it
 * refused or could not declare.
 *
 * @since 0.1.0
 */
import {
  MODELS,
  census,
  memberKeys,
  type Bindings,
  type ConstantIR,
  type DeclIR,
  type EnumIR,
  type FunctionIR,
  type FunctionType,
  type Pointee,
  type RecordIR,
  type TypeRef,
} from './model.js';
import { findCycles, type Cycles } from './cycles.js';
import { tsNumber } from './literals.js';

/** ` (where)`, or nothing for clang's builtins. */
const at = (where: string): string => (where === '' ? '' : ` (${where})`);

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The literal of an integer `value` for a value type. */
const literal = (value: bigint, ts: 'number' | 'bigint'): string =>
  ts === 'bigint' ? `${value}n` : `${value}`;

class Writer {
  readonly imports = new Set<string>();
  readonly typeImports = new Set<string>();
  readonly recordNames = new Map<string, string>();
  readonly wasmImports = new Set<string>();

  readonly cycles: Cycles;
  /** While a declaration of a cycle that is cut is written: the names its pointers do not name. */
  erase: ReadonlySet<string> = new Set();

  constructor(readonly b: Bindings) {
    for (const d of b.decls)
      if (d.d === 'record' || d.d === 'opaque') this.recordNames.set(d.id, d.name);
    this.cycles = findCycles(b.decls, (id) => this.recordNames.get(id));
  }

  /** Writes `f()` with the pointers to the cycle of `name` (if it is cut) as `Ptr<unknown>`. */
  within<T>(name: string, f: () => T): T {
    this.erase = this.cycles.cut.get(name) ?? new Set();
    try {
      return f();
    } finally {
      this.erase = new Set();
    }
  }

  use(name: string): string {
    this.imports.add(name);
    return name;
  }

  useType(name: string): string {
    this.typeImports.add(name);
    return name;
  }

  pointee(p: Pointee): string {
    switch (p.t) {
      case 'void':
        return 'void';
      case 'record': {
        const name = this.recordNames.get(p.id);
        return name === undefined || this.erase.has(name) ? 'unknown' : name;
      }
      case 'type':
        return p.type.t === 'decl' && this.erase.has(p.type.name) ? 'unknown' : this.ts(p.type);
      case 'unknown':
        return 'unknown';
    }
  }

  fn(f: FunctionType | undefined): string {
    if (f === undefined) return '(...args: never[]) => unknown';
    const params = f.params.map((p, i) => `a${i}: ${this.ts(p)}`);
    if (f.variadic) params.push('...rest: never[]');
    return `(${params.join(', ')}) => ${f.result === undefined ? 'void' : this.ts(f.result)}`;
  }

  /** The value type of `t`. */
  ts(t: TypeRef): string {
    switch (t.t) {
      case 'scalar':
        return t.ts;
      case 'decl':
        return t.name;
      case 'pointer':
        return `${this.useType('Ptr')}<${this.pointee(t.to)}>`;
      case 'funptr':
        return `${this.useType('FunPtr')}<${this.fn(t.fn)}>`;
      case 'array': {
        const inner = this.ts(t.of);
        return /^[\w.]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
      }
      case 'chars':
        return 'string';
    }
  }

  /** The instance of `t`. */
  expr(t: TypeRef): string {
    switch (t.t) {
      case 'scalar':
        if (!t.expr.startsWith('m.')) this.use(t.expr);
        return t.expr;
      case 'decl':
        return t.name;
      case 'pointer':
        return `m.ptrTo<${this.pointee(t.to)}>()`;
      case 'funptr':
        return `m.funPtrTo<${this.fn(t.fn)}>()`;
      case 'array':
        return `${this.use('array')}(${this.expr(t.of)}, ${t.length})`;
      case 'chars':
        return `${this.use('chars')}(${t.length})`;
    }
  }

  /** The fields object of a record, indented by `indent`. */
  fields(r: RecordIR, indent: string): string {
    const keys = memberKeys(r);
    const lines = r.members.map((m, i) => {
      const key = keys[i] as string;
      switch (m.m) {
        case 'field': {
          const e = this.expr(m.type);
          return `${key}: ${m.align === undefined ? e : `${this.use('aligned')}(${m.align}, ${e})`},`;
        }
        case 'bits': {
          const f = m.name === undefined ? this.use('unnamedBits') : this.use('bits');
          return `${key}: ${f}(${this.expr(m.type)}, ${m.width}),`;
        }
        case 'anonymous':
          return `${key}: ${this.use('anonymous')}(${this.recordExpr(m.record, `${indent}  `)}),`;
        case 'flexible':
          return `${key}: ${this.use('array')}(${this.expr(m.type)}, 0), // flexible array member: its elements follow the ${r.tag}`;
      }
    });
    return `{\n${lines.map((l) => `${indent}  ${l}`).join('\n')}\n${indent}}`;
  }

  options(r: RecordIR): string {
    const parts = [`name: ${q(r.cName)}`];
    if (r.packed) parts.push('packed: true');
    if (r.align !== undefined) parts.push(`align: ${r.align}`);
    return `{ ${parts.join(', ')} }`;
  }

  recordExpr(r: RecordIR, indent: string): string {
    return `${this.use(r.tag)}(${this.fields(r, indent)}, ${this.options(r)})`;
  }

  record(r: RecordIR): string {
    return this.within(r.name, () => {
      const make = `${this.use(r.tag)}(${r.name}$fields, ${this.options(r)})`;
      if (this.cycles.written.has(r.name)) {
        return [
          `/** ${r.cName}${at(r.where)}: its value type is written out (the struct is in a cycle of pointers) */`,
          `export type ${r.name} = ${this.valueType(r)};`,
          `const ${r.name}$fields = ${this.fields(r, '')};`,
          `export const ${r.name} = ${make} satisfies ${this.useType('Storable')}<${r.name}>;`,
        ].join('\n');
      }
      const valueType = this.useType(r.tag === 'struct' ? 'StructValue' : 'UnionValue');
      const cut = this.cycles.cut.has(r.name)
        ? ': in a cycle of pointers, its pointers into the cycle are Ptr<unknown>'
        : '';
      return [
        `/** ${r.cName}${at(r.where)}${cut} */`,
        `const ${r.name}$fields = ${this.fields(r, '')};`,
        `export type ${r.name} = ${valueType}<typeof ${r.name}$fields>;`,
        `export const ${r.name} = ${make};`,
      ].join('\n');
    });
  }

  /** The value type of a struct with no anonymous member, as an object type. */
  valueType(r: RecordIR): string {
    const members = r.members.flatMap((m) => {
      switch (m.m) {
        case 'field':
          return [`  ${m.name}: ${this.ts(m.type)};`];
        case 'bits':
          return m.name === undefined ? [] : [`  ${m.name}: ${m.type.ts};`];
        case 'flexible':
          return [`  ${m.name}: ${this.ts({ t: 'array', of: m.type, length: 0 })};`];
        case 'anonymous':
          throw new Error(
            `bind: ${r.cName} has an anonymous member (cycles.ts writes no value type for it)`,
          );
      }
    });
    return `{\n${members.join('\n')}\n}`;
  }

  enumeration(e: EnumIR): string {
    const base = e.base;
    if (e.name === undefined || base === undefined) return '';
    const tags = e.constants.map(([k, v]) => `  ${k}: ${literal(v, base.ts)},`).join('\n');
    return [
      `/** ${e.cName}${at(e.where)}: members of this type are its integer type, ${base.expr} (C allows any value of it). */`,
      `export const ${e.name} = ${this.use('enumeration')}(${this.expr(base)}, {\n${tags}\n}, ${q(e.cName)});`,
    ].join('\n');
  }

  decl(d: DeclIR): string {
    switch (d.d) {
      case 'opaque':
        return `/** ${d.cName}: opaque here (only pointed to). */\nexport interface ${d.name} {\n  readonly __opaque: ${q(d.cName)};\n}`;
      case 'record':
        return this.record(d);
      case 'typedef':
        return this.within(d.name, () =>
          [
            `/** typedef ${d.cName}${at(d.where)} */`,
            `export const ${d.name} = ${this.expr(d.type)};`,
            `export type ${d.name} = ${this.ts(d.type)};`,
          ].join('\n'),
        );
      case 'enum':
        return this.enumeration(d);
      default:
        return '';
    }
  }

  constant(c: ConstantIR): string {
    switch (c.c) {
      case 'integer': {
        const what = c.from === 'macro' ? `#define, ${c.ctype}` : c.ctype;
        return `export const ${c.name} = ${literal(c.value, c.type.ts)}; // ${what}`;
      }
      case 'float':
        return `export const ${c.name} = ${tsNumber(c.value)}; // #define, ${c.ctype}: ${c.text}`;
      case 'string':
        return `export const ${c.name} = ${JSON.stringify(c.value)}; // #define, char[${c.bytes + 1}]`;
    }
  }

  /**
   * The argument or result type of `t` for foreignImport, or why it has none: a struct or union
   * by value, or an array (typedefs are followed; an enum is its integer type).
   */
  importType(t: TypeRef): { expr: string } | { why: string } {
    if (t.t === 'decl') {
      const d = this.b.decls.find(
        (x) => (x.d === 'typedef' || x.d === 'enum' || x.d === 'record') && x.name === t.name,
      );
      if (d?.d === 'typedef') {
        const r = this.importType(d.type);
        return 'why' in r ? r : { expr: t.name };
      }
      if (d?.d === 'enum' && d.base !== undefined) return { expr: this.expr(d.base) };
      return { why: `${t.name} by value (foreignImport takes a struct or union by pointer)` };
    }
    if (t.t === 'array' || t.t === 'chars') return { why: 'an array by value' };
    return { expr: this.expr(t) };
  }

  /** The foreignImport declaration of `f`, as a getter of `foreignImports`' object, or why not. */
  foreignImport(f: FunctionIR): { text: string } | { why: string } {
    if (f.variadic)
      return {
        why: 'variadic (wasm32 passes `...` through a buffer foreignImport does not lay out)',
      };
    const args: string[] = [];
    for (const p of f.params) {
      if (p.c === 'const char *') {
        args.push(`${this.useWasm('inCString')}`);
        continue;
      }
      const a = this.importType(p.type);
      if ('why' in a) return { why: `parameter ${p.name}: ${a.why}` };
      args.push(a.expr);
    }
    const r = f.result === undefined ? { expr: this.useWasm('Void') } : this.importType(f.result);
    if ('why' in r) return { why: `its result: ${r.why}` };
    return {
      text: [
        `  /** ${f.ctype}${at(f.where)} */`,
        `  get ${f.name}() {`,
        `    return ${this.useWasm('foreignImport')}(ctx, ${q(f.name)}, [${args.join(', ')}], ${r.expr});`,
        '  },',
      ].join('\n'),
    };
  }

  useWasm(name: string): string {
    this.wasmImports.add(name);
    return name;
  }

  func(f: FunctionIR): string {
    const params = f.params.map(
      (p) => `      { name: ${q(p.name)}, c: ${q(p.c)}, type: ${this.expr(p.type)} },`,
    );
    return [
      `  /** ${f.ctype}${at(f.where)} */`,
      `  ${f.name}: {`,
      `    c: ${q(f.ctype)},`,
      `    result: ${f.result === undefined ? 'null' : this.expr(f.result)},`,
      `    resultC: ${q(f.resultC)},`,
      params.length === 0 ? '    params: [],' : `    params: [\n${params.join('\n')}\n    ],`,
      `    variadic: ${f.variadic},`,
      '  },',
    ].join('\n');
  }
}

const comment = (text: string, width = 96): string[] => {
  const out: string[] = [];
  let line = '//';
  for (const word of text.split(' ')) {
    if (line.length + word.length + 1 > width && line !== '//') {
      out.push(line);
      line = '//  ';
    }
    line += ` ${word}`;
  }
  out.push(line);
  return out;
};

/**
 * The foreign imports of `functions` (wasm32 modules): `foreignImports(ctx)`, an object with a
 * getter per function that declares it with foreignImport when it is read, and a comment for
 * each function foreignImport cannot declare. For x86_64 a comment saying why there is none.
 * Must run before the imports of the module are written (it adds to them).
 */
const importsSection = (w: Writer, functions: readonly FunctionIR[]): string[] => {
  if (w.b.model !== 'wasm32') {
    return [
      ...comment(
        '---- foreign imports: none for x86_64. foreignImport (foreign-ts/wasm) calls the ' +
          'functions of a wasm32 module; JavaScript has no way to call native x86-64 code. ' +
          'Bind the header for wasm32 to call it (docs/bindings.md).',
      ),
      '',
    ];
  }
  const declared: string[] = [];
  const not: string[] = [];
  for (const f of functions) {
    const d = w.foreignImport(f);
    if ('text' in d) declared.push(d.text);
    else not.push(...comment(`${f.name}${at(f.where)}: ${d.why}.`));
  }
  return [
    '// ---- foreign imports (foreign-ts/wasm), for a wasm32 module that exports these functions',
    '',
    '/**',
    ' * The functions of this header in the module of `ctx`: each property declares its function',
    ' * with foreignImport when it is read (it throws a TypeError naming foreignImport when the',
    ' * module does not export it, or with another number of parameters), so a module that',
    ' * exports some of them can use those. Read each once and keep the function.',
    ' */',
    `export const foreignImports = (${declared.length === 0 ? '_ctx' : 'ctx'}: WasmContext) => ({`,
    ...declared,
    '});',
    '',
    ...(not.length === 0
      ? []
      : ['// not declared: functions foreignImport cannot declare, and why', '//', ...not, '']),
  ];
};

/** The generated module of `b`, as text. */
export const emitModule = (b: Bindings): string => {
  const w = new Writer(b);
  const decls = b.decls.filter((d) => d.d !== 'constant' && d.d !== 'function');
  const constants = b.decls.filter((d): d is ConstantIR => d.d === 'constant');
  const functions = b.decls.filter((d): d is FunctionIR => d.d === 'function');
  const typed = decls.filter(
    (d) => d.d === 'record' || d.d === 'typedef' || (d.d === 'enum' && d.name !== undefined),
  );
  const body = decls.map((d) => w.decl(d)).filter((s) => s !== '');
  const funcs = functions.map((f) => w.func(f));
  const foreignImports = importsSection(w, functions);
  const n = census(b);
  const summary =
    `Written: ${n.records} structs and unions, ${n.typedefs} typedefs, ` +
    `${n.enumerations} enumerations, ${n.constants} constants, ${n.functions} function ` +
    `signatures, ${n.opaque} opaque types. Refused: ` +
    (b.refused.length === 0
      ? 'none.'
      : `${b.refused.length} (listed at the end, with the reason).`);
  const dm = w.use(MODELS[b.model].library);
  const out: string[] = [
    `// Generated by \`foreign-ts bind\` from ${b.header} for ${b.model === 'wasm32' ? 'wasm32' : 'x86_64 (LP64)'}`,
    `// (clang --target=${b.target}${b.clangArgs.length > 0 ? ` ${b.clangArgs.join(' ')}` : ''}). Do not edit: run it again.`,
    '//',
    ...comment(summary),
    ...comment(
      'Every struct, union and typedef here was checked against clang when it was written (size, ' +
        'alignment, the offset of every member, the first bit of every bit-field): see docs/bindings.md.',
    ),
    '',
  ];
  const imports = [...w.imports].sort();
  const types = [...w.typeImports].sort().map((t) => `type ${t}`);
  const wasm = [...w.wasmImports].sort();
  out.push(
    `import { ${[...imports, ...types].join(', ')} } from 'foreign-ts';`,
    ...(b.model === 'wasm32'
      ? [`import { ${[...wasm, 'type WasmContext'].join(', ')} } from 'foreign-ts/wasm';`]
      : []),
    '',
    `const m = ${dm};`,
    '',
  );
  if (body.length > 0) out.push('// ---- types', '', body.join('\n\n'), '');
  if (constants.length > 0)
    out.push(
      '// ---- constants: enumerators and #define',
      '',
      ...constants.map((c) => w.constant(c)),
      '',
    );
  out.push(
    '// ---- functions: the table of their C signatures. `type` is the instance of each parameter,',
    '// `result` of the result (null: void).',
    '',
    funcs.length === 0
      ? 'export const functions = {} as const;'
      : `export const functions = {\n${funcs.join('\n')}\n} as const;`,
    '',
    ...foreignImports,
    '// ---- tables',
    '',
    `/** Every struct, union, typedef and enumeration of this module, by name. */`,
    typed.length === 0
      ? 'export const types = {} as const;'
      : `export const types = {\n${typed.map((d) => `  ${(d as { name: string }).name},`).join('\n')}\n} as const;`,
    '',
    '/** Every constant of this module (integers, floating numbers, strings), by name. */',
    constants.length === 0
      ? 'export const constants = {} as const;'
      : `export const constants = {\n${constants.map((c) => `  ${c.name},`).join('\n')}\n} as const;`,
    '',
  );
  if (b.refused.length > 0) {
    out.push('// ---- refused: declarations this module does not write, and why', '//');
    for (const r of b.refused) out.push(...comment(`${r.what}${at(r.where)}: ${r.why}.`));
    out.push('');
  }
  if (b.otherMacros.length > 0 || b.functionMacros.length > 0) {
    out.push('// ---- macros that are not constants (not written)', '//');
    const byReason = new Map<string, string[]>();
    for (const [name, why] of b.otherMacros)
      byReason.set(why, [...(byReason.get(why) ?? []), name]);
    for (const [why, names] of byReason) out.push(...comment(`${why}: ${names.join(', ')}.`));
    if (b.functionMacros.length > 0)
      out.push(...comment(`function-like: ${b.functionMacros.join(', ')}.`));
    out.push('');
  }
  return out.join('\n');
};
