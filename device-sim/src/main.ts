import { AftercareError, createLogger, ValidationError } from '@aftercare/core';
import type { CommandContext } from './cli/command-context.ts';
import { historyCommand, historyHelp } from './cli/history-command.ts';
import { loadCommand, loadHelp } from './cli/load-command.ts';
import { runCommand, runHelp } from './cli/run-command.ts';

const commands: Record<
  string,
  { run: (argv: readonly string[], ctx: CommandContext) => Promise<number>; help: () => string }
> = {
  run: { run: runCommand, help: runHelp },
  load: { run: loadCommand, help: loadHelp },
  history: { run: historyCommand, help: historyHelp },
};

const usage = `Aftercare device simulator

Usage: pnpm sim <command> [options]

Commands:
  run       provision simulated devices through the API, then stream telemetry over MQTT
  load      benchmark load: many devices publishing at a target rate, QoS 0 or 1
  history   write a simulated fleet history as JSON lines, for offline training

Run "pnpm sim <command> --help" for a command's options.
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(
      `pnpm sim: unknown command "${name}" (expected ${Object.keys(commands).join(', ')}; see --help)\n`,
    );
    return 2;
  }
  const abort = new AbortController();
  const onSignal = () => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping… (again to quit at once)\n');
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const ctx: CommandContext = {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    signal: abort.signal,
    // Logs go to stderr so that `history` can own stdout.
    logger: createLogger({
      level: process.env.AFTERCARE_LOG_LEVEL || 'warn',
      name: 'device-sim',
      destination: process.stderr,
    }),
    now: Date.now(),
  };
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    if (err instanceof ValidationError) {
      process.stderr.write(`pnpm sim ${name}: ${err.message}\n`);
      return 2;
    }
    if (err instanceof AftercareError) {
      process.stderr.write(`pnpm sim ${name}: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`pnpm sim ${name}: unexpected error\n${(err as Error).stack ?? String(err)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await main(process.argv.slice(2));
