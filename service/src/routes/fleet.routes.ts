import { fleetHealthRules, fleetSummaryQuerySchema, fleetSummarySchema } from '@aftercare/core';
import type { PresenceSource } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { summarizeFleet } from '../operations/fleet-summary.ts';
import type { RiskSnapshotSource } from '../operations/risk-snapshot.ts';
import { customerScope, technicianScope } from '../principal.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import { roles } from '../schemas.ts';
import { errorResponses } from './error-responses.ts';

export interface FleetRoutesOptions {
  registry: DeviceRegistry;
  /** The newest risks of the fleet, held between scoring runs (operations/risk-snapshot.ts). */
  risks: RiskSnapshotSource;
  presence: Pick<PresenceSource, 'isOnline'>;
}

const snapshotCheckMs = 5_000;

/**
 * The fleet overview in one call: devices by model and health, computed here in one pass over the
 * registry and the newest risks, and the few most likely failures as rows, instead of every client
 * paging through the whole device and risk lists.
 */
export const fleetRoutes: FastifyPluginAsyncZod<FleetRoutesOptions> = async (
  app,
  { registry, risks, presence },
) => {
  // A scoring run's new scores are taken in within seconds, before the next overview asks for them.
  let stopWatching = () => {};
  app.addHook('onReady', async () => {
    stopWatching = risks.watch(snapshotCheckMs, (err) =>
      app.log.warn({ err }, 'checking for new risk scores failed'),
    );
  });
  app.addHook('onClose', async () => stopWatching());

  app.get(
    '/fleet/summary',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['devices'],
        summary: 'Devices by model and health, counts of scored and at-risk components, and the top risks',
        description:
          "Each device is counted once, in this order: failed (a component's newest risk has no days left at a probability of " +
          `${fleetHealthRules.failedProbability * 100} % or more), at risk (a component at ${fleetHealthRules.atRiskProbability * 100} % or more), ` +
          'offline (not connected), healthy. `top` adds that many of the most likely failures at or above the at-risk probability. ' +
          'Risks are read from a snapshot taken again as soon as a newer score is stored, and at least every 30 s. ' +
          'A customer sees its own devices only, a technician the devices of its jobs.',
        querystring: fleetSummaryQuerySchema,
        response: { 200: fleetSummarySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { model, top } = request.query;
      const customerId = customerScope(principal) ?? request.query.customerId;
      const technicianId = technicianScope(principal);
      const [devices, snapshot] = await Promise.all([
        registry.models({ model, customerId, technicianId }),
        risks.current(),
      ]);
      return summarizeFleet(devices, snapshot, (id) => presence.isOnline(id), top);
    },
  );
};
