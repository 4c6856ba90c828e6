import {
  type InsightFilterQuery,
  idParamsSchema,
  insightFilterQuerySchema,
  kpiQuerySchema,
  kpiReportSchema,
  NotFoundError,
  partnerScorecardSchema,
  scorecardListSchema,
  trendsSchema,
  ValidationError,
} from '@aftercare/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ServiceDatabase } from '../db/database.ts';
import { planningZoneOf } from '../db/planning-zone.ts';
import { allow } from '../http/authentication.ts';
import { computeTrends, kpiReport, partnerScorecards } from '../operations/kpi-insights.ts';
import {
  defaultPeriod,
  type InsightData,
  type InsightFilter,
  loadInsightData,
} from '../operations/kpi-records.ts';
import { utcOffsetMinutes } from '../operations/local-time.ts';
import { errorResponses } from './error-responses.ts';

export interface KpiRoutesOptions {
  db: ServiceDatabase;
  clock: () => number;
}

const periodDescription =
  "Period [from, to) in epoch ms or ISO 8601 (default: the last 12 calendar months in the technicians' zone, the current one to date); tickets belong to the period by when they were opened. ";
const regionDescription =
  '`region` (an area of the metro, from the site address; one no device stands in is a 404).';
const filterDescription =
  periodDescription +
  'Filters: device `model`, `partnerId` (the jobs its technicians took; an unknown partner is a 404), ' +
  regionDescription;
const utilisationDescription =
  ' Technician utilisation is minutes on site over working capacity, of people, with all their jobs: under `partnerId` its technicians, under `region` those of the partners servicing its sites; under `model` it is null, as technicians are not split by device model.';
const trendFilterDescription =
  periodDescription +
  "Filters: device `model`; `partnerId`, the partner's devices: those at the sites it services (the nearest partner whose coverage reaches the site, else the nearest, as AMC visits are given), with all their failures whoever repaired them, so that failures and the devices they are divided by are the same fleet (an unknown partner is a 404); " +
  regionDescription;

/**
 * The transparency figures planners and manufacturers ask for, computed from the service's records:
 * KPIs per partner, technician, device model or month; failure trends; partner scorecards.
 */
export const kpiRoutes: FastifyPluginAsyncZod<KpiRoutesOptions> = async (app, { db, clock }) => {
  /** The filter of a query and the zone its months are counted in; no period: the last twelve months. */
  async function filterOf(query: InsightFilterQuery): Promise<{ filter: InsightFilter; zone: string }> {
    const zone = await planningZoneOf(db);
    const to = query.to ?? clock();
    const from = query.from ?? defaultPeriod(to, utcOffsetMinutes(zone, to)).from;
    if (from >= to) throw new ValidationError('querystring.from: must be before to');
    // Figures for a partner nobody has are not zeros: the id is wrong, as for any unknown record.
    if (query.partnerId !== undefined) {
      const partner = await db
        .selectFrom('service_partners')
        .select('id')
        .where('id', '=', query.partnerId)
        .executeTakeFirst();
      if (!partner) throw new NotFoundError('partner', query.partnerId);
    }
    const filter = {
      from,
      to,
      model: query.model ?? null,
      partnerId: query.partnerId ?? null,
      region: query.region ?? null,
    };
    return { filter, zone };
  }

  /** The records of a query's filter; a region no device stands in is a 404, as an unknown partner is. */
  async function insightsOf(
    query: InsightFilterQuery,
  ): Promise<{ filter: InsightFilter; data: InsightData }> {
    const { filter, zone } = await filterOf(query);
    const data = await loadInsightData(db, filter, zone);
    const region = filter.region?.toLowerCase();
    if (region !== undefined && !data.regions.some((r) => r.toLowerCase() === region))
      throw new NotFoundError('region', `"${filter.region}"`);
    return { filter, data };
  }

  app.get(
    '/kpis',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['insights'],
        summary: 'Service KPIs, overall and per partner, technician, device model or month',
        description:
          'Failures prevented vs happened, first-time-fix rate, mean time to repair, SLA compliance, parts fill rate, complaint resolution time, CSAT, NPS, technician utilisation and verified-fix rate. ' +
          filterDescription +
          utilisationDescription,
        querystring: kpiQuerySchema,
        response: { 200: kpiReportSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { filter, data } = await insightsOf(request.query);
      return { filter, groupBy: request.query.groupBy, ...kpiReport(data, request.query.groupBy, clock()) };
    },
  );

  app.get(
    '/trends',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['insights'],
        summary: 'Failure trends per device model and component by month',
        description:
          'Failures that happened, failures caught by a predictive repair, predictive tickets opened (predicted) and those that found nothing (false alarms), ' +
          'per month × device model × component; per month the failure rate per 100 devices and the share caught in time; per model the MTBF in days. ' +
          trendFilterDescription,
        querystring: insightFilterQuerySchema,
        response: { 200: trendsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { filter, data } = await insightsOf(request.query);
      const everyPartner = filter.partnerId === null ? data.partners : await allPartners(db);
      return {
        filter,
        ...computeTrends(data),
        regions: data.regions,
        partners: everyPartner.map((p) => ({ id: p.id, name: p.name })),
      };
    },
  );

  app.get(
    '/scorecards',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['insights'],
        summary: 'A scorecard per service partner',
        description: `SLA compliance, first-time fix, verified-fix rate, CSAT, NPS, utilisation and defective parts returned, per partner. ${filterDescription}${utilisationDescription}`,
        querystring: insightFilterQuerySchema,
        response: { 200: scorecardListSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { filter, data } = await insightsOf(request.query);
      return { filter, items: partnerScorecards(data, clock()) };
    },
  );

  app.get(
    '/partners/:id/scorecard',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['insights'],
        summary: "One service partner's scorecard",
        description: filterDescription + utilisationDescription,
        params: idParamsSchema,
        querystring: insightFilterQuerySchema.omit({ partnerId: true }),
        response: { 200: partnerScorecardSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { data } = await insightsOf({ ...request.query, partnerId: request.params.id });
      const [card] = partnerScorecards(data, clock());
      if (!card) throw new NotFoundError('partner', request.params.id);
      return card;
    },
  );
};

async function allPartners(db: ServiceDatabase) {
  return db.selectFrom('service_partners').select(['id', 'name']).orderBy('name').execute();
}
