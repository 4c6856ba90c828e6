import { initBackend } from '@aftercare/models';
import { z } from 'zod';
import { type CommandSpec, helpText, parseCommandArgs } from '../args.ts';
import type { ModelsCliContext } from './context.ts';

export { intFlag, numberFlag } from '@aftercare/core';

/**
 * NASA's subsets are FD001..FD004, but any FDnnn whose files --dir holds is read (a subset cut from
 * them, say); a subset --dir lacks is named as such when the files are checked (cmapss-data.ts).
 */
export const subsetFlag = z
  .string()
  .regex(/^FD\d{3}$/, 'must name a C-MAPSS subset such as FD001')
  .default('FD001');

export const backendFlag = z.enum(['node', 'wasm', 'cpu'], 'must be node, wasm or cpu').default('node');

/**
 * A flag the command cannot run without. The shared parser says "is required; " before the message
 * when the flag is absent, so the message says only what the flag names: "--out: is required; the
 * folder to save the ensemble in".
 */
export const requiredFlag = (what: string) => z.string({ error: what }).min(1, 'must not be empty');

export const backendFlagSpec = {
  type: 'string' as const,
  description:
    'first TensorFlow.js backend to try: node | wasm | cpu (default node; falls back to wasm, then cpu)',
};
export const jsonFlagSpec = { type: 'boolean' as const, description: 'print one JSON object on stdout' };

/** Parses a subcommand's flags with the house parser; prints its help and returns null for --help. */
export function parseFlags<S extends z.ZodType>(
  spec: CommandSpec<S>,
  argv: readonly string[],
  ctx: ModelsCliContext,
): z.infer<S> | null {
  const flags = parseCommandArgs(spec, argv);
  if (flags === 'help') {
    ctx.stdout.write(`${helpText(spec)}\n`);
    return null;
  }
  return flags;
}

/** The TensorFlow.js backend the command runs on (the first of `preferred`, wasm, cpu that loads), logged as it is chosen. */
export async function startBackend(preferred: 'node' | 'wasm' | 'cpu', ctx: ModelsCliContext) {
  const log = ctx.logger.child({ component: 'backend' });
  return initBackend(preferred, (line) => log.info(line));
}
