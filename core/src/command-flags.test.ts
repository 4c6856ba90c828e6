import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type CommandSpec, parseCommand } from './command-flags.ts';

/** A command as the CLIs declare theirs: flags for the syntax, a zod schema for the meaning. */
const spec: CommandSpec<z.ZodType> = {
  name: 'demo',
  summary: 'a command to parse',
  usage: 'demo --role <role> [--devices <n>]',
  flags: {
    role: { type: 'string', description: 'planner | technician' },
    devices: { type: 'string', description: 'how many' },
    quiet: { type: 'boolean', description: 'say less' },
  },
  schema: z.strictObject({
    role: z.enum(['planner', 'technician']),
    devices: z.coerce.number().int().min(1).max(100).default(5),
    quiet: z.boolean().default(false),
  }),
};
const refusal = (argv: string[], defaults = {}) => {
  try {
    parseCommand(spec, argv, defaults);
  } catch (err) {
    return (err as Error).message;
  }
  return 'accepted';
};

describe('parseCommand', () => {
  it('refuses a flag given twice instead of keeping one of the values', () => {
    expect(refusal(['--role', 'planner', '--role', 'technician'])).toBe(
      '--role: is given 2 times; give it once',
    );
    expect(refusal(['--role=planner', '--quiet', '--quiet'])).toBe('--quiet: is given 2 times; give it once');
  });

  it('says a flag left out is required, then what it takes', () => {
    expect(refusal([])).toBe('--role: is required; must be one of planner, technician');
  });

  it("puts zod's words about a value in a CLI's", () => {
    expect(refusal(['--role', 'planner', '--devices', 'abc'])).toBe(
      '--devices: must be a number (got "abc")',
    );
    expect(refusal(['--role', 'planner', '--devices', '0'])).toBe('--devices: must be at least 1 (got "0")');
    expect(refusal(['--role', 'planner', '--devices', '1000'])).toBe(
      '--devices: must be at most 100 (got "1000")',
    );
    expect(refusal(['--role', 'admin'])).toBe('--role: must be one of planner, technician (got "admin")');
  });

  it('says "more than" for a bound the value may not reach, and "whole number" for an int', () => {
    const strict: CommandSpec<z.ZodType> = {
      ...spec,
      flags: { speed: { type: 'string', description: 'x' }, count: { type: 'string', description: 'y' } },
      schema: z.strictObject({
        speed: z.coerce.number().positive().optional(),
        count: z.coerce.number().int().optional(),
      }),
    };
    const refused = (argv: string[]) => {
      try {
        parseCommand(strict, argv);
        return 'accepted';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(refused(['--speed', '0'])).toBe('--speed: must be more than 0 (got "0")');
    expect(refused(['--count', '1.5'])).toBe('--count: must be a whole number (got "1.5")');
  });

  it('blames a bad value from the environment on its variable, not on a flag nobody typed', () => {
    const fromEnv = { devices: { value: 'abc', from: 'AFTERCARE_DEMO_DEVICES' } };
    expect(refusal(['--role', 'planner'], fromEnv)).toBe(
      'AFTERCARE_DEMO_DEVICES: must be a number (got "abc")',
    );
    // A flag given on the command line wins over the variable, and is judged as the flag.
    expect(refusal(['--role', 'planner', '--devices', 'x'], fromEnv)).toBe(
      '--devices: must be a number (got "x")',
    );
    expect(parseCommand(spec, ['--role', 'planner'], { devices: { value: '7', from: 'X' } })).toMatchObject({
      devices: 7,
    });
  });

  it('never repeats a token, and repeats a URL without its credentials', () => {
    const withSecrets: CommandSpec<z.ZodType> = {
      ...spec,
      flags: {
        token: { type: 'string', description: 'API token' },
        broker: { type: 'string', description: 'URL' },
      },
      schema: z.strictObject({
        token: z.string().min(20, 'must be at least 20 characters').optional(),
        broker: z
          .url()
          .refine((u) => u.startsWith('mqtt:'), 'must be an mqtt:// URL')
          .optional(),
      }),
    };
    const refused = (argv: string[], defaults = {}) => {
      try {
        parseCommand(withSecrets, argv, defaults);
        return 'accepted';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(refused(['--token', 'short-secret'])).toBe('--token: must be at least 20 characters');
    expect(refused([], { token: { value: 'short', from: 'AFTERCARE_ADMIN_TOKEN' } })).toBe(
      'AFTERCARE_ADMIN_TOKEN: must be at least 20 characters',
    );
    expect(refused(['--broker', 'http://user:hunter2@broker.local:1883'])).toBe(
      '--broker: must be an mqtt:// URL (got "http://broker.local:1883")',
    );
  });

  it('reads a value that starts with "-" as the value, and names a flag left without one', () => {
    expect(refusal(['--role', 'planner', '--devices', '-3'])).toBe(
      '--devices: must be at least 1 (got "-3")',
    );
    expect(refusal(['--role', '-bad'])).toBe('--role: must be one of planner, technician (got "-bad")');
    expect(refusal(['--role', '--devices', '3'])).toBe('--role: is missing its value (--devices follows it)');
    expect(refusal(['--devices'])).toBe('--devices: is missing its value');
  });

  it('answers help for --help or -h, whatever else the line holds', () => {
    expect(parseCommand(spec, ['--help'])).toBe('help');
    expect(parseCommand(spec, ['--nosuch', '-h'])).toBe('help');
  });

  it('still names an unknown flag on its own line', () => {
    expect(refusal(['--role', 'planner', '--nosuch'])).toMatch(/^Unknown option '--nosuch'$/);
  });
});
