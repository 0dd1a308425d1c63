/**
 * What the two layout compilers need of the members that only one combinator makes: `char[n]`
 * strings (`chars`) and bit-fields (`bits`). A layout of either kind exists only once its
 * combinator's module has run, so each module puts its functions here as it loads, and the
 * compilers find them here. That keeps them out of a page that never makes such a member: a
 * bundle with one plain `struct` carries neither UTF-8 nor the bit-field code (3.3 KiB of it,
 * minified).
 *
 * @since 0.1.0
 */
import type { Views } from '../../memory/index.js';
import type { BitsLayout, CharsLayout, Site } from '../storable/index.js';

/**
 * Where a bit-field's bits are: its first byte in the struct, the shift of its lowest bit in
 * that byte, how many bytes it touches, and whether it fits a 32-bit integer read.
 *
 * @category model
 * @since 0.1.0
 */
export interface BitsAccess {
  readonly byte: number;
  readonly shift: number;
  readonly nbytes: number;
  readonly narrow: boolean;
}

/**
 * The functions of a `chars` layout (layout/chars.ts).
 *
 * @category model
 * @since 0.1.0
 */
export interface CharsMembers {
  readonly fit: (layout: CharsLayout) => (s: string) => boolean;
  readonly reader: (layout: CharsLayout, site: Site) => (u8: Uint8Array, p: number) => string;
  readonly writer: (layout: CharsLayout) => (u8: Uint8Array, p: number, s: string) => void;
}

/**
 * The functions of a bit-field (layout/bitfield.ts).
 *
 * @category model
 * @since 0.1.0
 */
export interface BitsMembers {
  readonly access: (field: BitsLayout) => BitsAccess;
  readonly isSource: (kind: BitsLayout['kind'], width: number, x: string) => string;
  readonly reader: (field: BitsLayout, site: Site) => (v: Views, p: number) => any;
  readonly writer: (field: BitsLayout) => (v: Views, p: number, x: any) => void;
}

const kinds: { chars?: CharsMembers; bits?: BitsMembers } = {};

/**
 * Records the functions of one kind of member: called once, by the module of its combinator,
 * as it loads.
 *
 * @internal
 */
export const registerMembers = <K extends keyof typeof kinds>(
  kind: K,
  members: NonNullable<(typeof kinds)[K]>,
): void => {
  kinds[kind] = members;
};

/**
 * The functions of a kind of member the compilers met in a layout. Throws a `TypeError` naming
 * `compileLayout` for a layout that claims a kind whose combinator was never loaded (a layout
 * written by hand, not made by `chars` or `bits`).
 *
 * @internal
 */
export const membersOf = <K extends keyof typeof kinds>(
  kind: K,
): NonNullable<(typeof kinds)[K]> => {
  const members = kinds[kind];
  if (members === undefined) {
    throw new TypeError(`compileLayout: a ${kind} layout that ${kind}() did not make`);
  }
  return members as NonNullable<(typeof kinds)[K]>;
};
