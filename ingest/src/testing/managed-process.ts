import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let safetyNetInstalled = false;

/**
 * A test that throws before its `afterAll` must not leave an influxd or mosquitto running (and
 * holding a port) after the test process is gone.
 */
function installSafetyNet(): void {
  if (safetyNetInstalled) return;
  safetyNetInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
}

export function trackTempDir(dir: string): () => void {
  installSafetyNet();
  tempDirs.add(dir);
  return () => tempDirs.delete(dir);
}

export interface ProcessSpec {
  /** Used in error messages. */
  name: string;
  command: string;
  args: string[];
  /** Polled until it answers true; the process counts as started only then. */
  isReady: () => Promise<boolean>;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface ManagedProcess {
  readonly pid: number | undefined;
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL if it has not exited within the stop timeout. */
  stop(): Promise<void>;
  kill(): Promise<void>;
  /** The last lines the process wrote, for error messages. */
  output(): string;
}

const keptLines = 200;

export function manageProcess(spec: ProcessSpec): ManagedProcess {
  installSafetyNet();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let lines: string[] = [];

  const remember = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > keptLines) lines = lines.slice(-keptLines);
  };
  const output = () => lines.join('\n');

  const signalAndWait = async (signal: NodeJS.Signals, timeoutMs: number) => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    current.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([exited.then(() => 'exited' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      current.kill('SIGKILL');
      await exited;
    }
  };

  return {
    get pid() {
      return child?.pid;
    },
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      lines = [];
      const started = spawn(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = started;
      live.add(started);
      let exitInfo: string | undefined;
      exited = new Promise((resolve) => {
        // 'close' rather than 'exit': by then stderr is drained, so a failed start reports all of it.
        started.once('close', (code, signal) => {
          exitInfo = signal ? `signal ${signal}` : `code ${code}`;
          live.delete(started);
          resolve();
        });
        started.once('error', (err) => {
          exitInfo = err.message;
          live.delete(started);
          resolve();
        });
      });
      started.stdout?.on('data', remember);
      started.stderr?.on('data', remember);

      const deadline = Date.now() + (spec.readyTimeoutMs ?? 30_000);
      while (Date.now() < deadline) {
        if (exitInfo !== undefined) {
          throw new Error(`${spec.name} exited during start (${exitInfo}):\n${output()}`);
        }
        if (await spec.isReady()) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await signalAndWait('SIGKILL', 5_000);
      throw new Error(
        `${spec.name} did not become ready within ${spec.readyTimeoutMs ?? 30_000} ms:\n${output()}`,
      );
    },
    stop: () => signalAndWait('SIGTERM', spec.stopTimeoutMs ?? 15_000),
    kill: () => signalAndWait('SIGKILL', 5_000),
    output,
  };
}
