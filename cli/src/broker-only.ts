import { mkdirSync } from 'node:fs';
import type { Broker, BrokerAddresses } from '@aftercare/broker';
import { type Config, ConfigError, type Logger } from '@aftercare/core';
import { createDatabase, DeviceRegistry } from '@aftercare/service';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { createEmbeddedBroker } from './embedded-broker.ts';

/**
 * The embedded broker on its own, for a deployment where ingest workers run elsewhere: devices
 * log in against the service's device registry, ingest workers with the `aftercare-ingest` account.
 */
export async function startBrokerOnly(
  config: Config,
  logger: Logger,
): Promise<{ broker: Broker; addresses: BrokerAddresses; stop(): Promise<void> }> {
  if (!config.AFTERCARE_INGEST_SECRET) {
    throw new ConfigError(
      'AFTERCARE_INGEST_SECRET: required when the broker runs alone, so ingest workers can log in',
    );
  }
  mkdirSync(config.AFTERCARE_DATA_DIR, { recursive: true });
  const db = await createDatabase({ dataDir: config.AFTERCARE_DATA_DIR });
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics, prefix: 'aftercare_process_' });
  const broker = await createEmbeddedBroker(config, { logger, metrics, credentials: new DeviceRegistry(db) });
  const addresses = await broker.start();
  return {
    broker,
    addresses,
    async stop() {
      await broker.stop();
      await db.destroy();
    },
  };
}
