import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, parseTelemetryPayload } from '@aftercare/core';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetSpecs } from '../fleet.ts';
import { provisionDevices } from '../provisioning/provision-devices.ts';
import { secretsFilePath } from '../provisioning/secrets-file.ts';
import { FakeApi, token } from '../testing/fake-api.ts';
import { portWithNoListener } from '../testing/no-listener.ts';
import { type Observed, observe, startTestBroker, type TestBroker } from '../testing/test-broker.ts';
import { captureContext } from './cli-test-context.ts';
import { parseCommand } from './flags.ts';
import { runCommand, runDefaults, runSpec } from './run-command.ts';

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
      '--token: is required; give an admin token, or set AFTERCARE_ADMIN_TOKEN',
    );
  });

  // Regression: a regular file as --data-dir ended in "unexpected error" and an ENOTDIR stack.
  it('refuses a --data-dir that is a file with one line, before provisioning anything', async () => {
    const file = join(dir, 'a-file');
    await writeFile(file, '');
    const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    const before = api.devices.size;
    const argv = ['--api', api.url, '--mqtt', broker.url, '--devices', '3', '--id-prefix', 'file-'];
    await expect(runCommand([...argv, '--data-dir', file], ctx)).rejects.toThrow(
      `--data-dir: must be a directory, not a file (got "${file}")`,
    );
    await expect(
      runCommand(argv, captureContext({ AFTERCARE_ADMIN_TOKEN: token, AFTERCARE_DATA_DIR: file }).ctx),
    ).rejects.toThrow(`AFTERCARE_DATA_DIR: must be a directory, not a file (got "${file}")`);
    expect(api.devices.size).toBe(before);
  });

  // Regression: with nothing listening at --mqtt the run sent nothing, said nothing and ended with exit 0.
  it('fails at once, naming --mqtt and the reason, when nothing listens at the broker URL', async () => {
    const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    const url = `mqtt://127.0.0.1:${await portWithNoListener()}`;
    const startedAt = Date.now();
    await expect(
      runCommand(
        [
          ...['--api', api.url, '--mqtt', url, '--devices', '3', '--models', 'split-ac'],
          ...['--id-prefix', 'cli-', '--data-dir', dir, '--duration', '30s'],
        ],
        ctx,
      ),
    ).rejects.toThrow(`cannot connect to --mqtt ${url} (connection refused)`);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
  });

  it('names AFTERCARE_MQTT_URL, without its password, when the unreachable broker came from there', async () => {
    const port = await portWithNoListener();
    const { ctx } = captureContext({
      AFTERCARE_ADMIN_TOKEN: token,
      AFTERCARE_MQTT_URL: `mqtt://u:pw@127.0.0.1:${port}`,
    });
    await expect(
      runCommand(
        [
          '--api',
          api.url,
          '--devices',
          '1',
          '--models',
          'split-ac',
          '--id-prefix',
          'cli-',
          '--data-dir',
          dir,
        ],
        ctx,
      ),
    ).rejects.toThrow(
      `cannot connect to --mqtt mqtt://127.0.0.1:${port} from AFTERCARE_MQTT_URL (connection refused)`,
    );
  });

  it('fails at once when the broker refuses every device', async () => {
    const other = await startTestBroker(new Map());
    try {
      const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
      const argv = ['--api', api.url, '--mqtt', other.url, '--devices', '2', '--models', 'split-ac'];
      await expect(runCommand([...argv, '--id-prefix', 'cli-', '--data-dir', dir], ctx)).rejects.toThrow(
        `the broker at --mqtt ${other.url} refused every device (Connection refused: `,
      );
    } finally {
      await other.close();
    }
  });

  // Regression: it said only "use another --id-prefix or --seed", not that the secrets file was missing.
  it('says the secrets are not in this --data-dir when the API knows every device but the directory is new', async () => {
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    const specs = fleetSpecs({ seed: 9, devices: 2, start: Date.now(), idPrefix: 'moved-' });
    await provisionDevices(api.url, token, specs, { secretsFile: secretsFilePath(first) });
    const { ctx } = captureContext({ AFTERCARE_ADMIN_TOKEN: token });
    const argv = [
      '--api',
      api.url,
      '--mqtt',
      broker.url,
      '--devices',
      '2',
      '--seed',
      '9',
      '--id-prefix',
      'moved-',
    ];
    await expect(runCommand([...argv, '--data-dir', second], ctx)).rejects.toThrow(
      `no device can log in: the API has them already, and their secrets were kept in sim-secrets.json, ` +
        `which this --data-dir does not hold (${secretsFilePath(second)} does not exist); ` +
        'give the --data-dir the fleet was provisioned with, or another --id-prefix or --seed for a new fleet',
    );
  });
});

describe('pnpm sim run flags', () => {
  const now = Date.UTC(2025, 6, 1);
  const parse = (argv: string[], env: Record<string, string> = {}) =>
    parseCommand(runSpec(now), ['--token', 'x', ...argv], runDefaults(env));
  const refusal = (argv: string[], env: Record<string, string> = {}) => {
    try {
      parse(argv, env);
    } catch (err) {
      return (err as Error).message;
    }
    throw new Error('expected a refusal');
  };

  // Regression: AFTERCARE_SIM_DEVICES=abc said "--devices: must be a number", a flag never typed.
  it('blames a bad value from the environment on its variable', () => {
    expect(refusal([], { AFTERCARE_SIM_DEVICES: 'abc' })).toBe(
      'AFTERCARE_SIM_DEVICES: must be a number (got "abc")',
    );
    expect(refusal([], { AFTERCARE_SIM_SPEED: 'fast' })).toBe(
      'AFTERCARE_SIM_SPEED: must be a number (got "fast")',
    );
    expect(refusal([], { AFTERCARE_SIM_INTERVAL_S: 'often' })).toMatch(
      /^AFTERCARE_SIM_INTERVAL_S: must be a duration/,
    );
    expect(refusal([], { AFTERCARE_SIM_SEED: '1.5' })).toBe(
      'AFTERCARE_SIM_SEED: must be a whole number (got "1.5")',
    );
    expect(refusal([], { AFTERCARE_MQTT_URL: 'http://broker' })).toMatch(
      /^AFTERCARE_MQTT_URL: must be a URL with mqtt:\/\//,
    );
    // A flag given overrides the variable, and is what a bad value is blamed on.
    expect(parse(['--devices', '4'], { AFTERCARE_SIM_DEVICES: 'abc' })).toMatchObject({ devices: 4 });
    expect(refusal(['--devices', 'abc'], { AFTERCARE_SIM_DEVICES: '4' })).toBe(
      '--devices: must be a number (got "abc")',
    );
  });

  // Regression: AFTERCARE_SIM_SEED=0x10 ran with seed 16 and --seed '' with seed 0.
  it('reads the seed and the speed only as numbers are typed, blaming the variable that held one', () => {
    expect(refusal([], { AFTERCARE_SIM_SEED: '0x10' })).toBe(
      'AFTERCARE_SIM_SEED: must be a whole number (got "0x10")',
    );
    expect(refusal([], { AFTERCARE_SIM_SPEED: '6e1' })).toBe(
      'AFTERCARE_SIM_SPEED: must be a decimal number (got "6e1")',
    );
    expect(refusal(['--seed', ''])).toBe('--seed: must be a number (got "")');
    expect(refusal(['--speed', ' 60'])).toBe('--speed: must be a decimal number (got " 60")');
    expect(parse(['--seed', '-12', '--speed', '0.5'])).toMatchObject({ seed: -12, speed: 0.5 });
  });

  // Regression: --speed took up to 1,000,000 and --interval refused 0.5, where core's config says otherwise.
  it("takes the demo fleet's variables as core's config does, with its defaults", () => {
    const config = loadConfig({});
    expect(parse([])).toMatchObject({
      devices: config.AFTERCARE_SIM_DEVICES,
      speed: config.AFTERCARE_SIM_SPEED,
      interval: config.AFTERCARE_SIM_INTERVAL_S * 1000,
      seed: config.AFTERCARE_SIM_SEED,
    });
    const cases: [string, string][] = [
      ['AFTERCARE_SIM_SPEED', '100000'],
      ['AFTERCARE_SIM_SPEED', '100001'],
      ['AFTERCARE_SIM_SPEED', '0.0005'],
      ['AFTERCARE_SIM_SPEED', '0'],
      ['AFTERCARE_SIM_INTERVAL_S', '0.5'],
      ['AFTERCARE_SIM_INTERVAL_S', '90'],
      ['AFTERCARE_SIM_INTERVAL_S', '0'],
      ['AFTERCARE_SIM_DEVICES', '100000'],
      ['AFTERCARE_SIM_DEVICES', '100001'],
    ];
    for (const [name, value] of cases) {
      const byConfig = (() => {
        try {
          return loadConfig({ [name]: value }) !== undefined;
        } catch {
          return false;
        }
      })();
      const byRun = (() => {
        try {
          return parse([], { [name]: value }) !== 'help';
        } catch {
          return false;
        }
      })();
      expect(byRun, `${name}=${value}`).toBe(byConfig);
    }
    expect(parse([], { AFTERCARE_SIM_INTERVAL_S: '0.5' })).toMatchObject({ interval: 500 });
    expect(refusal(['--speed', '1000000'])).toBe('--speed: must be at most 100000 (got "1000000")');
  });

  // Regression: --duration 0 was taken, and the run sent nothing and ended with exit 0.
  it('refuses a duration of nothing', () => {
    expect(refusal(['--duration', '0'])).toBe(
      '--duration: must be more than 0; leave it out to run until Ctrl-C (got "0")',
    );
  });

  // Regression: --api ftp://… and --mqtt http://… passed here and failed later with "unknown scheme".
  it('refuses URLs of schemes the API or the broker does not speak', () => {
    expect(refusal(['--api', 'ftp://127.0.0.1:3000'])).toMatch(
      /^--api: must be a URL with http:\/\/ or https:\/\//,
    );
    expect(refusal(['--mqtt', 'http://127.0.0.1:1883'])).toMatch(
      /^--mqtt: must be a URL with mqtt:\/\/, mqtts:\/\/, ws:\/\/, wss:\/\/, tcp:\/\/, ssl:\/\/ or tls:\/\//,
    );
  });
});
