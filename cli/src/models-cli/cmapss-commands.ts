import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  disposeEnsemble,
  evaluateOnTest,
  loadCmapss,
  loadCmapssTrain,
  runCmapssBenchmark,
  saveRulEnsemble,
  trainRulEnsemble,
} from '@aftercare/models';
import { z } from 'zod';
import { helpText } from '../args.ts';
import { requireWritableFolder } from '../folders.ts';
import { ALL_FILES, requireCmapssFiles } from './cmapss-data.ts';
import {
  configFrom,
  DIR_ALL,
  DIR_TRAIN,
  dataFlags,
  dataSchema,
  trainingFlags,
  trainingSchema,
} from './cmapss-flags.ts';
import { benchmarkJson, benchmarkText, evaluateText, heldOutProtocol } from './cmapss-format.ts';
import { pickUnits } from './cmapss-units.ts';
import type { ModelsCommand } from './context.ts';
import {
  backendFlag,
  backendFlagSpec,
  jsonFlagSpec,
  parseFlags,
  requiredFlag,
  startBackend,
} from './flags.ts';
import { trainingProgress } from './progress.ts';
import { loadSavedEnsemble } from './saved-ensemble.ts';

// ---------------------------------------------------------------------------------------------------
const benchmarkSpec = {
  name: 'benchmark cmapss',
  summary:
    'Trains the remaining-useful-life ensemble on train_<subset>.txt (every choice made on held-out training\n' +
    'units), scores the last cycles of each unit of test_<subset>.txt against RUL_<subset>.txt, and prints\n' +
    'RMSE, PHM08 score, TensorFlow.js backend and training seconds beside published figures.',
  usage: 'pnpm models benchmark cmapss --dir <folder> [--subset FD001] [--epochs n] [--members n] [--json]',
  flags: {
    ...dataFlags(DIR_ALL),
    ...trainingFlags,
    out: { type: 'string' as const, description: 'also save the trained ensemble in this folder' },
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    ...dataSchema(DIR_ALL),
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
    // Everything a run can be refused for is checked before it trains.
    if (flags.out) await requireWritableFolder('--out', flags.out);
    const data = await loadCmapss(flags.dir, flags.subset);
    const file = path.join(flags.dir, `train_${flags.subset}.txt`);
    const units = pickUnits(data.train, flags.units, config, { kind: 'train' }, file);
    const backend = await startBackend(flags.backend, ctx);
    const progress = trainingProgress(ctx, { bar: !flags.json, cap: config.cap });
    try {
      const result = await runCmapssBenchmark({
        data: { ...data, train: units },
        config,
        backend: backend.name,
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
    ...dataFlags(DIR_TRAIN),
    out: { type: 'string' as const, description: 'folder to save the ensemble in (required)' },
    ...trainingFlags,
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    ...dataSchema(DIR_TRAIN),
    out: requiredFlag('the folder to save the ensemble in'),
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
    await requireWritableFolder('--out', flags.out);
    const file = path.join(flags.dir, `train_${flags.subset}.txt`);
    const all = await loadCmapssTrain(flags.dir, flags.subset);
    const units = pickUnits(all, flags.units, config, { kind: 'train' }, file);
    const backend = await startBackend(flags.backend, ctx);
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
    ...dataFlags(DIR_ALL),
    model: {
      type: 'string' as const,
      description: 'folder a `train cmapss` (or benchmark --out) saved (required)',
    },
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    ...dataSchema(DIR_ALL),
    model: requiredFlag('the folder of a saved ensemble'),
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
    const { ensemble } = await loadSavedEnsemble(flags.model, ctx.logger);
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
