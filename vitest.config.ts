import { defineConfig } from 'vitest/config';

// One project per package so `pnpm test` runs everything and each package's tests can be run alone.
const packages = ['core', 'broker', 'ingest', 'service', 'device-sim', 'models', 'cli', 'console'];

export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one worker (cores - 1), yet most files wait on a server, a
    // browser or a disk rather than compute: two workers take the suite from about 800 s to 550 s.
    maxWorkers: 2,
    projects: packages.map((name) => ({
      test: {
        name,
        root: `./${name}`,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        environment: 'node',
        // Files of one worker share loaded modules: importing @aftercare/core and the service afresh for
        // every file took most of those packages' time (service: 152 s → 65 s). Each file sets up and
        // tears down its own databases, servers and clocks. The cli files stay isolated: they stub the
        // environment at module level and drive Chromium and child processes.
        isolate: name === 'cli',
        testTimeout: 60_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
