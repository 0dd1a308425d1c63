/**
 * Replacing the default context (`setDefaultContext`, `withDefaultContext`): the package root's
 * functions rebind to the replacement and back, the original is restored on every path, and
 * the replacement is refused while an alloca bracket is open on the default stack.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CInt,
  Heap,
  alloca,
  contextOf,
  foreign,
  free,
  malloc,
  newArray,
  newContext,
} from 'foreign-ts';
import {
  al_free,
  al_malloc,
  contextWithInterface,
  countingInterface,
  defaultContext,
  defaultHeap,
  heapInterface,
  setDefaultContext,
  setHeapContextHook,
  withDefaultContext,
  type Context,
  type CountingInterface,
} from 'foreign-ts/interface';

/** A context over the default heap whose door counts: what the root's functions went through. */
const counted = (): { ctx: Context; counting: CountingInterface } => {
  const counting = countingInterface(heapInterface(defaultHeap()));
  return { ctx: contextWithInterface(defaultContext(), counting), counting };
};

/** A root allocation and its free: one `mi_malloc` and one `mi_free` of the default's door. */
const rootRoundTrip = (): void => free(malloc(CInt)())();

alloca(CInt, () => () => 0)(); // the original default stack takes its region, for good
const baseline = defaultHeap().stats().liveBlocks;

afterEach(() => {
  setDefaultContext(null);
  expect(defaultHeap().stats().liveBlocks).toBe(baseline);
  defaultHeap().check();
});

describe('setDefaultContext', () => {
  it('rebinds the root functions to the replacement, and back with null', () => {
    const original = defaultContext();
    rootRoundTrip(); // the families are bound to the original first
    const { ctx, counting } = counted();
    setDefaultContext(ctx);
    expect(defaultContext()).toBe(ctx);
    expect(defaultHeap().memory).toBe(original.memory); // the heap stays the original
    rootRoundTrip();
    expect(counting.counts()).toMatchObject({ mi_malloc: 1, mi_free: 1, live: 0 });
    setDefaultContext(null);
    expect(defaultContext()).toBe(original);
    rootRoundTrip();
    expect(counting.counts().mi_malloc).toBe(1); // the original again: the door saw nothing
    ctx.stack.dispose();
  });

  it('takes the original back by name as well as by null', () => {
    const original = defaultContext();
    const { ctx } = counted();
    setDefaultContext(ctx);
    setDefaultContext(original);
    expect(defaultContext()).toBe(original);
  });

  it('puts the alloca brackets of the root on the replacement stack', () => {
    const { ctx, counting } = counted();
    setDefaultContext(ctx);
    alloca(CInt, () => () => expect(ctx.stack.depth).toBe(1))();
    expect(counting.counts().mi_malloc).toBe(1); // the replacement stack's region
    ctx.stack.dispose();
    expect(counting.counts()).toMatchObject({ mi_free: 1, live: 0 });
  });

  it('is refused, replacing nothing, while an alloca bracket is open on the default stack', () => {
    const original = defaultContext();
    const { ctx } = counted();
    alloca(CInt, () => () => {
      expect(() => setDefaultContext(ctx)).toThrow(/^setDefaultContext: an alloca bracket is open/);
      expect(() => withDefaultContext(ctx, () => 0)).toThrow(/^withDefaultContext: an alloca/);
    })();
    expect(defaultContext()).toBe(original);
    setDefaultContext(ctx);
    const mark = ctx.stack.mark(); // a bracket open on the replacement
    expect(() => setDefaultContext(null)).toThrow(/^setDefaultContext: .*\(depth 1\)/);
    expect(defaultContext()).toBe(ctx);
    ctx.stack.release(mark);
    setDefaultContext(null);
    ctx.stack.dispose();
  });

  it('refuses what is not a context with a TypeError naming it', () => {
    const original = defaultContext();
    for (const bad of [undefined, 5, 'ctx', {}, { memory: defaultHeap().memory }]) {
      expect(() => setDefaultContext(bad as never)).toThrow(TypeError);
      expect(() => setDefaultContext(bad as never)).toThrow(/^setDefaultContext: /);
    }
    expect(defaultContext()).toBe(original);
  });

  it('leaves the al_* functions on the original heap when no interface is installed', () => {
    const { ctx, counting } = counted();
    setDefaultContext(ctx);
    al_free(al_malloc(16));
    expect(counting.counts().mi_malloc).toBe(0);
  });

  it('catches a block freed through another context than the one that gave it', () => {
    const p = newArray(CInt, [1, 2])(); // from the original
    const { ctx } = counted();
    setDefaultContext(ctx);
    expect(() => free(p)()).toThrow(/^free: .*memory interface/);
    setDefaultContext(null);
    free(p)();
  });
});

describe('withDefaultContext', () => {
  it('runs the program over ctx, returns its value and restores the previous context', () => {
    const original = defaultContext();
    const { ctx, counting } = counted();
    expect(withDefaultContext(ctx, () => (rootRoundTrip(), defaultContext()))).toBe(ctx);
    expect(defaultContext()).toBe(original);
    expect(counting.counts().mi_malloc).toBe(1);
  });

  it('nests: the inner bracket restores the outer context', () => {
    const a = counted();
    const b = counted();
    withDefaultContext(a.ctx, () => {
      withDefaultContext(b.ctx, () => {
        expect(defaultContext()).toBe(b.ctx);
        rootRoundTrip();
      });
      expect(defaultContext()).toBe(a.ctx);
      rootRoundTrip();
    });
    expect(a.counting.counts().mi_malloc).toBe(1);
    expect(b.counting.counts().mi_malloc).toBe(1);
  });

  it('restores on a throw, and the error goes through as it is', () => {
    const original = defaultContext();
    const { ctx } = counted();
    const boom = new Error('boom');
    expect(() =>
      withDefaultContext(ctx, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(defaultContext()).toBe(original);
  });

  it('restores once a returned promise settles, resolved or rejected', async () => {
    const original = defaultContext();
    const { ctx, counting } = counted();
    const pending = withDefaultContext(ctx, async () => {
      await new Promise((r) => setTimeout(r, 1));
      rootRoundTrip();
      return 7;
    });
    expect(defaultContext()).toBe(ctx); // until it settles
    await expect(pending).resolves.toBe(7);
    expect(defaultContext()).toBe(original);
    expect(counting.counts().mi_malloc).toBe(1);
    await expect(withDefaultContext(ctx, () => Promise.reject(new Error('no')))).rejects.toThrow(
      'no',
    );
    expect(defaultContext()).toBe(original);
  });

  it('refuses to restore while the program left a bracket open on ctx', () => {
    const { ctx } = counted();
    const m = ctx.stack.depth;
    let mark = 0 as ReturnType<typeof ctx.stack.mark>;
    expect(() =>
      withDefaultContext(ctx, () => {
        mark = ctx.stack.mark();
      }),
    ).toThrow(/^withDefaultContext: an alloca bracket is open .*\(depth 1\)/);
    expect(defaultContext()).toBe(ctx);
    ctx.stack.release(mark);
    expect(ctx.stack.depth).toBe(m);
    setDefaultContext(null);
    ctx.stack.dispose();
  });

  it('says what the program threw when it refuses to restore after it', () => {
    const { ctx } = counted();
    const boom = new Error('boom');
    let mark = 0 as ReturnType<typeof ctx.stack.mark>;
    let thrown: unknown;
    try {
      withDefaultContext(ctx, () => {
        mark = ctx.stack.mark();
        throw boom;
      });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).message).toMatch(/^withDefaultContext: an alloca bracket is open/);
    expect((thrown as Error).cause).toBe(boom);
    ctx.stack.release(mark);
    setDefaultContext(null);
    ctx.stack.dispose();
  });

  it('counts only the brackets the program opened', () => {
    const { ctx } = counted();
    const before = ctx.stack.mark(); // open before ctx became the default
    expect(withDefaultContext(ctx, () => 1)).toBe(1);
    ctx.stack.release(before);
    ctx.stack.dispose();
  });

  it('refuses a program that is not a function, and a ctx that is not a context', () => {
    const original = defaultContext();
    expect(() => withDefaultContext(counted().ctx, 5 as never)).toThrow(
      /^withDefaultContext: program 5 is not a function/,
    );
    expect(() => withDefaultContext(null as never, () => 0)).toThrow(/^withDefaultContext: /);
    expect(() => withDefaultContext({} as never, () => 0)).toThrow(TypeError);
    expect(defaultContext()).toBe(original);
  });
});

describe('setHeapContextHook', () => {
  afterEach(() => setHeapContextHook(null));

  it('is consulted by contextOf, foreign(heap) and newContext, not for its own contexts', () => {
    const seen: Heap[] = [];
    const made: Context[] = [];
    setHeapContextHook((ctx, heap) => {
      seen.push(heap);
      const inner = contextOf(heap); // made by the hook: not given to it again
      expect(inner.allocator).toBe(heap);
      const c = contextWithInterface(ctx, countingInterface(heapInterface(heap)));
      made.push(c);
      return c;
    });
    const heap = Heap.create();
    expect(contextOf(heap)).toBe(made[0]);
    const api = foreign(heap);
    expect(api.context).toBe(made[1]);
    newContext();
    contextWithInterface(heap.memory, heapInterface(heap)); // a door of its own: not consulted
    expect(seen.length).toBe(3);
    expect(seen[0]).toBe(heap);
    setHeapContextHook(null);
    expect(contextOf(heap).allocator).toBe(heap);
    expect(seen.length).toBe(3);
  });

  it('refuses a hook that is not a function, and a hook that returns no context', () => {
    for (const bad of [undefined, 5, 'hook', {}]) {
      expect(() => setHeapContextHook(bad as never)).toThrow(/^setHeapContextHook: /);
    }
    setHeapContextHook(() => ({}) as never);
    expect(() => foreign(Heap.create())).toThrow(/^contextOf: .* is not a context/);
  });
});

/** A tree of nested brackets, each of which may throw after its children. */
interface Bracket {
  readonly throws: boolean;
  readonly children: readonly Bracket[];
}

/** Trees of brackets at most `depth` deep. */
const bracketTree = (depth: number): fc.Arbitrary<Bracket> =>
  fc.record({
    throws: fc.boolean(),
    children: depth === 0 ? fc.constant([]) : fc.array(bracketTree(depth - 1), { maxLength: 3 }),
  });

describe('the law of the bracket', () => {
  it('inside a bracket the default is its context; after it, the one before, on every path', () => {
    fc.assert(
      fc.property(bracketTree(3), (tree) => {
        const original = defaultContext();
        const contexts: Context[] = [];
        const run = (b: Bracket): void => {
          const { ctx, counting } = counted();
          contexts.push(ctx);
          const before = defaultContext();
          try {
            withDefaultContext(ctx, () => {
              expect(defaultContext()).toBe(ctx);
              rootRoundTrip();
              for (const c of b.children) run(c);
              expect(defaultContext()).toBe(ctx);
              if (b.throws) throw new Error('thrown');
            });
          } catch (e) {
            expect((e as Error).message).toBe('thrown');
          }
          expect(defaultContext()).toBe(before);
          expect(counting.counts()).toMatchObject({ mi_malloc: 1, mi_free: 1, live: 0 });
        };
        run(tree);
        expect(defaultContext()).toBe(original);
        for (const c of contexts) c.stack.dispose();
      }),
    );
  });
});
