/** The types of layers.js (the layer rules of src/, an ESLint plugin). */
export interface Unit {
  readonly name: string;
  readonly rank: number;
}
export declare const LAYERS: readonly Unit[];
export declare const FOREIGN_UNITS: readonly Unit[];
export declare const violation: (
  importer: string,
  target: string,
  srcRoot: string,
) => string | null;
declare const plugin: { rules: Record<string, unknown> };
export default plugin;
