import { afterAll, beforeAll, describe } from 'vitest';
import { influxdPath, type RunningInfluxd, requireBinary, startInfluxd } from '../testing/index.ts';
import { describeTelemetryStoreContract } from './contract.ts';
import { createInfluxStore } from './influx/index.ts';

const hasInfluxd = requireBinary(influxdPath, 'influxdb');

describe.skipIf(!hasInfluxd)('InfluxTelemetryStore against a real influxd', () => {
  let influxd: RunningInfluxd;
  let databases = 0;
  beforeAll(async () => {
    influxd = await startInfluxd();
  });
  afterAll(async () => {
    await influxd?.dispose();
  });

  // A database per test keeps them independent without restarting influxd.
  describeTelemetryStoreContract('influx', async () => ({
    store: createInfluxStore({ url: influxd.url, database: `contract_${++databases}`, retentionDays: 30 }),
    dispose: async () => {},
  }));
});
