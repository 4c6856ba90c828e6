import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SimError } from '../errors.ts';
import { fileErrorReason } from '../file-errors.ts';

/**
 * DEMO ONLY. The API shows a device's secret exactly once, so a restarted simulator would be locked
 * out of the devices it provisioned before (the API answers 409 and no secret). This file, readable by
 * its owner only, remembers the secrets it was given. A real device keeps its secret in its own
 * secure storage; never keep a fleet's secrets together in a file like this outside a demo.
 */
export const secretsFileName = 'sim-secrets.json';

export function secretsFilePath(dataDir: string): string {
  return join(dataDir, secretsFileName);
}

interface SecretsDocument {
  warning: string;
  devices: Record<string, string>;
}

export async function readSecrets(path: string): Promise<Map<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return new Map();
    throw new SimError('SIM_SECRETS_FILE_INVALID', `cannot read ${path}: ${fileErrorReason(err)}`, {
      cause: err,
    });
  }
  try {
    const doc = JSON.parse(text) as Partial<SecretsDocument>;
    if (!doc.devices || typeof doc.devices !== 'object') throw new Error('no "devices" object');
    return new Map(
      Object.entries(doc.devices).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch (err) {
    throw new SimError(
      'SIM_SECRETS_FILE_INVALID',
      `${path} is not a simulator secrets file: ${(err as Error).message}`,
    );
  }
}

/** Writes atomically (temporary file, then rename) so a crash never leaves half a file, mode 0600. */
export async function writeSecrets(path: string, secrets: ReadonlyMap<string, string>): Promise<void> {
  try {
    await writeSecretsFile(path, secrets);
  } catch (err) {
    throw new SimError('SIM_WRITE_FAILED', `cannot write ${path}: ${fileErrorReason(err)}`, { cause: err });
  }
}

async function writeSecretsFile(path: string, secrets: ReadonlyMap<string, string>): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const doc: SecretsDocument = {
    warning: 'Demo only: device secrets of the Aftercare simulator. Delete this file to forget them.',
    devices: Object.fromEntries([...secrets].sort(([a], [b]) => a.localeCompare(b))),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
  // The mode given to writeFile is masked by the umask; the secrets must not be group-readable regardless.
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
