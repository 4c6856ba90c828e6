import { setTimeout as sleep } from 'node:timers/promises';
import { type Logger, silentLogger } from '@aftercare/core';
import type { DeviceSpec } from '../device-spec.ts';
import { SimError } from '../errors.ts';
import { readSecrets, writeSecrets } from './secrets-file.ts';

export interface ProvisionOptions {
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Retries of a request that met a 5xx or a connection error. Default 4. */
  retries?: number;
  /** Where issued secrets are remembered across restarts (demo only; see secrets-file.ts). */
  secretsFile?: string;
  timeoutMs?: number;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
  fetch?: typeof fetch;
}

export interface ProvisionedDevice {
  spec: DeviceSpec;
  secret: string;
}

export interface ProvisionResult {
  /** Devices that can log in: newly created, or known before with a remembered secret. */
  devices: ProvisionedDevice[];
  created: number;
  existing: number;
  /** Devices the API already had whose secret this simulator never saw: they cannot log in. */
  unknownSecrets: string[];
}

/** What POST /api/devices takes (core's provisionDeviceBodySchema). */
export function provisionBody(spec: DeviceSpec): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: spec.id,
    model: spec.model,
    serial: spec.serial,
    location: spec.location,
    installedAt: new Date(spec.installedAt).toISOString(),
  };
  if (spec.customerId) body.customerId = spec.customerId;
  return body;
}

class RetryableError extends Error {}

async function postDevice(
  url: string,
  token: string,
  spec: DeviceSpec,
  options: Required<Pick<ProvisionOptions, 'retries' | 'timeoutMs'>> & { fetch: typeof fetch },
): Promise<{ status: 201; secret: string } | { status: 409 }> {
  for (let attempt = 0; ; attempt++) {
    try {
      let res: Response;
      try {
        res = await options.fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(provisionBody(spec)),
          signal: AbortSignal.timeout(options.timeoutMs),
        });
      } catch (err) {
        throw new RetryableError(`cannot reach ${url}: ${(err as Error).cause ?? (err as Error).message}`);
      }
      const text = await res.text();
      if (res.status === 201) {
        const secret = (JSON.parse(text) as { secret?: unknown }).secret;
        if (typeof secret !== 'string' || secret.length === 0) {
          throw new SimError('SIM_PROVISION_FAILED', `${spec.id}: the API answered 201 without a secret`);
        }
        return { status: 201, secret };
      }
      if (res.status === 409) return { status: 409 };
      let message = text.slice(0, 300);
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {}
      if (res.status >= 500) throw new RetryableError(`HTTP ${res.status}: ${message}`);
      throw new SimError(
        'SIM_PROVISION_FAILED',
        `provisioning ${spec.id} failed: HTTP ${res.status}: ${message}`,
      );
    } catch (err) {
      if (!(err instanceof RetryableError)) throw err;
      if (attempt >= options.retries) {
        throw new SimError('SIM_PROVISION_FAILED', `provisioning ${spec.id} failed: ${err.message}`, {
          cause: err,
        });
      }
      await sleep(200 * 2 ** attempt + Math.random() * 100);
    }
  }
}

/**
 * Provisions devices through the service API with bounded concurrency. A device that exists already
 * (409) keeps the secret remembered in the secrets file, if any.
 */
export async function provisionDevices(
  apiUrl: string,
  adminToken: string,
  specs: readonly DeviceSpec[],
  options: ProvisionOptions = {},
): Promise<ProvisionResult> {
  const logger = (options.logger ?? silentLogger).child({ component: 'device-sim-provision' });
  const url = `${apiUrl.replace(/\/+$/, '')}/api/devices`;
  const secrets = options.secretsFile ? await readSecrets(options.secretsFile) : new Map<string, string>();
  const request = {
    retries: options.retries ?? 4,
    timeoutMs: options.timeoutMs ?? 15_000,
    fetch: options.fetch ?? fetch,
  };
  const result: ProvisionResult = { devices: [], created: 0, existing: 0, unknownSecrets: [] };
  const secretOf = new Map<string, string>();
  let unsaved = 0;
  let saving = Promise.resolve();
  let saveError: unknown = null;
  const save = () => {
    if (!options.secretsFile || unsaved === 0) return saving;
    unsaved = 0;
    const file = options.secretsFile;
    const snapshot = new Map(secrets);
    saving = saving
      .then(() => writeSecrets(file, snapshot))
      .catch((err: unknown) => {
        saveError = err;
      });
    return saving;
  };

  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++]!;
      const answer = await postDevice(url, adminToken, spec, request);
      if (answer.status === 201) {
        result.created++;
        secrets.set(spec.id, answer.secret);
        secretOf.set(spec.id, answer.secret);
        if (++unsaved >= 50) void save();
      } else if (secrets.has(spec.id)) {
        result.existing++;
        secretOf.set(spec.id, secrets.get(spec.id)!);
      } else {
        result.unknownSecrets.push(spec.id);
      }
      options.onProgress?.(++done, specs.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 8) }, worker));
  } finally {
    // Whatever was issued must be remembered, even when a later request failed.
    await save();
  }
  if (saveError) throw saveError;
  for (const spec of specs) {
    const secret = secretOf.get(spec.id);
    if (secret) result.devices.push({ spec, secret });
  }
  if (result.unknownSecrets.length > 0) {
    logger.warn(
      { count: result.unknownSecrets.length, first: result.unknownSecrets[0] },
      'devices exist in the API but their secrets are unknown here; they will not connect',
    );
  }
  return result;
}
