import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import {
  AftercareError,
  createUserBodySchema,
  passwordSchema,
  roles,
  type User,
  ValidationError,
} from '@aftercare/core';
import { UserRepository } from '@aftercare/service';
import { z } from 'zod';
import { helpText, parseCommandArgs, scopeFlags } from '../args.ts';
import { type DataDirConfig, flagIssue, scopeOf, withServiceDb } from './service-db.ts';

const addSpec = {
  name: 'users add',
  summary:
    'Creates a login account in the service database. The password is read from --password-file or from ' +
    'standard input (never from a flag, which anyone could read in the process list).',
  usage:
    'pnpm aftercare users add --email <email> --role <admin|planner|technician|customer> ' +
    '[--customer <id> | --technician <id>] [--name <name>] [--password-file <path>]  (password on stdin otherwise)',
  flags: {
    email: { type: 'string' as const, description: 'login email (unique, case-insensitive)' },
    role: { type: 'string' as const, description: `one of ${roles.join(', ')}` },
    ...scopeFlags,
    name: { type: 'string' as const, description: 'display name' },
    'password-file': { type: 'string' as const, description: 'file whose first line is the password' },
  },
  schema: z.object({
    email: z.string({ error: 'is required' }),
    role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
    customer: z.string().optional(),
    technician: z.string().optional(),
    name: z.string().optional(),
    'password-file': z.string().optional(),
  }),
};

const listSpec = {
  name: 'users list',
  summary: 'Lists the login accounts of the service database.',
  usage: 'pnpm aftercare users list',
  flags: {},
  schema: z.object({}),
};

const emailFlag = { email: { type: 'string' as const, description: 'login email of the account' } };
const emailSchema = z.object({ email: z.string({ error: 'is required' }) });

const setPasswordSpec = {
  name: 'users set-password',
  summary:
    'Sets a new password for an account (someone who lost theirs) and ends its sessions. The password is read ' +
    'from --password-file or from standard input.',
  usage: 'pnpm aftercare users set-password --email <email> [--password-file <path>]',
  flags: {
    ...emailFlag,
    'password-file': { type: 'string' as const, description: 'file whose first line is the password' },
  },
  schema: emailSchema.extend({ 'password-file': z.string().optional() }),
};

const disableSpec = {
  name: 'users disable',
  summary: 'Stops an account from logging in and ends its sessions.',
  usage: 'pnpm aftercare users disable --email <email>',
  flags: emailFlag,
  schema: emailSchema,
};

const enableSpec = {
  name: 'users enable',
  summary: 'Lets a disabled account log in again.',
  usage: 'pnpm aftercare users enable --email <email>',
  flags: emailFlag,
  schema: emailSchema,
};

const usage = `pnpm aftercare users <add|list|set-password|disable|enable> [options]

${[addSpec, listSpec, setPasswordSpec, disableSpec, enableSpec].map((spec) => helpText(spec)).join('\n\n')}`;

export interface UsersIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
}

const unreadable: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
};

/** A file the user named that cannot be read is their mistake to fix: one line, no stack. */
async function readFlagFile(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const reason = (e.code && unreadable[e.code]) ?? String(e.message).split('\n')[0];
    throw new ValidationError(`cannot read ${flag} ${file}: ${reason}`);
  }
}

/** The password: the first line of the file, or of standard input (typed without echo at a terminal). */
async function readPassword(file: string | undefined, io: UsersIo): Promise<string> {
  if (file !== undefined) return firstLine(await readFlagFile('--password-file', file));
  if (io.stdin.isTTY && io.stdin.setRawMode) return promptHidden(io);
  let text = '';
  for await (const chunk of io.stdin) text += String(chunk);
  return firstLine(text);
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}

function promptHidden(io: UsersIo): Promise<string> {
  io.stderr.write('Password: ');
  io.stdin.setRawMode!(true);
  io.stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(() => resolve(typed));
        if (char === '\u0003')
          return done(() => reject(new AftercareError('USERS_PASSWORD_CANCELLED', 'password: cancelled')));
        if (char === '\u007f') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    const done = (finish: () => void) => {
      io.stdin.off('data', onData);
      io.stdin.setRawMode!(false);
      io.stdin.pause();
      io.stderr.write('\n');
      finish();
    };
    io.stdin.on('data', onData);
  });
}

/**
 * The account of an email, or a one-line reason. No account is not a mistake in the command line
 * (exit 1, as for `tokens revoke` of an unknown id), hence NOT_FOUND rather than a ValidationError.
 */
async function accountOf(users: UserRepository, email: string): Promise<User> {
  const user = await users.findByEmail(email);
  if (user === null)
    throw new AftercareError('NOT_FOUND', `--email: there is no account ${email.trim().toLowerCase()}`);
  return user;
}

async function add(rest: string[], config: DataDirConfig, io: UsersIo): Promise<void> {
  const flags = parseCommandArgs(addSpec, rest);
  if (flags === 'help') return void io.stdout.write(`${helpText(addSpec)}\n`);
  const password = await readPassword(flags['password-file'], io);
  const body = createUserBodySchema.safeParse({
    email: flags.email,
    password,
    role: flags.role,
    ...(flags.name === undefined ? {} : { name: flags.name }),
    ...(flags.customer === undefined ? {} : { customerId: flags.customer }),
    ...(flags.technician === undefined ? {} : { technicianId: flags.technician }),
  });
  if (!body.success) throw new ValidationError(flagIssue(body.error, { password: 'password' }));
  const user = await withServiceDb(config, (db) => new UserRepository(db).create(body.data), {
    creates: true,
  });
  io.stdout.write(`created ${user.role} ${user.email} (${user.id})\n`);
}

async function list(rest: string[], config: DataDirConfig, io: UsersIo): Promise<void> {
  if (parseCommandArgs(listSpec, rest) === 'help') return void io.stdout.write(`${helpText(listSpec)}\n`);
  const users = await withServiceDb(config, (db) => new UserRepository(db).list());
  // Silence would read as a failure to someone at a terminal, as for tokens.
  if (users.length === 0)
    io.stdout.write('no accounts yet; add one with: pnpm aftercare users add --email … --role …\n');
  for (const user of users) {
    const disabled = user.disabledAt === null ? '' : ' (disabled)';
    io.stdout.write(`${user.email}\t${user.role}${scopeOf(user)}${disabled}\n`);
  }
}

async function setPassword(rest: string[], config: DataDirConfig, io: UsersIo): Promise<void> {
  const flags = parseCommandArgs(setPasswordSpec, rest);
  if (flags === 'help') return void io.stdout.write(`${helpText(setPasswordSpec)}\n`);
  const password = passwordSchema.safeParse(await readPassword(flags['password-file'], io));
  if (!password.success) throw new ValidationError(`password: ${password.error.issues[0]!.message}`);
  const user = await withServiceDb(config, async (db) => {
    const users = new UserRepository(db);
    const user = await accountOf(users, flags.email);
    await users.setPassword(user.id, password.data);
    return user;
  });
  io.stdout.write(`set a new password for ${user.email}; its sessions have ended\n`);
}

function switchAccount(spec: typeof disableSpec, enabled: boolean) {
  return async (rest: string[], config: DataDirConfig, io: UsersIo): Promise<void> => {
    const flags = parseCommandArgs(spec, rest);
    if (flags === 'help') return void io.stdout.write(`${helpText(spec)}\n`);
    const user = await withServiceDb(config, async (db) => {
      const users = new UserRepository(db);
      const user = await accountOf(users, flags.email);
      await (enabled ? users.enable(user.id) : users.disable(user.id));
      return user;
    });
    // Saying "disabled" for an account that already was would hide a mistyped command or a wrong account.
    const already = (user.disabledAt === null) === enabled;
    io.stdout.write(
      already
        ? `${user.email} was already ${enabled ? 'enabled' : 'disabled'}; nothing changed\n`
        : `${enabled ? 'enabled' : 'disabled'} ${user.email}\n`,
    );
  };
}

const subcommands = {
  add,
  list,
  'set-password': setPassword,
  disable: switchAccount(disableSpec, false),
  enable: switchAccount(enableSpec, true),
} as const;

/** `pnpm aftercare users …`: accounts for people, in the database under AFTERCARE_DATA_DIR. */
export async function runUsers(
  argv: string[],
  config: DataDirConfig,
  io: UsersIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(`${usage}\n`);
    return;
  }
  if (!Object.hasOwn(subcommands, sub))
    throw new ValidationError(`unknown users command "${sub}"; see pnpm aftercare users --help`);
  await subcommands[sub as keyof typeof subcommands](rest, config, io);
}
