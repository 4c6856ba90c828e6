import { z } from 'zod';
import { skills } from '../catalog.ts';
import { deviceIdSchema, metricNameSchema } from '../ids.ts';
import { instantBodySchema } from '../instant.ts';
import { riskDriverSchema } from '../risk.schema.ts';
import {
  epochMsParamSchema,
  epochMsSchema,
  latSchema,
  lonSchema,
  pageQueryShape,
  pageSchema,
  recordIdSchema,
  textSchema,
} from './common.schema.ts';
import { partUsedSchema, reservationSchema, transferSchema } from './parts.schema.ts';

export const ticketKinds = ['predictive', 'corrective', 'amc_visit', 'installation'] as const;
export type TicketKind = (typeof ticketKinds)[number];

/**
 * open → scheduled → dispatched → on_site → resolved → verified → closed; cancelled from open,
 * scheduled or dispatched; flagged_for_review when a resolved ticket's fix is not seen in telemetry.
 */
export const ticketStatuses = [
  'open',
  'scheduled',
  'dispatched',
  'on_site',
  'resolved',
  'verified',
  'flagged_for_review',
  'closed',
  'cancelled',
] as const;
export type TicketStatus = (typeof ticketStatuses)[number];

/** Work nobody has begun: a planner may still move it to another technician or time. */
export const notBegunStatuses: readonly TicketStatus[] = ['open', 'scheduled', 'dispatched'];

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

/** Who pays, decided when the ticket is opened: the manufacturer's warranty, an AMC, or the customer. */
export const coverages = ['in_warranty', 'amc', 'chargeable'] as const;
export type Coverage = (typeof coverages)[number];

/** Why a predictive ticket exists: the risk the models reported, as it stood when it last changed the ticket. */
export const ticketEvidenceSchema = z.object({
  pFail: z.number().min(0).max(1),
  daysLeft: z.number().nonnegative().nullable(),
  horizonDays: z.number().positive(),
  modelVersion: z.string(),
  scoredAt: epochMsSchema,
  dataUntil: epochMsSchema,
  drivers: z.array(riskDriverSchema),
});
export type TicketEvidence = z.infer<typeof ticketEvidenceSchema>;

/** A visit shorter than this is a slip of the pen, and one longer than a day is several visits. */
export const APPOINTMENT_MINUTES = { min: 5, max: 24 * 60 } as const;

/** A visit's start and end, each epoch ms or ISO 8601 with a zone (`instantBodySchema`), read as epoch ms. */
export const appointmentSchema = z
  .strictObject({ start: instantBodySchema, end: instantBodySchema })
  .refine((a) => a.end > a.start, { message: 'must be after start', path: ['end'] })
  .refine((a) => a.end <= a.start || a.end - a.start >= APPOINTMENT_MINUTES.min * 60_000, {
    message: `must be at least ${APPOINTMENT_MINUTES.min} minutes after start`,
    path: ['end'],
  })
  .refine((a) => a.end - a.start <= APPOINTMENT_MINUTES.max * 60_000, {
    message: `must be at most ${APPOINTMENT_MINUTES.max / 60} hours after start`,
    path: ['end'],
  });
export type Appointment = z.infer<typeof appointmentSchema>;

export const ticketSchema = z.object({
  id: recordIdSchema,
  kind: z.enum(ticketKinds),
  status: z.enum(ticketStatuses),
  /** Increases with every change; send it back with a transition to refuse acting on a stale view. */
  version: z.number().int().min(1),
  priority: z.enum(ticketPriorities),
  deviceId: deviceIdSchema,
  customerId: recordIdSchema.nullable(),
  siteId: recordIdSchema.nullable(),
  title: z.string(),
  description: z.string(),
  component: metricNameSchema.nullable(),
  failureMode: metricNameSchema.nullable(),
  requiredSkill: z.enum(skills).nullable(),
  evidence: ticketEvidenceSchema.nullable(),
  /** The knowledge base's steps for the device model and failure mode, as issued with the ticket. */
  troubleshootingSteps: z.array(z.string()),
  appointment: z.object({ start: epochMsSchema, end: epochMsSchema }).nullable(),
  technicianId: recordIdSchema.nullable(),
  slaDueAt: epochMsSchema,
  coverage: z.enum(coverages),
  contractId: recordIdSchema.nullable(),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
  resolvedAt: epochMsSchema.nullable(),
  closedAt: epochMsSchema.nullable(),
});
export type Ticket = z.infer<typeof ticketSchema>;

export const auditEntrySchema = z.object({
  id: recordIdSchema,
  ticketId: recordIdSchema,
  /** The ticket's version this entry produced: entries of one ticket are numbered without gaps. */
  version: z.number().int().min(1),
  at: epochMsSchema,
  /** `user:<id>`, `token:<id>`, `admin` or `system:<part>`. */
  actor: z.string(),
  actorRole: z.string(),
  fromStatus: z.enum(ticketStatuses).nullable(),
  toStatus: z.enum(ticketStatuses),
  action: z.string(),
  reason: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  /** The person or API token behind `actor`, by name, in a ticket's detail; null for the platform. */
  actorName: z.string().nullable().optional(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const ticketNoteSchema = z.object({
  id: recordIdSchema,
  ticketId: recordIdSchema,
  at: epochMsSchema,
  author: z.string(),
  authorRole: z.string(),
  /** Who wrote it, by name (as `actorName`). */
  authorName: z.string().nullable().optional(),
  text: z.string(),
});
export type TicketNote = z.infer<typeof ticketNoteSchema>;

/**
 * Where the job is: whom to ask for and where to go. Part of the ticket for every caller who may see
 * the ticket (a technician may not read customers and sites, but needs them for its own jobs).
 */
export const ticketPlaceSchema = z.object({
  customer: z
    .object({
      id: recordIdSchema,
      name: z.string(),
      /** The contact person, when the customer record names one. */
      contactName: z.string().nullable(),
      phone: z.string().nullable(),
    })
    .nullable(),
  site: z
    .object({
      id: recordIdSchema,
      name: z.string(),
      address: z.string(),
      lat: latSchema,
      lon: lonSchema,
    })
    .nullable(),
});
export type TicketPlace = z.infer<typeof ticketPlaceSchema>;

/** GET /api/tickets/:id: the ticket with everything that happened to it. */
export const ticketDetailSchema = ticketSchema.extend({
  reservations: z.array(reservationSchema),
  transfers: z.array(transferSchema),
  partsUsed: z.array(partUsedSchema),
  notes: z.array(ticketNoteSchema),
  audit: z.array(auditEntrySchema),
  /** The customer and site of the ticket; absent where the service does not know customers. */
  place: ticketPlaceSchema.optional(),
  /** Who comes: the assigned technician's name (null when nobody is assigned); absent as `place`. */
  technicianName: z.string().nullable().optional(),
});
export type TicketDetail = z.infer<typeof ticketDetailSchema>;

/** POST /api/tickets: a problem reported by a customer or opened by a planner. */
export const createTicketBodySchema = z.strictObject({
  kind: z.enum(['corrective', 'installation', 'amc_visit']).default('corrective'),
  deviceId: deviceIdSchema,
  title: textSchema(200).optional(),
  description: textSchema(4000),
  priority: z.enum(ticketPriorities).optional(),
  /** A catalogue failure mode of the device's model, when the reporter knows it. */
  failureMode: metricNameSchema.optional(),
  requiredSkill: z.enum(skills).optional(),
});
export type CreateTicketBody = z.infer<typeof createTicketBodySchema>;

/** POST /api/tickets/:id/transitions */
export const ticketTransitionBodySchema = z.strictObject({
  to: z.enum(ticketStatuses),
  reason: textSchema(1000).optional(),
  /** The version the caller saw; a ticket changed since answers 409. */
  version: z.number().int().min(1).optional(),
  /** Required to schedule a ticket that has no technician or appointment yet. */
  technicianId: recordIdSchema.optional(),
  appointment: appointmentSchema.optional(),
  /**
   * Book the visit outside the technician's working hours (overtime they agreed to); needs a reason,
   * which the audit log keeps. Without it such a booking answers 400.
   */
  outsideWorkingHours: z.boolean().optional(),
});
export type TicketTransitionBody = z.infer<typeof ticketTransitionBodySchema>;

/** PUT /api/tickets/:id/assignment: (re)assign without a status change, e.g. when re-planning. */
export const assignTicketBodySchema = z.strictObject({
  technicianId: recordIdSchema,
  appointment: appointmentSchema,
  reason: textSchema(1000).optional(),
  version: z.number().int().min(1).optional(),
  /**
   * Book the visit outside the technician's working hours (overtime they agreed to); needs a reason,
   * which the audit log keeps. Without it such a booking answers 400.
   */
  outsideWorkingHours: z.boolean().optional(),
});
export type AssignTicketBody = z.infer<typeof assignTicketBodySchema>;

/** POST /api/tickets/:id/notes */
export const addTicketNoteBodySchema = z.strictObject({ text: textSchema(4000) });

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((v) => v.split(',').filter(Boolean))
    .pipe(z.array(item).min(1).max(20));

/** A page of tickets as GET /api/tickets answers it without `include=`. */
export const ticketPageSchema = pageSchema(ticketSchema);

/** GET /api/tickets */
export const listTicketsQuerySchema = z.strictObject({
  /** One status or several, comma-separated. */
  status: csv(z.enum(ticketStatuses)).optional(),
  kind: z.enum(ticketKinds).optional(),
  deviceId: deviceIdSchema.optional(),
  customerId: recordIdSchema.optional(),
  technicianId: recordIdSchema.optional(),
  priority: z.enum(ticketPriorities).optional(),
  createdFrom: epochMsParamSchema.optional(),
  createdTo: epochMsParamSchema.optional(),
  ...pageQueryShape,
});
export type ListTicketsQuery = z.infer<typeof listTicketsQuerySchema>;
