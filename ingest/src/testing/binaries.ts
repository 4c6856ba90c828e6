import { accessSync, constants } from 'node:fs';

/**
 * Whether an external program a test needs is installed. Locally a missing binary skips the test
 * with a loud warning so a contributor without it can still run the rest; in CI it fails the run,
 * because a silently skipped integration test is a test that never runs.
 */
export function requireBinary(path: string, aptPackage: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    const hint = `${path} not found: install it with \`apt-get install ${aptPackage}\``;
    if (process.env.CI === 'true') throw new Error(`${hint} (tests that need it must not be skipped in CI)`);
    console.warn(`\n!!! SKIPPING TESTS: ${hint} !!!\n`);
    return false;
  }
}
