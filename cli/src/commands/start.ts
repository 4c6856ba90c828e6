import { join } from 'node:path';
import type { Config, Logger } from '@aftercare/core';
import {
  createFleet,
  type FleetRun,
  provisionDevices,
  runFleet,
  secretsFileName,
} from '@aftercare/device-sim';
import { startPlatform } from '../platform.ts';
import { describeStore } from '../telemetry-store.ts';
import { stopOnSignals } from './lifecycle.ts';

/** Virtual history the demo fleet replays (at AFTERCARE_SIM_SPEED) before it runs in real time. */
const demoBackfillMs = 24 * 3_600_000;

export async function runStart(config: Config, logger: Logger): Promise<void> {
  const platform = await startPlatform({ config, logger });
  let fleet: FleetRun | undefined;

  if (config.AFTERCARE_SIM_DEVICES > 0 && platform.httpUrl) {
    const start = Date.now() - demoBackfillMs;
    const specs = createFleet({
      seed: config.AFTERCARE_SIM_SEED,
      devices: config.AFTERCARE_SIM_DEVICES,
      start,
    }).specs;
    const provisioned = await provisionDevices(platform.httpUrl, platform.adminToken, specs, {
      secretsFile: join(config.AFTERCARE_DATA_DIR, secretsFileName),
      logger,
    });
    if (provisioned.unknownSecrets.length > 0) {
      logger.warn(
        { devices: provisioned.unknownSecrets.length },
        'some simulated devices exist without a remembered secret and will stay offline',
      );
    }
    fleet = runFleet({
      mqttUrl: platform.mqttUrl,
      devices: provisioned.devices,
      speed: config.AFTERCARE_SIM_SPEED,
      intervalMs: config.AFTERCARE_SIM_INTERVAL_S * 1000,
      start,
      logger,
    });
  }

  const lines = [
    '',
    'Aftercare is running',
    `  API          ${platform.httpUrl}/api      (OpenAPI: ${platform.httpUrl}/api/openapi.json)`,
    `  health       ${platform.httpUrl}/health   metrics: ${platform.httpUrl}/metrics`,
    `  MQTT         ${platform.mqttUrl}${platform.addresses?.wsPort ? `   WebSocket: ws://${platform.addresses.host}:${platform.addresses.wsPort}/mqtt` : ''}`,
    `  store        ${describeStore(config)}`,
    `  admin token  ${platform.adminToken}${platform.adminTokenGenerated ? '   (generated for this run; set AFTERCARE_ADMIN_TOKEN to fix it)' : ''}`,
    `  fleet        ${fleet ? `${config.AFTERCARE_SIM_DEVICES} simulated devices, replaying the last 24 h at ${config.AFTERCARE_SIM_SPEED}× then live` : 'none (AFTERCARE_SIM_DEVICES=0)'}`,
    '',
    `  try: curl -H "Authorization: Bearer ${platform.adminToken}" ${platform.httpUrl}/api/devices`,
    '  Ctrl-C stops everything and flushes ingest.',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  stopOnSignals(logger, async () => {
    await fleet?.stop();
    await platform.stop();
  });
}
