import * as tf from '@tensorflow/tfjs';
import { onBestBackendThenCpu } from '../backend.ts';
import { fitWithEarlyStopping } from '../training/fit.ts';
import type { RulConfig } from './config.ts';
import { windowOptions } from './ensemble.ts';
import type { CmapssUnit } from './loader.ts';
import { fitMinMax, sensorIndices, trainingWindows } from './prepare.ts';
import { buildRulModel, describeArchitecture, toTensors } from './rul-model.ts';

export interface EpochSpeed {
  backend: string;
  windows: number;
  windowShape: [number, number];
  /** Cycles per time step (each step the mean of this many cycles). */
  stride: number;
  architecture: string;
  batchSize: number;
  /** Wall seconds of each timed epoch (training and validation pass), after one warm-up batch. */
  epochSeconds: number[];
  secondsPerEpoch: number;
}

/**
 * Seconds per training epoch of the RUL network on the current tfjs backend: the windows of `units`,
 * the configuration's architecture and batch size, `epochs` timed epochs after one warm-up batch
 * (which pays for kernel set-up). Validation is a tenth of the windows, as training does it.
 */
export async function measureRulEpochSeconds(
  units: CmapssUnit[],
  config: RulConfig,
  epochs = 2,
): Promise<EpochSpeed> {
  const sensors = sensorIndices(config.sensors);
  const stats = fitMinMax(units, sensors);
  const batch = trainingWindows(units, sensors, stats, windowOptions(config));
  const all = toTensors(batch, config.cap);
  const validationCount = Math.max(1, Math.floor(batch.count / 10));
  const validation = { x: all.x.slice(0, validationCount), y: all.y.slice(0, validationCount) };
  const model = buildRulModel({
    windowLength: config.windowLength,
    features: batch.features,
    architecture: config.architecture,
    seed: config.seed,
  });
  try {
    model.compile({ optimizer: tf.train.adam(config.learningRate), loss: 'meanSquaredError' });
    const warmX = all.x.slice(0, Math.min(config.batchSize, batch.count));
    const warmY = all.y.slice(0, Math.min(config.batchSize, batch.count));
    await model.trainOnBatch(warmX, warmY);
    tf.dispose([warmX, warmY]);
    const epochSeconds: number[] = [];
    await fitWithEarlyStopping(model, all, validation, {
      epochs,
      patience: epochs,
      batchSize: config.batchSize,
      learningRate: config.learningRate,
      seed: config.seed,
      onEpoch: (p) => epochSeconds.push(p.seconds),
    });
    return {
      backend: tf.getBackend(),
      windows: batch.count,
      windowShape: [config.windowLength, batch.features],
      stride: config.stride,
      architecture: describeArchitecture(config.architecture),
      batchSize: config.batchSize,
      epochSeconds,
      secondsPerEpoch: epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length,
    };
  } finally {
    model.dispose();
    tf.dispose([all.x, all.y, validation.x, validation.y]);
  }
}

/**
 * Times the RUL network on the best backend here (tfjs-node, else wasm) and on the pure-JS `cpu`
 * backend as the reference, in one process; `cpuUnits` may be a slice when cpu is too slow for the
 * full set. The backend that was active before is active again afterwards.
 */
export async function compareRulEpochSpeed(options: {
  units: CmapssUnit[];
  cpuUnits: CmapssUnit[];
  config: RulConfig;
  epochs: number;
  /** Timed epochs on cpu (default `epochs`): one is enough for a reference several times slower. */
  cpuEpochs?: number;
  onPhase?: (backend: string) => void;
}): Promise<{ main: EpochSpeed; cpu: EpochSpeed }> {
  return onBestBackendThenCpu(
    (phase) =>
      phase === 'main'
        ? measureRulEpochSeconds(options.units, options.config, options.epochs)
        : measureRulEpochSeconds(options.cpuUnits, options.config, options.cpuEpochs ?? options.epochs),
    options.onPhase,
  );
}
