import type { DeviceModel } from '@aftercare/core';
import type { DeviceModelSim } from './device-model.ts';
import { refrigerator } from './refrigerator.ts';
import { splitAc } from './split-ac.ts';
import { washingMachine } from './washing-machine.ts';
import { waterPurifier } from './water-purifier.ts';

export const modelSims: Readonly<Record<DeviceModel, DeviceModelSim>> = {
  'split-ac': splitAc,
  refrigerator,
  'water-purifier': waterPurifier,
  'washing-machine': washingMachine,
};

export type { DeviceModelSim, ErrorCodeSpec, MetricEffect, ModeBehaviour } from './device-model.ts';
export { severityAt } from './device-model.ts';
