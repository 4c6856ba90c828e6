import { type DeviceModel, modelListSchema } from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow } from '../http/authentication.ts';
import { errorResponses } from './error-responses.ts';

/**
 * What the API needs to know of the model registry: the versions on file with their evaluation
 * figures. The models package's `ModelRegistry` satisfies it as it is.
 */
export interface ModelCatalog {
  list(): Promise<
    {
      deviceModel: DeviceModel;
      version: string;
      active: boolean;
      createdAt: string;
      metrics: Record<string, number>;
    }[]
  >;
}

export interface ModelRoutesOptions {
  models: ModelCatalog;
}

/** The failure models in use: every version per device model, which is active, and how it evaluated. */
export const modelRoutes: FastifyPluginAsyncZod<ModelRoutesOptions> = async (app, { models }) => {
  app.get(
    '/models',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['insights'],
        summary: 'Failure model versions and their evaluation figures',
        description:
          'Every version in the model registry, newest first per device model, with `active` marking the one scoring uses and the figures it reached on its validation fleet ' +
          '(val_precision, val_recall, val_median_lead_days, the rule baseline’s figures, …).',
        response: { 200: modelListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => {
      const entries = await models.list();
      const versionNumber = (v: string) => Number(v.replace(/^\D+/, '')) || 0;
      return {
        items: [...entries].sort(
          (a, b) =>
            a.deviceModel.localeCompare(b.deviceModel) || versionNumber(b.version) - versionNumber(a.version),
        ),
      };
    },
  );
};
