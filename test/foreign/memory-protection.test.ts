/**
 * Every write of the Haskell face goes through the memory's write views: a context whose memory
 * is protected against writes (as an area pool without B_WRITE_AREA) refuses each poke with a
 * MemoryProtectionError naming the call, writes nothing, and leaves the heap as it was; reads
 * still work. A memory protected against reads refuses every peek.
 */
import { describe, expect, it } from 'vitest';
import {
  CInt,
  Double,
  Heap,
  Int32,
  Memory,
  MemoryProtectionError,
  Stack,
  foreign,
  freePool,
  pooledNew,
  pooledNewArray,
  pooledNewArray0,
  struct,
  type Ptr,
} from '../../src/index.js';
import { thrown } from '../support/thrown.js';

const Pair = struct({ a: Int32, b: Double });

const setup = (read: boolean, write: boolean) => {
  const heap = Heap.create();
  const memory = Memory.from(heap.memory.source);
  memory.protect({ read, write, reason: 'a test' });
  const f = foreign({ memory, allocator: heap, stack: new Stack(heap) });
  const open = foreign(heap);
  const p = open.mallocBytes(64)() as Ptr<any>;
  const q = open.mallocBytes(64)() as Ptr<any>;
  open.fillBytes(p, 7, 64)();
  f.allocaBytes(8, () => () => 0)(); // the stack takes its region now, not during a test
  return { heap, f, open, p, q };
};

const pick = (s: ReturnType<Heap['stats']>) => ({
  liveBlocks: s.liveBlocks,
  liveBytes: s.liveBytes,
  freeBytes: s.freeBytes,
  heapBytes: s.heapBytes,
});

/** Runs `run`, which must throw (or reject with) a MemoryProtectionError naming `call`. */
const refused = (
  heap: Heap,
  call: string,
  access: 'read' | 'write',
  run: () => unknown,
  sameBytes = true,
): void => {
  const before = heap.memory.views.u8.slice();
  const stats = heap.stats();
  const error = thrown(run);
  if (error === undefined) throw new Error(`${call} did not throw`);
  expect(error, call).toBeInstanceOf(MemoryProtectionError);
  expect(
    (error as MemoryProtectionError).message.startsWith(`${call}: `),
    (error as Error).message,
  ).toBe(true);
  expect((error as MemoryProtectionError).access).toBe(access);
  expect((error as Error).message).toMatch(/\(a test\)$/);
  // An allocation given back leaves the heap's free-list links in its bytes: only the figures
  // and the heap's invariants are the same then.
  const after = heap.memory.views.u8;
  if (sameBytes) expect(after.findIndex((b, i) => b !== before[i])).toBe(-1);
  if (sameBytes) expect(heap.stats()).toEqual(stats);
  else expect(pick(heap.stats())).toEqual(pick(stats)); // what was allocated was freed
  heap.check();
};

describe('a memory protected against writes', () => {
  it('refuses every poke of the Haskell face, writing nothing', () => {
    const { heap, f, p, q } = setup(true, false);
    const writes: [string, () => unknown][] = [
      ['poke', f.poke(CInt, p, 1)],
      ['pokeElemOff', f.pokeElemOff(CInt, p, 2, 1)],
      ['pokeByteOff', f.pokeByteOff(CInt, p, 4, 1)],
      ['unchecked.poke', f.unchecked.poke(CInt, p, 1)],
      ['unchecked.pokeElemOff', f.unchecked.pokeElemOff(CInt, p, 1, 1)],
      ['unchecked.pokeByteOff', f.unchecked.pokeByteOff(CInt, p, 8, 1)],
      ['either.poke', f.either.poke(CInt, p, 1)],
      ['either.pokeElemOff', f.either.pokeElemOff(CInt, p, 1, 1)],
      ['either.pokeByteOff', f.either.pokeByteOff(CInt, p, 8, 1)],
      ['poke', f.poke(Pair, p, { a: 1, b: 2 })],
      ['pokeArray', f.pokeArray(CInt, p, [1, 2, 3])],
      ['pokeArray0', f.pokeArray0(CInt, 0, p, [1, 2, 3])],
      ['copyBytes', f.copyBytes(q, p, 16)],
      ['moveBytes', f.moveBytes(q, p, 16)],
      ['fillBytes', f.fillBytes(q, 0, 16)],
      ['copyArray', f.copyArray(CInt, q, p, 4)],
      ['moveArray', f.moveArray(CInt, q, p, 4)],
    ];
    for (const [call, run] of writes) refused(heap, call, 'write', run);
  });

  it('refuses the allocations that write a value, and frees what they allocated', () => {
    const { heap, f } = setup(true, false);
    const writes: [string, () => unknown][] = [
      ['new', f.new(CInt, 5)],
      ['newArray', f.newArray(CInt, [1, 2])],
      ['newArray0', f.newArray0(CInt, 0, [1, 2])],
      ['newCString', f.newCString('hello')],
      ['newCStringLen', f.newCStringLen('hello')],
      ['with', f.with(CInt, 5, () => () => 0)],
      ['withArray', f.withArray(CInt, [1], () => () => 0)],
      ['withCString', f.withCString('hi', () => () => 0)],
    ];
    for (const [call, run] of writes) refused(heap, call, 'write', run, call.startsWith('with'));
  });

  it('refuses the pooled allocations that write a value, and keeps nothing in the pool', () => {
    const { heap, f } = setup(true, false);
    const pool = f.newPool()();
    for (const [call, run] of [
      ['pooledNew', pooledNew(CInt, pool, 5)],
      ['pooledNewArray', pooledNewArray(CInt, pool, [1, 2])],
      ['pooledNewArray0', pooledNewArray0(CInt, pool, 0, [1, 2])],
    ] as [string, () => unknown][])
      refused(heap, call, 'write', run, false);
    expect(pool.blocks.size).toBe(0);
    freePool(pool)();
  });

  it('still reads', () => {
    const { f, p } = setup(true, false);
    expect(f.peek(Int32, p)()).toBe(0x07070707);
    expect(f.peekArray(CInt, 2, p)()).toEqual([0x07070707, 0x07070707]);
  });
});

describe('a memory protected against reads', () => {
  it('refuses every peek, and still writes', () => {
    const { heap, f, open, p } = setup(false, true);
    for (const [call, run] of [
      ['peek', f.peek(CInt, p)],
      ['peekElemOff', f.peekElemOff(CInt, p, 1)],
      ['peekByteOff', f.peekByteOff(CInt, p, 4)],
      ['either.peek', f.either.peek(CInt, p)],
      ['peekArray', f.peekArray(CInt, 2, p)],
      ['peekCString', f.peekCString(p)],
    ] as [string, () => unknown][])
      refused(heap, call, 'read', run);
    f.poke(CInt, p, 99)();
    expect(open.peek(CInt, p)()).toBe(99);
  });
});

describe('Memory.protect', () => {
  it('gives refused accesses views that reach nothing, and full access back', () => {
    const memory = Memory.create();
    memory.protect({ read: true, write: false });
    expect(memory.writeViews.u8.length).toBe(0);
    expect(memory.views.u8.length).toBe(65536);
    expect(() => memory.ensureWritable(8, 4, 'poke')).toThrow(
      /^poke: 4 byte\(s\) at address 8 cannot be written: the memory is not writable$/,
    );
    memory.protect({ read: true, write: true });
    expect(memory.writeViews).toBe(memory.views);
    expect(memory.ensureWritable(8, 4)).toBe(memory.views);
    expect(memory.access).toEqual({ read: true, write: true });
    expect(() => memory.protect({ read: 'yes', write: true } as never)).toThrow(TypeError);
  });

  it('keeps the protection across growth', () => {
    const memory = Memory.create({ initialBytes: 65536, maxBytes: 4 * 65536 });
    memory.protect({ read: true, write: false, reason: 'frozen' });
    expect(memory.grow(3 * 65536)).toBe(true);
    expect(memory.views.u8.length).toBe(3 * 65536);
    expect(memory.writeViews.u8.length).toBe(0);
    expect(() => memory.ensureWritable(0, 1)).toThrow(/frozen/);
  });
});
