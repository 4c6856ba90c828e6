import { performance } from 'node:perf_hooks';
import { type DeviceModel, deviceModels, ValidationError } from '@aftercare/core';
import {
  createModelRegistry,
  type DetectionFigures,
  evaluateFleet,
  type FleetEvaluation,
  type FleetModel,
} from '@aftercare/models';
import { z } from 'zod';
import { type CommandSpec, helpText } from '../args.ts';
import { simulatedHistories } from '../models/sim-history.ts';
import type { ModelsCommand } from './context.ts';
import { dataDir, dataDirFlag, dataDirSchema, requireRegistryFolder } from './data-dir.ts';
import { backendFlag, backendFlagSpec, intFlag, jsonFlagSpec, parseFlags, startBackend } from './flags.ts';
import { type ActivateMode, activateModes, reasonNotToActivate } from './fleet-activation.ts';
import { type SkippedDeviceModel, trainOnSimulatedFleets } from './fleet-training.ts';
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

/** One line per device model that got no model, with why. */
function skippedLines(skipped: readonly SkippedDeviceModel[]): string[] {
  return skipped.map((s) => `  ${s.deviceModel.padEnd(16)}skipped: ${s.reason}`);
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
    const backend = await startBackend(flags.backend, ctx);
    const bar = new PhaseBar(ctx, !flags.json);
    try {
      const { trained, skipped, trainSeconds } = await trainOnSimulatedFleets(flags, backend.name, ctx, bar);
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
            skipped,
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
            ...skippedLines(skipped),
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
    'and saves each device model as the next version in the registry. A version becomes active only when\n' +
    'its validation fleet had failures of that device model and it announced some (--activate).',
  usage:
    'pnpm models train fleet [--seed 1] [--devices 300] [--days 365] [--data-dir ./data] [--activate auto] [--json]',
  flags: {
    seed: { type: 'string' as const, description: 'training fleet seed n; validation n+1 (default 1)' },
    ...fleetFlags,
    ...dataDirFlag,
    activate: {
      type: 'string' as const,
      description:
        'auto: activate a new version only when it announced failures on its validation fleet (default);\n' +
        'always: activate every new version; never: save them without activating',
    },
    backend: backendFlagSpec,
    json: jsonFlagSpec,
  },
  schema: z.object({
    seed: intFlag(0, 2 ** 31 - 2).default(1),
    ...fleetSchema,
    ...dataDirSchema,
    activate: z.enum(activateModes, `must be one of ${activateModes.join(', ')}`).default('auto'),
    backend: backendFlag,
    json: z.boolean().default(false),
  }),
} satisfies CommandSpec<z.ZodType>;

interface SavedVersion {
  deviceModel: DeviceModel;
  version: string;
  active: boolean;
  /** Why the version was saved without being made active; absent when it is active. */
  notActive?: string;
  precision: number | null;
  recall: number | null;
}

/** Whether a new version becomes active, and if not, why (in words for the output). */
function activation(
  mode: ActivateMode,
  deviceModel: DeviceModel,
  validation: DetectionFigures | undefined,
): { active: true } | { active: false; reason: string } {
  if (mode === 'always') return { active: true };
  if (mode === 'never') return { active: false, reason: '--activate never' };
  const reason = validation
    ? reasonNotToActivate(deviceModel, validation)
    : 'no validation figures came with it';
  return reason === null ? { active: true } : { active: false, reason };
}

function savedLine(s: SavedVersion): string {
  const state = s.active ? ' (active)' : ` (not active: ${s.notActive})`;
  return `  ${s.deviceModel.padEnd(16)}${s.version}${state}  validation precision ${pct(s.precision)}, recall ${pct(s.recall)}`;
}

export const trainFleet: ModelsCommand = {
  summary: 'train the per-component failure models on a simulated fleet into the registry',
  help: () => helpText(trainSpec),
  async run(argv, ctx) {
    const flags = parseFlags(trainSpec, argv, ctx);
    if (!flags) return 0;
    // Where the versions go is checked before the training, which they would otherwise outlive.
    const data = dataDir(flags['data-dir'], ctx);
    await requireRegistryFolder(data, 'write');
    const backend = await startBackend(flags.backend, ctx);
    const bar = new PhaseBar(ctx, !flags.json);
    const registry = createModelRegistry({ dataDir: data.dir, logger: ctx.logger });
    try {
      const { trained, validation, skipped, trainSeconds } = await trainOnSimulatedFleets(
        flags,
        backend.name,
        ctx,
        bar,
      );
      const saved: SavedVersion[] = [];
      for (const t of trained) {
        const decision = activation(flags.activate, t.deviceModel, validation.get(t.deviceModel));
        const version = await registry.save(t, { activate: decision.active });
        const m = t.metadata.metrics;
        saved.push({
          deviceModel: t.deviceModel,
          version,
          active: decision.active,
          ...(decision.active ? {} : { notActive: decision.reason }),
          precision: m.val_precision ?? null,
          recall: m.val_recall ?? null,
        });
        t.model.dispose();
      }
      const held = flags.activate === 'auto' && saved.some((s) => !s.active);
      ctx.stdout.write(
        flags.json
          ? `${JSON.stringify({ models: saved, skipped, backend: backend.name, trainSeconds: Number(trainSeconds.toFixed(1)) })}\n`
          : `${[
              `Fleet models trained on seed ${flags.seed} (${flags.devices} devices × ${flags.days} days) in ${trainSeconds.toFixed(1)} s (${backend.name})`,
              ...saved.map(savedLine),
              ...skippedLines(skipped),
              ...(held
                ? [
                    '  a version not made active leaves the active one as it was; --activate always makes it active anyway,',
                    '  and pnpm models activate makes a saved version active later',
                  ]
                : []),
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
    ...dataDirSchema,
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
    const data = dataDir(flags['data-dir'], ctx);
    await requireRegistryFolder(data, 'read');
    const backend = await startBackend(flags.backend, ctx);
    const dir = data.dir;
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
