import { parseArgs } from 'node:util';
import { type DeviceModel, deviceModels, ValidationError } from '@aftercare/core';
import { z } from '../zod.ts';

export interface FlagSpec {
  type: 'string' | 'boolean';
  description: string;
}

export interface CommandSpec<S extends z.ZodType> {
  name: string;
  summary: string;
  usage: string;
  flags: Record<string, FlagSpec>;
  schema: S;
}

/**
 * Parses argv for one subcommand and validates it with its zod schema. `defaults` (from the
 * environment) fill flags that were not given. Errors are one line naming the flag.
 */
export function parseCommand<S extends z.ZodType>(
  spec: CommandSpec<S>,
  argv: readonly string[],
  defaults: Record<string, string | undefined> = {},
): z.infer<S> | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      Object.entries({ ...spec.flags, help: { type: 'boolean' as const } }).map(([name, flag]) => [
        name,
        name === 'help' ? { type: flag.type, short: 'h' } : { type: flag.type },
      ]),
    );
    ({ values } = parseArgs({
      args: joinNegativeValues(argv, spec.flags),
      options,
      allowPositionals: false,
      strict: true,
    }) as {
      values: typeof values;
    });
  } catch (err) {
    throw new ValidationError((err as Error).message.split('\n')[0]!);
  }
  if (values.help) return 'help';
  const merged: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(defaults))
    if (value !== undefined && value !== '') merged[name] = value;
  for (const [name, value] of Object.entries(values)) if (value !== undefined) merged[name] = value;
  const parsed = spec.schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = issue.path.length > 0 ? `--${String(issue.path[0])}` : 'arguments';
    const given = issue.path.length > 0 ? merged[String(issue.path[0])] : undefined;
    throw new ValidationError(
      `${flag}: ${issue.message}${typeof given === 'string' ? ` (got "${given}")` : ''}`,
    );
  }
  return parsed.data;
}

/** node's parseArgs takes `--from -7d` for two options; offsets like `-7d` are values here. */
function joinNegativeValues(argv: readonly string[], flags: Record<string, FlagSpec>): string[] {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (
      arg.startsWith('--') &&
      flags[arg.slice(2)]?.type === 'string' &&
      next !== undefined &&
      /^-\d/.test(next)
    ) {
      args.push(`${arg}=${next}`);
      i++;
    } else {
      args.push(arg);
    }
  }
  return args;
}

export function helpText(spec: CommandSpec<z.ZodType>): string {
  const names = Object.keys(spec.flags);
  const width = Math.max(...names.map((n) => n.length), 4) + 4;
  return [
    spec.summary,
    '',
    `Usage: ${spec.usage}`,
    '',
    'Options:',
    ...names.map((name) => `  --${name.padEnd(width)}${spec.flags[name]!.description}`),
    `  --${'help'.padEnd(width)}show this help`,
  ].join('\n');
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90s`, `15m`, `1h`, `7d`; a bare number is in `bareUnit`. Gives milliseconds. */
export function durationFlag(bareUnit: 'ms' | 's' = 's') {
  return z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m|h|d)?$/, 'must be a duration such as 500ms, 30s, 5m, 1h or 7d')
    .transform((v) => {
      const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(v)!;
      return Math.round(Number(amount) * units[unit ?? bareUnit]!);
    });
}

/** `now`, an ISO 8601 date-time, or an offset from now such as `-7d` or `-12h`. Gives epoch ms. */
export function timeFlag(now: number) {
  return z
    .string()
    .refine(
      (v) => v === 'now' || /^[+-]\d+(\.\d+)?(ms|s|m|h|d)$/.test(v) || !Number.isNaN(Date.parse(v)),
      'must be "now", an ISO 8601 date-time, or an offset such as -7d',
    )
    .transform((v) => {
      if (v === 'now') return now;
      const offset = /^([+-])(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(v);
      if (offset)
        return now + (offset[1] === '-' ? -1 : 1) * Math.round(Number(offset[2]) * units[offset[3]!]!);
      return Date.parse(v);
    });
}

export function intFlag(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

export function numberFlag(min: number, max: number) {
  return z.coerce
    .number({ error: 'must be a number' })
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);
}

export const qosFlag = z.enum(['0', '1'], 'must be 0 or 1').transform((v) => Number(v) as 0 | 1);

export const urlFlag = z.url('must be a URL');

/** `split-ac=2,refrigerator=1`: relative shares of the models in the fleet. */
export const modelMixFlag = z.string().transform((v, ctx) => {
  const mix: Partial<Record<DeviceModel, number>> = {};
  for (const part of v.split(',').filter(Boolean)) {
    const [name, weight = '1'] = part.split('=');
    if (!(deviceModels as readonly string[]).includes(name!) || !(Number(weight) > 0)) {
      ctx.addIssue({ code: 'custom', message: `expected model=weight pairs of ${deviceModels.join(', ')}` });
      return z.NEVER;
    }
    mix[name as DeviceModel] = Number(weight);
  }
  return mix;
});
