/**
 * `foreign-ts bind` with no clang: its options and their errors, the errors for a missing
 * header, an unwritable output and a missing clang (each message starts with the command's name,
 * and nothing is written), the readers of clang's answers on texts of their form, the C literals
 * a macro may expand to, and the cycles of pointers in a module. What needs clang (a header that
 * does not parse, `--strict`, random headers) is test/c/bind-live.test.ts.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../scripts/lib/run-ts.js';
import { readAst, readLayouts, readMacros, stabilizeIds } from '../../src/cli/bind/clang.js';
import { findCycles } from '../../src/cli/bind/cycles.js';
import { cHexDouble, floatLiteral, stringLiteral, tsNumber } from '../../src/cli/bind/literals.js';
import type { DeclIR, RecordIR } from '../../src/cli/bind/model.js';
import { USAGE, main, parseBind } from '../../src/cli/main.js';

const scratch = mkdtempSync(join(tmpdir(), 'foreign-ts-bind-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the command in this process: its exit code and what it printed. */
const run = (...argv: string[]): { code: number; out: string; err: string } => {
  let out = '';
  let err = '';
  const code = main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
};

describe('foreign-ts bind: options', () => {
  it('reads the header, the model, the clang flags in both forms and the files to write', () => {
    const parsed = parseBind([
      'h.h',
      '--model',
      'x86_64',
      '-I',
      'inc',
      '-Iother',
      '-DX=1',
      '-D',
      'Y',
      '-U',
      'Z',
      '--macros',
      'm.h',
      '--clang-arg',
      '-std=c11',
      '--out',
      'o.ts',
      '--check-c',
      'o.c',
      '--strict',
      '--chars',
    ]);
    expect(parsed).toEqual({
      options: {
        header: 'h.h',
        model: 'x86_64',
        clangArgs: ['-I', 'inc', '-I', 'other', '-D', 'X=1', '-D', 'Y', '-U', 'Z', '-std=c11'],
        chars: true,
        macrosOf: ['m.h'],
      },
      out: 'o.ts',
      checkC: 'o.c',
      strict: true,
    });
  });

  it('takes wasm32 by default, and lp64 for x86_64', () => {
    expect(parseBind(['h.h', '--out', 'o.ts']).options.model).toBe('wasm32');
    expect(parseBind(['h.h', '--model', 'lp64', '--out', 'o.ts']).options.model).toBe('x86_64');
  });

  it.each([
    [['bind', '--frob', 'h.h', '--out', 'o.ts'], 'foreign-ts bind: unknown option --frob'],
    [['bind', 'h.h'], 'foreign-ts bind: no --out FILE.ts given'],
    [['bind', '--out', 'o.ts'], 'foreign-ts bind: no header given'],
    [
      ['bind', 'a.h', 'b.h', '--out', 'o.ts'],
      'foreign-ts bind: one header at a time (got a.h and b.h)',
    ],
    [['bind', 'h.h', '--out'], 'foreign-ts bind: --out needs a value'],
    [['bind', 'h.h', '--out', ''], 'foreign-ts bind: --out needs a value'],
    [['bind', 'h.h', '-I'], 'foreign-ts bind: -I needs a value'],
    [
      ['bind', 'h.h', '--model', 'ilp32', '--out', 'o.ts'],
      'foreign-ts bind: --model ilp32: the models are wasm32 and x86_64 (or lp64)',
    ],
    [['frob'], 'foreign-ts frob: unknown command frob (there is bind)'],
  ])('%j is a usage error (exit 2): %s, then the usage', (argv, message) => {
    const { code, out, err } = run(...argv);
    expect({ code, out }).toEqual({ code: 2, out: '' });
    expect(err).toBe(`${message}\n\n${USAGE}\n`);
  });

  it('prints the usage for --help (exit 0) and with no command (exit 2)', () => {
    expect(run('--help')).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    expect(run('bind', '--help')).toEqual({ code: 0, out: `${USAGE}\n`, err: '' });
    expect(run()).toEqual({ code: 2, out: '', err: `${USAGE}\n` });
  });
});

describe('foreign-ts bind: files and clang', () => {
  const out = join(scratch, 'out.ts');

  it.each([
    [['nope.h'], 'foreign-ts bind: no header nope.h (no such file)'],
    [['c/bindings'], 'foreign-ts bind: c/bindings is not a file'],
    [
      ['c/bindings/features.h', '--macros', 'nope.h'],
      'foreign-ts bind: --macros nope.h: no such file',
    ],
  ])('%j fails (exit 1) before clang runs: %s', (args, message) => {
    expect(run('bind', ...args, '--out', out, '--clang', '/nonexistent/clang')).toEqual({
      code: 1,
      out: '',
      err: `${message}\n`,
    });
    expect(existsSync(out)).toBe(false);
  });

  it('an --out or --check-c in a directory that does not exist fails before clang runs', () => {
    const dir = join(scratch, 'no', 'such');
    expect(run('bind', 'c/bindings/features.h', '--out', join(dir, 'x.ts')).err).toBe(
      `foreign-ts bind: cannot write --out ${join(dir, 'x.ts')}: there is no directory ${dir}\n`,
    );
    expect(
      run('bind', 'c/bindings/features.h', '--out', out, '--check-c', join(dir, 'x.c')).err,
    ).toBe(
      `foreign-ts bind: cannot write --check-c ${join(dir, 'x.c')}: there is no directory ${dir}\n`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('a clang that does not run fails (exit 1), naming it and how to install clang', () => {
    const { code, err } = run(
      'bind',
      'c/bindings/features.h',
      '--out',
      out,
      '--clang',
      '/nonexistent/clang',
    );
    expect(code).toBe(1);
    expect(err).toMatch(
      /^foreign-ts bind: cannot run \/nonexistent\/clang \(.*ENOENT\); install clang \(Debian: apt-get install clang\) or pass --clang PATH\n$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('the command with no clang on the PATH exits 1 with a message that names it', () => {
    const empty = mkdtempSync(join(scratch, 'path-'));
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/bin.ts', 'bind', 'c/bindings/features.h', '--out', out],
      { cwd: ROOT, encoding: 'utf8', env: { PATH: empty } },
    );
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^foreign-ts bind: cannot run clang \(.*ENOENT\); install clang/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("reading clang's answers", () => {
  it('readMacros: the object-like and function-like macros of the named files still defined at the end', () => {
    const text = [
      '# 1 "h.h"',
      '#define A 1',
      '#define F(x) x',
      '#define GONE 2',
      '# 1 "/usr/include/other.h" 1',
      '#define B 3',
      '#undef GONE',
      '# 5 "h.h" 2',
      '#define C "c" /* kept */',
      'int x;',
      '#define A 10',
    ].join('\n');
    expect(readMacros(text, new Set([join(process.cwd(), 'h.h')]))).toEqual({
      objects: [
        { name: 'C', body: '"c" /* kept */', file: 'h.h', line: 5 },
        { name: 'A', body: '10', file: 'h.h', line: 7 },
      ],
      functions: ['F'],
    });
  });

  it('readLayouts: size, alignment and field offsets of each record, in bits', () => {
    const dump = [
      '*** Dumping AST Record Layout',
      'Type: struct point',
      '',
      'Layout: <ASTRecordLayout',
      '  Size:64',
      '  DataSize:64',
      '  Alignment:32',
      '  FieldOffsets: [0, 32]>',
    ].join('\n');
    expect(readLayouts(dump)).toEqual([
      { type: 'struct point', size: 64, align: 32, fieldOffsets: [0, 32] },
    ]);
  });

  it('readAst resolves each location to its file and line; stabilizeIds gives ids that do not depend on the run', () => {
    const ast = (id: string): string =>
      JSON.stringify({
        id: '0x1',
        kind: 'TranslationUnitDecl',
        inner: [
          { id, kind: 'RecordDecl', loc: { offset: 10, file: 'a.h', line: 3, col: 8, tokLen: 1 } },
          { id: `${id}f`, kind: 'TypedefDecl', loc: { offset: 30, line: 5, col: 1, tokLen: 7 } },
        ],
      });
    const [a, b] = [readAst(ast('0x55aa')), readAst(ast('0x77bb'))];
    const first = a.inner?.[1]?.loc;
    expect([first?.resolvedFile, first?.resolvedLine]).toEqual(['a.h', 5]);
    stabilizeIds(a);
    stabilizeIds(b);
    expect(a).toEqual(b);
    expect(a.inner?.[0]?.id).toBe('RecordDecl:a.h:10:');
  });
});

describe('C literals in macros', () => {
  it('floatLiteral: decimal and hexadecimal, with sign, parentheses and suffix', () => {
    expect(floatLiteral('1.5')).toEqual({ ok: true, value: 1.5, ctype: 'double' });
    expect(floatLiteral('(-(0.1))')).toEqual({ ok: true, value: -0.1, ctype: 'double' });
    expect(floatLiteral('0.333333333f')).toEqual({
      ok: true,
      value: Math.fround(0.333333333),
      ctype: 'float',
    });
    expect(floatLiteral('0x1.8p+1')).toEqual({ ok: true, value: 3, ctype: 'double' });
    expect(floatLiteral('0x1p-1074')).toEqual({ ok: true, value: 5e-324, ctype: 'double' });
    expect(floatLiteral('1e400')).toEqual({ ok: true, value: Infinity, ctype: 'double' });
    expect(floatLiteral('1.0L')).toMatchObject({
      ok: false,
      why: expect.stringMatching(/^a long double literal/),
    });
    for (const text of ['12', '0x1F', '(1.0 / 3)', 'M_PI', '"1.5"', '1.5.2'])
      expect(floatLiteral(text), text).toMatchObject({ ok: false });
  });

  it('cHexDouble is exact: floatLiteral reads back every double it writes', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const back = floatLiteral(cHexDouble(x));
        return back.ok && Object.is(back.value, x);
      }),
      { numRuns: 2000 },
    );
  });

  it('tsNumber writes every double as a literal that is the same number', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) =>
        Object.is(Function(`return ${tsNumber(x)}`)(), x),
      ),
    );
  });

  it('stringLiteral: escapes, adjacent literals, u8, and what it refuses', () => {
    expect(stringLiteral('"a\\tb\\n\\\\\\"" "\\x41\\101" u8"\\u00e9\\U0001F600"')).toMatchObject({
      ok: true,
      value: 'a\tb\n\\"AAé😀',
    });
    expect(stringLiteral('"\\0"')).toMatchObject({ ok: true, value: '\u0000' });
    expect(stringLiteral('("x")')).toMatchObject({ ok: true, value: 'x' });
    expect(stringLiteral('"\\xff"')).toMatchObject({
      ok: false,
      why: 'a string whose bytes are not UTF-8 text',
    });
    expect(stringLiteral('L"w"')).toMatchObject({
      ok: false,
      why: expect.stringMatching(/^a wide string literal/),
    });
    expect(stringLiteral('"a" x')).toMatchObject({ ok: false, why: 'not only string literals' });
    expect(stringLiteral('"\\q"')).toMatchObject({ ok: false, why: 'an unknown escape \\q' });
    expect(stringLiteral('"\\x100"')).toMatchObject({ ok: false });
    expect(stringLiteral('42')).toMatchObject({ ok: false, why: 'not a string literal' });
  });

  it('stringLiteral reads back any text written with raw characters and octal escapes', () => {
    const utf8 = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.boolean(), (text, escaped) => {
        const body = escaped
          ? [...utf8.encode(text)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('')
          : text.replace(/[\\"]/g, (c) => `\\${c}`);
        const back = stringLiteral(`"${body}"`);
        return back.ok && back.value === text && back.bytes.length === utf8.encode(text).length;
      }),
    );
  });
});

describe('cycles of pointers', () => {
  const record = (
    name: string,
    tag: 'struct' | 'union',
    to: string[],
    anonymous = false,
  ): RecordIR => ({
    d: 'record',
    id: name,
    name,
    cName: `${tag} ${name}`,
    spelling: `${tag} ${name}`,
    tag,
    packed: false,
    align: undefined,
    where: '',
    members: [
      ...to.map((t, i) => ({
        m: 'field' as const,
        name: `p${i}`,
        type: { t: 'pointer' as const, to: { t: 'record' as const, id: t } },
      })),
      ...(anonymous
        ? [{ m: 'anonymous' as const, record: record(`${name}_anon`, 'union', []) }]
        : []),
    ],
  });
  const names = (id: string): string => id;

  it('a struct in a cycle gets its value type written; a cycle of unions only is cut', () => {
    const decls: DeclIR[] = [
      record('list', 'struct', ['list']),
      record('a', 'struct', ['b']),
      record('b', 'union', ['a']),
      record('u', 'union', ['u']),
      record('s', 'struct', ['s'], true),
      record('leaf', 'struct', ['list']),
    ];
    const cycles = findCycles(decls, names);
    expect([...cycles.written].sort()).toEqual(['a', 'list']);
    expect(Object.fromEntries([...cycles.cut].map(([k, v]) => [k, [...v]]))).toEqual({
      u: ['u'],
      s: ['s'],
    });
  });
});
