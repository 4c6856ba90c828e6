import type { RejectionSource } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow } from '../http/authentication.ts';
import { rejectionsQuerySchema, rejectionsResponseSchema } from '../schemas.ts';
import { errorResponses } from './error-responses.ts';

export interface IngestRoutesOptions {
  rejections: RejectionSource;
}

export const ingestRoutes: FastifyPluginAsyncZod<IngestRoutesOptions> = async (app, { rejections }) => {
  app.get(
    '/ingest/rejections',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['operations'],
        summary: 'Messages ingest refused, newest first, and counts by reason',
        querystring: rejectionsQuerySchema,
        response: { 200: rejectionsResponseSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const counts = rejections.counts();
      const total = Object.values(counts).reduce((sum, n) => sum + (n ?? 0), 0);
      return { counts, total, recent: rejections.recent(request.query.limit) };
    },
  );
};
