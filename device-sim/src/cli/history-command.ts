import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { defaultFailureRate } from '../fleet.ts';
import { firstSampleAt, generateHistory, type HistoryOptions, historySpecs } from '../history.ts';
import { deviceLine, tickLines } from '../history-file.ts';
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
  timeFlag,
} from './flags.ts';
import { openOutputFile, writeFailed } from './output-file.ts';
import { formatCount } from './status-line.ts';

function historySpec(now: number) {
  return {
    name: 'history',
    summary:
      'Write a simulated fleet history as JSON lines for offline training: one record per line, told apart by "kind" (device, telemetry, event, ground_truth).',
    usage: 'pnpm sim history [--devices 50] [--from -365d] [--to now] [--interval 1h] [--out history.jsonl]',
    flags: {
      seed: { type: 'string', description: 'seed (default 1)' },
      devices: { type: 'string', description: 'number of devices (default 50)' },
      from: {
        type: 'string',
        description: 'start: now, ISO 8601 or an offset such as -365d (default -365d)',
      },
      to: { type: 'string', description: 'end, same forms (default now)' },
      interval: { type: 'string', description: 'time between samples, e.g. 1h or 15m (default 1h)' },
      out: { type: 'string', description: 'output file (default: standard output)' },
      'failure-rate': {
        type: 'string',
        description: `random failures per device-year (default ${defaultFailureRate})`,
      },
      'id-prefix': { type: 'string', description: 'device id prefix (default sim-)' },
      models: {
        type: 'string',
        description: 'model mix, e.g. split-ac=2,refrigerator=1 (default: all four)',
      },
      order: {
        type: 'string',
        description: 'device (each device in turn, default) or time (all devices per timestamp)',
      },
    },
    schema: z
      .object({
        seed: intFlag(-2_147_483_648, 4_294_967_295).default(1),
        devices: intFlag(1, 1_000_000).default(50),
        from: timeFlag(now).default(now - 365 * 86_400_000),
        to: timeFlag(now).default(now),
        interval: durationFlag('s').pipe(z.number().min(1000, 'must be at least 1s')).default(3_600_000),
        out: z.string().min(1).optional(),
        'failure-rate': numberFlag(0, 365).default(defaultFailureRate),
        'id-prefix': z
          .string()
          .regex(
            /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}$/,
            'must be letters, digits, "_" or "-", starting with a letter or digit',
          )
          .default('sim-'),
        models: modelMixFlag.optional(),
        order: z.enum(['device', 'time']).default('device'),
      })
      .refine((f) => f.from < f.to, { message: 'must be before --to', path: ['from'] }),
  } satisfies CommandSpec<z.ZodType>;
}

export function historyHelp(): string {
  return helpText(historySpec(Date.now()));
}

export async function historyCommand(argv: readonly string[], ctx: CommandContext): Promise<number> {
  const spec = historySpec(ctx.now);
  const flags = parseCommand(spec, argv);
  if (flags === 'help') {
    ctx.stdout.write(`${helpText(spec)}\n`);
    return 0;
  }
  const options: HistoryOptions = {
    seed: flags.seed,
    devices: flags.devices,
    from: flags.from,
    to: flags.to,
    intervalMs: flags.interval,
    failureRate: flags['failure-rate'],
    idPrefix: flags['id-prefix'],
    order: flags.order,
    ...(flags.models ? { models: flags.models } : {}),
  };
  const toFile = flags.out !== undefined && flags.out !== '-';
  const target = toFile ? `--out ${flags.out}` : 'standard output';
  const out = toFile ? await openOutputFile('--out', flags.out!) : ctx.stdout;
  /** Standard output's reader went away (`| head`): it has what it wanted; stop, quietly. */
  let broken = false;
  /** Any other write error: the history is incomplete, and the command must say so and fail. */
  let failure: Error | null = null;
  out.on('error', (err: NodeJS.ErrnoException) => {
    if (!toFile && err.code === 'EPIPE') broken = true;
    else failure ??= err;
  });
  const specs = historySpecs(options);
  const slots = Math.max(
    0,
    Math.floor((flags.to - firstSampleAt(flags.from, flags.interval)) / flags.interval) + 1,
  );
  const total = specs.length * slots;
  const bar =
    ctx.stderr.isTTY && out !== ctx.stderr
      ? new cliProgress.SingleBar(
          {
            stream: ctx.stderr,
            format:
              'history [{bar}] {percentage}% · {value}/{total} samples · {failures} failures · ETA {eta}s',
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
  bar?.start(total, 0, { failures: 0 });

  let buffer = '';
  for (const s of specs) buffer += deviceLine(s);
  let samples = 0;
  let failures = 0;
  for (const tick of generateHistory({ ...options, devices: specs })) {
    buffer += tickLines(tick);
    samples++;
    failures += tick.groundTruth.length;
    if (buffer.length >= 256 * 1024) {
      if (broken || failure || ctx.signal.aborted) break;
      const ok = out.write(buffer);
      buffer = '';
      // An error while waiting rejects the wait; the listener above has already recorded it.
      if (!ok) await once(out, 'drain').catch(() => undefined);
      bar?.update(samples, { failures });
    }
  }
  // Waits for the last write to be taken, so that an error writing it is known before the summary.
  if (!broken && !failure) await new Promise<void>((resolve) => out.write(buffer, () => resolve()));
  bar?.update(samples, { failures });
  bar?.stop();
  if (toFile) {
    out.end();
    // Errors while flushing the last bytes arrive here, not at write().
    await finished(out).catch((err: Error) => (failure ??= err));
  }
  if (failure) throw writeFailed(target, failure);
  ctx.stderr.write(
    `history: ${formatCount(specs.length)} devices, ${formatCount(samples)} samples, ${formatCount(failures)} failures\n`,
  );
  return ctx.signal.aborted ? 130 : 0;
}
