import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts'],
    // test/c/ needs a live C compiler: `npm run test:c` (vitest.c.config.ts).
    exclude: [...configDefaults.exclude, 'test/c/**'],
    pool: 'forks',
    execArgv: ['--expose-gc'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    coverage: { provider: 'v8', include: ['src/**'] },
  },
});
