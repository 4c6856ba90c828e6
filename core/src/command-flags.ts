import { parseArgs } from 'node:util';
import type { z } from 'zod';
import { ValidationError } from './errors.ts';
import { withoutCredentials } from './urls.ts';

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
 * A value for a flag that was not given, from elsewhere (the environment): a bare string, or the
 * string with where it came from (`{ value, from: 'AFTERCARE_SIM_DEVICES' }`), so that a bad value is
 * blamed on the variable the user set rather than on a flag they never typed.
 */
export type FlagDefault = string | undefined | { value: string | undefined; from: string };

/**
 * Parses argv for one command and validates it with its schema. `defaults` (e.g. from the
 * environment) fill flags that were not given. Answers 'help' for --help or -h, whatever else argv holds.
 * A flag given twice is refused: one of the two values would be dropped without a word.
 */
export function parseCommand<S extends z.ZodType>(
  spec: CommandSpec<S>,
  argv: readonly string[],
  defaults: Record<string, FlagDefault> = {},
): z.infer<S> | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  let values: Record<string, string | boolean | undefined>;
  try {
    const options = Object.fromEntries(
      Object.entries({ ...spec.flags, help: { type: 'boolean' as const } }).map(([name, flag]) => [
        name,
        name === 'help' ? { type: flag.type, short: 'h' } : { type: flag.type },
      ]),
    );
    const parsed = parseArgs({
      args: joinDashValues(argv, spec.flags),
      options,
      allowPositionals: false,
      strict: true,
      tokens: true,
    });
    values = parsed.values as typeof values;
    const times = new Map<string, number>();
    for (const token of parsed.tokens)
      if (token.kind === 'option') times.set(token.name, (times.get(token.name) ?? 0) + 1);
    for (const [name, count] of times)
      if (count > 1) throw new ValidationError(`--${name}: is given ${count} times; give it once`);
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    // parseArgs explains some mistakes over several lines; the first says what is wrong.
    throw new ValidationError((err as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, ''));
  }
  const merged: Record<string, unknown> = {};
  const source = new Map<string, string>();
  for (const [name, entry] of Object.entries(defaults)) {
    const value = typeof entry === 'object' ? entry.value : entry;
    if (value === undefined || value === '') continue;
    merged[name] = value;
    if (typeof entry === 'object') source.set(name, entry.from);
  }
  for (const [name, value] of Object.entries(values))
    if (value !== undefined) {
      merged[name] = value;
      source.delete(name);
    }
  const parsed = spec.schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.length > 0 ? String(issue.path[0]) : undefined;
    const flag = key === undefined ? 'arguments' : (source.get(key) ?? `--${key}`);
    const given = key === undefined ? undefined : merged[key];
    // A flag left out meets the schema's type check: say it is required, then what it takes.
    const words = flagWords(issue.message);
    const missing =
      given === undefined &&
      (issue.code === 'invalid_type' || issue.code === 'invalid_value') &&
      !words.startsWith('is required');
    const message = missing ? `is required; ${words}` : words;
    const shown = typeof given === 'string' ? shownValue(flag, given) : null;
    throw new ValidationError(`${flag}: ${message}${shown === null ? '' : ` (got "${shown}")`}`);
  }
  return parsed.data;
}

/**
 * A refused value as the message may repeat it: never a token, password or secret (the message goes
 * to a terminal and to logs), and a URL without the user and password it may carry.
 */
function shownValue(flag: string, given: string): string | null {
  return /token|password|secret/i.test(flag) ? null : withoutCredentials(given);
}

/**
 * zod's default words for a flag's value, in the CLI's: "must be a number", "must be at least 1",
 * "must be one of a, b". A schema's own message passes unchanged.
 */
function flagWords(message: string): string {
  return message
    .replace(/^Invalid input: expected number, received NaN$/, 'must be a number')
    .replace(/^Invalid input: expected int, received number$/, 'must be a whole number')
    .replace(/^Invalid input: expected (\w+), received (\w+)$/, 'must be a $1')
    .replace(/^Too small: expected (?:number|int) to be >=(\S+)$/, 'must be at least $1')
    .replace(/^Too small: expected (?:number|int) to be >(\S+)$/, 'must be more than $1')
    .replace(/^Too big: expected (?:number|int) to be <=(\S+)$/, 'must be at most $1')
    .replace(/^Too big: expected (?:number|int) to be <(\S+)$/, 'must be less than $1')
    .replace(/^Too small: expected string to have >=1 characters$/, 'must not be empty')
    .replace(
      /^Invalid option: expected one of (.+)$/,
      (_, options: string) => `must be one of ${options.replaceAll('"', '').split('|').join(', ')}`,
    );
}

/**
 * parseArgs takes `--epochs -3`, `--from -7d` or `--id-prefix -bad` for two options, or calls the
 * value "ambiguous"; a value that starts with "-" and is no flag of the command is a value here,
 * joined to its flag for the schema to judge. A string flag followed by one of the command's flags,
 * or by nothing, is missing its value and says so.
 */
function joinDashValues(argv: readonly string[], flags: Record<string, FlagSpec>): string[] {
  const isFlag = (arg: string) => arg.startsWith('--') && arg.slice(2).split('=')[0]! in flags;
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (!arg.startsWith('--') || flags[arg.slice(2)]?.type !== 'string') args.push(arg);
    else if (next === undefined || next === '--' || isFlag(next))
      throw new ValidationError(`${arg}: is missing its value${next ? ` (${next} follows it)` : ''}`);
    else if (next.startsWith('-') && next !== '-') {
      args.push(`${arg}=${next}`);
      i++;
    } else args.push(arg);
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
    // A description of several lines keeps its later lines under its first.
    ...names.map(
      (name) =>
        `  --${name.padEnd(width)}${spec.flags[name]!.description.split('\n').join(`\n${' '.repeat(width + 4)}`)}`,
    ),
    `  --${'help'.padEnd(width)}show this help`,
  ].join('\n');
}
