/**
 * The floating and string literals of C, read from a macro's expansion (clang's preprocessor
 * output): what `#define PI 3.14159` and `#define VERSION "1.2.13"` become in the generated
 * module. Only literals are read (with parentheses and a sign around a floating one, and
 * adjacent string literals joined as C joins them); any other expression is not a constant the
 * generator writes. clang checks every value read here: a floating one with `(NAME) == VALUE`,
 * a string's length with `sizeof(NAME)` (macros.ts), and the check program prints both
 * (emit-c.ts).
 *
 * @since 0.1.0
 */

// -------------------------------------------------------------------------------------------
// floating literals
// -------------------------------------------------------------------------------------------

/** A floating literal's value, rounded to its type, or why it is not one the generator writes. */
export type FloatLiteral =
  | { readonly ok: true; readonly value: number; readonly ctype: 'float' | 'double' }
  | { readonly ok: false; readonly why: string };

const DECIMAL = /^(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?$/;
const HEX = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;

/** `text` without the parentheses around all of it (`((x))` → `x`), trimmed. */
const unparenthesized = (text: string): string => {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    let depth = 0;
    let closesAtEnd = true;
    for (let i = 0; i < t.length; i++) {
      if (t[i] === '(') depth++;
      if (t[i] === ')') depth--;
      if (depth === 0 && i < t.length - 1) {
        closesAtEnd = false;
        break;
      }
    }
    if (!closesAtEnd) break;
    t = t.slice(1, -1).trim();
  }
  return t;
};

/** The value of a hexadecimal floating literal's digits and exponent. */
const hexValue = (whole: string, fraction: string, exponent: string): number => {
  const digits = `${whole}${fraction}`;
  if (digits === '') return NaN;
  const mantissa = Number(BigInt(`0x${digits}`)); // rounded to nearest, as C rounds
  const scale = Number(exponent) - 4 * fraction.length;
  return mantissa === 0 ? 0 : mantissa * 2 ** scale;
};

/**
 * Reads `text` (a macro's expansion) as a floating literal with an optional sign and
 * parentheses: `1.5`, `-2e-3`, `(0.5f)`, `0x1p-4`. A `long double` literal (`L` suffix), an
 * integer and any other expression are not.
 */
export const floatLiteral = (text: string): FloatLiteral => {
  let t = unparenthesized(text);
  let sign = 1;
  while (t.startsWith('-') || t.startsWith('+')) {
    if (t.startsWith('-')) sign = -sign;
    t = unparenthesized(t.slice(1));
  }
  const suffix = /[fFlL]$/.test(t) && !/^0[xX][0-9a-fA-F]*$/.test(t) ? t.slice(-1) : '';
  const body = suffix === '' ? t : t.slice(0, -1);
  let value: number;
  const hex = HEX.exec(body);
  if (hex !== null) value = hexValue(hex[1] ?? '', hex[2] ?? '', hex[3] as string);
  else if (DECIMAL.test(body) && /[.eE]/.test(body)) value = Number(body);
  else
    return {
      ok: false,
      why: 'not a constant the generator writes (an integer, floating or string literal)',
    };
  if (Number.isNaN(value)) return { ok: false, why: 'not a floating literal' };
  if (suffix === 'l' || suffix === 'L')
    return { ok: false, why: 'a long double literal (no long double instance in this library)' };
  const ctype = suffix === '' ? 'double' : 'float';
  return { ok: true, value: sign * (ctype === 'float' ? Math.fround(value) : value), ctype };
};

/** `x` as a C hexadecimal floating literal that is exactly its value (`0x1.8p+0`), for probes. */
export const cHexDouble = (x: number): string => {
  if (Number.isNaN(x)) return '(0.0/0.0)';
  if (!Number.isFinite(x)) return x > 0 ? '(1.0/0.0)' : '(-1.0/0.0)';
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n === 1n ? '-' : '';
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  if (exponent === 0) return `${sign}0x0.${fraction}p-1022`;
  return `${sign}0x1.${fraction}p${exponent - 1023 >= 0 ? '+' : ''}${exponent - 1023}`;
};

/** `x` as a TypeScript literal (`-0` and the infinities included). */
export const tsNumber = (x: number): string =>
  Object.is(x, -0) ? '-0' : x === Infinity ? 'Infinity' : x === -Infinity ? '-Infinity' : String(x);

// -------------------------------------------------------------------------------------------
// string literals
// -------------------------------------------------------------------------------------------

/** The bytes of string literals (without the NUL), or why they are not ones the generator writes. */
export type StringLiteral =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly value: string }
  | { readonly ok: false; readonly why: string };

const SIMPLE: Readonly<Record<string, number>> = {
  "'": 0x27,
  '"': 0x22,
  '?': 0x3f,
  '\\': 0x5c,
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
};

const utf8 = new TextEncoder();

class BadLiteral extends Error {}

/** The bytes of the body of one `"…"` literal (between the quotes), escapes decoded. */
const literalBytes = (body: string): number[] => {
  const out: number[] = [];
  for (let i = 0; i < body.length;) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      const cp = body.codePointAt(i) as number;
      const s = String.fromCodePoint(cp);
      out.push(...utf8.encode(s));
      i += s.length;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new BadLiteral('a string literal that ends in a backslash');
    if (Object.hasOwn(SIMPLE, e)) {
      out.push(SIMPLE[e] as number);
      i += 2;
    } else if (/[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] as string;
      const v = parseInt(digits, 8);
      if (v > 0xff) throw new BadLiteral(`an octal escape \\${digits} that does not fit a char`);
      out.push(v);
      i += 1 + digits.length;
    } else if (e === 'x') {
      const digits = /^[0-9a-fA-F]+/.exec(body.slice(i + 2))?.[0];
      if (digits === undefined) throw new BadLiteral('\\x with no hexadecimal digit');
      const v = parseInt(digits, 16);
      if (v > 0xff)
        throw new BadLiteral(`a hexadecimal escape \\x${digits} that does not fit a char`);
      out.push(v);
      i += 2 + digits.length;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const digits = body.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits))
        throw new BadLiteral(`\\${e} with fewer than ${n} hexadecimal digits`);
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        throw new BadLiteral(`\\${e}${digits} is not a Unicode scalar value`);
      out.push(...utf8.encode(String.fromCodePoint(cp)));
      i += 2 + n;
    } else throw new BadLiteral(`an unknown escape \\${e}`);
  }
  return out;
};

const TOKEN = /^\s*(u8|u|U|L)?"((?:[^"\\]|\\.)*)"/s;

/**
 * Reads `text` (a macro's expansion) as one or more adjacent string literals (`"1.2" ".13"`,
 * joined as C joins them), of type `char[]`: plain or `u8`. Wide ones (`L`, `u`, `U`) and any
 * other expression are not; nor are bytes that are not UTF-8 (the module's value is text).
 */
export const stringLiteral = (text: string): StringLiteral => {
  let rest = unparenthesized(text);
  if (!rest.startsWith('"') && !/^(u8|u|U|L)"/.test(rest))
    return { ok: false, why: 'not a string literal' };
  const bytes: number[] = [];
  try {
    while (rest.trim() !== '') {
      const token = TOKEN.exec(rest);
      if (token === null) return { ok: false, why: 'not only string literals' };
      const prefix = token[1];
      if (prefix !== undefined && prefix !== 'u8')
        return { ok: false, why: `a wide string literal (${prefix}"…": not a char string)` };
      bytes.push(...literalBytes(token[2] as string));
      rest = rest.slice(token[0].length);
    }
  } catch (e) {
    if (e instanceof BadLiteral) return { ok: false, why: e.message };
    throw e;
  }
  const array = Uint8Array.from(bytes);
  try {
    return {
      ok: true,
      bytes: array,
      value: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(array),
    };
  } catch {
    return { ok: false, why: 'a string whose bytes are not UTF-8 text' };
  }
};
