import {
  apiTokenParamsSchema,
  apiTokenSchema,
  createApiTokenBodySchema,
  issuedApiTokenSchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow } from '../http/authentication.ts';
import type { TokenRepository } from '../repositories/token-repository.ts';
import { errorResponses } from './error-responses.ts';

export interface TokenRoutesOptions {
  tokens: TokenRepository;
}

/** API tokens: the credentials of machines (an ERP export, a dashboard), issued and revoked by admins. */
export const tokenRoutes: FastifyPluginAsyncZod<TokenRoutesOptions> = async (app, { tokens }) => {
  app.post(
    '/tokens',
    {
      preValidation: allow('admin'),
      schema: {
        tags: ['auth'],
        summary: 'Issue an API token (admins only); the token is in this answer and nowhere else',
        description:
          'A customer token sees only its customer, a technician token only its technician, as their ' +
          'accounts do. Only the SHA-256 of the token is stored: keep it from this answer.',
        body: createApiTokenBodySchema,
        response: { 201: issuedApiTokenSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const issued = await tokens.issue(request.body);
      request.log.info(
        { tokenId: issued.record.id, role: issued.record.role, name: issued.record.name },
        'api token issued',
      );
      return reply.code(201).send(issued);
    },
  );

  app.get(
    '/tokens',
    {
      preValidation: allow('admin'),
      schema: {
        tags: ['auth'],
        summary: 'Every API token, revoked ones included (admins only); never the secrets',
        response: { 200: z.object({ items: z.array(apiTokenSchema) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await tokens.list() }),
  );

  app.post(
    '/tokens/:id/revoke',
    {
      preValidation: allow('admin'),
      schema: {
        tags: ['auth'],
        summary: 'Revoke an API token at once, ending its open event streams (admins only)',
        params: apiTokenParamsSchema,
        response: { 204: z.null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await tokens.revoke(request.params.id);
      request.log.info({ tokenId: request.params.id }, 'api token revoked');
      return reply.code(204).send(null);
    },
  );
};
