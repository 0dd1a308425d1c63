/**
 * The layout interpreter: turns a layout into a tree of small closures, once, for places where
 * code generation is not allowed (a Content-Security-Policy without `'unsafe-eval'`). It does
 * the same work as the generated code, byte for byte and error for error, 6–10x slower.
 *
 * @since 0.1.0
 */
import { type Views, makeViews } from '../../memory/index.js';
import {
  ANY_INDEX,
  MarshalError,
  memberPath,
  rootLabel,
  withIndex,
  type Site,
  scalarIs,
  scalarReader,
  scalarWriter,
  type Storable,
  type StructLayout,
  type UnionLayout,
  type UnionMemberLayout,
} from '../storable/index.js';
import { valueKeys } from './anonymous.js';
import type { Compiled } from './compile.js';
import { enumNamer } from './enum.js';
import { membersOf } from './member-kinds.js';
import { readCanFail } from './traits.js';

type Reader = (v: Views, p: number) => any;
type Writer = (v: Views, p: number, a: any) => void;
type Check = (u: unknown) => boolean;

/**
 * The reader, writer and validity check of `S`, as closures (no code generation).
 *
 * @category compilers
 * @since 0.1.0
 */
export const interpret = <A>(S: Storable<A>): Compiled<A> => ({
  read: reader(S, rootLabel(S.name)),
  write: writer(S),
  is: checker(S) as (u: unknown) => u is A,
});

const site = (S: Storable<any>, path: string): Site => ({ path, instance: S.name });

const reader = (S: Storable<any>, path: string): Reader => {
  const layout = S.layout;
  switch (layout?.tag) {
    case undefined:
      return (v, p) => S.read(v, p);
    case 'scalar':
      return scalarReader(layout.kind, site(S, path));
    case 'aligned':
      return reader(layout.inner, path);
    case 'enum': {
      const tag = scalarReader(layout.kind, site(S, path));
      const name = enumNamer(layout, site(S, path));
      return (v, p) => name(tag(v, p));
    }
    case 'chars': {
      const read = membersOf('chars').reader(layout, site(S, path));
      return (v, p) => read(v.u8, p);
    }
    case 'struct':
      return structReader(layout, path);
    case 'union':
      return unionReader(layout, S.sizeOf, path);
    case 'array':
      return arrayReader(layout.element, layout.length, path);
  }
};

/**
 * The reader of a union of `size` bytes whose root is at `path`, for both compilers (generated
 * code calls it): a union value has exactly one member, and peek returns the first member, in
 * key order, whose value holds the union's bytes exactly — poked back, with the rest of the
 * union zeroed as a poke does, it writes the same bytes. So peek then poke changes no byte of
 * anything a poke wrote, and a peek after `poke(U, p, { m: x })` gives `{ m: x }` unless an
 * earlier member holds the same bytes. When no member holds them (bytes this library did not
 * write: a tail that is not zero, a NaN payload), it returns the first member that reads them;
 * when none reads them, it throws the first member's `MarshalError`. An anonymous struct member
 * (`spread`) gives its value itself, not under its key.
 *
 * @category compilers
 * @since 0.1.0
 */
export const unionReader = (layout: UnionLayout, size: number, path: string): Reader => {
  const members = layout.members.map((m) => ({
    key: m.key,
    spread: m.spread === true,
    end: m.storable.sizeOf,
    read: reader(m.storable, m.spread === true ? path : memberPath(path, m.key)),
    write: writer(m.storable),
  }));
  const valueOf = (m: (typeof members)[number], x: unknown): unknown =>
    m.spread ? x : { [m.key]: x };
  const room = Math.max(8, Math.ceil(size / 8) * 8);
  const scratch = makeViews(new ArrayBuffer(room), room);
  /** Whether `x`, read by `m` at `p`, poked back as a union value gives the same bytes. */
  const holds = (m: (typeof members)[number], x: unknown, u8: Uint8Array, p: number): boolean => {
    for (let k = p + m.end; k < p + size; k++) if (u8[k] !== 0) return false;
    const s = scratch.u8;
    s.fill(0, 0, m.end);
    m.write(scratch, 0, x);
    for (let k = 0; k < m.end; k++) if (s[k] !== u8[p + k]) return false;
    return true;
  };
  return (v, p) => {
    let fallback: { value: unknown } | undefined;
    let failure: { error: unknown } | undefined;
    for (const m of members) {
      let x: unknown;
      try {
        x = m.read(v, p);
      } catch (e) {
        if (!(e instanceof MarshalError)) throw e;
        failure ??= { error: e };
        continue;
      }
      if (holds(m, x, v.u8, p)) return valueOf(m, x);
      fallback ??= { value: valueOf(m, x) };
    }
    if (fallback !== undefined) return fallback.value;
    throw (failure as { error: unknown }).error;
  };
};

const structReader = (layout: StructLayout, path: string): Reader => {
  const members = layout.members.map((m) => {
    const at = memberPath(path, m.key);
    switch (m.tag) {
      case 'field':
        return { key: m.key, spread: false, offset: m.offset, read: reader(m.storable, at) };
      case 'spread': // an anonymous union: its value is spread into the struct's
        return { key: m.key, spread: true, offset: m.offset, read: reader(m.storable, path) };
      case 'bits': {
        const read = membersOf('bits').reader(m, { path: at, instance: m.codec.name });
        return { key: m.key, spread: false, offset: 0, read };
      }
    }
  });
  return (v, p) => {
    const o: Record<string, unknown> = {};
    for (const m of members) {
      const x = m.read(v, p + m.offset);
      if (m.spread) Object.assign(o, x);
      else o[m.key] = x;
    }
    return o;
  };
};

const arrayReader = (element: Storable<any>, n: number, path: string): Reader => {
  const read = reader(element, path + ANY_INDEX);
  const size = element.sizeOf;
  if (!readCanFail(element)) {
    return (v, p) => {
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(read(v, p + i * size));
      return out;
    };
  }
  return (v, p) => {
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      try {
        out.push(read(v, p + i * size));
      } catch (e) {
        throw withIndex(e, path, i);
      }
    }
    return out;
  };
};

const zero = (v: Views, from: number, to: number): void => {
  v.u8.fill(0, from, to);
};

const writer = (S: Storable<any>): Writer => {
  const layout = S.layout;
  switch (layout?.tag) {
    case undefined:
      return (v, p, a) => S.write(v, p, a);
    case 'scalar':
      return scalarWriter(layout.kind);
    case 'aligned': {
      const write = writer(layout.inner);
      const end = layout.inner.sizeOf;
      const size = S.sizeOf;
      return (v, p, a) => {
        write(v, p, a);
        zero(v, p + end, p + size);
      };
    }
    case 'enum': {
      const write = scalarWriter(layout.kind);
      const tags = layout.tags;
      return (v, p, a) => write(v, p, tags[a]);
    }
    case 'chars': {
      const write = membersOf('chars').writer(layout);
      return (v, p, a) => write(v.u8, p, a);
    }
    case 'struct':
      return structWriter(layout);
    case 'union': {
      const members = layout.members.map((m) => ({
        holds: holder(m),
        end: m.storable.sizeOf,
        write: writer(m.storable),
      }));
      const size = S.sizeOf;
      return (v, p, a) => {
        for (const m of members) {
          const x = m.holds(a);
          if (x !== undefined) {
            m.write(v, p, x);
            zero(v, p + m.end, p + size);
            return;
          }
        }
        zero(v, p, p + size);
      };
    }
    case 'array': {
      const write = writer(layout.element);
      const size = layout.element.sizeOf;
      const n = layout.length;
      return (v, p, a) => {
        for (let i = 0; i < n; i++) write(v, p + i * size, a[i]);
      };
    }
  }
};

/**
 * What a union value `a` holds for member `m`: the member's property, or for an anonymous struct
 * (`spread`) `a` itself when any of its members is present; `undefined` when it holds nothing.
 */
const holder = (m: UnionMemberLayout): ((a: any) => unknown) => {
  if (m.spread !== true) {
    const key = m.key;
    return (a) => a[key];
  }
  const keys = valueKeys(m.storable);
  return (a) => (keys.some((k) => a[k] !== undefined) ? a : undefined);
};

const structWriter = (layout: StructLayout): Writer => {
  const gaps = layout.gaps;
  const members = layout.members.map((m) => {
    switch (m.tag) {
      case 'field':
        return { key: m.key, spread: false, offset: m.offset, write: writer(m.storable) };
      case 'spread':
        return { key: m.key, spread: true, offset: m.offset, write: writer(m.storable) };
      case 'bits':
        return { key: m.key, spread: false, offset: 0, write: membersOf('bits').writer(m) };
    }
  });
  return (v, p, a) => {
    for (const [from, to] of gaps) zero(v, p + from, p + to);
    for (const m of members) m.write(v, p + m.offset, m.spread ? a : a[m.key]);
  };
};

const checker = (S: Storable<any>): Check => {
  const layout = S.layout;
  switch (layout?.tag) {
    case undefined:
      return (u) => S.codec.is(u);
    case 'scalar':
      return scalarIs[layout.kind];
    case 'aligned':
      return checker(layout.inner);
    case 'enum': {
      const tags = layout.tags;
      return (u) => typeof u === 'string' && u in tags;
    }
    case 'chars': {
      const fit = membersOf('chars').fit(layout);
      return (u) => typeof u === 'string' && fit(u);
    }
    case 'struct': {
      const members = layout.members.map((m) => ({
        key: m.key,
        spread: m.tag === 'spread',
        is: m.tag === 'bits' ? (m.codec.is as Check) : checker(m.storable),
      }));
      return (u) => {
        if (typeof u !== 'object' || u === null) return false;
        for (const m of members) {
          if (!m.is(m.spread ? u : (u as Record<string, unknown>)[m.key])) return false;
        }
        return true;
      };
    }
    case 'union': {
      const members = layout.members.map((m) => ({ holds: holder(m), is: checker(m.storable) }));
      return (u) => {
        if (typeof u !== 'object' || u === null) return false;
        let present = 0;
        for (const m of members) {
          const x = m.holds(u);
          if (x !== undefined) {
            present++;
            if (!m.is(x)) return false;
          }
        }
        return present === 1;
      };
    }
    case 'array': {
      const is = checker(layout.element);
      const n = layout.length;
      return (u) => {
        if (!Array.isArray(u) || u.length !== n) return false;
        for (let i = 0; i < n; i++) if (!is(u[i])) return false;
        return true;
      };
    }
  }
};
