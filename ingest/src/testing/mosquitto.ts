import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manageProcess, trackTempDir } from './managed-process.ts';
import { canConnect, freePort } from './ports.ts';

export const mosquittoPath = '/usr/sbin/mosquitto';

export interface MosquittoOptions {
  port?: number;
  /** Lines appended to the generated mosquitto.conf (password_file, acl_file, more listeners…). */
  extraConfig?: string;
  readyTimeoutMs?: number;
}

export interface RunningMosquitto {
  url: string;
  port: number;
  /** World-readable directory for files the extra config refers to. */
  dir: string;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Starts a private mosquitto (2.x) for tests. Started as root it drops to the `mosquitto` user,
 * so its directory and files are world-readable. The queue limits are lifted because the defaults
 * drop QoS 1 messages for a fast subscriber (MACHINE-NOTES.md).
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<RunningMosquitto> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-mosquitto-'));
  const untrack = trackTempDir(dir);
  await chmod(dir, 0o755);
  const port = options.port ?? (await freePort());
  const configFile = join(dir, 'mosquitto.conf');
  const lines = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'persistence false',
    'max_queued_messages 0',
    'max_inflight_messages 0',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    options.extraConfig ?? '',
  ];
  await writeFile(configFile, `${lines.join('\n')}\n`, { mode: 0o644 });
  const mosquitto = manageProcess({
    name: 'mosquitto',
    command: mosquittoPath,
    args: ['-c', configFile],
    isReady: () => canConnect(port),
    readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
  });
  const dispose = async () => {
    await mosquitto.stop();
    await rm(dir, { recursive: true, force: true });
    untrack();
  };
  try {
    await mosquitto.start();
  } catch (err) {
    await dispose();
    throw err;
  }
  return { url: `mqtt://127.0.0.1:${port}`, port, dir, stop: mosquitto.stop, dispose };
}
