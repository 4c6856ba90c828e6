import {
  dispatchDayQuerySchema,
  dispatchDaySchema,
  dispatchPreviewBodySchema,
  dispatchPreviewSchema,
  dispatchReplanBodySchema,
  dispatchReplanSchema,
  dispatchRunningLateBodySchema,
  idParamsSchema,
  NotFoundError,
  technicianWorkQuerySchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { allow, principalOf } from '../http/authentication.ts';
import { dispatchDayView } from '../operations/dispatch-day.ts';
import { PlanningData } from '../operations/planning-data.ts';
import { previewMove, replanDay, runningLate } from '../operations/planning-dispatch-moves.ts';
import { actorOf, technicianScope } from '../principal.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { errorResponses } from './error-responses.ts';

export interface DispatchRoutesOptions {
  repositories: ServiceRepositories;
  /** The route fill places non-urgent predictive work too (`ServiceConfig.predictiveRouteFill`). */
  predictiveRouteFill: boolean;
  clock: () => number;
}

const office = ['admin', 'planner'] as const;

/**
 * The dispatch board: a day of technicians and jobs, what moving a job would do, and re-planning a
 * day when a technician drops out or a job runs late. A technician reads its own day's work only.
 */
export const dispatchRoutes: FastifyPluginAsyncZod<DispatchRoutesOptions> = async (
  app,
  { repositories, clock, predictiveRouteFill },
) => {
  app.get(
    '/dispatch/day',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['dispatch'],
        summary: 'One day of dispatch: technicians, their jobs in route order with travel and SLA, open jobs',
        description:
          'The date is local to the technicians (their most common time zone). Booked jobs are driven in time ' +
          'order from the home base, with the visits made on the day (`made`) where and when they were made and by ' +
          'whom, even for a ticket reopened since; each technician lists what breaks on the day as booked (slot, hours, ' +
          'capacity, skill).',
        querystring: dispatchDayQuerySchema,
        response: { 200: dispatchDaySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) =>
      dispatchDayView(new PlanningData(repositories), request.query.date, predictiveRouteFill),
  );

  app.post(
    '/dispatch/preview',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['dispatch'],
        summary:
          "What moving one job to a technician and start time would do to the day's travel, SLA and capacity",
        description:
          'Changes nothing: apply the move with PUT /api/tickets/:id/assignment (technicianId, appointment and version ' +
          "from this answer). Without `start` the job gets the technician's first free slot that breaks nothing.",
        body: dispatchPreviewBodySchema,
        response: { 200: dispatchPreviewSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => previewMove(new PlanningData(repositories), request.body),
  );

  app.post(
    '/dispatch/replan',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['dispatch'],
        summary: 'Re-plan a day for a technician who is out: their jobs not yet begun go to others',
        description:
          'Jobs keep their technicians and slots where they still can; the released ones are placed by the planner ' +
          '(a start may slip up to 2 h). With `apply: true` the new assignments are written to the tickets.',
        body: dispatchReplanBodySchema,
        response: { 200: dispatchReplanSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      replanDay(new PlanningData(repositories), request.body, clock(), actorOf(principalOf(request))),
  );

  app.post(
    '/dispatch/running-late',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['dispatch'],
        summary: 'Re-plan a day around a job that runs late: what no longer fits after it goes to others',
        description:
          'For a job under way (on site) that will only end at `expectedEndAt`. The ' +
          "rest of its technician's day keeps its slots where it still can (a start may slip up to 2 h); the jobs " +
          "that would break theirs are placed with others. With `apply: true` the late visit's appointment is " +
          'extended to `expectedEndAt` (audit `visit_extended`) and the new assignments are written.',
        body: dispatchRunningLateBodySchema,
        response: { 200: dispatchReplanSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      runningLate(new PlanningData(repositories), request.body, clock(), actorOf(principalOf(request))),
  );

  app.get(
    '/technicians/:id/work',
    {
      preValidation: allow('admin', 'planner', 'technician'),
      schema: {
        tags: ['dispatch'],
        summary:
          "A technician's work on a date, in route order, the visits done among it; a technician reads its own",
        params: idParamsSchema,
        querystring: technicianWorkQuerySchema,
        response: {
          200: z.object({
            technician: dispatchDaySchema.shape.technicians.element,
            jobs: dispatchDaySchema.shape.jobs,
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const own = technicianScope(principalOf(request));
      if (own !== undefined && own !== request.params.id)
        throw new NotFoundError('technician', request.params.id);
      const day = await dispatchDayView(
        new PlanningData(repositories),
        request.query.date,
        predictiveRouteFill,
      );
      const technician = day.technicians.find((t) => t.id === request.params.id);
      if (!technician) throw new NotFoundError('technician', request.params.id);
      return { technician, jobs: day.jobs.filter((j) => j.technicianId === technician.id) };
    },
  );
};
