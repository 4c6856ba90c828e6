import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { initBackend } from './backend.ts';
import { runCmapssBenchmark } from './cmapss/benchmark.ts';
import { saveModel } from './model-io.ts';

const HELP = `Aftercare models

Usage: models benchmark cmapss --dir <folder> --subset FD00x [options]

Trains the GRU remaining-useful-life model on train_<subset>.txt (early stopping on held-out
training units), evaluates on the last cycle of each unit of test_<subset>.txt against
RUL_<subset>.txt, and prints RMSE, PHM08 score, backend and training seconds.

Options:
  --dir <folder>      folder holding train_/test_/RUL_<subset>.txt (required)
  --subset <FD00x>    C-MAPSS subset, FD001..FD004 (default FD001)
  --epochs <n>        maximum epochs (default 60)
  --patience <n>      epochs without better validation loss before stopping (default 8)
  --gru-units <n>     width of the GRU layer (default 48)
  --learning-rate <x> Adam learning rate (default 0.001)
  --backend <name>    node | wasm | cpu: first backend to try (default node, falls back)
  --out <folder>      where to save the trained model (default a new temp folder)
  --json              print one JSON object: subset, rmse, score, backend, trainSeconds
  --help              show this help`;

const flagsSchema = z.object({
  dir: z.string({ error: 'is required' }).min(1),
  subset: z
    .string()
    .regex(/^FD00[1-4]$/, 'must be FD001, FD002, FD003 or FD004')
    .default('FD001'),
  epochs: z.coerce.number().int().min(1).max(1000).default(60),
  patience: z.coerce.number().int().min(1).max(1000).default(8),
  'gru-units': z.coerce.number().int().min(1).max(512).default(48),
  'learning-rate': z.coerce.number().positive().max(1).default(0.001),
  backend: z.enum(['node', 'wasm', 'cpu']).default('node'),
  out: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

class UsageError extends Error {}

function parseFlags(argv: string[]): z.infer<typeof flagsSchema> | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        dir: { type: 'string' },
        subset: { type: 'string' },
        epochs: { type: 'string' },
        patience: { type: 'string' },
        'gru-units': { type: 'string' },
        'learning-rate': { type: 'string' },
        backend: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/\. To specify.*$/, ''));
  }
  if (values.help) return 'help';
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--${String(issue.path[0] ?? 'arguments')}: ${issue.message}`);
  }
  return parsed.data;
}

async function benchmarkCmapss(argv: string[]): Promise<void> {
  const flags = parseFlags(argv);
  if (flags === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const err = (line: string) => process.stderr.write(`${line}\n`);
  const backend = await initBackend(flags.backend, err);
  const result = await runCmapssBenchmark({
    dir: flags.dir,
    subset: flags.subset,
    epochs: flags.epochs,
    patience: flags.patience,
    gruUnits: flags['gru-units'],
    learningRate: flags['learning-rate'],
    backend: backend.name,
    onEpoch: (p) =>
      err(
        `epoch ${p.epoch}/${p.epochs}  loss ${p.loss.toFixed(5)}  val loss ${p.valLoss.toFixed(5)}` +
          `  ${p.seconds.toFixed(1)} s${p.improved ? '  *best' : ''}`,
      ),
  });
  const out = flags.out ?? (await mkdtemp(path.join(tmpdir(), `aftercare-cmapss-${flags.subset}-`)));
  await saveModel(result.model, out, result.metadata);
  const round = (v: number, digits: number) => Number(v.toFixed(digits));
  if (flags.json) {
    const { subset, rmse, score, backend: name, trainSeconds } = result;
    process.stdout.write(
      `${JSON.stringify({ subset, rmse: round(rmse, 3), score: round(score, 1), backend: name, trainSeconds: round(trainSeconds, 1) })}\n`,
    );
  } else {
    process.stdout.write(
      [
        `C-MAPSS ${result.subset} (GRU, ${result.trainWindows} training windows, ${result.epochsRun} epochs, best ${result.bestEpoch})`,
        `  RMSE           ${result.rmse.toFixed(2)}   (vs true RUL capped at 125: ${result.rmseCappedTruth.toFixed(2)})`,
        `  PHM08 score    ${result.score.toFixed(1)}`,
        `  backend        ${result.backend}`,
        `  train seconds  ${result.trainSeconds.toFixed(1)}`,
        '  published      CNN 18.4 · LSTM 16.1 · deep CNN 12.6 · attention 11–12 (RMSE)',
        '',
      ].join('\n'),
    );
  }
  err(`model saved to ${out}`);
}

async function main(argv: string[]): Promise<void> {
  const [command, target, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  if (command === 'benchmark' && target === 'cmapss') return benchmarkCmapss(rest);
  throw new UsageError(`unknown command "${[command, target].filter(Boolean).join(' ')}" (try --help)`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // A wrong flag or a missing data file is the user's to fix: one line, no stack.
  const missingFile = (err as NodeJS.ErrnoException).code === 'ENOENT';
  if (err instanceof UsageError || missingFile) {
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  }
});
