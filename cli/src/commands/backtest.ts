import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@aftercare/core';
import { z } from 'zod';
import { helpText, parseCommandArgs } from '../args.ts';
import { formatReport } from '../backtest/backtest-report.ts';
import { runBacktest } from '../backtest/run-backtest.ts';

/** The demo's training fleet (cli/src/commands/start.ts): far from any seed a user picks. */
const defaultTrainingSeed = 100_001;

const spec = {
  name: 'backtest',
  summary:
    'Runs the simulator, the fleet models and the service automation together in virtual time on a fresh data directory, and the rule baseline driving the same automation, and reports failures caught, lead time, false tickets, SLA, parts on the first visit, travel and dispatch against the greedy rule.',
  usage: 'pnpm aftercare backtest --devices <n> --days <d> --seed <s> [--json]',
  flags: {
    devices: { type: 'string' as const, description: 'simulated devices (default 500)' },
    days: { type: 'string' as const, description: 'virtual days after a 15-day warm-up (default 180)' },
    seed: { type: 'string' as const, description: 'seed of the fleet and its service world (default 1)' },
    json: { type: 'boolean' as const, description: 'print one JSON object instead of the table' },
    'score-every-hours': {
      type: 'string' as const,
      description: 'virtual hours between scoring runs (default 24)',
    },
    'train-seed': {
      type: 'string' as const,
      description: `seed of the models' training fleet; validation uses the next (default ${defaultTrainingSeed})`,
    },
    'train-devices': { type: 'string' as const, description: 'devices of the training fleet (default 160)' },
    'train-days': { type: 'string' as const, description: 'days of the training fleet (default 365)' },
    'cache-dir': {
      type: 'string' as const,
      description: 'where trained models are kept between runs (default <tmp>/aftercare-backtest-cache)',
    },
    'data-dir': {
      type: 'string' as const,
      description: 'a new or empty folder for the run (default a temp folder, removed afterwards)',
    },
    'keep-data': { type: 'boolean' as const, description: 'keep the data directory (databases) afterwards' },
    sequential: { type: 'boolean' as const, description: 'run the two arms one after the other (one core)' },
    verbose: { type: 'boolean' as const, description: "log the automation's decisions (info level)" },
    'predictive-route-fill': {
      type: 'boolean' as const,
      description:
        'non-urgent predictive work (P3, P4) waits for the evening route fill, as AFTERCARE_PREDICTIVE_ROUTE_FILL=true',
    },
  },
  schema: z.object({
    devices: z.coerce.number().int().min(1).max(5_000).default(500),
    days: z.coerce.number().int().min(1).max(730).default(180),
    seed: z.coerce.number().int().min(0).default(1),
    json: z.boolean().default(false),
    'score-every-hours': z.coerce.number().int().min(1).max(168).default(24),
    'train-seed': z.coerce.number().int().min(0).default(defaultTrainingSeed),
    'train-devices': z.coerce.number().int().min(20).max(10_000).default(160),
    'train-days': z.coerce.number().int().min(60).max(3_650).default(365),
    'cache-dir': z.string().min(1).default(join(tmpdir(), 'aftercare-backtest-cache')),
    'data-dir': z.string().min(1).optional(),
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
    },
    logger,
  );
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
}
