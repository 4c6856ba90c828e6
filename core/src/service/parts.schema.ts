import { z } from 'zod';
import { deviceModels } from '../catalog.ts';
import { deviceIdSchema, metricNameSchema } from '../ids.ts';
import {
  centsSchema,
  epochMsParamSchema,
  epochMsSchema,
  latSchema,
  lonSchema,
  pageQueryShape,
  recordIdSchema,
  textSchema,
} from './common.schema.ts';

export const skuSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,63}$/, 'must be 2–64 upper-case letters, digits or "-" (e.g. AC-COMP)');

/** One catalogue part: what it fits, what it fixes, what it costs. */
export const partSchema = z.object({
  sku: skuSchema,
  model: z.enum(deviceModels),
  name: z.string(),
  /** Catalogue failure modes this part is the fix for. */
  failureModes: z.array(metricNameSchema),
  /** Components it replaces or repairs. */
  components: z.array(metricNameSchema),
  priceCents: centsSchema,
  /** The replaced part must come back (defective-part return, the guard against parts fraud). */
  returnRequired: z.boolean(),
  consumable: z.boolean(),
});
export type Part = z.infer<typeof partSchema>;

/** PUT /api/parts/:sku */
export const upsertPartBodySchema = partSchema
  .omit({ sku: true })
  .extend({ name: textSchema(200) })
  .strict();
export type UpsertPartBody = z.infer<typeof upsertPartBodySchema>;

export const listPartsQuerySchema = z.strictObject({
  model: z.enum(deviceModels).optional(),
  failureMode: metricNameSchema.optional(),
  ...pageQueryShape,
});
export type ListPartsQuery = z.infer<typeof listPartsQuerySchema>;
export const skuParamsSchema = z.strictObject({ sku: skuSchema });

export const stockLocationKinds = ['central_warehouse', 'partner_depot', 'van'] as const;
export type StockLocationKind = (typeof stockLocationKinds)[number];

export const stockLocationSchema = z.object({
  id: recordIdSchema,
  name: z.string(),
  kind: z.enum(stockLocationKinds),
  /** The partner holding a depot or van; null for the manufacturer's central warehouse. */
  partnerId: recordIdSchema.nullable(),
  /** The technician driving a van, when it is one technician's. */
  technicianId: recordIdSchema.nullable(),
  lat: latSchema,
  lon: lonSchema,
  createdAt: epochMsSchema,
});
export type StockLocation = z.infer<typeof stockLocationSchema>;

/** POST /api/stock-locations */
export const createStockLocationBodySchema = z
  .strictObject({
    id: recordIdSchema.optional(),
    name: textSchema(200),
    kind: z.enum(stockLocationKinds),
    partnerId: recordIdSchema.optional(),
    technicianId: recordIdSchema.optional(),
    lat: latSchema,
    lon: lonSchema,
  })
  .refine((b) => b.kind === 'central_warehouse' || b.partnerId !== undefined, {
    message: 'a partner depot or van belongs to a partner',
    path: ['partnerId'],
  });
export type CreateStockLocationBody = z.infer<typeof createStockLocationBodySchema>;

export const listStockLocationsQuerySchema = z.strictObject({
  kind: z.enum(stockLocationKinds).optional(),
  partnerId: recordIdSchema.optional(),
  ...pageQueryShape,
});

/** Stock of one SKU at one location. `available` = onHand − reserved. */
export const stockLevelSchema = z.object({
  locationId: recordIdSchema,
  sku: skuSchema,
  onHand: z.number().int().min(0),
  reserved: z.number().int().min(0),
  available: z.number().int().min(0),
  updatedAt: epochMsSchema,
});
export type StockLevel = z.infer<typeof stockLevelSchema>;

/** POST /api/stock-locations/:id/receipts: goods received into a location. */
export const receiveStockBodySchema = z.strictObject({
  sku: skuSchema,
  quantity: z.number().int().min(1).max(100_000),
});
export type ReceiveStockBody = z.infer<typeof receiveStockBodySchema>;

export const reservationStatuses = ['reserved', 'consumed', 'released'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

export const reservationSchema = z.object({
  id: recordIdSchema,
  ticketId: recordIdSchema,
  locationId: recordIdSchema,
  sku: skuSchema,
  quantity: z.number().int().min(1),
  status: z.enum(reservationStatuses),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
});
export type Reservation = z.infer<typeof reservationSchema>;

/** POST /api/tickets/:id/reservations */
export const reservePartBodySchema = z.strictObject({
  sku: skuSchema,
  locationId: recordIdSchema,
  quantity: z.number().int().min(1).max(100).default(1),
});
export type ReservePartBody = z.infer<typeof reservePartBodySchema>;

export const listReservationsQuerySchema = z.strictObject({
  ticketId: recordIdSchema.optional(),
  locationId: recordIdSchema.optional(),
  status: z.enum(reservationStatuses).optional(),
  ...pageQueryShape,
});

export const transferStatuses = ['in_transit', 'arrived', 'cancelled'] as const;
export type TransferStatus = (typeof transferStatuses)[number];

export const transferSchema = z.object({
  id: recordIdSchema,
  fromLocationId: recordIdSchema,
  toLocationId: recordIdSchema,
  sku: skuSchema,
  quantity: z.number().int().min(1),
  /** The ticket the stock moves for: on arrival it is reserved for it at the destination. */
  ticketId: recordIdSchema.nullable(),
  status: z.enum(transferStatuses),
  createdAt: epochMsSchema,
  etaAt: epochMsSchema,
  arrivedAt: epochMsSchema.nullable(),
});
export type Transfer = z.infer<typeof transferSchema>;

export const partSourcingOutcomes = [
  'already_sourced',
  'reserved',
  'transfer',
  'redirected',
  'kept_on_previous_van',
  'no_destination',
  'unavailable',
] as const;

/**
 * POST /api/tickets/:id/parts-sourcing: what finding the job's part did, as the automation finds one
 * (the technician's van, a depot on the way, the warehouse's delivery, or a transfer arriving in time).
 */
export const partSourcingSchema = z.object({
  ticketId: recordIdSchema,
  sku: skuSchema,
  outcome: z.enum(partSourcingOutcomes),
  /** The reservation that holds the part now, when one does. */
  reservation: reservationSchema.nullable(),
  /** The transfer bringing it, when one does. */
  transfer: transferSchema.nullable(),
  /** When nothing reaches the job in time: the earliest the part could be there (null when none is in stock). */
  earliestAt: epochMsSchema.nullable(),
  /** What happened, or why nothing could, in words a planner acts on. */
  message: z.string(),
});
export type PartSourcing = z.infer<typeof partSourcingSchema>;

/** POST /api/transfers */
export const createTransferBodySchema = z
  .strictObject({
    fromLocationId: recordIdSchema,
    toLocationId: recordIdSchema,
    sku: skuSchema,
    quantity: z.number().int().min(1).max(10_000),
    etaAt: epochMsSchema,
    ticketId: recordIdSchema.optional(),
  })
  .refine((b) => b.fromLocationId !== b.toLocationId, {
    message: 'must differ from fromLocationId',
    path: ['toLocationId'],
  });
export type CreateTransferBody = z.infer<typeof createTransferBodySchema>;

export const listTransfersQuerySchema = z.strictObject({
  status: z.enum(transferStatuses).optional(),
  locationId: recordIdSchema.optional(),
  ticketId: recordIdSchema.optional(),
  ...pageQueryShape,
});

/** A part used on a job, from a reservation or straight from a location's stock (a van's). */
export const partUsedSchema = z.object({
  id: recordIdSchema,
  ticketId: recordIdSchema,
  sku: skuSchema,
  quantity: z.number().int().min(1),
  locationId: recordIdSchema,
  reservationId: recordIdSchema.nullable(),
  /** Serial of the part taken out of the device, for the defective-part return. */
  removedSerial: z.string().nullable(),
  recordedBy: z.string(),
  at: epochMsSchema,
});
export type PartUsed = z.infer<typeof partUsedSchema>;

/**
 * The serial on a part's label, as a technician types it: what ties a removed part to its return, so
 * a stray keystroke ("x") is not taken for one.
 */
export const partSerialSchema = z
  .string()
  .trim()
  .min(3, "must be at least 3 characters, as on the part's label")
  .max(64);

/** POST /api/tickets/:id/parts-used: either a reservation of the ticket, or a sku taken from a location. */
export const recordPartUsedBodySchema = z
  .strictObject({
    reservationId: recordIdSchema.optional(),
    sku: skuSchema.optional(),
    locationId: recordIdSchema.optional(),
    quantity: z.number().int().min(1).max(100).optional(),
    /** Required (400) for a part the catalogue marks `returnRequired`: it ties the defective unit returned to the job. */
    removedSerial: partSerialSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.reservationId !== undefined) {
      for (const key of ['sku', 'locationId', 'quantity'] as const) {
        if (b[key] !== undefined)
          ctx.addIssue({ code: 'custom', path: [key], message: 'comes from the reservation; leave it out' });
      }
      return;
    }
    for (const key of ['sku', 'locationId'] as const) {
      if (b[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when no reservationId is given' });
    }
  });
export type RecordPartUsedBody = z.infer<typeof recordPartUsedBodySchema>;

export const partReturnSchema = z.object({
  id: recordIdSchema,
  ticketId: recordIdSchema,
  sku: skuSchema,
  serial: z.string().nullable(),
  /** Where the defective part was received. */
  locationId: recordIdSchema,
  receivedAt: epochMsSchema,
});
export type PartReturn = z.infer<typeof partReturnSchema>;

/** POST /api/part-returns */
export const recordPartReturnBodySchema = z.strictObject({
  ticketId: recordIdSchema,
  sku: skuSchema,
  serial: partSerialSchema.optional(),
  locationId: recordIdSchema,
});
export type RecordPartReturnBody = z.infer<typeof recordPartReturnBodySchema>;

export const listPartReturnsQuerySchema = z.strictObject({
  ticketId: recordIdSchema.optional(),
  ...pageQueryShape,
});

/** The job a defective part comes back from, named as the parts planner chases it. */
const returnJobShape = {
  ticketId: recordIdSchema,
  ticketTitle: z.string(),
  deviceId: deviceIdSchema,
  deviceModel: z.enum(deviceModels),
  customerName: z.string().nullable(),
  /** The technician the job is assigned to, who took the defective unit out, and their partner. */
  technicianName: z.string().nullable(),
  partnerName: z.string().nullable(),
  sku: skuSchema,
  partName: z.string(),
};

/**
 * GET /api/part-returns/outstanding: a part fitted whose catalogue entry wants the defective unit
 * back, and no unit has come back for it. A return counts for a fitting when it is for the same
 * ticket and SKU and, when the technician gave the removed serial, carries that serial: another
 * unit sent back in its place leaves the fitting outstanding.
 */
/**
 * Days a technician has to bring a replaced part's defective unit back (with the next depot runs): a
 * return still missing after them is late on the parts page, and counts against the partner's
 * scorecard; before them it counts neither way.
 */
export const PART_RETURN_DAYS = 14;

/**
 * Minutes before a visit starts that its part must be in the technician's hands (loaded, checked): the
 * parts planner sources so that it arrives by then, and a delivery expected later is too late for the
 * visit, which the console and the service both flag.
 */
export const PART_HANDOVER_MINUTES = 30;

/** Whether a part expected at `etaAt` is in hand in time for a visit starting at `visitStart` (epoch ms). */
export function partArrivesInTime(etaAt: number, visitStart: number): boolean {
  return etaAt + PART_HANDOVER_MINUTES * 60_000 <= visitStart;
}

/** A delivery still on its way that lands after the booked visit needs it (the visit moved forward since). */
export function deliveryTooLate(
  transfer: { status: TransferStatus; etaAt: number },
  appointment: { start: number } | null,
): boolean {
  return (
    transfer.status === 'in_transit' &&
    appointment !== null &&
    !partArrivesInTime(transfer.etaAt, appointment.start)
  );
}

/**
 * Why a delivery still on its way will not be in the technician's hands for the booked visit: it lands
 * after the visit needs it (`too_late`: the visit moved forward since it left), or at the van of another
 * technician than the job's (`other_van`: the job changed hands; the service sends such a part on when
 * it can still make the visit, so one still bound there is one it could not, or one not yet looked at).
 * Null when it serves the visit, or when nothing is booked to judge it by. `vanTechnician`
 * names the technician of a van location (undefined or null for depots and the warehouse, which anyone
 * picks up from).
 */
export function deliveryMissesVisit(
  transfer: { status: TransferStatus; etaAt: number; toLocationId: string },
  visit: { appointment: { start: number } | null; technicianId: string | null },
  vanTechnician: (locationId: string) => string | null | undefined,
): 'too_late' | 'other_van' | null {
  if (transfer.status !== 'in_transit') return null;
  const driver = vanTechnician(transfer.toLocationId);
  if (visit.technicianId !== null && driver != null && driver !== visit.technicianId) return 'other_van';
  return deliveryTooLate(transfer, visit.appointment) ? 'too_late' : null;
}

export const partReturnDueSchema = z.object({
  /** The fitting (the part-used record) the return is owed for. */
  partUsedId: recordIdSchema,
  ...returnJobShape,
  quantity: z.number().int().min(1),
  removedSerial: z.string().nullable(),
  fittedAt: epochMsSchema,
});
export type PartReturnDue = z.infer<typeof partReturnDueSchema>;

export const listOutstandingPartReturnsQuerySchema = z.strictObject({
  /** Only fittings made before this instant: `total` then counts the returns late by that measure. */
  fittedBefore: epochMsParamSchema.optional(),
  ...pageQueryShape,
});

/** GET /api/part-returns/received: a defective unit received back, with the job it came from. */
export const partReturnReceivedSchema = partReturnSchema.extend({
  ...returnJobShape,
  locationName: z.string(),
});
export type PartReturnReceived = z.infer<typeof partReturnReceivedSchema>;
