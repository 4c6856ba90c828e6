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
  type RouteOptions,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { ServiceDatabase } from './db/database.ts';
import { bearerAuthentication, credentialCheck } from './http/authentication.ts';
import { handleError, handleNotFound } from './http/error-handler.ts';
import { openApiOptions } from './http/openapi.ts';
import { requestDurationMetrics } from './http/request-metrics.ts';
import { singleQueryValues } from './http/single-query-values.ts';
import { createRemoteTroubleshooting, type RemoteTroubleshooting } from './operations/remote-commands.ts';
import { createRiskSnapshots } from './operations/risk-snapshot.ts';
import { ServiceHistoryRepository } from './repositories/service-history-repository.ts';
import { createServiceRepositories, type ServiceRepositories } from './repositories/service-repositories.ts';
import { authRoutes, type LoginRateLimit } from './routes/auth.routes.ts';
import { contractRoutes } from './routes/contracts.routes.ts';
import { customerRoutes } from './routes/customers.routes.ts';
import { deviceTelemetryRoutes } from './routes/device-telemetry.routes.ts';
import { deviceVisitRoutes } from './routes/device-visits.routes.ts';
import { deviceRoutes } from './routes/devices.routes.ts';
import { dispatchRoutes } from './routes/dispatch.routes.ts';
import { type EventStreamOptions, eventRoutes } from './routes/events.routes.ts';
import { feedbackRoutes } from './routes/feedback.routes.ts';
import { fleetRoutes } from './routes/fleet.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { ingestRoutes } from './routes/ingest.routes.ts';
import { kpiRoutes } from './routes/kpis.routes.ts';
import { metricsRoutes } from './routes/metrics.routes.ts';
import { type ModelCatalog, modelRoutes } from './routes/models.routes.ts';
import { partnerRoutes } from './routes/partners.routes.ts';
import { partsRoutes } from './routes/parts.routes.ts';
import { planningRoutes } from './routes/planning.routes.ts';
import { riskRoutes } from './routes/risks.routes.ts';
import { stockRoutes } from './routes/stock.routes.ts';
import { technicianVisitRoutes } from './routes/technician-visits.routes.ts';
import { ticketCommandRoutes } from './routes/ticket-commands.routes.ts';
import { ticketPartRoutes } from './routes/ticket-parts.routes.ts';
import { ticketRoutes } from './routes/tickets.routes.ts';
import { tokenRoutes } from './routes/tokens.routes.ts';
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
  /**
   * The route fill places non-urgent predictive work too (AFTERCARE_PREDICTIVE_ROUTE_FILL), so the
   * dispatch board marks it as waiting for the fill. Default false.
   */
  predictiveRouteFill?: boolean;
  /** Lifetime of a login session (AFTERCARE_SESSION_HOURS). Default 12. */
  sessionHours?: number;
  /** Failed login attempts per client address and email. Default 10 per 15 minutes. */
  loginRateLimit?: Partial<LoginRateLimit>;
  /**
   * The server-sent event stream. Defaults: a heartbeat (and credential check) every 15 s, 1 MiB unsent
   * before a slow client is cut off, the last 1,000 events kept for reconnecting clients.
   */
  eventStream?: Partial<EventStreamOptions>;
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
  /**
   * The repositories (and their event bus), when the caller shares them with the automation; built
   * over `db` when left out.
   */
  repositories?: ServiceRepositories;
  /** Remote troubleshooting with the caller's MQTT downlink; without it commands are listed but not sent. */
  remote?: RemoteTroubleshooting;
  /** The failure model registry, for GET /api/models; the route is left out without it. */
  models?: ModelCatalog;
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

/**
 * The querystring of an API route that declares none: no parameter at all. Without it fastify let
 * `?foo=1` through unread, so a mistyped parameter was answered as if it had not been sent, where a
 * route with a query schema answers a 400 naming the key; now every API route answers that 400.
 */
const noQuery = z.strictObject({});

function refuseUndeclaredQuery(route: RouteOptions): void {
  // A new schema object: one may be shared by several routes (and by the HEAD route fastify adds).
  if (route.schema?.querystring === undefined) route.schema = { ...route.schema, querystring: noQuery };
}

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
    // A 503 from /health is a probe's expected answer while a dependency is down (the route logs the change).
    const probeAnswer = reply.statusCode === 503 && request.routeOptions.url === '/health';
    const level =
      reply.statusCode >= 500 && !probeAnswer ? 'error' : reply.statusCode >= 400 ? 'info' : 'debug';
    request.log[level](
      {
        method: request.method,
        // The event stream takes its token in the query (EventSource sends no headers).
        url: request.url.replace(/([?&]access_token=)[^&]*/g, '$1[redacted]'),
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });
  app.setValidatorCompiler(singleQueryValues(validatorCompiler));
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
  app.addHook('onResponse', requestDurationMetrics(deps.metrics));

  // Registered before any route so that their onRoute hooks see them all.
  app.register(fastifySwagger, openApiOptions);

  const repos =
    deps.repositories ??
    createServiceRepositories(deps.db, { clock, sessionHours: config.sessionHours ?? 12 });
  const registry = repos.devices;
  // One copy of the fleet's newest risks, for the risk list, the fleet summary and the parts shortfall.
  const riskSnapshot = createRiskSnapshots(deps.store);

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
      // Before any route of /api. /health and /metrics stay outside: probes and scrapers are tools
      // that may add parameters of their own (a cache buster), and a refusal there reads as an outage.
      api.addHook('onRoute', refuseUndeclaredQuery);
      const checkCredential = credentialCheck({
        adminToken: config.adminToken,
        tokens: repos.tokens,
        users: repos.users,
      });
      api.addHook('onRequest', bearerAuthentication(checkCredential));
      api.register(authRoutes, {
        users: repos.users,
        loginRateLimit: { max: 10, timeWindowMs: 15 * 60_000, ...config.loginRateLimit },
      });
      api.register(tokenRoutes, { tokens: repos.tokens });
      api.register(deviceRoutes, {
        registry,
        store: deps.store,
        presence: deps.presence,
        contracts: repos.contracts,
        customers: repos.customers,
      });
      api.register(deviceVisitRoutes, { registry, history: new ServiceHistoryRepository(deps.db) });
      api.register(deviceTelemetryRoutes, {
        registry,
        store: deps.store,
        limits: { ...telemetryRangeLimits, ...config.telemetry },
        clock,
      });
      api.register(riskRoutes, { registry, store: deps.store, snapshot: riskSnapshot, clock });
      api.register(fleetRoutes, {
        registry,
        risks: riskSnapshot,
        presence: deps.presence,
        customers: repos.customers,
        store: deps.store,
      });
      api.register(ingestRoutes, { rejections: deps.rejections });
      api.register(customerRoutes, { customers: repos.customers });
      api.register(partnerRoutes, { partners: repos.partners });
      api.register(technicianVisitRoutes, { partners: repos.partners, tickets: repos.tickets });
      api.register(partsRoutes, { catalogue: repos.catalogue, stock: repos.stock });
      api.register(stockRoutes, { stock: repos.stock, transfers: repos.transfers, tickets: repos.tickets });
      api.register(contractRoutes, { contracts: repos.contracts, visits: repos.visits });
      api.register(ticketRoutes, { tickets: repos.tickets, devices: registry, repositories: repos, clock });
      api.register(ticketPartRoutes, { repositories: repos, clock });
      api.register(ticketCommandRoutes, {
        remote:
          deps.remote ?? createRemoteTroubleshooting({ repositories: repos, publisher: null, logger, clock }),
      });
      api.register(feedbackRoutes, { feedback: repos.feedback, tickets: repos.tickets, clock });
      api.register(dispatchRoutes, {
        repositories: repos,
        clock,
        predictiveRouteFill: config.predictiveRouteFill ?? false,
      });
      api.register(planningRoutes, { repositories: repos, risks: riskSnapshot, clock });
      api.register(kpiRoutes, { db: deps.db, clock });
      if (deps.models) api.register(modelRoutes, { models: deps.models });
      api.register(eventRoutes, {
        events: repos.events,
        revocations: [repos.users.revocations, repos.tokens.revocations],
        checkCredential,
        heartbeatMs: 15_000,
        maxBufferedBytes: 1024 * 1024,
        replayEvents: 1000,
        ...config.eventStream,
      });
      // The OpenAPI document, generated from the routes' zod schemas. The API's shape is no secret and
      // a browser opening the link sends no token, so it needs none; the routes it describes still do.
      const docs = { config: { public: true }, schema: { hide: true } };
      api.get('/docs', docs, async () => app.swagger());
      api.get('/openapi.json', docs, async () => app.swagger());
    },
    { prefix: '/api' },
  );

  return app;
}
