/**
 * A copy between regions that overlap where the function requires them not to (`copyBytes`,
 * `copyArray`; Haskell leaves the result undefined). Nothing is copied. `moveBytes` and
 * `moveArray` accept overlapping regions.
 *
 * @category errors
 * @since 0.1.0
 */
export class OverlapError extends RangeError {
  override readonly name = 'OverlapError';
  constructor(
    readonly call: string,
    readonly dest: number,
    readonly src: number,
    readonly size: number,
  ) {
    super(
      `${call}: [${src}, ${src + size}) and [${dest}, ${dest + size}) overlap; ` +
        `use ${call.replace('copy', 'move')} for overlapping regions`,
    );
  }
}
