/**
 * Child process of `pnpm aftercare backtest`: runs one arm (the models or the rule baseline) and sends
 * its progress and result to the parent over IPC. The two arms run as two processes, one per core.
 */
import { logLevelSchema } from '@aftercare/core';
import { z } from 'zod';
import type { ArmMessage } from './backtest-types.ts';
import { runArm } from './run-arm.ts';

const optionsSchema = z.strictObject({
  kind: z.enum(['model', 'baseline']),
  seed: z.number().int(),
  devices: z.number().int().positive(),
  days: z.number().int().positive(),
  dataDir: z.string().min(1),
  modelsDir: z.string().min(1),
  scoreEveryHours: z.number().int().positive(),
  predictiveRouteFill: z.boolean(),
  warmupStart: z.number().int(),
  warmupDays: z.number().int().positive(),
  logLevel: logLevelSchema,
});

const send = (message: ArmMessage) => process.send?.(message);
/** Sends and waits until the message is handed to the channel: the process exits right after. */
const sendLast = (message: ArmMessage) =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
const parsed = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'the options are not JSON' });
      return z.NEVER;
    }
  })
  .pipe(optionsSchema)
  .safeParse(process.argv[2] ?? 'null');
if (!parsed.success) {
  process.stderr.write(`backtest arm: ${parsed.error.issues[0]?.message ?? 'bad options'}\n`);
  process.exit(2);
}
const options = parsed.data;
try {
  const result = await runArm(options, send);
  await sendLast({ type: 'result', kind: options.kind, result });
  process.exit(0);
} catch (err) {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  await sendLast({ type: 'error', kind: options.kind, message });
  process.exit(1);
}
