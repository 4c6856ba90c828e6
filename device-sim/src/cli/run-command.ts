import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimError } from '../errors.ts';
import { defaultFailureRate, fleetSpecs } from '../fleet.ts';
import { runFleet } from '../mqtt/fleet-runner.ts';
import { provisionDevices } from '../provisioning/provision-devices.ts';
import { secretsFilePath } from '../provisioning/secrets-file.ts';
import { DAY_MS } from '../region.ts';
import { z } from '../zod.ts';
import type { CommandContext } from './command-context.ts';
import {
  type CommandSpec,
  durationFlag,
  helpText,
  intFlag,
  modelMixFlag,
  numberFlag,
  parseCommand,
  qosFlag,
  timeFlag,
  urlFlag,
} from './flags.ts';
import { openOutputFile, writeFailed } from './output-file.ts';
import { formatCount, formatVirtualTime, StatusLine } from './status-line.ts';

function runSpec(now: number) {
  return {
    name: 'run',
    summary: 'Provision simulated devices through the API, then stream their telemetry over MQTT.',
    usage: 'pnpm sim run [--devices 50] [--speed 60] [--token <admin token>] [options]',
    flags: {
      api: {
        type: 'string',
        description: 'service API base URL (default http://127.0.0.1:$AFTERCARE_HTTP_PORT or :3000)',
      },
      token: { type: 'string', description: 'admin token for provisioning (default $AFTERCARE_ADMIN_TOKEN)' },
      mqtt: {
        type: 'string',
        description: 'broker URL (default $AFTERCARE_MQTT_URL or mqtt://127.0.0.1:1883)',
      },
      devices: { type: 'string', description: 'number of devices (default $AFTERCARE_SIM_DEVICES or 50)' },
      seed: {
        type: 'string',
        description: 'seed: same seed, same fleet, same telemetry, same failures (default 1)',
      },
      speed: {
        type: 'string',
        description: 'virtual seconds per real second (default $AFTERCARE_SIM_SPEED or 60)',
      },
      interval: { type: 'string', description: 'virtual time between samples, e.g. 60s or 5m (default 60s)' },
      qos: { type: 'string', description: 'MQTT QoS for telemetry, 0 or 1 (default 1)' },
      duration: {
        type: 'string',
        description: 'stop after this much real time, e.g. 10m (default: until Ctrl-C)',
      },
      start: {
        type: 'string',
        description:
          'virtual start: now, ISO 8601 or an offset such as -7d (default now, or -7d when speed > 1)',
      },
      'ground-truth': {
        type: 'string',
        description: 'append every injected failure to this JSON-lines file',
      },
      'data-dir': {
        type: 'string',
        description: 'where sim-secrets.json lives (default $AFTERCARE_DATA_DIR or ./data)',
      },
      'id-prefix': { type: 'string', description: 'device id prefix (default sim-)' },
      'failure-rate': {
        type: 'string',
        description: `random failures per device-year (default ${defaultFailureRate})`,
      },
      models: {
        type: 'string',
        description: 'model mix, e.g. split-ac=2,refrigerator=1 (default: all four)',
      },
      'connect-rate': { type: 'string', description: 'new MQTT connections per second (default 100)' },
      'manual-repair': {
        type: 'boolean',
        description: 'failed devices stay failed until the service repairs them',
      },
    },
    schema: z.object({
      api: urlFlag,
      token: z.string({ error: 'is required (or set AFTERCARE_ADMIN_TOKEN)' }).min(1),
      mqtt: urlFlag,
      devices: intFlag(1, 100_000),
      seed: intFlag(-2_147_483_648, 4_294_967_295).default(1),
      speed: numberFlag(0.001, 1_000_000),
      interval: durationFlag('s').pipe(z.number().min(1000, 'must be at least 1s')),
      qos: qosFlag.default(1),
      duration: durationFlag('s').optional(),
      start: timeFlag(now).optional(),
      'ground-truth': z.string().min(1).optional(),
      'data-dir': z.string().min(1),
      'id-prefix': z
        .string()
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/,
          'must be letters, digits, "_" or "-", starting with a letter or digit',
        )
        .default('sim-'),
      'failure-rate': numberFlag(0, 365).default(defaultFailureRate),
      models: modelMixFlag.optional(),
      'connect-rate': numberFlag(1, 100_000).default(100),
      'manual-repair': z.boolean().default(false),
    }),
  } satisfies CommandSpec<z.ZodType>;
}

export function runHelp(): string {
  return helpText(runSpec(Date.now()));
}

export async function runCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const spec = runSpec(ctx.now);
  const env = ctx.env;
  const flags = parseCommand(spec, argv, {
    api: `http://127.0.0.1:${env.AFTERCARE_HTTP_PORT || '3000'}`,
    token: env.AFTERCARE_ADMIN_TOKEN,
    mqtt: env.AFTERCARE_MQTT_URL || `mqtt://127.0.0.1:${env.AFTERCARE_MQTT_PORT || '1883'}`,
    devices: env.AFTERCARE_SIM_DEVICES || '50',
    seed: env.AFTERCARE_SIM_SEED,
    speed: env.AFTERCARE_SIM_SPEED || '60',
    interval: env.AFTERCARE_SIM_INTERVAL_S || '60s',
    'data-dir': env.AFTERCARE_DATA_DIR || './data',
  });
  if (flags === 'help') {
    ctx.stdout.write(`${helpText(spec)}\n`);
    return 0;
  }
  const start = flags.start ?? (flags.speed > 1 ? ctx.now - 7 * DAY_MS : ctx.now);
  const specs = fleetSpecs({
    seed: flags.seed,
    devices: flags.devices,
    start,
    failureRate: flags['failure-rate'],
    idPrefix: flags['id-prefix'],
    ...(flags.models ? { models: flags.models } : {}),
  });
  const status = new StatusLine(ctx.stderr);

  const provisioned = await provisionDevices(flags.api, flags.token, specs, {
    secretsFile: secretsFilePath(flags['data-dir']),
    logger: ctx.logger,
    onProgress: (done, total) =>
      status.update(`provisioning ${formatCount(done)}/${formatCount(total)} devices`),
  });
  status.done(
    `provisioned ${provisioned.created} new, ${provisioned.existing} known` +
      (provisioned.unknownSecrets.length
        ? `, ${provisioned.unknownSecrets.length} without a known secret (skipped)`
        : ''),
  );
  if (provisioned.devices.length === 0) {
    throw new SimError(
      'SIM_PROVISION_FAILED',
      'no device can log in: they exist in the API but their secrets are unknown; use another --id-prefix or --seed',
    );
  }
  if (ctx.signal.aborted) return 0;

  const truthPath = flags['ground-truth'];
  const truthFile = truthPath ? await openOutputFile('--ground-truth', truthPath, 'append') : null;
  // A write that fails mid-run does not stop the telemetry; the run ends with the reason and exit 1.
  let truthFailure: Error | null = null;
  truthFile?.on('error', (err: Error) => {
    truthFailure ??= err;
  });
  const run = runFleet({
    mqttUrl: flags.mqtt,
    devices: provisioned.devices,
    speed: flags.speed,
    intervalMs: flags.interval,
    qos: flags.qos,
    start,
    connectRatePerS: flags['connect-rate'],
    autoRepair: !flags['manual-repair'],
    logger: ctx.logger,
    onGroundTruth: (record) => truthFile?.write(`${JSON.stringify(record)}\n`),
    onProgress: (p) =>
      status.update(
        `devices ${formatCount(p.connected)}/${formatCount(p.devices)} connected · ` +
          `msgs ${formatCount(p.messagesSent)} sent ${formatCount(p.messagesAcked)} acked · ` +
          `samples ${formatCount(p.samplesSent)} · events ${formatCount(p.eventsSent)} · ` +
          `failures ${formatCount(p.failuresInjected)} · virtual ${formatVirtualTime(p.virtualTime)}` +
          (p.refused ? ` · refused ${p.refused}` : ''),
      ),
  });

  // Ctrl-C is the ordinary way to end a run, so it ends like --duration does: cleanly, exit 0.
  const timer = new AbortController();
  const waits: Promise<unknown>[] = [once(ctx.signal, 'abort')];
  if (flags.duration !== undefined) waits.push(sleep(flags.duration, undefined, { signal: timer.signal }));
  await Promise.race(waits).catch(() => undefined);
  timer.abort();
  await run.stop();
  const p = run.progress();
  status.done(
    `stopped: ${formatCount(p.samplesSent)} samples in ${formatCount(p.messagesSent)} messages ` +
      `(${formatCount(p.messagesAcked)} acked), ${formatCount(p.failuresInjected)} failures injected, ` +
      `virtual time ${formatVirtualTime(p.virtualTime)}`,
  );
  if (truthFile) {
    truthFile.end();
    await finished(truthFile).catch((err: Error) => (truthFailure ??= err));
  }
  if (truthFailure) throw writeFailed(`--ground-truth ${truthPath}`, truthFailure);
  return 0;
}
