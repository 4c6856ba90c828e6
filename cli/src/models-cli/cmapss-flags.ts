import { DEFAULT_RUL_CONFIG, RUL_VARIANTS, type RulConfig, resolveRulConfig } from '@aftercare/models';
import { z } from 'zod';
import { intFlag, numberFlag, requiredFlag, subsetFlag } from './flags.ts';

/** The C-MAPSS commands' shared flags: the data, the training configuration, the backend. */

const d = DEFAULT_RUL_CONFIG;

/** What --dir holds for a command: all three files, or the training file alone (train, validate). */
export const DIR_ALL = 'folder holding train_/test_/RUL_<subset>.txt';
export const DIR_TRAIN = 'folder holding train_<subset>.txt';

/** --dir and --subset, with --dir described as the command reads it. */
export function dataFlags(dirHelp: string) {
  return {
    dir: { type: 'string' as const, description: `${dirHelp} (required)` },
    subset: {
      type: 'string' as const,
      description:
        "C-MAPSS subset: NASA's FD001..FD004, or any FDnnn whose files --dir holds (default FD001)",
    },
  };
}

export const dataSchema = (dirHelp: string) => ({
  dir: requiredFlag(`the ${dirHelp}`),
  subset: subsetFlag,
});

/** Flags that change the training configuration; unset ones keep the chosen default (or the variant's). */
export const trainingFlags = {
  members: { type: 'string' as const, description: `ensemble members (default ${d.members})` },
  epochs: { type: 'string' as const, description: `most epochs per member (default ${d.epochs})` },
  patience: {
    type: 'string' as const,
    description: `epochs without a better validation loss before a member stops (default ${d.patience})`,
  },
  'batch-size': { type: 'string' as const, description: `windows per batch (default ${d.batchSize})` },
  'learning-rate': { type: 'string' as const, description: `initial Adam rate (default ${d.learningRate})` },
  window: {
    type: 'string' as const,
    description: `time steps per input window (default ${d.windowLength}${d.stride > 1 ? `, each the mean of ${d.stride} cycles` : ''})`,
  },
  seed: {
    type: 'string' as const,
    description: `seed of splits, initialisation and batch order (default ${d.seed})`,
  },
  variant: {
    type: 'string' as const,
    description: `start from a named variant instead of the default: ${Object.keys(RUL_VARIANTS).join(', ')}`,
  },
  units: {
    type: 'string' as const,
    description: 'train on the first n training units only (quick runs; default all)',
  },
};

export const trainingSchema = {
  members: intFlag(1, 50).optional(),
  epochs: intFlag(1, 1000).optional(),
  patience: intFlag(1, 1000).optional(),
  'batch-size': intFlag(1, 65_536).optional(),
  'learning-rate': numberFlag(1e-6, 1).optional(),
  window: intFlag(2, 500).optional(),
  seed: intFlag(0, 2 ** 31 - 1).optional(),
  variant: z
    .string()
    .refine((v) => v in RUL_VARIANTS, `must be one of ${Object.keys(RUL_VARIANTS).join(', ')}`)
    .optional(),
  units: intFlag(2, 100_000).optional(),
};

type TrainingFlags = {
  members?: number | undefined;
  epochs?: number | undefined;
  patience?: number | undefined;
  'batch-size'?: number | undefined;
  'learning-rate'?: number | undefined;
  window?: number | undefined;
  seed?: number | undefined;
  variant?: string | undefined;
};

export function configFrom(flags: TrainingFlags): RulConfig {
  const overrides: Partial<RulConfig> = {};
  if (flags.members !== undefined) overrides.members = flags.members;
  if (flags.epochs !== undefined) overrides.epochs = flags.epochs;
  if (flags.patience !== undefined) overrides.patience = flags.patience;
  if (flags['batch-size'] !== undefined) overrides.batchSize = flags['batch-size'];
  if (flags['learning-rate'] !== undefined) overrides.learningRate = flags['learning-rate'];
  if (flags.seed !== undefined) overrides.seed = flags.seed;
  if (flags.window !== undefined) {
    overrides.windowLength = flags.window;
    // Shorter histories keep being padded up to the window, never beyond it.
    const base = resolveRulConfig(flags.variant);
    overrides.minCycles = Math.min(base.minCycles, flags.window * base.stride);
  }
  return resolveRulConfig(flags.variant, overrides);
}
