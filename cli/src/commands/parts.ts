import { type Config, ConfigError, type Logger } from '@aftercare/core';
import { startBrokerOnly } from '../broker-only.ts';
import { startPlatform } from '../platform.ts';
import { describeStore } from '../telemetry-store.ts';
import { stopOnSignals } from './lifecycle.ts';

export async function runBrokerCommand(config: Config, logger: Logger): Promise<void> {
  const running = await startBrokerOnly(config, logger);
  logger.info({ ...running.addresses }, 'broker listening');
  stopOnSignals(logger, running.stop);
}

export async function runIngestCommand(config: Config, logger: Logger): Promise<void> {
  if (!config.AFTERCARE_MQTT_URL) {
    throw new ConfigError('AFTERCARE_MQTT_URL: required for an ingest worker (the broker it subscribes to)');
  }
  const platform = await startPlatform({ config, logger, parts: { api: false } });
  logger.info(
    {
      broker: config.AFTERCARE_MQTT_URL,
      store: describeStore(config),
      shareGroup: config.AFTERCARE_INGEST_SHARE_GROUP,
    },
    'ingest worker running',
  );
  stopOnSignals(logger, platform.stop);
}

export async function runApiCommand(config: Config, logger: Logger): Promise<void> {
  if (!config.AFTERCARE_ADMIN_TOKEN)
    throw new ConfigError('AFTERCARE_ADMIN_TOKEN: required when the API runs on its own');
  const platform = await startPlatform({ config, logger, parts: { ingest: false } });
  logger.info({ url: platform.httpUrl, store: describeStore(config) }, 'API listening');
  stopOnSignals(logger, platform.stop);
}
