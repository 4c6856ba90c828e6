import {
  fleetDevicesQuerySchema,
  fleetDevicesSchema,
  fleetHealthRules,
  fleetSummaryQuerySchema,
  fleetSummarySchema,
} from '@aftercare/core';
import type { PresenceSource, TelemetryStore } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { listFleetPage } from '../operations/fleet-devices.ts';
import { summarizeFleet } from '../operations/fleet-summary.ts';
import type { RiskSnapshotSource } from '../operations/risk-snapshot.ts';
import { customerScope, technicianScope } from '../principal.ts';
import type { CustomerRepository } from '../repositories/customer-repository.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import { roles } from '../schemas.ts';
import { lastSeenIso } from './device-access.ts';
import { errorResponses } from './error-responses.ts';
import { listedCustomer } from './list-filters.ts';

export interface FleetRoutesOptions {
  registry: DeviceRegistry;
  /** The newest risks of the fleet, held between scoring runs (operations/risk-snapshot.ts). */
  risks: RiskSnapshotSource;
  presence: Pick<PresenceSource, 'isOnline' | 'lastSeen'>;
  customers: Pick<CustomerRepository, 'names'>;
  /** The newest sample of the listed devices: when they were last seen, if the broker has not said. */
  store: Pick<TelemetryStore, 'latest'>;
}

const snapshotCheckMs = 5_000;

const healthRulesText =
  "failed (a component's newest risk has no days left at a probability of " +
  `${fleetHealthRules.failedProbability * 100} % or more), at risk (a component at ${fleetHealthRules.atRiskProbability * 100} % or more), ` +
  'offline (not connected), healthy.';
const snapshotText =
  'Risks are read from a snapshot taken again as soon as a newer score is stored, and at least every 30 s. ' +
  'A customer sees its own devices only, a technician the devices of its jobs.';

/**
 * The fleet overview in one call (devices by model and health, and the few most likely failures as
 * rows) and the fleet list a page at a time (each device with its health, worst first), both computed
 * here in one pass over the registry and the newest risks, instead of every client paging through the
 * whole device and risk lists.
 */
export const fleetRoutes: FastifyPluginAsyncZod<FleetRoutesOptions> = async (
  app,
  { registry, risks, presence, customers, store },
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
          `Each device is counted once, in this order: ${healthRulesText} ` +
          '`top` adds that many of the most likely failures at or above the at-risk probability. ' +
          snapshotText,
        querystring: fleetSummaryQuerySchema,
        response: { 200: fleetSummarySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { model, top } = request.query;
      const customerId = listedCustomer(principal, request.query.customerId);
      const technicianId = technicianScope(principal);
      const [devices, snapshot] = await Promise.all([
        customerId === null ? [] : registry.models({ model, customerId, technicianId }),
        risks.current(),
      ]);
      return summarizeFleet(devices, snapshot, (id) => presence.isOnline(id), top);
    },
  );

  app.get(
    '/fleet/devices',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['devices'],
        summary:
          'One page of the fleet list, worst health first, each device with its health and highest risk',
        description:
          `Each device has one health, in this order: ${healthRulesText} ` +
          'The list is ordered by that health, then by the highest failure probability among its components (unscored last), then by id. ' +
          '`q` matches part of the device id, the customer id or the customer name, in any case. ' +
          '`total` counts the devices the caller may see, `matching` those the filters keep. ' +
          snapshotText,
        querystring: fleetDevicesQuerySchema,
        response: { 200: fleetDevicesSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const [devices, snapshot] = await Promise.all([
        registry.fleetEntries({
          customerId: customerScope(principal),
          technicianId: technicianScope(principal),
        }),
        risks.current(),
      ]);
      // Every owner's name in one read: `q` matches names of devices on any page.
      const names = await customers.names(devices.map((d) => d.customerId));
      const page = listFleetPage(
        devices,
        snapshot.risks,
        (id) => presence.isOnline(id),
        names,
        request.query,
      );
      const latest = await store.latest(page.items.map((d) => d.id));
      const newestSample = new Map(latest.map((l) => [l.deviceId, l.ts]));
      return {
        ...page,
        items: page.items.map((d) => ({
          ...d,
          lastSeen: lastSeenIso(presence.lastSeen(d.id), newestSample.get(d.id)),
        })),
      };
    },
  );
};
