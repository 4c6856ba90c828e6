import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleBuildReason } from '../src/console/serve-console.ts';

describe('consoleBuildReason', () => {
  let dir: string;
  const at = (path: string, seconds: number) => utimesSync(path, seconds, seconds);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aftercare-console-build-'));
    mkdirSync(join(dir, 'src', 'routes'), { recursive: true });
    writeFileSync(join(dir, 'src', 'routes', '+page.svelte'), '<p>hi</p>');
    at(join(dir, 'src', 'routes', '+page.svelte'), 1_000);
    at(join(dir, 'src', 'routes'), 1_000);
    at(join(dir, 'src'), 1_000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('asks for a build when there is none', () => {
    expect(consoleBuildReason({ consoleDir: dir, alsoWatch: [] })).toBe('console/build is missing');
  });

  it('is satisfied by a build newer than every source', () => {
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build', 'handler.js'), '');
    at(join(dir, 'build', 'handler.js'), 2_000);
    expect(consoleBuildReason({ consoleDir: dir, alsoWatch: [] })).toBeNull();
  });

  it('names the source that changed since the build, in the console or in what it bundles', () => {
    mkdirSync(join(dir, 'build'));
    writeFileSync(join(dir, 'build', 'handler.js'), '');
    at(join(dir, 'build', 'handler.js'), 2_000);
    at(join(dir, 'src', 'routes', '+page.svelte'), 3_000);
    expect(consoleBuildReason({ consoleDir: dir, alsoWatch: [] })).toMatch(
      /src changed since the last build/,
    );

    at(join(dir, 'src', 'routes', '+page.svelte'), 1_000);
    const core = join(dir, 'core-src');
    mkdirSync(core);
    writeFileSync(join(core, 'catalog.ts'), '');
    at(join(core, 'catalog.ts'), 3_000);
    expect(consoleBuildReason({ consoleDir: dir, alsoWatch: [core] })).toMatch(/core-src changed/);
  });
});
