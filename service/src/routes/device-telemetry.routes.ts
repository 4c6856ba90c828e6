import { deviceIdParamsSchema, telemetryQuerySchema, telemetryResponseSchema } from '@aftercare/core';
import type { TelemetryStore } from '@aftercare/ingest';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, principalOf } from '../http/authentication.ts';
import type { DeviceRegistry } from '../repositories/device-registry.ts';
import { roles } from '../schemas.ts';
import { assertRawSeriesSize, resolveTelemetryRange, type TelemetryRangeLimits } from '../telemetry-range.ts';
import { findVisibleDevice } from './device-access.ts';
import { errorResponses } from './error-responses.ts';

export interface DeviceTelemetryRoutesOptions {
  registry: DeviceRegistry;
  store: TelemetryStore;
  limits: TelemetryRangeLimits;
  clock: () => number;
}

export const deviceTelemetryRoutes: FastifyPluginAsyncZod<DeviceTelemetryRoutesOptions> = async (
  app,
  { registry, store, limits, clock },
) => {
  app.get(
    '/devices/:id/telemetry',
    {
      preValidation: allow(...roles),
      schema: {
        tags: ['devices'],
        summary: "A device's telemetry over a time range",
        description:
          'Without step: raw samples (mean = min = max). With step: mean, min and max per bucket. ' +
          'Defaults: to = now, from = to - 24 h, every metric the device reports.',
        params: deviceIdParamsSchema,
        querystring: telemetryQuerySchema,
        response: { 200: telemetryResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const range = resolveTelemetryRange(request.query, clock(), limits);
      const device = await findVisibleDevice(registry, principalOf(request), request.params.id);
      const series = await store.querySeries({
        deviceId: device.id,
        metrics: request.query.metrics,
        ...range,
      });
      if (range.stepMs === null) assertRawSeriesSize(series, range, limits);
      return { deviceId: device.id, ...range, series };
    },
  );
};
