import { afterEach, describe, expect, it } from 'vitest';
import {
  devices,
  ingestAccount,
  metricValue,
  type RunningBroker,
  refusedLogin,
  startBroker,
} from './test-support.ts';

let running: RunningBroker | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

describe('broker login', () => {
  it('accepts a device logging in with its id as username and client id and its secret as password', async () => {
    running = await startBroker();
    const client = await running.connectDevice('ac-0001');
    expect(client.connected).toBe(true);
    expect(running.refusals).toEqual([]);
  });

  it('refuses a wrong password with "bad username or password" and counts it', async () => {
    running = await startBroker();
    const err = await refusedLogin(running.connectDevice('ac-0001', { password: 'not-the-secret' }));
    expect(err.code).toBe(4);
    expect(running.refusals).toEqual([
      { reason: 'wrong_password', clientId: 'ac-0001', username: 'ac-0001' },
    ]);
    expect(
      await metricValue(running.registry, 'aftercare_broker_refusals_total', { reason: 'wrong_password' }),
    ).toBe(1);
  });

  it('refuses a device that was never provisioned', async () => {
    running = await startBroker();
    const err = await refusedLogin(
      running.connect({ clientId: 'ac-9999', username: 'ac-9999', password: 'guess' }),
    );
    expect(err.code).toBe(4);
    expect(running.refusals.map((r) => r.reason)).toEqual(['unknown_device']);
  });

  it('refuses a login without a password', async () => {
    running = await startBroker();
    const err = await refusedLogin(running.connect({ clientId: 'ac-0001', username: 'ac-0001' }));
    expect(err.code).toBe(4);
    expect(running.refusals.map((r) => r.reason)).toEqual(['missing_credentials']);
  });

  it('refuses a client id that is not the username with "identifier rejected"', async () => {
    running = await startBroker();
    const err = await refusedLogin(running.connectDevice('ac-0001', { clientId: 'ac-0002' }));
    expect(err.code).toBe(2);
    expect(running.refusals).toEqual([
      { reason: 'client_id_mismatch', clientId: 'ac-0002', username: 'ac-0001' },
    ]);
  });

  it('refuses a device whose last will points anywhere but its own status topic', async () => {
    running = await startBroker();
    const will = {
      topic: 'aftercare/ac-0002/status',
      payload: Buffer.from('offline'),
      qos: 1 as const,
      retain: true,
    };
    const err = await refusedLogin(running.connectDevice('ac-0001', { will }));
    expect(err.code).toBe(5);
    expect(running.refusals.map((r) => r.reason)).toEqual(['forbidden_will']);
    const own = { ...will, topic: 'aftercare/ac-0001/status' };
    expect((await running.connectDevice('ac-0001', { will: own })).connected).toBe(true);
  });

  it('lets a platform service log in with its own account', async () => {
    running = await startBroker();
    const client = await running.connect({
      clientId: `${ingestAccount.username}-1`,
      username: ingestAccount.username,
      password: ingestAccount.secret,
    });
    expect(client.connected).toBe(true);
    const err = await refusedLogin(
      running.connect({
        clientId: ingestAccount.username,
        username: ingestAccount.username,
        password: devices['ac-0001'],
      }),
    );
    expect(err.code).toBe(4);
  });

  it('refuses CONNECTs beyond the per-device rate, and only for that device', async () => {
    running = await startBroker({ connectsPerMinute: 3 });
    for (let i = 0; i < 3; i++) await (await running.connectDevice('ac-0001')).endAsync();
    const err = await refusedLogin(running.connectDevice('ac-0001'));
    expect(err.code).toBe(3);
    expect(running.refusals.map((r) => r.reason)).toEqual(['connect_rate_limited']);
    expect((await running.connectDevice('ac-0002')).connected).toBe(true);
    expect(
      await metricValue(running.registry, 'aftercare_broker_refusals_total', {
        reason: 'connect_rate_limited',
      }),
    ).toBe(1);
  });
});
