/**
 * The context the Haskell face is bound to: `foreign(ctx)`, the default context, and the
 * package root's functions bound to it. The `Context` itself (a memory, its door, an alloca
 * stack) and `contextOf` are defined by the door, in `interface/`, and shown here.
 *
 * @packageDocumentation
 */
export { contextOf, newContext, type Allocator, type Context } from '../../interface/index.js';
export { foreign, type EitherFunctions, type Foreign } from './foreign.js';
export { defaultContext, defaultForeign, defaultHeap } from './default-context.js';
export * from './root-functions.js';
