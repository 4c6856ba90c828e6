import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetSpecs } from '../fleet.ts';
import { FakeApi, token } from '../testing/fake-api.ts';
import { portWithNoListener } from '../testing/no-listener.ts';
import { startTestBroker, type TestBroker } from '../testing/test-broker.ts';
import { captureContext } from './cli-test-context.ts';
import { loadCommand } from './load-command.ts';

/** The fake API's secrets are predictable, so the broker can know them. */
const ids = fleetSpecs({ seed: 1, devices: 3, start: Date.now(), idPrefix: 'ld-' }).map((s) => s.id);
const secrets = new Map(ids.map((id) => [id, `secret-of-${id}`]));

describe('pnpm sim load', () => {
  let api: FakeApi;
  let broker: TestBroker;
  let dir: string;

  beforeAll(async () => {
    api = await new FakeApi().start();
    broker = await startTestBroker(secrets);
    dir = await mkdtemp(join(tmpdir(), 'sim-load-'));
  });
  afterAll(async () => {
    await broker.close();
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const base = () => ['--api', api.url, '--devices', '3', '--id-prefix', 'ld-', '--data-dir', dir];

  it('publishes the samples asked for and reports what the broker acknowledged', async () => {
    const { ctx, stdout } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    const code = await loadCommand([...base(), '--mqtt', broker.url, '--count', '300', '--json'], ctx);
    expect(code).toBe(0);
    expect(JSON.parse(stdout())).toMatchObject({ connected: 3, samplesSent: 300, samplesAcked: 300 });
  });

  // Regression: with nothing listening, `--duration 2s` failed only after about 64 s.
  it('fails within seconds, naming --mqtt and the reason, when nothing listens at the broker URL', async () => {
    const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    const url = `mqtt://127.0.0.1:${await portWithNoListener()}`;
    const startedAt = Date.now();
    await expect(loadCommand([...base(), '--mqtt', url, '--duration', '2s'], ctx)).rejects.toThrow(
      `cannot connect to --mqtt ${url} (connection refused)`,
    );
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  // Regression: --rate was dropped without a word when --rate-per-device was given too.
  it('refuses --rate together with --rate-per-device', async () => {
    const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    await expect(
      loadCommand([...base(), '--mqtt', broker.url, '--rate', '100', '--rate-per-device', '1'], ctx),
    ).rejects.toThrow('--rate-per-device: cannot be given with --rate; give one of the two (got "1")');
  });

  // Regression: --rate ' 5' was read as 5 and --count 1e3 as 1000.
  it('refuses a rate or a count not written in decimal digits', async () => {
    const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    await expect(loadCommand([...base(), '--mqtt', broker.url, '--rate', ' 5'], ctx)).rejects.toThrow(
      '--rate: must be a decimal number (got " 5")',
    );
    await expect(loadCommand([...base(), '--mqtt', broker.url, '--count', '1e3'], ctx)).rejects.toThrow(
      '--count: must be a whole number (got "1e3")',
    );
  });

  // Regression: --duration 0 was taken, and the load sent nothing and ended with exit 0.
  it('refuses a duration of nothing', async () => {
    const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    await expect(loadCommand([...base(), '--mqtt', broker.url, '--duration', '0'], ctx)).rejects.toThrow(
      '--duration: must be more than 0; leave it out for 30s, or give --count (got "0")',
    );
  });
});
