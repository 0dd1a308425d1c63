/**
 * The struct suite: the Particle benchmark of marshalling-peers.md §3.1, encode (poke) and decode
 * (peek) side by side in one process: this library's IO API as a user calls it
 * (`poke(Particle, p, v)()` from `foreign(ctx)`), checked and unchecked; the compiled code
 * alone; hand-written `DataView` code (the reference) and typed-array code; restructure,
 * @solana/buffer-layout and koffi.
 *
 * Method (§3.1): inputs cycle over 1 024 objects (odd slots have `flags ≥ 2^63`) into 1 024
 * slots of 56 bytes. Before anything is timed, each implementation is verified: one pass over
 * the 1 024 slots must leave exactly the bytes of the definition (`particleBytes`), and a decode
 * of those bytes must give exactly the inputs back (a new object per op, `tag` an array of 4,
 * `flags` a bigint). An implementation that fails is refused: its cell throws and is not timed.
 * Every timed run is checked the same way afterwards.
 *
 * Each implementation has its own loop (see bench/README.md, "one loop per implementation").
 */
import { getLayoutCompiler, setLayoutCompiler, struct, type Ptr } from 'foreign-ts';
import type { Cell, Suite, Target, Workload } from '../harness.js';
import { ratioTarget, speedupTarget, timesFaster } from '../lib/targets.js';
import { makeArena, type Arena } from '../lib/arena.js';
import {
  GARBAGE,
  Particle,
  SIZE,
  SLOTS,
  dataViewRead,
  dataViewWrite,
  particleBytes,
  particleInputs,
  typedArrayWrite,
  typedViews,
  verifyBytes,
  verifyValues,
  type PaddingPolicy,
  type ParticleValue,
} from '../lib/particle.js';
import { loadPeers } from '../lib/peers.js';

const MASK = SLOTS - 1;

export const REF = 'DataView';
export const POKE = 'foreign-ts poke';
export const UNCHECKED = 'foreign-ts unchecked.poke';
export const PEEK = 'foreign-ts peek';

/** An encoder: makes its own loop over an arena. */
export interface EncodeImpl {
  readonly impl: string;
  readonly padding: PaddingPolicy;
  /** A library: timed on fewer ops. */
  readonly library?: boolean;
  readonly note?: string;
  encoder(arena: Arena, inputs: readonly ParticleValue[]): (ops: number) => void;
}

/** A decoder: makes its own loop over an arena, keeping each new object in `out[slot]`. */
export interface DecodeImpl {
  readonly impl: string;
  readonly library?: boolean;
  readonly note?: string;
  decoder(arena: Arena, out: unknown[]): (ops: number) => void;
}

type P = Ptr<ParticleValue>;

// ---------------------------------------------------------------------------------------------
// This library, as a user calls it: the bound API of a context.

const fPoke: EncodeImpl = {
  impl: POKE,
  padding: 'zeroed',
  encoder(arena, inputs) {
    const { poke } = arena.api;
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        poke(Particle, (base + s * SIZE) as P, inputs[s]!)();
      }
    };
  },
};

const fUnchecked: EncodeImpl = {
  impl: UNCHECKED,
  padding: 'zeroed',
  encoder(arena, inputs) {
    const { unchecked } = arena.api;
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        unchecked.poke(Particle, (base + s * SIZE) as P, inputs[s]!)();
      }
    };
  },
};

const fWrite: EncodeImpl = {
  impl: 'compiled Particle.write',
  padding: 'zeroed',
  note:
    'the generated writer alone, Particle.write(views, p, v): no IO, no bounds check, no ' +
    'validation (what poke calls; not an API for users)',
  encoder(arena, inputs) {
    const views = arena.memory.views;
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        Particle.write(views, base + s * SIZE, inputs[s]!);
      }
    };
  },
};

const fPeek: DecodeImpl = {
  impl: PEEK,
  decoder(arena, out) {
    const { peek } = arena.api;
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        out[s] = peek(Particle, (base + s * SIZE) as P)();
      }
    };
  },
};

const fRead: DecodeImpl = {
  impl: 'compiled Particle.read',
  note: 'the generated reader alone, Particle.read(views, p): no IO, no bounds check',
  decoder(arena, out) {
    const views = arena.memory.views;
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        out[s] = Particle.read(views, base + s * SIZE);
      }
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Hand-written code: the DataView reference, and typed-array views (marshalling-peers.md (b)).

const dvEncode: EncodeImpl = {
  impl: REF,
  padding: 'zeroed',
  encoder(arena, inputs) {
    const dv = new DataView(arena.memory.buffer);
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        dataViewWrite(dv, base + s * SIZE, inputs[s]!);
      }
    };
  },
};

const dvDecode: DecodeImpl = {
  impl: REF,
  decoder(arena, out) {
    const dv = new DataView(arena.memory.buffer);
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        out[s] = dataViewRead(dv, base + s * SIZE);
      }
    };
  },
};

/** The typed-array views of one buffer, as hand-written code keeps them. */
const taEncode: EncodeImpl = {
  impl: 'typed arrays',
  padding: 'zeroed',
  note: 'hand-written, through typed-array views at aligned indices (needs p % 8 === 0)',
  encoder(arena, inputs) {
    const views = typedViews(arena.memory.buffer);
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        typedArrayWrite(views, base + s * SIZE, inputs[s]!);
      }
    };
  },
};

const taDecode: DecodeImpl = {
  impl: 'typed arrays',
  decoder(arena, out) {
    const { u8, i16, i32, f32, f64, u64 } = typedViews(arena.memory.buffer);
    const base = arena.base;
    return (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        const p = base + s * SIZE;
        out[s] = {
          kind: u8[p],
          x: f64[(p + 8) >>> 3],
          y: f64[(p + 16) >>> 3],
          z: f64[(p + 24) >>> 3],
          mass: f32[(p + 32) >>> 2],
          id: i32[(p + 36) >>> 2],
          flags: u64[(p + 40) >>> 3],
          tag: [i16[(p + 48) >>> 1], i16[(p + 50) >>> 1], i16[(p + 52) >>> 1], i16[(p + 54) >>> 1]],
        };
      }
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Cells: verification first, then the timed loop, then the check of what the run did.

const fillGarbage = (arena: Arena): void => {
  arena.memory.views.u8.fill(GARBAGE, arena.base, arena.base + SLOTS * SIZE);
};

/**
 * The cell of an encoder. Its first run verifies it (one untimed pass over the 1 024 slots of
 * an arena full of garbage must leave exactly the reference bytes) and throws if it is wrong;
 * every run then fills the arena with garbage, times `ops` encodes, and checks the bytes again.
 */
export const encodeCell = (x: EncodeImpl, ops: number, inputs: readonly ParticleValue[]): Cell => {
  let state: { arena: Arena; loop: (ops: number) => void } | undefined;
  const check = (arena: Arena): void =>
    verifyBytes(x.impl, arena.memory.views.u8, arena.base, inputs, x.padding);
  return {
    impl: x.impl,
    ops,
    ...(x.note === undefined ? {} : { note: x.note }),
    run(sw) {
      if (state === undefined) {
        const arena = makeArena();
        const loop = x.encoder(arena, inputs);
        fillGarbage(arena);
        loop(SLOTS);
        check(arena);
        state = { arena, loop };
      }
      const { arena, loop } = state;
      fillGarbage(arena);
      sw.start();
      loop(ops);
      sw.stop();
      check(arena);
      return {};
    },
  };
};

/**
 * The cell of a decoder. Its first run verifies it (one untimed pass over the reference bytes
 * must give exactly the inputs back) and throws if it is wrong; every timed run is checked too.
 */
export const decodeCell = (x: DecodeImpl, ops: number, inputs: readonly ParticleValue[]): Cell =>
  readCell(x, ops, inputs, x.decoder, (out) => verifyValues(x.impl, out, inputs));

/**
 * The cell of a reader over the arena filled with the inputs' bytes: `make` makes its loop, which
 * keeps what it reads in `out[slot]`; `verify` checks `out` after the untimed first pass and
 * after every timed run (and throws to refuse the implementation).
 */
const readCell = (
  x: { readonly impl: string; readonly note?: string },
  ops: number,
  inputs: readonly ParticleValue[],
  make: (arena: Arena, out: unknown[]) => (ops: number) => void,
  verify: (out: unknown[]) => void,
  newArena: () => Arena = makeArena,
): Cell => {
  let state: { loop: (ops: number) => void } | undefined;
  const out = new Array<unknown>(SLOTS).fill(undefined);
  return {
    impl: x.impl,
    ops,
    ...(x.note === undefined ? {} : { note: x.note }),
    run(sw) {
      if (state === undefined) {
        const arena = newArena();
        const u8 = arena.memory.views.u8;
        inputs.forEach((v, s) => u8.set(particleBytes(v), arena.base + s * SIZE));
        const loop = make(arena, out);
        loop(SLOTS);
        verify(out);
        state = { loop };
      }
      out.fill(undefined);
      sw.start();
      state.loop(ops);
      sw.stop();
      verify(out);
      return {};
    },
  };
};

// ---------------------------------------------------------------------------------------------
// Field peek (hsc2hs's #peek): one field of slot i mod 1024, this library vs hand-written code.

export const FIELD = 'foreign-ts peekField';

/** A field reader: makes its own loop over an arena, keeping each value in `out[slot]`. */
export interface FieldImpl {
  readonly impl: string;
  readonly note?: string;
  reader(arena: Arena, out: unknown[]): (ops: number) => void;
}

/** A field of the Particle, by the three ways to read it, and its value in an input. */
export interface FieldSpec {
  /** The workload's name and the path in its title. */
  readonly name: string;
  readonly path: string;
  readonly value: (v: ParticleValue) => unknown;
  readonly impls: readonly FieldImpl[];
  /** Read in arenas whose memory has grown (the workload runs last: see `grownArena`). */
  readonly grown?: boolean;
}

export const GENERIC = 'foreign-ts peekField, generic program';

/** The same members as `Particle`: a second instance, whose fields are resolved anew. */
const Twin = struct(Particle.fields, 'Particle');

/**
 * `peekField`'s generic program for the field at `path`: `peek` of the field's target (what
 * serves fields that are not plain scalars, and every field where code generation is off), got
 * by resolving the path of `Twin` under `setLayoutCompiler('interpreter')`. The field readers it
 * calls are the same scalar readers as the compiled program's.
 */
const genericReader = (arena: Arena, path: 'y' | readonly ['tag', 2]) => {
  const before = getLayoutCompiler();
  setLayoutCompiler('interpreter');
  try {
    return arena.api.peekField(Twin, path as 'y') as (p: P) => () => unknown;
  } finally {
    setLayoutCompiler(before);
  }
};

/**
 * The generic program's cell, for the field at `path`. Each workload has its own loop (`loop`),
 * written out where the workload is: one loop for both would see two programs at its call site.
 */
const genericImpl = (
  path: 'y' | readonly ['tag', 2],
  loop: (read: (p: P) => () => unknown, base: number, out: unknown[]) => (ops: number) => void,
): FieldImpl => ({
  impl: GENERIC,
  note: "peek of the field's target: what serves fields that are not plain scalars, and every field where code generation is off",
  reader: (arena, out) => loop(genericReader(arena, path), arena.base, out),
});

/** `y` (a double at offset 16): `peekField(Particle, 'y')`. */
const FIELD_Y: FieldSpec = {
  name: 'field peek',
  path: "y (a double at offset 16), peekField(Particle, 'y')",
  value: (v) => v.y,
  impls: [
    {
      impl: FIELD,
      reader(arena, out) {
        const peekY = arena.api.peekField(Particle, 'y');
        const base = arena.base;
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & MASK;
            out[s] = peekY((base + s * SIZE) as P)();
          }
        };
      },
    },
    genericImpl('y', (read, base, out) => (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        out[s] = read((base + s * SIZE) as P)();
      }
    }),
    {
      impl: 'foreign-ts peekByteOff',
      note: "peekByteOff(CDouble, p, offsetOf(Particle, 'y'))(): the offset by hand",
      reader(arena, out) {
        const { peekByteOff } = arena.api;
        const CDouble = Particle.fields.y;
        const off = 16;
        const base = arena.base;
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & MASK;
            out[s] = peekByteOff(CDouble, (base + s * SIZE) as P, off)();
          }
        };
      },
    },
    {
      impl: 'CDouble.read at the offset',
      note: "the field's own reader alone, CDouble.read(views, p + 16): no IO, no bounds check",
      reader(arena, out) {
        const { read } = Particle.fields.y;
        const views = arena.memory.views;
        const base = arena.base;
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & MASK;
            out[s] = read(views, base + s * SIZE + 16);
          }
        };
      },
    },
    {
      impl: REF,
      note: 'dv.getFloat64(p + 16, true)',
      reader(arena, out) {
        const dv = new DataView(arena.memory.buffer);
        const base = arena.base;
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & MASK;
            out[s] = dv.getFloat64(base + s * SIZE + 16, true);
          }
        };
      },
    },
  ],
};

/** `tag[2]` (an int16 at offset 52, a nested path): `peekField(Particle, ['tag', 2])`. */
const FIELD_TAG: FieldSpec = {
  name: 'nested field peek',
  path: "tag[2] (an int16 at offset 52), peekField(Particle, ['tag', 2])",
  value: (v) => v.tag[2],
  impls: [
    {
      impl: FIELD,
      reader(arena, out) {
        const peekTag2 = arena.api.peekField(Particle, ['tag', 2]);
        const base = arena.base;
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & MASK;
            out[s] = peekTag2((base + s * SIZE) as P)();
          }
        };
      },
    },
    genericImpl(['tag', 2], (read, base, out) => (ops) => {
      for (let i = 0; i < ops; i++) {
        const s = i & MASK;
        out[s] = read((base + s * SIZE) as P)();
      }
    }),
    {
      impl: 'Int16.read at the offset',
      note: "the field's own reader alone, Int16.read(views, p + 52): no IO, no bounds check",
      reader(arena, out) {
        const { read } = Particle.fields.tag.element;
        const views = arena.memory.views;
        const base = arena.base;
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & MASK;
            out[s] = read(views, base + s * SIZE + 52);
          }
        };
      },
    },
    {
      impl: REF,
      note: 'dv.getInt16(p + 52, true)',
      reader(arena, out) {
        const dv = new DataView(arena.memory.buffer);
        const base = arena.base;
        return (ops) => {
          for (let i = 0; i < ops; i++) {
            const s = i & MASK;
            out[s] = dv.getInt16(base + s * SIZE + 52, true);
          }
        };
      },
    },
  ],
};

/**
 * `tag[2]` again, in arenas whose memory has grown: what a program whose heap grew sees. The
 * last workload of the suite, since the growth changes how V8 compiles every later read of a
 * memory's views.
 */
const FIELD_TAG_GROWN: FieldSpec = {
  ...FIELD_TAG,
  name: 'nested field peek after growth',
  impls: FIELD_TAG.impls.filter((x) => x.impl === FIELD || x.impl === REF),
  grown: true,
};

/** Checks that `out` holds the field of every input. */
const verifyField = (
  impl: string,
  spec: FieldSpec,
  out: unknown[],
  inputs: readonly ParticleValue[],
): void => {
  inputs.forEach((v, s) => {
    if (!Object.is(out[s], spec.value(v))) {
      throw new Error(
        `${impl} refused: slot ${s}: expected ${String(spec.value(v))}, got ${String(out[s])}`,
      );
    }
  });
};

/** The cell of a field reader, verified before it is timed and after every run. */
const fieldCell = (
  x: FieldImpl,
  spec: FieldSpec,
  ops: number,
  inputs: readonly ParticleValue[],
): Cell =>
  readCell(
    x,
    ops,
    inputs,
    x.reader,
    (out) => verifyField(x.impl, spec, out, inputs),
    spec.grown === true ? grownArena : makeArena,
  );

/**
 * An arena whose memory has grown by a page: its views renewed, as in any program whose heap
 * grew. From then on V8 reads a memory's views as a mutable field in the whole process (and
 * checks every typed array and DataView for a detached buffer, since one was detached).
 */
const grownArena = (): Arena => {
  const arena = makeArena();
  if (!arena.memory.grow(arena.memory.byteLength + 65536)) throw new Error('arena: no growth');
  return arena;
};

/** The workload of one field. */
export const fieldWorkload = (spec: FieldSpec, p: StructParams): Workload => {
  const inputs = particleInputs();
  return {
    name: spec.name,
    interleave: true,
    runs: 15,
    title: `read field ${spec.path} of slot i mod 1024`,
    cells: spec.impls.map((x) => fieldCell(x, spec, p.ops, inputs)),
    targets: [ratio(FIELD, FIELD, 1.2)],
    notes: [
      '15 timed runs per cell, taken round-robin.',
      `${FIELD}: the reader made once, outside the loop, from foreign(ctx) ` +
        '(const read = peekField(Particle, path)), then read(p)() in the loop: a bounds check ' +
        "and the field's own reader at its offset.",
      'every reader is verified before timing (the field of all 1,024 inputs) and after every run.',
      ...(spec.grown === true
        ? [
            "each cell's arena memory grew by a page before its reader was made: from then on V8 " +
              "reads a memory's views as a mutable field, in the whole process (the workload runs last).",
          ]
        : []),
    ],
  };
};

// ---------------------------------------------------------------------------------------------
// Targets

const ratio = (label: string, impl: string, limit: number): Target =>
  ratioTarget(`${label} within ${limit}x of ${REF}`, impl, REF, limit);

const faster = (impl: string, library: string, factor: number): Target =>
  speedupTarget(
    `${impl} at least ${factor}x faster than ${library}`,
    impl,
    library,
    factor,
    timesFaster,
  );

// ---------------------------------------------------------------------------------------------

export interface StructParams {
  /** Ops per timed run of this library and the hand-written code. */
  readonly ops: number;
  /** Ops per timed run of the libraries (µs per op: fewer). */
  readonly libraryOps: number;
}

const FULL: StructParams = { ops: 1_000_000, libraryOps: 100_000 };
const QUICK: StructParams = { ops: 20_000, libraryOps: 2_048 };

const n = (x: number): string => x.toLocaleString('en-US');

const libraryNote = (p: StructParams): string =>
  `a library: ${n(p.libraryOps)} ops per run (microseconds per op)`;

/** A library's implementation with the library note, unless it has a note of its own. */
const noted = <X extends { readonly library?: boolean; readonly note?: string }>(
  x: X,
  p: StructParams,
): X => (x.library === true && x.note === undefined ? { ...x, note: libraryNote(p) } : x);

/** Ops per run: fewer for a library (microseconds per op). */
const opsOf = (x: { readonly library?: boolean }, p: StructParams): number =>
  x.library === true ? p.libraryOps : p.ops;

/** The encode (poke) workload over the given encoders. */
export const encodeWorkload = (
  impls: readonly EncodeImpl[],
  p: StructParams,
  extra: { notes?: readonly string[]; libraries?: readonly string[] } = {},
): Workload => {
  const inputs = particleInputs();
  return {
    name: 'poke',
    interleave: true,
    runs: 15,
    title: `encode a Particle (56 bytes) into slot i mod 1024, inputs cycling over 1,024 objects`,
    cells: impls.map((x) => encodeCell(noted(x, p), opsOf(x, p), inputs)),
    targets: [
      ratio(UNCHECKED, UNCHECKED, 1.2),
      ratio(`${POKE} (checked)`, POKE, 2),
      ...(extra.libraries ?? []).map((lib) => faster(POKE, lib, 30)),
    ],
    notes: [
      '15 timed runs per cell, taken round-robin (the median of a few runs of a cell this fast moves with bursts of load).',
      `${POKE} and ${UNCHECKED}: the bound API of a context, const { poke, unchecked } = ` +
        'foreign(ctx), called as poke(Particle, p, v)() in the loop; poke validates v first.',
      `every encoder is verified before timing (the exact bytes of the definition in all 1,024 ` +
        `slots of an arena filled with 0x${GARBAGE.toString(16)}), and every timed run is ` +
        'checked after. Padding: written as zero by all but @solana/buffer-layout, which leaves ' +
        'it untouched (checked as such).',
      ...(extra.notes ?? []),
    ],
  };
};

/** The decode (peek) workload over the given decoders. */
export const decodeWorkload = (
  impls: readonly DecodeImpl[],
  p: StructParams,
  extra: { notes?: readonly string[]; libraries?: readonly string[] } = {},
): Workload => {
  const inputs = particleInputs();
  return {
    name: 'peek',
    interleave: true,
    runs: 15,
    title: 'decode slot i mod 1024 into a new object (tag an array of 4, flags a bigint)',
    cells: impls.map((x) => decodeCell(noted(x, p), opsOf(x, p), inputs)),
    targets: [
      ratio(PEEK, PEEK, 1.2),
      ...(extra.libraries ?? []).map((lib) => faster(PEEK, lib, 30)),
    ],
    notes: [
      '15 timed runs per cell, taken round-robin (the median of a few runs of a cell this fast moves with bursts of load).',
      `${PEEK}: const { peek } = foreign(ctx), called as peek(Particle, p)() in the loop; ` +
        'each decoded object is kept in out[slot] (the same for every implementation).',
      'every decoder is verified before timing (exactly the 1,024 inputs back, types ' +
        'included) and every timed run is checked after.',
      ...(extra.notes ?? []),
    ],
  };
};

const { peers, skipped } = await loadPeers();

export const suite: Suite = {
  name: 'struct',
  title: `Particle encode/decode (marshalling-peers.md §3.1): foreign-ts vs hand-written DataView and the libraries`,
  reference: REF,
  workloads({ quick }) {
    const p = quick ? QUICK : FULL;
    const libraries = peers.map((x) => x.impl);
    const notes = [
      ...peers.map((x) => `adapted — ${x.adaptation}`),
      ...skipped.map((why) => `SKIPPED — ${why}`),
    ];
    const encoders: EncodeImpl[] = [
      fPoke,
      fUnchecked,
      fWrite,
      dvEncode,
      taEncode,
      ...peers.map((x) => ({
        impl: x.impl,
        padding: x.padding,
        library: true,
        encoder: x.encoder,
      })),
    ];
    const decoders: DecodeImpl[] = [
      fPeek,
      fRead,
      dvDecode,
      taDecode,
      ...peers.map((x) => ({ impl: x.impl, library: true, decoder: x.decoder })),
    ];
    return [
      encodeWorkload(encoders, p, { notes, libraries }),
      decodeWorkload(decoders, p, { notes, libraries }),
      fieldWorkload(FIELD_Y, p),
      fieldWorkload(FIELD_TAG, p),
      // Last: a grown memory changes how V8 compiles every later read of a memory's views.
      fieldWorkload(FIELD_TAG_GROWN, p),
    ];
  },
};
