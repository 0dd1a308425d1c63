/**
 * The wasm suite (issue 13): marshal 10,000 Particles (the struct of bench/lib/particle.ts)
 * into a WebAssembly module's memory and call a C function over them
 * (`particles_checksum` of c/ffi/particles.c, built against wasi-libc and committed as
 * c/build/ffi-particles.wasm), side by side in one process:
 *
 * - `typed arrays by hand` (the reference): the code a user writes today on the module's
 *   typed-array views (renewed when `memory.buffer` changed), then the raw export;
 * - `foreign-ts pokeArray`: `pokeArray(Particle, p, particles)()` of the wasm context, then a
 *   `foreignImport`ed `particles_checksum(p, n)()`;
 * - `foreign-ts inArray`: the array passed as an `inArray(Particle)` argument (laid out on the
 *   alloca stack for the call: here a spill through the module's malloc and free per call);
 * - `Emscripten-style setValue`: `setValue(ptr, value, type)` written by hand as Emscripten's
 *   runtime has it (a switch on the type name over HEAP8/HEAP16/HEAP32/HEAPF32/HEAPF64/HEAP64
 *   views refreshed after growth), one call per member.
 *
 * One op is the whole job: 10,000 structs written and one C call. Each cell is verified before
 * it is timed (C's checksum must be the one computed in TypeScript from the definition's bytes,
 * bench/lib/particle.ts's particleBytes) and after every timed run.
 */
import { readFileSync } from 'node:fs';
import { CSize, CULLong, Ptr } from 'foreign-ts';
import { foreignImport, inArray, wasmContext, type WasmContext } from 'foreign-ts/wasm';
import type { Cell, Suite, Target, Workload } from '../harness.js';
import {
  Particle,
  SIZE,
  particleBytes,
  particleInputs,
  typedArrayWrite,
  typedViews,
  type ParticleValue,
} from '../lib/particle.js';
import { ratioTarget } from '../lib/targets.js';

export const N = 10_000;
export const REF = 'typed arrays by hand';
export const POKE_ARRAY = 'foreign-ts pokeArray';
export const IN_ARRAY = 'foreign-ts inArray';
export const UNCHECKED = 'foreign-ts unchecked.poke';
export const SET_VALUE = 'Emscripten-style setValue';

const file = new URL('../../c/build/ffi-particles.wasm', import.meta.url);
let compiled: WebAssembly.Module | undefined;

/** A fresh instance of the particles module and its wasm context. */
export const particlesModule = (): WasmContext => {
  compiled ??= new WebAssembly.Module(readFileSync(file));
  return wasmContext(new WebAssembly.Instance(compiled, {}));
};

/** The 10,000 particles: the 1,024 inputs of the struct suite, cycled. */
export const particles = (): ParticleValue[] => {
  const inputs = particleInputs();
  return Array.from({ length: N }, (_, i) => inputs[i % inputs.length]!);
};

/** The checksum C must return, from the definition's bytes (independent of every cell). */
export const expectedChecksum = (ps: readonly ParticleValue[]): bigint => {
  let h = 0xcbf29ce484222325n;
  const mix = (v: bigint): void => {
    h = BigInt.asUintN(64, (h ^ v) * 0x100000001b3n);
  };
  for (const v of ps) {
    const b = particleBytes(v);
    const dv = new DataView(b.buffer);
    mix(BigInt(dv.getUint8(0)));
    for (const at of [8, 16, 24]) mix(dv.getBigUint64(at, true));
    mix(BigInt(dv.getUint32(32, true)));
    mix(BigInt(dv.getUint32(36, true)));
    mix(dv.getBigUint64(40, true));
    for (const at of [48, 50, 52, 54]) mix(BigInt(dv.getUint16(at, true)));
  }
  return h;
};

/** An implementation: its own loop; each op writes the particles and calls C, returning C's result. */
export interface WasmImpl {
  readonly impl: string;
  readonly note?: string;
  make(ctx: WasmContext, ps: readonly ParticleValue[]): (ops: number) => bigint;
}

type RawChecksum = (p: number, n: number) => bigint;

// ---------------------------------------------------------------------------------------------
// This library, as a user writes it.

const pokeArrayImpl: WasmImpl = {
  impl: POKE_ARRAY,
  make(ctx, ps) {
    const { pokeArray, mallocArray } = ctx.foreign;
    const checksum = foreignImport(ctx, 'particles_checksum', [Ptr, CSize], CULLong);
    const p = mallocArray(Particle, ps.length)();
    return (ops) => {
      let r = 0n;
      for (let i = 0; i < ops; i++) {
        pokeArray(Particle, p, ps)();
        r = checksum(p, ps.length)();
      }
      return r;
    };
  },
};

const uncheckedImpl: WasmImpl = {
  impl: UNCHECKED,
  note: 'unchecked.poke(Particle, p + k * 56, v)() per struct: no validation, as the hand-written cells',
  make(ctx, ps) {
    const { unchecked, mallocArray } = ctx.foreign;
    const checksum = foreignImport(ctx, 'particles_checksum', [Ptr, CSize], CULLong);
    const p = mallocArray(Particle, ps.length)();
    return (ops) => {
      let r = 0n;
      for (let i = 0; i < ops; i++) {
        for (let k = 0; k < ps.length; k++)
          unchecked.poke(Particle, (p + k * SIZE) as typeof p, ps[k]!)();
        r = checksum(p, ps.length)();
      }
      return r;
    };
  },
};

const inArrayImpl: WasmImpl = {
  impl: IN_ARRAY,
  note: "the array as an inArray(Particle) argument: withArray per call (560 KB: spilled through the module's malloc/free)",
  make(ctx, ps) {
    const checksum = foreignImport(ctx, 'particles_checksum', [inArray(Particle), CSize], CULLong);
    return (ops) => {
      let r = 0n;
      for (let i = 0; i < ops; i++) r = checksum(ps, ps.length)();
      return r;
    };
  },
};

// ---------------------------------------------------------------------------------------------
// By hand, on the module's typed-array views (the reference).

const rawExports = (ctx: WasmContext) => ({
  memory: ctx.exports['memory'] as WebAssembly.Memory,
  malloc: ctx.exports['malloc'] as (n: number) => number,
  checksum: ctx.exports['particles_checksum'] as RawChecksum,
});

const typedArrays: WasmImpl = {
  impl: REF,
  note: 'views renewed when memory.buffer changed, padding written as zero, no validation',
  make(ctx, ps) {
    const { memory, malloc, checksum } = rawExports(ctx);
    const p = malloc(ps.length * SIZE) >>> 0;
    let h = typedViews(memory.buffer);
    return (ops) => {
      let r = 0n;
      for (let i = 0; i < ops; i++) {
        if (h.buffer !== memory.buffer) h = typedViews(memory.buffer);
        for (let k = 0, q = p; k < ps.length; k++, q += SIZE) typedArrayWrite(h, q, ps[k]!);
        r = BigInt.asUintN(64, checksum(p, ps.length));
      }
      return r;
    };
  },
};

// ---------------------------------------------------------------------------------------------
// Emscripten-style runtime helpers, written by hand (Emscripten's setValue, WASM_BIGINT on).

const emscriptenStyle: WasmImpl = {
  impl: SET_VALUE,
  note: "setValue(ptr, value, type) per member, a switch on the type name as in Emscripten's runtime",
  make(ctx, ps) {
    const { memory, malloc, checksum } = rawExports(ctx);
    let HEAP = typedViews(memory.buffer);
    // Emscripten renews its HEAP* views in updateMemoryViews() after growth.
    const updateMemoryViews = (): void => {
      if (HEAP.buffer !== memory.buffer) HEAP = typedViews(memory.buffer);
    };
    const setValue = (ptr: number, value: number | bigint, type: string): void => {
      switch (type) {
        case 'i1':
        case 'i8':
          HEAP.i8[ptr] = value as number;
          break;
        case 'i16':
          HEAP.i16[ptr >> 1] = value as number;
          break;
        case 'i32':
          HEAP.i32[ptr >> 2] = value as number;
          break;
        case 'i64':
          HEAP.i64[ptr >> 3] = BigInt(value);
          break;
        case 'float':
          HEAP.f32[ptr >> 2] = value as number;
          break;
        case 'double':
          HEAP.f64[ptr >> 3] = value as number;
          break;
        default:
          throw new Error(`invalid type for setValue: ${type}`);
      }
    };
    const p = malloc(ps.length * SIZE) >>> 0;
    return (ops) => {
      let r = 0n;
      for (let i = 0; i < ops; i++) {
        updateMemoryViews();
        for (let k = 0, q = p; k < ps.length; k++, q += SIZE) {
          const v = ps[k]!;
          setValue(q, v.kind, 'i8');
          setValue(q + 1, 0, 'i8');
          setValue(q + 2, 0, 'i16');
          setValue(q + 4, 0, 'i32');
          setValue(q + 8, v.x, 'double');
          setValue(q + 16, v.y, 'double');
          setValue(q + 24, v.z, 'double');
          setValue(q + 32, v.mass, 'float');
          setValue(q + 36, v.id, 'i32');
          setValue(q + 40, v.flags, 'i64');
          const t = v.tag;
          setValue(q + 48, t[0]!, 'i16');
          setValue(q + 50, t[1]!, 'i16');
          setValue(q + 52, t[2]!, 'i16');
          setValue(q + 54, t[3]!, 'i16');
        }
        r = BigInt.asUintN(64, checksum(p, ps.length));
      }
      return r;
    };
  },
};

// ---------------------------------------------------------------------------------------------

/**
 * The cell of an implementation: a fresh module; the first run verifies C's checksum (and throws
 * when it is wrong) before anything is timed; every timed run is checked after.
 */
export const wasmCell = (
  x: WasmImpl,
  ops: number,
  ps: readonly ParticleValue[],
  expected: bigint,
): Cell => {
  let loop: ((ops: number) => bigint) | undefined;
  const check = (r: bigint): void => {
    if (r !== expected)
      throw new Error(`${x.impl} refused: C's checksum ${r}, expected ${expected}`);
  };
  return {
    impl: x.impl,
    ops,
    ...(x.note === undefined ? {} : { note: x.note }),
    run(sw) {
      if (loop === undefined) {
        loop = x.make(particlesModule(), ps);
        check(loop(1));
      }
      sw.start();
      const r = loop(ops);
      sw.stop();
      check(r);
      return {};
    },
  };
};

const within = (impl: string, limit: number): Target =>
  ratioTarget(`${impl} within ${limit}x of ${REF}`, impl, REF, limit);

/** The workload over the given implementations. */
export const wasmWorkload = (impls: readonly WasmImpl[], ops: number): Workload => {
  const ps = particles();
  const expected = expectedChecksum(ps);
  return {
    name: 'particles',
    interleave: true,
    runs: 9,
    title: `per op: ${N.toLocaleString('en')} Particles (56 bytes) written into the module's memory, then one C call over them`,
    cells: impls.map((x) => wasmCell(x, ops, ps, expected)),
    targets: [within(POKE_ARRAY, 1.3), within(UNCHECKED, 1.3)],
    notes: [
      'ns/op is per 10,000 structs and one call: divide by 10,000 for one struct.',
      `${POKE_ARRAY} validates every value (poke's check); the hand-written cells check nothing.`,
      "every cell is verified before timing (C's checksum over the 10,000 structs against the " +
        "definition's bytes) and after every timed run.",
    ],
  };
};

export const suite: Suite = {
  name: 'wasm',
  title: "10,000 Particles marshalled into a wasm module's memory and one C call over them",
  reference: REF,
  workloads({ quick }) {
    return [
      wasmWorkload(
        [typedArrays, pokeArrayImpl, uncheckedImpl, inArrayImpl, emscriptenStyle],
        quick ? 3 : 40,
      ),
    ];
  },
};
