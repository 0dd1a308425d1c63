/**
 * The generator's own check, before it writes anything: every struct and union it would write is
 * built here with the library's combinators, as the generated module will build it, and compared
 * with clang's record layout (size, alignment, the offset of every member, the first bit of every
 * bit-field); every typedef's size and alignment with clang's `sizeof` and `_Alignof`. A
 * declaration that differs is refused, with the difference as the reason, and so is everything
 * that uses it by value: the generator writes no layout clang does not agree with.
 *
 * @since 0.1.0
 */
import {
  aligned,
  anonymous,
  array,
  bits,
  chars,
  lp64,
  offsetOf,
  struct,
  union,
  unnamedBits,
  wasm32,
  type Storable,
} from '../../foreign/index.js';
import * as foreign from '../../foreign/index.js';
import type { RecordLayoutDump } from './clang.js';
import {
  memberKeys,
  type DeclIR,
  type ModelName,
  type OpaqueIR,
  type Pointee,
  type RecordIR,
  type RefusedIR,
  type TypeRef,
} from './model.js';

/** What the check needs from the collection. */
export interface VerifyContext {
  readonly model: ModelName;
  readonly decls: Map<string, DeclIR>;
  readonly deps: Map<string, Set<string>>;
  readonly refusedIds: Map<string, RefusedIR>;
  /** The TypeScript name of a record by id (for opaque pointees). */
  pointeeName(id: string): string | undefined;
  cNameOf(id: string): string;
  /** The names clang's layout dump may give the record: its type name, its location. */
  recordKeys(id: string): string[];
  /** The value of the constant probe made under `key`. */
  probed(key: string): bigint | undefined;
  /** clang's layouts of the records (runs clang). */
  layouts(): RecordLayoutDump[];
}

class Mismatch extends Error {}

/**
 * The declarations that pass the check, in an order where each comes after what it uses by value,
 * with an opaque type for every record that is only pointed to; and every refusal.
 */
export const verify = (v: VerifyContext): { decls: DeclIR[]; refused: RefusedIR[] } => {
  const dm = v.model === 'wasm32' ? wasm32 : lp64;
  const refused = new Map(v.refusedIds);
  const dumps = new Map<string, RecordLayoutDump>();
  for (const d of v.layouts()) {
    const at = / at (.+):(\d+):(\d+)\)$/.exec(d.type);
    dumps.set(at === null ? d.type : `${at[1]}:${at[2]}:${at[3]}`, d);
  }
  const instances = new Map<string, Storable<any>>();
  const done = new Set<string>();
  const order: DeclIR[] = [];

  const refuseDecl = (id: string, decl: DeclIR, why: string): void => {
    refused.set(id, {
      d: 'refused',
      what: describe(decl),
      why,
      where: 'where' in decl ? decl.where : '',
    });
  };

  const instance = (t: TypeRef): Storable<any> => {
    switch (t.t) {
      case 'scalar': {
        const [owner, name] = t.expr.startsWith('m.') ? [dm, t.expr.slice(2)] : [foreign, t.expr];
        return (owner as unknown as Record<string, Storable<any>>)[name] as Storable<any>;
      }
      case 'decl': {
        const S = instances.get(t.name);
        if (S === undefined) throw new Mismatch(`uses ${t.name}, which is not generated`);
        return S;
      }
      case 'pointer':
        return dm.Ptr;
      case 'funptr':
        return dm.FunPtr;
      case 'array':
        return array(instance(t.of), t.length);
      case 'chars':
        return chars(t.length);
    }
  };

  const recordInstance = (r: RecordIR): Storable<any> => {
    const keys = memberKeys(r);
    const fields: Record<string, any> = {};
    r.members.forEach((m, i) => {
      const key = keys[i] as string;
      switch (m.m) {
        case 'field': {
          const S = instance(m.type);
          fields[key] = m.align === undefined ? S : aligned(m.align, S);
          break;
        }
        case 'bits':
          fields[key] =
            m.name === undefined
              ? unnamedBits(instance(m.type) as Storable<number>, m.width)
              : bits(instance(m.type) as Storable<number>, m.width);
          break;
        case 'anonymous':
          fields[key] = anonymous(recordInstance(m.record));
          break;
        case 'flexible':
          fields[key] = array(instance(m.type), 0);
          break;
      }
    });
    const options = {
      name: r.cName,
      packed: r.packed,
      ...(r.align === undefined ? {} : { align: r.align }),
    };
    try {
      return r.tag === 'struct' ? struct(fields, options) : union(fields, options);
    } catch (e) {
      throw new Mismatch(`the layout combinators refuse it: ${(e as Error).message}`);
    }
  };

  const dumpOf = (r: RecordIR): RecordLayoutDump => {
    for (const key of v.recordKeys(r.id)) {
      const d = dumps.get(key);
      if (d !== undefined) return d;
    }
    throw new Mismatch('clang reported no layout for it');
  };

  /** Compares the members of `r` (at bit `base` of `holder`) with clang's offsets. */
  const compare = (holder: Storable<any>, r: RecordIR, base: number, S: Storable<any>): void => {
    const d = dumpOf(r);
    if (d.size !== S.sizeOf * 8 || d.align !== S.alignment * 8) {
      throw new Mismatch(
        `clang gives it ${d.size / 8} bytes aligned to ${d.align / 8}, the layout ${S.sizeOf} aligned to ${S.alignment}`,
      );
    }
    if (d.fieldOffsets.length !== r.members.length && r.tag === 'struct') {
      throw new Mismatch(
        `clang reports ${d.fieldOffsets.length} members, the layout ${r.members.length}`,
      );
    }
    r.members.forEach((m, i) => {
      const at = base + (d.fieldOffsets[i] ?? 0);
      switch (m.m) {
        case 'field':
        case 'flexible': {
          const ours = offsetOf(holder, m.name) * 8;
          if (ours !== at)
            throw new Mismatch(
              `${m.name}: clang puts it at byte ${at / 8}, the layout at ${ours / 8}`,
            );
          break;
        }
        case 'bits': {
          if (m.name === undefined) break;
          const ours = bitOffset(holder, m.name, 0);
          if (ours !== at)
            throw new Mismatch(
              `${m.name}: clang puts the bit-field at bit ${at}, the layout at ${ours}`,
            );
          break;
        }
        case 'anonymous': {
          const inner = anonymousInstance(S, memberKeys(r)[i] as string);
          compare(holder, m.record, at, inner);
          break;
        }
      }
    });
  };

  const visit = (id: string): void => {
    if (done.has(id)) return;
    done.add(id);
    const decl = v.decls.get(id);
    if (decl === undefined) return;
    for (const dep of v.deps.get(id) ?? []) visit(dep);
    for (const dep of v.deps.get(id) ?? []) {
      const r = refused.get(dep);
      if (r !== undefined) return refuseDecl(id, decl, `uses ${r.what}, which is refused`);
      if (!v.decls.has(dep))
        return refuseDecl(id, decl, `uses ${v.cNameOf(dep)}, which has no layout here`);
    }
    try {
      switch (decl.d) {
        case 'record': {
          const S = recordInstance(decl);
          compare(S, decl, 0, S);
          instances.set(decl.name, S);
          break;
        }
        case 'typedef': {
          const S = instance(decl.type);
          const size = v.probed(`typedef size ${id}`);
          const align = v.probed(`typedef align ${id}`);
          if (size === undefined || align === undefined)
            throw new Mismatch('clang gave no size for it');
          if (Number(size) !== S.sizeOf || Number(align) !== S.alignment) {
            throw new Mismatch(
              `clang gives it ${size} bytes aligned to ${align}, the layout ${S.sizeOf} aligned to ${S.alignment}`,
            );
          }
          instances.set(decl.name, S);
          break;
        }
        case 'function':
          for (const t of [decl.result, ...decl.params.map((p) => p.type)])
            if (t !== undefined) instance(t);
          break;
        default:
          break;
      }
      order.push(decl);
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      refuseDecl(id, decl, e.message);
    }
  };
  for (const id of v.decls.keys()) visit(id);

  // Records only pointed to (or refused) are opaque types.
  const generated = new Set(order.flatMap((d) => (d.d === 'record' ? [d.id] : [])));
  const opaque = new Map<string, OpaqueIR>();
  const pointees = (t: TypeRef | undefined): Pointee[] => {
    if (t === undefined) return [];
    if (t.t === 'pointer') return [t.to, ...(t.to.t === 'type' ? pointees(t.to.type) : [])];
    if (t.t === 'array') return pointees(t.of);
    if (t.t === 'funptr' && t.fn !== undefined)
      return [t.fn.result, ...t.fn.params].flatMap(pointees);
    return [];
  };
  const typesOf = (d: DeclIR): Array<TypeRef | undefined> => {
    switch (d.d) {
      case 'record':
        return membersTypes(d);
      case 'typedef':
        return [d.type];
      case 'function':
        return [d.result, ...d.params.map((p) => p.type)];
      default:
        return [];
    }
  };
  for (const d of order) {
    for (const p of typesOf(d).flatMap(pointees)) {
      if (p.t !== 'record' || generated.has(p.id) || opaque.has(p.id)) continue;
      const name = v.pointeeName(p.id);
      if (name !== undefined)
        opaque.set(p.id, { d: 'opaque', id: p.id, name, cName: v.cNameOf(p.id) });
    }
  }
  return { decls: [...opaque.values(), ...order], refused: [...refused.values()] };
};

const membersTypes = (r: RecordIR): TypeRef[] =>
  r.members.flatMap((m) =>
    m.m === 'anonymous' ? membersTypes(m.record) : m.m === 'bits' ? [] : [m.type],
  );

/** The instance of the anonymous member with `key` in the struct or union `S`. */
const anonymousInstance = (S: Storable<any>, key: string): Storable<any> => {
  const fields = (S as unknown as { fields: Record<string, { storable: Storable<any> }> }).fields;
  return (fields[key] as { storable: Storable<any> }).storable;
};

/** The first bit of bit-field `name` in `S` (a struct or union), through anonymous members. */
const bitOffset = (S: Storable<any>, name: string, base: number): number | undefined => {
  const layout = S.layout;
  if (layout?.tag === 'struct') {
    for (const m of layout.members) {
      if (m.tag === 'bits' && m.key === name) return base + m.bitOffset;
      if (m.tag === 'spread') {
        const found = bitOffset(m.storable, name, base + m.offset * 8);
        if (found !== undefined) return found;
      }
    }
  }
  if (layout?.tag === 'union') {
    for (const m of layout.members) {
      if (m.spread !== true) continue;
      const found = bitOffset(m.storable, name, base);
      if (found !== undefined) return found;
    }
  }
  return undefined;
};

const describe = (d: DeclIR): string => {
  switch (d.d) {
    case 'record':
      return d.cName;
    case 'typedef':
      return `typedef ${d.name}`;
    case 'enum':
      return d.cName;
    case 'function':
      return `function ${d.name}`;
    case 'constant':
      return d.name;
    case 'opaque':
      return d.cName;
  }
};
