import type { Writable } from 'node:stream';
import { apiTokenParamsSchema, createApiTokenBodySchema, roles, ValidationError } from '@aftercare/core';
import { TokenRepository } from '@aftercare/service';
import { z } from 'zod';
import { helpText, parseCommandArgs, scopeFlags } from '../args.ts';
import { type DataDirConfig, flagIssue, scopeOf, withServiceDb } from './service-db.ts';

const addSpec = {
  name: 'tokens add',
  summary:
    'Issues an API token for a machine (an ERP export, a dashboard) and prints it once: only its SHA-256 ' +
    'is stored. Send it as "Authorization: Bearer <token>".',
  usage:
    'pnpm aftercare tokens add --name <what it is for> --role <admin|planner|technician|customer> ' +
    '[--customer <id> | --technician <id>]',
  flags: {
    name: { type: 'string' as const, description: 'what the token is for, shown in the list' },
    role: { type: 'string' as const, description: `one of ${roles.join(', ')}` },
    ...scopeFlags,
  },
  schema: z.object({
    name: z.string({ error: 'is required' }),
    role: z.enum(roles, { error: `must be one of ${roles.join(', ')}` }),
    customer: z.string().optional(),
    technician: z.string().optional(),
  }),
};

const listSpec = {
  name: 'tokens list',
  summary: 'Lists the API tokens (id, role, scope, name, created, revoked); never the secrets.',
  usage: 'pnpm aftercare tokens list',
  flags: {},
  schema: z.object({}),
};

const revokeSpec = {
  name: 'tokens revoke',
  summary:
    'Revokes an API token. Requests with it fail at once; a running platform also ends its open event ' +
    'streams within a heartbeat.',
  usage: 'pnpm aftercare tokens revoke --id <token id from tokens list>',
  flags: { id: { type: 'string' as const, description: 'the token id (a UUID)' } },
  schema: z.object({ id: z.string({ error: 'is required' }) }),
};

const usage = `pnpm aftercare tokens <add|list|revoke> [options]

${helpText(addSpec)}

${helpText(listSpec)}

${helpText(revokeSpec)}`;

async function add(rest: string[], config: DataDirConfig, stdout: Writable): Promise<void> {
  const flags = parseCommandArgs(addSpec, rest);
  if (flags === 'help') return void stdout.write(`${helpText(addSpec)}\n`);
  const body = createApiTokenBodySchema.safeParse({
    name: flags.name,
    role: flags.role,
    ...(flags.customer === undefined ? {} : { customerId: flags.customer }),
    ...(flags.technician === undefined ? {} : { technicianId: flags.technician }),
  });
  if (!body.success) throw new ValidationError(flagIssue(body.error));
  const issued = await withServiceDb(config, (db) => new TokenRepository(db).issue(body.data), {
    creates: true,
  });
  stdout.write(
    `issued ${issued.record.role}${scopeOf(issued.record)} token "${issued.record.name}" (${issued.record.id})\n` +
      `${issued.token}\n` +
      'Keep it now: it is not stored and cannot be shown again.\n',
  );
}

async function list(rest: string[], config: DataDirConfig, stdout: Writable): Promise<void> {
  if (parseCommandArgs(listSpec, rest) === 'help') return void stdout.write(`${helpText(listSpec)}\n`);
  const tokens = await withServiceDb(config, (db) => new TokenRepository(db).list());
  // Silence would read as a failure to someone at a terminal.
  if (tokens.length === 0)
    stdout.write('no API tokens yet; issue one with: pnpm aftercare tokens add --name … --role …\n');
  for (const token of tokens) {
    const revoked = token.revokedAt === null ? '' : `\trevoked ${token.revokedAt}`;
    stdout.write(
      `${token.id}\t${token.role}${scopeOf(token)}\t${token.name}\t${token.createdAt}${revoked}\n`,
    );
  }
}

async function revoke(rest: string[], config: DataDirConfig, stdout: Writable): Promise<void> {
  const flags = parseCommandArgs(revokeSpec, rest);
  if (flags === 'help') return void stdout.write(`${helpText(revokeSpec)}\n`);
  const params = apiTokenParamsSchema.safeParse({ id: flags.id });
  if (!params.success) throw new ValidationError(flagIssue(params.error));
  await withServiceDb(config, (db) => new TokenRepository(db).revoke(params.data.id));
  stdout.write(`revoked ${params.data.id}\n`);
}

const subcommands = { add, list, revoke } as const;

/** `pnpm aftercare tokens add|list|revoke`: machine credentials, in the database under AFTERCARE_DATA_DIR. */
export async function runTokens(
  argv: string[],
  config: DataDirConfig,
  stdout: Writable = process.stdout,
): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    stdout.write(`${usage}\n`);
    return;
  }
  if (!Object.hasOwn(subcommands, sub))
    throw new ValidationError(`unknown tokens command "${sub}"; see pnpm aftercare tokens --help`);
  await subcommands[sub as keyof typeof subcommands](rest, config, stdout);
}
