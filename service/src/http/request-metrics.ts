import type { FastifyReply, FastifyRequest } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

const name = 'aftercare_http_request_duration_seconds';

/**
 * An onResponse hook feeding `aftercare_http_request_duration_seconds{method,route,status}`. The
 * route label is the route's pattern (`/api/devices/:id`), never the raw URL, so device ids cannot
 * blow up the series count.
 */
export function requestDurationMetrics(registry: Registry) {
  // A registry shared by two app instances (tests, restarts in one process) already holds the histogram.
  const histogram =
    (registry.getSingleMetric(name) as Histogram<'method' | 'route' | 'status'> | undefined) ??
    new Histogram({
      name,
      help: 'HTTP request duration by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  return async function observeRequestDuration(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    histogram.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  };
}
