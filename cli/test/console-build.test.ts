import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@aftercare/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consoleBuildReason, snapshotConsoleBuild } from '../src/console/serve-console.ts';

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

describe('snapshotConsoleBuild', () => {
  let dir: string;
  const logger = createLogger({ level: 'silent' });
  /** A build as vite leaves it: the handler and content-hashed client files. */
  const build = (hash: string) => {
    rmSync(join(dir, 'build'), { recursive: true, force: true });
    mkdirSync(join(dir, 'build', 'client', '_app'), { recursive: true });
    writeFileSync(join(dir, 'build', 'handler.js'), `export const handler = '${hash}';`);
    writeFileSync(join(dir, 'build', 'client', '_app', `start.${hash}.js`), hash);
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aftercare-console-snapshot-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps a running console's files when another process rebuilds console/build", async () => {
    build('AAAA');
    const snapshot = await snapshotConsoleBuild({ consoleDir: dir, logger });
    build('BBBB');
    expect(readFileSync(join(snapshot.dir, 'client', '_app', 'start.AAAA.js'), 'utf8')).toBe('AAAA');
    expect(readFileSync(join(snapshot.dir, 'handler.js'), 'utf8')).toContain('AAAA');
    snapshot.remove();
    expect(existsSync(snapshot.dir)).toBe(false);
  });

  it('removes the copies of processes that are gone, and keeps those of live ones', async () => {
    build('AAAA');
    const gonePid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const gone = join(dir, '.serving', `${gonePid}-deadbeef`);
    mkdirSync(gone, { recursive: true });
    const live = await snapshotConsoleBuild({ consoleDir: dir, logger });
    const other = await snapshotConsoleBuild({ consoleDir: dir, logger });
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(live.dir)).toBe(true);
    expect(other.dir).not.toBe(live.dir);
  });
});
