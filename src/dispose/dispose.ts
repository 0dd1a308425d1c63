/**
 * The keys of explicit resource management (`using` and `await using`): `Symbol.dispose` and
 * `Symbol.asyncDispose`. Node 20 defines them (as `Symbol.for('nodejs.dispose')` and
 * `Symbol.for('nodejs.asyncDispose')`); where a runtime does not, these are the registered
 * symbols `Symbol.for('Symbol.dispose')` and `Symbol.for('Symbol.asyncDispose')`, the ones
 * esbuild's `using` helper falls back to. The library defines no global.
 *
 * Their types are written so that the published `.d.ts` files compile under any lib from
 * ES2022 on, with or without DOM, with `skipLibCheck` off: where the consumer's lib declares
 * `Symbol.dispose` (ESNext.Disposable, ESNext, or `@types/node`), {@link DisposeKey} is its type,
 * so scoped values and pools are `Disposable` to the consumer's TypeScript and `using` accepts
 * them; where it does not, the key is a symbol of its own and nothing names a missing global.
 *
 * @since 0.1.0
 */

declare const _ownDisposeKey: unique symbol;
declare const _ownAsyncDisposeKey: unique symbol;

/**
 * The type of `Symbol.dispose` when the lib in use declares it, else a unique symbol of this
 * library's own.
 *
 * @internal
 */
export type DisposeKey = SymbolConstructor extends { readonly dispose: infer K extends symbol }
  ? K
  : typeof _ownDisposeKey;

/**
 * The type of `Symbol.asyncDispose` when the lib in use declares it, else a unique symbol of
 * this library's own.
 *
 * @internal
 */
export type AsyncDisposeKey = SymbolConstructor extends {
  readonly asyncDispose: infer K extends symbol;
}
  ? K
  : typeof _ownAsyncDisposeKey;

/**
 * `Symbol.dispose`, or its registered fallback.
 *
 * @internal
 */
export const disposeKey: DisposeKey = (Symbol.dispose ??
  Symbol.for('Symbol.dispose')) as DisposeKey;

/**
 * `Symbol.asyncDispose`, or its registered fallback.
 *
 * @internal
 */
export const asyncDisposeKey: AsyncDisposeKey = (Symbol.asyncDispose ??
  Symbol.for('Symbol.asyncDispose')) as AsyncDisposeKey;

/**
 * Something released by `using`: what the lib's `Disposable` is, stated here so that the
 * published types need no lib that declares it.
 *
 * @since 0.1.0
 */
export interface Releasable {
  /** Releases it (`Symbol.dispose`). */
  [disposeKey](): void;
}

/**
 * Something released by `await using`: what the lib's `AsyncDisposable` is, stated here so
 * that the published types need no lib that declares it.
 *
 * @since 0.1.0
 */
export interface AsyncReleasable {
  /** Releases it (`Symbol.asyncDispose`); the promise settles when it is released. */
  [asyncDisposeKey](): PromiseLike<void>;
}

/**
 * `dispose()` as a promise, for `[Symbol.asyncDispose]` of a resource that is released at once:
 * resolved after it returns, rejected with what it throws.
 *
 * @internal
 */
export const disposeNow = (dispose: () => void): Promise<void> => {
  try {
    dispose();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
};
