/**
 * The checksum c/layouts/harness.h's sum_T computes, here computed from a value, by walking its
 * instance's layout description (the order and kind of its members), not its bytes: so a value
 * this library poked, checksummed by C reading each member where the compiler put it, must give
 * the same number (see the top of harness.h for the definition).
 */
import type { Storable } from '../../../src/foreign/index.js';

/** HARNESS_SEED. */
export const SEED = 0xcbf29ce484222325n;

const MASK = (1n << 64n) - 1n;

/** harness_mix: h = (h ^ x) * 0x100000001b3, h ^= h >> 32, mod 2^64. */
export const mix = (h: bigint, x: bigint): bigint => {
  const m = ((h ^ (x & MASK)) * 0x100000001b3n) & MASK;
  return m ^ (m >> 32n);
};

const scratch = new DataView(new ArrayBuffer(8));

/** A scalar value as C converts it to uint64_t (floats: their bits). */
const scalarBits = (kind: string, v: unknown): bigint => {
  switch (kind) {
    case 'f32':
      scratch.setFloat32(0, v as number, true);
      return BigInt(scratch.getUint32(0, true));
    case 'f64':
      scratch.setFloat64(0, v as number, true);
      return scratch.getBigUint64(0, true);
    case 'bool32':
      return v === true ? 1n : 0n;
    case 'char32':
      return BigInt((v as string).codePointAt(0) as number);
    default:
      return BigInt.asUintN(64, BigInt(v as number | bigint));
  }
};

/** The bytes of a `char[n]` holding `s` (NUL-padded), as signed chars converted to uint64_t. */
const charBytes = (s: string, length: number): bigint[] => {
  const bytes = new Uint8Array(length);
  bytes.set(new TextEncoder().encode(s));
  return [...bytes].map((b) => BigInt.asUintN(64, BigInt((b << 24) >> 24)));
};

/** sum_T of `value`, continuing from the state `h` (default: the seed). */
export const checksum = (S: Storable<any>, value: unknown, h: bigint = SEED): bigint => {
  const layout = S.layout;
  switch (layout?.tag) {
    case undefined:
      throw new Error(`checksum: ${S.name} has no layout`);
    case 'scalar':
      return mix(h, scalarBits(layout.kind, value));
    case 'enum':
      return mix(h, BigInt.asUintN(64, BigInt(layout.tags[value as string] as number | bigint)));
    case 'chars':
      return charBytes(value as string, layout.length).reduce(mix, h);
    case 'aligned':
      return checksum(layout.inner, value, h);
    case 'array':
      return (value as unknown[]).reduce<bigint>((acc, x) => checksum(layout.element, x, acc), h);
    case 'union': {
      const first = layout.members[0];
      if (first === undefined) return h;
      const v = (value as Record<string, unknown>)[first.key];
      if (v === undefined) throw new Error(`checksum: ${S.name} does not hold ${first.key}`);
      return checksum(first.storable, v, h);
    }
    case 'struct':
      return layout.members.reduce((acc, m) => {
        // An anonymous member (`spread`) holds members of the struct's own value.
        if (m.tag === 'spread') return checksum(m.storable, value, acc);
        const v = (value as Record<string, unknown>)[m.key];
        return m.tag === 'field'
          ? checksum(m.storable, v, acc)
          : mix(
              acc,
              m.kind === 'bool8'
                ? BigInt(v as number)
                : BigInt.asUintN(64, BigInt(v as number | bigint)),
            );
      }, h);
  }
};

/** A checksum as the table writes it: 16 hex digits. */
export const checksumHex = (h: bigint): string => h.toString(16).padStart(16, '0');
