import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';
import layers from './scripts/lint/layers.js';

// fp-ts and io-ts have no `exports` map: `fp-ts/function` type-checks and works under tsx and
// vitest, but the compiled ESM fails in plain Node (ERR_UNSUPPORTED_DIR_IMPORT). Only the
// package root and files under lib/ with their extension work everywhere.
const fpTsByFile = {
  regex: '^(fp-ts|io-ts)/(?!lib/[A-Za-z0-9_]+\\.js$)',
  allowTypeImports: true,
  message:
    "Import fp-ts/io-ts modules by file ('fp-ts/lib/IO.js') or from the package root: other " +
    'subpaths fail in plain Node with ERR_UNSUPPORTED_DIR_IMPORT.',
};

// In src/, fp-ts values come through the package's imports map (`#fp-ts/Either.js`): bundlers
// get fp-ts's ES module build (which they tree-shake), plain Node its lib/ (CommonJS).
const fpTsValues = {
  regex: '^fp-ts/',
  allowTypeImports: true,
  message:
    "Import fp-ts values through '#fp-ts/X.js' (package.json imports: es6/ for bundlers, lib/ " +
    'for Node); type-only imports may name fp-ts/lib/X.js.',
};

// DESIGN.md: no Node-only API in the layers that must run in browsers and workers.
const nodeOnly = {
  group: ['node:*', ...builtinModules.filter((m) => !m.startsWith('_'))],
  message: 'No Node-only API in the library layers (DESIGN.md, Conventions).',
};

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'docs/api/', 'node_modules/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      'no-restricted-imports': ['error', { patterns: [fpTsByFile] }],
    },
  },
  {
    files: ['src/**/*.ts'],
    // src/cli/ is the `foreign-ts` command (package.json `bin`): it runs in Node, asks clang and
    // writes files, so the Node-only rules leave it out (the block after this one); no library
    // layer imports it.
    ignores: ['src/cli/**'],
    plugins: { layers },
    rules: {
      'layers/imports': 'error',
      'no-restricted-imports': ['error', { patterns: [fpTsByFile, fpTsValues, nodeOnly] }],
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global'].map((name) => ({
          name,
          message: 'No Node-only API in the library layers (DESIGN.md, Conventions).',
        })),
      ],
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    plugins: { layers },
    rules: {
      'layers/imports': 'error',
      'no-restricted-imports': ['error', { patterns: [fpTsByFile, fpTsValues] }],
    },
  },
);
