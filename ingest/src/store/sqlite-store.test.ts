import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTelemetryStoreContract } from './contract.ts';
import { createSqliteStore } from './sqlite/index.ts';

describeTelemetryStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-sqlite-contract-'));
  return {
    store: createSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 30 }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
