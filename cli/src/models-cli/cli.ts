import { AftercareError } from '@aftercare/core';
import { benchmarkCmapss, evaluateCmapss, trainCmapss } from './cmapss-commands.ts';
import { validateCmapss } from './cmapss-validate.ts';
import type { ModelsCliContext, ModelsCommand } from './context.ts';
import { benchmarkFleet, evaluateFleetCommand, trainFleet } from './fleet-commands.ts';
import { activateModel, listModels, rollbackModel } from './registry-commands.ts';

/** Every subcommand, keyed "<command> <target>" or "<command>" alone; a new one is a line here. */
export const modelsCommands: Record<string, ModelsCommand> = {
  'benchmark cmapss': benchmarkCmapss,
  'benchmark fleet': benchmarkFleet,
  'train cmapss': trainCmapss,
  'train fleet': trainFleet,
  'evaluate cmapss': evaluateCmapss,
  'evaluate fleet': evaluateFleetCommand,
  'validate cmapss': validateCmapss,
  list: listModels,
  activate: activateModel,
  rollback: rollbackModel,
};

export function modelsUsage(): string {
  const names = Object.keys(modelsCommands);
  const width = Math.max(...names.map((n) => n.length)) + 3;
  return [
    'Aftercare models — train, evaluate and benchmark the failure-prediction models',
    '',
    'Usage: pnpm models <command> [target] [options]',
    '',
    'Commands:',
    ...names.map((name) => `  ${name.padEnd(width)}${modelsCommands[name]!.summary}`),
    '',
    'Run "pnpm models <command> [target] --help" for its options. Logs (pino, JSON) go to stderr;',
    'AFTERCARE_LOG_LEVEL sets their level (default info).',
  ].join('\n');
}

/** Runs one models subcommand; returns the exit code. Failures a user can fix are one line on stderr. */
export async function runModelsCli(argv: readonly string[], ctx: ModelsCliContext): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    (first === undefined ? ctx.stderr : ctx.stdout).write(`${modelsUsage()}\n`);
    return first === undefined ? 2 : 0;
  }
  const twoWords = second !== undefined ? modelsCommands[`${first} ${second}`] : undefined;
  const command = twoWords ?? modelsCommands[first];
  if (!command) {
    const targets = Object.keys(modelsCommands)
      .filter((n) => n.startsWith(`${first} `))
      .map((n) => n.split(' ')[1]);
    const hint = targets.length > 0 ? ` (targets: ${targets.join(', ')})` : '';
    if (targets.length > 0 && (second === undefined || second === '--help' || second === '-h')) {
      (second === undefined ? ctx.stderr : ctx.stdout).write(
        `Usage: pnpm models ${first} <${targets.join('|')}> [options]; see pnpm models ${first} ${targets[0]} --help\n`,
      );
      return second === undefined ? 2 : 0;
    }
    const asked = second && !second.startsWith('-') ? `${first} ${second}` : first;
    ctx.stderr.write(`models: unknown command "${asked}"${hint}; see pnpm models --help\n`);
    return 2;
  }
  try {
    return await command.run(argv.slice(twoWords ? 2 : 1), ctx);
  } catch (err) {
    return reportFailure(err, ctx);
  }
}

function reportFailure(err: unknown, ctx: ModelsCliContext): number {
  if (ctx.signal.aborted) {
    ctx.stderr.write('models: stopped\n');
    return 130;
  }
  const e = err as NodeJS.ErrnoException;
  // Ours (bad flag, missing file named by the command) and file-system misses: one line, no stack.
  if (err instanceof AftercareError) {
    ctx.stderr.write(`models: ${e.message}\n`);
    return 2;
  }
  if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'ENOTDIR') {
    ctx.stderr.write(`models: ${e.message}\n`);
    return 1;
  }
  ctx.logger.error({ err }, 'models command failed');
  ctx.stderr.write(`models: ${e?.message?.split('\n')[0] ?? String(err)}\n`);
  return 1;
}
