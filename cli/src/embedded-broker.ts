import { readFileSync } from 'node:fs';
import {
  type Broker,
  buildBroker,
  type DeviceCredentials,
  type PublishInterceptor,
  type ServiceAccount,
} from '@aftercare/broker';
import { type Config, ConfigError, hashSecret, type Logger } from '@aftercare/core';
import type { Registry } from 'prom-client';

/**
 * The embedded aedes broker as configured by AFTERCARE_*: listeners (TLS ones when a certificate is
 * given), per-device limits, and the `aftercare-ingest` account when AFTERCARE_INGEST_SECRET is set.
 * One place for it, whether it runs beside ingest (`start`) or alone (`broker`).
 */
export async function createEmbeddedBroker(
  config: Config,
  deps: {
    logger: Logger;
    metrics: Registry;
    credentials: DeviceCredentials;
    interceptor?: PublishInterceptor;
  },
): Promise<Broker> {
  const serviceAccounts: ServiceAccount[] = [];
  if (config.AFTERCARE_INGEST_SECRET) {
    serviceAccounts.push({
      username: 'aftercare-ingest',
      secretHash: await hashSecret(config.AFTERCARE_INGEST_SECRET),
      role: 'ingest',
    });
  }
  const tls = readTls(config);
  return buildBroker(
    {
      host: config.AFTERCARE_HOST,
      tcpPort: config.AFTERCARE_MQTT_PORT,
      wsPort: config.AFTERCARE_MQTT_WS_PORT,
      mqttsPort: tls ? config.AFTERCARE_MQTTS_PORT : null,
      wssPort: tls ? config.AFTERCARE_WSS_PORT : null,
      tls,
      msgsPerSecond: config.AFTERCARE_DEVICE_MSGS_PER_S,
      connectsPerMinute: config.AFTERCARE_DEVICE_CONNECTS_PER_MIN,
    },
    {
      logger: deps.logger.child({ component: 'broker' }),
      metrics: deps.metrics,
      credentials: deps.credentials,
      serviceAccounts,
      ...(deps.interceptor ? { interceptor: deps.interceptor } : {}),
    },
  );
}

function readTls(config: Config): { cert: string; key: string } | null {
  if (!config.AFTERCARE_TLS_CERT || !config.AFTERCARE_TLS_KEY) return null;
  try {
    return {
      cert: readFileSync(config.AFTERCARE_TLS_CERT, 'utf8'),
      key: readFileSync(config.AFTERCARE_TLS_KEY, 'utf8'),
    };
  } catch (err) {
    throw new ConfigError(`AFTERCARE_TLS_CERT/AFTERCARE_TLS_KEY: cannot read (${(err as Error).message})`);
  }
}
