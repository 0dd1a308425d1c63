// The tests that need a live C compiler (clang, lld, gcc): `npm run test:c`, after the rebuild
// check of c/build/ (scripts/build-c.ts --check). `npm test` (vitest.config.ts) leaves them out.
import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// Not mergeConfig: it concatenates `include` lists, which would run the whole suite again.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/c/**/*.test.ts'], exclude: configDefaults.exclude },
});
