import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@aftercare/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from '../zod.ts';
import {
  apiUrlFlag,
  type CommandSpec,
  dataDirFlag,
  durationFlag,
  type FlagDefault,
  fromEnv,
  helpText,
  intFlag,
  modelMixFlag,
  mqttUrlFlag,
  numberFlag,
  parseCommand,
  qosFlag,
  sourceOf,
  timeFlag,
} from './flags.ts';

const now = Date.UTC(2025, 6, 1);
const spec = {
  name: 'demo',
  summary: 'A demo command.',
  usage: 'demo [options]',
  flags: {
    devices: { type: 'string', description: 'how many' },
    from: { type: 'string', description: 'start' },
    every: { type: 'string', description: 'interval' },
    qos: { type: 'string', description: 'qos' },
    models: { type: 'string', description: 'mix' },
    prefix: { type: 'string', description: 'id prefix' },
    quiet: { type: 'boolean', description: 'say less' },
  },
  schema: z.object({
    devices: intFlag(1, 100).default(5),
    from: timeFlag(now).default(now),
    every: durationFlag('s').default(60_000),
    qos: qosFlag.default(1),
    models: modelMixFlag.optional(),
    prefix: z
      .string()
      .regex(/^[a-z]/, 'must start with a letter')
      .optional(),
    quiet: z.boolean().default(false),
  }),
} satisfies CommandSpec<z.ZodType>;

function error(argv: string[], env: Record<string, FlagDefault> = {}): string {
  try {
    parseCommand(spec, argv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as Error).message;
  }
  throw new Error('expected a validation error');
}

describe('parseCommand', () => {
  it('takes defaults, then the environment, then the flags', () => {
    expect(parseCommand(spec, [])).toEqual({ devices: 5, from: now, every: 60_000, qos: 1, quiet: false });
    expect(parseCommand(spec, [], { devices: '7' })).toMatchObject({ devices: 7 });
    expect(parseCommand(spec, ['--devices', '9', '--quiet'], { devices: '7' })).toMatchObject({
      devices: 9,
      quiet: true,
    });
  });

  it('reads offsets, dates, durations and model mixes', () => {
    expect(parseCommand(spec, ['--from', '-7d', '--every', '15m', '--qos', '0'])).toMatchObject({
      from: now - 7 * 86_400_000,
      every: 900_000,
      qos: 0,
    });
    expect(parseCommand(spec, ['--from', '2025-01-01T00:00:00Z', '--every', '30'])).toMatchObject({
      from: Date.UTC(2025, 0, 1),
      every: 30_000,
    });
    expect(parseCommand(spec, ['--models', 'split-ac=2,refrigerator'])).toMatchObject({
      models: { 'split-ac': 2, refrigerator: 1 },
    });
  });

  it('reads an instant strictly: a date is midnight UTC, a time needs its zone', () => {
    expect(parseCommand(spec, ['--from', '2025-01-01'])).toMatchObject({ from: Date.UTC(2025, 0, 1) });
    expect(parseCommand(spec, ['--from', '2025-01-01T05:30:00+05:30'])).toMatchObject({
      from: Date.UTC(2025, 0, 1),
    });
    // Date.parse read these as the server's local time, as 1 November and as 2001.
    for (const loose of ['2025-01-01T00:00:00', 'Nov 1', '-1'])
      expect(error(['--from', loose]), loose).toMatch(/^--from: must be "now", an ISO 8601 date/);
  });

  it('refuses bad values with one line naming the flag and the value', () => {
    expect(error(['--devices', 'many'])).toBe('--devices: must be a number (got "many")');
    expect(error(['--devices', '0'])).toBe('--devices: must be at least 1 (got "0")');
    expect(error(['--qos', '2'])).toBe('--qos: must be 0 or 1 (got "2")');
    expect(error(['--every', 'soon'])).toMatch(/^--every: must be a duration/);
    expect(error(['--from', 'yesterday'])).toMatch(/^--from: must be "now", an ISO 8601/);
    expect(error(['--from', '2025-02-30'])).toMatch(/^--from: must be a real date and time/);
    expect(error(['--models', 'toaster=1'])).toMatch(/^--models: expected model=weight pairs/);
    expect(error([], { devices: '1000' })).toBe('--devices: must be at most 100 (got "1000")');
    expect(error(['--colour', 'red'])).toBe("Unknown option '--colour'");
    for (const message of [error(['--devices']), error(['stray'])]) expect(message).not.toContain('\n');
  });

  it('answers --help and -h, and lists every flag in the help', () => {
    expect(parseCommand(spec, ['--help'])).toBe('help');
    expect(parseCommand(spec, ['-h', '--devices', 'x'])).toBe('help');
    const help = helpText(spec);
    for (const name of Object.keys(spec.flags)) expect(help).toContain(`--${name}`);
    expect(help).toContain('--help');
  });

  // Regression: `--id-prefix -bad` said only "Option '--id-prefix' argument is ambiguous."
  it('reads a value that starts with "-" as the value, for the schema to judge', () => {
    expect(error(['--prefix', '-bad'])).toBe('--prefix: must start with a letter (got "-bad")');
    expect(parseCommand(spec, ['--from', '-2d', '--prefix', 'ok'])).toMatchObject({
      from: now - 2 * 86_400_000,
      prefix: 'ok',
    });
  });

  it('says which flag is missing its value when another flag or nothing follows it', () => {
    expect(error(['--prefix', '--quiet'])).toBe('--prefix: is missing its value (--quiet follows it)');
    expect(error(['--devices', '3', '--prefix'])).toBe('--prefix: is missing its value');
  });

  // Regression: AFTERCARE_SIM_DEVICES=abc was reported as "--devices: must be a number".
  it('blames a bad default from the environment on its variable, and a blank one counts as unset', () => {
    const env = { AFTERCARE_SIM_DEVICES: 'abc', AFTERCARE_BLANK: '  ' };
    expect(error([], { devices: fromEnv(env, 'AFTERCARE_SIM_DEVICES', '5') })).toBe(
      'AFTERCARE_SIM_DEVICES: must be a number (got "abc")',
    );
    expect(parseCommand(spec, [], { devices: fromEnv(env, 'AFTERCARE_BLANK', '7') })).toMatchObject({
      devices: 7,
    });
    // The flag overrides the variable, and then the flag is what a message names.
    const defaults = { devices: fromEnv({ AFTERCARE_SIM_DEVICES: '3' }, 'AFTERCARE_SIM_DEVICES') };
    expect(sourceOf([], 'devices', defaults)).toBe('AFTERCARE_SIM_DEVICES');
    expect(sourceOf(['--devices=4'], 'devices', defaults)).toBe('--devices');
    expect(sourceOf([], 'devices', {})).toBe('--devices');
  });

  // Regression: z.coerce read `--devices 0x10` as 16, `1e1` as 10, ' 5' as 5 and '' as 0.
  it('reads a number only as a person types it, and names the form it must take', () => {
    const numbers = {
      ...spec,
      schema: z.object({
        devices: intFlag(1, 100).optional(),
        seed: intFlag(-2_147_483_648, 4_294_967_295).optional(),
        rate: numberFlag(0, 100).optional(),
      }),
      flags: {
        devices: { type: 'string', description: 'how many' },
        seed: { type: 'string', description: 'seed' },
        rate: { type: 'string', description: 'per second' },
      },
    } satisfies CommandSpec<z.ZodType>;
    const refused = (argv: string[], defaults: Record<string, FlagDefault> = {}) => {
      try {
        parseCommand(numbers, argv, defaults);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(parseCommand(numbers, ['--devices', '12', '--seed', '-7', '--rate', '.5'])).toEqual({
      devices: 12,
      seed: -7,
      rate: 0.5,
    });
    expect(parseCommand(numbers, ['--rate', '2.25', '--devices', '007'])).toEqual({ rate: 2.25, devices: 7 });
    for (const typed of ['0x10', '1e1', ' 5', '5 ', '+5', '1.0', '1.5'])
      expect(refused(['--devices', typed]), typed).toBe(`--devices: must be a whole number (got "${typed}")`);
    for (const typed of ['1e-3', '0x1', ' 5', '5.', '+5'])
      expect(refused(['--rate', typed]), typed).toBe(`--rate: must be a decimal number (got "${typed}")`);
    for (const typed of ['', ' ', 'five', '-', 'Infinity', '5,5'])
      expect(refused(['--seed', typed]), typed).toBe(`--seed: must be a number (got "${typed}")`);
    // A minus is read, so a flag that takes no negative says so with its bound.
    expect(refused(['--devices', '-3'])).toBe('--devices: must be at least 1 (got "-3")');
    // From the environment, the variable is what is blamed.
    const env = { devices: fromEnv({ AFTERCARE_SIM_DEVICES: '0x10' }, 'AFTERCARE_SIM_DEVICES') };
    expect(refused([], env)).toBe('AFTERCARE_SIM_DEVICES: must be a whole number (got "0x10")');
    expect(refused(['--devices', '4'], env)).toBe('accepted');
  });

  // Regression: `--models ''` passed and crashed later with "the model mix gives no model a positive share", exit 1.
  it('refuses an empty model mix as a flag error', () => {
    expect(error(['--models', ''])).toMatch(/^--models: must name at least one model of split-ac, /);
    expect(error(['--models', ','])).toMatch(/^--models: must name at least one model/);
  });
});

describe('URL flags', () => {
  // Regression: --api ftp://… and --mqtt http://… passed and failed later with "unknown scheme".
  it('take only the schemes the API and the broker speak, with a host', () => {
    for (const ok of ['http://127.0.0.1:3000', 'https://aftercare.example.net/'])
      expect(apiUrlFlag.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['ftp://127.0.0.1', 'mqtt://127.0.0.1:1883', 'localhost:3000', 'http://'])
      expect(apiUrlFlag.safeParse(bad).error?.issues[0]?.message, bad).toMatch(
        /^must be a URL with http:\/\/ or https:\/\//,
      );
    for (const ok of [
      'mqtt://127.0.0.1:1883',
      'mqtts://b.example:8883',
      'ws://127.0.0.1:8083',
      'wss://b.example/mqtt',
      // What core's config takes for AFTERCARE_MQTT_URL, which the simulator reads too.
      'tcp://127.0.0.1:1883',
    ])
      expect(mqttUrlFlag.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['http://127.0.0.1:1883', 'ftp://127.0.0.1', '127.0.0.1:1883'])
      expect(mqttUrlFlag.safeParse(bad).error?.issues[0]?.message, bad).toMatch(
        /^must be a URL with mqtt:\/\/, mqtts:\/\/, ws:\/\/, wss:\/\/, tcp:\/\/, ssl:\/\/ or tls:\/\//,
      );
  });
});

describe('dataDirFlag', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-flags-'));
    await writeFile(join(dir, 'a-file'), '');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const problem = (path: string) => dataDirFlag.safeParse(path).error?.issues[0]?.message;

  it('takes a directory, or a path that can be created', () => {
    expect(problem(dir)).toBeUndefined();
    expect(problem(join(dir, 'new', 'deeper'))).toBeUndefined();
  });

  // Regression: a regular file as --data-dir ended in "unexpected error" and an ENOTDIR stack.
  it('refuses a file, or a path through a file, before anything starts', () => {
    expect(problem(join(dir, 'a-file'))).toBe('must be a directory, not a file');
    expect(problem(join(dir, 'a-file', 'sub'))).toBe(`cannot be created: ${join(dir, 'a-file')} is a file`);
  });

  // root may write anywhere, so the check has nothing to refuse there.
  it.skipIf(process.getuid?.() === 0)('refuses a directory it may not write in', async () => {
    const locked = join(dir, 'locked');
    await mkdir(locked, { mode: 0o500 });
    expect(problem(locked)).toBe('must be a directory the simulator may write in: permission denied');
    expect(problem(join(locked, 'sub'))).toBe(`cannot be created in ${locked}: permission denied`);
  });
});
