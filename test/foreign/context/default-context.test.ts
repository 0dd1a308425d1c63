import { describe, expect, it } from 'vitest';
import * as root from '../../../src/index.js';
import {
  CInt,
  alloca,
  defaultForeign,
  defaultHeap,
  either,
  free,
  mallocBytes,
  peek,
  poke,
  unchecked,
} from '../../../src/index.js';
import { refusal } from '../../support/thrown.js';

describe('the default context', () => {
  it('is made on first use and the root functions use it', () => {
    const value = alloca(CInt, (p) => () => {
      poke(CInt, p, 77)();
      return peek(CInt, p)();
    })();
    expect(value).toBe(77);
    const before = defaultHeap().stats().liveBlocks;
    const p = mallocBytes(16)();
    expect(defaultHeap().stats().liveBlocks).toBe(before + 1);
    free(p)();
    defaultHeap().check();
  });

  it('exports with and new under their Haskell names and as with_ and new_', () => {
    expect(root.with).toBe(root.with_);
    expect(root.new).toBe(root.new_);
    const p = root.new(CInt, 5)();
    expect(root.with(CInt, 6, (q) => () => peek(CInt, q)() + peek(CInt, p)())()).toBe(11);
    free(p)();
  });

  it('binds every function of the either and unchecked objects', () => {
    expect(Object.keys(either).sort()).toEqual(Object.keys(defaultForeign().either).sort());
    expect(Object.keys(unchecked).sort()).toEqual(Object.keys(defaultForeign().unchecked).sort());
  });

  it('binds every function of the API at the root', () => {
    const api = defaultForeign();
    const missing = Object.keys(api).filter(
      (k) => typeof (api as unknown as Record<string, unknown>)[k] === 'function' && !(k in root),
    );
    expect(missing).toEqual([]);
  });
});

describe('contexts', () => {
  it('foreign, contextOf and newContext refuse what they cannot use, naming themselves', () => {
    const heap = root.Heap.create();
    for (const ctx of [null, undefined, 'ctx', {}, heap.memory, { memory: heap.memory }]) {
      refusal(() => root.foreign(ctx as never), TypeError, 'foreign');
    }
    for (const h of [null, 'heap', {}, heap.memory])
      refusal(() => root.contextOf(h as never), TypeError, 'contextOf');
    refusal(() => root.contextOf(heap, { size: -1 }), RangeError, 'contextOf');
    refusal(() => root.contextOf(heap, null as never), TypeError, 'contextOf');
    refusal(() => root.newContext({ initialBytes: -1 }), RangeError, 'newContext');
    refusal(() => root.newContext(null as never), TypeError, 'newContext');
    refusal(() => root.newContext({ maxBytes: null } as never), RangeError, 'newContext');
    // a context made by another copy of the library is recognised by its parts
    const ctx = root.contextOf(heap);
    expect(root.foreign({ ...ctx }).context.memory).toBe(heap.memory);
  });
});
