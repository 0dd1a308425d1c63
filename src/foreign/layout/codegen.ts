/**
 * Code generation: compiles a layout, once, into straight-line JavaScript (`new Function`) that
 * does what hand-written code would.
 *
 * Each reader and writer comes in two functions. When the address is aligned to the layout's
 * widest access (`(p & 7) === 0` for a struct holding doubles), `read` and `write` read and write
 * every naturally placed member through the typed-array views (`v.f64[(p + 8) >>> 3]`), which
 * are several times cheaper than the `DataView` for 64-bit integers; otherwise they hand over to
 * `readAny` and `writeAny`, which use the `DataView`. Padding is zeroed with the widest stores
 * the alignment allows. Arrays are unrolled when small and looped otherwise. Anything that can
 * fail (a `Char`, an enum tag, a `number`-flavoured 64-bit integer, a `chars` string) calls a
 * small helper that throws the `MarshalError` of its path.
 *
 * The code is kept small on purpose: values are read into the result's object literal and
 * members straight into their stores (a variable only where a value is used twice, or where a
 * loop must run in order), and the misaligned case is a separate function. V8 inlines functions
 * of up to 460 bytes of bytecode, and only an inlined `read`, `write` and `is` let a
 * `peek(S, p)()` or `poke(S, p, a)()` in a loop run with no call at all.
 *
 * @since 0.1.0
 */
import {
  ANY_INDEX,
  elementPath,
  memberPath,
  rootLabel,
  withIndex,
  type Site,
  rawAccess,
  scalarIsSource,
  scalarSize,
  toCBool,
  toChar,
  toI64n,
  toU64n,
  type ArrayWriter,
  type Storable,
  type BitsLayout,
  type ScalarKind,
  type UnionMemberLayout,
} from '../storable/index.js';
import { valueKeys } from './anonymous.js';
import type { Compiled } from './compile.js';
import { enumNamer } from './enum.js';
import { unionReader } from './interpret.js';
import { membersOf } from './member-kinds.js';
import { lowBit } from '../../arguments/index.js';
import { accessWidth, readCanFail } from './traits.js';

/** An address: `base + off`, where `base` is known to be a multiple of `align`. */
interface Addr {
  readonly base: string;
  readonly off: number;
  readonly align: number;
}

const plus = (a: Addr, d: number): Addr => ({ base: a.base, off: a.off + d, align: a.align });
const addr = (a: Addr): string => (a.off === 0 ? a.base : `${a.base} + ${a.off}`);
const knownAlign = (a: Addr): number => Math.min(a.align, lowBit(a.off));
const index = (a: Addr, shift: number): string =>
  shift === 0 ? addr(a) : `(${addr(a)}) >>> ${shift}`;
const key = (k: string): string => `[${JSON.stringify(k)}]`;

/** Arrays whose unrolled code would have more accesses than this are looped. */
const UNROLL_LIMIT = 32;
/** Padding runs longer than this are zeroed with `fill`. */
const FILL_LIMIT = 32;

/** The helper values and fresh names shared by the functions of one compilation. */
class Unit {
  readonly values: unknown[] = [];
  private readonly names = new Map<unknown, string>();
  private count = 0;

  ref(value: unknown): string {
    let name = this.names.get(value);
    if (name === undefined) {
      name = `h${this.values.length}`;
      this.names.set(value, name);
      this.values.push(value);
    }
    return name;
  }

  fresh(prefix: string): string {
    return `${prefix}${this.count++}`;
  }
}

/** The lines of one branch of one function, and the views it uses. */
class Block {
  private readonly lines: string[] = [];
  private readonly views = new Set<string>();

  /** The statement a check that fails runs. */
  failure = 'return false;';

  constructor(readonly unit: Unit) {}

  line(text: string): void {
    this.lines.push(text);
  }

  view(name: string): string {
    this.views.add(name);
    return `V_${name}`;
  }

  bind(expr: string, prefix = 'r'): string {
    const name = this.unit.fresh(prefix);
    this.line(`const ${name} = ${expr};`);
    return name;
  }

  /** Appends the lines of `inner` (whose views this block then loads, once, before them). */
  adopt(inner: Block): void {
    for (const name of inner.views) this.views.add(name);
    this.lines.push(...inner.lines);
  }

  text(): string {
    const views = [...this.views].map((n) => `const V_${n} = v.${n};`);
    return [...views, ...this.lines].join('\n');
  }
}

const siteOf = (S: Storable<any>, path: string): Site => ({ path, instance: S.name });

/** The number of accesses the unrolled code of `S` makes (a measure of its size). */
const cost = (S: Storable<any>): number => {
  const layout = S.layout;
  switch (layout?.tag) {
    case 'aligned':
      return cost(layout.inner);
    case 'struct':
      return layout.members.reduce((n, m) => n + (m.tag === 'bits' ? 1 : cost(m.storable)), 0);
    case 'union':
      return layout.members.reduce((n, m) => n + cost(m.storable), 0);
    case 'array': {
      const unrolled = layout.length * cost(layout.element);
      return unrolled <= UNROLL_LIMIT ? unrolled : cost(layout.element) + 2;
    }
    default:
      return 1;
  }
};

const unrolls = (element: Storable<any>, n: number): boolean => n * cost(element) <= UNROLL_LIMIT;

// ---------------------------------------------------------------------------------------------
// scalars

const readScalar = (b: Block, kind: ScalarKind, a: Addr, site: Site): string => {
  if (kind === 'i64n' || kind === 'u64n') {
    const high = kind === 'i64n' ? 'Int32' : 'Uint32';
    const [lo, hi] =
      knownAlign(a) >= 4
        ? [
            `${b.view('u32')}[${index(a, 2)}]`,
            `${b.view(high === 'Int32' ? 'i32' : 'u32')}[${index(plus(a, 4), 2)}]`,
          ]
        : [
            `${b.view('dv')}.getUint32(${addr(a)}, true)`,
            `${b.view('dv')}.get${high}(${addr(plus(a, 4))}, true)`,
          ];
    return `${b.unit.ref(kind === 'u64n' ? toU64n : toI64n)}(${lo}, ${hi}, ${b.unit.ref(site)})`;
  }
  const raw = rawAccess[kind];
  const size = scalarSize[kind];
  const value =
    size === 1 || knownAlign(a) >= size
      ? `${b.view(raw.view)}[${index(a, raw.shift)}]`
      : `${b.view('dv')}.get${raw.dv}(${addr(a)}, true)`;
  switch (kind) {
    case 'bool32':
      return `${value} !== 0`;
    case 'bool8':
      return `${b.unit.ref(toCBool)}(${value}, ${b.unit.ref(site)})`;
    case 'char32':
      return `${b.unit.ref(toChar)}(${value}, ${b.unit.ref(site)})`;
    default:
      return value;
  }
};

const writeScalar = (b: Block, kind: ScalarKind, a: Addr, x: string): void => {
  if (kind === 'i64n' || kind === 'u64n') {
    const high = `Math.floor(${x} / 4294967296)`;
    if (knownAlign(a) >= 4) {
      const u32 = b.view('u32');
      b.line(`${u32}[${index(a, 2)}] = ${x};`);
      b.line(`${u32}[${index(plus(a, 4), 2)}] = ${high};`);
    } else {
      const dv = b.view('dv');
      b.line(`${dv}.setUint32(${addr(a)}, ${x}, true);`);
      b.line(`${dv}.setUint32(${addr(plus(a, 4))}, ${high}, true);`);
    }
    return;
  }
  const raw = rawAccess[kind];
  const size = scalarSize[kind];
  const value = kind === 'bool32' ? `${x} ? 1 : 0` : kind === 'char32' ? `${x}.codePointAt(0)` : x;
  if (size === 1 || knownAlign(a) >= size)
    b.line(`${b.view(raw.view)}[${index(a, raw.shift)}] = ${value};`);
  else b.line(`${b.view('dv')}.set${raw.dv}(${addr(a)}, ${value}, true);`);
};

/** Zeroes the bytes `[from, to)` after `a`, with the widest stores the alignment allows. */
const zero = (b: Block, a: Addr, from: number, to: number): void => {
  if (to <= from) return;
  if (to - from > FILL_LIMIT) {
    b.line(`${b.view('u8')}.fill(0, ${addr(plus(a, from))}, ${addr(plus(a, to))});`);
    return;
  }
  let pos = from;
  while (pos < to) {
    const at = plus(a, pos);
    const align = knownAlign(at);
    if (align >= 4 && pos + 4 <= to) {
      b.line(`${b.view('u32')}[${index(at, 2)}] = 0;`);
      pos += 4;
    } else if (align >= 2 && pos + 2 <= to) {
      b.line(`${b.view('u16')}[${index(at, 1)}] = 0;`);
      pos += 2;
    } else {
      b.line(`${b.view('u8')}[${addr(at)}] = 0;`);
      pos += 1;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// bit-fields

const bitsBytes = (b: Block, m: BitsLayout, a: Addr): string[] => {
  const { byte, nbytes } = membersOf('bits').access(m);
  const u8 = b.view('u8');
  return Array.from({ length: nbytes }, (_, k) => `${u8}[${addr(plus(a, byte + k))}]`);
};

/** The expression reading bit-field `m` of the struct at `a`. */
const readBits = (b: Block, m: BitsLayout, a: Addr, path: string): string => {
  const access = membersOf('bits').access(m);
  if (!access.narrow) {
    const read = membersOf('bits').reader(m, { path, instance: m.codec.name });
    return `${b.unit.ref(read)}(v, ${addr(a)})`;
  }
  const raw = bitsBytes(b, m, a)
    .map((byte, k) => (k === 0 ? byte : `${byte} << ${8 * k}`))
    .join(' | ');
  const up = 32 - access.shift - m.width;
  const signed = /^i/.test(m.kind);
  return `(((${raw}) << ${up}) ${signed ? '>>' : '>>>'} ${32 - m.width})`;
};

const writeBits = (b: Block, m: BitsLayout, a: Addr, x: string): void => {
  const access = membersOf('bits').access(m);
  if (!access.narrow) {
    b.line(`${b.unit.ref(membersOf('bits').writer(m))}(v, ${addr(a)}, ${x});`);
    return;
  }
  const value = b.bind(`(${x} & ${2 ** m.width - 1}) << ${access.shift}`, 'm');
  bitsBytes(b, m, a).forEach((byte, k) =>
    b.line(`${byte} |= ${k === 0 ? value : `${value} >>> ${8 * k}`};`),
  );
};

// ---------------------------------------------------------------------------------------------
// readers

/**
 * Whether reading `S` runs a loop (an array too long to unroll): its statements must come
 * before what follows, so the members around it are read into variables, in order.
 */
const readLoops = (S: Storable<any>): boolean => {
  const layout = S.layout;
  switch (layout?.tag) {
    case 'aligned':
      return readLoops(layout.inner);
    case 'struct':
      return layout.members.some((m) => m.tag === 'field' && readLoops(m.storable));
    case 'union':
      return false; // read by a call, an expression
    case 'array':
      return !unrolls(layout.element, layout.length) || readLoops(layout.element);
    default:
      return false;
  }
};

/**
 * The expression reading `S` at `a`. Reads happen in member order, as the interpreter's do (so
 * the first bad member is the one reported): inline in an object or array literal when nothing
 * needs a statement, else each into a variable, in order.
 */
const readNode = (b: Block, S: Storable<any>, a: Addr, path: string): string => {
  const layout = S.layout;
  const unit = b.unit;
  switch (layout?.tag) {
    case undefined:
      return `${unit.ref(S)}.read(v, ${addr(a)})`;
    case 'scalar':
      return readScalar(b, layout.kind, a, siteOf(S, path));
    case 'aligned':
      return readNode(b, layout.inner, a, path);
    case 'enum': {
      const site = siteOf(S, path);
      return `${unit.ref(enumNamer(layout, site))}(${readScalar(b, layout.kind, a, site)})`;
    }
    case 'chars':
      return `${unit.ref(membersOf('chars').reader(layout, siteOf(S, path)))}(${b.view('u8')}, ${addr(a)})`;
    case 'struct': {
      const inOrder = readLoops(S);
      const parts = layout.members.map((m) => {
        // An anonymous union's value (one of its members) is spread into the struct's.
        if (m.tag === 'spread') {
          const r = readNode(b, m.storable, plus(a, m.offset), path);
          return `...${inOrder ? b.bind(r) : r}`;
        }
        const at = memberPath(path, m.key);
        const r =
          m.tag === 'field'
            ? readNode(b, m.storable, plus(a, m.offset), at)
            : readBits(b, m, a, at);
        return `${JSON.stringify(m.key)}: ${inOrder ? b.bind(r) : r}`;
      });
      return `{ ${parts.join(', ')} }`;
    }
    case 'union':
      // Which member a union holds is found by trying them (see `unionReader`): not
      // straight-line code, so generated code calls the one reader both compilers share.
      return `${unit.ref(unionReader(layout, S.sizeOf, path))}(v, ${addr(a)})`;
    case 'array':
      return readArray(b, layout.element, layout.length, a, path);
  }
};

const readArray = (b: Block, element: Storable<any>, n: number, a: Addr, path: string): string => {
  const size = element.sizeOf;
  if (unrolls(element, n)) {
    const inOrder = readLoops(element);
    const items = Array.from({ length: n }, (_, i) => {
      const r = readNode(b, element, plus(a, i * size), elementPath(path, i));
      return inOrder ? b.bind(r) : r;
    });
    return `[${items.join(', ')}]`;
  }
  const out = b.bind('[]');
  const { i, q } = loopHead(b, a, n, size);
  const guarded = readCanFail(element);
  if (guarded) b.line('try {');
  const item = readNode(
    b,
    element,
    { base: q, off: 0, align: Math.min(knownAlign(a), lowBit(size)) },
    path + ANY_INDEX,
  );
  b.line(`${out}.push(${item});`);
  if (guarded)
    b.line(`} catch (e) { throw ${b.unit.ref(withIndex)}(e, ${JSON.stringify(path)}, ${i}); }`);
  b.line('}');
  return out;
};

/** Opens `for (let i…) { const q = a + i * size;` and returns the names. */
const loopHead = (b: Block, a: Addr, n: number, size: number): { i: string; q: string } => {
  const i = b.unit.fresh('i');
  const q = b.unit.fresh('q');
  b.line(`for (let ${i} = 0; ${i} < ${n}; ${i}++) {`);
  b.line(`const ${q} = ${addr(a)} + ${i} * ${size};`);
  return { i, q };
};

// ---------------------------------------------------------------------------------------------
// writers

/**
 * Whether the writer of `S` reads its value once: then a member is written straight from its
 * property (`V_f64[…] = a["x"]`), else the property is read into a variable first (never twice).
 */
const writesOnce = (S: Storable<any>): boolean => {
  const layout = S.layout;
  switch (layout?.tag) {
    case 'scalar':
      return layout.kind !== 'i64n' && layout.kind !== 'u64n';
    case 'aligned':
      return writesOnce(layout.inner);
    case 'struct':
    case 'union':
    case 'array':
      return false;
    default:
      return true;
  }
};

/**
 * The condition that the union value `x` holds member `m`: its property is there, or for an
 * anonymous struct, any of its members' properties.
 */
const memberPresent = (m: UnionMemberLayout, x: string): string =>
  m.spread === true
    ? valueKeys(m.storable)
        .map((k) => `${x}${key(k)} !== undefined`)
        .join(' || ')
    : `${x}${key(m.key)} !== undefined`;

const writeNode = (b: Block, S: Storable<any>, a: Addr, x: string): void => {
  const layout = S.layout;
  const unit = b.unit;
  switch (layout?.tag) {
    case undefined:
      b.line(`${unit.ref(S)}.write(v, ${addr(a)}, ${x});`);
      return;
    case 'scalar':
      writeScalar(b, layout.kind, a, x);
      return;
    case 'aligned':
      writeNode(b, layout.inner, a, x);
      zero(b, a, layout.inner.sizeOf, S.sizeOf);
      return;
    case 'enum':
      writeScalar(b, layout.kind, a, b.bind(`${unit.ref(layout.tags)}[${x}]`, 'w'));
      return;
    case 'chars':
      b.line(`${unit.ref(membersOf('chars').writer(layout))}(${b.view('u8')}, ${addr(a)}, ${x});`);
      return;
    case 'struct':
      for (const [from, to] of layout.gaps) zero(b, a, from, to);
      for (const m of layout.members) {
        const property = `${x}${key(m.key)}`;
        if (m.tag === 'bits') writeBits(b, m, a, property);
        else if (m.tag === 'spread') writeNode(b, m.storable, plus(a, m.offset), x);
        else if (writesOnce(m.storable)) writeNode(b, m.storable, plus(a, m.offset), property);
        else writeNode(b, m.storable, plus(a, m.offset), b.bind(property, 'w'));
      }
      return;
    case 'union':
      layout.members.forEach((m, n) => {
        b.line(`${n === 0 ? 'if' : '} else if'} (${memberPresent(m, x)}) {`);
        writeNode(b, m.storable, a, m.spread === true ? x : b.bind(`${x}${key(m.key)}`, 'w'));
        zero(b, a, m.storable.sizeOf, S.sizeOf);
      });
      b.line('} else {');
      zero(b, a, 0, S.sizeOf);
      b.line('}');
      return;
    case 'array': {
      const { element, length } = layout;
      const size = element.sizeOf;
      if (unrolls(element, length)) {
        for (let i = 0; i < length; i++) writeNode(b, element, plus(a, i * size), `${x}[${i}]`);
        return;
      }
      const { i, q } = loopHead(b, a, length, size);
      writeNode(
        b,
        element,
        { base: q, off: 0, align: Math.min(knownAlign(a), lowBit(size)) },
        `${x}[${i}]`,
      );
      b.line('}');
      return;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// checks

const fail = (b: Block, condition: string): void => b.line(`if (!(${condition})) ${b.failure}`);

/** Whether the check of `S` looks at its value once: then a member is checked in place. */
const checksOnce = (S: Storable<any>): boolean => {
  const layout = S.layout;
  switch (layout?.tag) {
    case undefined:
      return true;
    case 'scalar':
      return /^(f32|f64|bool32|i64n)$/.test(layout.kind);
    case 'aligned':
      return checksOnce(layout.inner);
    default:
      return false;
  }
};

const isNode = (b: Block, S: Storable<any>, x: string): void => {
  const layout = S.layout;
  const unit = b.unit;
  switch (layout?.tag) {
    case undefined:
      fail(b, `${unit.ref(S.codec)}.is(${x})`);
      return;
    case 'scalar':
      fail(b, scalarIsSource(layout.kind, x));
      return;
    case 'aligned':
      isNode(b, layout.inner, x);
      return;
    case 'enum':
      fail(b, `typeof ${x} === 'string' && ${x} in ${unit.ref(layout.tags)}`);
      return;
    case 'chars':
      fail(b, `typeof ${x} === 'string' && ${unit.ref(membersOf('chars').fit(layout))}(${x})`);
      return;
    case 'struct':
      fail(b, `typeof ${x} === 'object' && ${x} !== null`);
      for (const m of layout.members) {
        const property = `${x}${key(m.key)}`;
        if (m.tag === 'bits')
          fail(b, membersOf('bits').isSource(m.kind, m.width, b.bind(property, 'x')));
        else if (m.tag === 'spread') isNode(b, m.storable, x);
        else isNode(b, m.storable, checksOnce(m.storable) ? property : b.bind(property, 'x'));
      }
      return;
    case 'union': {
      fail(b, `typeof ${x} === 'object' && ${x} !== null`);
      const present = b.unit.fresh('c');
      b.line(`let ${present} = 0;`);
      for (const m of layout.members) {
        const y = m.spread === true ? x : b.bind(`${x}${key(m.key)}`, 'x');
        b.line(`if (${m.spread === true ? memberPresent(m, x) : `${y} !== undefined`}) {`);
        b.line(`${present}++;`);
        isNode(b, m.storable, y);
        b.line('}');
      }
      fail(b, `${present} === 1`);
      return;
    }
    case 'array': {
      const { element, length } = layout;
      fail(b, `Array.isArray(${x}) && ${x}.length === ${length}`);
      const item = (i: number | string): string =>
        checksOnce(element) ? `${x}[${i}]` : b.bind(`${x}[${i}]`, 'x');
      if (unrolls(element, length)) {
        for (let i = 0; i < length; i++) isNode(b, element, item(i));
        return;
      }
      const i = b.unit.fresh('i');
      b.line(`for (let ${i} = 0; ${i} < ${length}; ${i}++) {`);
      isNode(b, element, item(i));
      b.line('}');
      return;
    }
  }
};

// ---------------------------------------------------------------------------------------------
// checked writes

/**
 * Checks the value `x` of `S` (into `b`) and writes it at `a` (into `st`), reading each part of
 * the value once: the body of the checked array writer. The checks of {@link isNode} go to `b`,
 * the stores of {@link writeNode} to `st`, from the same variables, so that an element is
 * checked whole before any of it is stored (a failing check runs `b`'s failure statement).
 * Structs, scalars and unrolled arrays are taken apart here; any other part is checked by
 * {@link isNode} and written by {@link writeNode} from one variable.
 */
const checkWriteNode = (b: Block, st: Block, S: Storable<any>, a: Addr, value: string): void => {
  const layout = S.layout;
  const x = b.bind(value, 'x');
  if (layout?.tag === 'scalar') {
    fail(b, scalarIsSource(layout.kind, x));
    writeScalar(st, layout.kind, a, x);
  } else if (layout?.tag === 'struct') {
    fail(b, `typeof ${x} === 'object' && ${x} !== null`);
    for (const [from, to] of layout.gaps) zero(st, a, from, to);
    for (const m of layout.members) {
      if (m.tag === 'field') {
        checkWriteNode(b, st, m.storable, plus(a, m.offset), `${x}${key(m.key)}`);
      } else if (m.tag === 'bits') {
        const y = b.bind(`${x}${key(m.key)}`, 'x');
        fail(b, membersOf('bits').isSource(m.kind, m.width, y));
        writeBits(st, m, a, y);
      } else {
        isNode(b, m.storable, x);
        writeNode(st, m.storable, plus(a, m.offset), x);
      }
    }
  } else if (layout?.tag === 'array' && unrolls(layout.element, layout.length)) {
    fail(b, `Array.isArray(${x}) && ${x}.length === ${layout.length}`);
    for (let i = 0; i < layout.length; i++)
      checkWriteNode(b, st, layout.element, plus(a, i * layout.element.sizeOf), `${x}[${i}]`);
  } else {
    isNode(b, S, x);
    writeNode(st, S, a, x);
  }
};

// ---------------------------------------------------------------------------------------------
// functions

/**
 * The source of a reader or writer called `name`: for a layout aligned to `fast` (> 1), the
 * function itself handles aligned addresses with the typed arrays and calls `${name}Any` (the
 * DataView code, for any address) otherwise; both functions are returned.
 */
const functions = (
  unit: Unit,
  name: string,
  params: string,
  fast: number,
  emit: (b: Block, align: number) => void,
): string => {
  const any = new Block(unit);
  emit(any, 1);
  if (fast <= 1) return `function ${name}(${params}) {\n${any.text()}\n}`;
  const aligned = new Block(unit);
  emit(aligned, fast);
  return [
    `function ${name}Any(${params}) {\n${any.text()}\n}`,
    `function ${name}(${params}) {`,
    `if ((p & ${fast - 1}) !== 0) return ${name}Any(${params});`,
    `${aligned.text()}\n}`,
  ].join('\n');
};

/**
 * Compiles `parts` (functions, then a `return`) with `new Function`, after binding the unit's
 * helper values `h0`, `h1`, …: the source and what it returns. Throws an `EvalError` where code
 * generation is not allowed.
 */
const compileUnit = (unit: Unit, parts: readonly string[]): { source: string; made: unknown } => {
  const helpers = unit.values.map((_, n) => `const h${n} = h[${n}];`).join('\n');
  const source = ['"use strict";', helpers, ...parts].join('\n');
  return { source, made: new Function('h', source)(unit.values) };
};

/**
 * Generates the checked array writer of `S` (an `ArrayWriter` of storable/array-writer.ts):
 * one loop whose body checks an element, as `is` does, and returns its index when a part of it
 * does not fit, then writes it, as `write` does, from the variables the checks read (each
 * property is read once). Check and write are the loop's own code, not calls. A first address
 * not aligned to the layout's widest access hands over to the same loop on the `DataView`
 * (every element is then as misaligned as the first, the size being a multiple of the
 * alignment).
 *
 * @category compilers
 * @since 0.1.0
 */
export const generateArrayWriter = <A>(S: Storable<A>): ArrayWriter<A> => {
  const unit = new Unit();
  const fast = Math.min(S.alignment, accessWidth(S));
  const source = functions(unit, 'writeArray', 'v, p, xs, n', fast, (b, align) => {
    const i = unit.fresh('i');
    const q = unit.fresh('q');
    const stores = new Block(unit);
    b.failure = `return ${i};`;
    b.line(`for (let ${i} = 0, ${q} = p; ${i} < n; ${i}++, ${q} += ${S.sizeOf}) {`);
    checkWriteNode(b, stores, S, { base: q, off: 0, align }, `xs[${i}]`);
    b.adopt(stores);
    b.line('}');
    b.line('return -1;');
  });
  return compileUnit(unit, [source, 'return writeArray;']).made as ArrayWriter<A>;
};

/**
 * Generates the reader, writer and check of `S` as JavaScript and compiles them with
 * `new Function` (which throws an `EvalError` where code generation is not allowed).
 *
 * @category compilers
 * @since 0.1.0
 */
export const generate = <A>(S: Storable<A>): Compiled<A> => {
  const unit = new Unit();
  const root = rootLabel(S.name);
  const fast = Math.min(S.alignment, accessWidth(S));
  const read = functions(unit, 'read', 'v, p', fast, (b, align) => {
    b.line(`return ${readNode(b, S, { base: 'p', off: 0, align }, root)};`);
  });
  const write = functions(unit, 'write', 'v, p, a', fast, (b, align) => {
    writeNode(b, S, { base: 'p', off: 0, align }, 'a');
  });
  const check = new Block(unit);
  isNode(check, S, 'a');
  check.line('return true;');
  const { source, made } = compileUnit(unit, [
    read,
    write,
    `function is(a) {\n${check.text()}\n}`,
    'return { read, write, is };',
  ]);
  return { ...(made as Omit<Compiled<A>, 'source'>), source };
};
