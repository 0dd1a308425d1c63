/**
 * The keys of explicit resource management (`using` and `await using`): `Symbol.dispose` and
 * `Symbol.asyncDispose`. Node 20 defines them (as `Symbol.for('nodejs.dispose')` and
 * `Symbol.for('nodejs.asyncDispose')`); where a runtime does not, these are the registered
 * symbols `Symbol.for('Symbol.dispose')` and `Symbol.for('Symbol.asyncDispose')`, the ones
 * esbuild's `using` helper falls back to. The library defines no global.
 *
 * @since 0.1.0
 */

/**
 * `Symbol.dispose`, or its registered fallback.
 *
 * @internal
 */
export const disposeKey: typeof Symbol.dispose =
  Symbol.dispose ?? (Symbol.for('Symbol.dispose') as typeof Symbol.dispose);

/**
 * `Symbol.asyncDispose`, or its registered fallback.
 *
 * @internal
 */
export const asyncDisposeKey: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? (Symbol.for('Symbol.asyncDispose') as typeof Symbol.asyncDispose);

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
