/**
 * Facts about instances that both layout compilers need: how wide their widest machine access
 * is, and whether reading them can fail.
 *
 * @since 0.1.0
 */
import { scalarSize, type Storable } from '../storable/index.js';

/**
 * The width in bytes of the widest typed-array access a read or write of `S` makes (1 when it
 * only touches bytes, or is not described by a layout). An address aligned to it (and to `S`)
 * lets every naturally placed member use the typed-array views.
 *
 * @category utils
 * @since 0.1.0
 */
export const accessWidth = (S: Storable<any>): number => {
  const layout = S.layout;
  switch (layout?.tag) {
    case 'scalar':
      return layout.kind === 'i64n' || layout.kind === 'u64n' ? 4 : scalarSize[layout.kind];
    case 'enum':
      return accessWidth(layout.base);
    case 'aligned':
      return accessWidth(layout.inner);
    case 'array':
      return accessWidth(layout.element);
    case 'struct':
      return Math.max(
        1,
        ...layout.members.map((m) => (m.tag === 'bits' ? 1 : accessWidth(m.storable))),
      );
    case 'union':
      return Math.max(1, ...layout.members.map((m) => accessWidth(m.storable)));
    default:
      return 1;
  }
};

/**
 * Whether reading `S` can throw a `MarshalError` (bytes that encode no value): `CBool`, `Char`,
 * the `number` flavours of 64-bit integers, enumerations, `chars`, instances without a layout,
 * and anything containing one of them (a union only when every member can fail).
 *
 * @category utils
 * @since 0.1.0
 */
export const readCanFail = (S: Storable<any>): boolean => {
  const layout = S.layout;
  switch (layout?.tag) {
    case undefined:
      return true;
    case 'scalar':
      return /^(bool8|char32|i64n|u64n)$/.test(layout.kind);
    case 'aligned':
      return readCanFail(layout.inner);
    case 'array':
      return layout.length > 0 && readCanFail(layout.element);
    case 'struct':
      return layout.members.some((m) =>
        m.tag === 'bits' ? m.kind === 'i64n' || m.kind === 'u64n' : readCanFail(m.storable),
      );
    case 'union':
      return layout.members.every((m) => readCanFail(m.storable)); // fails when all fail
    default:
      return true;
  }
};
