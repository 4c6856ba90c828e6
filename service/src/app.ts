import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError, type Logger } from '@aftercare/core';
import type { PresenceSource, RejectionSource, TelemetryStore } from '@aftercare/ingest';
import fastifySwagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawServerDefault,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import type { ServiceDatabase } from './db/database.ts';
import { bearerAuthentication } from './http/authentication.ts';
import { handleError, handleNotFound } from './http/error-handler.ts';
import { openApiOptions } from './http/openapi.ts';
import { requestDurationMetrics } from './http/request-metrics.ts';
import { DeviceRegistry } from './repositories/device-registry.ts';
import { TokenRepository } from './repositories/token-repository.ts';
import { deviceTelemetryRoutes } from './routes/device-telemetry.routes.ts';
import { deviceRoutes } from './routes/devices.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { ingestRoutes } from './routes/ingest.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import type { DependencyState } from './schemas.ts';
import { type TelemetryRangeLimits, telemetryRangeLimits } from './telemetry-range.ts';

export interface ServiceConfig {
  /** Bearer token with the admin role (AFTERCARE_ADMIN_TOKEN); at least 16 characters. */
  adminToken: string;
  /** Largest request body accepted. Default 64 KiB: the API's bodies are small, a flood is not. */
  bodyLimitBytes?: number;
  /** How long /health waits for each dependency. Default 2000 ms. */
  healthTimeoutMs?: number;
  telemetry?: Partial<TelemetryRangeLimits>;
}

export interface ServiceDeps {
  db: ServiceDatabase;
  store: TelemetryStore;
  rejections: RejectionSource;
  presence: PresenceSource;
  /** The process's Prometheus registry: /metrics serves all of it, and the HTTP histogram joins it. */
  metrics: Registry;
  logger: Logger;
  /** States of the caller's other parts (broker, ingest), shown on /health beside the store and database. */
  health?: () => Promise<Record<string, DependencyState>>;
  clock?: () => number;
}

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Repeats core's redaction: a child's redact setting replaces its parent's, it does not add to it. */
const redactPaths = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'password',
  'secret',
  'token',
  '*.password',
  '*.secret',
  '*.token',
];

/** Wires the HTTP API over its dependencies and returns it un-started: the caller listens (or injects). */
export function build(config: ServiceConfig, deps: ServiceDeps): ServiceApp {
  if (config.adminToken.length < 16) throw new ConfigError('adminToken: must be at least 16 characters');
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger.child(
    { component: 'service' },
    { redact: { paths: redactPaths, censor: '[redacted]' } },
  );

  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes ?? 64 * 1024,
    genReqId: () => randomUUID(),
    // One line per request, at debug unless it failed: a busy fleet must not drown the log in 200s.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook('onResponse', async (request, reply) => {
    const level = reply.statusCode >= 500 ? 'error' : reply.statusCode >= 400 ? 'info' : 'debug';
    request.log[level](
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onResponse', requestDurationMetrics(deps.metrics));

  // Registered before any route so that its onRoute hook sees them all.
  app.register(fastifySwagger, openApiOptions);

  const registry = new DeviceRegistry(deps.db, clock);
  const tokens = new TokenRepository(deps.db, clock);

  app.register(healthRoutes, {
    checks: {
      database: () => sql`select 1`.execute(deps.db),
      telemetryStore: () => deps.store.ping(),
    },
    extra: deps.health,
    timeoutMs: config.healthTimeoutMs ?? 2000,
  });
  app.register(metricsRoutes, { registry: deps.metrics });

  app.register(
    async (api) => {
      api.addHook('onRequest', bearerAuthentication({ adminToken: config.adminToken, tokens }));
      api.register(deviceRoutes, { registry, store: deps.store, presence: deps.presence });
      api.register(deviceTelemetryRoutes, {
        registry,
        store: deps.store,
        limits: { ...telemetryRangeLimits, ...config.telemetry },
        clock,
      });
      api.register(ingestRoutes, { rejections: deps.rejections });
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api' },
  );

  return app;
}
