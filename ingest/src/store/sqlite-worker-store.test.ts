import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTelemetryStoreContract } from './contract.ts';
import { createWorkerBackedSqliteStore } from './sqlite/index.ts';

// The platform's default: the same contract with writes on a worker thread and reads on the caller's.
describeTelemetryStoreContract('sqlite with a writer thread', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-sqlite-worker-contract-'));
  return {
    store: createWorkerBackedSqliteStore({ file: join(dir, 'telemetry.db'), retentionDays: 30 }),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
});
