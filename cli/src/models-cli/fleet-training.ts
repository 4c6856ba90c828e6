import { performance } from 'node:perf_hooks';
import { type DeviceModel, deviceModels, ValidationError } from '@aftercare/core';
import {
  type DetectionFigures,
  type FleetTrainProgress,
  type LabelledDeviceHistory,
  type TrainedFleetModel,
  trainFleetModels,
} from '@aftercare/models';
import { simulatedHistories } from '../models/sim-history.ts';
import type { ModelsCliContext } from './context.ts';
import type { PhaseBar } from './phase-progress.ts';

/** A device model no version was trained for, and why, in words for the output. */
export interface SkippedDeviceModel {
  deviceModel: DeviceModel;
  reason: string;
}

export interface SimulatedTraining {
  trained: TrainedFleetModel[];
  /** What each trained model announced on its validation fleet, over all its failure modes. */
  validation: Map<DeviceModel, DetectionFigures>;
  /** Every device model of the catalogue that got no version, in catalogue order. */
  skipped: SkippedDeviceModel[];
  trainSeconds: number;
}

export interface FleetTrainingFlags {
  seed: number;
  devices: number;
  days: number;
  horizon: number;
  epochs: number;
}

function trainingBar(bar: PhaseBar, devices: { training: number; validation: number }) {
  return (p: FleetTrainProgress) => {
    if (p.phase === 'histories') {
      const total = p.set === 'training' ? devices.training : devices.validation;
      bar.update(
        `simulating ${p.set} fleet`,
        p.devices,
        total,
        p.rows ? `· ${p.rows.toLocaleString('en')} rows` : '',
      );
    } else if (p.phase === 'epoch') {
      bar.update(
        `training ${p.deviceModel}`,
        p.epoch,
        p.epochs,
        `· val loss ${p.valLoss.toFixed(4)} · ${p.seconds.toFixed(1)} s/epoch`,
      );
    } else {
      bar.stop();
    }
  };
}

/** A fleet's histories, counting the devices of each model as they pass (afresh on every pass). */
function counted(
  source: () => Iterable<LabelledDeviceHistory>,
  seen: Map<DeviceModel, number>,
): () => Iterable<LabelledDeviceHistory> {
  return function* () {
    seen.clear();
    for (const history of source()) {
      seen.set(history.model, (seen.get(history.model) ?? 0) + 1);
      yield history;
    }
  };
}

/**
 * Trains the fleet models on simulated fleets of seed n (training) and n+1 (validation, thresholds).
 * trainFleetModels passes over a device model without a word to its caller when a fleet has none of
 * it or its histories are too short for a training row (it logs a warning); the fleets are counted on
 * the way through so the command can say which device models got no version, and why.
 */
export async function trainOnSimulatedFleets(
  flags: FleetTrainingFlags,
  backend: string,
  ctx: ModelsCliContext,
  bar: PhaseBar,
): Promise<SimulatedTraining> {
  const validationDevices = Math.max(2, Math.round(flags.devices / 2));
  const inTraining = new Map<DeviceModel, number>();
  const inValidation = new Map<DeviceModel, number>();
  const validation = new Map<DeviceModel, DetectionFigures>();
  const drawBar = trainingBar(bar, { training: flags.devices, validation: validationDevices });
  const started = performance.now();
  const trained = await trainFleetModels({
    histories: counted(
      () => simulatedHistories({ seed: flags.seed, devices: flags.devices, days: flags.days }),
      inTraining,
    ),
    validation: counted(
      () => simulatedHistories({ seed: flags.seed + 1, devices: validationDevices, days: flags.days }),
      inValidation,
    ),
    horizonDays: flags.horizon,
    epochs: flags.epochs,
    seed: flags.seed,
    trainingRange: { dataset: 'simulated-fleet', seed: flags.seed, devices: flags.devices, days: flags.days },
    validationRange: {
      dataset: 'simulated-fleet',
      seed: flags.seed + 1,
      devices: validationDevices,
      days: flags.days,
    },
    backend,
    logger: ctx.logger,
    onProgress: (p) => {
      if (p.phase === 'trained') validation.set(p.deviceModel, p.validation.model);
      drawBar(p);
    },
  });
  bar.stop();
  const done = new Set(trained.map((t) => t.deviceModel));
  const skipped = deviceModels
    .filter((m) => !done.has(m))
    .map((deviceModel) => {
      const training = inTraining.get(deviceModel) ?? 0;
      const reason =
        training === 0
          ? `no ${deviceModel} in the training fleet (seed ${flags.seed}, ${flags.devices} devices)`
          : !inValidation.has(deviceModel)
            ? `no ${deviceModel} in the validation fleet (seed ${flags.seed + 1}, ${validationDevices} devices)`
            : `its ${training} training devices gave no row with enough history (--days ${flags.days})`;
      return { deviceModel, reason };
    });
  if (trained.length === 0) {
    const why = skipped.map((s) => `${s.deviceModel}: ${s.reason}`).join('; ');
    throw new ValidationError(`no fleet model could be trained (${why}); give more --devices or --days`);
  }
  return { trained, validation, skipped, trainSeconds: (performance.now() - started) / 1000 };
}
