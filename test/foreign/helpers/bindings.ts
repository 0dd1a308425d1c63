/**
 * The check of a module written by `foreign-ts bind` against the table its check program printed
 * (what clang says of every type and constant: src/cli/bind/emit-c.ts), shared by the tests on
 * the committed modules (test/foreign/bindings.test.ts) and those that run the generator live
 * (test/c/bind-live.test.ts). Both sides are put in the table's form, so that a difference shows
 * as one diff: every type's size and alignment, every member's offset (through anonymous
 * members), every bit-field's first bit and width, every constant's value (a floating one by its
 * bits, a string by its UTF-8 bytes), and the same names on both sides.
 */
import { offsetOf, type Storable } from '../../../src/foreign/index.js';

/** The table of the check program. */
export interface BindingTable {
  readonly target: 'wasm32' | 'x86_64';
  readonly compiler: string;
  readonly types: Readonly<Record<string, { readonly size: number; readonly align: number }>>;
  /** `T.f` -> offsetof(T, f), for every member C reaches as `T.f`. */
  readonly offsets: Readonly<Record<string, number>>;
  /** `T.f` -> [first bit, width] of bit-field f. */
  readonly bits: Readonly<Record<string, readonly [number, number]>>;
  /** Integer constants, in decimal. */
  readonly constants: Readonly<Record<string, string>>;
  /** Floating constants: their C type and the hex of their bits. */
  readonly floats: Readonly<Record<string, readonly ['float' | 'double', string]>>;
  /** String constants: the hex of their bytes (without the NUL). */
  readonly strings: Readonly<Record<string, string>>;
}

/** What a generated module exports that the check reads. */
export interface BoundModule {
  readonly types: Readonly<Record<string, Storable<any>>>;
  readonly constants: Readonly<Record<string, number | bigint | string>>;
  readonly functions: Readonly<Record<string, unknown>>;
}

/** The byte offsets and bit-field places of the members of `S`, through anonymous members. */
export const memberPlaces = (
  S: Storable<any>,
  base = 0,
  out: { offsets: Record<string, number>; bits: Record<string, [number, number]> } = {
    offsets: {},
    bits: {},
  },
): { offsets: Record<string, number>; bits: Record<string, [number, number]> } => {
  const layout = S.layout;
  if (layout?.tag === 'struct') {
    for (const m of layout.members) {
      if (m.tag === 'field') out.offsets[m.key] = base + m.offset;
      else if (m.tag === 'bits') out.bits[m.key] = [base * 8 + m.bitOffset, m.width];
      else memberPlaces(m.storable, base + m.offset, out);
    }
  } else if (layout?.tag === 'union') {
    for (const m of layout.members) {
      if (m.spread === true) memberPlaces(m.storable, base, out);
      else out.offsets[m.key] = base;
    }
  }
  return out;
};

const floatBits = (value: number, type: 'float' | 'double'): string => {
  const view = new DataView(new ArrayBuffer(8));
  if (type === 'float') {
    view.setFloat32(0, value);
    return view.getUint32(0).toString(16).padStart(8, '0');
  }
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};

const hex = (bytes: Uint8Array): string =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The module in the table's form (its target and compiler copied from `table`, which also says
 * which numbers are floating constants and of which type). Every offset is also asked of
 * `offsetOf`, which must agree with the layout.
 */
export const tableOf = (module: BoundModule, table: BindingTable): BindingTable => {
  const types: Record<string, { size: number; align: number }> = {};
  const offsets: Record<string, number> = {};
  const bits: Record<string, [number, number]> = {};
  for (const [name, S] of Object.entries(module.types)) {
    types[name] = { size: S.sizeOf, align: S.alignment };
    const places = memberPlaces(S);
    for (const [f, at] of Object.entries(places.offsets)) {
      offsets[`${name}.${f}`] = offsetOf(S as any, f) === at ? at : NaN;
    }
    for (const [f, at] of Object.entries(places.bits)) bits[`${name}.${f}`] = at;
  }
  const constants: Record<string, string> = {};
  const floats: Record<string, ['float' | 'double', string]> = {};
  const strings: Record<string, string> = {};
  for (const [name, value] of Object.entries(module.constants)) {
    if (typeof value === 'string') strings[name] = hex(new TextEncoder().encode(value));
    else if (Object.hasOwn(table.floats, name) && typeof value === 'number') {
      const type = (table.floats[name] as readonly ['float' | 'double', string])[0];
      floats[name] = [
        type,
        type === 'float' && Math.fround(value) !== value ? 'not a float' : floatBits(value, type),
      ];
    } else constants[name] = String(value);
  }
  return {
    target: table.target,
    compiler: table.compiler,
    types,
    offsets,
    bits,
    constants,
    floats,
    strings,
  };
};
