import { defineConfig } from 'vitest/config';

// One project per package so `pnpm test` runs everything and each package's tests can be run alone.
const packages = ['core', 'broker', 'ingest', 'service', 'device-sim', 'models', 'cli', 'console'];

export default defineConfig({
  test: {
    projects: packages.map((name) => ({
      test: {
        name,
        root: `./${name}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        environment: 'node',
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
