import type { Config } from '@aftercare/core';
import { createDatabase, type ServiceDatabase } from '@aftercare/service';
import type { z } from 'zod';

/*
 * What the commands that work on the service database (`users`, `tokens`) share: opening it for one
 * command, naming the flag a body field came from, and showing what a credential is confined to.
 */

export type DataDirConfig = Pick<Config, 'AFTERCARE_DATA_DIR'>;

/** Flags are checked before this opens the database, so that a mistake does not create an empty data directory. */
export async function withServiceDb<T>(
  config: DataDirConfig,
  use: (db: ServiceDatabase) => Promise<T>,
): Promise<T> {
  const db = await createDatabase({ dataDir: config.AFTERCARE_DATA_DIR });
  try {
    return await use(db);
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
