import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'node' | 'wasm' | 'cpu';

export interface BackendChoice {
  name: BackendName;
  /** Why this backend runs, including why better ones were passed over. */
  reason: string;
}

/**
 * The wasm binaries ship inside the package; pointing tfjs at them on disk keeps training offline
 * (the default path would be a CDN download).
 */
function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return `${path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}${path.sep}`;
}

async function tryNode(): Promise<string | null> {
  // node-pre-gyp, which tfjs-node uses to find its binding, parses process.argv: a CLI flag such as
  // `--dir <data folder>` would redirect its lookup. Hide our arguments while it loads.
  const argv = process.argv;
  process.argv = argv.slice(0, 2);
  try {
    // tfjs-node is optional: its native binding fails to install on some machines, so the import may throw.
    await import('@tensorflow/tfjs-node' as string);
    if (await tf.setBackend('tensorflow')) return null;
    return 'tfjs-node loaded but its backend did not initialise';
  } catch (err) {
    const message = (err as Error).message;
    // The usual case here: its install script could not download libtensorflow. That is expected and
    // harmless, so it is said in words rather than as the loader's error with its long path.
    if (/can not be found|Cannot find (module|package)/.test(message))
      return 'tfjs-node unavailable: its optional native binding is not installed';
    return `tfjs-node unavailable (${message.split('\n')[0]})`;
  } finally {
    process.argv = argv;
  }
}

async function tryWasm(): Promise<string | null> {
  try {
    setWasmPaths(wasmDistDir());
    if (await tf.setBackend('wasm')) return null;
    return 'wasm backend did not initialise';
  } catch (err) {
    return `wasm unavailable (${(err as Error).message.split('\n')[0]})`;
  }
}

/**
 * Picks the fastest backend that works here: tfjs-node, then wasm (about 9x faster than cpu for GRU
 * training on this machine, see MACHINE-NOTES.md), then the pure-JS cpu backend that always works.
 * `preferred` starts the chain lower, e.g. 'cpu' to compare or to run convolutions (wasm has no
 * Conv2DBackpropFilter kernel).
 */
export async function initBackend(
  preferred: BackendName = 'node',
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<BackendChoice> {
  const order: BackendName[] = ['node', 'wasm', 'cpu'];
  const passedOver: string[] = [];
  for (const name of order.slice(order.indexOf(preferred))) {
    const failure = name === 'node' ? await tryNode() : name === 'wasm' ? await tryWasm() : null;
    if (failure) {
      passedOver.push(failure);
      continue;
    }
    if (name === 'cpu') await tf.setBackend('cpu');
    await tf.ready();
    const reason = [
      preferred === name ? `${name} requested` : `${name} is the best available`,
      ...passedOver,
    ].join('; ');
    log(`tensorflow backend: ${name} (${reason})`);
    return { name, reason };
  }
  throw new Error('unreachable: the cpu backend always initialises');
}

/**
 * Runs `measure` on the best backend here (tfjs-node, else wasm), then on the pure-JS `cpu` backend
 * as the reference, telling `onPhase` each backend's name; the backend active before is active again
 * afterwards.
 */
export async function onBestBackendThenCpu<T>(
  measure: (phase: 'main' | 'cpu') => Promise<T>,
  onPhase?: (backend: string) => void,
): Promise<{ main: T; cpu: T }> {
  const previous = tf.getBackend();
  try {
    const chosen = await initBackend('node', () => {});
    onPhase?.(chosen.name);
    const main = await measure('main');
    await initBackend('cpu', () => {});
    onPhase?.('cpu');
    const cpu = await measure('cpu');
    return { main, cpu };
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}
