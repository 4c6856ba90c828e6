import {
  deviceIdParamsSchema,
  deviceRiskHistoryQuerySchema,
  deviceRiskHistorySchema,
  listRisksQuerySchema,
  type Risk,
  riskListSchema,
  ValidationError,
} from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { customerScope } from '../principal.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import { roles } from '../schemas.ts';
import { findVisibleDevice } from './device-access.ts';
import { errorResponses } from './error-responses.ts';

export interface RiskRoutesOptions {
  registry: DeviceRegistry;
  store: Pick<TelemetryStore, 'latestRisks' | 'risks'>;
  clock: () => number;
}

const defaultHistoryMs = 30 * 86_400_000;
const registryPage = 1_000;

/** Most likely failure first; ties in a stable order so that pages neither skip nor repeat. */
function byRisk(a: Risk, b: Risk): number {
  if (a.pFail !== b.pFail) return b.pFail - a.pFail;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return a.component < b.component ? -1 : a.component > b.component ? 1 : 0;
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
  { registry, store, clock },
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
          "A customer's token sees its own devices' risks only.",
        querystring: listRisksQuerySchema,
        response: { 200: riskListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { deviceId, model, component, minP, customerId, limit, offset } = request.query;
      // A customer's own scope wins over whatever customer it asked for.
      const customer = customerScope(principalOf(request)) ?? customerId;
      let deviceIds = customer === undefined ? undefined : await devicesOf(registry, customer);
      if (deviceId !== undefined)
        deviceIds = deviceIds === undefined || deviceIds.includes(deviceId) ? [deviceId] : [];
      const matching = (await store.latestRisks(deviceIds))
        .filter(
          (risk) =>
            (model === undefined || risk.model === model) &&
            (component === undefined || risk.component === component) &&
            (minP === undefined || risk.pFail >= minP),
        )
        .sort(byRisk);
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
      const to = request.query.to ?? clock();
      const from = request.query.from ?? to - defaultHistoryMs;
      if (from >= to) {
        throw new ValidationError(
          `querystring.from: must be before to (${new Date(from).toISOString()} is not before ${new Date(to).toISOString()})`,
        );
      }
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
};
