/**
 * Types that refer to themselves: `struct node { struct node *next; }`. TypeScript cannot infer
 * the value type of such a struct (`StructValue<typeof node$fields>`, where the fields hold
 * `ptrTo<node>()`), so the module writes the value type of one struct of each cycle by hand
 * (an object type, whose members TypeScript reads lazily), from the same description the layout
 * is written from. A cycle through unions and structs with anonymous members only (whose value
 * types are not written by hand) is cut instead: its pointers to the cycle's own types are
 * written as `Ptr<unknown>`.
 *
 * @since 0.1.0
 */
import type { DeclIR, Pointee, RecordIR, TypeRef } from './model.js';

/** Which records get a written value type, and which pointers are written as `Ptr<unknown>`. */
export interface Cycles {
  /** Records (by TypeScript name) whose value type the module writes. */
  readonly written: ReadonlySet<string>;
  /** For a record or typedef (by name), the names its pointers are not typed with. */
  readonly cut: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Whether the module can write the value type of `r` by hand: a struct without anonymous members. */
export const writable = (r: RecordIR): boolean =>
  r.tag === 'struct' && r.members.every((m) => m.m !== 'anonymous');

/** The names `t` mentions (by value or through pointers). */
const mentions = (t: TypeRef | undefined, names: (id: string) => string | undefined): string[] => {
  if (t === undefined) return [];
  switch (t.t) {
    case 'decl':
      return [t.name];
    case 'pointer':
      return pointeeMentions(t.to, names);
    case 'funptr':
      return t.fn === undefined
        ? []
        : [t.fn.result, ...t.fn.params].flatMap((x) => mentions(x, names));
    case 'array':
      return mentions(t.of, names);
    default:
      return [];
  }
};

const pointeeMentions = (p: Pointee, names: (id: string) => string | undefined): string[] => {
  if (p.t === 'record') {
    const name = names(p.id);
    return name === undefined ? [] : [name];
  }
  return p.t === 'type' ? mentions(p.type, names) : [];
};

const recordMentions = (r: RecordIR, names: (id: string) => string | undefined): string[] =>
  r.members.flatMap((m) =>
    m.m === 'anonymous'
      ? recordMentions(m.record, names)
      : m.m === 'bits'
        ? []
        : mentions(m.type, names),
  );

/** The strongly connected components of `graph` with a cycle (Tarjan's algorithm). */
const cyclicComponents = (graph: ReadonlyMap<string, readonly string[]>): string[][] => {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) as number);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(component);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
};

/** The cycles among the records and typedefs of a module, and how each is broken. */
export const findCycles = (
  decls: readonly DeclIR[],
  names: (id: string) => string | undefined,
): Cycles => {
  const graph = new Map<string, string[]>();
  const records = new Map<string, RecordIR>();
  for (const d of decls) {
    if (d.d === 'record') {
      records.set(d.name, d);
      graph.set(d.name, recordMentions(d, names));
    } else if (d.d === 'typedef') graph.set(d.name, mentions(d.type, names));
  }
  const written = new Set<string>();
  for (const component of cyclicComponents(graph)) {
    for (const name of component) {
      const r = records.get(name);
      if (r !== undefined && writable(r)) written.add(name);
    }
  }
  // What is left once the written records are out of the graph: cycles to cut.
  const rest = new Map([...graph].filter(([name]) => !written.has(name)));
  const cut = new Map<string, Set<string>>();
  for (const component of cyclicComponents(rest)) {
    const members = new Set(component);
    for (const name of component) cut.set(name, members);
  }
  return { written, cut };
};
