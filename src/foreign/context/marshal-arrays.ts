/**
 * The `Foreign.Marshal.Array` family of a context, with `pokeArray`'s compiled array writers
 * registered: the writer generator (layout/) is reached only from here, so a page that makes
 * no array family (`alloca`, `peek`, `poke` and a struct alone) does not carry it.
 *
 * @since 0.1.0
 */
import type { Context } from '../../interface/index.js';
import { compileArrayWriter } from '../layout/index.js';
import { marshalArray, type MarshalAlloc, type MarshalArray } from '../marshal/index.js';
import { registerArrayWriters } from '../storable/index.js';

/**
 * `marshalArray(ctx, alloc)`, after recording the layouts' compiler of array writers.
 *
 * @internal
 */
export const marshalArrays = (ctx: Context, alloc: MarshalAlloc): MarshalArray => {
  registerArrayWriters(compileArrayWriter);
  return marshalArray(ctx, alloc);
};
