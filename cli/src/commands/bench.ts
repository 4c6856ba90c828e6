import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AftercareError, createLogger, integerParamSchema } from '@aftercare/core';
import type { LoadReport } from '@aftercare/device-sim';
import { createInfluxStore, createSqliteStore } from '@aftercare/ingest';
import { freePort, requireBinary, startInfluxd } from '@aftercare/ingest/testing';
import { z } from 'zod';
import { helpText, parseCommandArgs } from '../args.ts';
import { consoleSpeedBenchRows } from '../bench/console-speed.ts';
import { runSim, startPlatformProcess } from '../bench/platform-process.ts';
import { measureRawWrites, simulatedPoints } from '../bench/raw-writes.ts';
import { scoringBenchRows } from '../bench/scoring.ts';
import { type BenchRow, fmt, formatTable } from '../bench/table.ts';
import { trainingBenchRows } from '../bench/training.ts';

const scenarios = ['sqlite', 'influx', 'connected', 'scoring', 'training', 'console'] as const;
type Scenario = (typeof scenarios)[number];

/**
 * `--only sqlite,scoring`: the scenarios named, each once. An unknown one is named with the list to
 * choose from ("--only: unknown scenario "nosuch"; the scenarios are sqlite, influx, …").
 */
function scenarioList(text: string, ctx: z.RefinementCtx<string>): Scenario[] {
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => name !== '' && !(scenarios as readonly string[]).includes(name));
  if (unknown.length > 0) {
    const quoted = unknown.map((name) => `"${name}"`).join(', ');
    ctx.addIssue({
      code: 'custom',
      message: `unknown scenario${unknown.length > 1 ? 's' : ''} ${quoted}; the scenarios are ${scenarios.join(', ')}`,
    });
    return z.NEVER;
  }
  const chosen = scenarios.filter((name) => names.includes(name));
  if (chosen.length === 0) {
    ctx.addIssue({ code: 'custom', message: `must name one or more of ${scenarios.join(', ')}` });
    return z.NEVER;
  }
  return chosen;
}

const spec = {
  name: 'bench',
  summary: 'Runs the benchmarks on this machine and prints one table (stores started in temp directories).',
  usage:
    'pnpm bench [--only sqlite,influx,connected,scoring,training,console] [--seconds 20] [--devices 500] [--connected 10000] [--scored 10000] [--raw-samples 1000000] [--json]',
  flags: {
    only: {
      type: 'string' as const,
      description: `scenarios to run, comma-separated: ${scenarios.join(', ')} (default all)`,
    },
    seconds: {
      type: 'string' as const,
      description: 'seconds of each end-to-end load run, 3 to 600 (default 20)',
    },
    devices: {
      type: 'string' as const,
      description: 'simulated devices publishing in the end-to-end runs, 1 to 20000 (default 500)',
    },
    connected: {
      type: 'string' as const,
      description: 'devices held connected for the memory figure, 100 to 19000 (default 10000)',
    },
    scored: {
      type: 'string' as const,
      description: 'simulated devices in the store for the fleet scoring run, 100 to 50000 (default 10000)',
    },
    'raw-samples': {
      type: 'string' as const,
      description:
        'samples written straight to each store as the reference, about what a load run writes, 10000 to 5000000 (default 1000000)',
    },
    json: { type: 'boolean' as const, description: 'print the rows as JSON as well' },
  },
  schema: z.object({
    only: z.string().default(scenarios.join(',')).transform(scenarioList),
    seconds: integerParamSchema(3, 600).default(20),
    devices: integerParamSchema(1, 20_000).default(500),
    connected: integerParamSchema(100, 19_000).default(10_000),
    scored: integerParamSchema(100, 50_000).default(10_000),
    'raw-samples': integerParamSchema(10_000, 5_000_000).default(1_000_000),
    json: z.boolean().default(false),
  }),
};

const token = 'bench-admin-token-0123456789abcdef';
const logger = createLogger({ level: 'warn' });
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function endToEnd(
  store: 'sqlite' | 'influx',
  options: z.infer<typeof spec.schema>,
  influxUrl?: string,
) {
  const dataDir = mkdtempSync(join(tmpdir(), `aftercare-bench-${store}-`));
  const env: Record<string, string> = {
    AFTERCARE_DATA_DIR: dataDir,
    AFTERCARE_ADMIN_TOKEN: token,
    AFTERCARE_SIM_DEVICES: '0',
    ...(influxUrl ? { AFTERCARE_INFLUX_URL: influxUrl, AFTERCARE_INFLUX_DB: 'bench_e2e' } : {}),
  };
  const platform = await startPlatformProcess(env, await freePort(), await freePort());
  try {
    progress(
      `${store}: ${options.devices} devices publishing QoS 1 as fast as acknowledgements allow, ${options.seconds} s`,
    );
    const loadArgs = [
      'load',
      '--api',
      platform.httpUrl,
      '--token',
      token,
      '--mqtt',
      platform.mqttUrl,
      '--devices',
      String(options.devices),
      '--qos',
      '1',
      '--samples-per-message',
      '10',
      '--data-dir',
      dataDir,
      '--connect-rate',
      '1000',
    ];
    const report = await runSim<LoadReport>([
      ...loadArgs,
      '--rate',
      '0',
      '--duration',
      `${options.seconds}s`,
    ]);
    // Latency means something only below saturation: a second run at a steady 10k samples/s, the
    // load of 600,000 devices reporting once a minute.
    const steadyRate = Math.min(10_000, Math.round(report.samplesPerS / 2));
    progress(`${store}: latency at a steady ${steadyRate} samples/s, ${options.seconds} s`);
    const steady = await runSim<LoadReport>([
      ...loadArgs,
      '--rate',
      String(steadyRate),
      '--duration',
      `${options.seconds}s`,
    ]);
    return { report, steady, peakRss: platform.peakRss() };
  } finally {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runBench(argv: string[]): Promise<void> {
  const options = parseCommandArgs(spec, argv);
  if (options === 'help') {
    console.log(helpText(spec));
    return;
  }
  const started = performance.now();
  const loadAtStart = loadavg();
  const rows: BenchRow[] = [];
  // The raw-write reference samples, built only for the store scenarios that write them.
  const needsPoints = options.only.includes('sqlite') || options.only.includes('influx');
  const points = needsPoints ? simulatedPoints(options['raw-samples'], 1000) : [];
  let fewest = Number.POSITIVE_INFINITY;
  let most = 0;
  for (const point of points) {
    const count = Object.keys(point.metrics).length;
    fewest = Math.min(fewest, count);
    most = Math.max(most, count);
  }
  const sampleNote = `${points.length.toLocaleString('en')} simulated samples (${fewest}–${most} metrics), 1,000 devices`;

  if (options.only.includes('sqlite')) {
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-raw-'));
    const store = createSqliteStore({ file: join(dir, 'raw.db'), retentionDays: 3650, logger });
    await store.init();
    progress('sqlite: raw batched writes');
    const raw = await measureRawWrites(store, points, 5000, 1);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    const { report, steady, peakRss } = await endToEnd('sqlite', options);
    rows.push({
      what: 'SQLite: raw batched writes (no platform)',
      data: sampleNote,
      figure: `${fmt.rate(raw)} samples/s`,
      reference: 'batches of 5,000, 1 writer',
    });
    rows.push(...e2eRows('SQLite', report, steady, raw, peakRss, options));
  }

  if (options.only.includes('influx')) {
    if (!requireBinary('/usr/bin/influxd', 'influxdb'))
      throw new AftercareError('BENCH_INFLUXD_MISSING', 'influxd is not installed: apt-get install influxdb');
    const influx = await startInfluxd();
    try {
      const store = createInfluxStore({
        url: influx.url,
        database: 'bench_raw',
        retentionDays: 3650,
        logger,
      });
      await store.init();
      progress('influx: raw batched writes');
      const raw = await measureRawWrites(store, points, 5000, 3);
      await store.close();
      const { report, steady, peakRss } = await endToEnd('influx', options, influx.url);
      rows.push({
        what: 'InfluxDB 1.6: raw batched writes (no platform)',
        data: sampleNote,
        figure: `${fmt.rate(raw)} samples/s`,
        reference: 'batches of 5,000, 3 writers (as ingest)',
      });
      rows.push(...e2eRows('InfluxDB', report, steady, raw, peakRss, options));
    } finally {
      await influx.dispose();
    }
  }

  if (options.only.includes('connected')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'aftercare-bench-conn-'));
    const platform = await startPlatformProcess(
      { AFTERCARE_DATA_DIR: dataDir, AFTERCARE_ADMIN_TOKEN: token, AFTERCARE_SIM_DEVICES: '0' },
      await freePort(),
      await freePort(),
    );
    try {
      const idle = platform.rss();
      progress(`connected: ${options.connected} devices connect and publish one sample every 60 s`);
      const report = await runSim<LoadReport>([
        'load',
        '--api',
        platform.httpUrl,
        '--token',
        token,
        '--mqtt',
        platform.mqttUrl,
        '--devices',
        String(options.connected),
        '--rate-per-device',
        String(1 / 60),
        '--duration',
        '45s',
        '--qos',
        '1',
        '--data-dir',
        dataDir,
        '--connect-rate',
        '1000',
        '--id-prefix',
        'conn-',
      ]);
      rows.push({
        what: 'platform peak memory, devices connected',
        data: `${report.connected.toLocaleString('en')} devices over MQTT/TCP, QoS 1, 1 sample/min each`,
        figure: `${fmt.mb(platform.peakRss())} peak RSS`,
        reference: `${fmt.mb(idle)} idle before they connected; aim < 1 GB`,
      });
    } finally {
      await platform.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }

  if (options.only.includes('scoring')) {
    rows.push(...(await scoringBenchRows({ devices: options.scored, progress, logger })));
  }

  if (options.only.includes('training')) {
    rows.push(...(await trainingBenchRows({ progress })));
  }

  if (options.only.includes('console')) {
    rows.push(...(await consoleSpeedBenchRows({ progress, logger })));
  }

  // The cores are shared: the load average beside the figures says how much else was running.
  const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(' ');
  console.log(
    `\nAftercare benchmarks — ${new Date().toISOString()}, Node ${process.version}, ${process.platform}, ` +
      `${options.only.join(',')} in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
      `load average (1, 5, 15 min) ${load(loadAtStart)} at the start, ${load(loadavg())} at the end\n`,
  );
  console.log(formatTable(rows));
  if (options.json) console.log(JSON.stringify(rows));
}

function e2eRows(
  name: string,
  r: LoadReport,
  steady: LoadReport,
  raw: number,
  peakRss: number,
  options: z.infer<typeof spec.schema>,
): BenchRow[] {
  const seconds = (x: LoadReport) => ((x.endedAt - x.startedAt) / 1000).toFixed(0);
  const acked = (x: LoadReport) =>
    `acked ${x.samplesAcked.toLocaleString('en')} of ${x.samplesSent.toLocaleString('en')} sent`;
  return [
    {
      what: `${name}: end to end, device → broker → ingest → store`,
      data: `${options.devices} devices, 10 samples/msg, QoS 1, ${seconds(r)} s, load generator on the same 2 cores`,
      figure: `${fmt.rate(r.samplesPerS)} samples/s, ${fmt.rate(r.messagesPerS)} msg/s`,
      reference: `${fmt.pct(r.samplesPerS / raw)} of the raw rate; ${acked(r)}; platform peak RSS ${fmt.mb(peakRss)}`,
    },
    {
      what: `${name}: publish → durable & queryable (PUBACK)`,
      data: `steady ${fmt.rate(steady.samplesPerS)} samples/s, ${options.devices} devices, ${seconds(steady)} s`,
      figure: steady.ackLatencyMs
        ? `p50 ${fmt.ms(steady.ackLatencyMs.p50)}, p99 ${fmt.ms(steady.ackLatencyMs.p99)}`
        : 'n/a',
      reference: `${acked(steady)}; at saturation p50 ${r.ackLatencyMs ? fmt.ms(r.ackLatencyMs.p50) : 'n/a'} (queueing)`,
    },
  ];
}
