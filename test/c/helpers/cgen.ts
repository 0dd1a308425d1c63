/**
 * C declarations for random layouts, so that the compilers can check them: each root becomes a
 * type R<k> with copy_/sum_/fill_ functions, listed for c/layouts/harness.h (its describe() reports
 * sizes, alignments, offsets and bit-field positions). Scalars map to
 * the <stdint.h> type of their kind, enumerations to their base, `chars(n)` to `char[n]`,
 * `aligned(n, S)` to the member attribute (or, alone, a struct holding one aligned member).
 */
import type { Storable } from '../../../src/foreign/index.js';
import type { ScalarKind } from '../../../src/foreign/storable/layout-description.js';
import { unwrapAligned as unwrapMember } from '../../../src/foreign/layout/members.js';

const C_SCALAR: Readonly<Record<ScalarKind, string>> = {
  i8: 'int8_t',
  u8: 'uint8_t',
  i16: 'int16_t',
  u16: 'uint16_t',
  i32: 'int32_t',
  u32: 'uint32_t',
  i64: 'int64_t',
  u64: 'uint64_t',
  i64n: 'int64_t',
  u64n: 'uint64_t',
  f32: 'float',
  f64: 'double',
  bool32: 'int32_t',
  bool8: '_Bool',
  char32: 'uint32_t',
};

/** `aligned(n, S)` unwrapped: the stored instance and the explicit alignment (0 for none). */
const unwrapAligned = (S: Storable<any>): { stored: Storable<any>; explicit: number } => {
  const { stored, explicit } = unwrapMember(S);
  return { stored, explicit: explicit ?? 0 };
};

class CWriter {
  readonly decls: string[] = [];
  private readonly names = new Map<Storable<any>, string>();
  private count = 0;

  /** A C type name for `S` as a standalone type. */
  type(S: Storable<any>): string {
    const layout = S.layout;
    if (layout === undefined) throw new Error(`cgen: ${S.name} has no layout`);
    if (layout.tag === 'scalar') return C_SCALAR[layout.kind];
    if (layout.tag === 'enum') return C_SCALAR[layout.kind];
    const known = this.names.get(S);
    if (known !== undefined) return known;
    const name = `T${this.count++}`;
    switch (layout.tag) {
      case 'chars':
        this.decls.push(`typedef char ${name}[${layout.length}];`);
        break;
      case 'array':
        this.decls.push(`typedef ${this.type(layout.element)} ${name}[${layout.length}];`);
        break;
      case 'aligned': {
        const { stored, explicit } = unwrapAligned(S);
        this.decls.push(
          `typedef struct { ${this.type(stored)} v __attribute__((aligned(${explicit}))); } ${name};`,
        );
        break;
      }
      case 'struct':
      case 'union': {
        const fields = (S as unknown as { fields: Record<string, any> }).fields;
        const members = Object.entries(fields).map(([k, m]) => this.member(k, m));
        const { packed, declaredAlign } = S as unknown as {
          packed: boolean;
          declaredAlign: number;
        };
        const attrs = [
          ...(packed ? ['packed'] : []),
          ...(declaredAlign > 1 ? [`aligned(${declaredAlign})`] : []),
        ];
        const attr = attrs.length > 0 ? ` __attribute__((${attrs.join(', ')}))` : '';
        this.decls.push(`typedef ${layout.tag}${attr} { ${members.join(' ')} } ${name};`);
        break;
      }
    }
    this.names.set(S, name);
    return name;
  }

  private member(key: string, m: any): string {
    if (m._tag === 'BitField') return `${C_SCALAR[m.kind as ScalarKind]} ${key} : ${m.width};`;
    if (m._tag === 'UnnamedBits') return `${C_SCALAR[m.kind as ScalarKind]} : ${m.width};`;
    const { stored, explicit } = unwrapAligned(m);
    const attr = explicit > 0 ? ` __attribute__((aligned(${explicit})))` : '';
    return `${this.type(stored)} ${key}${attr};`;
  }
}

let loop = 0;

/** C statements that copy `s` to `d` member by member (unions: their first member). */
const copy = (S: Storable<any>, d: string, s: string): string[] => {
  const layout = S.layout;
  switch (layout?.tag) {
    case 'scalar':
    case 'enum':
      return [`${d} = ${s};`];
    case 'chars': {
      const i = `i${loop++}`;
      return [`for (int ${i} = 0; ${i} < ${layout.length}; ${i}++) (${d})[${i}] = (${s})[${i}];`];
    }
    case 'array': {
      const i = `i${loop++}`;
      const body = copy(layout.element, `(${d})[${i}]`, `(${s})[${i}]`);
      return [`for (int ${i} = 0; ${i} < ${layout.length}; ${i}++) {`, ...body, '}'];
    }
    case 'aligned':
      return copy(unwrapAligned(S).stored, `(${d}).v`, `(${s}).v`);
    case 'struct':
      return layout.members.flatMap((m) =>
        m.tag === 'bits'
          ? [`(${d}).${m.key} = (${s}).${m.key};`]
          : copy(m.storable, `(${d}).${m.key}`, `(${s}).${m.key}`),
      );
    case 'union': {
      const first = layout.members[0] as { key: string; storable: Storable<any> };
      return copy(first.storable, `(${d}).${first.key}`, `(${s}).${first.key}`);
    }
    default:
      throw new Error(`cgen: ${S.name} has no layout`);
  }
};

/** C statements that mix every member of `s` into `h`, as copy() visits them (see harness.h). */
const sum = (S: Storable<any>, s: string): string[] => {
  const layout = S.layout;
  switch (layout?.tag) {
    case 'scalar':
    case 'enum':
      return [`h = MIX(h, ${s});`];
    case 'chars': {
      const i = `i${loop++}`;
      return [`for (int ${i} = 0; ${i} < ${layout.length}; ${i}++) h = MIX(h, (${s})[${i}]);`];
    }
    case 'array': {
      const i = `i${loop++}`;
      const body = sum(layout.element, `(${s})[${i}]`);
      return [`for (int ${i} = 0; ${i} < ${layout.length}; ${i}++) {`, ...body, '}'];
    }
    case 'aligned':
      return sum(unwrapAligned(S).stored, `(${s}).v`);
    case 'struct':
      return layout.members.flatMap((m) =>
        m.tag === 'bits' ? [`h = MIX(h, (${s}).${m.key});`] : sum(m.storable, `(${s}).${m.key}`),
      );
    case 'union': {
      const first = layout.members[0] as { key: string; storable: Storable<any> };
      return sum(first.storable, `(${s}).${first.key}`);
    }
    default:
      throw new Error(`cgen: ${S.name} has no layout`);
  }
};

/**
 * A C file declaring the roots as R0, R1, … with the harness's lists: the whole-byte members
 * and the named bit-fields of every root that is a struct.
 */
export const cSource = (roots: ReadonlyArray<Storable<any>>): string => {
  const w = new CWriter();
  const lines: string[] = [];
  roots.forEach((S, k) => {
    const name = `R${k}`;
    lines.push(`typedef ${w.type(S)} ${name};`);
    lines.push(
      `EXPORT void copy_${name}(${name} *d, const ${name} *s) {`,
      'ZERO(d);',
      ...copy(S, '(*d)', '(*s)'),
      '}',
    );
    lines.push(
      `EXPORT uint64_t sum_${name}(const ${name} *s) {`,
      'uint64_t h = HARNESS_SEED;',
      ...sum(S, '(*s)'),
      'return h;',
      '}',
    );
    lines.push(`EXPORT void fill_${name}(${name} *d) { ZERO(d); }`);
  });
  const members = (tag: 'field' | 'bits', macro: string): string =>
    roots
      .flatMap((S, k) =>
        S.layout?.tag === 'struct'
          ? S.layout.members.filter((m) => m.tag === tag).map((m) => `${macro}(R${k}, ${m.key})`)
          : [],
      )
      .join(' ');
  return [
    '#include "harness.h"',
    ...w.decls,
    ...lines,
    `#define ALL_TYPES(X) ${roots.map((_, k) => `X(R${k})`).join(' ')}`,
    `#define ALL_FIELDS(F) ${members('field', 'F')}`,
    `#define ALL_BITS(B) ${members('bits', 'B')}`,
    'HARNESS',
    '',
  ].join('\n');
};

/**
 * A header declaring the roots as R0, R1, … and nothing else, for `foreign-ts bind`
 * (test/c/bind-live.test.ts).
 */
export const cHeader = (roots: ReadonlyArray<Storable<any>>): string => {
  const w = new CWriter();
  const lines = roots.map((S, k) => `typedef ${w.type(S)} R${k};`);
  return ['#include <stdint.h>', ...w.decls, ...lines, ''].join('\n');
};
