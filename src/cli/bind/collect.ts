/// <reference types="node" />
/**
 * A whole header to {@link Bindings}: its macros (`-E -dD`), the declarations of its own file
 * in their order (variables and unknown kinds refused), rounds of probes and translation until
 * nothing used by value is pending (translate.ts), the data model's check, the enumerators and
 * macros as constants (macros.ts), and the check of every layout against clang (verify.ts).
 *
 * @since 0.1.0
 */
import { resolve } from 'node:path';
import { readMacros, runClang, type Macro, type Node } from './clang.js';
import { macroConstants, probeMacros } from './macros.js';
import {
  BindError,
  MODELS,
  type BindOptions,
  type Bindings,
  type IntegerConstantIR,
  type RefusedIR,
  type ScalarRef,
} from './model.js';
import { Collector, RESERVED } from './translate.js';
import { verify } from './verify.js';

/** The ordinary identifiers of the header (a tag that is one of them is written `struct_X`). */
const ordinaryNames = (
  c: Collector,
  macros: readonly Macro[],
  top: readonly Node[],
): Set<string> => {
  const ordinary = new Set<string>([
    ...macros.map((m) => m.name),
    ...top.filter((n) => n.kind !== 'RecordDecl' && n.kind !== 'EnumDecl').map((n) => n.name ?? ''),
    ...[...c.byId.values()].filter((n) => n.kind === 'TypedefDecl').map((n) => n.name as string),
  ]);
  for (const e of c.byId.values()) {
    if (e.kind === 'EnumDecl')
      for (const k of e.inner ?? []) if (k.name !== undefined) ordinary.add(k.name);
  }
  return ordinary;
};

/**
 * What the header declares, in its order (functions once: the first declaration, with the probe
 * of its type), to be translated; the variables and other kinds are refused into `refused`.
 */
const rootsOf = (c: Collector, top: readonly Node[], refused: RefusedIR[]): string[] => {
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
        refused.push({
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
        refused.push({
          d: 'refused',
          what: `${n.kind} ${n.name ?? ''}`.trim(),
          why: 'a kind of declaration the generator does not know',
          where: c.where(n),
        });
    }
  }
  return roots;
};

/** Rounds: probe what is pending, translate it; what it uses by value is pending next. */
const translateAll = (c: Collector): void => {
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
};

/** Throws a {@link BindError} unless the target's pointers and `long` are the model's. */
const checkDataModel = (c: Collector): void => {
  const pointerSize = c.probedValue('__fb_pointer')?.value;
  const longSize = c.probedValue('__fb_long')?.value;
  const want = MODELS[c.model];
  if (Number(pointerSize) !== want.pointer || Number(longSize) !== want.long) {
    throw new BindError(
      `the target ${c.target} has ${pointerSize}-byte pointers and ${longSize}-byte longs, not the ${c.model} data model's ${want.pointer} and ${want.long}`,
    );
  }
};

/** The enumerators of the header's own enums, as constants. */
const enumerators = (c: Collector): IntegerConstantIR[] =>
  [...c.decls.values()].flatMap((decl) =>
    decl.d !== 'enum' || !c.inHeader(c.byId.get(decl.id) as Node)
      ? []
      : decl.constants.map(([name, value]): IntegerConstantIR => ({
          d: 'constant',
          c: 'integer',
          name,
          value,
          type: decl.base as ScalarRef,
          ctype: decl.cName,
          from: 'enum',
          where: decl.where,
        })),
  );

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

/**
 * Asks clang about `o.header` for `o.model` and returns what the module will hold. Throws a
 * `ClangError` when clang fails on the header (its diagnostics are the message) and a
 * `BindError` when the target's data model is not the model's.
 */
export const collect = (o: BindOptions): Bindings => {
  const c = new Collector(o);
  const macros = readMacros(
    runClang(c.clang, [...c.base(), '-E', '-dD', o.header], o.header),
    new Set([c.resolved, ...(o.macrosOf ?? []).map((f) => resolve(f))]),
  );
  c.runProbes();
  const top = (c.ast.inner ?? []).filter((n) => n.isImplicit !== true && c.inHeader(n));
  c.assignNames(ordinaryNames(c, macros.objects, top));
  const refused: RefusedIR[] = [];
  const roots = rootsOf(c, top, refused);
  for (const id of roots) c.wanted.add(id);
  c.pending.push(...roots);
  const macroProbes = probeMacros(c, macros.objects);
  translateAll(c);
  checkDataModel(c);

  // Constants: the enumerators of the header's enums, then its integer macros.
  const constants = enumerators(c);
  const names = new Set([...c.names.values(), ...constants.map((k) => k.name)]);
  const fromMacros = macroConstants(
    c,
    macroProbes,
    (name) => names.has(name) || RESERVED.has(name),
  );
  const checked = verify(c);
  return {
    header: o.header,
    model: o.model,
    target: c.target,
    decls: [...checked.decls, ...constants, ...fromMacros.constants],
    refused: byPlace([...checked.refused, ...refused, ...fromMacros.refused]),
    otherMacros: fromMacros.other,
    functionMacros: macros.functions.sort(),
    clangArgs: c.args,
  };
};
