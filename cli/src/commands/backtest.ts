import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, integerParamSchema } from '@aftercare/core';
import { z } from 'zod';
import { helpText, parseCommandArgs } from '../args.ts';
import { formatReport } from '../backtest/backtest-report.ts';
import { runBacktest } from '../backtest/run-backtest.ts';
import { abortOnSignals, signalExitCode } from './lifecycle.ts';

/** The demo's training fleet (cli/src/commands/start.ts): far from any seed a user picks. */
const defaultTrainingSeed = 100_001;
const defaultCacheDir = join(tmpdir(), 'aftercare-backtest-cache');

const spec = {
  name: 'backtest',
  summary: [
    'Runs the simulator, the fleet models and the service automation together in virtual time on a fresh data directory, and the rule baseline driving the same automation, and reports failures caught, lead time, false tickets, SLA, parts on the first visit, travel and dispatch against the greedy rule.',
    '',
    'Every flag is optional. With none it is the full run, 500 devices over 180 days, which keeps both cores busy for a long while; --devices 20 --days 10 takes about half a minute here once the models are cached. The first run with a training fleet trains the fleet models (about a minute for the default fleet) and caches them in --cache-dir.',
  ].join('\n'),
  usage: 'pnpm aftercare backtest [--devices <n>] [--days <d>] [--seed <s>] [--json] [more options below]',
  flags: {
    devices: { type: 'string' as const, description: 'simulated devices, 1 to 5000 (default 500)' },
    days: {
      type: 'string' as const,
      description: 'virtual days after a 15-day warm-up, 1 to 730 (default 180)',
    },
    seed: {
      type: 'string' as const,
      description: `seed of the fleet and its service world, 0 or more but not --train-seed or the one after it (default 1)`,
    },
    json: { type: 'boolean' as const, description: 'print one JSON object instead of the table' },
    'score-every-hours': {
      type: 'string' as const,
      description: 'virtual hours between scoring runs, 1 to 168 (default 24)',
    },
    'train-seed': {
      type: 'string' as const,
      description: `seed of the models' training fleet, 0 or more; validation uses the next (default ${defaultTrainingSeed})`,
    },
    'train-devices': {
      type: 'string' as const,
      description: 'devices of the training fleet, 20 to 10000 (default 160)',
    },
    'train-days': {
      type: 'string' as const,
      description: 'days of the training fleet, 60 to 3650 (default 365)',
    },
    'cache-dir': {
      type: 'string' as const,
      description: `where trained models are kept between runs, one folder per training fleet (default ${defaultCacheDir})`,
    },
    'data-dir': {
      type: 'string' as const,
      description:
        "a new or empty folder for the run's databases, created if missing and kept afterwards (default: a temp folder, removed afterwards unless --keep-data)",
    },
    'keep-data': {
      type: 'boolean' as const,
      description:
        'keep the temp data folder (databases, dispatch-stream.json) and print where it is; a --data-dir folder is always kept',
    },
    sequential: { type: 'boolean' as const, description: 'run the two arms one after the other (one core)' },
    verbose: { type: 'boolean' as const, description: "log the automation's decisions (info level)" },
    'predictive-route-fill': {
      type: 'boolean' as const,
      description:
        'non-urgent predictive work (P3, P4) waits for the evening route fill, as AFTERCARE_PREDICTIVE_ROUTE_FILL=true',
    },
  },
  schema: z.object({
    devices: integerParamSchema(1, 5_000).default(500),
    days: integerParamSchema(1, 730).default(180),
    seed: integerParamSchema(0).default(1),
    json: z.boolean().default(false),
    'score-every-hours': integerParamSchema(1, 168).default(24),
    'train-seed': integerParamSchema(0).default(defaultTrainingSeed),
    'train-devices': integerParamSchema(20, 10_000).default(160),
    'train-days': integerParamSchema(60, 3_650).default(365),
    'cache-dir': z.string().min(1, 'must name a folder').default(defaultCacheDir),
    'data-dir': z.string().min(1, 'must name a folder').optional(),
    'keep-data': z.boolean().default(false),
    sequential: z.boolean().default(false),
    verbose: z.boolean().default(false),
    'predictive-route-fill': z.boolean().default(false),
  }),
};

export async function runBacktestCommand(argv: string[]): Promise<void> {
  const options = parseCommandArgs(spec, argv);
  if (options === 'help') {
    console.log(helpText(spec));
    return;
  }
  // Logs and progress on stderr; stdout holds the report alone.
  const logger = createLogger({ level: 'info', name: 'backtest', destination: process.stderr });
  // Ctrl-C or a SIGTERM stops the training and both arms too, processes of their own.
  const stop = abortOnSignals(logger, 'the backtest and the processes it started');
  const report = await runBacktest(
    {
      seed: options.seed,
      devices: options.devices,
      days: options.days,
      scoreEveryHours: options['score-every-hours'],
      training: {
        seed: options['train-seed'],
        devices: options['train-devices'],
        days: options['train-days'],
      },
      cacheDir: options['cache-dir'],
      dataDir: options['data-dir'] ?? null,
      keepData: options['keep-data'],
      sequential: options.sequential,
      predictiveRouteFill: options['predictive-route-fill'],
      logLevel: options.verbose ? 'info' : 'error',
      signal: stop.signal,
    },
    logger,
  )
    .catch((err: unknown) => {
      const signal = stop.stoppedBy();
      if (signal === null) throw err;
      // Stopped on purpose: the exit code of the signal, and no error line.
      process.exit(signalExitCode(signal));
    })
    .finally(() => stop.dispose());
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
}
