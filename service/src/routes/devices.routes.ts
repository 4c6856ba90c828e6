import {
  deviceDetailSchema,
  deviceIdParamsSchema,
  listDevicesQuerySchema,
  provisionDeviceBodySchema,
  provisionedDeviceSchema,
  topics,
} from '@aftercare/core';
import type { PresenceSource, TelemetryStore } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import { customerScope } from '../principal.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import { deviceListSchema, roles } from '../schemas.ts';
import { findVisibleDevice } from './device-access.ts';
import { errorResponses } from './error-responses.ts';

export interface DeviceRoutesOptions {
  registry: DeviceRegistry;
  store: TelemetryStore;
  presence: PresenceSource;
}

export const deviceRoutes: FastifyPluginAsyncZod<DeviceRoutesOptions> = async (
  app,
  { registry, store, presence },
) => {
  app.post(
    '/devices',
    {
      preValidation: allow('admin', 'planner'),
      schema: {
        tags: ['devices'],
        summary: 'Provision a device',
        description:
          'Registers a device and issues its MQTT secret. The secret is in this response only; the platform keeps just its hash.',
        body: provisionDeviceBodySchema,
        response: { 201: provisionedDeviceSchema, ...errorResponses(400, 401, 403, 409) },
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
          "Filtered and paged, ordered by id. A customer's token lists that customer's devices only.",
        querystring: listDevicesQuerySchema,
        response: { 200: deviceListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { model, customerId, limit, offset } = request.query;
      // A customer's own scope wins over whatever customer it asked for.
      const filter = { model, customerId: customerScope(principalOf(request)) ?? customerId };
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
        summary: 'A device with its latest values and whether it is online',
        params: deviceIdParamsSchema,
        response: { 200: deviceDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const device = await findVisibleDevice(registry, principalOf(request), request.params.id);
      const latest = (await store.latest([device.id])).find((values) => values.deviceId === device.id);
      const lastSeen = Math.max(
        presence.lastSeen(device.id) ?? Number.NEGATIVE_INFINITY,
        latest?.ts ?? Number.NEGATIVE_INFINITY,
      );
      return {
        ...device,
        online: presence.isOnline(device.id),
        lastSeen: Number.isFinite(lastSeen) ? new Date(lastSeen).toISOString() : null,
        latest: latest?.metrics ?? null,
      };
    },
  );
};
