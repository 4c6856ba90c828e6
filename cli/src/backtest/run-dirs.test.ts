import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkRunDirs, makeRunDataDir } from './run-dirs.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'aftercare-run-dirs-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const refusal = (dirs: { dataDir: string | null; cacheDir: string }) => {
  try {
    checkRunDirs(dirs);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('checkRunDirs', () => {
  it('refuses a --data-dir that is a file, naming the flag (it used to fail in scandir with a stack)', () => {
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'mine');
    expect(refusal({ dataDir: file, cacheDir: join(root, 'cache') })).toBe(
      `--data-dir: "${file}" is a file, not a folder; the run needs a new or empty folder`,
    );
  });

  it('refuses a --data-dir that is not empty', () => {
    const dir = join(root, 'used');
    mkdirSync(dir);
    writeFileSync(join(dir, 'telemetry.db'), '');
    expect(refusal({ dataDir: dir, cacheDir: join(root, 'cache') })).toBe(
      `--data-dir: "${dir}" is not empty (1 entry); the run needs a new or empty folder`,
    );
  });

  it('refuses a --data-dir that cannot be created because a file stands on its path', () => {
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'mine');
    expect(refusal({ dataDir: join(file, 'run'), cacheDir: join(root, 'cache') })).toBe(
      `--data-dir: "${join(file, 'run')}" cannot be created: ${file} is a file; the run needs a new or empty folder`,
    );
  });

  it('refuses a --cache-dir that is a file, or under one', () => {
    const file = join(root, 'notes.txt');
    writeFileSync(file, 'mine');
    expect(refusal({ dataDir: null, cacheDir: file })).toBe(
      `--cache-dir: "${file}" is a file, not a folder; the trained models are kept in a folder`,
    );
    expect(refusal({ dataDir: null, cacheDir: join(file, 'cache') })).toMatch(
      /^--cache-dir: ".*" cannot be created: .*notes\.txt is a file;/,
    );
  });

  it('refuses a --data-dir that would hold the model cache, which would make it not empty', () => {
    const dir = join(root, 'run');
    expect(refusal({ dataDir: dir, cacheDir: join(dir, 'cache') })).toMatch(
      /^--data-dir: ".*run" holds the model cache \(--cache-dir ".*"\); give the run a folder of its own$/,
    );
  });

  it('accepts a new or empty --data-dir and a cache that already holds models, creating nothing', () => {
    const cache = join(root, 'cache');
    mkdirSync(join(cache, 'fleet-models-seed1-20x60d'), { recursive: true });
    mkdirSync(join(root, 'empty'));
    expect(refusal({ dataDir: join(root, 'empty'), cacheDir: cache })).toBe('accepted');
    expect(refusal({ dataDir: join(root, 'new', 'run'), cacheDir: cache })).toBe('accepted');
    expect(refusal({ dataDir: null, cacheDir: join(root, 'new-cache') })).toBe('accepted');
    expect(existsSync(join(root, 'new'))).toBe(false);
    expect(existsSync(join(root, 'new-cache'))).toBe(false);
  });
});

describe('makeRunDataDir', () => {
  it('makes a temp folder of its own, the only kind the run may remove', () => {
    const made = makeRunDataDir(null);
    try {
      expect(made.temporary).toBe(true);
      expect(readdirSync(made.dir)).toEqual([]);
    } finally {
      rmSync(made.dir, { recursive: true, force: true });
    }
  });

  it("creates the user's folder when missing and marks it as theirs", () => {
    const dir = join(root, 'runs', 'first');
    expect(makeRunDataDir(dir)).toEqual({ dir, temporary: false });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('checks the folder again, as it may have filled while the models trained', () => {
    const dir = join(root, 'run');
    mkdirSync(dir);
    writeFileSync(join(dir, 'late.txt'), '');
    expect(() => makeRunDataDir(dir)).toThrow(/^--data-dir: ".*run" is not empty \(1 entry\)/);
  });
});
