import { deviceModels } from '@aftercare/core';
import { createModelRegistry } from '@aftercare/models';
import { z } from 'zod';
import { type CommandSpec, helpText } from '../args.ts';
import type { ModelsCommand } from './context.ts';
import { dataDir, dataDirFlag, dataDirSchema, requireRegistryFolder } from './data-dir.ts';
import { parseFlags, requiredFlag } from './flags.ts';

/** The registry's own commands: which versions there are, and which one is active. */

const pct = (v: number | null) => (v === null ? '—' : v.toFixed(2));
const deviceModelFlag = z.enum(deviceModels, `must be one of ${deviceModels.join(', ')}`);

const listSpec = {
  name: 'list',
  summary:
    'Lists the fleet model versions in the registry, newest last, and which one is active; a version\n' +
    'whose metadata.json cannot be read is listed as unreadable, with the file and what is wrong, and\n' +
    'so is an active.json that cannot be used (on stderr with --json); `activate` replaces it.',
  usage: 'pnpm models list [--device-model split-ac] [--data-dir ./data] [--json]',
  flags: {
    'device-model': {
      type: 'string' as const,
      description: `only this device model (${deviceModels.join(', ')})`,
    },
    ...dataDirFlag,
    json: { type: 'boolean' as const, description: 'print one JSON array on stdout, an object per version' },
  },
  schema: z.object({
    'device-model': deviceModelFlag.optional(),
    ...dataDirSchema,
    json: z.boolean().default(false),
  }),
} satisfies CommandSpec<z.ZodType>;

export const listModels: ModelsCommand = {
  summary: 'list the fleet model versions in the registry',
  help: () => helpText(listSpec),
  async run(argv, ctx) {
    const flags = parseFlags(listSpec, argv, ctx);
    if (!flags) return 0;
    const data = dataDir(flags['data-dir'], ctx);
    await requireRegistryFolder(data, 'read');
    const registry = createModelRegistry({ dataDir: data.dir, logger: ctx.logger });
    try {
      // Every version, a broken one marked with what is wrong, so it can be found and mended or removed.
      const { versions, activeFileProblems } = await registry.inventory(flags['device-model']);
      const noActive = (problem: string) =>
        `no active version: ${problem} (pnpm models activate replaces it)`;
      if (flags.json) {
        // stdout stays one object per version for scripts; the damaged pointer is for the person.
        ctx.stdout.write(`${JSON.stringify(versions)}\n`);
        for (const { deviceModel, problem } of activeFileProblems) {
          ctx.stderr.write(`models: ${deviceModel} has ${noActive(problem)}\n`);
        }
        return 0;
      }
      if (versions.length === 0 && activeFileProblems.length === 0) {
        ctx.stdout.write('no fleet models yet (pnpm models train fleet)\n');
        return 0;
      }
      const lines: string[] = [];
      for (const deviceModel of deviceModels) {
        for (const e of versions.filter((v) => v.deviceModel === deviceModel)) {
          lines.push(
            `${e.active ? '*' : ' '} ${e.deviceModel.padEnd(16)}${e.version.padEnd(6)}${
              'problem' in e
                ? `unreadable: ${e.problem}`
                : `${e.createdAt}  validation precision ${pct(e.metrics.val_precision ?? null)}, recall ${pct(e.metrics.val_recall ?? null)}`
            }`,
          );
        }
        // After that device model's versions, where the missing '*' sends the eye.
        const broken = activeFileProblems.find((p) => p.deviceModel === deviceModel);
        if (broken) lines.push(`! ${deviceModel.padEnd(16)}${noActive(broken.problem)}`);
      }
      ctx.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    } finally {
      registry.close();
    }
  },
};

const activateSpec = {
  name: 'activate',
  summary:
    'Makes a saved version the active one for its device model (scoring picks it up at its next run).\n' +
    'Refuses a version whose metadata.json, model.json or weights are missing or damaged, saying which;\n' +
    'replaces an active.json that cannot be used.',
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
    version: requiredFlag('the version to activate, e.g. v2').regex(/^v\d+$/, 'must look like v2'),
    ...dataDirSchema,
  }),
} satisfies CommandSpec<z.ZodType>;

export const activateModel: ModelsCommand = {
  summary: 'make a saved fleet model version the active one',
  help: () => helpText(activateSpec),
  async run(argv, ctx) {
    const flags = parseFlags(activateSpec, argv, ctx);
    if (!flags) return 0;
    const data = dataDir(flags['data-dir'], ctx);
    await requireRegistryFolder(data, 'write');
    const registry = createModelRegistry({ dataDir: data.dir, logger: ctx.logger });
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
    ...dataDirSchema,
  }),
} satisfies CommandSpec<z.ZodType>;

export const rollbackModel: ModelsCommand = {
  summary: 'go back to the previously active fleet model version',
  help: () => helpText(rollbackSpec),
  async run(argv, ctx) {
    const flags = parseFlags(rollbackSpec, argv, ctx);
    if (!flags) return 0;
    const data = dataDir(flags['data-dir'], ctx);
    await requireRegistryFolder(data, 'write');
    const registry = createModelRegistry({ dataDir: data.dir, logger: ctx.logger });
    try {
      const version = await registry.rollback(flags['device-model']);
      ctx.stdout.write(`${flags['device-model']}: back to ${version}\n`);
      return 0;
    } finally {
      registry.close();
    }
  },
};
