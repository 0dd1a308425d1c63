/**
 * The Particle benchmark of marshalling-peers.md §3.1, shared by the `struct` and `alloca`
 * suites: the struct, its inputs, the reference (hand-written `DataView`) code, and the
 * verification every implementation must pass before it is timed.
 *
 * ```c
 * struct Particle { uint8_t kind; double x, y, z; float mass; int32_t id; uint64_t flags;
 *                   int16_t tag[4]; };   // kind@0 (+7 pad) x@8 y@16 z@24 mass@32 id@36
 *                                        // flags@40 tag@48; sizeof 56, alignof 8
 * ```
 */
import {
  CDouble,
  CFloat,
  Int16,
  Int32,
  Word64,
  Word8,
  array,
  struct,
  type StorableOf,
} from 'foreign-ts';
import { mulberry32 } from './trace.js';

/** This library's description of the struct. */
export const Particle = struct(
  {
    kind: Word8,
    x: CDouble,
    y: CDouble,
    z: CDouble,
    mass: CFloat,
    id: Int32,
    flags: Word64,
    tag: array(Int16, 4),
  },
  'Particle',
);

export type ParticleValue = StorableOf<typeof Particle>;

export const SIZE = 56;
export const ALIGN = 8;
/** Slots in the arena; inputs cycle over as many objects. */
export const SLOTS = 1024;
export const KEYS = ['kind', 'x', 'y', 'z', 'mass', 'id', 'flags', 'tag'] as const;
/** The padding bytes `[1, 8)` after `kind`. */
export const PADDING: readonly number[] = [1, 2, 3, 4, 5, 6, 7];

const TWO_63 = 2n ** 63n;

/**
 * The 1 024 inputs, the same for every implementation: random fields (negative ints and tags
 * included, `mass` exactly representable as a float), `flags` ≥ 2^63 in odd slots and below
 * 2^53 in every fourth slot (a lossy or Number-returning 64-bit path shows).
 */
export const particleInputs = (seed = 0x5eed): ParticleValue[] => {
  const r = mulberry32(seed);
  const u32 = (): number => Math.floor(r() * 2 ** 32);
  const int16 = (): number => Math.floor(r() * 65536) - 32768;
  const out: ParticleValue[] = [];
  for (let s = 0; s < SLOTS; s++) {
    const low = (BigInt(u32()) << 32n) | BigInt(u32());
    const flags =
      s % 2 === 1 ? TWO_63 | low : s % 4 === 0 ? low & (2n ** 53n - 1n) : low & (TWO_63 - 1n);
    out.push({
      kind: Math.floor(r() * 256),
      x: (r() - 0.5) * 2e6,
      y: (r() - 0.5) * 1e-3,
      z: r() * 1e300,
      mass: Math.fround(r() * 1000),
      id: u32() | 0,
      flags,
      tag: [int16(), int16(), int16(), int16()],
    });
  }
  return out;
};

/**
 * The bytes of one value, from the definition (C layout, little-endian, padding zero), built
 * field by field through scratch typed arrays: independent of every implementation.
 */
export const particleBytes = (v: ParticleValue): Uint8Array => {
  const out = new Uint8Array(SIZE);
  const put = (at: number, bytes: ArrayBufferView): void =>
    out.set(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), at);
  out[0] = v.kind;
  put(8, Float64Array.of(v.x, v.y, v.z));
  put(32, Float32Array.of(v.mass));
  put(36, Int32Array.of(v.id));
  put(40, BigUint64Array.of(v.flags));
  put(48, Int16Array.of(...v.tag));
  if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) throw new Error('big-endian host');
  return out;
};

// ---------------------------------------------------------------------------------------------
// The reference: hand-written DataView code, as a C programmer would write it in JavaScript.
// It writes the padding as zero, like this library, koffi and restructure (same work).

/** Writes `v` at `p` through `dv` (the reference encoder). */
export const dataViewWrite = (dv: DataView, p: number, v: ParticleValue): void => {
  dv.setUint8(p, v.kind);
  dv.setUint8(p + 1, 0);
  dv.setUint16(p + 2, 0, true);
  dv.setUint32(p + 4, 0, true);
  dv.setFloat64(p + 8, v.x, true);
  dv.setFloat64(p + 16, v.y, true);
  dv.setFloat64(p + 24, v.z, true);
  dv.setFloat32(p + 32, v.mass, true);
  dv.setInt32(p + 36, v.id, true);
  dv.setBigUint64(p + 40, v.flags, true);
  const tag = v.tag;
  dv.setInt16(p + 48, tag[0]!, true);
  dv.setInt16(p + 50, tag[1]!, true);
  dv.setInt16(p + 52, tag[2]!, true);
  dv.setInt16(p + 54, tag[3]!, true);
};

/** Typed-array views over a whole buffer, as hand-written code keeps them. */
export const typedViews = (buffer: ArrayBufferLike) => ({
  buffer,
  u8: new Uint8Array(buffer),
  i8: new Int8Array(buffer),
  u16: new Uint16Array(buffer),
  u32: new Uint32Array(buffer),
  i16: new Int16Array(buffer),
  i32: new Int32Array(buffer),
  f32: new Float32Array(buffer),
  f64: new Float64Array(buffer),
  u64: new BigUint64Array(buffer),
  i64: new BigInt64Array(buffer),
});

export type TypedViews = ReturnType<typeof typedViews>;

/**
 * Writes `v` at `p` (8-aligned) through typed-array views at aligned indices, padding as zero:
 * the hand-written typed-array encoder.
 */
export const typedArrayWrite = (t: TypedViews, p: number, v: ParticleValue): void => {
  t.u8[p] = v.kind;
  t.u8[p + 1] = 0;
  t.u16[(p + 2) >>> 1] = 0;
  t.u32[(p + 4) >>> 2] = 0;
  t.f64[(p + 8) >>> 3] = v.x;
  t.f64[(p + 16) >>> 3] = v.y;
  t.f64[(p + 24) >>> 3] = v.z;
  t.f32[(p + 32) >>> 2] = v.mass;
  t.i32[(p + 36) >>> 2] = v.id;
  t.u64[(p + 40) >>> 3] = v.flags;
  const tag = v.tag;
  t.i16[(p + 48) >>> 1] = tag[0]!;
  t.i16[(p + 50) >>> 1] = tag[1]!;
  t.i16[(p + 52) >>> 1] = tag[2]!;
  t.i16[(p + 54) >>> 1] = tag[3]!;
};

/** Reads a new object from `p` through `dv` (the reference decoder). */
export const dataViewRead = (dv: DataView, p: number): ParticleValue => ({
  kind: dv.getUint8(p),
  x: dv.getFloat64(p + 8, true),
  y: dv.getFloat64(p + 16, true),
  z: dv.getFloat64(p + 24, true),
  mass: dv.getFloat32(p + 32, true),
  id: dv.getInt32(p + 36, true),
  flags: dv.getBigUint64(p + 40, true),
  tag: [
    dv.getInt16(p + 48, true),
    dv.getInt16(p + 50, true),
    dv.getInt16(p + 52, true),
    dv.getInt16(p + 54, true),
  ],
});

// ---------------------------------------------------------------------------------------------
// Verification: run before any timing; an implementation that fails is refused (its cell
// throws, the table says ERROR, the exit code is 1).

/** What an encoder does with the padding bytes. */
export type PaddingPolicy = 'zeroed' | 'untouched';

/** The byte the arena holds before a verification pass, so that untouched bytes show. */
export const GARBAGE = 0xa5;

const hex = (b: number | undefined): string =>
  b === undefined ? 'nothing' : `0x${b.toString(16).padStart(2, '0')}`;

/**
 * Checks the bytes an encoder left in `u8` at `base` (slot `s` at `base + s * 56`) after one pass
 * over the inputs into an arena filled with {@link GARBAGE}: every byte must be the reference
 * byte, except padding bytes of a `untouched` encoder, which must still be garbage. Throws an
 * Error naming the first wrong byte.
 */
export const verifyBytes = (
  impl: string,
  u8: Uint8Array,
  base: number,
  inputs: readonly ParticleValue[],
  padding: PaddingPolicy,
): void => {
  for (let s = 0; s < inputs.length; s++) {
    const want = particleBytes(inputs[s]!);
    if (padding === 'untouched') for (const i of PADDING) want[i] = GARBAGE;
    for (let i = 0; i < SIZE; i++) {
      const got = u8[base + s * SIZE + i];
      if (got !== want[i]) {
        throw new Error(
          `${impl} refused: wrong bytes (slot ${s}, byte ${i}: expected ${hex(want[i])}, got ` +
            `${hex(got)}); it is not timed`,
        );
      }
    }
  }
};

const same = (a: unknown, b: unknown): boolean => typeof a === typeof b && Object.is(a, b);

/** Why `got` is not exactly `want` (types included), or undefined when it is. */
export const particleMismatch = (got: unknown, want: ParticleValue): string | undefined => {
  if (typeof got !== 'object' || got === null) return `not an object: ${String(got)}`;
  const o = got as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length !== KEYS.length || !KEYS.every((k) => keys.includes(k)))
    return `keys ${keys.join(',')}`;
  for (const k of KEYS) {
    if (k === 'tag') continue;
    if (!same(o[k], want[k]))
      return `${k}: expected ${String(want[k])} (${typeof want[k]}), got ${String(o[k])} (${typeof o[k]})`;
  }
  const tag = o['tag'];
  if (!Array.isArray(tag) || tag.length !== 4 || !tag.every((x, i) => same(x, want.tag[i])))
    return `tag: expected [${want.tag.join(', ')}], got ${String(tag)}`;
  return undefined;
};

/** Checks decoded values against the inputs, slot by slot. Throws an Error at the first wrong one. */
export const verifyValues = (
  impl: string,
  got: readonly unknown[],
  inputs: readonly ParticleValue[],
): void => {
  for (let s = 0; s < inputs.length; s++) {
    const why = particleMismatch(got[s], inputs[s]!);
    if (why !== undefined)
      throw new Error(`${impl} refused: wrong value (slot ${s}, ${why}); it is not timed`);
  }
};
