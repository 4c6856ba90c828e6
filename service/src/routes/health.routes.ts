import { AftercareError } from '@aftercare/core';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type DependencyState, healthResponseSchema } from '../schemas.ts';

/** Resolves when the dependency answers, throws when it does not. */
export type HealthCheck = () => Promise<unknown>;

export interface HealthRoutesOptions {
  checks: Record<string, HealthCheck>;
  /** States reported by the caller's own parts (broker, ingest), merged into the answer. */
  extra?: (() => Promise<Record<string, DependencyState>>) | undefined;
  timeoutMs: number;
}

class HealthTimeoutError extends Error {}

function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HealthTimeoutError()), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The endpoint is unauthenticated, so a failure is described by its stable code (or a timeout),
 * never by its message, which may name internal hosts; the log has the whole error.
 */
function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof HealthTimeoutError) return `no answer within ${timeoutMs} ms`;
  if (err instanceof AftercareError) return err.code;
  return 'unavailable';
}

async function runCheck(name: string, check: HealthCheck, timeoutMs: number, log: FastifyBaseLogger) {
  try {
    await withTimeout(check(), timeoutMs);
    return { ok: true };
  } catch (err) {
    log.warn({ err, dependency: name }, 'health check failed');
    return { ok: false, detail: describeFailure(err, timeoutMs) };
  }
}

export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (
  app,
  { checks, extra, timeoutMs },
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Whether the service and each dependency answer; 503 when one does not',
        security: [],
        response: { 200: healthResponseSchema, 503: healthResponseSchema },
      },
    },
    async (request, reply) => {
      const entries = Object.entries(checks).map(
        async ([name, check]) => [name, await runCheck(name, check, timeoutMs, request.log)] as const,
      );
      const results: Record<string, DependencyState> = Object.fromEntries(await Promise.all(entries));
      if (extra) {
        try {
          Object.assign(results, await withTimeout(extra(), timeoutMs));
        } catch (err) {
          request.log.warn({ err }, 'health check failed');
          results.platform = { ok: false, detail: describeFailure(err, timeoutMs) };
        }
      }
      const ok = Object.values(results).every((state) => state.ok);
      return reply.code(ok ? 200 : 503).send({ ok, checks: results });
    },
  );
};
