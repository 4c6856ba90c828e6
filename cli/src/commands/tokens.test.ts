import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CustomerRepository, createDatabase, TokenRepository } from '@aftercare/service';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTokens } from './tokens.ts';

describe('pnpm aftercare tokens', () => {
  let dataDir: string;
  // The platform has run in it once: its database is there, as the commands expect.
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'aftercare-tokens-'));
    await (await createDatabase({ dataDir })).destroy();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = async (argv: string[]) => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    await runTokens(argv, { AFTERCARE_DATA_DIR: dataDir }, stdout);
    return out;
  };

  /** What the API would answer for the token: the principal it stands for, or null. */
  const verify = async (token: string) => {
    const db = await createDatabase({ dataDir });
    try {
      return await new TokenRepository(db).verify(token);
    } finally {
      await db.destroy();
    }
  };

  it('issues a token, prints it once, lists it without the secret and revokes it', async () => {
    expect(await run(['list'])).toMatch(/^no API tokens yet; issue one with: pnpm aftercare tokens add/);
    const out = await run(['add', '--name', 'ERP export', '--role', 'planner']);
    const [first, token] = out.split('\n');
    expect(first).toMatch(/^issued planner token "ERP export" \(([0-9a-f-]{36})\)$/);
    const id = first!.match(/\(([0-9a-f-]{36})\)/)![1]!;
    expect(await verify(token!)).toMatchObject({ role: 'planner', via: 'api_token' });

    const listed = await run(['list']);
    expect(listed).toContain(`${id}\tplanner\tERP export\t`);
    expect(listed).not.toContain(token);

    expect(await run(['revoke', '--id', id])).toBe(`revoked ${id}\n`);
    expect(await verify(token!)).toBeNull();
    expect(await run(['list'])).toMatch(/\trevoked \d{4}-/);
  });

  it('issues a customer token only for a customer that exists', async () => {
    await expect(
      run(['add', '--name', 'portal', '--role', 'customer', '--customer', 'cust-nosuch']),
    ).rejects.toThrow('--customer: there is no customer cust-nosuch');
    const db = await createDatabase({ dataDir });
    try {
      await new CustomerRepository(db).create({
        id: 'cust-1',
        name: 'Asha Rao',
        kind: 'residential',
        contact: {},
      });
    } finally {
      await db.destroy();
    }
    const out = await run(['add', '--name', 'portal', '--role', 'customer', '--customer', 'cust-1']);
    expect(await verify(out.split('\n')[1]!)).toMatchObject({ role: 'customer', customerId: 'cust-1' });
  });

  it('names the flag that is wrong, before it touches the data directory', async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await expect(run(['add', '--role', 'planner'])).rejects.toThrow('--name: is required');
    await expect(run(['add', '--name', 'x', '--role', 'root'])).rejects.toThrow('--role: must be one of');
    await expect(run(['add', '--name', 'x', '--role', 'customer'])).rejects.toThrow(
      '--customer: is required for a customer token',
    );
    await expect(run(['add', '--name', 'x', '--role', 'planner', '--technician', 't1'])).rejects.toThrow(
      '--technician: does not belong on a planner token',
    );
    await expect(run(['revoke', '--id', 'nonsense'])).rejects.toThrow('--id: must be a token id');
    await expect(run(['rotate'])).rejects.toThrow('unknown tokens command "rotate"');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('answers an unknown token id with not found', async () => {
    await expect(run(['revoke', '--id', '00000000-0000-4000-8000-000000000000'])).rejects.toThrow(
      'not found',
    );
  });

  it('prints help for the command and each subcommand', async () => {
    expect(await run(['--help'])).toContain('pnpm aftercare tokens <add|list|revoke>');
    expect(await run(['add', '--help'])).toContain('--name');
  });
});
