import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manageProcess, trackTempDir } from './managed-process.ts';
import { freePort } from './ports.ts';

export const influxdPath = '/usr/bin/influxd';

export interface InfluxdOptions {
  /** HTTP port; a free one when omitted. */
  port?: number;
  /** Require user/password on the HTTP API (the first admin user can be created without). */
  authEnabled?: boolean;
  /** TOML appended to the generated config. */
  extraConfig?: string;
  readyTimeoutMs?: number;
}

export interface RunningInfluxd {
  url: string;
  port: number;
  dir: string;
  /** Graceful stop (SIGTERM); the data directory stays, so `start()` brings the same data back. */
  stop(): Promise<void>;
  /** Starts again on the same port and data directory. */
  start(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Stops and deletes the data directory. */
  dispose(): Promise<void>;
}

function config(dir: string, httpPort: number, rpcPort: number, options: InfluxdOptions): string {
  // Everything a test does not need is off: no phone-home, no _internal database, no request log.
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"

[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false

[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  wal-fsync-delay = "0s"
  query-log-enabled = false

[monitor]
  store-enabled = false

[http]
  bind-address = "127.0.0.1:${httpPort}"
  auth-enabled = ${options.authEnabled ? 'true' : 'false'}
  log-enabled = false
  pprof-enabled = false

[continuous_queries]
  log-enabled = false

[logging]
  level = "warn"
  suppress-logo = true
${options.extraConfig ?? ''}
`;
}

async function answersPing(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
    return response.status === 204;
  } catch {
    return false;
  }
}

/** Starts a private influxd (1.x) in a fresh temporary directory, for tests. */
export async function startInfluxd(options: InfluxdOptions = {}): Promise<RunningInfluxd> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-influxd-'));
  const untrack = trackTempDir(dir);
  const port = options.port ?? (await freePort());
  const rpcPort = await freePort();
  const configFile = join(dir, 'influxdb.conf');
  await writeFile(configFile, config(dir, port, rpcPort, options));
  const url = `http://127.0.0.1:${port}`;
  const influxd = manageProcess({
    name: 'influxd',
    command: influxdPath,
    args: ['-config', configFile],
    isReady: () => answersPing(url),
    readyTimeoutMs: options.readyTimeoutMs ?? 30_000,
  });
  const dispose = async () => {
    await influxd.stop();
    await rm(dir, { recursive: true, force: true });
    untrack();
  };
  try {
    await influxd.start();
  } catch (err) {
    await dispose();
    throw err;
  }
  return { url, port, dir, stop: influxd.stop, start: influxd.start, kill: influxd.kill, dispose };
}
