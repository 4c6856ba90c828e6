import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';

export interface MetricsRoutesOptions {
  registry: Registry;
}

export const metricsRoutes: FastifyPluginAsyncZod<MetricsRoutesOptions> = async (app, { registry }) => {
  app.get(
    '/metrics',
    {
      schema: { tags: ['operations'], summary: 'Prometheus metrics in text exposition format', security: [] },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
};
