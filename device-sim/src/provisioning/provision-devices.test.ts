import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fleetSpecs } from '../fleet.ts';
import { FakeApi, token } from '../testing/fake-api.ts';
import { provisionDevices } from './provision-devices.ts';
import { readSecrets, secretsFilePath } from './secrets-file.ts';

const specs = fleetSpecs({ seed: 3, devices: 12, start: Date.UTC(2025, 0, 1) });

describe('provisionDevices', () => {
  let api: FakeApi;
  let dir: string;

  beforeEach(async () => {
    api = await new FakeApi().start();
    dir = await mkdtemp(join(tmpdir(), 'sim-provision-'));
  });
  afterEach(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates each device with its model, serial, location and install date, and keeps the secret it is given once', async () => {
    const result = await provisionDevices(api.url, token, specs, { secretsFile: secretsFilePath(dir) });
    expect(result.created).toBe(12);
    expect(result.devices.map((d) => [d.spec.id, d.secret])).toEqual(
      specs.map((s) => [s.id, `secret-of-${s.id}`]),
    );
    expect(api.devices.get(specs[0]!.id)).toMatchObject({ model: specs[0]!.model, serial: specs[0]!.serial });
  });

  it('remembers issued secrets in a file only its owner can read, so a restart can log in again after 409s', async () => {
    const file = secretsFilePath(dir);
    await provisionDevices(api.url, token, specs, { secretsFile: file });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/Demo only/);
    const again = await provisionDevices(api.url, token, specs, { secretsFile: file });
    expect(again).toMatchObject({ created: 0, existing: 12, unknownSecrets: [] });
    expect(again.devices.map((d) => d.secret)).toEqual(specs.map((s) => `secret-of-${s.id}`));
  });

  it('reports devices that exist without a known secret instead of pretending they can log in', async () => {
    await provisionDevices(api.url, token, specs.slice(0, 3));
    const result = await provisionDevices(api.url, token, specs.slice(0, 5), {
      secretsFile: secretsFilePath(dir),
    });
    expect(result.unknownSecrets).toEqual(specs.slice(0, 3).map((s) => s.id));
    expect(result.devices.map((d) => d.spec.id)).toEqual(specs.slice(3, 5).map((s) => s.id));
  });

  it('retries a server error and keeps the number of requests in flight bounded', async () => {
    api.failuresBeforeSuccess.set(specs[4]!.id, 2);
    const result = await provisionDevices(api.url, token, specs, { concurrency: 3 });
    expect(result.created).toBe(12);
    expect(api.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('stops on a client error with the API message, and still remembers the secrets issued before it', async () => {
    api.reject.add(specs[6]!.id);
    const file = secretsFilePath(dir);
    await expect(
      provisionDevices(api.url, token, specs, { secretsFile: file, concurrency: 1 }),
    ).rejects.toThrow(`provisioning ${specs[6]!.id} failed: HTTP 400: model not allowed`);
    expect((await readSecrets(file)).size).toBe(6);
  });

  it('gives up on an unreachable API after its retries', async () => {
    await api.stop();
    await expect(provisionDevices(api.url, token, specs.slice(0, 1), { retries: 1 })).rejects.toMatchObject({
      code: 'SIM_PROVISION_FAILED',
    });
    api = await new FakeApi().start();
  });

  it('says in one line, before creating any device, when the secrets file cannot be read', async () => {
    const file = secretsFilePath(dir);
    await mkdir(file);
    await expect(provisionDevices(api.url, token, specs, { secretsFile: file })).rejects.toMatchObject({
      code: 'SIM_SECRETS_FILE_INVALID',
      message: `cannot read ${file}: it is a directory`,
    });
    expect(api.devices.size).toBe(0);
  });
});
