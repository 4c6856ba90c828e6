import { readFile } from 'node:fs/promises';
import type { Readable, Writable } from 'node:stream';
import { type Config, createUserBodySchema, roles, ValidationError } from '@aftercare/core';
import { createDatabase, UserRepository } from '@aftercare/service';
import { z } from 'zod';
import { helpText, parseCommandArgs, scopeFlags } from '../args.ts';

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

const usage = `pnpm aftercare users <add|list> [options]

${helpText(addSpec)}

${helpText(listSpec)}`;

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
        if (char === '\u0003') return done(() => reject(new ValidationError('password: cancelled')));
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

/** `pnpm aftercare users add|list`: accounts for people, in the database under AFTERCARE_DATA_DIR. */
export async function runUsers(
  argv: string[],
  config: Pick<Config, 'AFTERCARE_DATA_DIR'>,
  io: UsersIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    io.stdout.write(`${usage}\n`);
    return;
  }
  if (sub !== 'add' && sub !== 'list')
    throw new ValidationError(`unknown users command "${sub}"; see pnpm aftercare users --help`);
  const flags = sub === 'add' ? parseCommandArgs(addSpec, rest) : parseCommandArgs(listSpec, rest);
  if (flags === 'help') {
    io.stdout.write(`${helpText(sub === 'add' ? addSpec : listSpec)}\n`);
    return;
  }
  const db = await createDatabase({ dataDir: config.AFTERCARE_DATA_DIR });
  try {
    const users = new UserRepository(db);
    if (!('role' in flags)) {
      for (const user of await users.list()) {
        const scope = user.customerId
          ? ` customer=${user.customerId}`
          : user.technicianId
            ? ` technician=${user.technicianId}`
            : '';
        const disabled = user.disabledAt === null ? '' : ' (disabled)';
        io.stdout.write(`${user.email}\t${user.role}${scope}${disabled}\n`);
      }
      return;
    }
    const password = await readPassword(flags['password-file'], io);
    const body = createUserBodySchema.safeParse({
      email: flags.email,
      password,
      role: flags.role,
      ...(flags.name === undefined ? {} : { name: flags.name }),
      ...(flags.customer === undefined ? {} : { customerId: flags.customer }),
      ...(flags.technician === undefined ? {} : { technicianId: flags.technician }),
    });
    if (!body.success) {
      const issue = body.error.issues[0]!;
      const key = String(issue.path[0] ?? 'arguments');
      const flag =
        { customerId: '--customer', technicianId: '--technician', password: 'password' }[key] ?? `--${key}`;
      throw new ValidationError(`${flag}: ${issue.message}`);
    }
    const user = await users.create(body.data);
    io.stdout.write(`created ${user.role} ${user.email} (${user.id})\n`);
  } finally {
    await db.destroy();
  }
}
