import { idParamsSchema, technicianVisitsQuerySchema, technicianVisitsSchema } from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import type { PartnerRepository } from '../repositories/partner-repository.ts';
import type { TicketRepository } from '../repositories/ticket-repository.ts';
import { errorResponses } from './error-responses.ts';
import { findVisibleTechnician } from './technician-access.ts';

export interface TechnicianVisitRoutesOptions {
  partners: PartnerRepository;
  tickets: TicketRepository;
}

/**
 * A technician's booked visits: what a planner looks at before booking another (a visit that
 * overlaps one elsewhere is refused), and a technician's own week.
 */
export const technicianVisitRoutes: FastifyPluginAsyncZod<TechnicianVisitRoutesOptions> = async (
  app,
  { partners, tickets },
) => {
  app.get(
    '/technicians/:id/visits',
    {
      preValidation: allow('admin', 'planner', 'technician'),
      schema: {
        tags: ['partners'],
        summary: "A technician's booked visits (scheduled, dispatched, on site) that overlap [from, to)",
        description:
          '`from` and `to` are instants (epoch ms or ISO 8601), at most 31 days apart. Each visit names its ticket, ' +
          'its times and its site; `timezone` is the technician’s, in which their working hours are read. A technician reads its own.',
        params: idParamsSchema,
        querystring: technicianVisitsQuerySchema,
        response: { 200: technicianVisitsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const technician = await findVisibleTechnician(partners, principalOf(request), request.params.id);
      return {
        technicianId: technician.id,
        timezone: technician.workingHours.timezone,
        items: await tickets.bookedVisits(technician.id, request.query),
      };
    },
  );
};
