import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeviceModel } from '@aftercare/core';
import {
  compareFleetEpochSpeed,
  compareRulEpochSpeed,
  DEFAULT_RUL_CONFIG,
  type EpochSpeed,
  type FleetEpochSpeed,
  fleetTrainingMatrix,
  loadCmapssTrain,
  type RulConfig,
} from '@aftercare/models';
import { defaultHistoryStart, simulatedHistories } from '../models/sim-history.ts';
import type { BenchRow } from './table.ts';

/** Where the repository's README keeps C-MAPSS: beside the checkout, in ../shared/datasets/cmapss. */
export const defaultCmapssDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/cmapss',
);

export interface TrainingBenchOptions {
  dir?: string;
  subset?: string;
  /** Timed epochs on the models backend (after a warm-up); the cpu reference times 1 for the RUL network. */
  epochs?: number;
  /**
   * Share of the training units the cpu reference trains on: the pure-JS backend is several times
   * slower, so it times a slice and the row says so (1 = the same windows as the fast backend).
   */
  cpuShare?: number;
  config?: RulConfig;
  /** The fleet row's training fleet: one device model's devices, simulated over `days` (default 75 split ACs × 365 days). */
  fleet?: { deviceModel?: DeviceModel; devices?: number; days?: number; hiddenUnits?: number[] };
  progress?: (message: string) => void;
}

const fmtSeconds = (s: number) => (s >= 10 ? s.toFixed(0) : s >= 1 ? s.toFixed(1) : s.toFixed(2));

function describe(speed: EpochSpeed): string {
  const steps = speed.stride > 1 ? ` (each step the mean of ${speed.stride} cycles)` : '';
  return `${speed.windows.toLocaleString('en')} windows of ${speed.windowShape.join('×')}${steps}, ${speed.architecture}, batch ${speed.batchSize}`;
}

/**
 * The bench rows for model training: seconds per epoch of the fleet failure network and of the
 * C-MAPSS RUL network on the backend the models use (tfjs-node, else wasm), each with the pure-JS
 * `cpu` backend timed in the same run as the reference (the RUL one on a slice of the units when
 * `cpuShare` < 1). The fleet network goes first: it trains without the RUL training's faster wasm
 * matrix product, as `pnpm models train fleet` does, and the row says if that was in place.
 */
export async function trainingBenchRows(options: TrainingBenchOptions = {}): Promise<BenchRow[]> {
  return [...(await fleetTrainingRows(options)), ...(await rulTrainingRows(options))];
}

/** Same as the `train fleet` default: the power of two nearest rows / 64, between 32 and 512. */
const fleetBatchSize = (rows: number) =>
  Math.min(512, Math.max(32, 2 ** Math.round(Math.log2(Math.max(1, rows / 64)))));

/** The fleet network's row: seconds per epoch on the models backend and on cpu, same rows. */
export async function fleetTrainingRows(options: TrainingBenchOptions): Promise<BenchRow[]> {
  const deviceModel = options.fleet?.deviceModel ?? 'split-ac';
  const devices = options.fleet?.devices ?? 75;
  const days = options.fleet?.days ?? 365;
  const hiddenUnits = options.fleet?.hiddenUnits ?? [64, 32];
  const epochs = options.epochs ?? 2;
  const progress = options.progress ?? (() => {});
  progress(`training: building the fleet training rows (${devices} ${deviceModel} devices × ${days} days)`);
  const { matrix } = await fleetTrainingMatrix(
    () =>
      simulatedHistories({
        seed: 1,
        devices,
        days,
        from: defaultHistoryStart,
        models: { [deviceModel]: 1 },
      }),
    deviceModel,
  );
  const what = 'fleet model training, seconds per epoch';
  if (matrix.rows < 10) {
    return [
      {
        what,
        data: `simulated ${deviceModel} fleet, ${devices} devices × ${days} days: ${matrix.rows} training rows`,
        figure: 'not measured',
        reference: 'too few rows to time an epoch; simulate more devices or days',
      },
    ];
  }
  const batchSize = fleetBatchSize(matrix.rows);
  const { main, cpu } = await compareFleetEpochSpeed({
    matrix,
    epochs,
    hiddenUnits,
    batchSize,
    onPhase: (backend) =>
      progress(
        `training: ${epochs} epochs of the fleet network on ${backend}${backend === 'cpu' ? ' (reference)' : ''}`,
      ),
  });
  const net = (s: FleetEpochSpeed) =>
    `${s.hiddenUnits.map((h) => `Dense(${h})`).join('→')}→${s.targets} failure modes × 2 heads`;
  return [
    {
      what: `${what} (${main.backend})`,
      data: `simulated ${deviceModel} fleet, ${devices} devices × ${days} days (seed 1): ${main.rows.toLocaleString('en')} rows × ${main.width} features, ${net(main)}, batch ${batchSize}${main.fastWasmMatMul ? ', fast wasm matmul' : ''}`,
      figure: `${fmtSeconds(main.secondsPerEpoch)} s/epoch (${main.backend})`,
      reference: `cpu backend: ${fmtSeconds(cpu.secondsPerEpoch)} s/epoch on the same rows (${(cpu.secondsPerEpoch / main.secondsPerEpoch).toFixed(1)}× slower)`,
    },
  ];
}

/** The C-MAPSS RUL network's row (cpu on a slice of the units when `cpuShare` < 1). */
export async function rulTrainingRows(options: TrainingBenchOptions): Promise<BenchRow[]> {
  const dir = options.dir ?? defaultCmapssDir;
  const subset = options.subset ?? 'FD001';
  const epochs = options.epochs ?? 2;
  const cpuShare = options.cpuShare ?? 0.1;
  const config = options.config ?? DEFAULT_RUL_CONFIG;
  const progress = options.progress ?? (() => {});
  const file = path.join(dir, `train_${subset}.txt`);
  try {
    await access(file);
  } catch {
    return [
      {
        what: 'RUL model training (C-MAPSS)',
        data: `${file} not found`,
        figure: 'not measured',
        reference: 'put NASA C-MAPSS beside the checkout in ../shared/datasets/cmapss',
      },
    ];
  }
  const units = await loadCmapssTrain(dir, subset);
  const cpuUnits = units.slice(0, Math.max(1, Math.round(units.length * cpuShare)));
  const { main, cpu } = await compareRulEpochSpeed({
    units,
    cpuUnits,
    config,
    epochs,
    cpuEpochs: 1,
    onPhase: (backend) =>
      progress(
        backend === 'cpu'
          ? `training: 1 epoch of the RUL network on cpu (reference), ${cpuUnits.length} of ${units.length} units`
          : `training: ${epochs} epochs of the RUL network on ${backend}`,
      ),
  });
  const perWindow = (s: EpochSpeed) => s.secondsPerEpoch / s.windows;
  const cpuFull = perWindow(cpu) * main.windows;
  const sliced = cpu.windows < main.windows;
  return [
    {
      what: `RUL model training, seconds per epoch (${main.backend})`,
      data: `C-MAPSS ${subset}: ${describe(main)}`,
      figure: `${fmtSeconds(main.secondsPerEpoch)} s/epoch (${main.backend})`,
      reference: sliced
        ? `cpu backend: ${fmtSeconds(cpu.secondsPerEpoch)} s/epoch on ${cpu.windows.toLocaleString('en')} windows (${cpuUnits.length} units), ≈ ${fmtSeconds(cpuFull)} s at ${main.windows.toLocaleString('en')} (${(cpuFull / main.secondsPerEpoch).toFixed(1)}× slower)`
        : `cpu backend: ${fmtSeconds(cpu.secondsPerEpoch)} s/epoch (${(cpu.secondsPerEpoch / main.secondsPerEpoch).toFixed(1)}× slower)`,
    },
  ];
}
