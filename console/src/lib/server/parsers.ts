import { deviceDetailSchema, deviceSchema, pageSchema } from '@aftercare/core';

/*
 * Parsers of API responses that core does not name itself; everything else is parsed with core's
 * schemas directly (riskListSchema, deviceRiskHistorySchema, loginResponseSchema, …).
 */

/**
 * A device as GET /api/devices lists it. Built on the base device schema, so it reads both the
 * pipeline's list and the service's (which adds site and warranty); `online` and `lastSeen` when the
 * list carries presence.
 */
export const listedDeviceSchema = deviceSchema.extend({
  online: deviceDetailSchema.shape.online.optional(),
  lastSeen: deviceDetailSchema.shape.lastSeen.optional(),
});

export const devicePageSchema = pageSchema(listedDeviceSchema);
