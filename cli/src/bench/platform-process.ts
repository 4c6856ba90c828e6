import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface PlatformProcess {
  pid: number;
  httpUrl: string;
  mqttUrl: string;
  /** Peak resident memory of the platform process so far (VmHWM), bytes. */
  peakRss(): number;
  rss(): number;
  stop(): Promise<void>;
}

function statusField(pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** Starts `aftercare start` as its own process, as an operator would, and waits for /health. */
export async function startPlatformProcess(
  env: Record<string, string>,
  httpPort: number,
  mqttPort: number,
): Promise<PlatformProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'cli/src/main.ts', 'start'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      AFTERCARE_LOG_LEVEL: 'warn',
      ...env,
      AFTERCARE_HTTP_PORT: String(httpPort),
      AFTERCARE_MQTT_PORT: String(mqttPort),
      AFTERCARE_MQTT_WS_PORT: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`platform exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${httpUrl}/health`);
      if (res.status === 200) break;
    } catch {}
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`platform did not become healthy: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    pid,
    httpUrl,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    peakRss: () => statusField(pid, 'VmHWM'),
    rss: () => statusField(pid, 'VmRSS'),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Runs the simulator CLI in its own process (so it does not share the platform's core) and returns its JSON report. */
export async function runSim<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'device-sim/src/main.ts', ...args, '--json'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`pnpm sim ${args[0]} failed (${code}): ${err.trim().split('\n').pop()}`);
  const line = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) throw new Error(`pnpm sim ${args[0]} printed no JSON report`);
  return JSON.parse(line) as T;
}
