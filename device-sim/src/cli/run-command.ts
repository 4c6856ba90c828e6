import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimError } from '../errors.ts';
import { defaultFailureRate, fleetSpecs } from '../fleet.ts';
import { type FleetFailure, runFleet } from '../mqtt/fleet-runner.ts';
import { provisionDevices } from '../provisioning/provision-devices.ts';
import { secretsFilePath } from '../provisioning/secrets-file.ts';
import { DAY_MS } from '../region.ts';
import { z } from '../zod.ts';
import type { CommandContext } from './command-context.ts';
import {
  apiUrlFlag,
  type CommandSpec,
  dataDirFlag,
  durationFlag,
  type FlagDefault,
  fromEnv,
  helpText,
  intFlag,
  modelMixFlag,
  mqttUrlFlag,
  numberFlag,
  numberFromText,
  parseCommand,
  platformDefaults,
  qosFlag,
  sourceOf,
  timeFlag,
} from './flags.ts';
import { brokerFailure, unknownSecretsReason } from './fleet-failures.ts';
import { openOutputFile, writeFailed } from './output-file.ts';
import { formatCount, formatVirtualTime, StatusLine } from './status-line.ts';

export function runSpec(now: number) {
  return {
    name: 'run',
    summary: 'Provision simulated devices through the API, then stream their telemetry over MQTT.',
    usage: 'pnpm sim run [--devices 200] [--speed 60] [--token <admin token>] [options]',
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
      devices: { type: 'string', description: 'number of devices (default $AFTERCARE_SIM_DEVICES or 200)' },
      seed: {
        type: 'string',
        description:
          'seed: same seed, same fleet, same telemetry, same failures (default $AFTERCARE_SIM_SEED or 1)',
      },
      speed: {
        type: 'string',
        description: 'virtual seconds per real second, at most 100000 (default $AFTERCARE_SIM_SPEED or 60)',
      },
      interval: {
        type: 'string',
        description:
          'virtual time between samples, e.g. 60s, 0.5 or 5m; a bare number is seconds (default $AFTERCARE_SIM_INTERVAL_S or 60)',
      },
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
      api: apiUrlFlag,
      token: z.string({ error: 'give an admin token, or set AFTERCARE_ADMIN_TOKEN' }).min(1),
      mqtt: mqttUrlFlag,
      devices: intFlag(1, 100_000),
      seed: intFlag(-2_147_483_648, 4_294_967_295).default(1),
      // The bounds of core's AFTERCARE_SIM_SPEED, so the variable means the same to `pnpm start` and here.
      speed: numberFromText(false).pipe(
        z.number().positive('must be more than 0').max(100_000, 'must be at most 100000'),
      ),
      // Anything core's AFTERCARE_SIM_INTERVAL_S takes (seconds, 0.5 included), down to a millisecond.
      interval: durationFlag('s').pipe(z.number().min(1, 'must be at least 1ms')),
      qos: qosFlag.default(1),
      duration: durationFlag('s')
        .pipe(z.number().min(1, 'must be more than 0; leave it out to run until Ctrl-C'))
        .optional(),
      start: timeFlag(now).optional(),
      'ground-truth': z.string().min(1).optional(),
      'data-dir': dataDirFlag,
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

/** The defaults of `run`'s flags: the environment's variables, each named where it is blamed. */
export function runDefaults(env: CommandContext['env']): Record<string, FlagDefault> {
  return {
    ...platformDefaults(env),
    // core's config gives AFTERCARE_SIM_DEVICES the same default, for the demo `pnpm start` runs.
    devices: fromEnv(env, 'AFTERCARE_SIM_DEVICES', '200'),
    seed: fromEnv(env, 'AFTERCARE_SIM_SEED'),
    speed: fromEnv(env, 'AFTERCARE_SIM_SPEED', '60'),
    interval: fromEnv(env, 'AFTERCARE_SIM_INTERVAL_S', '60'),
  };
}

export async function runCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const spec = runSpec(ctx.now);
  const defaults = runDefaults(ctx.env);
  const flags = parseCommand(spec, argv, defaults);
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

  const secretsFile = secretsFilePath(flags['data-dir']);
  const hadSecretsFile = existsSync(secretsFile);
  const provisioned = await provisionDevices(flags.api, flags.token, specs, {
    secretsFile,
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
      `no device can log in: ${unknownSecretsReason(secretsFile, hadSecretsFile)}; ` +
        'give the --data-dir the fleet was provisioned with, or another --id-prefix or --seed for a new fleet',
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
  // A run that can send nothing at all (no broker there, every device refused) ends at once, exit 1.
  const timer = new AbortController();
  const waits: Promise<FleetFailure | undefined>[] = [
    once(ctx.signal, 'abort').then(() => undefined),
    run.failed,
  ];
  if (flags.duration !== undefined) waits.push(sleep(flags.duration, undefined, { signal: timer.signal }));
  const failure = await Promise.race(waits).catch(() => undefined);
  timer.abort();
  await run.stop();
  const p = run.progress();
  if (failure) status.done();
  else
    status.done(
      `stopped: ${formatCount(p.samplesSent)} samples in ${formatCount(p.messagesSent)} messages ` +
        `(${formatCount(p.messagesAcked)} acked), ${formatCount(p.failuresInjected)} failures injected, ` +
        `virtual time ${formatVirtualTime(p.virtualTime)}`,
    );
  if (truthFile) {
    truthFile.end();
    await finished(truthFile).catch((err: Error) => (truthFailure ??= err));
  }
  if (failure) throw brokerFailure(failure, flags.mqtt, sourceOf(argv, 'mqtt', defaults));
  if (truthFailure) throw writeFailed(`--ground-truth ${truthPath}`, truthFailure);
  return 0;
}
