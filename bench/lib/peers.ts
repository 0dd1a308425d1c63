/**
 * The marshalling libraries of marshalling-peers.md §3.1 on the Particle struct, each with the
 * adaptations §3.1 lists: restructure (a custom little-endian 64-bit type, `Reserved` padding,
 * reused streams), @solana/buffer-layout (a bigint u64 `Layout` subclass, explicit padding) and
 * koffi (its `uint64` decodes to a Number up to 2^53, so the adapter turns it into a bigint).
 *
 * Each is loaded when the suite loads; one that does not install, does not load, or crashes in
 * a probe is skipped and the reason is printed under the tables. koffi is a native addon and
 * 3.3.4 aborts the whole process on some inputs (toolchain.md), which no `try` can catch, so it
 * is first tried in a child process on one Particle.
 *
 * Every loop below is its own function: no call site sees two libraries.
 */
import { spawnSync } from 'node:child_process';
import type { Arena } from './arena.js';
import type { PaddingPolicy, ParticleValue } from './particle.js';
import { SIZE } from './particle.js';

/** A library's encoder and decoder over an arena. */
export interface Peer {
  readonly impl: string;
  readonly padding: PaddingPolicy;
  /** What was adapted, printed under the tables. */
  readonly adaptation: string;
  /** Encodes `inputs[i & 1023]` into slot `i & 1023`, `ops` times. */
  encoder(arena: Arena, inputs: readonly ParticleValue[]): (ops: number) => void;
  /** Decodes slot `i & 1023` into a new object kept in `out[i & 1023]`, `ops` times. */
  decoder(arena: Arena, out: unknown[]): (ops: number) => void;
}

export interface Peers {
  readonly peers: readonly Peer[];
  /** `name: why` for each library that was skipped. */
  readonly skipped: readonly string[];
}

const MASK = 1023;

// ---------------------------------------------------------------------------------------------
// restructure

const restructurePeer = async (): Promise<Peer> => {
  const r = await import('restructure');
  /** restructure has no 64-bit integers (foliojs/restructure#46): a little-endian u64 type. */
  const uint64le: import('restructure').Type = {
    size: () => 8,
    decode(stream) {
      const v = stream.view.getBigUint64(stream.pos, true);
      stream.pos += 8;
      return v;
    },
    encode(stream, value) {
      stream.view.setBigUint64(stream.pos, value as bigint, true);
      stream.pos += 8;
    },
  };
  const P = new r.Struct({
    kind: r.uint8,
    _pad: new r.Reserved(r.uint8, 7),
    x: r.doublele,
    y: r.doublele,
    z: r.doublele,
    mass: r.floatle,
    id: r.int32le,
    flags: uint64le,
    tag: new r.Array(r.int16le, 4),
  });
  if (P.size() !== SIZE) throw new Error(`restructure: size ${P.size()}, expected ${SIZE}`);
  return {
    impl: 'restructure',
    padding: 'zeroed',
    adaptation:
      'restructure: custom little-endian u64 type (no 64-bit ints, #46), padding as ' +
      'Reserved(uint8, 7) (writes zeros), one EncodeStream / DecodeStream reused (pos set per op)',
    encoder(arena, inputs) {
      const stream = new r.EncodeStream(arena.memory.views.u8);
      const base = arena.base;
      return (ops) => {
        for (let i = 0; i < ops; i++) {
          const s = i & MASK;
          stream.pos = base + s * SIZE;
          P.encode(stream, inputs[s]);
        }
      };
    },
    decoder(arena, out) {
      const stream = new r.DecodeStream(arena.memory.views.u8);
      const base = arena.base;
      return (ops) => {
        for (let i = 0; i < ops; i++) {
          const s = i & MASK;
          stream.pos = base + s * SIZE;
          out[s] = P.decode(stream);
        }
      };
    },
  };
};

// ---------------------------------------------------------------------------------------------
// @solana/buffer-layout

type AnyLayout = import('@solana/buffer-layout').Layout<never>;

const bufferLayoutPeer = async (): Promise<Peer> => {
  const BL = await import('@solana/buffer-layout');
  /** `nu64` is a lossy Number (2^63 + 1 → 9223372036854776000): a bigint u64 layout. */
  class U64 extends BL.Layout<bigint> {
    constructor(property?: string) {
      super(8, property);
    }
    override decode(b: Uint8Array, offset = 0): bigint {
      return BL.uint8ArrayToBuffer(b).readBigUInt64LE(offset);
    }
    override encode(src: bigint, b: Uint8Array, offset = 0): number {
      BL.uint8ArrayToBuffer(b).writeBigUInt64LE(src, offset);
      return 8;
    }
  }
  const P = BL.struct<ParticleValue>([
    BL.u8('kind'),
    BL.blob(7) as unknown as AnyLayout,
    BL.f64('x'),
    BL.f64('y'),
    BL.f64('z'),
    BL.f32('mass'),
    BL.s32('id'),
    new U64('flags') as unknown as AnyLayout,
    BL.seq(BL.s16(), 4, 'tag') as unknown as AnyLayout,
  ]);
  if (P.span !== SIZE) throw new Error(`buffer-layout: span ${P.span}, expected ${SIZE}`);
  return {
    impl: '@solana/buffer-layout',
    padding: 'untouched',
    adaptation:
      '@solana/buffer-layout: bigint u64 Layout subclass (nu64 is lossy), padding as an ' +
      'unnamed blob(7) (left untouched: checked as such)',
    encoder(arena, inputs) {
      const u8 = arena.memory.views.u8;
      const base = arena.base;
      return (ops) => {
        for (let i = 0; i < ops; i++) {
          const s = i & MASK;
          P.encode(inputs[s]!, u8, base + s * SIZE);
        }
      };
    },
    decoder(arena, out) {
      const u8 = arena.memory.views.u8;
      const base = arena.base;
      return (ops) => {
        for (let i = 0; i < ops; i++) {
          const s = i & MASK;
          out[s] = P.decode(u8, base + s * SIZE);
        }
      };
    },
  };
};

// ---------------------------------------------------------------------------------------------
// koffi

const KOFFI_FIELDS = `{ kind: 'uint8_t', x: 'double', y: 'double', z: 'double', mass: 'float',
  id: 'int32_t', flags: 'uint64_t', tag: koffi.array('int16_t', 4, 'Array') }`;

/** One encode and decode of a Particle in a child process: a crash there skips koffi here. */
const probeKoffi = (): string | undefined => {
  const source = `
    import koffi from 'koffi';
    const P = koffi.struct(${KOFFI_FIELDS});
    if (koffi.sizeof(P) !== ${SIZE}) throw new Error('sizeof ' + koffi.sizeof(P));
    const buf = new ArrayBuffer(${2 * SIZE});
    koffi.encode(buf, ${SIZE}, P, { kind: 1, x: 1, y: 2, z: 3, mass: 0.5, id: -7,
      flags: 2n ** 63n + 1n, tag: [1, -2, 3, 4] });
    const o = koffi.decode(buf, ${SIZE}, P);
    if (o.flags !== 2n ** 63n + 1n || o.tag[1] !== -2) throw new Error('round trip');
  `;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (child.error !== undefined) return `the probe did not run (${child.error.message})`;
  if (child.signal !== null) return `the probe process was killed by ${child.signal}`;
  if (child.status !== 0) {
    const last = child.stderr.trim().split('\n').filter(Boolean).pop() ?? '';
    return `the probe exited with ${child.status}: ${last}`;
  }
  return undefined;
};

const koffiPeer = async (): Promise<Peer> => {
  const why = probeKoffi();
  if (why !== undefined) throw new Error(why);
  const koffi = (await import('koffi')).default;
  const P = koffi.struct({
    kind: 'uint8_t',
    x: 'double',
    y: 'double',
    z: 'double',
    mass: 'float',
    id: 'int32_t',
    flags: 'uint64_t',
    tag: koffi.array('int16_t', 4, 'Array'),
  });
  return {
    impl: `koffi ${koffi.version}`,
    padding: 'zeroed',
    adaptation:
      'koffi: koffi.encode/decode(ArrayBuffer, offset, type); its uint64 decodes to a Number ' +
      'when ≤ 2^53, turned into a bigint by the adapter; tag as koffi.array(int16_t, 4, "Array")',
    encoder(arena, inputs) {
      const buffer = arena.memory.buffer;
      const base = arena.base;
      return (ops) => {
        for (let i = 0; i < ops; i++) {
          const s = i & MASK;
          koffi.encode(buffer, base + s * SIZE, P, inputs[s]);
        }
      };
    },
    decoder(arena, out) {
      const buffer = arena.memory.buffer;
      const base = arena.base;
      return (ops) => {
        for (let i = 0; i < ops; i++) {
          const s = i & MASK;
          const o = koffi.decode(buffer, base + s * SIZE, P);
          if (typeof o.flags === 'number') o.flags = BigInt(o.flags);
          out[s] = o;
        }
      };
    },
  };
};

// ---------------------------------------------------------------------------------------------

const message = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

/** Loads every library it can; the others are listed in `skipped` with the reason. */
export const loadPeers = async (): Promise<Peers> => {
  const peers: Peer[] = [];
  const skipped: string[] = [];
  const tries: Array<[string, () => Promise<Peer>]> = [
    ['restructure', restructurePeer],
    ['@solana/buffer-layout', bufferLayoutPeer],
    ['koffi', koffiPeer],
  ];
  for (const [name, load] of tries) {
    try {
      peers.push(await load());
    } catch (e) {
      skipped.push(`${name}: ${message(e)}`);
    }
  }
  return { peers, skipped };
};
