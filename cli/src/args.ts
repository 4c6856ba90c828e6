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
  argv: readonly string[],
): z.infer<S> | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      Object.entries({ ...spec.flags, help: { type: 'boolean' as const, short: 'h', description: '' } }).map(
        ([k, v]) => [k, v.short ? { type: v.type, short: v.short } : { type: v.type }],
      ),
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
    // parseArgs explains some mistakes over several lines; the first says what is wrong.
    throw new ValidationError((err as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
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

/**
 * node's parseArgs takes `--epochs -3` for two options; a value that looks like a negative number is
 * a value here, so it is joined to its flag and the schema judges it.
 */
function joinNegativeValues(argv: readonly string[], flags: CommandSpec<z.ZodType>['flags']): string[] {
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
