import type { DeviceModel } from '@aftercare/core';
import * as tf from '@tensorflow/tfjs';
import { onBestBackendThenCpu } from '../backend.ts';
import { TrainingSetBuilder } from '../fleet/dataset.ts';
import { fitFleetNetwork, type LabelledMatrix } from '../fleet/fit-network.ts';
import { eachHistory, type HistorySource } from '../fleet/labelled-history.ts';
import { applyNormalisation, fitNormalisation } from '../fleet/normalisation.ts';
import { labelledMatrix } from '../fleet/training-matrices.ts';
import { wasmMatMulPatched } from './wasm-matmul.ts';

/** One device model's fleet training rows as the network sees them (normalised), and their origin. */
export interface FleetTrainingMatrix {
  deviceModel: DeviceModel;
  devices: number;
  matrix: LabelledMatrix;
}

/**
 * The training matrix `trainFleetModels` builds for one device model (features every 24 h, labels
 * within `horizonDays`, z-scores fitted on these rows), without training anything.
 */
export async function fleetTrainingMatrix(
  histories: HistorySource,
  deviceModel: DeviceModel,
  horizonDays = 14,
): Promise<FleetTrainingMatrix> {
  const builder = new TrainingSetBuilder(deviceModel, horizonDays, { everyHours: 24 });
  for await (const history of eachHistory(histories)) {
    if (history.model === deviceModel) builder.add(history);
  }
  const set = builder.finish(5);
  const norm = fitNormalisation(set.x, set.rows, set.width);
  return {
    deviceModel,
    devices: set.devices,
    matrix: labelledMatrix(set, applyNormalisation(norm, set.x, set.rows)),
  };
}

export interface FleetEpochSpeed {
  backend: string;
  rows: number;
  width: number;
  targets: number;
  hiddenUnits: number[];
  batchSize: number;
  /** Whether the faster wasm matrix product (useFastWasmMatMul) was in place while timing. */
  fastWasmMatMul: boolean;
  /** Wall seconds of each timed epoch (training and validation pass); the first epoch is not timed. */
  epochSeconds: number[];
  secondsPerEpoch: number;
}

function head(m: LabelledMatrix, rows: number): LabelledMatrix {
  const n = Math.min(rows, m.rows);
  return {
    ...m,
    rows: n,
    x: m.x.subarray(0, n * m.width),
    fails: m.fails.subarray(0, n * m.targets),
    daysLeft: m.daysLeft.subarray(0, n * m.targets),
  };
}

/**
 * Seconds per epoch of `fitFleetNetwork` on the current backend: `epochs` timed epochs after one
 * untimed one (kernel set-up), validating on a tenth of the rows as often as training does.
 */
export async function measureFleetEpochSeconds(
  matrix: LabelledMatrix,
  options: { epochs: number; hiddenUnits: number[]; batchSize: number; seed?: number },
): Promise<FleetEpochSpeed> {
  const seconds: number[] = [];
  const fit = await fitFleetNetwork(matrix, head(matrix, Math.max(1, Math.floor(matrix.rows / 10))), {
    epochs: options.epochs + 1,
    patience: options.epochs + 1,
    batchSize: options.batchSize,
    learningRate: 2e-3,
    hiddenUnits: options.hiddenUnits,
    seed: options.seed ?? 1,
    onEpoch: (e) => seconds.push(e.seconds),
  });
  fit.model.dispose();
  const timed = seconds.slice(1);
  return {
    backend: tf.getBackend(),
    rows: matrix.rows,
    width: matrix.width,
    targets: matrix.targets,
    hiddenUnits: options.hiddenUnits,
    batchSize: options.batchSize,
    fastWasmMatMul: tf.getBackend() === 'wasm' && wasmMatMulPatched(),
    epochSeconds: timed,
    secondsPerEpoch: timed.reduce((a, b) => a + b, 0) / timed.length,
  };
}

/**
 * The fleet network timed on the best backend here (tfjs-node, else wasm) and on the pure-JS `cpu`
 * backend as the reference, on the same rows; the backend active before is active again afterwards.
 */
export async function compareFleetEpochSpeed(options: {
  matrix: LabelledMatrix;
  epochs: number;
  hiddenUnits: number[];
  batchSize: number;
  onPhase?: (backend: string) => void;
}): Promise<{ main: FleetEpochSpeed; cpu: FleetEpochSpeed }> {
  return onBestBackendThenCpu(() => measureFleetEpochSeconds(options.matrix, options), options.onPhase);
}
