import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@aftercare/core';
import { createDatabase } from '@aftercare/service';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEnvironmentError } from './main.ts';

const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli');

const tempDirs: string[] = [];
/** A new folder under the system's temp folder, removed after the tests of this file. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-main-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A data directory the platform has run in once: its database is there, with nobody in it. */
async function platformDataDir(): Promise<Record<string, string>> {
  const dataDir = tempDir();
  await (await createDatabase({ dataDir })).destroy();
  return { AFTERCARE_DATA_DIR: dataDir };
}

/** Runs `pnpm aftercare …` as a user does: its own process through tsx. */
function aftercare(...argv: string[]) {
  const run = spawnSync(process.execPath, [tsxCli, mainScript, ...argv], { encoding: 'utf8' });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The same, asynchronously (a squatting server in this process must keep answering) with `env` added. */
function aftercareWith(env: Record<string, string>, ...argv: string[]) {
  const child = spawn(process.execPath, [tsxCli, mainScript, ...argv], { env: { ...process.env, ...env } });
  // Nothing to read: `users add` waits for a password on standard input otherwise.
  child.stdin.end();
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** A server holding a free port on 127.0.0.1. */
async function squat(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return { server, port: address.port };
}

/** The error Node gives for listening on `port` at `host`. */
async function listenError(port: number, host: string): Promise<Error> {
  const server = createServer();
  return new Promise<Error>((resolve, reject) => {
    server.once('error', resolve);
    server.listen(port, host, () => server.close(() => reject(new Error(`listened on ${host}:${port}`))));
  });
}

function thrownBy(work: () => unknown): Error {
  try {
    work();
  } catch (err) {
    return err as Error;
  }
  throw new Error('did not throw');
}

describe('pnpm aftercare', () => {
  it('prints the help and exits 0 for --help after a command it knows', () => {
    const run = aftercare('start', '--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: pnpm aftercare <command> [options]');
  });

  // Regression: `aftercare nosuch --help` printed the general help and exited 0.
  it('refuses an unknown command in one line and exits 2, even with --help', () => {
    const run = aftercare('nosuch', '--help');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('aftercare: unknown command "nosuch"; see pnpm aftercare --help\n');
  });
});

// Regression: `aftercare` exited 1 for a mistake in its command line, where `pnpm sim` and `pnpm models`
// exit 2; a script could not tell "called wrongly" from "failed".
describe('pnpm aftercare exits 2 for a mistake in its command line, whatever the command', () => {
  // One mistake of each kind, spread over the commands: an argument the command does not take, a
  // flag it does not know, a flag's bad or missing value, a subcommand it does not have.
  it.concurrent.each([
    [['start', '--nosuch'], 'aftercare: unknown argument "--nosuch"; configure with AFTERCARE_* variables'],
    [['bench', '--only', 'nosuch'], 'aftercare: --only: unknown scenario "nosuch"; the scenarios are'],
    [
      ['backtest', '--devices', '0'],
      'aftercare: --devices: must be a whole number between 1 and 5000 (got "0")',
    ],
    [['users', 'nosuch'], 'aftercare: unknown users command "nosuch"; see pnpm aftercare users --help'],
    [['tokens', 'add', '--name'], 'aftercare: --name: is missing its value'],
    [['sim', 'nosuch'], 'pnpm sim: unknown command "nosuch"'],
  ])('%j', async (argv, line) => {
    // A data directory of its own: a mistake must stop the command before it opens anything there.
    const dataDir = join(tempDir(), 'data');
    const run = await aftercareWith({ AFTERCARE_DATA_DIR: dataDir, AFTERCARE_LOG_LEVEL: 'silent' }, ...argv);
    expect(run.stderr.startsWith(line), run.stderr).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('pnpm aftercare exits 1 when its command line is right and the work fails', () => {
  it('finds no platform database in AFTERCARE_DATA_DIR', async () => {
    const run = await aftercareWith({ AFTERCARE_DATA_DIR: tempDir() }, 'users', 'list');
    expect(run.stderr).toMatch(
      /^aftercare: AFTERCARE_DATA_DIR: .* holds no platform database \(service\.db\)/,
    );
    expect(run.code).toBe(1);
  });

  it('finds no account of the email given', async () => {
    const argv = ['users', 'disable', '--email', 'nobody@example.com'];
    const run = await aftercareWith(await platformDataDir(), ...argv);
    expect(run.stderr).toBe('aftercare: --email: there is no account nobody@example.com\n');
    expect(run.code).toBe(1);
  });

  it('finds no token of the id given', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const run = await aftercareWith(await platformDataDir(), 'tokens', 'revoke', '--id', id);
    expect(run.stderr).toBe(`aftercare: api token ${id} not found\n`);
    expect(run.code).toBe(1);
  });
});

describe('describeEnvironmentError', () => {
  it('names the port variable of a listener whose port is in use', async () => {
    const { server, port } = await squat();
    try {
      const err = await listenError(port, '127.0.0.1');
      expect(describeEnvironmentError(err, loadConfig({ AFTERCARE_HTTP_PORT: String(port) }))).toBe(
        `AFTERCARE_HTTP_PORT: port ${port} on 127.0.0.1 is already in use (by another program, or another Aftercare)`,
      );
      expect(describeEnvironmentError(err, loadConfig({ AFTERCARE_MQTT_WS_PORT: String(port) }))).toMatch(
        /^AFTERCARE_MQTT_WS_PORT: port \d+ on 127\.0\.0\.1 is already in use/,
      );
      // Two listeners given one port: the second finds it taken by the first.
      expect(
        describeEnvironmentError(
          err,
          loadConfig({ AFTERCARE_MQTT_PORT: String(port), AFTERCARE_HTTP_PORT: String(port) }),
        ),
      ).toBe(
        `AFTERCARE_HTTP_PORT and AFTERCARE_MQTT_PORT: port ${port} on 127.0.0.1 is already in use (each of these listeners needs a port of its own)`,
      );
    } finally {
      server.close();
    }
  });

  it('names the port variable of a privileged port it may not listen on', () => {
    // Written out: the tests may run as root, where listening on port 80 is allowed.
    const err = Object.assign(new Error('listen EACCES: permission denied 127.0.0.1:80'), {
      code: 'EACCES',
      syscall: 'listen',
      address: '127.0.0.1',
      port: 80,
    });
    expect(describeEnvironmentError(err, loadConfig({ AFTERCARE_HTTP_PORT: '80' }))).toBe(
      'AFTERCARE_HTTP_PORT: not allowed to listen on port 80 on 127.0.0.1 (ports below 1024 need root or CAP_NET_BIND_SERVICE)',
    );
  });

  it('names AFTERCARE_HOST for an address this machine does not have or a name that does not resolve', async () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never an interface's address.
    const notMine = await listenError(0, '192.0.2.1');
    expect(describeEnvironmentError(notMine, loadConfig({ AFTERCARE_HOST: '192.0.2.1' }))).toMatch(
      /^AFTERCARE_HOST: 192\.0\.2\.1 is not an address of this machine; use 127\.0\.0\.1, 0\.0\.0\.0/,
    );
    const unknown = await listenError(0, 'nosuch.invalid');
    expect(describeEnvironmentError(unknown, loadConfig({ AFTERCARE_HOST: 'nosuch.invalid' }))).toMatch(
      /^AFTERCARE_HOST: host name "nosuch\.invalid" does not resolve to an address \((ENOTFOUND|EAI_AGAIN)\)$/,
    );
  });

  it('names AFTERCARE_DATA_DIR when it or a parent of it is a file', () => {
    const file = join(tempDir(), 'passwd');
    writeFileSync(file, 'root:x:0:0\n');
    const exists = thrownBy(() => mkdirSync(file, { recursive: true }));
    expect(describeEnvironmentError(exists, loadConfig({ AFTERCARE_DATA_DIR: file }))).toBe(
      `AFTERCARE_DATA_DIR: "${file}" is a file, not a directory`,
    );
    const below = join(file, 'sub');
    const notDir = thrownBy(() => mkdirSync(below, { recursive: true }));
    expect(describeEnvironmentError(notDir, loadConfig({ AFTERCARE_DATA_DIR: below }))).toBe(
      `AFTERCARE_DATA_DIR: "${below}" cannot be a directory: ${file} is a file`,
    );
  });

  it('names the URL variable of a refused connection only when its host and port are the ones refused', () => {
    const refused = (address: string, port: number) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`), {
        code: 'ECONNREFUSED',
        syscall: 'connect',
        address,
        port,
      });
    // tcp:// is MQTT on 1883 unless the URL says otherwise.
    const config = loadConfig({ AFTERCARE_MQTT_URL: 'tcp://127.0.0.1' });
    expect(describeEnvironmentError(refused('127.0.0.1', 1883), config)).toMatch(
      /^AFTERCARE_MQTT_URL: nothing answers at 127\.0\.0\.1:1883/,
    );
    expect(describeEnvironmentError(refused('10.0.0.9', 1883), config)).toBeNull();
  });

  it('leaves errors no variable explains alone', () => {
    const config = loadConfig({});
    expect(describeEnvironmentError(new Error('boom'), config)).toBeNull();
    const file = join(tempDir(), 'not-the-data-dir');
    writeFileSync(file, '');
    const elsewhere = thrownBy(() => mkdirSync(file, { recursive: true }));
    expect(describeEnvironmentError(elsewhere, config)).toBeNull();
  });
});

describe('pnpm aftercare with a bad environment', () => {
  // Regression: a port in use printed "aftercare: Error: listen EADDRINUSE …" and eleven lines of stack.
  it('stops in one line naming the variable when the HTTP port is in use', async () => {
    const { server, port } = await squat();
    try {
      const run = await aftercareWith(
        {
          AFTERCARE_DATA_DIR: tempDir(),
          AFTERCARE_HTTP_PORT: String(port),
          AFTERCARE_ADMIN_TOKEN: 'a-token-of-twenty-chars',
          AFTERCARE_LOG_LEVEL: 'silent',
        },
        'api',
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `aftercare: AFTERCARE_HTTP_PORT: port ${port} on 127.0.0.1 is already in use (by another program, or another Aftercare)\n`,
      );
    } finally {
      server.close();
    }
  });

  // Regression: a broker that refused the connection printed "aftercare: Error: connect ECONNREFUSED" and a stack.
  it('stops in one line naming AFTERCARE_MQTT_URL when nothing answers there', async () => {
    const { server, port } = await squat();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const run = await aftercareWith(
      {
        AFTERCARE_DATA_DIR: tempDir(),
        AFTERCARE_MQTT_URL: `mqtt://127.0.0.1:${port}`,
        AFTERCARE_LOG_LEVEL: 'silent',
      },
      'ingest',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `aftercare: AFTERCARE_MQTT_URL: nothing answers at 127.0.0.1:${port} (connection refused); start it first, or correct AFTERCARE_MQTT_URL\n`,
    );
  });

  // Regression: '99 * * * *' has five fields; it was refused only once the platform ran, without the name.
  it('refuses a scoring cron node-cron refuses before starting anything', () => {
    // A temporary data dir and a timeout: were the check to go, this would start an API that never ends.
    const run = spawnSync(process.execPath, [tsxCli, mainScript, 'api'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        AFTERCARE_SCORING_CRON: '99 * * * *',
        AFTERCARE_DATA_DIR: tempDir(),
        AFTERCARE_HTTP_PORT: '0',
      },
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^aftercare: AFTERCARE_SCORING_CRON: .*99 is a invalid expression for minute.*\n$/,
    );
  });
});
