import { z } from 'zod';
import { deviceModels, skills } from '../catalog.ts';
import { deviceIdSchema, metricNameSchema } from '../ids.ts';
import { instantBodySchema } from '../instant.ts';
import { epochMsSchema, integerParamSchema, latSchema, lonSchema, recordIdSchema } from './common.schema.ts';
import { contractVisitStatuses, renewalStatuses } from './contract.schema.ts';
import { partnerKinds } from './partner.schema.ts';
import { skuSchema, stockLocationKinds } from './parts.schema.ts';
import { ticketKinds, ticketPriorities, ticketStatuses } from './ticket.schema.ts';

/**
 * The planning API the console's dispatch board, parts and AMC pages read: one day of dispatch with
 * what a hand-made change would do to it, the parts that will run short, and the AMC calendar.
 */

/** The days the planning API answers for (YYYY-MM-DD compares as text in calendar order). */
export const planningDateRange = { from: '1970-01-01', to: '2199-12-31' } as const;

/** A local calendar date, YYYY-MM-DD, in the technicians' time zone. */
export const planningDateSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date as YYYY-MM-DD')
  // Date.parse rolls 2026-02-30 over to 2 March; only a date that survives the round trip exists.
  .refine((v) => {
    const at = Date.parse(`${v}T00:00:00Z`);
    return !Number.isNaN(at) && new Date(at).toISOString().slice(0, 10) === v;
  }, 'must be a real calendar date')
  // Zones kept local mean time (Kolkata at +05:53:28) before the 20th century's standard offsets:
  // planning days are whole minutes, so the calendar is bounded to years anyone plans work in.
  .refine((v) => v >= planningDateRange.from && v <= planningDateRange.to, {
    message: `must be between ${planningDateRange.from} and ${planningDateRange.to}`,
  });

/** GET /api/dispatch/day */
export const dispatchDayQuerySchema = z.strictObject({ date: planningDateSchema });

const positionSchema = z.object({ lat: latSchema, lon: lonSchema });

/** One job as the board places it: booked (technicianId and times) or waiting for a technician. */
export const dispatchBoardJobSchema = z.object({
  /**
   * The job's key on the board: its ticket's id, or for a visit made, with when it began (a ticket
   * reopened and booked again can have a visit made and one to come on the same day).
   */
  key: z.string(),
  ticketId: recordIdSchema,
  title: z.string(),
  kind: z.enum(ticketKinds),
  status: z.enum(ticketStatuses),
  priority: z.enum(ticketPriorities),
  version: z.number().int().min(1),
  deviceId: deviceIdSchema,
  customerName: z.string().nullable(),
  siteName: z.string().nullable(),
  position: positionSchema.nullable(),
  skill: z.enum(skills).nullable(),
  certificationRequired: z.boolean(),
  durationMinutes: z.number().positive(),
  slaDueAt: epochMsSchema,
  /** The appointment agreed with the customer; null for a job waiting for a technician. */
  appointment: z.object({ start: epochMsSchema, end: epochMsSchema }).nullable(),
  technicianId: recordIdSchema.nullable(),
  /**
   * The visit made on the day, for work done: when it began and ended on site. The job is drawn
   * then, and stays on the day with the technician who made it even when its ticket was reopened
   * since (its status then says where the ticket stands now).
   */
  made: z.object({ start: epochMsSchema, end: epochMsSchema }).nullable(),
  /** As the day's route drives it: arrival, start and end of work, the drive from the previous stop. */
  arriveAt: epochMsSchema.nullable(),
  startAt: epochMsSchema.nullable(),
  endAt: epochMsSchema.nullable(),
  travelKm: z.number().nonnegative().nullable(),
  travelMinutes: z.number().nonnegative().nullable(),
  slaMet: z.boolean().nullable(),
  /**
   * Waiting for the evening route fill to give it a day where a technician works nearby (an AMC visit,
   * predictive work that is not urgent): nobody needs to place it by hand.
   */
  waitsForRouteFill: z.boolean(),
});
export type DispatchBoardJob = z.infer<typeof dispatchBoardJobSchema>;

export const dispatchBoardTechnicianSchema = z.object({
  id: recordIdSchema,
  name: z.string(),
  partnerId: recordIdSchema,
  partnerName: z.string(),
  home: positionSchema,
  /** Working hours on the day, epoch ms; null when the technician does not work that day. */
  workingHours: z.object({ start: epochMsSchema, end: epochMsSchema }).nullable(),
  available: z.boolean(),
  /** Why not available: 'marked unavailable', 'not a working day', 'no skills'. */
  unavailableReason: z.string().nullable(),
  skills: z.array(z.object({ skill: z.enum(skills), certifiedUntil: epochMsSchema.nullable() })),
  capacityMinutes: z.number().int().nonnegative(),
  workMinutes: z.number().nonnegative(),
  travelKm: z.number().nonnegative(),
  travelMinutes: z.number().nonnegative(),
  /** Problems with the day as booked: overlapping jobs, work past hours or capacity, a job they may not do. */
  warnings: z.array(z.string()),
});
export type DispatchBoardTechnician = z.infer<typeof dispatchBoardTechnicianSchema>;

export const dispatchFiguresSchema = z.object({
  jobs: z.number().int().nonnegative(),
  assigned: z.number().int().nonnegative(),
  unassigned: z.number().int().nonnegative(),
  slaMet: z.number().int().nonnegative(),
  slaMissed: z.number().int().nonnegative(),
  travelKm: z.number().nonnegative(),
  travelMinutes: z.number().nonnegative(),
  workMinutes: z.number().nonnegative(),
  capacityMinutes: z.number().nonnegative(),
  techniciansUsed: z.number().int().nonnegative(),
});
export type DispatchFigures = z.infer<typeof dispatchFiguresSchema>;

/** GET /api/dispatch/day */
export const dispatchDaySchema = z.object({
  date: planningDateSchema,
  timezone: z.string(),
  dayStart: epochMsSchema,
  dayEnd: epochMsSchema,
  technicians: z.array(dispatchBoardTechnicianSchema),
  /** Jobs booked on the day, in technician and time order. */
  jobs: z.array(dispatchBoardJobSchema),
  /** Open jobs with no technician yet whose SLA falls within a week of the day, soonest due first. */
  unassigned: z.array(dispatchBoardJobSchema),
  /** Open jobs with no technician due after that week: AMC visits the evening route fill books, and others not due yet. */
  waitingLater: z.object({
    jobs: z.number().int().nonnegative(),
    amcVisits: z.number().int().nonnegative(),
  }),
  figures: dispatchFiguresSchema,
  /**
   * The least notice new work is booked with, counted from the moment it is booked: why a board seen
   * in the morning has nothing new before the afternoon.
   */
  bookingNotice: z.object({
    /** Preventive and AMC visits: the customer's notice. */
    preventiveMinutes: z.number().int().nonnegative(),
    /** A problem the customer reported: the time the call takes to reach a technician's day. */
    correctiveMinutes: z.number().int().nonnegative(),
  }),
});
export type DispatchDayView = z.infer<typeof dispatchDaySchema>;

/** POST /api/dispatch/preview: move one job to a technician at a start time. */
export const dispatchPreviewBodySchema = z.strictObject({
  date: planningDateSchema,
  ticketId: recordIdSchema,
  technicianId: recordIdSchema,
  /** When work should start (epoch ms or ISO 8601); left out, the technician's first free slot that breaks nothing. */
  start: instantBodySchema.optional(),
});
export type DispatchPreviewBody = z.infer<typeof dispatchPreviewBodySchema>;

export const dispatchTechnicianEffectSchema = z.object({
  technicianId: recordIdSchema,
  name: z.string(),
  before: z.object({
    travelKm: z.number(),
    workMinutes: z.number(),
    slaMissed: z.number().int(),
    jobs: z.number().int(),
  }),
  after: z.object({
    travelKm: z.number(),
    workMinutes: z.number(),
    slaMissed: z.number().int(),
    jobs: z.number().int(),
  }),
  capacityMinutes: z.number(),
  warnings: z.array(z.string()),
});

export const dispatchPreviewSchema = z.object({
  ticketId: recordIdSchema,
  technicianId: recordIdSchema,
  /** The ticket's version the preview was made from: send it with the assignment. */
  version: z.number().int().min(1),
  /** The appointment the move gives the job. */
  appointment: z.object({ start: epochMsSchema, end: epochMsSchema }),
  /** The move keeps every hard rule (skill and certification, hours, capacity, the slot). */
  feasible: z.boolean(),
  /** What breaks, in words; empty when feasible. */
  problems: z.array(z.string()),
  slaMet: z.boolean().nullable(),
  before: dispatchFiguresSchema,
  after: dispatchFiguresSchema,
  technicians: z.array(dispatchTechnicianEffectSchema),
});
export type DispatchPreview = z.infer<typeof dispatchPreviewSchema>;

/** POST /api/dispatch/replan: a technician is out from `at`; their jobs not yet begun go to others. */
export const dispatchReplanBodySchema = z.strictObject({
  date: planningDateSchema,
  technicianId: recordIdSchema,
  /** When they stop working (epoch ms or ISO 8601); default the start of their day (or now, when the day has begun). */
  at: instantBodySchema.optional(),
  /** Write the new assignments to the tickets; false (default) only proposes them. */
  apply: z.boolean().default(false),
});
export type DispatchReplanBody = z.infer<typeof dispatchReplanBodySchema>;

/**
 * POST /api/dispatch/running-late: a job under way (or its technician on the way) will only end at
 * `expectedEndAt`; the rest of that technician's day shifts, and what no longer fits goes to others.
 */
export const dispatchRunningLateBodySchema = z.strictObject({
  date: planningDateSchema,
  ticketId: recordIdSchema,
  /** When the job is now expected to end (epoch ms or ISO 8601), after now and on the day. */
  expectedEndAt: instantBodySchema,
  /** Write the new assignments to the tickets; false (default) only proposes them. */
  apply: z.boolean().default(false),
});
export type DispatchRunningLateBody = z.infer<typeof dispatchRunningLateBodySchema>;

export const dispatchReplanSchema = z.object({
  applied: z.boolean(),
  /**
   * The job under way that runs late, with its visit's new end (written when applied); null when the
   * re-plan is for a technician who is out.
   */
  extended: z
    .object({ ticketId: recordIdSchema, appointment: z.object({ start: epochMsSchema, end: epochMsSchema }) })
    .nullable(),
  moved: z.array(
    z.object({
      ticketId: recordIdSchema,
      from: recordIdSchema.nullable(),
      to: recordIdSchema.nullable(),
      appointment: z.object({ start: epochMsSchema, end: epochMsSchema }).nullable(),
      /** Whether the new start still meets the ticket's SLA: a move that makes a job late says which. */
      slaMet: z.boolean(),
    }),
  ),
  /**
   * Jobs that stay with their technician but begin later than booked (behind a job that runs late):
   * their new slot, so that the customer can be told and the ticket says it.
   */
  shifted: z.array(
    z.object({
      ticketId: recordIdSchema,
      technicianId: recordIdSchema,
      appointment: z.object({ start: epochMsSchema, end: epochMsSchema }),
      slaMet: z.boolean(),
    }),
  ),
  /** Jobs nobody could take: they stay with their technician until a planner decides. */
  unplaced: z.array(z.object({ ticketId: recordIdSchema, reason: z.string() })),
  before: dispatchFiguresSchema,
  after: dispatchFiguresSchema,
});
export type DispatchReplan = z.infer<typeof dispatchReplanSchema>;

/** GET /api/technicians/:id/work */
export const technicianWorkQuerySchema = z.strictObject({ date: planningDateSchema });

/** GET /api/parts/shortfall: one row per catalogue part, the shortest first. */
export const partShortfallSchema = z.object({
  sku: skuSchema,
  name: z.string(),
  model: z.enum(deviceModels),
  failureModes: z.array(metricNameSchema),
  /** Device components at risk (at or above their model's ticket threshold) that this part fixes. */
  atRisk: z.number().int().nonnegative(),
  /** Σ pFail of those risks: the number of failures expected within the models' horizon. */
  expectedFailures: z.number().nonnegative(),
  /** Of those, already answered by a reservation or a transfer for their ticket. */
  covered: z.number().int().nonnegative(),
  onHand: z.number().int().nonnegative(),
  reserved: z.number().int().nonnegative(),
  available: z.number().int().nonnegative(),
  /** Units on the road to a location, not yet promised to a ticket. */
  inTransit: z.number().int().nonnegative(),
  locationsWithStock: z.number().int().nonnegative(),
  /** Demand not covered minus what is free or on the way; 0 when enough. */
  shortBy: z.number().int().nonnegative(),
  status: z.enum(['short', 'tight', 'ok']),
});
export type PartShortfall = z.infer<typeof partShortfallSchema>;

export const partShortfallListSchema = z.object({
  at: epochMsSchema,
  items: z.array(partShortfallSchema),
});

/** GET /api/parts/stock-overview: every location with what it holds and what is moving. */
export const stockOverviewSchema = z.object({
  locations: z.array(
    z.object({
      id: recordIdSchema,
      name: z.string(),
      kind: z.enum(stockLocationKinds),
      partnerName: z.string().nullable(),
      technicianName: z.string().nullable(),
      onHand: z.number().int().nonnegative(),
      reserved: z.number().int().nonnegative(),
      available: z.number().int().nonnegative(),
      levels: z.array(
        z.object({
          sku: skuSchema,
          onHand: z.number().int(),
          reserved: z.number().int(),
          available: z.number().int(),
        }),
      ),
    }),
  ),
  transfers: z.array(
    z.object({
      id: recordIdSchema,
      sku: skuSchema,
      quantity: z.number().int(),
      fromName: z.string(),
      toName: z.string(),
      ticketId: recordIdSchema.nullable(),
      createdAt: epochMsSchema,
      etaAt: epochMsSchema,
    }),
  ),
  reservations: z.array(
    z.object({
      id: recordIdSchema,
      ticketId: recordIdSchema,
      ticketTitle: z.string().nullable(),
      sku: skuSchema,
      quantity: z.number().int(),
      locationName: z.string(),
      createdAt: epochMsSchema,
    }),
  ),
});
export type StockOverview = z.infer<typeof stockOverviewSchema>;

/** GET /api/contract-visits/calendar */
export const amcCalendarQuerySchema = z.strictObject({
  /** First month shown, YYYY-MM; default the current one. */
  from: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM')
    .optional(),
  months: integerParamSchema(1, 12).prefault(3),
  partnerId: recordIdSchema.optional(),
  renewalWithinDays: integerParamSchema(1, 365).prefault(60),
});

export const amcCalendarVisitSchema = z.object({
  id: recordIdSchema,
  contractId: recordIdSchema,
  deviceId: deviceIdSchema,
  customerName: z.string().nullable(),
  siteName: z.string().nullable(),
  partnerId: recordIdSchema.nullable(),
  partnerName: z.string().nullable(),
  dueFrom: epochMsSchema,
  dueTo: epochMsSchema,
  status: z.enum(contractVisitStatuses),
  ticketId: recordIdSchema.nullable(),
  ticketStatus: z.enum(ticketStatuses).nullable(),
  appointmentStart: epochMsSchema.nullable(),
  /**
   * When its ticket's work was done (resolved, else closed); null while the visit is still to come.
   * A done visit reads as done then, not as its old booking.
   */
  doneAt: epochMsSchema.nullable(),
  technicianName: z.string().nullable(),
  /** Why the visit may miss its window; null when it is on track, done, cancelled or already missed. */
  atRisk: z.string().nullable(),
});
export type AmcCalendarVisit = z.infer<typeof amcCalendarVisitSchema>;

export const amcCalendarSchema = z.object({
  from: epochMsSchema,
  to: epochMsSchema,
  timezone: z.string(),
  partners: z.array(z.object({ id: recordIdSchema, name: z.string(), kind: z.enum(partnerKinds) })),
  visits: z.array(amcCalendarVisitSchema),
  renewals: z.array(
    z.object({
      contractId: recordIdSchema,
      customerId: recordIdSchema,
      customerName: z.string().nullable(),
      planName: z.string().nullable(),
      devices: z.number().int(),
      endsAt: epochMsSchema,
      daysLeft: z.number().int(),
      renewalStatus: z.enum(renewalStatuses),
    }),
  ),
});
export type AmcCalendar = z.infer<typeof amcCalendarSchema>;
