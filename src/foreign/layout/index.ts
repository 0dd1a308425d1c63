/**
 * Layout combinators: structs, unions, arrays, bit-fields, enumerations, `char[n]` strings and
 * raised alignment, compiled to straight-line code or interpreted.
 *
 * @packageDocumentation
 */
export { struct, packed } from './struct.js';
export { offsetOf } from './offset.js';
export type { Struct, StructOptions, StructValue, Member, Members } from './struct.js';
export { union } from './union.js';
export type { Union, UnionOptions, UnionValue, UnionMembers } from './union.js';
export { array } from './array.js';
export type { FixedArray } from './array.js';
export { bits, unnamedBits } from './bitfield.js';
export { anonymous } from './anonymous.js';
export type { Anonymous, AnonymousValues, AnonymousKeys } from './anonymous.js';
export type { BitField, UnnamedBits } from './bitfield.js';
export { enumeration } from './enum.js';
export type { Enumeration } from './enum.js';
export { chars } from './chars.js';
export type { Chars, CharsOptions } from './chars.js';
export { aligned } from './aligned.js';
export type { Aligned } from './aligned.js';
export { fieldAccess, fieldOffset, fieldPtr, FIELD_ACCESS_KEYS } from './field.js';
export type { FieldAccess, PathArg } from './field.js';
export type { FieldKey, FieldPath, FieldValue, BytePath } from './path.js';
export { storable } from './hand-written.js';
export type { StorableDefinition, InstanceMemory } from './hand-written.js';
export { pick } from './pick.js';
export type { PickOptions, PickRest } from './pick.js';
export { taggedUnion } from './tagged.js';
export type {
  TaggedUnion,
  TaggedUnionOptions,
  TaggedArm,
  TaggedArms,
  TaggedValue,
} from './tagged.js';
export {
  compileArrayWriter,
  compileLayout,
  setLayoutCompiler,
  getLayoutCompiler,
  codegenAvailable,
  LayoutType,
} from './compile.js';
export type { Compiled, LayoutCompiler } from './compile.js';
export type {
  Layout,
  ScalarKind,
  IntegerKind,
  ScalarLayout,
  StructLayout,
  FieldLayout,
  BitsLayout,
  SpreadLayout,
  UnionLayout,
  UnionMemberLayout,
  ArrayLayout,
  EnumLayout,
  CharsLayout,
  AlignedLayout,
} from '../storable/index.js';
