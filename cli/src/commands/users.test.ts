import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { verifySecret } from '@aftercare/core';
import { createDatabase, UserRepository } from '@aftercare/service';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runUsers } from './users.ts';

describe('pnpm aftercare users', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'aftercare-users-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = async (argv: string[], stdinText = '') => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    await runUsers(
      argv,
      { AFTERCARE_DATA_DIR: dataDir },
      { stdin: Readable.from([stdinText]), stdout, stderr: new PassThrough() },
    );
    return out;
  };

  const storedHash = async (email: string) => {
    const db = await createDatabase({ dataDir });
    try {
      return (await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirstOrThrow())
        .password_hash;
    } finally {
      await db.destroy();
    }
  };

  it('adds an account with the password read from standard input', async () => {
    const out = await run(
      ['add', '--email', 'Planner@Example.com', '--role', 'planner'],
      'a long stdin password\n',
    );
    expect(out).toMatch(/^created planner planner@example\.com \(/);
    expect(await verifySecret('a long stdin password', await storedHash('planner@example.com'))).toBe(true);
    expect(await run(['list'])).toBe('planner@example.com\tplanner\n');
  });

  it('reads the password from the first line of --password-file', async () => {
    const file = join(dataDir, 'pw.txt');
    writeFileSync(file, 'password from a file\nignored second line\n');
    await run(['add', '--email', 'admin@example.com', '--role', 'admin', '--password-file', file]);
    expect(await verifySecret('password from a file', await storedHash('admin@example.com'))).toBe(true);
  });

  it('names the flag that is wrong', async () => {
    await expect(
      run(['add', '--email', 'c@example.com', '--role', 'customer'], 'a long stdin password'),
    ).rejects.toThrow(/^--customer: is required for a customer account/);
    await expect(
      run(['add', '--email', 'c@example.com', '--role', 'boss'], 'a long stdin password'),
    ).rejects.toThrow(/^--role: /);
    await expect(run(['add', '--email', 'c@example.com', '--role', 'planner'], 'short')).rejects.toThrow(
      /^password: must be at least 12 characters/,
    );
    await expect(
      run(['add', '--email', 'c@example.com', '--role', 'planner', '--password', 'x']),
    ).rejects.toThrow(/--password/);
  });

  // Regression: a missing file came out as an ENOENT stack trace.
  it('says in one line why --password-file cannot be read', async () => {
    const argv = ['add', '--email', 'e@b.co', '--role', 'planner', '--password-file'];
    await expect(run([...argv, join(dataDir, 'missing')])).rejects.toMatchObject({
      message: `cannot read --password-file ${join(dataDir, 'missing')}: no such file`,
    });
    await expect(run([...argv, dataDir])).rejects.toMatchObject({
      message: `cannot read --password-file ${dataDir}: it is a directory`,
    });
  });

  it('refuses a customer id the service does not know', async () => {
    await expect(
      run(
        ['add', '--email', 'c@example.com', '--role', 'customer', '--customer', 'ghost'],
        'a long stdin password',
      ),
    ).rejects.toThrow(/^--customer: there is no customer ghost/);
  });

  it('sets a new password for someone who lost theirs, ending the sessions they had', async () => {
    await run(['add', '--email', 'tech@example.com', '--role', 'planner'], 'the password they lost\n');
    const db = await createDatabase({ dataDir });
    const users = new UserRepository(db);
    try {
      const session = (await users.login('tech@example.com', 'the password they lost'))!;
      expect(await run(['set-password', '--email', 'Tech@Example.com'], 'a new one for today\n')).toBe(
        'set a new password for tech@example.com; its sessions have ended\n',
      );
      expect(await users.verifySession(session.token)).toBeNull();
      expect(await users.login('tech@example.com', 'the password they lost')).toBeNull();
      expect(await users.login('tech@example.com', 'a new one for today')).not.toBeNull();
    } finally {
      await db.destroy();
    }
    await expect(run(['set-password', '--email', 'tech@example.com'], 'short')).rejects.toThrow(
      /^password: must be at least 12 characters/,
    );
    await expect(
      run(['set-password', '--email', 'nobody@example.com'], 'a new one for today'),
    ).rejects.toThrow('--email: there is no account nobody@example.com');
  });

  it('disables an account and enables it again', async () => {
    await run(['add', '--email', 'gone@example.com', '--role', 'planner'], 'a long stdin password\n');
    expect(await run(['disable', '--email', 'gone@example.com'])).toBe('disabled gone@example.com\n');
    expect(await run(['list'])).toBe('gone@example.com\tplanner (disabled)\n');
    expect(await run(['enable', '--email', 'gone@example.com'])).toBe('enabled gone@example.com\n');
    expect(await run(['list'])).toBe('gone@example.com\tplanner\n');
    await expect(run(['disable'])).rejects.toThrow('--email: is required');
  });

  it('says when an account already was as asked, instead of claiming a change', async () => {
    await run(['add', '--email', 'twice@example.com', '--role', 'planner'], 'a long stdin password\n');
    expect(await run(['disable', '--email', 'twice@example.com'])).toBe('disabled twice@example.com\n');
    expect(await run(['disable', '--email', 'twice@example.com'])).toBe(
      'twice@example.com was already disabled; nothing changed\n',
    );
    await run(['enable', '--email', 'twice@example.com']);
    expect(await run(['enable', '--email', 'twice@example.com'])).toBe(
      'twice@example.com was already enabled; nothing changed\n',
    );
  });

  it('finds no database in a mistyped data directory, and creates none there', async () => {
    const typo = join(dataDir, 'dta');
    const runIn = (argv: string[]) =>
      runUsers(
        argv,
        { AFTERCARE_DATA_DIR: typo },
        { stdin: Readable.from(['']), stdout: new PassThrough(), stderr: new PassThrough() },
      );
    for (const argv of [['list'], ['disable', '--email', 'a@example.com']])
      await expect(runIn(argv), argv.join(' ')).rejects.toThrow(
        `AFTERCARE_DATA_DIR: ${typo} holds no platform database (service.db); point it at the platform's data directory, or start the platform there once (pnpm start)`,
      );
    expect(existsSync(typo)).toBe(false);
  });

  it('says there are no accounts yet rather than printing nothing', async () => {
    // The platform has run here once: its database is there, with nobody in it.
    await (await createDatabase({ dataDir })).destroy();
    expect(await run(['list'])).toBe(
      'no accounts yet; add one with: pnpm aftercare users add --email … --role …\n',
    );
  });
});
