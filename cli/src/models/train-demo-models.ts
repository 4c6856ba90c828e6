/**
 * Child process of `pnpm start` on a data directory without models: trains the fleet failure models
 * on simulated fleets of other seeds than the demo fleet's and activates them. A separate process
 * because training keeps a core busy for minutes, which would stall ingest and the API.
 */
import { createLogger } from '@aftercare/core';
import { createModelRegistry, initBackend, trainFleetModels } from '@aftercare/models';
import { z } from 'zod';
import { simulatedHistories } from './sim-history.ts';

const argsSchema = z.object({
  dataDir: z.string().min(1),
  seed: z.coerce.number().int(),
  devices: z.coerce.number().int().positive().max(10_000),
  days: z.coerce.number().int().min(60).max(3_650),
});

const [dataDir, seed, devices, days] = process.argv.slice(2);
const parsed = argsSchema.safeParse({ dataDir, seed, devices, days });
if (!parsed.success) {
  process.stderr.write(`train-demo-models: ${parsed.error.issues[0]?.message ?? 'bad arguments'}\n`);
  process.exit(2);
}
const options = parsed.data;
const logger = createLogger({
  level: process.env.AFTERCARE_LOG_LEVEL === 'debug' ? 'debug' : 'info',
  name: 'models',
});

try {
  const backend = await initBackend('node', (line) => logger.info(line));
  const trained = await trainFleetModels({
    histories: () => simulatedHistories({ seed: options.seed, devices: options.devices, days: options.days }),
    validation: () =>
      simulatedHistories({
        seed: options.seed + 1,
        devices: Math.ceil(options.devices / 2),
        days: options.days,
      }),
    trainingRange: {
      dataset: 'simulated-fleet',
      seed: options.seed,
      devices: options.devices,
      days: options.days,
    },
    validationRange: {
      dataset: 'simulated-fleet',
      seed: options.seed + 1,
      devices: Math.ceil(options.devices / 2),
      days: options.days,
    },
    logger,
    onProgress: (p) => {
      if (p.phase === 'histories' && p.devices % 50 === 0)
        logger.info({ ...p }, `reading the ${p.set} fleet`);
      else if (p.phase === 'trained' || p.phase === 'skipped') logger.info({ ...p }, p.phase);
    },
  });
  const registry = createModelRegistry({ dataDir: options.dataDir, logger });
  for (const model of trained) {
    const version = await registry.save(model, { activate: true });
    logger.info(
      { deviceModel: model.metadata.deviceModel, version, backend: backend.name },
      'model activated',
    );
  }
  registry.close();
  process.exit(0);
} catch (err) {
  logger.error({ err }, 'training the demo models failed');
  process.exit(1);
}
