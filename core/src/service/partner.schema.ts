import { z } from 'zod';
import { skills } from '../catalog.ts';
import { isTimeZone } from '../config.ts';
import {
  epochMsSchema,
  latSchema,
  lonSchema,
  pageQueryShape,
  recordIdSchema,
  textSchema,
} from './common.schema.ts';

export const partnerKinds = ['authorised_centre', 'franchise', 'mobile_van'] as const;
export type PartnerKind = (typeof partnerKinds)[number];

export const servicePartnerSchema = z.object({
  id: recordIdSchema,
  name: z.string(),
  kind: z.enum(partnerKinds),
  lat: latSchema,
  lon: lonSchema,
  coverageRadiusKm: z.number().positive(),
  createdAt: epochMsSchema,
});
export type ServicePartner = z.infer<typeof servicePartnerSchema>;

/** POST /api/partners */
export const createPartnerBodySchema = z.strictObject({
  id: recordIdSchema.optional(),
  name: textSchema(200),
  kind: z.enum(partnerKinds),
  lat: latSchema,
  lon: lonSchema,
  coverageRadiusKm: z.number().positive().max(1000),
});
export type CreatePartnerBody = z.infer<typeof createPartnerBodySchema>;

export const listPartnersQuerySchema = z.strictObject({
  kind: z.enum(partnerKinds).optional(),
  ...pageQueryShape,
});

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM (24 h)');

/**
 * When a technician works: ISO weekdays (1 = Monday … 7 = Sunday) and a daily window in the
 * technician's own time zone (IANA name).
 */
export const workingHoursSchema = z
  .strictObject({
    days: z.array(z.number().int().min(1).max(7)).min(1).max(7),
    start: timeOfDay,
    end: timeOfDay,
    timezone: z
      .string()
      .min(1)
      .max(64)
      .refine(isTimeZone, 'must be an IANA time zone such as Asia/Kolkata or UTC'),
  })
  .refine((h) => h.start < h.end, { message: 'must end after it starts', path: ['end'] });
export type WorkingHours = z.infer<typeof workingHoursSchema>;

export const technicianStatuses = ['active', 'unavailable'] as const;
export type TechnicianStatus = (typeof technicianStatuses)[number];

/** A skill a technician has; `certifiedUntil` null means no certification is held for it. */
export const technicianSkillSchema = z.object({
  skill: z.enum(skills),
  certificateId: z.string().nullable(),
  certifiedUntil: epochMsSchema.nullable(),
});
export type TechnicianSkill = z.infer<typeof technicianSkillSchema>;

export const technicianSchema = z.object({
  id: recordIdSchema,
  partnerId: recordIdSchema,
  name: z.string(),
  home: z.object({ lat: latSchema, lon: lonSchema }),
  workingHours: workingHoursSchema,
  dailyCapacityMinutes: z.number().int().positive(),
  status: z.enum(technicianStatuses),
  /** When an unavailable technician is expected back; null when open-ended or active. */
  unavailableUntil: epochMsSchema.nullable(),
  skills: z.array(technicianSkillSchema),
  createdAt: epochMsSchema,
  updatedAt: epochMsSchema,
});
export type Technician = z.infer<typeof technicianSchema>;

/** PUT /api/technicians/:id/skills/:skill */
export const setTechnicianSkillBodySchema = z.strictObject({
  certificateId: textSchema(100).optional(),
  certifiedUntil: epochMsSchema.optional(),
});
export type SetTechnicianSkillBody = z.infer<typeof setTechnicianSkillBodySchema>;

/** POST /api/partners/:id/technicians */
export const createTechnicianBodySchema = z.strictObject({
  id: recordIdSchema.optional(),
  name: textSchema(200),
  home: z.strictObject({ lat: latSchema, lon: lonSchema }),
  workingHours: workingHoursSchema,
  dailyCapacityMinutes: z
    .number()
    .int()
    .min(30)
    .max(16 * 60),
  skills: z
    .array(setTechnicianSkillBodySchema.extend({ skill: z.enum(skills) }))
    .max(skills.length)
    .default([]),
});
export type CreateTechnicianBody = z.infer<typeof createTechnicianBodySchema>;

/** PATCH /api/technicians/:id */
export const updateTechnicianBodySchema = z.strictObject({
  name: textSchema(200).optional(),
  home: z.strictObject({ lat: latSchema, lon: lonSchema }).optional(),
  workingHours: workingHoursSchema.optional(),
  dailyCapacityMinutes: z
    .number()
    .int()
    .min(30)
    .max(16 * 60)
    .optional(),
  status: z.enum(technicianStatuses).optional(),
  unavailableUntil: epochMsSchema.nullable().optional(),
});
export type UpdateTechnicianBody = z.infer<typeof updateTechnicianBodySchema>;

export const listTechniciansQuerySchema = z.strictObject({
  partnerId: recordIdSchema.optional(),
  skill: z.enum(skills).optional(),
  status: z.enum(technicianStatuses).optional(),
  ...pageQueryShape,
});
export type ListTechniciansQuery = z.infer<typeof listTechniciansQuerySchema>;

export const skillParamsSchema = z.strictObject({ id: recordIdSchema, skill: z.enum(skills) });
