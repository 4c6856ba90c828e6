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
 * never by its message, which may name internal hosts; the log has the message.
 */
function describeFailure(err: unknown, timeoutMs: number): string {
  if (err instanceof HealthTimeoutError) return `no answer within ${timeoutMs} ms`;
  if (err instanceof AftercareError) return err.code;
  return 'unavailable';
}

/** A dependency's answer to one probe, and the error when it did not answer. */
interface CheckResult {
  state: DependencyState;
  err?: unknown;
}

async function runCheck(check: HealthCheck, timeoutMs: number): Promise<CheckResult> {
  try {
    await withTimeout(check(), timeoutMs);
    return { state: { ok: true } };
  } catch (err) {
    return { state: { ok: false, detail: describeFailure(err, timeoutMs) }, err };
  }
}

/**
 * Logs a dependency's state when it changes, not at every probe: a failing check is the expected
 * answer of /health while a dependency is down, and a probe every few seconds would fill the log
 * with the same warning. Down is a warning with the error's code and message (no stack: it says
 * where the probe was, not why the store is away); back up is an info line.
 */
function stateChangeLogger() {
  const lastOk = new Map<string, boolean>();
  return (name: string, { state, err }: CheckResult, log: FastifyBaseLogger) => {
    const was = lastOk.get(name);
    lastOk.set(name, state.ok);
    if (state.ok) {
      if (was === false) log.info({ dependency: name }, 'health check: dependency answers again');
      return;
    }
    if (was === false) return;
    const cause =
      err instanceof Error
        ? { error: err.message, ...(err instanceof AftercareError ? { code: err.code } : {}) }
        : {};
    log.warn({ dependency: name, detail: state.detail, ...cause }, 'health check failed: dependency is down');
  };
}

export const healthRoutes: FastifyPluginAsyncZod<HealthRoutesOptions> = async (
  app,
  { checks, extra, timeoutMs },
) => {
  const logChange = stateChangeLogger();
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
      const checked = await Promise.all(
        Object.entries(checks).map(
          async ([name, check]) => [name, await runCheck(check, timeoutMs)] as const,
        ),
      );
      const results: Record<string, CheckResult> = Object.fromEntries(checked);
      if (extra) {
        try {
          const parts = await withTimeout(extra(), timeoutMs);
          for (const [name, state] of Object.entries(parts)) results[name] = { state };
          // The parts' report answers again: its stand-in entry, if it was down, is back up.
          if (!('platform' in parts)) logChange('platform', { state: { ok: true } }, request.log);
        } catch (err) {
          results.platform = { state: { ok: false, detail: describeFailure(err, timeoutMs) }, err };
        }
      }
      for (const [name, result] of Object.entries(results)) logChange(name, result, request.log);
      const states = Object.fromEntries(Object.entries(results).map(([name, { state }]) => [name, state]));
      const ok = Object.values(states).every((state) => state.ok);
      return reply.code(ok ? 200 : 503).send({ ok, checks: states });
    },
  );
};
