/**
 * The pieces of FreeBSD's kernel `printf` and of vmstat's `printf` formats that the messages and
 * tables use.
 */

/**
 * `%p` and `%#x`: `0x` and lowercase hexadecimal, but a plain `0` for zero (the `#` flag adds the
 * prefix only to non-zero values, in FreeBSD's kvprintf as in C).
 *
 * @internal
 */
export const hex = (value: number | bigint): string =>
  value === 0 || value === 0n ? '0' : `0x${value.toString(16)}`;

/**
 * `%Ns`, `%Nju`: right-justified in `width` columns (never cut).
 *
 * @internal
 */
export const right = (value: string | number | bigint, width: number): string =>
  String(value).padStart(width);

/**
 * `%-Ns`: left-justified in `width` columns (never cut).
 *
 * @internal
 */
export const left = (value: string, width: number): string => value.padEnd(width);

/**
 * `byte%s`: the plural of FreeBSD's messages.
 *
 * @internal
 */
export const plural = (n: number): string => (n === 1 ? '' : 's');
