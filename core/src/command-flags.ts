import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { ValidationError } from './errors.ts';

/**
 * The one flag parser of every Aftercare CLI (aftercare, models, the simulator): node's parseArgs for
 * the syntax, a zod schema for the meaning, one-line errors that name the flag.
 */

export interface FlagSpec {
  type: 'string' | 'boolean';
  description: string;
}

export interface CommandSpec<S extends z.ZodType> {
  name: string;
  summary: string;
  usage: string;
  /** Every value is a string (or true) until the schema coerces it. */
  flags: Record<string, FlagSpec>;
  schema: S;
}

/**
 * Parses argv for one command and validates it with its schema. `defaults` (e.g. from the
 * environment) fill flags that were not given. Answers 'help' for --help or -h.
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
    }) as { values: typeof values });
  } catch (err) {
    // parseArgs explains some mistakes over several lines; the first says what is wrong.
    throw new ValidationError((err as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
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

/**
 * parseArgs takes `--epochs -3` or `--from -7d` for two options; a value that starts like a negative
 * number is a value here, joined to its flag for the schema to judge.
 */
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
