import { hashSecret, verifySecret } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { Authenticator } from './authenticator.ts';
import { MemoryCredentials } from './test-support.ts';

async function setup(now = () => 0) {
  const credentials = await MemoryCredentials.of({ 'ac-0001': 'first-secret' });
  let scryptRuns = 0;
  const authenticator = new Authenticator({
    credentials,
    serviceAccounts: [
      { username: 'aftercare-ingest', secretHash: await hashSecret('ingest-secret'), role: 'ingest' },
    ],
    cacheTtlMs: 60_000,
    maxCacheEntries: 2,
    now,
    verify: (secret, hash) => {
      scryptRuns++;
      return verifySecret(secret, hash);
    },
  });
  const login = (username: string, password: string | undefined, clientId = username) =>
    authenticator.login({
      username,
      password: password === undefined ? undefined : Buffer.from(password),
      clientId,
    });
  return { credentials, authenticator, login, scryptRuns: () => scryptRuns };
}

describe('Authenticator', () => {
  it('accepts a device whose password is its secret and whose client id is its id', async () => {
    const { login } = await setup();
    expect(await login('ac-0001', 'first-secret')).toEqual({
      ok: true,
      principal: { kind: 'device', deviceId: 'ac-0001' },
    });
  });

  it('refuses each kind of bad login with its own reason and CONNACK code', async () => {
    const { login } = await setup();
    expect(await login('ac-0001', 'wrong')).toMatchObject({
      ok: false,
      reason: 'wrong_password',
      returnCode: 4,
    });
    expect(await login('ac-9999', 'first-secret')).toMatchObject({
      ok: false,
      reason: 'unknown_device',
      returnCode: 4,
    });
    expect(await login('ac-0001', undefined)).toMatchObject({
      ok: false,
      reason: 'missing_credentials',
      returnCode: 4,
    });
    expect(await login('ac-0001', 'first-secret', 'other')).toMatchObject({
      ok: false,
      reason: 'client_id_mismatch',
      returnCode: 2,
    });
    expect(await login('no/such+id', 'x')).toMatchObject({ ok: false, reason: 'unknown_device' });
  });

  it('answers "server unavailable" when the device registry cannot be asked', async () => {
    const authenticator = new Authenticator({
      credentials: { lookupSecretHash: () => Promise.reject(new Error('db down')) },
      serviceAccounts: [],
      cacheTtlMs: 1000,
      maxCacheEntries: 10,
    });
    const result = await authenticator.login({
      username: 'ac-0001',
      password: Buffer.from('x'),
      clientId: 'ac-0001',
    });
    expect(result).toMatchObject({ ok: false, reason: 'auth_unavailable', returnCode: 3 });
  });

  it('skips scrypt when the same device reconnects with the same secret', async () => {
    const { login, scryptRuns } = await setup();
    await login('ac-0001', 'first-secret');
    await login('ac-0001', 'first-secret');
    await login('ac-0001', 'first-secret');
    expect(scryptRuns()).toBe(1);
  });

  it('never lets a remembered secret through after the stored hash changed', async () => {
    const { credentials, login } = await setup();
    await login('ac-0001', 'first-secret');
    await credentials.provision('ac-0001', 'rotated-secret');
    expect(await login('ac-0001', 'first-secret')).toMatchObject({ ok: false, reason: 'wrong_password' });
    expect(await login('ac-0001', 'rotated-secret')).toMatchObject({ ok: true });
  });

  it('refuses a removed device even though its secret was remembered', async () => {
    const { credentials, login } = await setup();
    await login('ac-0001', 'first-secret');
    credentials.remove('ac-0001');
    expect(await login('ac-0001', 'first-secret')).toMatchObject({ ok: false, reason: 'unknown_device' });
  });

  it('verifies again once the remembered verification has expired', async () => {
    let now = 0;
    const { login, scryptRuns } = await setup(() => now);
    await login('ac-0001', 'first-secret');
    now = 60_001;
    await login('ac-0001', 'first-secret');
    expect(scryptRuns()).toBe(2);
  });

  it('keeps no more remembered verifications than its bound', async () => {
    const { credentials, authenticator, login } = await setup();
    for (const id of ['ac-0002', 'ac-0003', 'ac-0004']) await credentials.provision(id, 's');
    for (const id of ['ac-0001', 'ac-0002', 'ac-0003', 'ac-0004'])
      await login(id, id === 'ac-0001' ? 'first-secret' : 's');
    expect(authenticator.cachedVerifications).toBe(2);
  });

  it('logs a service in with its own account and lets its workers carry suffixed client ids', async () => {
    const { login } = await setup();
    expect(await login('aftercare-ingest', 'ingest-secret', 'aftercare-ingest-2')).toEqual({
      ok: true,
      principal: { kind: 'service', username: 'aftercare-ingest', role: 'ingest' },
    });
    expect(await login('aftercare-ingest', 'ingest-secret', 'ac-0001')).toMatchObject({
      reason: 'client_id_mismatch',
    });
    expect(await login('aftercare-ingest', 'nope')).toMatchObject({ reason: 'wrong_password' });
  });
});
