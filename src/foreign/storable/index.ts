/**
 * `Foreign.Storable`: the `Storable` instance (a dictionary passed by value) and the description
 * of its bytes, the instances of Haskell's fixed-size types, the scalar readers and writers,
 * the bounds-checked access every peek and poke goes through, `peek` and `poke` as `IO`
 * programs, and `MarshalError`.
 *
 * @packageDocumentation
 */
export * from './instance.js';
export * from './layout-description.js';
export * from './marshal-error.js';
export * from './scalars.js';
export * from './primitives.js';
export * from './access.js';
export * from './peek-poke.js';
export * from './array-writer.js';
