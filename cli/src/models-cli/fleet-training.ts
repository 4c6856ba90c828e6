import { performance } from 'node:perf_hooks';
import { type DeviceModel, deviceModels, ValidationError } from '@aftercare/core';
import {
  type DetectionFigures,
  type FleetSkipReason,
  type FleetTrainProgress,
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

interface SimulatedTraining {
  trained: TrainedFleetModel[];
  /** What each trained model announced on its validation fleet, over all its failure modes. */
  validation: Map<DeviceModel, DetectionFigures>;
  /** Every device model of the catalogue that got no version, in catalogue order. */
  skipped: SkippedDeviceModel[];
  trainSeconds: number;
}

interface FleetTrainingFlags {
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

/**
 * Trains the fleet models on simulated fleets of seed n (training) and n+1 (validation, thresholds),
 * and says which device models got no version and why, as trainFleetModels reports them.
 */
export async function trainOnSimulatedFleets(
  flags: FleetTrainingFlags,
  backend: string,
  ctx: ModelsCliContext,
  bar: PhaseBar,
): Promise<SimulatedTraining> {
  const validationDevices = Math.max(2, Math.round(flags.devices / 2));
  const validation = new Map<DeviceModel, DetectionFigures>();
  const skipped: SkippedDeviceModel[] = [];
  const reasons: Record<FleetSkipReason, (model: DeviceModel) => string> = {
    'not-in-training': (m) => `no ${m} in the training fleet (seed ${flags.seed}, ${flags.devices} devices)`,
    'no-training-rows': () => `its training devices gave no row with enough history (--days ${flags.days})`,
    'not-in-validation': (m) =>
      `no ${m} in the validation fleet (seed ${flags.seed + 1}, ${validationDevices} devices)`,
  };
  const drawBar = trainingBar(bar, { training: flags.devices, validation: validationDevices });
  const started = performance.now();
  const trained = await trainFleetModels({
    histories: () => simulatedHistories({ seed: flags.seed, devices: flags.devices, days: flags.days }),
    validation: () =>
      simulatedHistories({ seed: flags.seed + 1, devices: validationDevices, days: flags.days }),
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
      if (p.phase === 'skipped')
        skipped.push({ deviceModel: p.deviceModel, reason: reasons[p.reason](p.deviceModel) });
      else drawBar(p);
    },
  });
  bar.stop();
  if (trained.length === 0) {
    const why = skipped.map((s) => `${s.deviceModel}: ${s.reason}`).join('; ');
    throw new ValidationError(`no fleet model could be trained (${why}); give more --devices or --days`);
  }
  // In catalogue order, whichever step of the training passed each over.
  skipped.sort((a, b) => deviceModels.indexOf(a.deviceModel) - deviceModels.indexOf(b.deviceModel));
  return { trained, validation, skipped, trainSeconds: (performance.now() - started) / 1000 };
}
