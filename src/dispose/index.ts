/**
 * The keys of explicit resource management (`Symbol.dispose`, `Symbol.asyncDispose`) and the
 * types of what `using` and `await using` release (`Releasable`, `AsyncReleasable`), written so
 * that the published types need no lib that declares them. A leaf: area/ (its module) and
 * foreign/ (pools, scoped values) use it; it imports nothing.
 *
 * @internal
 * @packageDocumentation
 */
export {
  asyncDisposeKey,
  disposeKey,
  disposeNow,
  type AsyncDisposeKey,
  type AsyncReleasable,
  type DisposeKey,
  type Releasable,
} from './dispose.js';
