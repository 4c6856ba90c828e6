import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  compareRulEpochSpeed,
  DEFAULT_RUL_CONFIG,
  type EpochSpeed,
  loadCmapssTrain,
  type RulConfig,
} from '@aftercare/models';
import type { BenchRow } from './table.ts';

/** Where the repository's README keeps C-MAPSS: beside the checkout, in ../shared/datasets/cmapss. */
export const defaultCmapssDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/datasets/cmapss',
);

export interface TrainingBenchOptions {
  dir?: string;
  subset?: string;
  /** Timed epochs per backend (after one warm-up batch). */
  epochs?: number;
  /**
   * Share of the training units the cpu reference trains on: the pure-JS backend is several times
   * slower, so it times a slice and the row says so (1 = the same windows as the fast backend).
   */
  cpuShare?: number;
  config?: RulConfig;
  progress?: (message: string) => void;
}

const fmtSeconds = (s: number) => (s >= 10 ? s.toFixed(0) : s.toFixed(1));

function describe(speed: EpochSpeed): string {
  return `${speed.windows.toLocaleString('en')} windows of ${speed.windowShape.join('×')}, ${speed.architecture}, batch ${speed.batchSize}`;
}

/**
 * The bench row for model training: seconds per epoch of the C-MAPSS RUL network on the backend the
 * models use (tfjs-node, else wasm), with the pure-JS `cpu` backend timed in the same run as the
 * reference, on a slice of the units when `cpuShare` < 1.
 */
export async function trainingBenchRows(options: TrainingBenchOptions = {}): Promise<BenchRow[]> {
  const dir = options.dir ?? defaultCmapssDir;
  const subset = options.subset ?? 'FD001';
  const epochs = options.epochs ?? 2;
  const cpuShare = options.cpuShare ?? 0.25;
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
    onPhase: (backend) =>
      progress(
        backend === 'cpu'
          ? `training: ${epochs} epochs on cpu (reference), ${cpuUnits.length} of ${units.length} units`
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
