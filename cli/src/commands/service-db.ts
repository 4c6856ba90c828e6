import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Config, ConfigError, ValidationError } from '@aftercare/core';
import { createDatabase, type ServiceDatabase, serviceDatabaseFile } from '@aftercare/service';
import type { z } from 'zod';

/*
 * What the commands that work on the service database (`users`, `tokens`) share: opening it for one
 * command, naming the flag a body field came from, and showing what a credential is confined to.
 */

export type DataDirConfig = Pick<Config, 'AFTERCARE_DATA_DIR'>;

/**
 * Opens the service database for one command. Flags are checked before this, so that a mistake does
 * not create an empty data directory. Only a command that `creates` (adding the first account before
 * the platform's first start) may make the database; any other finds none in a mistyped
 * AFTERCARE_DATA_DIR and says so, instead of reading an empty one it made there (a ConfigError: the
 * command line was right, the environment is not). The domain's refusals of a value name the body
 * field (`customerId: …`); they are told as the flag it came from (`--customer: …`).
 */
export async function withServiceDb<T>(
  config: DataDirConfig,
  use: (db: ServiceDatabase) => Promise<T>,
  options: { creates?: boolean } = {},
): Promise<T> {
  const dir = config.AFTERCARE_DATA_DIR;
  if (!options.creates && !existsSync(join(dir, serviceDatabaseFile)))
    throw new ConfigError(
      `AFTERCARE_DATA_DIR: ${resolve(dir)} holds no platform database (${serviceDatabaseFile}); point it at the platform's data directory, or start the platform there once (pnpm start)`,
    );
  const db = await createDatabase({ dataDir: dir });
  try {
    return await use(db);
  } catch (err) {
    const field = err instanceof ValidationError ? /^(\w+): /.exec(err.message)?.[1] : undefined;
    const flag = field === undefined ? undefined : flagOfField[field];
    if (flag === undefined) throw err;
    throw new ValidationError(`${flag}: ${(err as Error).message.slice(field!.length + 2)}`);
  } finally {
    await db.destroy();
  }
}

/** Body fields filled from flags of another name. */
const flagOfField: Record<string, string> = { customerId: '--customer', technicianId: '--technician' };

/** The first thing wrong with a body built from flags, as "--flag: what is wrong". */
export function flagIssue(error: z.ZodError, named: Record<string, string> = {}): string {
  const issue = error.issues[0]!;
  const key = String(issue.path[0] ?? 'arguments');
  return `${named[key] ?? flagOfField[key] ?? `--${key}`}: ${issue.message}`;
}

/** " customer=…" or " technician=…" for a credential confined to one; nothing otherwise. */
export function scopeOf(record: { customerId: string | null; technicianId: string | null }): string {
  if (record.customerId) return ` customer=${record.customerId}`;
  if (record.technicianId) return ` technician=${record.technicianId}`;
  return '';
}
