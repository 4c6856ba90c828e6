import { deviceIdParamsSchema, deviceVisitPageSchema, deviceVisitsQuerySchema } from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import type { ServiceHistoryRepository } from '../repositories/service-history-repository.ts';
import { roles } from '../schemas.ts';
import { findVisibleDevice } from './device-access.ts';
import { errorResponses } from './error-responses.ts';

export interface DeviceVisitRoutesOptions {
  registry: DeviceRegistry;
  history: ServiceHistoryRepository;
}

/** A device's service history in one read, instead of a ticket list and one detail per visit. */
export const deviceVisitRoutes: FastifyPluginAsyncZod<DeviceVisitRoutesOptions> = async (
  app,
  { registry, history },
) => {
  app.get(
    '/devices/:id/visits',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['devices'],
        summary: "The device's service history, newest first: what was done, by whom, and the parts fitted",
        description:
          'One entry per ticket someone worked on (resolved, verified, flagged for review or closed), ordered by when the work was done ' +
          '(the last resolution, else the closing, else the appointment), newest first. Each tells what its customer may read: ' +
          "the resolution and closing reasons, who came, and the parts fitted named by what they replace; never the office's notes, " +
          "the other reasons of the audit log, or a remote fix's automated reason. A customer reads its own devices only and a " +
          'technician the devices of its jobs; any other device is "not found", exactly as a missing one.',
        params: deviceIdParamsSchema,
        querystring: deviceVisitsQuerySchema,
        response: { 200: deviceVisitPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const device = await findVisibleDevice(registry, principalOf(request), request.params.id);
      return history.visitsOf(device, request.query);
    },
  );
};
