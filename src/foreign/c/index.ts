/**
 * `Foreign.C.Types` for the wasm32 and LP64 data models, and `Foreign.C.String` with its UTF-8
 * codecs (strict, and replacing malformed input with U+FFFD).
 *
 * @packageDocumentation
 */
export * from './types.js';
export * from './string.js';
export * from './utf8.js';
export * from './utf8-replace.js';
export * from './wide-string.js';
export * from './ascii-string.js';
export * from './error.js';
export * from './errno-values.js';
