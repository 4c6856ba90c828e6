#!/usr/bin/env node
import { spawn } from 'node:child_process';
import { realpathSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AftercareError,
  type Config,
  ConfigError,
  createLogger,
  loadConfig,
  ValidationError,
} from '@aftercare/core';

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
Run "pnpm aftercare <command> --help" for a command's options.

Exit codes: 0 done, 1 failed (a bad AFTERCARE_* variable, a port in use, a store that does not answer),
2 a mistake in the command line (an unknown command or flag, a flag's bad value).`;

const commands = new Set(['start', 'broker', 'ingest', 'api', 'sim', 'bench', 'backtest', 'users', 'tokens']);

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return;
  }
  // Before any --help: `aftercare nosuch --help` printed the general help and exited 0, as if nosuch existed.
  if (!commands.has(command))
    throw new ValidationError(`unknown command "${command}"; see pnpm aftercare --help`);
  if (command === 'sim') {
    // The simulator is its own CLI; run it in a child so its flags, progress line and exit code stay its own.
    const simMain = fileURLToPath(new URL('../../device-sim/src/main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', simMain, ...rest], { stdio: 'inherit' });
    process.exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    return;
  }
  // Each command is loaded when asked for: the models (TensorFlow.js) and the service take seconds
  // to import, which `--help` and `users list` should not wait for.
  if (command === 'bench') return (await import('./commands/bench.ts')).runBench(rest);
  if (command === 'backtest') return (await import('./commands/backtest.ts')).runBacktestCommand(rest);
  if (command === 'users') {
    const config = await readConfig();
    const { runUsers } = await import('./commands/users.ts');
    return withConfigNamed(config, () => runUsers(rest, config));
  }
  if (command === 'tokens') {
    const config = await readConfig();
    const { runTokens } = await import('./commands/tokens.ts');
    return withConfigNamed(config, () => runTokens(rest, config));
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(usage);
    return;
  }
  if (rest.length > 0)
    throw new ValidationError(`unknown argument "${rest[0]}"; configure with AFTERCARE_* variables`);
  const config = await readConfig();
  const logger = createLogger({ level: config.AFTERCARE_LOG_LEVEL, pretty: process.stdout.isTTY === true });
  return withConfigNamed(config, async () => {
    switch (command) {
      case 'start':
        return (await import('./commands/start.ts')).runStart(config, logger);
      case 'broker':
        return (await import('./commands/parts.ts')).runBrokerCommand(config, logger);
      case 'ingest':
        return (await import('./commands/parts.ts')).runIngestCommand(config, logger);
      case 'api':
        return (await import('./commands/parts.ts')).runApiCommand(config, logger);
      default:
        throw new ValidationError(`unknown command "${command}"; see pnpm aftercare --help`);
    }
  });
}

/** The environment's configuration; the scoring cron checked by node-cron here, not when the job starts. */
async function readConfig(): Promise<Config> {
  const { assertScoringCron } = await import('@aftercare/models');
  return loadConfig(process.env, { checkCron: assertScoringCron });
}

/** Runs `start`; a system error that a variable caused (a port in use, a bad data dir) becomes a ConfigError naming it. */
async function withConfigNamed(config: Config, start: () => Promise<void>): Promise<void> {
  try {
    await start();
  } catch (err) {
    const line = describeEnvironmentError(err, config);
    throw line === null ? err : new ConfigError(line);
  }
}

const portVariables = [
  'AFTERCARE_HTTP_PORT',
  'AFTERCARE_MQTT_PORT',
  'AFTERCARE_MQTT_WS_PORT',
  'AFTERCARE_MQTTS_PORT',
  'AFTERCARE_WSS_PORT',
] as const;
const tlsPortVariables = new Set<string>(['AFTERCARE_MQTTS_PORT', 'AFTERCARE_WSS_PORT']);

/**
 * One line naming the AFTERCARE_* variable behind a system error at start, or null when the error is
 * not one a variable explains. A listener's error carries the port and address it tried; which
 * variable set them is found by comparing with the configuration.
 */
export function describeEnvironmentError(err: unknown, config: Config): string | null {
  if (!(err instanceof Error)) return null;
  const { code, syscall, path } = err as NodeJS.ErrnoException;
  const { address, port, hostname } = err as { address?: string; port?: number; hostname?: string };

  if (syscall === 'listen') {
    // Node leaves `port` out of the error when the listener asked for any free port (0).
    const where = `port ${port ?? 0} on ${address ?? config.AFTERCARE_HOST}`;
    const tls = Boolean(config.AFTERCARE_TLS_CERT);
    const names = portVariables.filter(
      (name) => config[name] === (port ?? 0) && (tls || !tlsPortVariables.has(name)),
    );
    const named = names.length > 0 ? `${names.join(' and ')}: ` : '';
    if (code === 'EADDRINUSE')
      return `${named}${where} is already in use${names.length > 1 ? ' (each of these listeners needs a port of its own)' : ' (by another program, or another Aftercare)'}`;
    if (code === 'EACCES')
      return `${named}not allowed to listen on ${where}${port !== undefined && port < 1024 ? ' (ports below 1024 need root or CAP_NET_BIND_SERVICE)' : ''}`;
    if (code === 'EADDRNOTAVAIL')
      return `AFTERCARE_HOST: ${address ?? config.AFTERCARE_HOST} is not an address of this machine; use 127.0.0.1, 0.0.0.0 (every interface) or an address of one of its interfaces`;
  }

  if (syscall === 'connect' && (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH') && port !== undefined) {
    const name = variableNamingPort(address, port, config);
    const refused = code === 'ECONNREFUSED' ? 'connection refused' : 'host unreachable';
    if (name !== null)
      return `${name}: nothing answers at ${address ?? '?'}:${port} (${refused}); start it first, or correct ${name}`;
  }

  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && hostname !== undefined) {
    const name = variableNamingHost(hostname, config);
    if (name !== null) return `${name}: host name "${hostname}" does not resolve to an address (${code})`;
  }

  if (path !== undefined && ['EEXIST', 'ENOTDIR', 'EACCES', 'EPERM', 'EROFS'].includes(code ?? '')) {
    const dir = resolve(config.AFTERCARE_DATA_DIR);
    const at = resolve(path);
    const inside = at === dir || at.startsWith(dir + sep);
    if (inside || dir.startsWith(at + sep)) {
      const shown = `"${config.AFTERCARE_DATA_DIR}"`;
      if (code === 'EEXIST' && at === dir) return `AFTERCARE_DATA_DIR: ${shown} is a file, not a directory`;
      if (code === 'EEXIST' || code === 'ENOTDIR') {
        const file = fileOnPath(dir);
        return `AFTERCARE_DATA_DIR: ${shown} cannot be a directory: ${file ? `${file} is a file` : 'part of its path is a file'}`;
      }
      const why = code === 'EROFS' ? 'the file system is read-only' : 'permission denied';
      return `AFTERCARE_DATA_DIR: cannot write ${inside ? path : shown}: ${why}`;
    }
  }
  return null;
}

/** The file (not a directory) that `dir` or one of its parents is, if any. */
function fileOnPath(dir: string): string | null {
  for (let at = dir; ; at = dirname(at)) {
    try {
      if (!statSync(at).isDirectory()) return at;
    } catch {
      // Not there (yet): look further up.
    }
    if (dirname(at) === at) return null;
  }
}

/** Which URL variable points at the broker or store at `address`:`port` (its own port, or its scheme's). */
function variableNamingPort(address: string | undefined, port: number, config: Config): string | null {
  const defaults: Record<string, number> = {
    'mqtt:': 1883,
    'tcp:': 1883,
    'mqtts:': 8883,
    'ssl:': 8883,
    'tls:': 8883,
    'ws:': 80,
    'wss:': 443,
    'http:': 80,
    'https:': 443,
  };
  for (const name of ['AFTERCARE_MQTT_URL', 'AFTERCARE_INFLUX_URL'] as const) {
    const url = config[name];
    if (!url || !URL.canParse(url)) continue;
    const parsed = new URL(url);
    const urlPort = parsed.port === '' ? defaults[parsed.protocol] : Number(parsed.port);
    // A host name resolves to the address in the error; an address in the URL must be that one.
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    const sameHost = address === undefined || !isIP(host) || host === address;
    if (urlPort === port && sameHost) return name;
  }
  return null;
}

/** Which variable names `hostname`: the listeners' host or the host of a broker or store URL. */
function variableNamingHost(hostname: string, config: Config): string | null {
  if (hostname === config.AFTERCARE_HOST) return 'AFTERCARE_HOST';
  for (const name of ['AFTERCARE_MQTT_URL', 'AFTERCARE_INFLUX_URL'] as const) {
    const url = config[name];
    if (url && URL.canParse(url) && new URL(url).hostname === hostname) return name;
  }
  return null;
}

/** Whether this module is the program (`tsx cli/src/main.ts …`), not imported by a test. */
function isProgram(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isProgram()) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    // A failure to start is one line a person can act on; the stack only when it is not ours.
    if (err instanceof AftercareError) console.error(`aftercare: ${err.message}`);
    else console.error('aftercare:', err);
    // 2 for a mistake in the command line (core's flag parser and the commands throw ValidationError
    // for an unknown command or flag and a flag's bad value), 1 for a failure, as `pnpm sim` exits.
    process.exit(err instanceof ValidationError ? 2 : 1);
  });
}
