import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTelemetryPayload } from '@aftercare/core';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeApi, token } from '../testing/fake-api.ts';
import { type Observed, observe, startTestBroker, type TestBroker } from '../testing/test-broker.ts';
import { captureContext } from './cli-test-context.ts';
import { runCommand } from './run-command.ts';

/** The broker must know the secrets the API issues: the fake API's are predictable. */
const secrets = new Map(
  Array.from({ length: 4 }, (_, i) => [`cli-ac-0000${i + 1}`, `secret-of-cli-ac-0000${i + 1}`]),
);

describe('pnpm sim run', () => {
  let api: FakeApi;
  let broker: TestBroker;
  let observer: { client: MqttClient; messages: Observed[] };
  let dir: string;

  beforeAll(async () => {
    api = await new FakeApi().start();
    broker = await startTestBroker(secrets);
    observer = await observe(broker.url, ['aftercare/+/telemetry']);
    dir = await mkdtemp(join(tmpdir(), 'sim-run-'));
  });
  afterAll(async () => {
    await observer.client.endAsync();
    await broker.close();
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('provisions the devices, streams their telemetry for the duration, and remembers their secrets', async () => {
    const { ctx, stderr } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    const truthFile = join(dir, 'truth.jsonl');
    const code = await runCommand(
      [
        ...[
          '--api',
          api.url,
          '--mqtt',
          broker.url,
          '--devices',
          '4',
          '--models',
          'split-ac',
          '--id-prefix',
          'cli-',
        ],
        ...[
          '--speed',
          '3600',
          '--duration',
          '2s',
          '--data-dir',
          dir,
          '--ground-truth',
          truthFile,
          '--failure-rate',
          '0',
        ],
      ],
      ctx,
    );
    expect(code).toBe(0);
    expect(api.devices.size).toBe(4);
    expect((await stat(join(dir, 'sim-secrets.json'))).mode & 0o777).toBe(0o600);
    const devicesHeard = new Set(observer.messages.map((m) => m.topic.split('/')[1]));
    expect(devicesHeard).toEqual(new Set(secrets.keys()));
    for (const m of observer.messages) expect(parseTelemetryPayload(m.payload, Date.now()).ok).toBe(true);
    expect(stderr()).toContain('provisioned 4 new, 0 known');
    expect(stderr()).toMatch(/stopped: [\d,]+ samples/);
    expect(await readFile(truthFile, 'utf8')).toBe('');
  });

  it('fails with one line when --ground-truth cannot be written', async () => {
    const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    const target = join(dir, 'a-directory');
    await mkdir(target);
    const argv = ['--api', api.url, '--mqtt', broker.url, '--devices', '1', '--models', 'split-ac'];
    await expect(
      runCommand([...argv, '--id-prefix', 'cli-', '--data-dir', dir, '--ground-truth', target], ctx),
    ).rejects.toThrow(`cannot write --ground-truth ${target}: it is a directory`);
  });

  it('needs an admin token', async () => {
    const { ctx } = captureContext();
    await expect(runCommand(['--api', api.url], ctx)).rejects.toThrow(
      '--token: is required (or set AFTERCARE_ADMIN_TOKEN)',
    );
  });
});
