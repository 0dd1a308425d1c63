/**
 * foreign-ts: Haskell's Foreign libraries for TypeScript.
 *
 * @packageDocumentation
 */
export * from './memory/index.js';
export * from './heap/index.js';
export * from './foreign/index.js';
