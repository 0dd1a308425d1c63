/**
 * No engine error escapes (issue 7, part 3): one generated test over the whole public surface.
 *
 * Every exported function of every entry point (`foreign-ts`, `foreign-ts/heap`,
 * `foreign-ts/memory`), every function of the exported objects (`either`, `task`, `scoped`, …),
 * of the objects the factories return (`foreign(ctx)`, `peekPoke(memory)`, `marshalAlloc(ctx)`,
 * …), every public method of the exported classes, and the codecs of the Storable instances and
 * layouts, is called with each kind of bad argument: one argument at a time is replaced by each
 * bad value of its kind (table `KINDS`), the others stay valid. Programs (`IO`, `Task`) are run.
 *
 * For every call:
 * - an error must be a `RangeError`, a `TypeError` or one of the library's error classes, and its
 *   message must start with the name of the call the user made, then `:`;
 * - a bad value whose kind says it must be refused (`'fail'`) must not be accepted; the others
 *   (`'either'`: a bigint size that is a safe integer, a freed pointer handed to `peek`, …) may
 *   succeed;
 * - afterwards `heap.check()` passes, the heap's figures (live and free bytes and blocks, the
 *   largest free block, its size) are those from before the call, no alloca mark is left open and
 *   no finalizer is left pending.
 * Each function is also called once with valid arguments only (the control call), which must
 * succeed: that checks the table's valid values and the clean-up of what a call returns.
 *
 * Not called with bad input, on purpose: a Storable instance's `read` and `write` (raw accessors
 * that, by their contract, check nothing: every public call reaches them through `peek`, `poke`
 * and the array functions, which are tested here), the value of `unchecked.poke*` (unchecked by
 * contract), and the constructors of the error classes, of `LayoutType` and of the classes marked
 * `@internal` (see `CLASSES`). A write through a freed pointer is accepted (a use after free, which
 * an unchecked heap cannot see); the bytes of the free list it overwrites are put back after it.
 *
 * Names. A function's name is its export name (`alloca`), or its path in the object that holds it
 * (`task.withCString`, `scoped.mallocBytes`). The flavours report it with their prefix
 * (`either.peek`, `unchecked.poke`, `task.withCString`, `scoped.mallocBytes`,
 * `concurrent.newForeignPtr`): no bare name is accepted from them. Methods: `Heap`'s report the
 * bare C name (`malloc`, `free`: they are the allocator the Haskell face's `free` reports
 * through), `Stack`'s and `Memory`'s `Class.method`, statics `Class.method` (`Heap.create`), the
 * one constructor called, the class name (`Stack`).
 *
 * Completeness. Exports are enumerated at run time (`Object.keys(await import(…))`), and so are
 * the functions of exported objects and of the factories' results: one without a line in
 * `FUNCTIONS` fails the test. Public methods of classes are checked at compile time (each method
 * table `satisfies` the class's method keys, so `npm run typecheck` fails on a new method), and a
 * new exported class fails at run time until it has an entry in `CLASSES`.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { describe, expect, it } from 'vitest';
import * as root from 'foreign-ts';
import { heapInterface } from 'foreign-ts/interface';
import { MALLOC_DEFINE, boot } from 'foreign-ts/kernel';
import {
  B_ANY_ADDRESS,
  B_AREA_MALLOC_MODULE_NAME,
  B_NO_LOCK,
  B_READ_AREA,
  B_WRITE_AREA,
  get_module,
} from 'foreign-ts/area';
import {
  StablePtrError,
  stablePtrs,
  CBool,
  CChar,
  CDouble,
  CInt,
  CUInt,
  Char,
  ForeignPtr,
  Heap,
  Int64,
  MarshalError,
  Memory,
  Pool,
  Scoped,
  ScopedPtr,
  Stack,
  aligned,
  array,
  asNumber,
  asyncBrackets,
  bits,
  cString,
  chars,
  contextOf,
  defaultForeign,
  defaultHeap,
  enumeration,
  finalizeForeignPtr,
  foreign,
  foreignPtrs,
  freePool,
  getLayoutCompiler,
  marshalAlloc,
  marshalArray,
  marshalPool,
  marshalUtils,
  packed,
  peekPoke,
  pooledMallocBytes,
  scopedAllocations,
  pick,
  storable,
  struct,
  taggedUnion,
  union,
  type Context,
  type Foreign,
  type Storable,
} from 'foreign-ts';

// =================================================================================================
// The worlds: a context to call the functions in, and the values that are valid there.
// =================================================================================================

interface World {
  readonly label: string;
  readonly api: Foreign;
  readonly ctx: Context;
  readonly heap: Heap;
}

const makeWorld = (label: string, api: Foreign, heap: Heap): World => {
  api.alloca(CInt, () => () => 0)(); // takes the alloca stack's region before any baseline
  return { label, api, ctx: api.context, heap };
};

const testHeap = Heap.create();
/** The context of the functions bound by `foreign(ctx)` and the factories. */
const TEST = makeWorld('test context', foreign(contextOf(testHeap)), testHeap);
/** The default context, the one the package root's functions are bound to. */
const DEFAULT = makeWorld('default context', defaultForeign(), defaultHeap());

/** A live block of another heap, at an address that is no block of the two heaps above. */
const otherHeap = Heap.create();
otherHeap.malloc(40_000);
const OTHER_PTR = otherHeap.malloc(64);

/** A memory for the `Memory` methods and `peekPoke`. */
const MEMORY = Memory.create({ initialBytes: 65536, maxBytes: 131072 });

const NOOP_FINALIZER = { name: 'noop', finalize: (): void => undefined };
const NOOP_FINALIZER_ENV = { name: 'noopEnv', finalize: (): void => undefined };

/** The valid values of one call: made fresh before it, released after it. */
class Env {
  readonly block: number;
  readonly freed: number;
  readonly interior: number;
  readonly other = OTHER_PTR;
  readonly beyond: number;
  readonly allocaPtr: number;
  readonly pool: Pool;
  readonly pooled: number;
  readonly freedPool: Pool;
  readonly fptr: ForeignPtr<any>;
  readonly finalized: ForeignPtr<any>;
  /** A live StablePtr of the world's context, and one freed. */
  readonly stable: number;
  readonly freedStable: number;
  /** Whether the call took `block` over (free, realloc): then it is not freed again. */
  consumed = false;
  private readonly mark: number;
  private readonly freedBytes: Uint8Array;
  private readonly freedHeader: number;
  private readonly controlBytes: Uint8Array;
  private stack_: Stack | undefined;
  private readonly stackMarks: number[] = [];

  constructor(readonly world: World) {
    const { api, ctx } = world;
    this.block = api.callocBytes(64)() as number;
    this.interior = this.block + 8;
    this.pool = api.newPool()();
    this.pooled = pooledMallocBytes(this.pool, 16)() as number;
    this.freedPool = api.newPool()();
    freePool(this.freedPool)();
    this.fptr = api.newForeignPtr_(this.block as never)();
    this.finalized = api.newForeignPtr_(this.block as never)();
    finalizeForeignPtr(this.finalized)();
    this.stable = api.newStablePtr('env')();
    this.freedStable = api.newStablePtr('freed')();
    api.freeStablePtr(this.freedStable as never)();
    this.mark = ctx.stack.mark();
    ctx.stack.alloc(8, 8); // so that the next one is not the start of the stack's region block
    this.allocaPtr = ctx.stack.alloc(16, 8);
    this.freed = api.mallocBytes(64)() as number;
    api.free(this.freed as never)();
    this.beyond = ctx.memory.byteLength + 64;
    const { u8, u32 } = ctx.memory.views;
    this.freedBytes = u8.slice(this.freed, this.freed + 64);
    this.freedHeader = u32[(this.freed - 4) >>> 2]!;
    this.controlBytes = u8.slice(world.heap.base, world.heap.base + 12);
  }

  /**
   * A write through the freed pointer (poke, copyBytes, …) is accepted: it is a use after free,
   * which an unchecked heap cannot see, and it overwrites the free list's links in the block.
   * Those bytes are put back while the block is still the one freed. A write over the heap's
   * control block (magic, version, flags) is a problem, reported, and undone.
   */
  private restoreMemory(problems: string[]): void {
    const { memory } = this.world.ctx;
    const { u8, u32 } = memory.ensure(0, this.freed + 64);
    const base = this.world.heap.base;
    if (this.controlBytes.some((byte, i) => u8[base + i] !== byte)) {
      problems.push("overwrote the heap's control block (magic, version, flags)");
      u8.set(this.controlBytes, base);
    }
    if (u32[(this.freed - 4) >>> 2] === this.freedHeader) u8.set(this.freedBytes, this.freed);
  }

  get api(): Foreign {
    return this.world.api;
  }

  get heap(): Heap {
    return this.world.heap;
  }

  /** A stack of its own over the heap (for the `Stack` methods); `open` takes a mark on it. */
  stack(open = false): Stack {
    this.stack_ ??= new Stack(this.heap, { size: 256 });
    if (open) this.stackMarks.push(this.stack_.mark());
    return this.stack_;
  }

  /** A mark open on `stack()`. */
  openMark(): number {
    this.stack(true);
    return this.stackMarks[this.stackMarks.length - 1]!;
  }

  /** A mark of `stack()` that has been released. */
  staleMark(): number {
    const s = this.stack();
    const m = s.mark();
    s.release(m);
    return m;
  }

  /** Gives everything back; returns what was wrong on the way. */
  release(): string[] {
    const problems: string[] = [];
    const attempt = (what: string, f: () => void): void => {
      try {
        f();
      } catch (e) {
        problems.push(`clean-up (${what}) threw ${describeError(e)}`);
      }
    };
    const { api, ctx } = this.world;
    this.restoreMemory(problems);
    attempt('finalizeForeignPtr', () => finalizeForeignPtr(this.fptr)());
    attempt('alloca marks', () => releaseMarksDownTo(ctx.stack, this.mark, problems, 'alloca'));
    if (this.stack_ !== undefined) {
      const s = this.stack_;
      attempt('Stack', () => {
        const marks = (s as unknown as { marks: number[] }).marks;
        while (marks.length > 0) s.release(marks.at(-1) as never);
        s.dispose();
      });
    }
    if (!this.pool.freed) attempt('freePool', () => freePool(this.pool)());
    try {
      api.freeStablePtr(this.stable as never)();
    } catch (e) {
      if (!(e instanceof StablePtrError)) problems.push(`clean-up (freeStablePtr) threw ${e}`);
    }
    if (!this.consumed) attempt('free', () => api.free(this.block as never)());
    return problems;
  }
}

/** Releases marks of `stack` down to and including `mark`, reporting marks a call left open. */
const releaseMarksDownTo = (stack: Stack, mark: number, problems: string[], what: string): void => {
  const marks = (stack as unknown as { marks: number[] }).marks;
  const at = marks.lastIndexOf(mark);
  if (at < 0) {
    problems.push(`the ${what} mark was released by someone else`);
    return;
  }
  if (at !== marks.length - 1) problems.push(`left ${marks.length - 1 - at} ${what} mark(s) open`);
  releaseTo(stack, mark);
};

const releaseTo = (stack: Stack, mark: number): void => {
  const marks = (stack as unknown as { marks: number[] }).marks;
  while (marks.length > 0 && marks.lastIndexOf(mark) >= 0) stack.release(marks.at(-1) as never);
};

// =================================================================================================
// The kinds of arguments: a valid value, and the bad values with what each must give.
// =================================================================================================

/** `'fail'`: the call must throw (or reject). `'either'`: it may also succeed. */
type Expect = 'fail' | 'either';

interface Bad {
  readonly label: string;
  readonly value: (env: Env) => unknown;
  readonly expect: Expect;
}

interface Kind {
  readonly valid: (env: Env, t: Target) => unknown;
  readonly bad: readonly Bad[];
}

const bad = (label: string, value: unknown, expect: Expect = 'fail'): Bad => ({
  label,
  value: () => value,
  expect,
});
const badOf = (label: string, value: (env: Env) => unknown, expect: Expect = 'fail'): Bad => ({
  label,
  value,
  expect,
});
const kind = (valid: (env: Env, t: Target) => unknown, ...bads: Bad[][]): Kind => ({
  valid,
  bad: bads.flat(),
});

const MISSING = [bad('null', null), bad('undefined', undefined)];
/** Bad shapes of a StablePtr number. */
const stableShapes = [
  bad('wrong type', '1'),
  bad('null', null),
  bad('undefined', undefined),
  bad('zero', 0),
  bad('negative', -1),
  bad('fractional', 1.5),
  bad('above 2^32 - 1', 2 ** 32),
  bad('bigint', 1n),
];
/** A live StablePtr of a context that is neither world's. */
const OTHER_STABLE = stablePtrs(contextOf(Heap.create())).newStablePtr('other')() as number;
const NON_FINITE = [bad('NaN', NaN), bad('+Infinity', Infinity), bad('-Infinity', -Infinity)];
/** Bad values of a non-negative integer argument whose valid value is `n`. */
const counts = (n: number): Bad[] => [
  bad('wrong type', String(n)),
  ...MISSING,
  ...NON_FINITE,
  bad('negative', -8),
  bad('fractional', n + 0.5),
  bad('unsafe integer', 2 ** 53),
  bad('bigint', BigInt(n), 'either'),
  bad('bigint out of range', 2n ** 64n),
];
/** Bad values of a signed integer argument. */
const signed = [
  bad('wrong type', '1'),
  ...MISSING,
  ...NON_FINITE,
  bad('fractional', 0.5),
  bad('unsafe integer', 2 ** 53),
  bad('bigint', 1n, 'either'),
  bad('bigint out of range', 2n ** 64n),
  bad('below address 0', -(2 ** 40)),
];
/** Bad values of an address that is not dereferenced. */
const addresses = [
  bad('wrong type', '8'),
  ...MISSING,
  ...NON_FINITE,
  bad('negative', -8),
  bad('fractional', 8.5),
  bad('unsafe integer', 2 ** 53),
  badOf('bigint pointer', (env) => BigInt(env.block)),
];
/** Bad values of a pointer into memory (`peek`, `copyBytes`, …). */
const pointers = [
  ...addresses,
  bad('nullPtr', 0, 'either'),
  badOf('freed pointer', (env) => env.freed, 'either'),
  badOf('interior pointer', (env) => env.interior, 'either'),
  badOf('pointer of another heap', (env) => env.other, 'either'),
  badOf('out-of-range address', (env) => env.beyond),
];
/** Bad values of a pointer that must be a live block of the allocator. */
const blocks = (nullPtr: Expect): Bad[] => [
  ...addresses,
  bad('nullPtr', 0, nullPtr),
  badOf('freed pointer', (env) => env.freed),
  badOf('interior pointer', (env) => env.interior),
  badOf('pointer of another heap', (env) => env.other),
  badOf('out-of-range address', (env) => env.beyond),
];
const notInstances = (what: string): Bad[] => [
  bad('wrong type', what),
  bad('number', 8),
  ...MISSING,
  bad('non-instance', {}),
];
const notFunctions = [bad('wrong type', 7), ...MISSING];
const storables = [
  ...notInstances('CInt'),
  bad('non-instance (shape)', { name: 'CInt', sizeOf: 4, alignment: 4 }),
];
const alignments = [
  bad('wrong type', '16'),
  ...MISSING,
  ...NON_FINITE,
  bad('negative', -16),
  bad('fractional', 16.5),
  bad('zero', 0),
  bad('not a power of two', 24),
  bad('bigint', 16n, 'either'),
  bad('bigint out of range', 2n ** 64n),
];
const flags = [bad('wrong type', 'yes'), bad('number', 1), bad('null', null)];
/** Bad values of the members of a struct or union. */
const members = [
  bad('wrong type', 'a'),
  ...MISSING,
  bad('number', 5),
  bad('member not an instance', { a: 'CInt' }),
  bad('null member', { a: null }),
];
const labels = [bad('wrong type', 5)];

/** Sample layouts: the valid instances of the kinds that need a particular one. */
const Pair = struct({ a: CInt, b: CDouble }, 'Pair');
const Either_ = union({ a: CInt, b: CDouble }, 'Either_');
/** A hand-written instance's definition (`storable`): a CInt by peekByteOff and pokeByteOff. */
const HAND_WRITTEN = {
  name: 'Hand',
  sizeOf: 4,
  alignment: 4,
  peek: (p: any, m: any) => m.peekByteOff(CInt, p, 0),
  poke: (p: any, v: any, m: any) => m.pokeByteOff(CInt, p, 0, v),
};
/** Arms of a tagged union on `kind`. */
const ArmA = struct({ kind: CInt, a: CDouble }, 'ArmA');
const ArmB = struct({ kind: CInt, b: CInt }, 'ArmB');

const BASE_KINDS = {
  // numbers
  size: kind(() => 16, counts(16)),
  count: kind(() => 2, counts(2)),
  /** A memory size in bytes (`Heap.create`, `Memory.create`). */
  bytes: kind(() => 65536, counts(65536), [bad('above the largest memory', 2 ** 33)]),
  /** `Memory.grow`'s target. */
  growTo: kind(() => 65536, counts(65536), [bad('above the maximum', 2 ** 33, 'either')]),
  /** `peekArray`'s count: negative gives `[]`. */
  len: kind(
    () => 2,
    counts(2).map((b) => (b.label === 'negative' ? { ...b, expect: 'either' as const } : b)),
  ),
  base: kind(() => 8, counts(8), [bad('not 8-aligned', 4)]),
  region: kind(() => 32768, counts(32768), [bad('too small', 64), bad('outside', 2 ** 20)]),
  viewLength: kind(() => 64, counts(64), [bad('beyond the buffer', 128)]),
  width: kind(() => 3, counts(3), [bad('zero', 0), bad('too wide', 33)]),
  width0: kind(() => 0, counts(0), [bad('too wide', 33)]),
  index: kind(() => 1, signed, [badOf('to nullPtr', (env) => -env.block / 4)]),
  offset: kind(() => 4, signed, [badOf('to nullPtr', (env) => -env.block)]),
  delta: kind(() => 8, signed),
  /** Any safe integer (`checkOffset`): a negative one is valid. */
  integer: kind(
    () => -8,
    signed.filter((b) => b.label !== 'below address 0'),
  ),
  align: kind(() => 16, alignments, [bad('too large', 2 ** 31)]),
  ptrAlign: kind(() => 16, alignments),
  byte: kind(
    () => 7,
    counts(7).filter((b) => b.label !== 'bigint'),
    [bad('above 255', 256)],
  ),
  // pointers
  addr: kind((env) => env.block, addresses),
  ptr: kind((env) => env.block, pointers),
  /** A second pointer into the same block, for copies that must not overlap. */
  ptr2: kind((env) => env.block + 32, pointers),
  /** A live block that the call takes over (free, realloc): the Haskell face's. */
  owned: kind((env) => env.block, blocks('either'), [
    badOf('alloca pointer', (env) => env.allocaPtr),
    badOf('pooled pointer', (env) => env.pooled),
  ]),
  /** The same, for the heap's own methods (a pooled block is a plain block to the heap). */
  heapOwned: kind((env) => env.block, blocks('either'), [
    badOf('alloca pointer', (env) => env.allocaPtr),
  ]),
  /** A live block that stays (usableSize). */
  block: kind((env) => env.block, blocks('fail')),
  /** A block of `env.pool`. */
  pooled: kind((env) => env.pooled, blocks('fail'), [badOf('not in the pool', (env) => env.block)]),
  /** A memory address (`Memory.ensure`). */
  address: kind(
    () => 64,
    addresses.map((b) => (b.label === 'bigint pointer' ? bad('bigint pointer', 64n) : b)),
    [badOf('out-of-range address', (env) => env.beyond)],
  ),
  /** Any value, answered by a boolean (`Stack.owns`). */
  probe: kind(
    (env) => env.block,
    pointers.map((b) => ({ ...b, expect: 'either' as const })),
  ),
  // instances
  storable: kind(() => CInt, storables),
  storable64: kind(() => Int64, storables, [bad('not 64-bit', CInt)]),
  intStorable: kind(() => CUInt, storables, [bad('not an integer type', CDouble)]),
  struct: kind(() => Pair, storables, [
    bad('a scalar', CInt),
    bad('a union', Either_, 'either'),
    bad('an aligned struct', aligned(16, Pair), 'either'),
    bad('an array', array(Pair, 2)),
  ]),
  /** A struct or a union: what `anonymous` takes. */
  composite: kind(() => Pair, storables, [
    bad('a scalar', CInt),
    bad('an aligned struct', aligned(16, Pair)),
    bad('an array', array(Pair, 2)),
  ]),
  memberKey: kind(() => 'b', [bad('not a member', 'zz'), bad('wrong type', 5), ...MISSING]),
  fptr: kind((env) => env.fptr, notInstances('fptr'), [
    badOf('a Ptr', (env) => env.block),
    badOf('finalized', (env) => env.finalized, 'either'),
  ]),
  pool: kind((env) => env.pool, notInstances('pool'), [
    badOf('freed pool', (env) => env.freedPool),
  ]),
  finalizer: kind(() => NOOP_FINALIZER, notInstances('free'), [
    bad('without finalize', { name: 'x' }),
    bad('a function', () => undefined),
  ]),
  finalizerEnv: kind(() => NOOP_FINALIZER_ENV, notInstances('free'), [
    bad('without finalize', { name: 'x' }),
    bad('a function', () => undefined),
  ]),
  memory: kind(() => MEMORY, notInstances('memory'), [bad('a MemorySource', new ArrayBuffer(8))]),
  heap: kind((env) => env.heap, notInstances('heap'), [bad('a Memory', MEMORY)]),
  stackAllocator: kind((env) => env.heap, notInstances('heap')),
  context: kind((env) => env.world.ctx, notInstances('ctx'), [
    bad('a Memory', MEMORY),
    bad('partial context', { memory: MEMORY }),
  ]),
  /** What contextWithInterface takes: a context, or the memory of a kernel or area adapter. */
  contextOrMemory: kind((env) => env.world.ctx, notInstances('ctx'), [
    bad('a Memory', MEMORY, 'either'),
    bad('partial context', { memory: MEMORY }),
  ]),
  contextOrHeap: kind((env) => env.world.ctx, notInstances('ctx'), [
    bad('a Memory', MEMORY),
    bad('partial context', { memory: MEMORY }),
  ]),
  alloc: kind((env) => PARTS(env).alloc, notInstances('alloc')),
  peekPokeObj: kind((env) => PARTS(env).pp, notInstances('peekPoke')),
  utils: kind((env) => PARTS(env).utils, notInstances('utils')),
  arrays: kind((env) => PARTS(env).arrays, notInstances('arrays')),
  strings: kind((env) => PARTS(env).strings, notInstances('strings')),
  pools: kind((env) => PARTS(env).pools, notInstances('pools')),
  source: kind(() => new ArrayBuffer(65536), notInstances('buffer'), [
    bad('a view', new Uint8Array(65536)),
  ]),
  heapSource: kind((env) => env.heap.memory, notInstances('buffer'), [
    bad('a view', new Uint8Array(65536)),
    bad('no heap there', new ArrayBuffer(65536)),
  ]),
  buffer: kind(() => new ArrayBuffer(64), notInstances('buffer'), [
    bad('a view', new Uint8Array(64)),
  ]),
  // StablePtrs
  /** A live StablePtr of the call's context. */
  stablePtr: kind((env) => env.stable, stableShapes, [
    badOf('freed', (env) => env.freedStable),
    bad('never made', 0xfffffff0),
    bad('of another context', OTHER_STABLE),
  ]),
  /** A StablePtr's number, live or not (the casts check only its shape). */
  stableShape: kind((env) => env.stable, stableShapes, [
    badOf('freed', (env) => env.freedStable, 'either'),
    bad('of another context', OTHER_STABLE, 'either'),
  ]),
  /** A location for `Foreign.C.Error` (`"open"`), or a file name. */
  loc: kind(() => 'open', [bad('wrong type', 5), ...MISSING, bad('object', {})]),
  /** An errno: a C int. */
  errno: kind(
    () => 0,
    [
      bad('wrong type', '0'),
      ...MISSING,
      ...NON_FINITE,
      bad('fractional', 1.5),
      bad('out of range', 2 ** 31),
      bad('bigint', 1n),
    ],
  ),
  /** Any JavaScript value (`newStablePtr` holds anything). */
  anything: kind(() => ({ any: 'value' })),
  // values
  value: kind(
    () => 5,
    [
      bad('wrong type', '5'),
      ...MISSING,
      ...NON_FINITE,
      bad('fractional', 1.5),
      bad('out of range', 2 ** 31),
      bad('bigint', 5n),
      bad('object', {}),
    ],
  ),
  /** A value poked without validation: nothing is checked, by contract. */
  raw: kind(() => 5),
  values: kind(
    () => [1, 2],
    [
      bad('wrong type', '12'),
      ...MISSING,
      bad('array-like', { 0: 1, length: 1 }),
      bad('bad element', [1, '2']),
      bad('fractional element', [1, 1.5]),
      bad('bigint element', [1, 2n]),
      bad('missing element', [1, null]),
    ],
  ),
  marker: kind(
    () => 0,
    [
      bad('wrong type', '0'),
      ...MISSING,
      bad('NaN', NaN),
      bad('fractional', 0.5),
      bad('bigint', 0n),
    ],
  ),
  string: kind(
    () => 'hi',
    [
      bad('wrong type', 5),
      bad('bigint', 5n),
      ...MISSING,
      bad('object', {}),
      bad('embedded NUL', 'a\0b'),
      bad('lone surrogate', '\ud800'),
    ],
  ),
  /** A string for the `CStringLen` functions: NULs are allowed. */
  bytesString: kind(
    () => 'hi',
    [
      bad('wrong type', 5),
      bad('bigint', 5n),
      ...MISSING,
      bad('object', {}),
      bad('embedded NUL', 'a\0b', 'either'),
      bad('lone surrogate', '\ud800'),
    ],
  ),
  /** A string for `newCAString`: a lone surrogate is a char (truncated), a NUL is refused. */
  asciiString: kind(
    () => 'hi',
    [
      bad('wrong type', 5),
      ...MISSING,
      bad('object', {}),
      bad('embedded NUL', 'a\0b'),
      bad('truncates to NUL', 'a\u0100'),
      bad('lone surrogate', '\ud800', 'either'),
    ],
  ),
  /** A string for `newCAStringLen`: anything that is a string. */
  asciiBytesString: kind(
    () => 'hi',
    [
      bad('wrong type', 5),
      ...MISSING,
      bad('object', {}),
      bad('embedded NUL', 'a\0b', 'either'),
      bad('lone surrogate', '\ud800', 'either'),
    ],
  ),
  /** A pointer to a wchar_t (4-aligned). */
  wptr: kind((env) => env.block, pointers, [badOf('misaligned', (env) => env.block + 2)]),
  csl: kind(
    (env) => [env.block, 2],
    [
      bad('wrong type', 'hi'),
      ...MISSING,
      badOf('one element', (env) => [env.block]),
      badOf('negative length', (env) => [env.block, -1]),
      badOf('fractional length', (env) => [env.block, 1.5]),
      badOf('NaN length', (env) => [env.block, NaN]),
      badOf('bigint length', (env) => [env.block, 2n], 'either'),
      badOf('bigint pointer', (env) => [BigInt(env.block), 2]),
      bad('string pointer', ['8', 2]),
      badOf('freed pointer', (env) => [env.freed, 2], 'either'),
      badOf('out-of-range address', (env) => [env.beyond, 2]),
      bad('nullPtr with a length', [0, 2]),
    ],
  ),
  char: kind(
    () => 'a',
    [
      bad('wrong type', 97),
      bad('bigint', 97n),
      ...MISSING,
      bad('empty', ''),
      bad('two chars', 'ab'),
      bad('above U+00FF', 'Ā', 'either'),
    ],
  ),
  latin1: kind(
    () => 'a',
    [
      bad('wrong type', 97),
      bad('bigint', 97n),
      ...MISSING,
      bad('empty', ''),
      bad('two chars', 'ab'),
      bad('above U+00FF', 'Ā'),
    ],
  ),
  schar: kind(
    () => 65,
    [
      bad('wrong type', '65'),
      ...MISSING,
      ...NON_FINITE,
      bad('fractional', 1.5),
      bad('above 127', 128),
      bad('below -128', -129),
      bad('bigint', 65n),
    ],
  ),
  uchar: kind(
    () => 200,
    [
      bad('wrong type', '200'),
      ...MISSING,
      ...NON_FINITE,
      bad('fractional', 1.5),
      bad('above 255', 256),
      bad('negative', -1),
      bad('bigint', 200n),
    ],
  ),
  cbool: kind(() => true, [bad('wrong type', 'true'), bad('number', 1), ...MISSING]),
  cnumber: kind(() => 0, [bad('wrong type', '0'), ...MISSING, bad('object', {})]),
  option: kind(
    () => O.some(3),
    [bad('wrong type', 'some'), bad('number', 3), ...MISSING, bad('non-Option', {})],
  ),
  list: kind(
    () => [1, 2],
    [bad('wrong type', '12'), ...MISSING, bad('number', 7), bad('array-like', { length: 1 })],
  ),
  members: kind(() => ({ a: CInt, b: CDouble }), members, [
    bad('empty member', { a: {} }),
    bad('index key', { 0: CInt }),
  ]),
  unionMembers: kind(() => ({ a: CInt, b: CDouble }), members, [bad('no members', {})]),
  tags: kind(
    () => ({ A: 0, B: 1 }),
    [
      bad('wrong type', 'A'),
      ...MISSING,
      bad('number', 5),
      bad('no names', {}),
      bad('string tag', { A: 'x' }),
      bad('fractional tag', { A: 1.5 }),
      bad('tag too large', { A: 2 ** 40 }),
      bad('NaN tag', { A: NaN }),
      bad('negative tag of an unsigned type', { A: -1 }),
    ],
  ),
  tagKey: kind(() => 'kind', [bad('wrong type', 5), ...MISSING, bad('not a field', 'zz')]),
  taggedArms: kind(
    () => ({ A: [1, ArmA], B: [2, ArmB] }),
    [
      bad('wrong type', 'A'),
      ...MISSING,
      bad('number', 5),
      bad('no arms', {}),
      bad('not a pair', { A: ArmA }),
      bad('not an instance', { A: [1, 'ArmA'] }),
      bad('not a struct', { A: [1, CInt] }),
      bad('no tag field', { A: [1, Pair] }),
      bad('same tag', { A: [1, ArmA], B: [1, ArmB] }),
      bad('tag too large', { A: [2 ** 40, ArmA] }),
      bad('string tag', { A: ['1', ArmA] }),
      bad('tag fields apart', { A: [1, ArmA], C: [2, struct({ x: CInt, kind: CInt })] }),
    ],
  ),
  storableDefinition: kind(
    () => ({ ...HAND_WRITTEN }),
    [
      bad('wrong type', 'T'),
      ...MISSING,
      bad('number', 5),
      bad('no name', { ...HAND_WRITTEN, name: 5 }),
      bad('alignment = sizeOf (56)', { ...HAND_WRITTEN, sizeOf: 56, alignment: 56 }),
      bad('alignment 0', { ...HAND_WRITTEN, alignment: 0 }),
      bad('size not a multiple', { ...HAND_WRITTEN, sizeOf: 6 }),
      bad('negative size', { ...HAND_WRITTEN, sizeOf: -4 }),
      bad('no peek', { ...HAND_WRITTEN, peek: 5 }),
      bad('no poke', { ...HAND_WRITTEN, poke: undefined }),
      bad('bad codec', { ...HAND_WRITTEN, codec: 5 }),
    ],
  ),
  structKeys: kind(
    () => ['b'],
    [bad('wrong type', 'b'), ...MISSING, bad('not a member', ['zz']), bad('twice', ['b', 'b'])],
  ),
  scalarKind: kind(() => 'i32', [bad('unknown', 'i33'), bad('wrong type', 5), ...MISSING]),
  compiler: kind(
    () => getLayoutCompiler(),
    [bad('unknown', 'fast'), bad('wrong type', 5), ...MISSING],
  ),
  // names
  /** The name a function reports in its messages (`checkPtr`'s `call`): any string. */
  name: kind((_env, t) => t.names[0]),
  /** The name of a type. */
  label: kind(() => 'T', labels),
  /** A message. */
  message: kind(() => 'failed', notFunctions),
  // functions
  body: kind(() => () => () => 7, notFunctions, [
    bad('returns no program', () => 7),
    bad('returns a promise', () => async () => 7),
  ]),
  /** A body whose program may return a promise (`withForeignPtr`, `maybeWith`). */
  anyBody: kind(() => () => () => 7, notFunctions, [
    bad('returns no program', () => 7),
    bad('returns a promise', () => async () => 7, 'either'),
  ]),
  task: kind(() => () => async () => 7, notFunctions, [
    bad('returns no task', () => 7),
    bad('task returns no promise', () => () => 7, 'either'),
  ]),
  taskEither: kind(() => () => async () => E.right(7), notFunctions, [
    bad('returns no task', () => 7),
    bad('task returns no Either', () => async () => 7, 'either'),
  ]),
  io: kind(() => () => 8, notFunctions),
  predicate: kind(() => () => false, notFunctions),
  messageFn: kind(() => () => 'failed', notFunctions),
  newFn: kind(() => () => () => 0, notFunctions, [bad('returns no program', () => 0)]),
  withFn: kind(() => (_a: unknown, k: (p: number) => unknown) => k(8), notFunctions),
  peekFn: kind(() => () => () => 1, notFunctions, [bad('returns no program', () => 1)]),
  withOne: kind(() => (a: unknown, k: (b: unknown) => unknown) => k(a), notFunctions),
  listBody: kind(() => (bs: readonly unknown[]) => bs.length, notFunctions),
  isFn: kind(() => (u: unknown) => typeof u === 'number', notFunctions),
  // the stack
  mark: kind(
    (env) => env.openMark(),
    [
      bad('wrong type', '1'),
      ...MISSING,
      bad('NaN', NaN),
      bad('fractional', 1.5),
      bad('bigint', 1n),
      badOf('stale mark', (env) => env.staleMark()),
    ],
  ),
  flag: kind(() => false, flags),
  pickRest: kind(() => 'keep', [bad('unknown', 'drop'), bad('wrong type', 5), bad('null', null)]),
  // Allegro's memory interface (foreign-ts/interface)
  /** A call site's line: a C `int`. */
  line: kind(
    () => 7,
    [
      bad('wrong type', '7'),
      ...MISSING,
      ...NON_FINITE,
      bad('fractional', 7.5),
      bad('above a C int', 2 ** 31),
      bad('bigint', 7n, 'either'),
      bad('bigint out of range', 2n ** 64n),
    ],
  ),
  /** `al_set_memory_interface`'s argument: the valid one (`null`) restores the default. */
  registered: kind(
    () => null,
    [
      bad('wrong type', 'iface'),
      bad('number', 5),
      bad('undefined', undefined),
      bad('a function', () => 0),
    ],
  ),
  /** The interface a ready interface wraps. */
  baseInterface: kind((env) => heapInterface(env.heap), notInstances('iface'), [
    bad('a hook missing', { mi_malloc: () => 0, mi_free: () => 0, mi_realloc: () => 0 }),
  ]),
  failureRule: kind(
    () => ({ nth: 1 }),
    [
      bad('wrong type', 'nth'),
      bad('number', 1),
      ...MISSING,
      bad('no rule', {}),
      bad('two rules', { nth: 1, from: 2 }),
      bad('zero', { nth: 0 }),
      bad('negative', { from: -1 }),
      bad('fractional', { nth: 1.5 }),
      bad('bigint', { nth: 1n }, 'either'),
      bad('bigint out of range', { nth: 2n ** 64n }),
      bad('when not a function', { when: 5 }),
    ],
  ),
} satisfies Record<string, Kind>;

/**
 * A kind of options object: bad objects, then each field's bad values, one at a time. `orName`:
 * a string is the name, not a wrong type.
 */
const options = (
  valid: Record<string, unknown>,
  fields: Record<string, string>,
  orName = false,
): Kind => ({
  valid: () => ({ ...valid }),
  bad: [
    ...(orName ? [] : [bad('wrong type', 'options')]),
    bad('number', 5),
    ...MISSING,
    ...Object.entries(fields).flatMap(([field, k]) => {
      const optional = k.endsWith('?');
      return BASE_KINDS[k.replace(/\?$/, '') as keyof typeof BASE_KINDS].bad.map((b): Bad => ({
        label: `${field}: ${b.label}`,
        value: (env) => ({ ...valid, [field]: b.value(env) }),
        expect: optional && b.label === 'undefined' ? 'either' : b.expect,
      }));
    }),
  ],
});

/** A malloc type and an area pool for the kernel and area adapters. */
const M_SURFACE = MALLOC_DEFINE(boot(), 'surface', 'the surface test');
const AREA_POOL = get_module(B_AREA_MALLOC_MODULE_NAME)!.create_pool(
  B_ANY_ADDRESS,
  1 << 16,
  B_NO_LOCK,
  B_READ_AREA | B_WRITE_AREA,
)!;

const KINDS: Record<string, Kind> = {
  ...BASE_KINDS,
  mallocType: kind(() => M_SURFACE, notInstances('M_TEMP')),
  kernelFlags: kind(
    () => 1,
    [bad('wrong type', 'M_NOWAIT'), bad('fractional', 1.5), bad('bigint', 1n)],
  ),
  areaPool: kind(() => AREA_POOL, notInstances('pool')),
  trackingOptions: options({ callSites: false }, { callSites: 'flag?' }),
  oomProgram: kind(() => () => 0, notFunctions),
  /** `setHeapContextHook`'s and `setModuleContextHook`'s: the valid one (`null`) removes it. */
  heapContextHook: kind(
    () => null,
    [bad('wrong type', 'hook'), bad('number', 8), bad('undefined', undefined), bad('object', {})],
  ),
  /** `setDefaultContext`'s argument: the valid one (`null`) restores the original default. */
  replacement: kind(
    () => null,
    [
      bad('wrong type', 'ctx'),
      bad('number', 8),
      bad('undefined', undefined),
      bad('non-instance', {}),
      bad('a Memory', MEMORY),
      bad('partial context', { memory: MEMORY }),
    ],
  ),
  oomOptions: kind(
    () => ({ contract: 'nullPtr' }),
    [
      bad('wrong type', 'nullPtr'),
      bad('number', 5),
      ...MISSING,
      bad('no contract', {}),
      bad('unknown contract', { contract: 'never' }),
      bad('inherited name', { contract: 'toString' }),
      bad('base not a function', { contract: 'nullPtr', base: 5 }),
      bad('base gives no interface', { contract: 'nullPtr', base: () => ({}) }),
    ],
  ),
  heapOptions: options(
    { initialBytes: 65536, maxBytes: 131072 },
    { initialBytes: 'bytes?', maxBytes: 'bytes?', shared: 'flag', checked: 'flag' },
  ),
  memoryOptions: options(
    { initialBytes: 65536, maxBytes: 131072 },
    { initialBytes: 'bytes?', maxBytes: 'bytes?', shared: 'flag' },
  ),
  overOptions: options(
    { base: 8, size: 32768 },
    { base: 'base', size: 'region?', checked: 'flag', locked: 'flag' },
  ),
  /** `Memory.protect`'s argument; the valid one leaves `MEMORY` readable and writable. */
  memoryAccess: options(
    { read: true, write: true },
    { read: 'flag', write: 'flag', reason: 'label?' },
  ),
  attachOptions: options({ base: 0 }, { base: 'size?' }),
  stackOptions: options({ size: 256 }, { size: 'size?' }),
  structOptions: options(
    { name: 'S' },
    { name: 'label', packed: 'flag', align: 'ptrAlign?' },
    true,
  ),
  unionOptions: options({ name: 'U' }, { name: 'label', packed: 'flag', align: 'ptrAlign?' }, true),
  charsOptions: options({ terminated: false }, { terminated: 'flag', name: 'label' }),
  pickOptions: options({ rest: 'zero' }, { name: 'label', rest: 'pickRest' }, true),
  taggedOptions: options({ name: 'T' }, { name: 'label', size: 'size?', align: 'ptrAlign?' }, true),
  heapMapOptions: options({ width: 400 }, { width: 'bytes?', rowBytes: 'bytes?', title: 'label' }),
};

/** The parts `foreign(ctx)` is made of, for the factories' arguments (made once per world). */
const partsByWorld = new Map<World, ReturnType<typeof makeParts>>();
const makeParts = (ctx: Context) => {
  const alloc = marshalAlloc(ctx);
  const pp = peekPoke(ctx.memory);
  const utils = marshalUtils(ctx, alloc, pp);
  const arrays = marshalArray(ctx, alloc);
  const strings = cString(ctx, alloc);
  const pools = marshalPool(ctx);
  return { alloc, pp, utils, arrays, strings, pools };
};
const PARTS = (env: Env): ReturnType<typeof makeParts> => {
  let parts = partsByWorld.get(env.world);
  if (parts === undefined) {
    parts = makeParts(env.world.ctx);
    partsByWorld.set(env.world, parts);
  }
  return parts;
};

// =================================================================================================
// The table: one line per function, `parameter kinds => how it runs [what to release]`.
// `io`: returns a program, which is run; `task`: a Task, run and awaited; `value`: a plain call.
// `ptr`: the result is a block to free (a pointer, a `CStringLen`, or inside a `Right`). Results
// that are ForeignPtrs, pools and scoped values are always released (finalized, freed, disposed).
// `?` marks an optional parameter (then `undefined` may succeed).
// =================================================================================================

const FUNCTIONS: Record<string, string> = {
  // Foreign.Ptr
  castPtr: 'addr => value',
  plusPtr: 'addr, delta => value',
  minusPtr: 'addr, addr => value',
  alignPtr: 'addr, ptrAlign => value',
  castFunPtr: 'addr => value',
  castFunPtrToPtr: 'addr => value',
  castPtrToFunPtr: 'addr => value',
  ptrToIntPtr: 'addr => value',
  intPtrToPtr: 'addr => value',
  ptrToWordPtr: 'addr => value',
  wordPtrToPtr: 'addr => value',
  checkPtr: 'name, addr, name? => value',
  checkAlignment: 'name, ptrAlign => value',
  checkOffset: 'name, integer, name? => value',
  // Foreign.Storable, instances, layouts
  sizeOf: 'storable => value',
  alignment: 'storable => value',
  scalar: 'label, scalarKind => value',
  checkCodec: 'label, isFn => value',
  asNumber: 'storable64 => value',
  struct: 'members, structOptions? => value',
  packed: 'members, structOptions? => value',
  offsetOf: 'struct, memberKey => value',
  union: 'unionMembers, unionOptions? => value',
  array: 'storable, count, label? => value',
  bits: 'intStorable, width => value',
  unnamedBits: 'intStorable, width0 => value',
  anonymous: 'composite => value',
  enumeration: 'intStorable, tags, label? => value',
  chars: 'count, charsOptions? => value',
  aligned: 'ptrAlign, storable => value',
  taggedUnion: 'tagKey, taggedArms, taggedOptions? => value',
  storable: 'storableDefinition => value',
  pick: 'struct, structKeys, pickOptions? => value',
  // field access (the programs' pointers are tested in test/foreign/layout/field.test.ts)
  fieldAccess: 'memory => value',
  peekField: 'struct, memberKey => value',
  pokeField: 'struct, memberKey => value',
  fieldOffset: 'struct, memberKey => value',
  fieldPtr: 'struct, memberKey => value',
  compileLayout: 'storable, compiler? => value',
  setLayoutCompiler: 'compiler => value',
  getLayoutCompiler: ' => value',
  codegenAvailable: ' => value',
  'wasm32.ptrTo': ' => value',
  'wasm32.funPtrTo': ' => value',
  'lp64.ptrTo': ' => value',
  'lp64.funPtrTo': ' => value',
  // contexts and factories
  peekPoke: 'memory => value',
  contextOf: 'heap, stackOptions? => value',
  heapBlocks: 'heap => value',
  heapMap: 'heap, heapMapOptions? => value',
  newContext: 'heapOptions? => value',
  foreign: 'contextOrHeap => value',
  defaultForeign: ' => value',
  defaultContext: ' => value',
  defaultHeap: ' => value',
  marshalAlloc: 'context => value',
  marshalUtils: 'context, alloc, peekPokeObj => value',
  marshalArray: 'context, alloc => value',
  cString: 'context, alloc => value',
  foreignPtrs: 'context, alloc => value',
  marshalPool: 'context => value',
  asyncBrackets: 'context, pools => value',
  scopedAllocations: 'context, alloc, utils, arrays, strings, pools => value',
  makeViews: 'buffer, viewLength => value',
  // peek and poke
  peek: 'storable, ptr => io',
  poke: 'storable, ptr, value => io',
  peekElemOff: 'storable, ptr, index => io',
  pokeElemOff: 'storable, ptr, index, value => io',
  peekByteOff: 'storable, ptr, offset => io',
  pokeByteOff: 'storable, ptr, offset, value => io',
  'unchecked.poke': 'storable, ptr, raw => io',
  'unchecked.pokeElemOff': 'storable, ptr, index, raw => io',
  'unchecked.pokeByteOff': 'storable, ptr, offset, raw => io',
  'either.peek': 'storable, ptr => io',
  'either.poke': 'storable, ptr, value => io',
  'either.peekElemOff': 'storable, ptr, index => io',
  'either.pokeElemOff': 'storable, ptr, index, value => io',
  'either.peekByteOff': 'storable, ptr, offset => io',
  'either.pokeByteOff': 'storable, ptr, offset, value => io',
  // Foreign.Marshal.Alloc
  alloca: 'storable, body => io',
  allocaBytes: 'size, body => io',
  allocaBytesAligned: 'size, align, body => io',
  malloc: 'storable => io ptr',
  mallocBytes: 'size => io ptr',
  calloc: 'storable => io ptr',
  callocBytes: 'size => io ptr',
  realloc: 'storable, owned => io ptr',
  reallocBytes: 'owned, size => io ptr',
  free: 'owned => io',
  'finalizerFree.finalize': 'owned => value',
  'either.malloc': 'storable => io ptr',
  'either.mallocBytes': 'size => io ptr',
  'either.calloc': 'storable => io ptr',
  'either.callocBytes': 'size => io ptr',
  'either.reallocBytes': 'owned, size => io ptr',
  'either.alloca': 'storable, body => io',
  // Foreign.Marshal.Utils
  with: 'storable, value, body => io',
  new: 'storable, value => io ptr',
  copyBytes: 'ptr, ptr2, size => io',
  moveBytes: 'ptr, ptr2, size => io',
  fillBytes: 'ptr, byte, size => io',
  fromBool: 'cbool => value',
  toBool: 'cnumber => value',
  maybeNew: 'newFn, option => io',
  maybeWith: 'withFn, option, anyBody => io',
  maybePeek: 'peekFn, addr => io',
  withMany: 'withOne, list, listBody => value',
  // Foreign.Marshal.Error
  throwIf: 'predicate, messageFn, io => io',
  throwIf_: 'predicate, messageFn, io => io',
  throwIfNeg: 'messageFn, io => io',
  throwIfNeg_: 'messageFn, io => io',
  throwIfNull: 'message, io => io',
  unsafeLocalState: 'io => value',
  // Foreign.Marshal.Array
  mallocArray: 'storable, count => io ptr',
  mallocArray0: 'storable, count => io ptr',
  callocArray: 'storable, count => io ptr',
  callocArray0: 'storable, count => io ptr',
  allocaArray: 'storable, count, body => io',
  allocaArray0: 'storable, count, body => io',
  reallocArray: 'storable, owned, count => io ptr',
  reallocArray0: 'storable, owned, count => io ptr',
  peekArray: 'storable, len, ptr => io',
  peekArray0: 'storable, marker, ptr => io',
  pokeArray: 'storable, ptr, values => io',
  pokeArray0: 'storable, marker, ptr, values => io',
  newArray: 'storable, values => io ptr',
  newArray0: 'storable, marker, values => io ptr',
  withArray: 'storable, values, body => io',
  withArray0: 'storable, marker, values, body => io',
  withArrayLen: 'storable, values, body => io',
  withArrayLen0: 'storable, marker, values, body => io',
  copyArray: 'storable, ptr, ptr2, count => io',
  moveArray: 'storable, ptr, ptr2, count => io',
  lengthArray0: 'storable, marker, ptr => io',
  advancePtr: 'storable, addr, delta => value',
  'either.mallocArray': 'storable, count => io ptr',
  'either.mallocArray0': 'storable, count => io ptr',
  'either.callocArray': 'storable, count => io ptr',
  'either.callocArray0': 'storable, count => io ptr',
  'either.newArray': 'storable, values => io ptr',
  'either.newArray0': 'storable, marker, values => io ptr',
  'either.reallocArray': 'storable, owned, count => io ptr',
  'either.reallocArray0': 'storable, owned, count => io ptr',
  // Foreign.C.String
  newCString: 'string => io ptr',
  peekCString: 'ptr => io',
  withCString: 'string, body => io',
  newCStringLen: 'bytesString => io ptr',
  peekCStringLen: 'csl => io',
  withCStringLen: 'bytesString, body => io',
  'either.newCString': 'string => io ptr',
  'either.newCStringLen': 'bytesString => io ptr',
  charIsRepresentable: 'char => io',
  castCharToCChar: 'latin1 => value',
  castCharToCUChar: 'latin1 => value',
  castCharToCSChar: 'latin1 => value',
  castCCharToChar: 'schar => value',
  castCSCharToChar: 'schar => value',
  castCUCharToChar: 'uchar => value',
  // Foreign.C.String: wide and 8-bit strings
  cWString: 'context, alloc => value',
  cAString: 'context, alloc => value',
  newCWString: 'string => io ptr',
  peekCWString: 'wptr => io',
  withCWString: 'string, body => io',
  newCWStringLen: 'bytesString => io ptr',
  peekCWStringLen: 'csl => io',
  withCWStringLen: 'bytesString, body => io',
  'either.newCWString': 'string => io ptr',
  'either.newCWStringLen': 'bytesString => io ptr',
  newCAString: 'asciiString => io ptr',
  peekCAString: 'ptr => io',
  withCAString: 'asciiString, body => io',
  newCAStringLen: 'asciiBytesString => io ptr',
  peekCAStringLen: 'csl => io',
  withCAStringLen: 'asciiBytesString, body => io',
  'either.newCAString': 'asciiString => io ptr',
  'either.newCAStringLen': 'asciiBytesString => io ptr',
  // Foreign.C.Error
  cError: 'context => value',
  getErrno: ' => value',
  resetErrno: ' => value',
  setErrno: 'errno => io',
  throwErrno: 'not called: it always throws (its bad locations: test/foreign/c/error.test.ts)',
  'either.throwErrno':
    'not called: always a Left (its bad locations: test/foreign/c/error.test.ts)',
  throwErrnoIf: 'predicate, loc, io => io',
  throwErrnoIf_: 'predicate, loc, io => io',
  throwErrnoIfMinus1: 'loc, io => io',
  throwErrnoIfMinus1_: 'loc, io => io',
  throwErrnoIfNull: 'loc, io => io',
  throwErrnoIfMinus1Retry: 'loc, io => io',
  'either.throwErrnoIf': 'predicate, loc, io => io',
  'either.throwErrnoIf_': 'predicate, loc, io => io',
  'either.throwErrnoIfMinus1': 'loc, io => io',
  'either.throwErrnoIfMinus1_': 'loc, io => io',
  'either.throwErrnoIfNull': 'loc, io => io',
  'either.throwErrnoIfMinus1Retry': 'loc, io => io',
  errnoToIOError: 'loc, errno, loc? => value',
  isValidErrno: 'errno => value',
  // Foreign.StablePtr
  stablePtrs: 'context => value',
  newStablePtr: 'anything => io stable',
  deRefStablePtr: 'stablePtr => io',
  freeStablePtr: 'stablePtr => io',
  liveStablePtrs: ' => io',
  castStablePtrToPtr: 'stableShape => value',
  castPtrToStablePtr: 'addr => value',
  // Foreign.ForeignPtr, Foreign.Concurrent
  newForeignPtr: 'finalizer, addr => io',
  newForeignPtr_: 'addr => io',
  newForeignPtrEnv: 'finalizerEnv, addr, addr => io',
  mallocForeignPtr: 'storable => io',
  mallocForeignPtrBytes: 'size => io',
  mallocForeignPtrArray: 'storable, count => io',
  mallocForeignPtrArray0: 'storable, count => io',
  addForeignPtrFinalizer: 'finalizer, fptr => io',
  addForeignPtrFinalizerEnv: 'finalizerEnv, addr, fptr => io',
  addForeignPtrConcFinalizer: 'fptr, io => io',
  withForeignPtr: 'fptr, anyBody => io',
  finalizeForeignPtr: 'fptr => io',
  touchForeignPtr: 'fptr => io',
  castForeignPtr: 'fptr => value',
  plusForeignPtr: 'fptr, delta => value',
  unsafeForeignPtrToPtr: 'fptr => value',
  'eqForeignPtr.equals': 'fptr, fptr => value',
  'ordForeignPtr.equals': 'fptr, fptr => value',
  'ordForeignPtr.compare': 'fptr, fptr => value',
  compareForeignPtr: 'fptr, fptr => value',
  minusForeignPtr: 'fptr, fptr => value',
  'concurrent.newForeignPtr': 'addr, io => io',
  'concurrent.addForeignPtrFinalizer': 'fptr, io => io',
  shutdown: ' => io',
  pendingFinalizers: ' => io',
  // Foreign.Marshal.Pool
  newPool: ' => io',
  withPool: 'body => io',
  freePool: 'pool => io',
  pooledMalloc: 'storable, pool => io',
  pooledMallocBytes: 'pool, size => io',
  pooledRealloc: 'storable, pool, pooled => io',
  pooledReallocBytes: 'pool, pooled, size => io',
  pooledMallocArray: 'storable, pool, count => io',
  pooledMallocArray0: 'storable, pool, count => io',
  pooledReallocArray: 'storable, pool, pooled, count => io',
  pooledReallocArray0: 'storable, pool, pooled, count => io',
  pooledNew: 'storable, pool, value => io',
  pooledNewArray: 'storable, pool, values => io',
  pooledNewArray0: 'storable, pool, marker, values => io',
  // asynchronous brackets
  ...brackets('task', 'task'),
  ...brackets('taskEither', 'taskEither'),
  // allocations for `using`
  'scoped.malloc': 'storable => value',
  'scoped.mallocBytes': 'size => value',
  'scoped.calloc': 'storable => value',
  'scoped.callocBytes': 'size => value',
  'scoped.mallocArray': 'storable, count => value',
  'scoped.mallocArray0': 'storable, count => value',
  'scoped.new': 'storable, value => value',
  'scoped.newArray': 'storable, values => value',
  'scoped.newArray0': 'storable, marker, values => value',
  'scoped.newCString': 'string => value',
  'scoped.newCStringLen': 'bytesString => value',
  'scoped.pool': ' => value',
  'scoped.mallocForeignPtr': 'storable => value',
  'scoped.mallocForeignPtrBytes': 'size => value',
  'scoped.mallocForeignPtrArray': 'storable, count => value',
  'scoped.foreignPtr': 'fptr => value',
  // Allegro's memory interface (foreign-ts/interface), in the default context
  al_set_memory_interface: 'registered => value',
  al_malloc: 'size => value ptr',
  al_calloc: 'count, size => value ptr',
  al_realloc: 'owned, size => value ptr',
  al_free: 'owned => value',
  al_malloc_with_context: 'size, line, label, label => value ptr',
  al_calloc_with_context: 'count, size, line, label, label => value ptr',
  al_realloc_with_context: 'owned, size, line, label, label => value ptr',
  al_free_with_context: 'owned, line, label, label => value',
  heapInterface: 'heap => value',
  countingInterface: 'baseInterface => value',
  failingInterface: 'baseInterface, failureRule => value',
  contextWithInterface: 'contextOrMemory, baseInterface, stackOptions? => value',
  userCallSite: ' => value',
  kernelInterface: 'mallocType, kernelFlags? => value',
  areaInterface: 'areaPool => value',
  trackingInterface: 'baseInterface, trackingOptions? => value',
  oomTest: 'oomProgram, oomOptions => value',
  setDefaultContext: 'replacement => value',
  setHeapContextHook: 'heapContextHook => value',
  setModuleContextHook: 'heapContextHook => value',
  withDefaultContext: 'context, oomProgram => value',
};

/** The lines of `task.*` or `taskEither.*`, whose bodies are of kind `body`. */
function brackets(prefix: string, body: string): Record<string, string> {
  const lines: Record<string, string> = {
    alloca: `storable, ${body} => task`,
    allocaBytes: `size, ${body} => task`,
    allocaBytesAligned: `size, align, ${body} => task`,
    allocaArray: `storable, count, ${body} => task`,
    allocaArray0: `storable, count, ${body} => task`,
    with: `storable, value, ${body} => task`,
    withArray: `storable, values, ${body} => task`,
    withArray0: `storable, marker, values, ${body} => task`,
    withArrayLen: `storable, values, ${body} => task`,
    withArrayLen0: `storable, marker, values, ${body} => task`,
    withCString: `string, ${body} => task`,
    withCStringLen: `bytesString, ${body} => task`,
    withPool: `${body} => task`,
  };
  return Object.fromEntries(Object.entries(lines).map(([k, v]) => [`${prefix}.${k}`, v]));
}

/** Root exports that are another name of a function: the name the function reports. */
const ALIASES: Record<string, string> = { with_: 'with', new_: 'new' };

/**
 * Names a function may report besides its own. The flavours (`either.*`, `unchecked.*`,
 * `task.*`, `taskEither.*`, `scoped.*`, `concurrent.*`) have none: they report their own name,
 * prefix included (`either.peek: …`).
 */
const alsoNamed = (name: string): string[] => {
  if (name === 'finalizerFree.finalize') return ['finalizerFree', 'free'];
  if (name === 'eqForeignPtr.equals') return ['eqForeignPtr'];
  return [];
};

// -------------------------------------------------------------------------------------------------
// Classes: constructors, statics and methods. The method tables `satisfies` the class's public
// method keys, so a new method is a type error until it has a line.

type MethodsOf<T> = {
  [K in keyof T]-?: T[K] extends (...args: any[]) => any ? K : never;
}[keyof T] &
  string;

const HEAP_STATICS = {
  create: 'heapOptions? => value',
  over: 'source, overOptions => value',
  attach: 'heapSource, attachOptions? => value',
} satisfies Record<MethodsOf<typeof Heap>, string>;
const HEAP_METHODS = {
  malloc: 'size => value ptr',
  calloc: 'count, size => value ptr',
  realloc: 'heapOwned, size => value ptr',
  free: 'heapOwned => value',
  usableSize: 'block => value',
  alignedAlloc: 'align, size => value ptr',
  check: ' => value',
  stats: ' => value',
  /** @internal, for the area pools: never throws, answers 0 for anything but a live block. */
  liveSizeUnlocked: 'probe => value',
} satisfies Record<MethodsOf<Heap>, string>;
const STACK_METHODS = {
  mark: ' => value',
  alloc: 'size, align => value',
  release: 'mark => value',
  owns: 'probe => value',
  dispose: ' => value',
} satisfies Record<MethodsOf<Stack>, string>;
const MEMORY_STATICS = {
  create: 'memoryOptions? => value',
  from: 'source => value',
} satisfies Record<MethodsOf<typeof Memory>, string>;
const MEMORY_METHODS = {
  ensure: 'address, size, name? => value',
  ensureWritable: 'address, size, name? => value',
  protect: 'memoryAccess => value',
  refresh: ' => value',
  grow: 'growTo => value',
} satisfies Record<MethodsOf<Memory>, string>;
const FOREIGN_PTR_METHODS = { toString: ' => value' } satisfies Record<
  MethodsOf<ForeignPtr<any>>,
  string
>;
const SCOPED_PTR_METHODS = { take: ' => value ptr' } satisfies Record<
  MethodsOf<ScopedPtr<any>>,
  string
>;
const MARSHAL_ERROR_METHODS = { withCall: 'name => value' } satisfies Record<
  MethodsOf<MarshalError>,
  string
>;
/** `[Symbol.dispose]` and `[Symbol.asyncDispose]`, which take no arguments. */
const DISPOSE = { '[Symbol.dispose]': ' => value', '[Symbol.asyncDispose]': ' => value' };

interface ClassEntry {
  /** The constructor's line, or why it is not called with bad input. */
  readonly new: string;
  readonly statics?: Record<string, string>;
  readonly methods?: Record<string, string>;
  /** The object a method is called on. */
  readonly receiver?: (env: Env, method: string) => object;
  /** How a method's messages start: `Stack.alloc`, or the bare `malloc`. */
  readonly prefix?: string;
}

const INTERNAL = 'not called: @internal constructor, made by the library';
const ERROR_CLASS = 'not called: an error class, made by the library with what it reports';

const CLASSES: Record<string, ClassEntry> = {
  Heap: {
    new: 'not called: private constructor (Heap.create, Heap.over, Heap.attach)',
    statics: HEAP_STATICS,
    methods: HEAP_METHODS,
    receiver: (env) => env.heap,
    prefix: '',
  },
  Stack: {
    new: 'stackAllocator, stackOptions? => value',
    methods: STACK_METHODS,
    receiver: (env, m) => env.stack(m === 'alloc'),
  },
  Memory: {
    new: 'not called: private constructor (Memory.create, Memory.from)',
    statics: MEMORY_STATICS,
    methods: MEMORY_METHODS,
    receiver: () => MEMORY,
  },
  ForeignPtr: { new: INTERNAL, methods: FOREIGN_PTR_METHODS, receiver: (env) => env.fptr },
  Pool: { new: INTERNAL, methods: DISPOSE, receiver: (env) => env.pool },
  Scoped: {
    new: 'not called: abstract',
    methods: DISPOSE,
    receiver: (env) => env.api.scoped.mallocBytes(8),
  },
  ScopedPtr: {
    new: INTERNAL,
    methods: SCOPED_PTR_METHODS,
    receiver: (env) => env.api.scoped.mallocBytes(8),
    prefix: '',
  },
  ScopedCStringLen: { new: INTERNAL },
  ScopedForeignPtr: { new: INTERNAL },
  LayoutType: {
    new: "not called: an io-ts Type, whose constructor takes io-ts's arguments (made by the layouts)",
  },
  MarshalError: {
    new: ERROR_CLASS,
    methods: MARSHAL_ERROR_METHODS,
    receiver: () => new MarshalError('poke', 'CInt', 'x', 'CInt'),
    prefix: '',
  },
  ...Object.fromEntries(
    [
      'AllocationError',
      'DetachedMemoryError',
      'ForeignPtrError',
      'HeapCorruptionError',
      'InterfaceMismatchError',
      'InvalidPointerError',
      'MemoryBoundsError',
      'MemoryProtectionError',
      'NullPointerError',
      'OverlapError',
      'PoolError',
      'SharedMemoryUnavailableError',
      'StackOrderError',
      'StablePtrError',
      'ErrnoError',
      'UserError',
    ].map((name) => [name, { new: ERROR_CLASS }]),
  ),
};

// =================================================================================================
// Targets: what is called, under which names, in which world.
// =================================================================================================

interface Param {
  readonly kind: string;
  readonly optional: boolean;
}

interface Spec {
  readonly params: readonly Param[];
  readonly run: 'value' | 'io' | 'task';
  readonly releasesPtr: boolean;
  /** The result is a StablePtr, freed after the call. */
  readonly releasesStable: boolean;
}

interface Target {
  /** Where it comes from: `foreign-ts`, `foreign(ctx)`, `Heap`, `heap`, … */
  readonly where: string;
  /** The table's name of it. */
  readonly name: string;
  /** The names its messages may start with. */
  readonly names: readonly string[];
  readonly spec: Spec;
  readonly world: World;
  readonly invoke: (env: Env, args: unknown[]) => unknown;
}

const parseSpec = (line: string): Spec => {
  const [left = '', right = ''] = line.split('=>').map((s) => s.trim());
  const params = left === '' ? [] : left.split(',').map((p) => p.trim());
  const [run, release] = right.split(/\s+/);
  if (run !== 'value' && run !== 'io' && run !== 'task') throw new Error(`bad line: ${line}`);
  return {
    params: params.map((p) => {
      const k = p.replace(/\?$/, '');
      if (!(k in KINDS)) throw new Error(`unknown kind ${k} in: ${line}`);
      return { kind: k, optional: p.endsWith('?') };
    }),
    run,
    releasesPtr: release === 'ptr',
    releasesStable: release === 'stable',
  };
};

const isClass = (v: unknown): v is new (...args: any[]) => unknown =>
  typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
const isStorable = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Storable<unknown>).read === 'function' &&
  typeof (v as Storable<unknown>).codec === 'object';
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** The functions of a namespace (a module, or a factory's result), with their table names. */
const functionsOf = (
  ns: Record<string, unknown>,
  prefix = '',
): Array<{ key: string; name: string; fn: (...a: unknown[]) => unknown }> =>
  Object.keys(ns).flatMap((key) => {
    const v = ns[key];
    const name = prefix + (ALIASES[key] ?? key);
    if (typeof v === 'function' && !isClass(v))
      return [{ key: prefix + key, name, fn: v as (...a: unknown[]) => unknown }];
    if (isPlainObject(v) && !isStorable(v)) return functionsOf(v, `${name}.`);
    return [];
  });

const undescribed: string[] = [];

const targetOf = (
  where: string,
  name: string,
  world: World,
  invoke: Target['invoke'],
  line: string | undefined,
  names: readonly string[] = [name, ...alsoNamed(name)],
): Target[] => {
  if (line === undefined) {
    undescribed.push(`${where}: ${name}`);
    return [];
  }
  if (line.startsWith('not called')) return [];
  return [{ where, name, names, spec: parseSpec(line), world, invoke }];
};

const ENTRY_POINTS = [
  'foreign-ts',
  'foreign-ts/heap',
  'foreign-ts/memory',
  'foreign-ts/interface',
] as const;

/**
 * Exports of `foreign-ts/interface` that are the floor of foreign/ and wasm/ (marked
 * `@internal`: the layer's face must export them for foreign/ and wasm/ to import them) and are reached by users only
 * through the Haskell face, which the table covers.
 */
const FLOOR = new Set([
  'checkContext',
  'checkParts',
  'contextOver',
  'isMemory',
  'moduleContextHooked',
  'onDefaultContextReplaced',
  'ownershipOf',
  'stackDoor',
  'allocateAligned',
  'allocateFilled',
  'checkReleasable',
  'freeFor',
  'reallocFor',
  'releaseOwned',
  'Ownership',
]);

/**
 * Exports of the package root that foreign/'s own units need from layout/ (marked `@internal`,
 * hidden from the API docs): `compileArrayWriter`, which the array families register for
 * `pokeArray` (covered there).
 */
const ROOT_FLOOR = new Set(['compileArrayWriter']);

const FLOORS: Partial<Record<(typeof ENTRY_POINTS)[number], ReadonlySet<string>>> = {
  'foreign-ts': ROOT_FLOOR,
  'foreign-ts/interface': FLOOR,
};

/**
 * Functions that replace the default context: they refuse while an alloca bracket is open on it,
 * and the default world's environment holds one open, so they are called in the test world.
 */
const REPLACING = new Set(['setDefaultContext', 'withDefaultContext']);

/** The world of an entry point's functions: the default context's for those bound to it. */
const worldOf = (entry: string, name = ''): World =>
  (entry === 'foreign-ts' || entry === 'foreign-ts/interface') && !REPLACING.has(name)
    ? DEFAULT
    : TEST;

/** The factories whose results are namespaces, built over the test context. */
const FACTORY_RESULTS = (): Array<[string, object, string]> => {
  const ctx = TEST.ctx;
  const { alloc, pp, utils, arrays, strings, pools } = makeParts(ctx);
  return [
    ['foreign(ctx)', foreign(ctx), ''],
    ['peekPoke(memory)', pp, ''],
    ['marshalAlloc(ctx)', alloc, ''],
    ['marshalUtils(ctx, …)', utils, ''],
    ['marshalArray(ctx, alloc)', arrays, ''],
    ['cString(ctx, alloc)', strings, ''],
    ['foreignPtrs(ctx, alloc)', foreignPtrs(ctx, alloc), ''],
    ['marshalPool(ctx)', pools, ''],
    ['asyncBrackets(ctx, pools)', asyncBrackets(ctx, pools), ''],
    [
      'scopedAllocations(ctx, …)',
      scopedAllocations(ctx, alloc, utils, arrays, strings, pools),
      'scoped.',
    ],
  ];
};

const classTargets = (className: string, C: any, entry: ClassEntry): Target[] => {
  const out: Target[] = [];
  if (!entry.new.startsWith('not called')) {
    out.push(
      ...targetOf(className, className, TEST, (_e, a) => new C(...a), entry.new, [className]),
    );
  }
  for (const [m, line] of Object.entries(entry.statics ?? {})) {
    if (typeof C[m] !== 'function') undescribed.push(`${className}.${m} is not a static method`);
    out.push(
      ...targetOf(className, `${className}.${m}`, TEST, (_e, a) => C[m](...a), line, [
        `${className}.${m}`,
      ]),
    );
  }
  for (const [m, line] of Object.entries(entry.methods ?? {})) {
    const symbol = /^\[Symbol\.(\w+)\]$/.exec(m)?.[1];
    const key: PropertyKey = symbol === undefined ? m : (Symbol as any)[symbol];
    if (typeof C.prototype[key] !== 'function') undescribed.push(`${className}#${m} is no method`);
    const reported =
      symbol === undefined ? `${entry.prefix ?? `${className}.`}${m}` : className + m;
    out.push(
      ...targetOf(
        className.toLowerCase(),
        `${className}#${m}`,
        TEST,
        (env, a) => (entry.receiver!(env, m) as any)[key](...a),
        line,
        [reported],
      ),
    );
  }
  return out;
};

const allTargets = async (): Promise<Target[]> => {
  const targets: Target[] = [];
  const seenClasses = new Set<string>();
  for (const entry of ENTRY_POINTS) {
    const all = (await import(entry)) as Record<string, unknown>;
    const mod = Object.fromEntries(
      Object.entries(all).filter(([k]) => !(FLOORS[entry]?.has(k) ?? false)),
    );
    for (const key of Object.keys(mod)) {
      const v = mod[key];
      if (isClass(v)) {
        if (!(key in CLASSES)) undescribed.push(`${entry}: class ${key}`);
        else if (!seenClasses.has(key)) {
          seenClasses.add(key);
          targets.push(...classTargets(key, v, CLASSES[key]!));
        }
      }
    }
    for (const { key, name, fn } of functionsOf(mod)) {
      const world = worldOf(entry, name);
      const label = key === name ? entry : `${entry} (${key})`;
      targets.push(...targetOf(label, name, world, (_e, a) => fn(...a), FUNCTIONS[name]));
    }
  }
  for (const [where, ns, prefix] of FACTORY_RESULTS()) {
    for (const { name, fn } of functionsOf(ns as Record<string, unknown>, prefix)) {
      targets.push(...targetOf(where, name, TEST, (_e, a) => fn(...a), FUNCTIONS[name]));
    }
  }
  return targets;
};

// =================================================================================================
// Running one call, and judging it.
// =================================================================================================

const LIBRARY_ERRORS: Array<new (...a: any[]) => Error> = Object.values(
  root as Record<string, unknown>,
).filter((v): v is new (...a: any[]) => Error => isClass(v) && v.prototype instanceof Error);

class NoProgram extends Error {}

const describeError = (e: unknown): string =>
  e instanceof Error ? `${e.constructor.name}: ${e.message}` : `non-error ${String(e)}`;

/** What is wrong with the error `e` of a call reporting `names`, or undefined. */
const judge = (e: unknown, names: readonly string[]): string | undefined => {
  if (e instanceof NoProgram) return e.message;
  if (!(e instanceof Error)) return `threw a non-error: ${String(e)}`;
  const typed =
    e instanceof RangeError || e instanceof TypeError || LIBRARY_ERRORS.some((C) => e instanceof C);
  if (!typed) return `untyped error ${describeError(e)}`;
  if (!names.some((n) => e.message.startsWith(`${n}:`)))
    return `error not naming ${names[0]}: ${describeError(e)}`;
  return undefined;
};

const execute = async (t: Target, env: Env, args: unknown[]): Promise<unknown> => {
  let r = t.invoke(env, args);
  if (t.spec.run !== 'value') {
    if (typeof r !== 'function') throw new NoProgram(`returned no program (${typeof r})`);
    r = (r as () => unknown)();
  }
  return r instanceof Promise ? await r : r;
};

const isEither = (r: unknown): r is E.Either<unknown, unknown> =>
  typeof r === 'object' &&
  r !== null &&
  ((r as any)._tag === 'Right' || (r as any)._tag === 'Left');

/** Releases what a call returned. */
const releaseResult = (env: Env, r: unknown, ptr: boolean): void => {
  if (r instanceof ForeignPtr) finalizeForeignPtr(r)();
  else if (r instanceof Pool) {
    if (!r.freed) freePool(r)();
  } else if (r instanceof Scoped) r[Symbol.dispose]();
  else if (isEither(r)) {
    if (E.isRight(r)) releaseResult(env, r.right, ptr);
  } else if (ptr && Array.isArray(r)) releaseResult(env, r[0], ptr);
  else if (ptr && typeof r === 'number' && r !== 0) env.api.free(r as never)();
};

interface Figures {
  readonly stats: Record<string, number>;
  readonly depth: number;
  readonly pending: number;
  readonly stable: number;
}

const STAT_KEYS = [
  'heapBytes',
  'liveBytes',
  'liveBlocks',
  'freeBytes',
  'freeBlocks',
  'largestFree',
] as const;

const figures = (w: World): Figures => {
  const s = w.heap.stats();
  return {
    stats: Object.fromEntries(STAT_KEYS.map((k) => [k, s[k]])),
    depth: w.ctx.stack.depth,
    pending: w.api.pendingFinalizers()(),
    stable: w.api.liveStablePtrs()(),
  };
};

const CONSUMING = new Set(['owned', 'heapOwned']);

/**
 * Calls `t` with valid arguments, or with argument `at` replaced by `b`; returns the problems
 * (none when all is well).
 */
const callOnce = async (t: Target, at?: number, b?: Bad): Promise<string[]> => {
  const w = t.world;
  const before = figures(w);
  const env = new Env(w);
  const problems: string[] = [];
  const param = at === undefined ? undefined : t.spec.params[at];
  const expected: Expect =
    b === undefined ? 'either' : param!.optional && b.label === 'undefined' ? 'either' : b.expect;
  let ok = false;
  let result: unknown;
  try {
    const args = t.spec.params.map((p, i) =>
      i === at ? b!.value(env) : KINDS[p.kind]!.valid(env, t),
    );
    result = await execute(t, env, args);
    if (isEither(result) && E.isLeft(result)) throw result.left; // an error as data: judged alike
    ok = true;
  } catch (e) {
    if (b === undefined) problems.push(`the valid call failed: ${describeError(e)}`);
    else {
      const why = judge(e, t.names);
      if (why !== undefined) problems.push(why);
    }
  }
  if (ok) {
    if (expected === 'fail') problems.push('accepted');
    env.consumed = t.spec.params.some((p, i) => i !== at && CONSUMING.has(p.kind));
    try {
      if (t.spec.releasesStable) env.api.freeStablePtr(result as never)();
      else releaseResult(env, result, t.spec.releasesPtr);
    } catch (e) {
      problems.push(`releasing the result threw ${describeError(e)}`);
    }
  }
  problems.push(...env.release());
  try {
    w.heap.check();
  } catch (e) {
    problems.push(`heap.check() failed: ${describeError(e)}`);
  }
  const after = figures(w);
  for (const k of STAT_KEYS) {
    if (after.stats[k] !== before.stats[k])
      problems.push(`${k} changed from ${before.stats[k]} to ${after.stats[k]}`);
  }
  if (after.depth !== before.depth) problems.push(`alloca depth ${before.depth} → ${after.depth}`);
  if (after.stable !== before.stable)
    problems.push(`live StablePtrs ${before.stable} → ${after.stable}`);
  if (after.pending !== before.pending)
    problems.push(`pending finalizers ${before.pending} → ${after.pending}`);
  return problems;
};

// =================================================================================================
// The Storable instances and layouts: their codecs answer every value, and `poke` refuses what
// does not fit with a `MarshalError` naming `poke`.
// =================================================================================================

const SAMPLE_LAYOUTS: Record<string, Storable<any>> = {
  Pair,
  Either_,
  packed: packed({ a: CChar, b: CInt }),
  array: array(CInt, 2),
  'array of structs': array(Pair, 2),
  enumeration: enumeration(CInt, { A: 0, B: 1 }),
  chars: chars(4),
  'terminated chars': chars(4, { terminated: true }),
  aligned: aligned(16, CInt),
  asNumber: asNumber(Int64),
  'bit-fields': struct({ f: bits(CUInt, 3), g: bits(CUInt, 5), h: bits(CBool, 1) }),
  'hand-written': storable(HAND_WRITTEN as never),
  pick: pick(struct({ a: CInt, b: CDouble, c: bits(CUInt, 3) }), ['a', 'c']),
  'pick (zero)': pick(struct({ a: CInt, b: CDouble }), ['b'], { rest: 'zero' }),
  'tagged union': taggedUnion('kind', { A: [1, ArmA], B: [2, ArmB] }, { size: 24 }),
  nested: struct({ p: Pair, xs: array(CInt, 3), c: Char, u: Either_ }),
};

const storableInstances = (): Array<[string, Storable<any>]> => {
  const out: Array<[string, Storable<any>]> = [];
  for (const [k, v] of Object.entries(root)) {
    if (isStorable(v)) out.push([k, v as Storable<any>]);
    else if (isPlainObject(v)) {
      for (const [m, s] of Object.entries(v))
        if (isStorable(s)) out.push([`${k}.${m}`, s as Storable<any>]);
    }
  }
  return [...out, ...Object.entries(SAMPLE_LAYOUTS)];
};

// =================================================================================================

describe('the public surface under bad input', () => {
  it('describes every exported function, class and method', async () => {
    undescribed.length = 0;
    await allTargets();
    expect(undescribed).toEqual([]);
  });

  it('refuses every bad argument with a typed error naming the call, and loses nothing', async () => {
    undescribed.length = 0;
    const targets = await allTargets();
    expect(undescribed).toEqual([]);
    const failures: string[] = [];
    let pairs = 0;
    for (const t of targets) {
      for (const text of await callOnce(t)) failures.push(`${t.where} ${t.name} (valid): ${text}`);
      for (const [i, p] of t.spec.params.entries()) {
        for (const b of KINDS[p.kind]!.bad) {
          pairs += 1;
          for (const text of await callOnce(t, i, b))
            failures.push(`${t.where} ${t.name} arg ${i + 1} (${p.kind}) ${b.label}: ${text}`);
        }
      }
    }
    console.log(
      `surface: ${pairs} (function, bad input) pairs over ${targets.length} functions and ` +
        `methods (${new Set(targets.map((t) => t.name)).size} names), plus ${targets.length} valid calls`,
    );
    expect(failures).toEqual([]);
  });

  it('has codecs that answer every value, and poke refuses what does not fit', () => {
    const before = figures(TEST);
    const env = new Env(TEST);
    const all = Object.values(KINDS).flatMap((k) => k.bad.map((b) => b.value(env)));
    const probes = all.filter(
      (x, i) => typeof x === 'object' || all.findIndex((y) => Object.is(x, y)) === i,
    );
    const failures: string[] = [];
    let pairs = 0;
    for (const [name, S] of storableInstances()) {
      for (const x of probes) {
        pairs += 3;
        for (const [call, f] of [
          ['codec.is', () => S.codec.is(x)],
          ['codec.decode', () => S.codec.decode(x)],
        ] as const) {
          try {
            f();
          } catch (e) {
            failures.push(`${name}.${call}(${String(x)}) threw ${describeError(e)}`);
          }
        }
        try {
          TEST.api.poke(S, env.block as never, x)();
        } catch (e) {
          const why = judge(e, ['poke']);
          if (why !== undefined) failures.push(`poke(${name}, p, ${String(x)}): ${why}`);
        }
      }
    }
    failures.push(...env.release());
    TEST.heap.check();
    expect(figures(TEST)).toEqual(before);
    console.log(
      `surface: ${pairs} (instance method, value) pairs over ${storableInstances().length} instances`,
    );
    expect(failures).toEqual([]);
  });
});
