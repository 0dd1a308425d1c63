/**
 * Writes the C check program of a header's {@link Bindings}: the header, then a `describe()` that
 * reports, as JSON, what the C compiler says of every type the module writes (`sizeof`,
 * `_Alignof`, the `offsetof` of every member, the first bit and width of every bit-field) and the
 * value of every constant. It is the same code on both targets: for wasm32 `describe` is exported
 * and returns the address of the text; natively `main` prints it. The test suite compares the
 * text with the generated module (test/foreign/bindings.test.ts); the program needs no libc.
 *
 * @since 0.1.0
 */
import { resolve } from 'node:path';
import type { Bindings, RecordIR, TypeRef } from './model.js';

const HARNESS = String.raw`
static char out_text[1 << 20];
static unsigned long out_used;
static int out_full, out_first;

static void out_c(char c) {
  if (out_used + 1 >= sizeof out_text) { out_full = 1; return; }
  out_text[out_used++] = c;
}
static void out_s(const char *s) { while (*s != '\0') out_c(*s++); }
static void out_u(unsigned long long v) {
  char d[24];
  int n = 0;
  do { d[n++] = (char)('0' + v % 10); v /= 10; } while (v != 0);
  while (n > 0) out_c(d[--n]);
}
static void out_key(const char *a, const char *b) {
  out_s(out_first ? "\n    \"" : ",\n    \"");
  out_first = 0;
  out_s(a);
  if (b != 0) { out_c('.'); out_s(b); }
  out_s("\": ");
}
static void out_bits(const char *t, const char *f, const unsigned char *p, unsigned long size) {
  unsigned long long low = 0, width = 0;
  for (unsigned long i = 0; i < size * 8; i++)
    if ((p[i / 8] >> (i % 8)) & 1) { if (width == 0) low = i; width++; }
  out_key(t, f);
  out_c('['); out_u(low); out_s(", "); out_u(width); out_c(']');
}
static void out_const(const char *name, int negative, unsigned long long v) {
  out_key(name, 0);
  out_c('"');
  if (negative) { out_c('-'); v = -v; }
  out_u(v);
  out_c('"');
}
static void out_x(unsigned long long v, int digits) {
  while (digits-- > 0) out_c("0123456789abcdef"[(v >> (4 * digits)) & 15]);
}
static void out_float(const char *name, const char *type, unsigned long long bits, int digits) {
  out_key(name, 0);
  out_s("[\""); out_s(type); out_s("\", \""); out_x(bits, digits); out_s("\"]");
}
static void out_bytes(const char *name, const char *p, unsigned long n) {
  out_key(name, 0);
  out_c('"');
  for (unsigned long i = 0; i < n; i++) out_x((unsigned char)p[i], 2);
  out_c('"');
}
#define TYPE(n, T) out_key(n, 0), out_s("{\"size\": "), out_u(sizeof(T)), out_s(", \"align\": "), out_u(_Alignof(T)), out_c('}');
#define OFFSET(n, T, f) out_key(n, #f), out_u(__builtin_offsetof(T, f));
#define BITS(n, T, f) { T v; __builtin_memset(&v, 0, sizeof v); v.f = -1; out_bits(n, #f, (const unsigned char *)&v, sizeof v); }
#define CONSTANT(n, X) out_const(n, (X) < 0, (unsigned long long)(X));
#define DOUBLE(n, X) { double d = (X); unsigned long long u; __builtin_memcpy(&u, &d, 8); out_float(n, "double", u, 16); }
#define FLOAT(n, X) { float f = (X); unsigned int u; __builtin_memcpy(&u, &f, 4); out_float(n, "float", u, 8); }
#define STRING(n, X) out_bytes(n, X, sizeof(X) - 1);
`;

const TAIL = String.raw`
#ifdef __wasm__
__attribute__((visibility("default"))) const char *describe(void) {
  describe_all();
  return out_full ? 0 : out_text;
}
#else
#include <stdio.h>
int main(void) {
  describe_all();
  if (out_full) return 1;
  return fputs(out_text, stdout) < 0;
}
#endif
`;

/** The named members of `r` that C reaches as `T.f` (through anonymous members), by kind. */
const reachable = (r: RecordIR): { offsets: string[]; bits: string[] } => {
  const offsets: string[] = [];
  const bits: string[] = [];
  r.members.forEach((m) => {
    if (m.m === 'anonymous') {
      const inner = reachable(m.record);
      offsets.push(...inner.offsets);
      bits.push(...inner.bits);
    } else if (m.m === 'bits') {
      if (m.name !== undefined) bits.push(m.name);
    } else offsets.push(m.name);
  });
  return { offsets, bits };
};

const str = (s: string): string => JSON.stringify(s);

/** The check program of `b`, as C source. */
export const emitCheck = (b: Bindings): string => {
  const types: string[] = [];
  const offsets: string[] = [];
  const bits: string[] = [];
  const constants: string[] = [];
  const floats: string[] = [];
  const strings: string[] = [];
  const byName = new Map(
    b.decls.flatMap((d) => (d.d === 'record' || d.d === 'typedef' ? [[d.name, d] as const] : [])),
  );
  /** The record a typedef names (through other typedefs), if it names one. */
  const recordOf = (t: TypeRef): RecordIR | undefined => {
    const d = t.t === 'decl' ? byName.get(t.name) : undefined;
    return d?.d === 'record' ? d : d?.d === 'typedef' ? recordOf(d.type) : undefined;
  };
  /** The offsets and bit-fields of `r`'s members, as members of `name` (C: `spelling`). */
  const members = (r: RecordIR, name: string, spelling: string): void => {
    const m = reachable(r);
    offsets.push(...m.offsets.map((f) => `OFFSET(${str(name)}, ${spelling}, ${f})`));
    bits.push(...m.bits.map((f) => `BITS(${str(name)}, ${spelling}, ${f})`));
  };
  for (const d of b.decls) {
    switch (d.d) {
      case 'record': {
        if (d.spelling === undefined) break;
        types.push(`TYPE(${str(d.name)}, ${d.spelling})`);
        members(d, d.name, d.spelling);
        break;
      }
      case 'typedef': {
        types.push(`TYPE(${str(d.name)}, ${d.cName})`);
        const r = recordOf(d.type);
        if (r !== undefined) members(r, d.name, d.cName);
        break;
      }
      case 'enum':
        if (d.name !== undefined && d.spelling !== undefined)
          types.push(`TYPE(${str(d.name)}, ${d.spelling})`);
        break;
      case 'constant':
        if (d.c === 'integer') constants.push(`CONSTANT(${str(d.name)}, ${d.name})`);
        else if (d.c === 'string') strings.push(`STRING(${str(d.name)}, ${d.name})`);
        else floats.push(`${d.ctype === 'float' ? 'FLOAT' : 'DOUBLE'}(${str(d.name)}, ${d.name})`);
        break;
      default:
        break;
    }
  }
  return [
    `/* Generated by foreign-ts bind --check-c from ${b.header} for ${b.model}: what the C compiler`,
    '   says of every type and constant of the generated module, as JSON. Do not edit. */',
    `#include "${resolve(b.header)}"`,
    HARNESS,
    'static void describe_all(void) {',
    '  out_used = 0;',
    '  out_full = 0;',
    '  out_first = 1;',
    `  out_s("{\\n  \\"target\\": \\"${b.model}\\",\\n  \\"compiler\\": \\"");`,
    '#ifdef __clang__',
    '  out_s(__VERSION__);',
    '#else',
    '  out_s("gcc " __VERSION__);',
    '#endif',
    ...Object.entries({ types, offsets, bits, constants, floats, strings }).flatMap(
      ([name, lines], i) => [
        i === 0
          ? `  out_s("\\",\\n  \\"${name}\\": {");`
          : `  out_s(out_first ? "},\\n  \\"${name}\\": {" : "\\n  },\\n  \\"${name}\\": {");`,
        '  out_first = 1;',
        ...lines.map((l) => `  ${l}`),
      ],
    ),
    '  out_s(out_first ? "}\\n}\\n" : "\\n  }\\n}\\n");',
    '  out_text[out_used] = 0;',
    '}',
    TAIL,
  ].join('\n');
};
