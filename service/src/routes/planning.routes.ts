import {
  amcCalendarQuerySchema,
  amcCalendarSchema,
  partShortfallListSchema,
  stockOverviewSchema,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow } from '../http/authentication.ts';
import { amcCalendar } from '../operations/planning-amc.ts';
import { PlanningData } from '../operations/planning-data.ts';
import { partsShortfall, stockOverview } from '../operations/planning-parts.ts';
import type { RiskSnapshotSource } from '../operations/risk-snapshot.ts';
import type { ServiceRepositories } from '../repositories/service-repositories.ts';
import { errorResponses } from './error-responses.ts';

export interface PlanningRoutesOptions {
  repositories: ServiceRepositories;
  /** The newest risks of the fleet, shared with the risk list and the fleet summary (operations/risk-snapshot.ts). */
  risks: RiskSnapshotSource;
  clock: () => number;
}

const office = ['admin', 'planner'] as const;

/** The planner's overviews of spare parts and AMC visits: read-only summaries over the records. */
export const planningRoutes: FastifyPluginAsyncZod<PlanningRoutesOptions> = async (
  app,
  { repositories, risks, clock },
) => {
  app.get(
    '/parts/shortfall',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Parts that will run short against the demand the current risks predict, shortest first',
        description:
          "Demand: device components whose latest risk is at or above their model's ticket threshold, per part that " +
          'fixes the failure mode, less those whose ticket has the part reserved or on its way. Supply: units free at ' +
          'every location plus unpromised units in transit.',
        response: { 200: partShortfallListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({
      at: clock(),
      items: await partsShortfall(repositories, (await risks.current()).risks),
    }),
  );

  app.get(
    '/parts/stock-overview',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['parts'],
        summary: 'Every stock location with what it holds, transfers in flight by ETA, reservations held',
        response: { 200: stockOverviewSchema, ...errorResponses(401, 403) },
      },
    },
    async () => stockOverview(repositories),
  );

  app.get(
    '/contract-visits/calendar',
    {
      preValidation: allow(...office),
      schema: {
        tags: ['contracts'],
        summary:
          'AMC visits by month with their partner, visits at risk of missing their window, renewals due',
        description:
          'With `partnerId`, the visits that partner carries out (its technician booked, else its reach over the site), ' +
          'and the renewals of the contracts it services: one of their devices in its reach; an unknown partner is a 404. ' +
          'Renewals are the contracts ending within `renewalWithinDays` that are not renewed or declined, whatever ' +
          'their status says yet: reading them changes nothing.',
        querystring: amcCalendarQuerySchema,
        response: { 200: amcCalendarSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => amcCalendar(new PlanningData(repositories), request.query, clock()),
  );
};
