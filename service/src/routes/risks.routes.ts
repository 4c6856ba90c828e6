import {
  deviceIdParamsSchema,
  deviceRiskHistoryQuerySchema,
  deviceRiskHistorySchema,
  listRisksQuerySchema,
  maxRiskTrendBuckets,
  type Risk,
  riskListSchema,
  riskTrendQuerySchema,
  riskTrendSchema,
  ValidationError,
} from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { byRisk, type RiskSnapshotSource } from '../operations/risk-snapshot.ts';
import { technicianScope } from '../principal.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import { roles } from '../schemas.ts';
import { findVisibleDevice } from './device-access.ts';
import { errorResponses } from './error-responses.ts';
import { listedCustomer } from './list-filters.ts';

export interface RiskRoutesOptions {
  registry: DeviceRegistry;
  store: Pick<TelemetryStore, 'latestRisks' | 'risks' | 'riskTrend'>;
  /** The newest risks of the fleet, held between scoring runs (operations/risk-snapshot.ts); the fleet summary's. */
  snapshot: RiskSnapshotSource;
  clock: () => number;
}

const defaultHistoryMs = 30 * 86_400_000;
const defaultTrendStepMs = 3_600_000;
const registryPage = 1_000;

/** [from, to) of a device's history: to = now and from = to − 30 days unless asked; from must come first. */
function historyRange(query: { from?: number | undefined; to?: number | undefined }, now: number) {
  const to = query.to ?? now;
  const from = query.from ?? to - defaultHistoryMs;
  if (from >= to) {
    throw new ValidationError(
      `querystring.from: must be before to (${new Date(from).toISOString()} is not before ${new Date(to).toISOString()})`,
    );
  }
  return { from, to };
}

/** Every device id of one customer, from the registry, a page at a time. */
async function devicesOf(registry: DeviceRegistry, customerId: string): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += registryPage) {
    const page = await registry.list({ customerId, limit: registryPage, offset });
    ids.push(...page.map((device) => device.id));
    if (page.length < registryPage) return ids;
  }
}

/**
 * The risks the scoring job stored: the fleet's current risk list and one device's history. Register
 * inside the authenticated `/api` scope, beside the device routes.
 */
export const riskRoutes: FastifyPluginAsyncZod<RiskRoutesOptions> = async (
  app,
  { registry, store, snapshot, clock },
) => {
  app.get(
    '/risks',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['risks'],
        summary: 'The latest risk of every device and component',
        description:
          'The newest stored risk per device × component, highest probability of failure first, filtered and paged. ' +
          "A customer's token sees its own devices' risks only (another customer's id lists nothing), a technician's the devices of its jobs. Without `deviceId` the risks are read from a snapshot " +
          'taken again as soon as a newer score is stored, and at least every 30 s.',
        querystring: listRisksQuerySchema,
        response: { 200: riskListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { deviceId, model, component, minP, limit, offset } = request.query;
      const principal = principalOf(request);
      const customer = listedCustomer(principal, request.query.customerId);
      if (customer === null) return { items: [], total: 0, limit, offset };
      const technician = technicianScope(principal);
      // As the device list: a customer its own devices, a technician the devices of its jobs.
      const visible =
        technician !== undefined
          ? new Set((await registry.models({ technicianId: technician })).map((d) => d.id))
          : customer === undefined
            ? undefined
            : new Set(await devicesOf(registry, customer));
      const keep = (risk: Risk) =>
        (visible === undefined || visible.has(risk.deviceId)) &&
        (model === undefined || risk.model === model) &&
        (component === undefined || risk.component === component) &&
        (minP === undefined || risk.pFail >= minP);
      let matching: Risk[];
      if (deviceId !== undefined) {
        // One device's risks are a cheap seek: read them from the store, exact to the last write.
        matching = visible === undefined || visible.has(deviceId) ? await store.latestRisks([deviceId]) : [];
        matching = matching.filter(keep).sort(byRisk);
      } else {
        // Already in this order; most likely failure first.
        matching = (await snapshot.current()).risks.filter(keep);
      }
      return { items: matching.slice(offset, offset + limit), total: matching.length, limit, offset };
    },
  );

  app.get(
    '/devices/:id/risks',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['risks'],
        summary: "A device's risk history",
        description:
          'Every stored risk of the device in [from, to), oldest first. Defaults: to = now, from = to − 30 days. ' +
          'When more than `limit` fall in the range, the most recent are kept and `truncated` is true.',
        params: deviceIdParamsSchema,
        querystring: deviceRiskHistoryQuerySchema,
        response: { 200: deviceRiskHistorySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const device = await findVisibleDevice(registry, principalOf(request), request.params.id);
      const { component, limit } = request.query;
      const { from, to } = historyRange(request.query, clock());
      const found = await store.risks({
        deviceIds: [device.id],
        ...(component === undefined ? {} : { component }),
        from,
        to,
        limit: limit + 1,
      });
      const truncated = found.length > limit;
      return { deviceId: device.id, from, to, items: truncated ? found.slice(1) : found, truncated };
    },
  );

  app.get(
    '/devices/:id/risk-trend',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['risks'],
        summary: "A device's risk over a time range, in buckets",
        description:
          'Per component and bucket of `step` (buckets start at its multiples): the highest probability of failure ' +
          'scored and the fewest days left predicted; empty buckets are left out. Defaults: to = now, from = to − 30 days, ' +
          `step = 1h; at most ${maxRiskTrendBuckets} buckets. Where the raw risks are past retention the embedded store ` +
          'answers from its daily rollup (one point per UTC day there); InfluxDB keeps risks as long as its telemetry.',
        params: deviceIdParamsSchema,
        querystring: riskTrendQuerySchema,
        response: { 200: riskTrendSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const device = await findVisibleDevice(registry, principalOf(request), request.params.id);
      const { component } = request.query;
      const { from, to } = historyRange(request.query, clock());
      const stepMs = request.query.step ?? defaultTrendStepMs;
      if ((to - from) / stepMs > maxRiskTrendBuckets) {
        throw new ValidationError(
          `querystring.step: ${stepMs} ms makes more than ${maxRiskTrendBuckets} buckets of this range; ask for at least ${Math.ceil((to - from) / maxRiskTrendBuckets / 1000)}s`,
        );
      }
      const components = await store.riskTrend({
        deviceId: device.id,
        ...(component === undefined ? {} : { component }),
        from,
        to,
        stepMs,
      });
      return { deviceId: device.id, from, to, stepMs, components };
    },
  );
};
