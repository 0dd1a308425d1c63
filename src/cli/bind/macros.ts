/**
 * The object-like macros of a header as constants: each is asked of clang as an integer constant
 * expression (`enum { probe = (NAME) };`: clang evaluates it, with its type, and refuses what is
 * not one); one that is not is read from its expansion as a floating literal (checked by clang
 * with `(NAME) == VALUE`) or as string literals (checked with `sizeof(NAME)`). Everything else is
 * listed in the module's comment with the reason it is not written.
 *
 * @since 0.1.0
 */
import { macroProblem, type Macro } from './clang.js';
import {
  cHexDouble,
  floatLiteral,
  stringLiteral,
  type FloatLiteral,
  type StringLiteral,
} from './literals.js';
import type { ConstantIR, ModelName, RefusedIR } from './model.js';
import { builtinScalar } from './scalars.js';

/** What the macro step needs of the collection. */
export interface MacroContext {
  readonly model: ModelName;
  /** A file's path as the module shows it. */
  shown(file: string): string;
  /** Adds a probe line (once per key); returns its name. */
  probe(key: string, make: (name: string) => string): string;
  /** The value and C type an `enum` probe gave, once the probes have run. */
  probedValue(name: string): { value: bigint; type: string } | undefined;
  /** The expansion of each macro, by clang's preprocessor after the header. */
  expansions(names: readonly string[]): Map<string, string>;
}

/** A macro with the probes asked about it. */
export interface ProbedMacro {
  readonly m: Macro;
  readonly problem?: string;
  readonly integer?: string;
  readonly float?: FloatLiteral;
  readonly string?: StringLiteral;
  /** The probe of the check of the floating value or the string's size. */
  readonly check?: string;
}

/** Adds the probes of `macros` (they are answered with the next run of the probes). */
export const probeMacros = (c: MacroContext, macros: readonly Macro[]): ProbedMacro[] => {
  const expandable = macros.filter((m) => macroProblem(m.body) === undefined);
  const expansion = c.expansions(expandable.map((m) => m.name));
  return macros.map((m): ProbedMacro => {
    const problem = macroProblem(m.body);
    if (problem !== undefined) return { m, problem };
    const text = expansion.get(m.name) ?? m.body;
    const integer = c.probe(`macro ${m.name}`, (p) => `enum { ${p} = (${m.name}) };`);
    const float = floatLiteral(text);
    if (float.ok) {
      const check = c.probe(
        `macro float ${m.name}`,
        (p) => `enum { ${p} = ((${m.name}) == ${cHexDouble(float.value)}) };`,
      );
      return { m, integer, float, check };
    }
    const string = stringLiteral(text);
    if (string.ok) {
      const check = c.probe(`macro sizeof ${m.name}`, (p) => `enum { ${p} = sizeof(${m.name}) };`);
      return { m, integer, float, string, check };
    }
    return { m, integer, float, string };
  });
};

/** The outcome for every macro: its constant, or the reason it is not one. */
export const macroConstants = (
  c: MacroContext,
  probed: readonly ProbedMacro[],
  taken: (name: string) => boolean,
): { constants: ConstantIR[]; other: Array<readonly [string, string]>; refused: RefusedIR[] } => {
  const constants: ConstantIR[] = [];
  const other: Array<readonly [string, string]> = [];
  const refused: RefusedIR[] = [];
  for (const x of probed) {
    const { name } = x.m;
    const where = `${c.shown(x.m.file)}:${x.m.line}`;
    const constant = x.problem === undefined ? constantOf(c, x, where) : x.problem;
    if (typeof constant === 'string') {
      other.push([name, constant]);
      continue;
    }
    if (taken(name)) {
      refused.push({
        d: 'refused',
        what: `#define ${name}`,
        why: 'its name is that of another declaration of the module',
        where,
      });
      continue;
    }
    constants.push(constant);
  }
  return { constants, other, refused };
};

/** The constant `x` is, or the reason it is none. */
const constantOf = (c: MacroContext, x: ProbedMacro, where: string): ConstantIR | string => {
  const { name } = x.m;
  const v = x.integer === undefined ? undefined : c.probedValue(x.integer);
  const type = v === undefined ? undefined : builtinScalar(v.type, c.model);
  if (v !== undefined && type !== undefined && !type.float) {
    return {
      d: 'constant',
      c: 'integer',
      name,
      value: v.value,
      type,
      ctype: v.type,
      from: 'macro',
      where,
    };
  }
  const check = x.check === undefined ? undefined : c.probedValue(x.check);
  const text = x.m.body;
  if (x.float?.ok === true) {
    if (check?.value !== 1n) return `a floating literal clang does not read as ${x.float.value}`;
    return {
      d: 'constant',
      c: 'float',
      name,
      value: x.float.value,
      ctype: x.float.ctype,
      text,
      where,
    };
  }
  if (x.string?.ok === true) {
    const bytes = x.string.bytes.length;
    if (check === undefined || Number(check.value) !== bytes + 1)
      return `a string literal of ${check?.value ?? '?'} bytes for clang, ${bytes + 1} as the generator reads it`;
    return { d: 'constant', c: 'string', name, value: x.string.value, bytes, text, where };
  }
  if (x.string !== undefined && x.string.why !== 'not a string literal') return x.string.why;
  if (x.float !== undefined) return x.float.why;
  return 'not a constant the generator writes';
};
