/**
 * The finalizers of one context: the `FinalizationRegistry` that runs them when a `ForeignPtr`
 * becomes unreachable, and the set of those still pending, so that `shutdown` can run them all
 * (as GHC runs C finalizers at exit) and a program can end with no live blocks.
 *
 * @since 0.1.0
 */
import type { Context } from '../../interface/index.js';

/** What a finalizer run reports when a finalizer throws during garbage collection. */
export type FinalizerErrorHandler = (error: unknown) => void;

/**
 * The finalizer state shared by a `ForeignPtr` and everything made from it (`plusForeignPtr`,
 * `castForeignPtr`). It must never reference a `ForeignPtr`: the registry holds it strongly.
 *
 * @internal
 */
export class FinalizerState {
  /** Finalizers, latest first; `undefined` once they have run. */
  finalizers: (() => void)[] | undefined = [];
  /** The kind of the finalizers, once one is added: GHC refuses to mix them. */
  kind: 'c' | 'js' | undefined;
  /** Registered with the registry (the first finalizer was added). */
  registered = false;
  /** When the foreign pointer was made, among those of its context: the order of `shutdown`. */
  readonly serial: number;

  constructor(
    /** The address the foreign pointer was made with: what C finalizers receive. */
    readonly address: number,
    /**
     * The finalizers of its context; `undefined` for a final pointer (`nullForeignPtr`), which
     * belongs to no context and takes no finalizer (GHC's `FinalPtr`).
     */
    readonly lifetimes: Lifetimes | undefined,
  ) {
    this.serial = lifetimes === undefined ? -1 : lifetimes.nextSerial();
  }

  get finalized(): boolean {
    return this.finalizers === undefined;
  }

  /**
   * Runs the finalizers, latest first, at most once. All of them run even when some throw;
   * the errors are returned.
   */
  run(): unknown[] {
    if (this.lifetimes === undefined) return []; // a final pointer: finalizing it does nothing
    const finalizers = this.finalizers;
    this.finalizers = undefined;
    this.lifetimes.forget(this);
    const errors: unknown[] = [];
    for (const finalize of finalizers ?? []) {
      try {
        finalize();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}

/**
 * The finalizers of one context.
 *
 * @internal
 */
export class Lifetimes {
  constructor(
    /** The context the foreign pointers belong to: where their `finalizerFree` frees. */
    readonly context: Context,
  ) {}

  private readonly pending = new Set<FinalizerState>();
  private made = 0;
  private readonly registry = new FinalizationRegistry<FinalizerState>((state) => {
    for (const error of state.run()) this.onError(error);
  });

  /** Where errors of finalizers run by the garbage collector go. Default: `console.error`. */
  onError: FinalizerErrorHandler = (error) => {
    console.error('foreign-ts: a finalizer threw when its ForeignPtr was collected:', error);
  };

  /** The serial of the next foreign pointer made in this context. */
  nextSerial(): number {
    return this.made++;
  }

  /** Starts watching `target` (an object with identity that shares `state`). */
  watch(target: object, state: FinalizerState): void {
    if (state.registered) return;
    state.registered = true;
    this.pending.add(state);
    this.registry.register(target, state, state);
  }

  /** Stops watching `state` (its finalizers have run). */
  forget(state: FinalizerState): void {
    if (!state.registered) return;
    this.pending.delete(state);
    this.registry.unregister(state);
  }

  /** How many foreign pointers have finalizers that have not run. */
  get size(): number {
    return this.pending.size;
  }

  /**
   * Runs every pending finalizer now, as GHC's runtime does at exit: the foreign pointers in the
   * order they were made, the oldest first (a `ForeignPtr` made by `newForeignPtr_` counts from
   * when it was made, not from its first finalizer), and within one the latest-added finalizer
   * first. Returns the errors of those that threw (all run regardless).
   */
  shutdown(): unknown[] {
    const states = [...this.pending].sort((a, b) => a.serial - b.serial);
    return states.flatMap((state) => state.run());
  }
}

const byContext = new WeakMap<Context, Lifetimes>();

/**
 * The finalizers of a context (made on first use).
 *
 * @internal
 */
export const lifetimesOf = (ctx: Context): Lifetimes => {
  let lifetimes = byContext.get(ctx);
  if (lifetimes === undefined) {
    lifetimes = new Lifetimes(ctx);
    byContext.set(ctx, lifetimes);
  }
  return lifetimes;
};
