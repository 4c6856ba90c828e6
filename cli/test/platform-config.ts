import { type Config, loadConfig } from '@aftercare/core';

/**
 * A platform for a test: everything on free ports under `dataDir`, no simulated fleet, no logs, and
 * the admin token the test signs in with; `extra` adds or overrides settings (an InfluxDB, a seed …).
 */
export function testPlatformConfig(
  dataDir: string,
  adminToken: string,
  extra: Record<string, string> = {},
): Config {
  return loadConfig({
    AFTERCARE_DATA_DIR: dataDir,
    AFTERCARE_HTTP_PORT: '0',
    AFTERCARE_MQTT_PORT: '0',
    AFTERCARE_MQTT_WS_PORT: '0',
    AFTERCARE_SIM_DEVICES: '0',
    AFTERCARE_ADMIN_TOKEN: adminToken,
    AFTERCARE_LOG_LEVEL: 'silent',
    ...extra,
  });
}
