import { performance } from 'node:perf_hooks';
import { type DeviceModel, deviceModels, ValidationError } from '@aftercare/core';
import {
  createModelRegistry,
  type DetectionFigures,
  evaluateFleet,
  type FleetEvaluation,
  type FleetModel,
  type FleetTrainProgress,
  initBackend,
  trainFleetModels,
} from '@aftercare/models';
import { z } from 'zod';
import { type CommandSpec, helpText } from '../args.ts';
import { simulatedHistories } from '../models/sim-history.ts';
import type { ModelsCliContext, ModelsCommand } from './context.ts';
import { backendFlag, backendFlagSpec, intFlag, jsonFlagSpec, parseFlags } from './flags.ts';
import { PhaseBar } from './phase-progress.ts';

const fleetFlags = {
  devices: {
    type: 'string' as const,
    description: 'devices in each simulated fleet (default 300; validation half)',
  },
  days: { type: 'string' as const, description: 'days of history per fleet (default 365)' },
  horizon: { type: 'string' as const, description: 'predict failure within this many days (default 14)' },
  epochs: { type: 'string' as const, description: 'most epochs per device model (default 40)' },
};
const fleetSchema = {
  devices: intFlag(4, 100_000).default(300),
  days: intFlag(30, 3650).default(365),
  horizon: intFlag(1, 90).default(14),
  epochs: intFlag(1, 1000).default(40),
};
const dataDirFlag = {
  'data-dir': {
    type: 'string' as const,
    description: 'where the model registry lives (default AFTERCARE_DATA_DIR, else ./data)',
  },
};
const deviceModelFlag = z.enum(deviceModels, `must be one of ${deviceModels.join(', ')}`);

const dataDir = (flag: string | undefined, ctx: ModelsCliContext) =>
  flag ?? ctx.env.AFTERCARE_DATA_DIR ?? './data';

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

const pct = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const days = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)} d`);

function figuresLine(name: string, f: DetectionFigures, backend: string): string {
  return `  ${name.padEnd(15)}precision ${pct(f.precision)}  recall ${pct(f.recall)}  median lead ${days(f.medianLeadDays)}  (${f.trueEpisodes}/${f.alertEpisodes} alerts true, ${f.detected}/${f.failures} failures announced; ${backend})`;
}

function evaluationText(title: string, e: FleetEvaluation, backend: string): string[] {
  return [
    title,
    figuresLine('model', e.model, backend),
    figuresLine('rule baseline', e.baseline, backend),
    ...e.byDeviceModel.flatMap((m) => [
      `  ${m.deviceModel} (${m.devices} devices, H = ${m.horizonDays} d)`,
      figuresLine('  model', m.model, backend),
      figuresLine('  baseline', m.baseline, backend),
    ]),
    `  days-left error  ${e.daysLeftMaeDays === null ? '—' : `${e.daysLeftMaeDays.toFixed(1)} d`} mean absolute, where a failure came and the model alerted`,
  ];
}

function figuresJson(f: DetectionFigures) {
  return {
    precision: f.precision,
    recall: f.recall,
    medianLeadDays: f.medianLeadDays,
    alertEpisodes: f.alertEpisodes,
    failures: f.failures,
  };
}

async function trainOnSimulatedFleets(
  flags: { seed: number; devices: number; days: number; horizon: number; epochs: number },
  backend: string,
  ctx: ModelsCliContext,
  bar: PhaseBar,
) {
  const validationDevices = Math.max(2, Math.round(flags.devices / 2));
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
    onProgress: trainingBar(bar, { training: flags.devices, validation: validationDevices }),
  });
  bar.stop();
  if (trained.length === 0)
    throw new ValidationError('no fleet model could be trained (too few devices or days?)');
  return { trained, trainSeconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------------
const benchmarkSpec = {
  name: 'benchmark fleet',
  summary:
    'Trains the per-component failure models on a simulated fleet (seed n), tunes thresholds on another\n' +
    '(seed n+1) and scores a third (seed n+2) that neither saw: precision, recall and median lead time\n' +
    'for the model and for the threshold-rule baseline tuned on the same validation fleet.',
  usage: 'pnpm models benchmark fleet [--seed 1] [--devices 300] [--days 365] [--json]',
  flags: {
    seed: {
      type: 'string' as const,
      description: 'training fleet seed n; validation n+1, test n+2 (default 1)',
    },
    ...fleetFlags,
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    seed: intFlag(0, 2 ** 31 - 3).default(1),
    ...fleetSchema,
    backend: backendFlag,
    json: z.boolean().default(false),
  }),
} satisfies CommandSpec<z.ZodType>;

export const benchmarkFleet: ModelsCommand = {
  summary: 'model vs threshold-rule baseline on simulated fleets: precision, recall, lead time',
  help: () => helpText(benchmarkSpec),
  async run(argv, ctx) {
    const flags = parseFlags(benchmarkSpec, argv, ctx);
    if (!flags) return 0;
    const backend = await initBackend(flags.backend, (line) =>
      ctx.logger.info({ component: 'backend' }, line),
    );
    const bar = new PhaseBar(ctx, !flags.json);
    try {
      const { trained, trainSeconds } = await trainOnSimulatedFleets(flags, backend.name, ctx, bar);
      const testSeed = flags.seed + 2;
      const started = performance.now();
      const evaluation = await evaluateFleet({
        models: trained,
        histories: () => simulatedHistories({ seed: testSeed, devices: flags.devices, days: flags.days }),
        logger: ctx.logger,
        onProgress: (p) => bar.update('scoring test fleet', p.devices, flags.devices),
      });
      bar.stop();
      const evaluateSeconds = (performance.now() - started) / 1000;
      for (const t of trained) t.model.dispose();
      if (flags.json) {
        ctx.stdout.write(
          `${JSON.stringify({
            seeds: { train: flags.seed, validation: flags.seed + 1, test: testSeed },
            devices: flags.devices,
            days: flags.days,
            horizonDays: flags.horizon,
            model: figuresJson(evaluation.model),
            baseline: figuresJson(evaluation.baseline),
            byDeviceModel: evaluation.byDeviceModel.map((m) => ({
              deviceModel: m.deviceModel,
              devices: m.devices,
              model: figuresJson(m.model),
              baseline: figuresJson(m.baseline),
            })),
            daysLeftMaeDays: evaluation.daysLeftMaeDays,
            backend: backend.name,
            trainSeconds: Number(trainSeconds.toFixed(1)),
            evaluateSeconds: Number(evaluateSeconds.toFixed(1)),
          })}\n`,
        );
      } else {
        ctx.stdout.write(
          `${[
            ...evaluationText(
              `Fleet benchmark: trained on seed ${flags.seed}, tuned on seed ${flags.seed + 1}, scored on seed ${testSeed} (${flags.devices} devices × ${flags.days} days, H = ${flags.horizon} d)`,
              evaluation,
              backend.name,
            ),
            `  seconds        training ${trainSeconds.toFixed(1)}, scoring the test fleet ${evaluateSeconds.toFixed(1)} (${backend.name})`,
            '  aim            precision and recall both ≥ 0.8 with a median lead time of at least 5 days',
          ].join('\n')}\n`,
        );
      }
      return 0;
    } finally {
      bar.stop();
    }
  },
};

// ---------------------------------------------------------------------------------------------------
const trainSpec = {
  name: 'train fleet',
  summary:
    'Trains the per-component failure models on a simulated fleet (seed n; thresholds tuned on seed n+1)\n' +
    'and saves each device model as the next version in the registry, active unless --keep-active.',
  usage: 'pnpm models train fleet [--seed 1] [--devices 300] [--days 365] [--data-dir ./data] [--json]',
  flags: {
    seed: { type: 'string' as const, description: 'training fleet seed n; validation n+1 (default 1)' },
    ...fleetFlags,
    ...dataDirFlag,
    'keep-active': { type: 'boolean' as const, description: 'save the new versions without activating them' },
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    seed: intFlag(0, 2 ** 31 - 2).default(1),
    ...fleetSchema,
    'data-dir': z.string().min(1).optional(),
    'keep-active': z.boolean().default(false),
    backend: backendFlag,
    json: z.boolean().default(false),
  }),
} satisfies CommandSpec<z.ZodType>;

export const trainFleet: ModelsCommand = {
  summary: 'train the per-component failure models on a simulated fleet into the registry',
  help: () => helpText(trainSpec),
  async run(argv, ctx) {
    const flags = parseFlags(trainSpec, argv, ctx);
    if (!flags) return 0;
    const backend = await initBackend(flags.backend, (line) =>
      ctx.logger.info({ component: 'backend' }, line),
    );
    const bar = new PhaseBar(ctx, !flags.json);
    const registry = createModelRegistry({ dataDir: dataDir(flags['data-dir'], ctx), logger: ctx.logger });
    try {
      const { trained, trainSeconds } = await trainOnSimulatedFleets(flags, backend.name, ctx, bar);
      const saved: {
        deviceModel: DeviceModel;
        version: string;
        precision: number | null;
        recall: number | null;
      }[] = [];
      for (const t of trained) {
        const version = await registry.save(t, { activate: !flags['keep-active'] });
        const m = t.metadata.metrics;
        saved.push({
          deviceModel: t.deviceModel,
          version,
          precision: m.val_precision ?? null,
          recall: m.val_recall ?? null,
        });
        t.model.dispose();
      }
      ctx.stdout.write(
        flags.json
          ? `${JSON.stringify({ models: saved, active: !flags['keep-active'], backend: backend.name, trainSeconds: Number(trainSeconds.toFixed(1)) })}\n`
          : `${[
              `Fleet models trained on seed ${flags.seed} (${flags.devices} devices × ${flags.days} days) in ${trainSeconds.toFixed(1)} s (${backend.name})`,
              ...saved.map(
                (s) =>
                  `  ${s.deviceModel.padEnd(16)}${s.version}${flags['keep-active'] ? '' : ' (active)'}  validation precision ${pct(s.precision)}, recall ${pct(s.recall)}`,
              ),
            ].join('\n')}\n`,
      );
      return 0;
    } finally {
      bar.stop();
      registry.close();
    }
  },
};

// ---------------------------------------------------------------------------------------------------
const evaluateSpec = {
  name: 'evaluate fleet',
  summary:
    "Scores a simulated fleet the models never saw with the registry's active versions, beside the rule\n" +
    'baseline each was saved with: precision, recall and median lead time.',
  usage: 'pnpm models evaluate fleet [--seed 3] [--devices 300] [--days 365] [--data-dir ./data] [--json]',
  flags: {
    seed: { type: 'string' as const, description: 'seed of the fleet to score (default 3: neither 1 nor 2)' },
    devices: fleetFlags.devices,
    days: fleetFlags.days,
    ...dataDirFlag,
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    seed: intFlag(0, 2 ** 31 - 1).default(3),
    devices: fleetSchema.devices,
    days: fleetSchema.days,
    'data-dir': z.string().min(1).optional(),
    backend: backendFlag,
    json: z.boolean().default(false),
  }),
} satisfies CommandSpec<z.ZodType>;

export const evaluateFleetCommand: ModelsCommand = {
  summary: "score a simulated fleet with the registry's active models, beside the rule baseline",
  help: () => helpText(evaluateSpec),
  async run(argv, ctx) {
    const flags = parseFlags(evaluateSpec, argv, ctx);
    if (!flags) return 0;
    const backend = await initBackend(flags.backend, (line) =>
      ctx.logger.info({ component: 'backend' }, line),
    );
    const dir = dataDir(flags['data-dir'], ctx);
    const registry = createModelRegistry({ dataDir: dir, logger: ctx.logger });
    const bar = new PhaseBar(ctx, !flags.json);
    try {
      const models: FleetModel[] = [];
      for (const deviceModel of deviceModels) {
        const active = await registry.active(deviceModel);
        if (active) models.push({ model: active.model, metadata: active.metadata });
      }
      if (models.length === 0) {
        throw new ValidationError(
          `no active fleet model in ${dir}/models (train one: pnpm models train fleet)`,
        );
      }
      const evaluation = await evaluateFleet({
        models,
        histories: () => simulatedHistories({ seed: flags.seed, devices: flags.devices, days: flags.days }),
        logger: ctx.logger,
        onProgress: (p) => bar.update('scoring fleet', p.devices, flags.devices),
      });
      bar.stop();
      ctx.stdout.write(
        flags.json
          ? `${JSON.stringify({
              seed: flags.seed,
              devices: flags.devices,
              days: flags.days,
              model: figuresJson(evaluation.model),
              baseline: figuresJson(evaluation.baseline),
              skippedDevices: evaluation.skippedDevices,
              backend: backend.name,
            })}\n`
          : `${evaluationText(
              `Fleet evaluation: seed ${flags.seed} (${flags.devices} devices × ${flags.days} days), active models in ${dir}/models`,
              evaluation,
              backend.name,
            ).join('\n')}\n`,
      );
      return 0;
    } finally {
      bar.stop();
      registry.close();
    }
  },
};

// ---------------------------------------------------------------------------------------------------
const listSpec = {
  name: 'list',
  summary: 'Lists the fleet model versions in the registry, newest last, and which one is active.',
  usage: 'pnpm models list [--device-model split-ac] [--data-dir ./data] [--json]',
  flags: {
    'device-model': {
      type: 'string' as const,
      description: `only this device model (${deviceModels.join(', ')})`,
    },
    ...dataDirFlag,
    json: jsonFlagSpec,
  },
  schema: z.object({
    'device-model': deviceModelFlag.optional(),
    'data-dir': z.string().min(1).optional(),
    json: z.boolean().default(false),
  }),
} satisfies CommandSpec<z.ZodType>;

export const listModels: ModelsCommand = {
  summary: 'list the fleet model versions in the registry',
  help: () => helpText(listSpec),
  async run(argv, ctx) {
    const flags = parseFlags(listSpec, argv, ctx);
    if (!flags) return 0;
    const registry = createModelRegistry({ dataDir: dataDir(flags['data-dir'], ctx), logger: ctx.logger });
    try {
      const entries = await registry.list(flags['device-model']);
      if (flags.json) {
        ctx.stdout.write(`${JSON.stringify(entries)}\n`);
      } else if (entries.length === 0) {
        ctx.stdout.write('no fleet models yet (pnpm models train fleet)\n');
      } else {
        ctx.stdout.write(
          `${entries
            .map(
              (e) =>
                `${e.active ? '*' : ' '} ${e.deviceModel.padEnd(16)}${e.version.padEnd(6)}${e.createdAt}  validation precision ${pct(e.metrics.val_precision ?? null)}, recall ${pct(e.metrics.val_recall ?? null)}`,
            )
            .join('\n')}\n`,
        );
      }
      return 0;
    } finally {
      registry.close();
    }
  },
};

const activateSpec = {
  name: 'activate',
  summary: 'Makes a saved version the active one for its device model (scoring picks it up at its next run).',
  usage: 'pnpm models activate --device-model split-ac --version v2 [--data-dir ./data]',
  flags: {
    'device-model': {
      type: 'string' as const,
      description: `device model (${deviceModels.join(', ')}; required)`,
    },
    version: { type: 'string' as const, description: 'version to activate, as `list` shows it (required)' },
    ...dataDirFlag,
  },
  schema: z.object({
    'device-model': deviceModelFlag,
    version: z.string({ error: 'is required (e.g. v2)' }).regex(/^v\d+$/, 'must look like v2'),
    'data-dir': z.string().min(1).optional(),
  }),
} satisfies CommandSpec<z.ZodType>;

export const activateModel: ModelsCommand = {
  summary: 'make a saved fleet model version the active one',
  help: () => helpText(activateSpec),
  async run(argv, ctx) {
    const flags = parseFlags(activateSpec, argv, ctx);
    if (!flags) return 0;
    const registry = createModelRegistry({ dataDir: dataDir(flags['data-dir'], ctx), logger: ctx.logger });
    try {
      await registry.activate(flags['device-model'], flags.version);
      ctx.stdout.write(`${flags['device-model']}: ${flags.version} is active\n`);
      return 0;
    } finally {
      registry.close();
    }
  },
};

const rollbackSpec = {
  name: 'rollback',
  summary: 'Makes the previously active version of a device model active again.',
  usage: 'pnpm models rollback --device-model split-ac [--data-dir ./data]',
  flags: {
    'device-model': {
      type: 'string' as const,
      description: `device model (${deviceModels.join(', ')}; required)`,
    },
    ...dataDirFlag,
  },
  schema: z.object({
    'device-model': deviceModelFlag,
    'data-dir': z.string().min(1).optional(),
  }),
} satisfies CommandSpec<z.ZodType>;

export const rollbackModel: ModelsCommand = {
  summary: 'go back to the previously active fleet model version',
  help: () => helpText(rollbackSpec),
  async run(argv, ctx) {
    const flags = parseFlags(rollbackSpec, argv, ctx);
    if (!flags) return 0;
    const registry = createModelRegistry({ dataDir: dataDir(flags['data-dir'], ctx), logger: ctx.logger });
    try {
      const version = await registry.rollback(flags['device-model']);
      ctx.stdout.write(`${flags['device-model']}: back to ${version}\n`);
      return 0;
    } finally {
      registry.close();
    }
  },
};
