import { existsSync } from 'node:fs';
import { SimError } from '../errors.ts';
import { fleetSpecs } from '../fleet.ts';
import { type LoadReport, runLoad } from '../mqtt/load-runner.ts';
import { provisionDevices } from '../provisioning/provision-devices.ts';
import { secretsFilePath } from '../provisioning/secrets-file.ts';
import { z } from '../zod.ts';
import type { CommandContext } from './command-context.ts';
import {
  apiUrlFlag,
  type CommandSpec,
  dataDirFlag,
  durationFlag,
  helpText,
  intFlag,
  mqttUrlFlag,
  numberFlag,
  parseCommand,
  platformDefaults,
  qosFlag,
  sourceOf,
} from './flags.ts';
import { brokerFailure, unknownSecretsReason } from './fleet-failures.ts';
import { formatCount, StatusLine } from './status-line.ts';

const loadSpec = {
  name: 'load',
  summary: 'Benchmark load: many provisioned devices publishing realistic samples at a target rate.',
  usage:
    'pnpm sim load [--devices 100] [--rate 10000] [--duration 30s] [--qos 1] [--token <admin token>] [options]',
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
    devices: { type: 'string', description: 'number of devices (default 100)' },
    rate: {
      type: 'string',
      description: 'samples per second over all devices; 0 = as fast as acks allow (default 10000)',
    },
    'rate-per-device': { type: 'string', description: 'samples per second per device (instead of --rate)' },
    duration: {
      type: 'string',
      description:
        'how long to publish, e.g. 30s (default 30s unless --count; with --count, whichever ends first)',
    },
    count: { type: 'string', description: 'stop after this many samples' },
    qos: { type: 'string', description: 'MQTT QoS, 0 or 1 (default 1)' },
    'samples-per-message': { type: 'string', description: 'samples batched into one message (default 1)' },
    'id-prefix': { type: 'string', description: 'device id prefix (default load-)' },
    seed: { type: 'string', description: 'seed for the device specs (default 1)' },
    'data-dir': {
      type: 'string',
      description: 'where sim-secrets.json lives (default $AFTERCARE_DATA_DIR or ./data)',
    },
    'connect-rate': { type: 'string', description: 'new MQTT connections per second (default 500)' },
    json: { type: 'boolean', description: 'print the report as one JSON object' },
  },
  schema: z
    .object({
      api: apiUrlFlag,
      token: z.string({ error: 'give an admin token, or set AFTERCARE_ADMIN_TOKEN' }).min(1),
      mqtt: mqttUrlFlag,
      devices: intFlag(1, 100_000).default(100),
      // No default here: a --rate given beside --rate-per-device must be seen, to be refused.
      rate: numberFlag(0, 10_000_000).optional(),
      'rate-per-device': numberFlag(0.001, 100_000).optional(),
      duration: durationFlag('s')
        .pipe(z.number().min(1, 'must be more than 0; leave it out for 30s, or give --count'))
        .optional(),
      count: intFlag(1, Number.MAX_SAFE_INTEGER).optional(),
      qos: qosFlag.default(1),
      'samples-per-message': intFlag(1, 1000).default(1),
      'id-prefix': z
        .string()
        .regex(
          /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/,
          'must be letters, digits, "_" or "-", starting with a letter or digit',
        )
        .default('load-'),
      seed: intFlag(-2_147_483_648, 4_294_967_295).default(1),
      'data-dir': dataDirFlag,
      'connect-rate': numberFlag(1, 100_000).default(500),
      json: z.boolean().default(false),
    })
    .refine((f) => f.rate === undefined || f['rate-per-device'] === undefined, {
      message: 'cannot be given with --rate; give one of the two',
      path: ['rate-per-device'],
    }),
} satisfies CommandSpec<z.ZodType>;

export function loadHelp(): string {
  return helpText(loadSpec);
}

function formatReport(r: LoadReport): string {
  const seconds = (r.endedAt - r.startedAt) / 1000;
  const latency = r.ackLatencyMs
    ? `ack latency p50 ${r.ackLatencyMs.p50.toFixed(1)} ms, p99 ${r.ackLatencyMs.p99.toFixed(1)} ms, max ${r.ackLatencyMs.max.toFixed(1)} ms`
    : 'no acknowledgements';
  return [
    `devices ${r.connected}/${r.devices} connected, QoS ${r.qos}, ${r.samplesPerMessage} sample(s) per message, target ${r.targetRate ? `${formatCount(r.targetRate)} samples/s` : 'unlimited'}`,
    `sent ${formatCount(r.samplesSent)} samples in ${formatCount(r.messagesSent)} messages; acked ${formatCount(r.samplesAcked)} samples (${formatCount(r.messagesAcked)} messages); errors ${r.publishErrors}`,
    `${formatCount(Math.round(r.samplesPerS))} samples/s, ${formatCount(Math.round(r.messagesPerS))} messages/s over ${seconds.toFixed(1)} s; ${latency}`,
  ].join('\n');
}

export async function loadCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const defaults = platformDefaults(ctx.env);
  const flags = parseCommand(loadSpec, argv, defaults);
  if (flags === 'help') {
    ctx.stdout.write(`${helpText(loadSpec)}\n`);
    return 0;
  }
  const status = new StatusLine(ctx.stderr);
  // Load devices carry no failures: the benchmark measures the pipeline, not the physics.
  const specs = fleetSpecs({
    seed: flags.seed,
    devices: flags.devices,
    start: ctx.now,
    failureRate: 0,
    idPrefix: flags['id-prefix'],
  });
  const secretsFile = secretsFilePath(flags['data-dir']);
  const hadSecretsFile = existsSync(secretsFile);
  const provisioned = await provisionDevices(flags.api, flags.token, specs, {
    secretsFile,
    concurrency: 16,
    logger: ctx.logger,
    onProgress: (done, total) =>
      status.update(`provisioning ${formatCount(done)}/${formatCount(total)} devices`),
  });
  status.done(`provisioned ${provisioned.created} new, ${provisioned.existing} known`);
  if (provisioned.devices.length === 0) {
    throw new SimError(
      'SIM_PROVISION_FAILED',
      `no load device can log in: ${unknownSecretsReason(secretsFile, hadSecretsFile)}; ` +
        'give the --data-dir they were provisioned with, or another --id-prefix',
    );
  }
  const report = await runLoad({
    mqttUrl: flags.mqtt,
    devices: provisioned.devices.map(({ spec, secret }) => ({ id: spec.id, secret, model: spec.model })),
    ...(flags['rate-per-device'] !== undefined
      ? { ratePerDevice: flags['rate-per-device'] }
      : { totalRate: flags.rate ?? 10_000 }),
    ...(flags.duration !== undefined ? { durationS: flags.duration / 1000 } : {}),
    ...(flags.count !== undefined ? { count: flags.count } : {}),
    ...(flags.duration === undefined && flags.count === undefined ? { durationS: 30 } : {}),
    qos: flags.qos,
    samplesPerMessage: flags['samples-per-message'],
    connectRatePerS: flags['connect-rate'],
    signal: ctx.signal,
    logger: ctx.logger,
    onProgress: (p) =>
      status.update(
        `load: ${formatCount(p.connected)}/${formatCount(p.devices)} connected · ` +
          `${formatCount(p.samplesSent)} samples sent · ${formatCount(p.samplesAcked)} acked · errors ${p.publishErrors}`,
      ),
  });
  status.done();
  if (report.connected === 0) {
    throw brokerFailure(
      report.failure ?? { kind: 'unreachable', reason: 'no device connected in time' },
      flags.mqtt,
      sourceOf(argv, 'mqtt', defaults),
    );
  }
  // Unacknowledged samples are a finding of the benchmark, reported, not a failure of the tool.
  ctx.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  return 0;
}
