/**
 * The layer rules of src/, enforced by ESLint (`layers/imports`, in eslint.config.js): a layer
 * imports only from the layers below it, and from another folder only through its `index.ts`.
 * Inside foreign/, its folders follow the same rules among themselves. CONTRIBUTING.md ("Where
 * code goes") shows these tables; test/lint/layers.test.ts checks that the linter refuses a
 * forbidden import and that the tables here and there agree.
 */
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * The layers of src/, bottom first: a layer may import the layers of a lower rank. Layers of one
 * rank are siblings and know nothing of each other.
 */
export const LAYERS = [
  { name: 'arguments', rank: 0 },
  { name: 'mutex', rank: 0 },
  { name: 'dispose', rank: 0 },
  { name: 'memory', rank: 1 },
  { name: 'heap', rank: 2 },
  { name: 'kernel', rank: 3 },
  { name: 'area', rank: 3 },
  { name: 'interface', rank: 4 },
  { name: 'foreign', rank: 5 },
  { name: 'wasm', rank: 6 },
  { name: 'cli', rank: 7 },
];

/**
 * The units of foreign/, bottom first, with the same rule. `ptr.ts` and `stable-ptr.ts` are files
 * (a file is its own face); `index.ts` is the face of foreign/ and may import every unit.
 */
export const FOREIGN_UNITS = [
  { name: 'ptr.ts', rank: 0 },
  { name: 'storable', rank: 1 },
  { name: 'marshal', rank: 2 },
  { name: 'stable-ptr.ts', rank: 2 },
  { name: 'c', rank: 3 },
  { name: 'layout', rank: 4 },
  { name: 'lifetimes', rank: 4 },
  { name: 'context', rank: 5 },
  { name: 'index.ts', rank: 6 },
];

const TOP = Number.POSITIVE_INFINITY;
const rankIn = (table, name) => table.find((u) => u.name === name)?.rank;

/**
 * Where a file of src/ stands: its layer, its unit inside foreign/ (or null), and whether the
 * file is the face of its folder. `undefined` for files outside src/.
 */
export const placeOf = (file, srcRoot) => {
  const rel = relative(srcRoot, file);
  if (rel.startsWith('..') || rel === '') return undefined;
  const parts = rel.split(sep);
  if (parts.length === 1) return { layer: parts[0], rank: TOP, unit: null, path: parts };
  const [layer] = parts;
  const place = {
    layer,
    rank: rankIn(LAYERS, layer),
    unit: null,
    unitRank: undefined,
    path: parts,
  };
  if (layer === 'foreign') {
    place.unit = parts[1];
    place.unitRank = rankIn(FOREIGN_UNITS, parts[1]);
  }
  return place;
};

/** Why `importer` may not import `target` (absolute .ts paths under src/), or null. */
export const violation = (importer, target, srcRoot) => {
  const from = placeOf(importer, srcRoot);
  const to = placeOf(target, srcRoot);
  if (from === undefined || to === undefined) return null;
  if (from.rank === undefined)
    return `${from.layer}/ is not a layer of scripts/lint/layers.js: add it`;
  if (to.rank === undefined) return `${to.layer}/ is not a layer of scripts/lint/layers.js: add it`;
  if (from.path.length === 1) {
    // src/index.ts: every layer, through its face.
    return to.path.length === 2 && to.path[1] === 'index.ts'
      ? null
      : `src/index.ts imports ${to.layer}/ through its index.ts only`;
  }
  if (from.layer !== to.layer) {
    if (!(to.rank < from.rank)) {
      return `${from.layer}/ may not import ${to.layer}/: a layer imports only from the layers below it`;
    }
    return to.path.length === 2 && to.path[1] === 'index.ts'
      ? null
      : `import ${to.layer}/ through its index.ts, not ${to.path.slice(1).join('/')}`;
  }
  if (from.layer !== 'foreign' || from.unit === to.unit) return null;
  // Two units of foreign/.
  if (from.unitRank === undefined)
    return `foreign/${from.unit} is not a unit of scripts/lint/layers.js: add it`;
  if (to.unitRank === undefined)
    return `foreign/${to.unit} is not a unit of scripts/lint/layers.js: add it`;
  if (!(to.unitRank < from.unitRank)) {
    return `foreign/${from.unit} may not import foreign/${to.unit}: a folder imports only from the folders below it`;
  }
  const isFile = to.unit.endsWith('.ts');
  return isFile || (to.path.length === 3 && to.path[2] === 'index.ts')
    ? null
    : `import foreign/${to.unit}/ through its index.ts, not ${to.path.slice(2).join('/')}`;
};

/** The ESLint rule: every relative import, export-from and import() of a file in src/. */
const imports = {
  meta: {
    type: 'problem',
    docs: { description: 'the layer rules of src/ (CONTRIBUTING.md, "Where code goes")' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const parts = file.split(sep);
    const at = parts.lastIndexOf('src');
    if (at < 0) return {};
    const srcRoot = parts.slice(0, at + 1).join(sep) || sep;
    const check = (node, source) => {
      if (source === null || source === undefined || typeof source.value !== 'string') return;
      const spec = source.value;
      if (!spec.startsWith('.')) return;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      const problem = violation(file, target, srcRoot);
      if (problem !== null) context.report({ node, message: problem });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { imports } };
