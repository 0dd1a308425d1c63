/// <reference types="node" />
/**
 * The generator's clang session for one header and one data model: the runs of clang (on the
 * header, and on the probe file that includes it), the index of the declarations of the last run,
 * and the probes, one line each in the probe file, whose answers clang gives in its AST: the type
 * tree of an expression (`typedef __typeof__(((T *)0)->f) probe;`) or the value and type of a
 * constant expression (`enum { probe = (NAME) };`). translate.ts asks the questions and reads
 * the answers; verify.ts and macros.ts ask through their contexts.
 *
 * @since 0.1.0
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  ClangError,
  directTag,
  firstConstant,
  readAst,
  readLayouts,
  runClang,
  stabilizeIds,
  whereOf,
  type Node,
  type RecordLayoutDump,
} from './clang.js';
import { MODELS, type BindOptions, type ModelName } from './model.js';

/** clang on one header for one model: its runs, the index of its declarations, the probes. */
export class Probes {
  readonly model: ModelName;
  readonly header: string;
  readonly clang: string;
  readonly target: string;
  readonly args: readonly string[];
  /** The header's absolute path: the probe file includes it by that name. */
  readonly resolved: string;

  /** The AST of the last run of the probe file. */
  ast!: Node;
  /** Every record, enum, typedef and function declaration, by id. */
  readonly byId = new Map<string, Node>();
  /** The record holding a nested record, and the member (implicit for anonymous ones). */
  readonly parentOf = new Map<string, { parent: string; field: Node | undefined }>();
  /** The typedef that names an unnamed record or enum. */
  readonly typedefName = new Map<string, string>();

  /** The lines of the probes, in the order they were added; the number of each by its key. */
  readonly probes: string[] = [];
  readonly probeOf = new Map<string, number>();
  /** The answers of the last run, by probe name. */
  readonly probeResults = new Map<string, Node>();

  constructor(o: BindOptions) {
    this.model = o.model;
    this.header = o.header;
    this.clang = o.clang ?? 'clang';
    this.target = o.target ?? MODELS[o.model].target;
    this.args = o.clangArgs ?? [];
    this.resolved = resolve(o.header);
  }

  /** The arguments of every run: the target, C, and the header's -I, -D, …. */
  base(): string[] {
    return [`--target=${this.target}`, '-x', 'c', ...this.args];
  }

  // ---------------------------------------------------------------------------------------
  // runs of clang

  /** Indexes the declarations of `ast` (a run on the probe file, which includes the header). */
  index(ast: Node): void {
    this.ast = ast;
    this.byId.clear();
    this.parentOf.clear();
    this.typedefName.clear();
    const index = (node: Node, parent: string | undefined): void => {
      const inner = node.inner ?? [];
      inner.forEach((child, i) => {
        if (child.id === undefined) return;
        if (/^(Record|Enum|Typedef|Function)Decl$/.test(child.kind)) {
          if (!this.byId.has(child.id) || child.kind === 'RecordDecl')
            this.byId.set(child.id, child);
        }
        if (child.kind === 'RecordDecl') {
          if (parent !== undefined) {
            const next = inner.slice(i + 1).find((n) => n.kind === 'FieldDecl');
            this.parentOf.set(child.id, { parent, field: next });
          }
          index(child, child.id);
        }
      });
    };
    index(this.ast, undefined);
    for (const node of this.ast.inner ?? []) {
      if (node.kind !== 'TypedefDecl' || node.name === undefined) continue;
      const target = directTag(node);
      if (target !== undefined && !this.typedefName.has(target)) {
        const decl = this.byId.get(target);
        if (decl !== undefined && decl.name === undefined) this.typedefName.set(target, node.name);
      }
    }
  }

  /**
   * Runs clang with `flags` on a file of `source` in a scratch directory; returns its output.
   * Errors are answers (some probes are meant to fail), unless `strict`: then they are a
   * `ClangError` with clang's diagnostics (less the lines about the scratch file).
   */
  onFile(source: string, flags: readonly string[], what: string, strict = false): string {
    const dir = mkdtempSync(join(tmpdir(), 'foreign-ts-bind-'));
    const file = join(dir, 'probe.c');
    try {
      writeFileSync(file, source);
      return runClang(this.clang, [...this.base(), ...flags, file], what, !strict);
    } catch (e) {
      if (!(e instanceof ClangError)) throw e;
      throw new ClangError(
        e.message
          .split('\n')
          .filter((l) => !l.includes(file))
          .join('\n'),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Whether the header has been parsed once with no error (the first run of the probes). */
  parsed = false;

  /**
   * Runs clang on the probe file with `flags`; returns its output. The first run, before any
   * probe is added, is the check that the header parses: an error there is a `ClangError`.
   */
  onProbes(flags: readonly string[]): string {
    const strict = !this.parsed;
    const out = this.onFile(
      this.probeSource(),
      ['-fsyntax-only', '-Wno-everything', '-ferror-limit=0', ...flags],
      strict ? this.header : `the probes of ${this.header}`,
      strict,
    );
    this.parsed = true;
    return out;
  }

  expansions(names: readonly string[]): Map<string, string> {
    const source = [
      `#include "${this.resolved}"`,
      ...names.map((n, i) => `__fb_x_${i} ${n}`),
      '',
    ].join('\n');
    const text = this.onFile(
      source,
      ['-E', '-P', '-Wno-everything'],
      `the macros of ${this.header}`,
    );
    const out = new Map<string, string>();
    for (const line of text.split('\n')) {
      const x = /^__fb_x_(\d+)(?: (.*))?$/.exec(line);
      const name = x === null ? undefined : names[Number(x[1])];
      if (x !== null && name !== undefined) out.set(name, (x[2] ?? '').trim());
    }
    return out;
  }

  /** Asks clang about every probe so far; the results are `probeResults` by probe name. */
  runProbes(): void {
    const ast = readAst(this.onProbes(['-Xclang', '-ast-dump=json']));
    stabilizeIds(ast);
    this.index(ast);
    this.probeResults.clear();
    for (const node of ast.inner ?? []) {
      if (node.kind === 'TypedefDecl' && node.name?.startsWith('__fb_')) {
        this.probeResults.set(node.name, node);
      }
      if (node.kind === 'EnumDecl') {
        for (const e of node.inner ?? []) {
          if (e.name?.startsWith('__fb_')) this.probeResults.set(e.name, e);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // probes

  /** The probe file: the header, then one line per probe. */
  probeSource(): string {
    return [
      `#include "${this.resolved}"`,
      'enum { __fb_pointer = sizeof(void *), __fb_long = sizeof(long) };',
      ...this.probes,
      '',
    ].join('\n');
  }

  /** Adds a probe (once per key); returns its name. */
  probe(key: string, make: (name: string) => string): string {
    const known = this.probeOf.get(key);
    if (known !== undefined) return `__fb_${known}`;
    const n = this.probes.length;
    this.probeOf.set(key, n);
    this.probes.push(make(`__fb_${n}`));
    return `__fb_${n}`;
  }

  /** The type tree a type probe gave, or `undefined` when it has not run yet. */
  probedType(name: string): Node | undefined {
    const node = this.probeResults.get(name);
    const t = node?.inner?.[0];
    return t?.kind === 'TypeOfExprType' ? t.inner?.[t.inner.length - 1] : t;
  }

  /** The value a constant probe gave (and its type), or `undefined` when it is not a constant. */
  probedValue(name: string): { value: bigint; type: string } | undefined {
    const c = firstConstant(this.probeResults.get(name));
    if (c === undefined || typeof c.value !== 'string') return undefined;
    return { value: BigInt(c.value), type: c.type?.desugaredQualType ?? c.type?.qualType ?? '' };
  }

  // ---------------------------------------------------------------------------------------
  // what the check (verify.ts) asks

  layouts(): RecordLayoutDump[] {
    return readLayouts(this.onProbes(['-Xclang', '-fdump-record-layouts-simple']));
  }

  probed(key: string): bigint | undefined {
    const n = this.probeOf.get(key);
    return n === undefined ? undefined : this.probedValue(`__fb_${n}`)?.value;
  }

  /** The names clang's layout dump may give the record: its type name, its location. */
  recordKeys(id: string): string[] {
    const node = this.byId.get(id) as Node;
    const keys: string[] = [];
    if (node.name !== undefined) keys.push(`${node.tagUsed as string} ${node.name}`);
    const alias = this.typedefName.get(id);
    if (alias !== undefined) keys.push(alias);
    for (const loc of [node.loc?.expansionLoc, node.loc?.spellingLoc, node.loc]) {
      if (loc?.resolvedFile !== undefined && loc.col !== undefined)
        keys.push(`${loc.resolvedFile}:${loc.resolvedLine}:${loc.col}`);
    }
    return keys;
  }

  // ---------------------------------------------------------------------------------------
  // places

  /** Where a declaration is, with the header's path as it was given (not resolved). */
  where(node: Node): string {
    const { file, line } = whereOf(node);
    return file === undefined ? '' : `${this.shown(file)}${line === undefined ? '' : `:${line}`}`;
  }

  /**
   * A file's path as the module shows it: the header as it was given, a file in the working
   * directory relative to it (the output does not depend on where a checkout is), others as
   * clang found them.
   */
  shown(file: string): string {
    const absolute = resolve(file);
    if (absolute === this.resolved) return this.header;
    const inside = relative(process.cwd(), absolute);
    return inside.startsWith('..') || isAbsolute(inside) ? file : inside;
  }

  inHeader(node: Node): boolean {
    return whereOf(node).file === this.resolved;
  }
}
