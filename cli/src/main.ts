#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AftercareError, createLogger, loadConfig } from '@aftercare/core';
import { runBacktestCommand } from './commands/backtest.ts';
import { runBench } from './commands/bench.ts';
import { runApiCommand, runBrokerCommand, runIngestCommand } from './commands/parts.ts';
import { runStart } from './commands/start.ts';
import { runTokens } from './commands/tokens.ts';
import { runUsers } from './commands/users.ts';

const usage = `aftercare — telemetry-driven predictive maintenance

Usage: pnpm aftercare <command> [options]      (pnpm start = pnpm aftercare start)

Commands:
  start    broker, ingest, store, API and a simulated fleet in one process (the local demo)
  broker   the embedded MQTT broker alone (devices log in against the device registry)
  ingest   an ingest worker for the external broker in AFTERCARE_MQTT_URL
  api      the HTTP API alone, over the configured store
  sim      the device simulator (pnpm aftercare sim --help)
  bench    run the benchmarks and print a table (pnpm bench --help)
  backtest the whole-fleet backtest: models vs rule baseline driving the service automation (--help)
  users    login accounts: users add --email … --role …, list, set-password, disable, enable (--help)
  tokens   API tokens for machines: tokens add --name … --role …, tokens list, tokens revoke --id …

Configuration comes from AFTERCARE_* environment variables; see README.md.
Run "pnpm aftercare <command> --help" for a command's options.`;

const commands = new Set(['start', 'broker', 'ingest', 'api', 'sim', 'bench', 'backtest', 'users', 'tokens']);

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return;
  }
  // Before any --help: `aftercare nosuch --help` printed the general help and exited 0, as if nosuch existed.
  if (!commands.has(command))
    throw new AftercareError('USAGE', `unknown command "${command}"; see pnpm aftercare --help`);
  if (command === 'sim') {
    // The simulator is its own CLI; run it in a child so its flags, progress line and exit code stay its own.
    const simMain = fileURLToPath(new URL('../../device-sim/src/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', simMain, ...rest], { stdio: 'inherit' });
    process.exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    return;
  }
  if (command === 'bench') return runBench(rest);
  if (command === 'backtest') return runBacktestCommand(rest);
  if (command === 'users') return runUsers(rest, loadConfig(process.env));
  if (command === 'tokens') return runTokens(rest, loadConfig(process.env));
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(usage);
    return;
  }
  if (rest.length > 0)
    throw new AftercareError('USAGE', `unknown argument "${rest[0]}"; configure with AFTERCARE_* variables`);
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.AFTERCARE_LOG_LEVEL, pretty: process.stdout.isTTY === true });
  switch (command) {
    case 'start':
      return runStart(config, logger);
    case 'broker':
      return runBrokerCommand(config, logger);
    case 'ingest':
      return runIngestCommand(config, logger);
    case 'api':
      return runApiCommand(config, logger);
    default:
      throw new AftercareError('USAGE', `unknown command "${command}"; see pnpm aftercare --help`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  // A failure to start is one line a person can act on; the stack only when it is not ours.
  if (err instanceof AftercareError) console.error(`aftercare: ${err.message}`);
  else console.error('aftercare:', err);
  process.exit(1);
});
