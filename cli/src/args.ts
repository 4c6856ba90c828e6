import { parseArgs } from 'node:util';
import { ValidationError } from '@aftercare/core';
import type { z } from 'zod';

export interface CommandSpec<S extends z.ZodType> {
  name: string;
  summary: string;
  usage: string;
  /** Flags as node's parseArgs declares them; every value is a string until the schema coerces it. */
  flags: Record<string, { type: 'string' | 'boolean'; short?: string; description: string }>;
  schema: S;
}

/** Parses argv for one command and validates it with its zod schema; errors name the flag. */
export function parseCommandArgs<S extends z.ZodType>(
  spec: CommandSpec<S>,
  argv: string[],
): z.infer<S> | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      Object.entries({ ...spec.flags, help: { type: 'boolean' as const, short: 'h', description: '' } }).map(
        ([k, v]) => [k, v.short ? { type: v.type, short: v.short } : { type: v.type }],
      ),
    );
    ({ values } = parseArgs({ args: argv, options, allowPositionals: false, strict: true }) as {
      values: typeof values;
    });
  } catch (err) {
    throw new ValidationError((err as Error).message.replace(/\. To specify.*$/, ''));
  }
  if (values.help) return 'help';
  const parsed = spec.schema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = issue.path.length ? `--${String(issue.path[0])}` : 'arguments';
    throw new ValidationError(`${flag}: ${issue.message}`);
  }
  return parsed.data;
}

export function helpText(spec: CommandSpec<z.ZodType>): string {
  const width = Math.max(...Object.keys(spec.flags).map((k) => k.length), 4) + 4;
  const lines = Object.entries(spec.flags).map(([k, v]) => `  --${k.padEnd(width)}${v.description}`);
  return [
    `${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    '',
    'Options:',
    ...lines,
    `  --${'help'.padEnd(width)}show this help`,
  ].join('\n');
}
