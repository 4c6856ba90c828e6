import {
  deviceIdParamsSchema,
  listServiceDevicesQuerySchema,
  NotFoundError,
  provisionedServiceDeviceSchema,
  provisionServiceDeviceBodySchema,
  serviceDeviceDetailSchema,
  serviceDeviceListSchema,
  serviceDeviceSchema,
  topics,
  updateDeviceBodySchema,
} from '@aftercare/core';
import type { PresenceSource, TelemetryStore } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { judgeFleetHealth } from '../operations/fleet-health.ts';
import { technicianScope } from '../principal.ts';
import type { ContractRepository } from '../repositories/contract-repository.ts';
import type { CustomerRepository } from '../repositories/customer-repository.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import { roles } from '../schemas.ts';
import { findVisibleDevice, lastSeenIso } from './device-access.ts';
import { errorResponses } from './error-responses.ts';
import { listedCustomer } from './list-filters.ts';

export interface DeviceRoutesOptions {
  registry: DeviceRegistry;
  store: TelemetryStore;
  presence: PresenceSource;
  contracts: ContractRepository;
  customers: CustomerRepository;
}

export const deviceRoutes: FastifyPluginAsyncZod<DeviceRoutesOptions> = async (
  app,
  { registry, store, presence, contracts },
) => {
  app.post(
    '/devices',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['devices'],
        summary: 'Provision a device',
        description:
          'Registers a device and issues its MQTT secret. The secret is in this response only; the platform keeps just its hash. ' +
          "The customer must exist and a site must be one of the device's customer's; a device placed on a site without a location of its own is where the site is.",
        body: provisionServiceDeviceBodySchema,
        response: { 201: provisionedServiceDeviceSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const { device, secret } = await registry.provision(request.body);
      request.log.info({ deviceId: device.id, model: device.model }, 'device provisioned');
      return reply.code(201).send({
        ...device,
        secret,
        mqtt: { username: device.id, clientId: device.id, telemetryTopic: topics.telemetry(device.id) },
      });
    },
  );

  app.get(
    '/devices',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['devices'],
        summary: 'List devices',
        description:
          "Filtered and paged, ordered by id. A customer's credentials list that customer's devices only (another " +
          "customer's id lists nothing), a technician's the devices of its jobs.",
        querystring: listServiceDevicesQuerySchema,
        response: { 200: serviceDeviceListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { model, siteId, limit, offset } = request.query;
      const principal = principalOf(request);
      const customerId = listedCustomer(principal, request.query.customerId);
      if (customerId === null) return { items: [], total: 0, limit, offset };
      const filter = { model, siteId, customerId, technicianId: technicianScope(principal) };
      const [items, total] = await Promise.all([
        registry.list({ ...filter, limit, offset }),
        registry.count(filter),
      ]);
      return { items, total, limit, offset };
    },
  );

  app.get(
    '/devices/:id',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['devices'],
        summary:
          'A device with its latest values, whether it is online, its health, and its contract in force',
        description:
          "`health` is judged by the rules of GET /api/fleet/devices, from the device's newest risk per component.",
        params: deviceIdParamsSchema,
        response: { 200: serviceDeviceDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const device = await findVisibleDevice(registry, principalOf(request), request.params.id);
      const [latestValues, contract, risks] = await Promise.all([
        store.latest([device.id]),
        contracts.activeFor(device.id),
        store.latestRisks([device.id]),
      ]);
      const latest = latestValues.find((values) => values.deviceId === device.id);
      // One device's newest risks, read straight from the store as GET /api/risks?deviceId= reads them.
      const judged = judgeFleetHealth([device], risks, (id) => presence.isOnline(id)).devices.get(device.id)!;
      return {
        ...device,
        online: judged.online,
        health: judged.health,
        lastSeen: lastSeenIso(presence.lastSeen(device.id), latest?.ts),
        latest: latest?.metrics ?? null,
        activeContractId: contract?.id ?? null,
      };
    },
  );

  app.patch(
    '/devices/:id',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['devices'],
        summary: 'Change owner, site, serial, install date or warranty end; null clears a field',
        params: deviceIdParamsSchema,
        body: updateDeviceBodySchema,
        response: { 200: serviceDeviceSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const device = await registry.get(request.params.id);
      if (device === null) throw new NotFoundError('device', request.params.id);
      return registry.update(device.id, request.body);
    },
  );
};
