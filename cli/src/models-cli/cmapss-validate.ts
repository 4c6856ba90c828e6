import path from 'node:path';
import { ValidationError } from '@aftercare/core';
import { crossValidateRulConfig, loadCmapssTrain, validateRulConfig } from '@aftercare/models';
import { z } from 'zod';
import { helpText } from '../args.ts';
import { crossValidationJson, crossValidationText } from './cmapss-cv-format.ts';
import { requireCmapssFiles } from './cmapss-data.ts';
import {
  configFrom,
  DIR_TRAIN,
  dataFlags,
  dataSchema,
  trainingFlags,
  trainingSchema,
} from './cmapss-flags.ts';
import { validationJson, validationText } from './cmapss-format.ts';
import { pickUnits, type UnitPlan } from './cmapss-units.ts';
import type { ModelsCommand } from './context.ts';
import {
  backendFlag,
  backendFlagSpec,
  intFlag,
  jsonFlagSpec,
  numberFlag,
  parseFlags,
  startBackend,
} from './flags.ts';
import { trainingProgress } from './progress.ts';

const validateSpec = {
  name: 'validate cmapss',
  summary:
    'Model selection without the test set: holds out a fixed share of the TRAINING units (the same for\n' +
    'every variant), trains the configuration on the rest and scores the held-out units as the test set\n' +
    'is scored: each cut at seeded points, one prediction from the last window before each cut.\n' +
    'With --folds k, every training unit is held out once instead (k-fold cross-validation: k trainings).\n' +
    'Only train_<subset>.txt is read.',
  usage:
    'pnpm models validate cmapss --dir <folder> [--variant name] [--members n] [--holdout 0.2 | --folds 5] [--json]',
  flags: {
    ...dataFlags(DIR_TRAIN),
    ...trainingFlags,
    holdout: { type: 'string' as const, description: 'share of training units held out (default 0.2)' },
    folds: {
      type: 'string' as const,
      description: 'cross-validate: hold out each of k seeded folds of the training units in turn (2..20)',
    },
    'holdout-seed': {
      type: 'string' as const,
      description: 'which units are held out (or fall in which fold) and where they are cut (default 2026)',
    },
    truncations: {
      type: 'string' as const,
      description: 'seeded cuts per held-out unit, one prediction each (default 10)',
    },
    cuts: {
      type: 'string' as const,
      description:
        "where held-out units are cut: 'life' (over their cycles) or 'rul' (over the RUL left, 5..150);\n" +
        "default: as the configuration's members early-stop (validationCuts)",
    },
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z
    .object({
      ...dataSchema(DIR_TRAIN),
      ...trainingSchema,
      holdout: numberFlag(0.05, 0.5).optional(),
      folds: intFlag(2, 20).optional(),
      'holdout-seed': intFlag(0, 2 ** 31 - 1).default(2026),
      truncations: intFlag(1, 100).default(10),
      cuts: z.enum(['life', 'rul']).optional(),
      backend: backendFlag,
      json: z.boolean().default(false),
    })
    .refine((f) => f.holdout === undefined || f.folds === undefined, {
      message: 'give either --holdout (one held-out share) or --folds (cross-validation), not both',
      path: ['folds'],
    }),
};

export const validateCmapss: ModelsCommand = {
  summary: 'score a configuration on held-out TRAINING units (model selection; reads no test file)',
  help: () => helpText(validateSpec),
  async run(argv, ctx) {
    const flags = parseFlags(validateSpec, argv, ctx);
    if (!flags) return 0;
    const config = configFrom(flags);
    await requireCmapssFiles(flags.dir, flags.subset, ['train']);
    const file = path.join(flags.dir, `train_${flags.subset}.txt`);
    const all = await loadCmapssTrain(flags.dir, flags.subset);
    const loaded = flags.units === undefined ? all.length : Math.min(flags.units, all.length);
    if (flags.folds !== undefined && flags.folds > loaded)
      throw new ValidationError(
        `--folds ${flags.folds} is more than the ${loaded} training unit${loaded === 1 ? '' : 's'} loaded`,
      );
    const cuts = flags.cuts ?? config.validationCuts;
    const plan: UnitPlan =
      flags.folds !== undefined
        ? { kind: 'folds', folds: flags.folds, cuts }
        : { kind: 'holdout', holdout: flags.holdout ?? 0.2, given: flags.holdout !== undefined, cuts };
    const units = pickUnits(all, flags.units, config, plan, file);
    const backend = await startBackend(flags.backend, ctx);
    const progress = trainingProgress(ctx, { bar: !flags.json, cap: config.cap });
    try {
      const variant = flags.variant ?? 'default';
      const scoring = {
        truncations: flags.truncations,
        ...(flags.cuts ? { cuts: flags.cuts } : {}),
        onEpoch: progress.onEpoch,
        signal: ctx.signal,
      };
      const print = (json: string, text: string) => {
        progress.stop();
        ctx.stdout.write(flags.json ? `${json}\n` : text);
        return 0;
      };
      if (flags.folds !== undefined) {
        const seed = flags['holdout-seed'];
        const log = ctx.logger.child({ component: 'cross-validation', variant });
        const r = await crossValidateRulConfig(units, config, {
          ...scoring,
          folds: flags.folds,
          seed,
          onFoldScored: (f) =>
            log.info({ ...f, rmseCapped: Math.round(f.rmseCapped * 1000) / 1000 }, 'fold scored'),
        });
        return print(
          crossValidationJson(flags.subset, variant, backend.name, r, config),
          crossValidationText(flags.subset, variant, backend.name, r, config),
        );
      }
      const holdout = { holdoutFraction: flags.holdout ?? 0.2, holdoutSeed: flags['holdout-seed'] };
      const r = await validateRulConfig(units, config, { ...scoring, ...holdout });
      return print(
        validationJson(flags.subset, variant, backend.name, r, config),
        validationText(flags.subset, variant, backend.name, r, config),
      );
    } finally {
      progress.stop();
    }
  },
};
