import { z } from 'zod';
import { deviceIdSchema, metricNameSchema } from '../ids.ts';
import { epochMsSchema, recordIdSchema } from './common.schema.ts';
import { ticketKinds, ticketStatuses } from './ticket.schema.ts';

/** A ticket changed (opened, moved status, assigned, annotated); sent after the change committed. */
export const ticketChangedEventSchema = z.object({
  type: z.literal('ticket.changed'),
  ticketId: recordIdSchema,
  kind: z.enum(ticketKinds),
  action: z.string(),
  status: z.enum(ticketStatuses),
  previousStatus: z.enum(ticketStatuses).nullable(),
  version: z.number().int(),
  deviceId: deviceIdSchema,
  customerId: recordIdSchema.nullable(),
  technicianId: recordIdSchema.nullable(),
  at: epochMsSchema,
});
export type TicketChangedEvent = z.infer<typeof ticketChangedEventSchema>;

/** A device's risk for one component changed. */
export const riskChangedEventSchema = z.object({
  type: z.literal('risk.changed'),
  deviceId: deviceIdSchema,
  customerId: recordIdSchema.nullable(),
  component: metricNameSchema,
  failureMode: metricNameSchema,
  pFail: z.number().min(0).max(1),
  daysLeft: z.number().nonnegative().nullable(),
  modelVersion: z.string(),
  at: epochMsSchema,
});
export type RiskChangedEvent = z.infer<typeof riskChangedEventSchema>;

/** What GET /api/events/stream sends, one per `data:` line, with the type as the SSE event name. */
export const serviceEventSchema = z.discriminatedUnion('type', [
  ticketChangedEventSchema,
  riskChangedEventSchema,
]);
export type ServiceEvent = z.infer<typeof serviceEventSchema>;

export const eventStreamQuerySchema = z.strictObject({
  /** For EventSource, which cannot send headers; prefer the Authorization header elsewhere. */
  access_token: z.string().min(1).max(200).optional(),
});

/** The `event:` names the stream sends, one per ServiceEvent type. */
export const serviceEventTypes = serviceEventSchema.options.map((option) => option.shape.type.value);

const eventStreamDescription =
  `A text/event-stream that stays open. Each message: \`id: <n>\`, \`event: <type>\` (${serviceEventTypes.join(', ')}) ` +
  'and `data: <the event as JSON>` (ServiceEvent in core); comment lines (`: heartbeat`) keep it alive.';

/**
 * GET /api/events/stream's 200, for the OpenAPI document only: the route writes the stream itself, so
 * nothing serialises through this. `content` tells the document the media type, which it would
 * otherwise give as application/json, as for the route's JSON errors.
 */
export const eventStreamResponseSchema = z.string().meta({
  description: eventStreamDescription,
  content: { 'text/event-stream': { schema: { type: 'string' } } },
});
