import { ValidationError } from '@aftercare/core';
import { describe, expect, it } from 'vitest';
import { z } from '../zod.ts';
import {
  type CommandSpec,
  durationFlag,
  helpText,
  intFlag,
  modelMixFlag,
  parseCommand,
  qosFlag,
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
    quiet: { type: 'boolean', description: 'say less' },
  },
  schema: z.object({
    devices: intFlag(1, 100).default(5),
    from: timeFlag(now).default(now),
    every: durationFlag('s').default(60_000),
    qos: qosFlag.default(1),
    models: modelMixFlag.optional(),
    quiet: z.boolean().default(false),
  }),
} satisfies CommandSpec<z.ZodType>;

function error(argv: string[], env: Record<string, string> = {}): string {
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
});
