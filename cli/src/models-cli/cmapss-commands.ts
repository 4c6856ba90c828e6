import { mkdir } from 'node:fs/promises';
import { ValidationError } from '@aftercare/core';
import {
  crossValidateRulConfig,
  DEFAULT_RUL_CONFIG,
  disposeEnsemble,
  evaluateOnTest,
  initBackend,
  loadCmapss,
  loadCmapssTrain,
  loadRulEnsemble,
  RUL_VARIANTS,
  type RulConfig,
  resolveRulConfig,
  runCmapssBenchmark,
  saveRulEnsemble,
  trainRulEnsemble,
  validateRulConfig,
} from '@aftercare/models';
import { z } from 'zod';
import { helpText } from '../args.ts';
import { crossValidationJson, crossValidationText } from './cmapss-cv-format.ts';
import { ALL_FILES, requireCmapssFiles } from './cmapss-data.ts';
import {
  benchmarkJson,
  benchmarkText,
  evaluateText,
  heldOutProtocol,
  validationJson,
  validationText,
} from './cmapss-format.ts';
import type { ModelsCliContext, ModelsCommand } from './context.ts';
import {
  backendFlag,
  backendFlagSpec,
  dirFlag,
  intFlag,
  jsonFlagSpec,
  numberFlag,
  parseFlags,
  subsetFlag,
} from './flags.ts';
import { trainingProgress } from './progress.ts';

const DIR_HELP = 'folder holding train_/test_/RUL_<subset>.txt';
const d = DEFAULT_RUL_CONFIG;

const dataFlags = {
  dir: { type: 'string' as const, description: `${DIR_HELP} (required)` },
  subset: { type: 'string' as const, description: 'C-MAPSS subset, FD001..FD004 (default FD001)' },
};

/** Flags that change the training configuration; unset ones keep the chosen default (or the variant's). */
const trainingFlags = {
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

const trainingSchema = {
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

function configFrom(flags: TrainingFlags): RulConfig {
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

async function startBackend(preferred: 'node' | 'wasm' | 'cpu', ctx: ModelsCliContext) {
  const log = ctx.logger.child({ component: 'backend' });
  return initBackend(preferred, (line) => log.info(line));
}

// ---------------------------------------------------------------------------------------------------
const benchmarkSpec = {
  name: 'benchmark cmapss',
  summary:
    'Trains the remaining-useful-life ensemble on train_<subset>.txt (every choice made on held-out training\n' +
    'units), scores the last cycles of each unit of test_<subset>.txt against RUL_<subset>.txt, and prints\n' +
    'RMSE, PHM08 score, TensorFlow.js backend and training seconds beside published figures.',
  usage: 'pnpm models benchmark cmapss --dir <folder> [--subset FD001] [--epochs n] [--members n] [--json]',
  flags: {
    ...dataFlags,
    ...trainingFlags,
    out: { type: 'string' as const, description: 'also save the trained ensemble in this folder' },
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    dir: dirFlag(DIR_HELP),
    subset: subsetFlag,
    ...trainingSchema,
    out: z.string().min(1).optional(),
    backend: backendFlag,
    json: z.boolean().default(false),
  }),
};

export const benchmarkCmapss: ModelsCommand = {
  summary: 'train on train_FD00x, score test_FD00x: RMSE, PHM08 score, backend, seconds',
  help: () => helpText(benchmarkSpec),
  async run(argv, ctx) {
    const flags = parseFlags(benchmarkSpec, argv, ctx);
    if (!flags) return 0;
    const config = configFrom(flags);
    await requireCmapssFiles(flags.dir, flags.subset, ALL_FILES);
    const backend = await startBackend(flags.backend, ctx);
    const progress = trainingProgress(ctx, { bar: !flags.json, cap: config.cap });
    try {
      const result = await runCmapssBenchmark({
        dir: flags.dir,
        subset: flags.subset,
        config,
        backend: backend.name,
        ...(flags.units ? { units: flags.units } : {}),
        onEpoch: progress.onEpoch,
        signal: ctx.signal,
      });
      progress.stop();
      if (flags.out) {
        await mkdir(flags.out, { recursive: true });
        await saveRulEnsemble(result.ensemble, flags.out, {
          dataset: `C-MAPSS train_${flags.subset}`,
          backend: backend.name,
          metrics: {
            testRmse: result.rmse,
            testScore: result.score,
            validationRmse: result.validationRmse,
            trainSeconds: result.trainSeconds,
          },
        });
      }
      ctx.stdout.write(
        flags.json
          ? `${benchmarkJson(result, flags.out ? { model: flags.out } : {})}\n`
          : benchmarkText(result, flags.out),
      );
      disposeEnsemble(result.ensemble);
      return 0;
    } finally {
      progress.stop();
    }
  },
};

// ---------------------------------------------------------------------------------------------------
const trainSpec = {
  name: 'train cmapss',
  summary:
    'Trains the remaining-useful-life ensemble on train_<subset>.txt and saves it (ensemble.json and one\n' +
    'model.json/weights.bin/metadata.json folder per member). Reads no test file.',
  usage: 'pnpm models train cmapss --dir <folder> --out <folder> [--subset FD001] [--members n] [--json]',
  flags: {
    ...dataFlags,
    out: { type: 'string' as const, description: 'folder to save the ensemble in (required)' },
    ...trainingFlags,
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    dir: dirFlag(DIR_HELP),
    subset: subsetFlag,
    out: z.string({ error: 'is required (folder to save the ensemble in)' }).min(1),
    ...trainingSchema,
    backend: backendFlag,
    json: z.boolean().default(false),
  }),
};

export const trainCmapss: ModelsCommand = {
  summary: 'train the RUL ensemble on train_FD00x and save it (--out)',
  help: () => helpText(trainSpec),
  async run(argv, ctx) {
    const flags = parseFlags(trainSpec, argv, ctx);
    if (!flags) return 0;
    const config = configFrom(flags);
    await requireCmapssFiles(flags.dir, flags.subset, ['train']);
    const backend = await startBackend(flags.backend, ctx);
    const all = await loadCmapssTrain(flags.dir, flags.subset);
    const units = flags.units ? all.slice(0, flags.units) : all;
    const progress = trainingProgress(ctx, { bar: !flags.json, cap: config.cap });
    try {
      const { ensemble, trainSeconds } = await trainRulEnsemble(units, config, {
        onEpoch: progress.onEpoch,
        signal: ctx.signal,
      });
      progress.stop();
      const validationRmse =
        ensemble.memberInfo.reduce((s, m) => s + m.validationRmse, 0) / ensemble.memberInfo.length;
      await mkdir(flags.out, { recursive: true });
      await saveRulEnsemble(ensemble, flags.out, {
        dataset: `C-MAPSS train_${flags.subset}`,
        backend: backend.name,
        metrics: { validationRmse, trainSeconds },
      });
      const epochs = ensemble.memberInfo.map((m) => m.epochsRun);
      disposeEnsemble(ensemble);
      const summary = {
        subset: flags.subset,
        model: flags.out,
        members: config.members,
        epochs,
        validationRmse: Number(validationRmse.toFixed(3)),
        backend: backend.name,
        trainSeconds: Number(trainSeconds.toFixed(1)),
        trainUnits: units.length,
      };
      ctx.stdout.write(
        flags.json
          ? `${JSON.stringify(summary)}\n`
          : [
              `C-MAPSS ${flags.subset}: ${config.members}-member ensemble saved to ${flags.out}`,
              `  validation     RMSE ${validationRmse.toFixed(2)} (${backend.name}) on held-out training units (mean of members; ${heldOutProtocol(config)})`,
              `  train seconds  ${trainSeconds.toFixed(1)} (${backend.name}), epochs per member ${epochs.join(', ')}`,
              '',
            ].join('\n'),
      );
      return 0;
    } finally {
      progress.stop();
    }
  },
};

// ---------------------------------------------------------------------------------------------------
const evaluateSpec = {
  name: 'evaluate cmapss',
  summary: 'Scores a saved ensemble on test_<subset>.txt against RUL_<subset>.txt: RMSE and PHM08 score.',
  usage: 'pnpm models evaluate cmapss --dir <folder> --model <folder> [--subset FD001] [--json]',
  flags: {
    ...dataFlags,
    model: {
      type: 'string' as const,
      description: 'folder a `train cmapss` (or benchmark --out) saved (required)',
    },
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    dir: dirFlag(DIR_HELP),
    subset: subsetFlag,
    model: z.string({ error: 'is required (folder of a saved ensemble)' }).min(1),
    backend: backendFlag,
    json: z.boolean().default(false),
  }),
};

export const evaluateCmapss: ModelsCommand = {
  summary: 'RMSE and PHM08 score of a saved ensemble on test_FD00x',
  help: () => helpText(evaluateSpec),
  async run(argv, ctx) {
    const flags = parseFlags(evaluateSpec, argv, ctx);
    if (!flags) return 0;
    await requireCmapssFiles(flags.dir, flags.subset, ALL_FILES);
    const backend = await startBackend(flags.backend, ctx);
    const { ensemble } = await loadRulEnsemble(flags.model).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new ValidationError(`--model: ${err.path ?? flags.model} not found`);
      throw err;
    });
    try {
      const data = await loadCmapss(flags.dir, flags.subset);
      const f = evaluateOnTest(ensemble, data);
      ctx.stdout.write(
        flags.json
          ? `${JSON.stringify({
              subset: flags.subset,
              model: flags.model,
              rmse: Number(f.rmse.toFixed(3)),
              score: Number(f.score.toFixed(1)),
              rmseCappedTruth: Number(f.rmseCappedTruth.toFixed(3)),
              members: ensemble.members.length,
              testUnits: f.testUnits,
              backend: backend.name,
            })}\n`
          : evaluateText(flags.subset, f, ensemble.config, backend.name, flags.model),
      );
      return 0;
    } finally {
      disposeEnsemble(ensemble);
    }
  },
};

// ---------------------------------------------------------------------------------------------------
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
    ...dataFlags,
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
      dir: dirFlag(DIR_HELP),
      subset: subsetFlag,
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
    const backend = await startBackend(flags.backend, ctx);
    const all = await loadCmapssTrain(flags.dir, flags.subset);
    const units = flags.units ? all.slice(0, flags.units) : all;
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
        if (flags.folds > units.length)
          throw new ValidationError(
            `--folds ${flags.folds} is more than the ${units.length} training units loaded`,
          );
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
