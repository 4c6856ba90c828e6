import {
  knowledgeParamsSchema,
  listKnowledgeQuerySchema,
  listPartsQuerySchema,
  NotFoundError,
  pageSchema,
  partSchema,
  skuParamsSchema,
  stockLevelSchema,
  stockLocationSchema,
  troubleshootingGuideSchema,
  upsertPartBodySchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../http/authentication.ts';
import type { CatalogueRepository } from '../repositories/catalogue-repository.ts';
import type { StockRepository } from '../repositories/stock-repository.ts';
import { errorResponses } from './error-responses.ts';

export interface PartsRoutesOptions {
  catalogue: CatalogueRepository;
  stock: StockRepository;
}

const office = ['admin', 'planner'] as const;
const field = ['admin', 'planner', 'technician'] as const;

/** The parts catalogue, where each part is available, and the knowledge base. */
export const partsRoutes: FastifyPluginAsyncZod<PartsRoutesOptions> = async (app, { catalogue, stock }) => {
  app.get(
    '/parts',
    {
      preValidation: allow(...field),
      schema: {
        tags: ['parts'],
        summary: 'The parts catalogue, by model and failure mode fixed',
        querystring: listPartsQuerySchema,
        response: { 200: pageSchema(partSchema), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => catalogue.listParts(request.query),
  );

  app.get(
    '/parts/:sku',
    {
      preValidation: allow(...field),
      schema: {
        tags: ['parts'],
        summary: 'A catalogue part',
        params: skuParamsSchema,
        response: { 200: partSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const part = await catalogue.getPart(request.params.sku);
      if (part === null) throw new NotFoundError('part', request.params.sku);
      return part;
    },
  );

  app.put(
    '/parts/:sku',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Create or replace a catalogue part',
        params: skuParamsSchema,
        body: upsertPartBodySchema,
        response: { 200: partSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => catalogue.upsertPart(request.params.sku, request.body),
  );

  app.get(
    '/parts/:sku/availability',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Every location with unreserved units of a part',
        params: skuParamsSchema,
        response: {
          200: z.object({
            items: z.array(z.object({ location: stockLocationSchema, level: stockLevelSchema })),
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      // An unknown part is not found, as it is at /parts/:sku, rather than a part with no stock anywhere.
      if ((await catalogue.getPart(request.params.sku)) === null)
        throw new NotFoundError('part', request.params.sku);
      return { items: await stock.availability(request.params.sku) };
    },
  );

  app.get(
    '/knowledge',
    {
      preValidation: allow(...field),
      schema: {
        tags: ['parts'],
        summary: 'The troubleshooting guides of the knowledge base',
        querystring: listKnowledgeQuerySchema,
        response: {
          200: z.object({ items: z.array(troubleshootingGuideSchema) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({ items: await catalogue.guides(request.query.model) }),
  );

  app.get(
    '/knowledge/:model/:failureMode',
    {
      preValidation: allow(...field),
      schema: {
        tags: ['parts'],
        summary: 'The troubleshooting guide for a failure mode of a device model',
        params: knowledgeParamsSchema,
        response: { 200: troubleshootingGuideSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const guide = await catalogue.guide(request.params.model, request.params.failureMode);
      if (guide === null)
        throw new NotFoundError(`guide for ${request.params.model}`, request.params.failureMode);
      return guide;
    },
  );
};
