import { idParamsSchema, NotFoundError, partSourcingSchema } from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { PlanningData } from '../operations/planning-data.ts';
import { findTicketPart } from '../operations/ticket-part-request.ts';
import { actorOf } from '../principal.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { errorResponses } from './error-responses.ts';

export interface TicketPartRoutesOptions {
  repositories: ServiceRepositories;
  clock?: () => number;
}

/** The office asks the platform to find a job's part, as its automation does when it plans the job. */
export const ticketPartRoutes: FastifyPluginAsyncZod<TicketPartRoutesOptions> = async (
  app,
  { repositories, clock = Date.now },
) => {
  app.post(
    '/tickets/:id/parts-sourcing',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['parts'],
        summary: "Find the job's part again: reserve it where the technician can have it, or send it in time",
        description:
          'The part is the one the knowledge base gives the ticket’s failure mode. As the automation does: a ' +
          'reservation on the technician’s van, at a depot on the way or at the warehouse for delivery, else a ' +
          'transfer from the nearest stock arriving before the appointment (unbooked: before the latest start that ' +
          'meets the SLA). A job that holds the part, or has it on the way in time, is left as it is (`already_sourced`). ' +
          'A delivery on its way that would arrive too late for the appointment is replaced by a unit that arrives in time, ' +
          'and called back; when none can, it keeps coming and the answer is `unavailable` with its arrival as `earliestAt`. ' +
          'Use it after calling a transfer back, when stock came in, or when a job changed hands. ' +
          '409 for a ticket already started or finished, or one that needs no catalogue part.',
        params: idParamsSchema,
        response: { 200: partSourcingSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const ticket = await repositories.tickets.get(request.params.id);
      if (!ticket) throw new NotFoundError('ticket', request.params.id);
      const sourcing = await findTicketPart(new PlanningData(repositories), ticket, {
        now: clock(),
        actor: actorOf(principalOf(request)),
      });
      request.log.info({ ticketId: ticket.id, sku: sourcing.sku, outcome: sourcing.outcome }, 'part sourced');
      return sourcing;
    },
  );
};
